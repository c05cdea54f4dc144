#pragma once
// "Gerelateerde berichten": for every published post, the posts most like it by content,
// asked of the search database at build time (relevance feedback on the post itself).
#include <cstddef>
#include <string>
#include <vector>

namespace kade::indexer {

// `db_path` is the database of build_search_database, where post i of site::posts is docid
// i + 1 (so drafts, absent from site::posts, are never related). For each of the `post_count`
// posts: the indexes of up to `per_post` other posts, most similar first. Reads the database's
// telling stems once (memory: 16 bytes per occurrence of such a stem in a document), then
// uses every core; the answer depends only on the database (ties as Xapian breaks them).
// Throws std::runtime_error on a Xapian error.
std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::size_t post_count, std::size_t per_post);

}  // namespace kade::indexer
