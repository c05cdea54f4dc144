#pragma once
// The later pages of the home page (/page/N/) and of each label (/search/label/NAME/page/N/),
// N >= 2, put together per request from the list of posts (server/posts_by_date.hpp) and the
// list's shell (bundle::home_pages_shell_path, bundle::label_pages_shell_prefix). A new post
// moves every post one place down these pages: stored, they cost the indexer ~1,000
// compressions per new post at 10,000 posts and the bundle their bytes; here a page costs its
// summaries and the compression of one search answer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

// A later page: the path of its list's first page ("/", "/search/label/NAME"), its number and
// the label it lists (empty for the home page).
struct later_page {
    std::string_view first;
    std::size_t page = 0;
    std::string_view label;
};

// "/page/N/" → {"/", N}, "/search/label/NAME/page/N/" → {"/search/label/NAME", N}, with N >= 2
// written as the indexer links it (digits, no leading zero); nullopt for any other path.
std::optional<later_page> later_page_of(std::string_view path);

// Page `page` of the list whose first page is `first`: the posts from (page - 1) * per_page of
// `posts` (the list's lines, newest first), the page's number, the number of pages and the pager,
// in `shell`. Nullopt when the list has fewer pages (or `page` < 2).
std::optional<std::string> later_listing_page(std::string_view shell,
                                              const std::vector<std::string_view>& posts,
                                              std::string_view first, std::size_t page,
                                              std::size_t per_page);

}  // namespace kade
