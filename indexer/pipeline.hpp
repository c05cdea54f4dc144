#pragma once
// kade-index as named phases: walk → parse → site → render → compress → search index → write.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/config.hpp"

namespace kade::indexer {

struct build_summary {
    std::size_t posts = 0;  // published
    std::size_t drafts = 0;
    std::size_t pages = 0;                        // bundle entries answering URLs
    std::uint64_t raw_bytes = 0, gzip_bytes = 0;  // pages
    std::uint64_t stored_identity_bytes = 0;      // of raw_bytes, not derived from gzip
    std::uint64_t dcz_bytes = 0;                  // HTML pages in dcz; the rest as gzip
    std::uint64_t dictionary_bytes = 0;           // the compression dictionary
    bool dictionary_kept = false;  // taken from the previous bundle at the output path
    // Incremental builds: bodies whose compressed variants came from the previous bundle, of
    // all compressible ones; when nothing could be reused, why (the build was a full one).
    std::size_t compressible_pages = 0, reused_pages = 0;
    std::string full_reason;
    // The search database: documents kept from the search cache (search_cache.hpp), posts
    // added to them, edited posts indexed anew and removed ones deleted; when it was indexed in
    // full, why.
    std::size_t search_kept = 0, search_added = 0, search_edited = 0, search_removed = 0;
    std::string search_full_reason;
    std::uint64_t other_bytes = 0;  // bodies that are not compressed: images, internal entries
    std::uint64_t text_bytes = 0, text_stored_bytes = 0;  // snippet texts, and as stored
    std::uint64_t index_bytes = 0;
    std::uint64_t bundle_bytes = 0;
    std::string build_id;
    double seconds = 0;
    // Wall-clock seconds per phase, in order, for the summary's last line.
    std::vector<std::pair<std::string, double>> phase_seconds;
};

struct build_options {
    std::string content_dir;
    std::string output;  // bundle path
    bool write = true;   // false: check only
    // kade-index --shards N: also split the search index into N databases, kept in the bundle
    // and, with --shards-out DIR, written to DIR/shard-K as folders xapian-tcpsrv can serve.
    unsigned shards = 0;
    std::string shards_out;
    // Train a new compression dictionary even when the bundle at `output` has one to keep.
    bool new_dictionary = false;
    // Reuse nothing from the bundle at `output` (compress every page again).
    bool full = false;
    // Called at the start of each phase with its name and the fraction done (0..1).
    std::function<void(const std::string& phase, double done)> progress;
};

// Runs every phase. Bad content throws diagnostics_error (all problems, FILE:LINE) before
// anything is written; other failures throw std::runtime_error. The old bundle stays untouched
// unless the whole new one was written.
build_summary build_bundle(const config& cfg, const build_options& options);

// The one-screen summary kade-index prints (docs/command-line.md).
std::string format_summary(const build_summary& s, const std::string& output, bool written);

}  // namespace kade::indexer
