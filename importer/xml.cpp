#include "importer/xml.hpp"

#include <expat.h>

#include <algorithm>
#include <memory>

namespace kade::blogger {

const xml_element* xml_element::child(std::string_view child_ns,
                                      std::string_view child_name) const {
    for (const auto& c : children)
        if (c.ns == child_ns && c.name == child_name) return &c;
    return nullptr;
}

std::string_view xml_element::child_text(std::string_view child_ns,
                                         std::string_view child_name) const {
    const xml_element* c = child(child_ns, child_name);
    return c ? std::string_view(c->text) : std::string_view();
}

std::string_view xml_element::attribute(std::string_view attribute_name) const {
    for (const auto& [k, v] : attributes)
        if (k == attribute_name) return v;
    return {};
}

namespace {

// expat reports names as "URI NAME" with this separator (a space cannot occur in either).
constexpr char ns_separator = ' ';

struct builder {
    static constexpr size_t max_depth = 256;
    XML_Parser parser = nullptr;
    xml_element root;
    bool have_root = false;
    std::vector<xml_element*> open;  // the path from the root to the current element
    std::string refusal;             // set when we stop the parser ourselves

    static void split_name(const char* qualified, std::string& ns, std::string& name) {
        const std::string_view q(qualified);
        const size_t sep = q.rfind(ns_separator);
        if (sep == std::string_view::npos) {
            ns.clear();
            name = q;
        } else {
            ns = q.substr(0, sep);
            name = q.substr(sep + 1);
        }
    }

    static void on_start(void* data, const XML_Char* qname, const XML_Char** attrs) {
        auto* b = static_cast<builder*>(data);
        xml_element e;
        split_name(qname, e.ns, e.name);
        e.line = static_cast<int>(XML_GetCurrentLineNumber(b->parser));
        e.column = static_cast<int>(XML_GetCurrentColumnNumber(b->parser)) + 1;
        for (size_t i = 0; attrs[i]; i += 2) {
            // Qualified attributes (xml:lang, gd:etag, ...) carry nothing we read.
            if (std::string_view(attrs[i]).find(ns_separator) != std::string_view::npos) continue;
            e.attributes.emplace_back(attrs[i], attrs[i + 1]);
        }
        // Blogger's exports nest a few levels deep; a document nesting thousands deep is not
        // one, and would cost stack in the tree's recursive destructor.
        if (b->open.size() >= max_depth) {
            b->refusal = "elements nested more than " + std::to_string(max_depth) +
                         " deep: this is not a Blogger export";
            XML_StopParser(b->parser, XML_FALSE);
            return;
        }
        if (b->open.empty()) {
            b->root = std::move(e);
            b->have_root = true;
            b->open.push_back(&b->root);
        } else {
            auto& siblings = b->open.back()->children;
            siblings.push_back(std::move(e));
            b->open.push_back(&siblings.back());
        }
    }

    static void on_end(void* data, const XML_Char*) {
        auto* b = static_cast<builder*>(data);
        if (!b->open.empty()) b->open.pop_back();
    }

    static void on_text(void* data, const XML_Char* s, int len) {
        auto* b = static_cast<builder*>(data);
        if (!b->open.empty()) b->open.back()->text.append(s, static_cast<size_t>(len));
    }

    static void on_entity_decl(void* data, const XML_Char* name, int, const XML_Char*, int,
                               const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) {
        auto* b = static_cast<builder*>(data);
        b->refusal = std::string("entity declarations are not allowed (\"") + name +
                     "\"): a Blogger export never has them";
        XML_StopParser(b->parser, XML_FALSE);
    }
};

struct parser_deleter {
    void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

// The first prefix of a qualified name in the tag that starts at or after `at` ("app" for
// "<app:control>", "gd" for "<entry gd:etag='…'>"); "" when there is none.
std::string prefix_in_tag(std::string_view text, std::size_t at) {
    const std::size_t open = at < text.size() && text[at] == '<' ? at : text.rfind('<', at);
    if (open == std::string_view::npos) return {};
    const std::size_t close = text.find('>', open);
    const std::string_view tag =
        text.substr(open + 1, (close == std::string_view::npos ? text.size() : close) - open - 1);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= tag.size(); ++i) {
        const bool end = i == tag.size() || tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' ||
                         tag[i] == '\r' || tag[i] == '=' || tag[i] == '/';
        if (!end) continue;
        const std::string_view name = tag.substr(start, i - start);
        const std::size_t colon = name.find(':');
        if (colon != std::string_view::npos && colon > 0 && name.substr(0, colon) != "xmlns" &&
            name.substr(0, colon) != "xml" && name.find_first_of("'\"") == std::string_view::npos)
            return std::string(name.substr(0, colon));
        start = i + 1;
    }
    return {};
}

}  // namespace

xml_element parse_xml(std::string_view text) {
    std::unique_ptr<XML_ParserStruct, parser_deleter> parser(
        XML_ParserCreateNS(nullptr, ns_separator));
    if (!parser) throw std::runtime_error("out of memory creating the XML parser");
    builder b;
    b.parser = parser.get();
    XML_SetUserData(b.parser, &b);
    XML_SetElementHandler(b.parser, &builder::on_start, &builder::on_end);
    XML_SetCharacterDataHandler(b.parser, &builder::on_text);
    XML_SetEntityDeclHandler(b.parser, &builder::on_entity_decl);

    // Feed in pieces: XML_Parse takes an int length, exports can be large.
    constexpr size_t piece = 1 << 20;
    size_t pos = 0;
    do {
        const size_t n = std::min(piece, text.size() - pos);
        const bool last = pos + n == text.size();
        if (XML_Parse(b.parser, text.data() + pos, static_cast<int>(n), last) != XML_STATUS_OK) {
            const int line = static_cast<int>(XML_GetCurrentLineNumber(b.parser));
            const int column = static_cast<int>(XML_GetCurrentColumnNumber(b.parser)) + 1;
            const XML_Error code = XML_GetErrorCode(b.parser);
            std::string message =
                b.refusal.empty() ? std::string(XML_ErrorString(code)) : b.refusal;
            xml_error error(line, column, message);
            const auto at =
                static_cast<std::size_t>(std::max<XML_Index>(0, XML_GetCurrentByteIndex(b.parser)));
            if (code == XML_ERROR_UNBOUND_PREFIX) error.unbound_prefix = prefix_in_tag(text, at);
            // Expat stops at the end for a document cut off in a tag, a comment or an element.
            error.at_end =
                b.refusal.empty() &&
                (code == XML_ERROR_UNCLOSED_TOKEN || code == XML_ERROR_NO_ELEMENTS ||
                 code == XML_ERROR_UNCLOSED_CDATA_SECTION || code == XML_ERROR_PARTIAL_CHAR) &&
                (b.have_root || at + 1 >= text.size());
            throw error;
        }
        pos += n;
    } while (pos < text.size());
    if (!b.have_root) throw xml_error(1, 1, "no element found");
    return std::move(b.root);
}

}  // namespace kade::blogger
