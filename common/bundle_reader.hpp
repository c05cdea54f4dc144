#pragma once
// Reads a bundle: verifies every checksum and bound before handing out read-only views, and
// refuses (never crashes on) anything else.
#include <cstdint>
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
    // Verifies `bytes` as a whole bundle. On failure returns nullopt and sets `error` to a
    // sentence naming what is wrong ("section 2 checksum mismatch", ...).
    static std::optional<bundle_view> open(std::string_view bytes, std::string& error);

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
    const dictionary_record* dictionary_ = nullptr;
    const entry_record* dictionary_entry_ = nullptr;
    std::string_view dictionary_bytes_;
};

// The dictionary of the bundle at `path` (read from its head and dictionary section only,
// checksums verified), for kade-index to keep across builds; nullopt when there is no such
// file, it is not a bundle of this format or it has no dictionary.
std::optional<std::string> read_dictionary(const std::string& path);

// A bundle loaded into memory the server owns: the file is copied into a sealed memfd and
// mapped read-only, so no request touches the disk and a later rewrite of the file cannot
// change bytes in use. The Xapian database inside is opened from the same memfd.
class loaded_bundle {
  public:
    // Throws std::runtime_error "cannot load bundle PATH: reason".
    static std::shared_ptr<const loaded_bundle> load(const std::string& path);
    ~loaded_bundle();
    loaded_bundle(const loaded_bundle&) = delete;
    loaded_bundle& operator=(const loaded_bundle&) = delete;

    const bundle_view& view() const { return view_; }
    // A new descriptor of the memfd positioned at the search database, for Xapian::Database(fd)
    // (which takes ownership); each call has its own file position.
    int open_search_fd() const;
    // The same for shard `k` (< view().shards().size()).
    int open_shard_fd(std::size_t k) const;

  private:
    loaded_bundle() = default;
    int memfd_ = -1;
    void* map_ = nullptr;
    std::size_t size_ = 0;
    bundle_view view_;
};

}  // namespace kade::bundle
