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
    // Bodies are appended in call order: callers add entries in a deterministic order.
    void add(entry_input entry);
    void set_search_database(std::string bytes) { search_ = std::move(bytes); }
    // The shard databases (single-file glass each), in shard order; none by default.
    void set_shard_databases(const std::vector<std::string>& shards);
    // The dictionary the dcz variants were made with and the path of the entry (added like
    // any other) that serves it. None by default.
    void set_dictionary(std::string_view bytes, const std::string& path);

    // The whole file in memory (tests, --check). Throws std::runtime_error on a duplicate path.
    std::string serialize() const;

    // Writes the file atomically without first joining it in memory. Returns the build id (hex).
    std::string write(const std::string& path) const;

  private:
    struct layout;
    layout lay_out() const;

    struct pending {
        std::string path, content_type, location, keys;
        std::uint16_t status;
        cache_class cache;
        std::int64_t last_modified;
        std::uint8_t held;
        variant_record variants[variant_count];
    };
    std::vector<pending> entries_;
    // The bodies, in call order, kept as given and written one after another: joining them
    // into one string first held every body twice at the peak (gigabytes at 100,000 posts).
    std::vector<std::string> bodies_;
    std::uint64_t bodies_size_ = 0;
    std::string search_;
    std::string shards_;      // the whole shards section
    std::string dictionary_;  // the whole dictionary section
};

// Writes the pieces, in order, to `path` atomically: PATH.tmp.PID, fsync, rename over PATH,
// fsync the folder. Throws std::runtime_error naming the file and the reason.
void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces);

}  // namespace kade::bundle
