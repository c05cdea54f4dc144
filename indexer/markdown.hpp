#pragma once
// CommonMark + GFM (tables, strikethrough, autolinks, task lists) → HTML and plain text (md4c).
#include <string>
#include <string_view>

namespace kade::indexer {

struct rendered_markdown {
    std::string html;             // the body as HTML
    std::string text;             // plain text for search: blocks separated by "\n\n"
    std::string first_paragraph;  // plain text of the first paragraph ("" when none)
};

rendered_markdown render_markdown(std::string_view markdown);

}  // namespace kade::indexer
