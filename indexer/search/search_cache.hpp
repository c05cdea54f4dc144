#pragma once
// The search database kept beside the bundle for the next build (BUNDLE.search/): the folder
// database, and a manifest naming the settings it was built with and, by
// docid, each document's URL and a hash of everything it was indexed from. A build that finds
// the cached documents still in site order (some edited or removed, new ones in front) indexes
// only the new and edited posts (update_search_database) instead of every post again.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"

namespace kade::indexer {

class search_cache {
  public:
    // The cache of the bundle at `bundle_path`, for a build with `options`.
    search_cache(const std::string& bundle_path, const search_index_options& options);

    // One line per searched document of `docs` (site::posts in site order, newest first, then
    // site::searched_pages): a hash of everything it is indexed from, and its URL. What
    // reusable compares and keep records, worked out once per build.
    static std::string documents(const site& docs);

    // When the cached documents that are still among `documents` are in the same order and after
    // the new ones: the changes to make (search_changes: new posts, edited posts with their
    // cached docids, removed docids). Nullopt otherwise (a post moved or added between others;
    // other settings; no or a damaged cache), with `why_not` saying why in a few words.
    std::optional<search_changes> reusable(std::string_view documents, std::string& why_not) const;

    // The cached folder database (read by update_search_database after reusable said yes).
    std::string database() const;

    // Makes the database at `db_path`, holding `documents` at `docids` (document_ids), the
    // cache: moved there (copied when it is on another file system), the manifest written last,
    // so an interrupted build leaves no cache rather than a wrong one. Failing to keep it is not
    // an error of the build: returns false, and the next build indexes every post. When
    // `db_path` is the cached database itself (a build that changed no document), the cache
    // stands as it is.
    bool keep(const std::string& db_path, std::string_view documents,
              const std::vector<unsigned>& docids) const;

  private:
    std::string folder_;
    std::string settings_;
};

}  // namespace kade::indexer
