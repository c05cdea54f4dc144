#pragma once
// What feed readers and search engines read: Atom and RSS 2.0 feeds (the blog's and one Atom
// feed per label), sitemap.xml and robots.txt. Dates come from the posts, never from the clock.
#include <vector>

#include "indexer/content/site.hpp"
#include "indexer/render/page.hpp"
#include "indexer/render/render.hpp"

namespace kade::indexer {

// Newest posts in a feed, as Blogger's default.
inline constexpr std::size_t feed_posts = 25;

// "/feeds/posts/default" (Atom), "/feeds/posts/default?alt=rss" (RSS 2.0, the entry the server
// picks for that query) and "/feeds/posts/default/-/LABEL" (Atom) for every label.
std::vector<page_input> render_feeds(const site& s, const page_context& ctx);

// Every 200 HTML page among `pages` (internal "!" entries left out) and the pages the server
// puts together (`served`), with their lastmod.
page_input render_sitemap(const std::vector<page_input>& pages,
                          const std::vector<sitemap_url>& served, const page_context& ctx);

page_input render_robots(const page_context& ctx);

}  // namespace kade::indexer
