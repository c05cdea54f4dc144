#pragma once
// Post HTML as feeds carry it. Feed readers show a post's content without the site's
// Content-Security-Policy, and a post may hold raw HTML, so feeds get an allow-list copy of it.
#include <string>
#include <string_view>

namespace kade::indexer {

// `html` with only what a reader needs to show a post:
// - allowed elements (paragraphs, headings, lists, tables, quotes, code, emphasis, links,
//   images) keep their tags; other tags are dropped and their text kept;
// - script, style, iframe, object, embed, svg, math, template, noscript and the like are
//   dropped with everything inside them; so are comments, doctypes and processing instructions;
// - allowed attributes only (href on <a>, src/alt/width/height on <img>, cite, colspan, …):
//   never on* handlers or style;
// - every URL (href, src, cite) is resolved against `base`, the post's absolute URL, so root-
//   and page-relative links work in RSS, which has no xml:base; a URL whose scheme is not
//   http, https or mailto is dropped, except data:image/png|gif|jpeg|webp in an <img> src.
// Text is kept as it is; a '<' that starts no tag is escaped.
std::string sanitize_feed_html(std::string_view html, std::string_view base);

// RFC 3986 §5.2 reference resolution of `ref` against the absolute http(s) URL `base`:
// "/a", "a", "../a", "//host/a", "?q", "#f" and absolute URLs (returned as they are).
std::string resolve_url(std::string_view base, std::string_view ref);

}  // namespace kade::indexer
