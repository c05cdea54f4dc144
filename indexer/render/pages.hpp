#pragma once
// Static pages, as Blogger has them at /p/NAME.html (kade-import-blogger writes them):
// content/pages/NAME.md, with the front matter of a post (title and date required; slug
// overrides NAME; aliases answer 301; draft = true leaves the page out; labels are ignored).
#include <string>
#include <vector>

#include "common/diagnostic.hpp"
#include "indexer/content/markdown.hpp"
#include "indexer/content/post.hpp"
#include "indexer/render/page.hpp"
#include "indexer/render/render.hpp"

namespace kade::indexer {

struct static_page {
    post source;
    std::string url;  // "/p/over-mij.html"
    rendered_markdown body;
};

// Reads content_dir/pages/*.md (sorted); drafts are left out. Problems are appended as
// FILE:LINE diagnostics (those of parse_post, and a file name that is not a slug when there is
// no slug = "…").
std::vector<static_page> load_pages(const std::string& content_dir,
                                    std::vector<diagnostic>& errors);

// The pages as "<li>" links, by title, for the layout of every page.
std::string pages_links(const std::vector<static_page>& list);

// The pages as posts for the search index: URL, title, date and text (no labels).
std::vector<site_post> searchable_pages(const std::vector<static_page>& list, const config& cfg);

// Appends each page and its aliases (301) to `pages`. A page URL or alias that is already the
// path of something in `pages` throws diagnostics_error naming the page's file.
void append_static_pages(std::vector<page_input>& pages, const std::vector<static_page>& list,
                         const page_context& ctx);

}  // namespace kade::indexer
