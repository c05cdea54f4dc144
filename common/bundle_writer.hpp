#pragma once
// Entries and the search database → one bundle file: sorted, checksummed, with a build id;
// written through a temporary file, fsync and rename so a reader never sees half a bundle.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bundle_format.hpp"

namespace kade::bundle {

struct entry_input {
    std::string path;
    std::string content_type;
    std::uint16_t status = 200;
    cache_class cache = cache_class::html;
    std::int64_t last_modified = -1;
    std::string location;
    std::string keys;
    // identity is required; gzip and zstd are kept only when given (the caller keeps a
    // compressed variant only where it is smaller).
    std::array<std::optional<std::string>, variant_count> variants;
    // Store only identity's size and hash: the server derives the bytes (bundle_format.hpp)
    // from gzip (a page: a path not internal) or from dcz (an internal "!…" entry without gzip;
    // the bundle must have the dictionary). The variant must be smaller, within 1032:1.
    bool derive_identity = false;
};

class bundle_builder {
  public:
    // The bodies go to an unnamed scratch file in `scratch_dir` (default: $TMPDIR or /tmp) as
    // they are added, so a build holds no body in memory however large the blog; the file
    // has no name and disappears with the builder. Throws std::runtime_error when it cannot
    // be made.
    explicit bundle_builder(const std::string& scratch_dir = {});
    ~bundle_builder();
    bundle_builder(bundle_builder&&) noexcept;
    bundle_builder& operator=(bundle_builder&&) noexcept;

    // Bodies are appended in call order: callers add entries in a deterministic order.
    void add(entry_input entry);
    void set_search_database(std::string bytes);
    // The search database as the file at `path`, read only when the bundle is written (it
    // must stay unchanged until then; it may be removed: the descriptor is kept).
    void set_search_database_file(const std::string& path);
    // The shard databases (single-file glass each), in shard order; none by default.
    void set_shard_databases(const std::vector<std::string>& shards);
    // The dictionary the dcz variants were made with and the path of the entry (added like
    // any other) that serves it. None by default.
    void set_dictionary(std::string_view bytes, const std::string& path);

    // The whole file in memory (tests, --check). Throws std::runtime_error on a duplicate path.
    std::string serialize() const;

    // Writes the file atomically without first joining it in memory: the bodies and a search
    // database given as a file are copied from their files. Returns the build id (hex).
    std::string write(const std::string& path) const;

    // Bytes of bodies added so far (all in the scratch file or its write buffer).
    std::uint64_t bodies_size() const { return bodies_size_; }

    // A run of the file: bytes in memory, or `size` bytes of the file `fd` from `offset`.
    struct piece {
        std::string_view bytes;
        int fd = -1;
        std::uint64_t offset = 0, size = 0;
        std::uint64_t length() const { return fd < 0 ? bytes.size() : size; }
    };

  private:
    struct layout;
    layout lay_out() const;
    void spill(std::string_view body);
    void flush_staged();

    struct pending {
        std::string path, content_type, location, keys;
        std::uint16_t status;
        cache_class cache;
        std::int64_t last_modified;
        std::uint8_t held;
        variant_record variants[variant_count];
    };
    std::vector<pending> entries_;
    // The bodies, in call order, one after another: [0, spilled_) in the scratch file,
    // the rest in staged_ (written out a MiB at a time). Holding them in memory was most of
    // the build's peak (gigabytes at 100,000 posts).
    int scratch_fd_ = -1;
    std::uint64_t spilled_ = 0;
    std::string staged_;
    std::uint64_t bodies_size_ = 0;
    std::string search_;
    int search_fd_ = -1;  // set_search_database_file
    std::uint64_t search_file_size_ = 0;
    std::string shards_;      // the whole shards section
    std::string dictionary_;  // the whole dictionary section
};

// Writes the pieces, in order, to `path` atomically: PATH.tmp.PID, fsync, rename over PATH,
// fsync the folder. Throws std::runtime_error naming the file and the reason.
void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces);
// The same with runs of other files among the pieces (copied with copy_file_range, or read and
// written a MiB at a time where the kernel cannot copy between the two).
void write_file_atomically(const std::string& path,
                           const std::vector<bundle_builder::piece>& pieces);

}  // namespace kade::bundle
