#pragma once
// Blogger's post HTML → clean CommonMark (md4c's GFM dialect): paragraphs, emphasis, lists,
// links, headings, images with alt text, line breaks from <br>, code; <span> and <font>
// wrappers dropped; everything else (tables, iframes, <u>, <sup>, ...) kept as raw HTML.
#include <functional>
#include <string>
#include <string_view>

namespace kade::blogger {

// Called for every URL of an image (<img src>) or link (<a href>, and src/href inside raw
// HTML); returns the URL to write (e.g. "/static/blogger/foto.jpg"), or the URL unchanged.
using url_rewriter = std::function<std::string(const std::string& url, bool is_image)>;

// Deterministic: the same HTML gives the same Markdown. The result ends with one "\n" (or is
// empty).
std::string html_to_markdown(std::string_view html, const url_rewriter& rewrite = {});

// Comments: plain text with paragraphs ("\n\n") and line breaks ("\n"); a link is kept as
// "text (URL)" when the text is not the URL, with the URL as `rewrite` gives it (a link to the
// old blog becomes a path of the site). No HTML remains.
std::string html_to_text(std::string_view html, const url_rewriter& rewrite = {});

}  // namespace kade::blogger
