#pragma once
// CommonMark + GFM (tables, strikethrough, autolinks, task lists) → HTML and plain text (md4c).
#include <string>
#include <string_view>
#include <vector>

namespace kade::indexer {

// A heading of the body: where its text starts in `text`, and the id its <hN> carries.
struct heading {
    std::size_t offset = 0;
    std::string id;  // "kop-van-de-sectie", unique within the post
};

struct rendered_markdown {
    std::string html;               // the body as HTML; headings carry id="…" for deep links
    std::string text;               // plain text for search: blocks separated by "\n\n"
    std::string first_paragraph;    // plain text of the first paragraph ("" when none)
    std::string first_image;        // src of the first Markdown image as written ("" when none)
    std::vector<heading> headings;  // in order; empty when the HTML could not be given ids
};

rendered_markdown render_markdown(std::string_view markdown);

}  // namespace kade::indexer
