#pragma once
// Pages of the blog as HTML, through the templates in indexer/render/templates/. Every page that
// shows a post's title or summary carries that post's purge key.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.hpp"
#include "indexer/content/site.hpp"
#include "indexer/render/page.hpp"

namespace kade::indexer {

// Shared by every page: the site's configuration and the stylesheet's fingerprinted URL.
struct page_context {
    const config& cfg;
    std::string stylesheet_url;  // "/static/style.0123abcd.css"
    int newest_year = 0;         // the footer's "Archief" link; 0 when there are no posts
    // Search as you type from the header box: every page carries the small loader
    // ("/static/search_loader.….js"), which fetches the search script ("/static/search.….js")
    // on first focus.
    std::string search_loader_url = "";
    std::string search_script_url = "";
    std::string pages_links;  // "<li>" links to the static pages, on every page (Blogger's
                              // "Pages" gadget); raw HTML
};

// [site].base_url without a trailing '/' + the percent-encoded path.
std::string absolute_url(const page_context& ctx, std::string_view path);

// Paths of the listing pages; page 1 is the first page ("/", "/search/label/x").
std::string home_path(std::size_t page);
std::string label_path(std::string_view label, std::size_t page = 1);
std::string year_path(int year);
// "/2014/", "/2014/page/2/", …
std::string year_page_path(int year, std::size_t page);
std::string month_path(int year, int month);
inline constexpr std::string_view labels_overview_path = "/labels/";

// Post i of s.posts, with its related posts (indexes into s.posts).
std::string render_post(const site& s, std::size_t i, const std::vector<std::size_t>& related,
                        const page_context& ctx);
// The purge keys of that page: its own, its neighbours' and its related posts'.
std::string post_page_keys(const site& s, std::size_t i, const std::vector<std::size_t>& related);

// The home page, year and month archives, label pages and the label overview. The later pages
// (/page/N/) of the home page and of each label are a shell each (bundle::home_pages_shell_path,
// bundle::label_pages_shell_prefix) the server fills from the list of posts: a new post would
// change every one of them.
std::vector<page_input> render_listings(const site& s, const page_context& ctx);
// Those later pages, for the sitemap.
std::vector<sitemap_url> later_listing_pages(const site& s, const page_context& ctx);

// The blog's own 404 page.
std::string render_not_found(const page_context& ctx);

// The search page shell: the server replaces the kade:query, kade:title and kade:results markers
// (bundle_format.hpp) with the escaped query, the page title and the results.
std::string render_search_shell(const page_context& ctx);

// Any other page of the blog (static pages, indexer/render/pages.hpp): `content` (raw HTML) inside
// the layout; `title` and `description` are text, `path` gives the canonical link.
std::string render_in_layout(std::string_view title, std::string_view description,
                             const std::string& path, std::string content, const page_context& ctx);

// "3 minuten leestijd", at 200 words a minute, at least one minute.
std::string reading_time(std::size_t words);

}  // namespace kade::indexer
