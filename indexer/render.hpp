#pragma once
// Pages of the blog as HTML, through the templates in indexer/templates/.
#include <string>
#include <vector>

#include "indexer/site.hpp"
#include "server/common/config.hpp"

namespace kade::indexer {

struct rendered_page {
    std::string path;  // URL path
    std::string html;
};

// Shared by every page: the site's configuration and the stylesheet's fingerprinted URL.
struct page_context {
    const config& cfg;
    std::string stylesheet_url;  // "/static/style.0123abcd.css"
};

std::string render_post(const site_post& post, const page_context& ctx);

// "/" with the newest posts (issue: pagination follows Blogger's older/newer links later).
rendered_page render_home(const site& s, const page_context& ctx);

// The blog's own 404 page.
std::string render_not_found(const page_context& ctx);

// The search page shell: the server replaces the kade:query, kade:title and kade:results markers
// (bundle_format.hpp) with the escaped query, the page title and the results.
std::string render_search_shell(const page_context& ctx);

}  // namespace kade::indexer
