#pragma once
// Rendered pages, static files and the search database → bundle entries, in memory, sorted.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bundle_format.hpp"
#include "common/bundle_writer.hpp"
#include "common/diagnostic.hpp"
#include "indexer/render/page.hpp"

namespace kade::indexer {

struct byte_counts {
    // Pages (compressible types); gzip: bytes sent when that is asked for.
    std::uint64_t raw = 0, gzip = 0;
    std::uint64_t stored_identity = 0;  // of `raw`, what is stored (not derived from gzip)
    std::uint64_t dcz = 0;    // HTML pages in dcz, every other page as gzip: what Chrome gets
    std::uint64_t other = 0;  // bodies kept only as they are (images, internal entries)
    // The snippet texts ("!text" entries): their bytes, and what is stored (dcz with the
    // dictionary, identity derived from it; identity when there is no dictionary).
    std::uint64_t texts = 0, texts_stored = 0;
    std::size_t compressible_pages = 0;
    std::size_t reused_pages = 0;  // of those, variants taken from the previous bundle
};

class previous_bundle;

// Compresses every compressible body with gzip (both cores) and adds all to the builder in
// input order, each page with a gzip variant keeping only its identity's size and hash (the
// server derives the bytes); HTML pages also get a dcz variant with `dictionary` (none when it
// is empty), and the snippet texts only a dcz variant (at snippet_text_level) they derive from.
// With `previous` (an incremental build), a body it holds is not compressed again: its variants are
// taken from there. Returns the byte counts for the summary. zstd level of the snippet texts' dcz:
// 0.356 of their bytes, against 0.336 at level 19 for several times the time (generated posts,
// bench/results/2026-12-05/bundle-size.md).
inline constexpr int snippet_text_level = 9;

// zstd levels of the dcz variants of HTML pages. Listing pages after the first (/page/N/ of the
// home page, a label or a year) shift by one post whenever a post is added or removed, so each
// such build compresses every one of them again (about 2,100 at 10,000 posts): they get a faster
// level. At 12 instead of 19 a listing page takes 0.23× the CPU for 3.3 % more dcz bytes
// (bench/results/2026-12-06/listing-dcz.md); page 1 and every post keep `pages`.
struct dcz_levels {
    int pages = 19;
    int listings = 12;
};

// Whether `path` is a listing page after the first: ends in /page/N/.
bool is_later_listing_page(std::string_view path);

byte_counts add_pages(bundle::bundle_builder& builder, std::vector<page_input> pages,
                      int gzip_level, std::string_view dictionary = {}, dcz_levels levels = {},
                      const previous_bundle* previous = nullptr);

// add_pages a batch at a time, for a build that renders its pages in batches too: each call's
// pages are compressed (a few hundred at once, on every core) and added in order, then their
// bodies are let go, so memory holds one batch, not the blog. A run of add() calls gives the
// builder exactly what one add_pages call with all their pages in that order gives.
class page_compressor {
  public:
    // `dictionary` and `previous` must outlive the compressor.
    page_compressor(bundle::bundle_builder& builder, int gzip_level,
                    std::string_view dictionary = {}, dcz_levels levels = {},
                    const previous_bundle* previous = nullptr);
    ~page_compressor();
    page_compressor(const page_compressor&) = delete;
    page_compressor& operator=(const page_compressor&) = delete;

    // Compresses and adds `pages` in order; leaves `pages` empty.
    void add(std::vector<page_input>& pages);
    // The counts of every page added so far.
    const byte_counts& counts() const { return counts_; }

    static constexpr std::size_t batch_pages = 256;

  private:
    struct workers;
    void add_batch(std::span<page_input> pages);

    bundle::bundle_builder& builder_;
    int gzip_level_;
    std::string_view dictionary_;
    const previous_bundle* previous_;
    std::vector<workers> workers_;  // one per thread: their compressors
    byte_counts counts_;
};

// "text/css; charset=utf-8" and so on, by file extension; application/octet-stream otherwise.
std::string content_type_for(const std::string& path);
// Text formats worth compressing; images and archives are not.
bool is_compressible(const std::string& content_type);

}  // namespace kade::indexer
