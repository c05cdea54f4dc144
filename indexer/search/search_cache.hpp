#pragma once
// The search database kept beside the bundle for the next build (BUNDLE.search/): the folder
// database, and a manifest naming the settings it was built with and, by
// docid, each document's URL and a hash of everything it was indexed from. A build that finds
// every cached document in place (edited or not) indexes only the new posts and the edited ones
// (update_search_database) instead of every post again.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"

namespace kade::indexer {

// What a build may take from the cache: every cached document, in place, after `added` new
// ones at the front; those at `edited` (indexes into the build's documents) indexed anew.
struct cache_reuse {
    std::size_t added = 0;
    std::vector<std::size_t> edited;
};

class search_cache {
  public:
    // The cache of the bundle at `bundle_path`, for a build with `options`.
    search_cache(const std::string& bundle_path, const search_index_options& options);

    // One line per document of `docs` (site::posts in site order, newest first, then the
    // searchable static pages): a hash of everything it is indexed from, and its URL. What
    // reusable compares and keep records, worked out once per build.
    static std::string documents(const site& docs);

    // When the documents after the first few of `documents` are the cached documents' URLs, in
    // order: how many are new and which of the rest are edited. Nullopt otherwise (a post
    // removed, moved or added between others; other settings; no or a damaged cache), with
    // `why_not` saying why in a few words.
    std::optional<cache_reuse> reusable(std::string_view documents, std::string& why_not) const;

    // The cached folder database (read by update_search_database after reusable said yes).
    std::string database() const;

    // Makes the database at `db_path`, holding `documents` as build_search_database numbers
    // them, the cache: moved there (copied when it is on another file system), the manifest
    // written last, so an interrupted build leaves no cache rather than a wrong one. Failing to
    // keep it is not an error of the build: returns false, and the next build indexes every
    // post.
    // When `db_path` is the cached database itself (a build that changed no document), the
    // cache stands as it is.
    bool keep(const std::string& db_path, std::string_view documents) const;

  private:
    std::string folder_;
    std::string settings_;
};

}  // namespace kade::indexer
