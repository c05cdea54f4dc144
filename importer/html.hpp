#pragma once
// A forgiving HTML reader for the bodies of Blogger posts and comments: tags, attributes,
// character references, void elements, implied ends of <p> and <li>. Not a full HTML5 parser:
// it builds a plausible tree from whatever Blogger's editors produced and never fails.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kade::blogger {

struct html_node {
    bool is_text = false;
    std::string name;  // element: lowercase tag name ("#root" for the root)
    std::vector<std::pair<std::string, std::string>> attributes;  // lowercase names, decoded
    std::string text;                                             // text node: decoded characters
    std::vector<html_node> children;

    // The attribute's value, or nullptr when the element has none.
    const std::string* attribute(std::string_view attribute_name) const;
};

// Parses a fragment; the result is a "#root" element holding it. Comments, doctypes and
// processing instructions are dropped; script and style keep their text as it is.
html_node parse_html(std::string_view html);

// Decodes character references (&amp; &eacute; &#233; &#xE9;) as HTML does: numeric ones in
// 0x80–0x9F as Windows-1252, invalid ones as U+FFFD; an unknown name stays as written.
std::string decode_entities(std::string_view s);

// True for elements that never have content (<br>, <img>, ...).
bool is_void_element(std::string_view name);

}  // namespace kade::blogger
