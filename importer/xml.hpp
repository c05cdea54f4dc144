#pragma once
// A small element tree over expat, enough for Blogger's Atom exports: namespaces resolved,
// character data joined, the line and column of every element kept for messages.
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kade::blogger {

struct xml_element {
    std::string ns;                                               // namespace URI, "" when none
    std::string name;                                             // local name
    std::vector<std::pair<std::string, std::string>> attributes;  // unqualified names only
    std::string text;  // character data directly inside this element, joined
    std::vector<xml_element> children;
    int line = 0;  // where the start tag begins, 1-based
    int column = 0;

    // The first child with this namespace and local name, or nullptr.
    const xml_element* child(std::string_view child_ns, std::string_view child_name) const;
    // The text of that child ("" when absent).
    std::string_view child_text(std::string_view child_ns, std::string_view child_name) const;
    // The value of an unqualified attribute ("" when absent).
    std::string_view attribute(std::string_view attribute_name) const;
};

// Not well-formed XML: where expat stopped (1-based line and column) and why.
struct xml_error : std::runtime_error {
    int line;
    int column;
    std::string unbound_prefix;  // set when a namespace prefix was never declared ("app")
    bool at_end = false;         // the document stopped before it was complete
    xml_error(int l, int c, const std::string& message)
        : std::runtime_error(message), line(l), column(c) {}
};

// Parses a whole document and returns its root element. Throws xml_error. Entities declared in
// a DOCTYPE are refused: an export never has them, and refusing them rules out entity bombs.
xml_element parse_xml(std::string_view text);

}  // namespace kade::blogger
