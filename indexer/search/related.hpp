#pragma once
// "Gerelateerde berichten": for every published post, the posts most like it by content,
// asked of the search database at build time (relevance feedback on the post itself).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace kade::indexer {

// `db_path` is the database of build_search_database (or update_search_database), where post i
// of site::posts is docid `docids[i]` (document_ids), so drafts,
// absent from site::posts, and static pages are never related. For each of the posts: the
// indexes of up to `per_post` other posts, most similar first. Reads the database's telling
// stems once (memory: 16 bytes per occurrence of such a stem in a document), then uses every
// core; the answer depends only on the database (ties as the server breaks them: the higher
// docid first, the newer post). Throws std::runtime_error on a Xapian error.
std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::span<const unsigned> docids,
                                                    std::size_t per_post);

// The same for a database of `post_count` posts and nothing else, numbered as
// build_search_database numbers them: post i is docid post_count - i.
std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::size_t post_count, std::size_t per_post);

}  // namespace kade::indexer
