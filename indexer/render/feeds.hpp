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

// URLs one sitemap file may list (the sitemaps.org protocol; search engines refuse more).
inline constexpr std::size_t sitemap_max_urls = 50000;

// Every 200 HTML page among `pages` (internal "!" entries left out) and the pages the server
// puts together (`served`), with their lastmod, in path order: /sitemap.xml alone, or, past
// `max_urls` URLs, /sitemap.xml as the index of /sitemap-1.xml, /sitemap-2.xml, … (first).
std::vector<page_input> render_sitemaps(const std::vector<page_input>& pages,
                                        const std::vector<sitemap_url>& served,
                                        const page_context& ctx,
                                        std::size_t max_urls = sitemap_max_urls);

page_input render_robots(const page_context& ctx);

}  // namespace kade::indexer
