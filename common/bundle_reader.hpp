#pragma once
// Reads a bundle: verifies every checksum and bound before handing out read-only views, and
// refuses (never crashes on) anything else. The checks come in two parts: the structure (cheap:
// the header, the section table and every bound and record the views rely on) and the contents
// (every byte: the section checksums and the build id), so that a server can start serving on
// the first and run the second in the background.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bundle_format.hpp"

namespace kade::bundle {

// Views into verified bundle bytes; does not own them.
class bundle_view {
  public:
    // Verifies `bytes` as a whole bundle: open_structure, then verify_contents. On failure
    // returns nullopt and sets `error` to a sentence naming what is wrong ("section 2 (page
    // bodies) checksum mismatch (corrupt bundle)", ...).
    static std::optional<bundle_view> open(std::string_view bytes, std::string& error);

    // The cheap part, without reading the sections' bytes as a whole: magic, format version,
    // declared size and header checksum; the section table's bounds and alignment; the shard
    // table; every entry's strings and bodies inside their sections, in order, with sane
    // variants, status and cache class; the path table; the dictionary record (its entry, its
    // SHA-256). Every view the result hands out lies inside `bytes`, so serving from it is
    // memory-safe; whether the bytes are the ones kade-index wrote is verify_contents' to say.
    static std::optional<bundle_view> open_structure(std::string_view bytes, std::string& error);

    // The expensive part: every section's XXH3-64 checksum, and the build id recomputed over
    // all sections as kade-index computes it. Reads every byte once. False with `error` set when
    // they do not match; also when `cancelled` becomes true (checked every 256 KiB).
    bool verify_contents(std::string& error, const std::atomic<bool>* cancelled = nullptr) const;
    // The same over the bytes `read` gives: `size` bytes of the bundle from `offset` (at most
    // 256 KiB at a time), or an empty view with `error` set when it cannot. For a reader of the
    // file behind the bytes (loaded_bundle: pread, so the check does not map every page).
    using block_reader =
        std::function<std::string_view(std::uint64_t offset, std::size_t size, std::string& error)>;
    bool verify_contents(std::string& error, const std::atomic<bool>* cancelled,
                         const block_reader& read) const;

    std::span<const entry_record> entries() const { return entries_; }
    const entry_record* find(std::string_view path) const;  // nullptr when absent

    std::string_view str(string_ref r) const { return strings_.substr(r.offset, r.size); }
    std::string_view path(const entry_record& e) const { return str(e.path); }
    // Whether variant's bytes are stored. Identity is always there (stored or derived), with
    // its size and hash in variants[0] either way.
    bool holds(const entry_record& e, std::size_t variant) const {
        return (e.held >> variant) & 1u;
    }
    // Identity not stored: it is the gzip variant inflated (common/derived_identity.hpp).
    bool derives_identity(const entry_record& e) const { return !(e.held & 1u); }
    // The stored bytes of a variant; empty when it is not stored (a derived identity too).
    std::string_view body(const entry_record& e, std::size_t variant) const {
        if (!holds(e, variant)) return {};
        const variant_record& v = e.variants[variant];
        return bodies_.substr(v.offset, v.size);
    }

    std::string_view search_database() const { return search_; }
    std::uint64_t search_database_offset() const { return search_offset_; }
    // The shard databases (kade-index --shards N): (offset in the file, size) each; none when
    // the bundle was built without shards.
    const std::vector<shard_record>& shards() const { return shards_; }
    const std::string& build_id() const { return build_id_; }  // 32 hex digits
    // The compression dictionary (RFC 9842) of the dcz variants; null when there is none.
    // Verified at open: its entry exists and the SHA-256 of its bytes is the recorded one.
    const dictionary_record* dictionary() const { return dictionary_; }
    const entry_record* dictionary_entry() const { return dictionary_entry_; }
    std::string_view dictionary_bytes() const { return dictionary_bytes_; }
    std::uint64_t size() const { return bytes_.size(); }

  private:
    std::string_view bytes_, strings_, bodies_, search_;
    std::span<const entry_record> entries_;
    // Open addressing over XXH3 of the path: entry index + 1 per slot, 0 for empty. Built at
    // open so a lookup costs one hash and usually one compare, not log2(entries) compares.
    std::vector<std::uint32_t> slots_;
    std::uint64_t search_offset_ = 0;
    std::vector<shard_record> shards_;
    std::string build_id_;
    std::array<std::uint8_t, 16> header_id_{};                   // the build id the header claims
    std::array<section_record, section_kind_count> sections_{};  // for verify_contents
    const dictionary_record* dictionary_ = nullptr;
    const entry_record* dictionary_entry_ = nullptr;
    std::string_view dictionary_bytes_;
};

// The dictionary of the bundle at `path` (read from its head and dictionary section only,
// checksums verified), for kade-index to keep across builds; nullopt when there is no such
// file, it is not a bundle of this format or it has no dictionary.
std::optional<std::string> read_dictionary(const std::string& path);

// How kade-serve holds a bundle.
struct load_options {
    // false (the default): the file is mapped read-only, so starting costs only the pages read,
    // and the file must be replaced by renaming a new one onto its path (as kade-index does);
    // writing into it while it is mapped changes bytes in use, truncating it faults. true
    // ([server] copy_bundle = 1): the file is copied into a sealed memfd first, which costs a
    // read of all of it and its size in memory, but the file may then be rewritten in place.
    bool copy = false;
    // true: the contents are verified too (bundle_view::open). false: only the structure
    // (bundle_view::open_structure); the caller runs verify_contents() before trusting them.
    bool verify = true;
};

// A bundle the server serves from: the file mapped read-only (or copied into a sealed memfd,
// load_options::copy), so no request reads the disk by itself. The Xapian databases inside are
// opened from descriptors of the same file (or memfd) at their offsets.
class loaded_bundle {
  public:
    // Throws std::runtime_error "cannot load bundle PATH: reason".
    static std::shared_ptr<const loaded_bundle> load(const std::string& path,
                                                     load_options options = {});
    ~loaded_bundle();
    loaded_bundle(const loaded_bundle&) = delete;
    loaded_bundle& operator=(const loaded_bundle&) = delete;

    const bundle_view& view() const { return view_; }
    const std::string& path() const { return path_; }
    bool copied() const { return copied_; }
    // What load(path, {.verify = false}) left out: bundle_view::verify_contents over the whole
    // file. Throws std::runtime_error "bundle PATH: reason" when it fails.
    void verify_contents(const std::atomic<bool>* cancelled = nullptr) const;
    // A new descriptor of the file (or memfd) positioned at the search database, for
    // Xapian::Database(fd) (which takes ownership); each call has its own file position.
    int open_search_fd() const;
    // The same for shard `k` (< view().shards().size()).
    int open_shard_fd(std::size_t k) const;

  private:
    loaded_bundle() = default;
    int reopen_at(std::uint64_t offset, const char* what) const;
    std::string path_;
    bool copied_ = false;
    int fd_ = -1;  // the bundle file, or the memfd holding a copy of it
    void* map_ = nullptr;
    std::size_t size_ = 0;
    bundle_view view_;
};

}  // namespace kade::bundle
