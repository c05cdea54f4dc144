#pragma once
// The home page's later pages, /page/N/ (N >= 2), put together per request from the list of
// posts (server/posts_by_date.hpp) and the page's shell (bundle::home_pages_shell_path). A new
// post moves every post one place down these pages: stored, they cost the indexer ~1,000
// compressions per new post at 10,000 posts and the bundle their bytes; here a page costs the
// ten summaries and the compression of one search answer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

// "/page/N/" with N >= 2 written as the indexer links it (digits, no leading zero) → N.
std::optional<std::size_t> later_home_page_number(std::string_view path);

// Page `page` of the home page: the posts from (page - 1) * per_page of `posts` (the list's
// lines, newest first), "Pagina N van M" and the pager, in `shell`. Nullopt when the home page
// has fewer pages (or `page` < 2).
std::optional<std::string> later_home_page(std::string_view shell,
                                           const std::vector<std::string_view>& posts,
                                           std::size_t page, std::size_t per_page);

}  // namespace kade
