#pragma once
// The search database kept beside the bundle for the next build (BUNDLE.search/): the folder
// database, and a manifest naming the settings it was built with and, by
// docid, each document's URL and a hash of everything it was indexed from. A build that finds
// every cached document unchanged and in place adds only the new posts (add_newest_posts)
// instead of indexing every post again.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"

namespace kade::indexer {

class search_cache {
  public:
    // The cache of the bundle at `bundle_path`, for a build with `options`.
    search_cache(const std::string& bundle_path, const search_index_options& options);

    // One line per document of `docs` (site::posts in site order, newest first, then the
    // searchable static pages): a hash of everything it is indexed from, and its URL. What
    // newest_added compares and keep records, worked out once per build.
    static std::string documents(const site& docs);

    // How many documents at the front of `documents` are new, when the rest are exactly the
    // cached documents, in order and unchanged; nullopt otherwise, with `why_not` saying why in
    // a few words.
    std::optional<std::size_t> newest_added(std::string_view documents, std::string& why_not) const;

    // The cached folder database (read by add_newest_posts after newest_added said yes).
    std::string database() const;

    // Makes the database at `db_path`, holding `documents` as build_search_database numbers
    // them, the cache: moved there (copied when it is on another file system), the manifest
    // written last, so an interrupted build leaves no cache rather than a wrong one. Failing to
    // keep it is not an error of the build: returns false, and the next build indexes every
    // post.
    bool keep(const std::string& db_path, std::string_view documents) const;

  private:
    std::string folder_;
    std::string settings_;
};

}  // namespace kade::indexer
