#include "importer/html.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "common/text.hpp"

namespace kade::blogger {

const std::string* html_node::attribute(std::string_view attribute_name) const {
    for (const auto& [k, v] : attributes)
        if (k == attribute_name) return &v;
    return nullptr;
}

namespace {

// U+00A0 … U+00FF in order: the Latin-1 names, which Dutch text uses most (&eacute; &euml;).
constexpr std::array<std::string_view, 96> latin1_names = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

struct named_entity {
    std::string_view name;
    char32_t code;
};
constexpr named_entity other_names[] = {
    {"amp", U'&'},      {"lt", U'<'},       {"gt", U'>'},      {"quot", U'"'},
    {"apos", U'\''},    {"OElig", 0x152},   {"oelig", 0x153},  {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},    {"fnof", 0x192},   {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"ensp", 0x2002},   {"emsp", 0x2003},  {"thinsp", 0x2009},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},   {"rlm", 0x200F},
    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},  {"hellip", 0x2026},
    {"permil", 0x2030}, {"prime", 0x2032},  {"Prime", 0x2033}, {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"euro", 0x20AC},   {"trade", 0x2122}, {"larr", 0x2190},
    {"uarr", 0x2191},   {"rarr", 0x2192},   {"darr", 0x2193},  {"harr", 0x2194},
    {"rArr", 0x21D2},   {"minus", 0x2212},  {"infin", 0x221E}, {"asymp", 0x2248},
    {"ne", 0x2260},     {"le", 0x2264},     {"ge", 0x2265},    {"hearts", 0x2665},
};

// HTML maps numeric references 0x80–0x9F to Windows-1252, as browsers always did.
constexpr std::array<char32_t, 32> windows_1252 = {
    0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020, 0x2021, 0x2C6,  0x2030, 0x160,
    0x2039, 0x152,  0x8D,   0x17D,  0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x2DC,  0x2122, 0x161,  0x203A, 0x153,  0x9D,   0x17E,  0x178};

char32_t lookup_name(std::string_view name) {
    for (size_t i = 0; i < latin1_names.size(); ++i)
        if (latin1_names[i] == name) return static_cast<char32_t>(0xA0 + i);
    for (const auto& e : other_names)
        if (e.name == name) return e.code;
    return 0;
}

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

// One reference starting at s[pos] == '&'. Appends its characters and returns the length
// consumed, or 0 when it is not a reference (the '&' is then literal).
size_t decode_one(std::string_view s, size_t pos, std::string& out) {
    size_t i = pos + 1;
    if (i < s.size() && s[i] == '#') {
        ++i;
        const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
        if (hex) ++i;
        const size_t digits_start = i;
        std::uint32_t value = 0;
        while (i < s.size()) {
            const char c = s[i];
            int d = -1;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            if (d < 0) break;
            if (value <= 0x10FFFF)
                value = value * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
            ++i;
        }
        if (i == digits_start) return 0;
        if (i < s.size() && s[i] == ';') ++i;
        char32_t cp = value;
        if (cp >= 0x80 && cp <= 0x9F) cp = windows_1252[cp - 0x80];
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        append_utf8(out, cp);
        return i - pos;
    }
    const size_t name_start = i;
    while (i < s.size() && is_alnum(s[i]) && i - name_start < 32) ++i;
    const std::string_view name = s.substr(name_start, i - name_start);
    if (name.empty()) return 0;
    const bool semicolon = i < s.size() && s[i] == ';';
    // Without ';' only the oldest names count, as in browsers ("&amp" in old posts).
    if (!semicolon && name != "amp" && name != "lt" && name != "gt" && name != "quot" &&
        name != "nbsp")
        return 0;
    const char32_t cp = lookup_name(name);
    if (cp == 0) return 0;
    append_utf8(out, cp);
    return i - pos + (semicolon ? 1 : 0);
}

bool is_raw_text(std::string_view name) {
    return name == "script" || name == "style" || name == "textarea" || name == "title";
}

// Opening one of these ends an open <p>, as in HTML.
bool closes_p(std::string_view n) {
    static constexpr std::string_view names[] = {
        "address",  "article", "aside",  "blockquote", "center", "div",  "dl",
        "fieldset", "figure",  "footer", "form",       "h1",     "h2",   "h3",
        "h4",       "h5",      "h6",     "header",     "hr",     "main", "nav",
        "ol",       "p",       "pre",    "section",    "table",  "ul"};
    return std::find(std::begin(names), std::end(names), n) != std::end(names);
}

class tree_builder {
  public:
    static constexpr size_t max_depth = 200;

    tree_builder() {
        root_.name = "#root";
        open_.push_back(&root_);
    }

    void text(std::string decoded) {
        if (decoded.empty()) return;
        auto& kids = open_.back()->children;
        if (!kids.empty() && kids.back().is_text) {
            kids.back().text += decoded;
            return;
        }
        html_node t;
        t.is_text = true;
        t.text = std::move(decoded);
        kids.push_back(std::move(t));
    }

    html_node* start(html_node element, bool self_closing) {
        const std::string& n = element.name;
        if (closes_p(n)) close_if_open("p", {"div", "td", "th", "li", "blockquote"});
        if (n == "li") close_if_open("li", {"ul", "ol"});
        if (n == "dt" || n == "dd") {
            close_if_open("dt", {"dl"});
            close_if_open("dd", {"dl"});
        }
        if (n == "tr") close_if_open("tr", {"table", "tbody", "thead", "tfoot"});
        if (n == "td" || n == "th") {
            close_if_open("td", {"tr", "table"});
            close_if_open("th", {"tr", "table"});
        }
        auto& kids = open_.back()->children;
        kids.push_back(std::move(element));
        html_node* added = &kids.back();
        // Past this depth content goes to the deepest open element: the converter recurses
        // over the tree, and no real post nests this deep.
        if (!self_closing && !is_void_element(added->name) && open_.size() < max_depth)
            open_.push_back(added);
        return added;
    }

    void end(std::string_view name) {
        for (size_t i = open_.size(); i-- > 1;) {
            if (open_[i]->name == name) {
                open_.resize(i);
                return;
            }
        }
        // An end tag with nothing to close is dropped, as browsers do (but </br> is a <br>).
        if (name == "br") {
            html_node br;
            br.name = "br";
            start(std::move(br), true);
        }
    }

    html_node finish() { return std::move(root_); }

  private:
    // Closes the innermost open `name` unless one of `barriers` is open inside it.
    void close_if_open(std::string_view name, std::initializer_list<std::string_view> barriers) {
        for (size_t i = open_.size(); i-- > 1;) {
            const std::string& n = open_[i]->name;
            if (n == name) {
                open_.resize(i);
                return;
            }
            if (std::find(barriers.begin(), barriers.end(), n) != barriers.end()) return;
        }
    }

    html_node root_;
    std::vector<html_node*> open_;
};

}  // namespace

bool is_void_element(std::string_view name) {
    static constexpr std::string_view names[] = {"area",  "base",   "br",    "col",  "embed",
                                                 "hr",    "img",    "input", "link", "meta",
                                                 "param", "source", "track", "wbr"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        if (s[i] == '&') {
            if (const size_t used = decode_one(s, i, out)) {
                i += used;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

html_node parse_html(std::string_view s) {
    tree_builder tree;
    size_t i = 0;
    size_t text_start = 0;
    auto flush_text = [&](size_t end) {
        if (end > text_start) tree.text(decode_entities(s.substr(text_start, end - text_start)));
    };
    while (i < s.size()) {
        if (s[i] != '<') {
            ++i;
            continue;
        }
        const char next = i + 1 < s.size() ? s[i + 1] : '\0';
        if (s.compare(i, 4, "<!--") == 0) {
            flush_text(i);
            const size_t end = s.find("-->", i + 4);
            i = end == std::string_view::npos ? s.size() : end + 3;
            text_start = i;
            continue;
        }
        if (s.compare(i, 9, "<![CDATA[") == 0) {
            flush_text(i);
            const size_t end = s.find("]]>", i + 9);
            const size_t stop = end == std::string_view::npos ? s.size() : end;
            tree.text(std::string(s.substr(i + 9, stop - i - 9)));
            i = end == std::string_view::npos ? s.size() : end + 3;
            text_start = i;
            continue;
        }
        if (next == '!' || next == '?') {  // doctype, processing instruction
            flush_text(i);
            const size_t end = s.find('>', i);
            i = end == std::string_view::npos ? s.size() : end + 1;
            text_start = i;
            continue;
        }
        const bool closing = next == '/';
        const size_t name_start = i + (closing ? 2 : 1);
        if (name_start >= s.size() || !((s[name_start] >= 'a' && s[name_start] <= 'z') ||
                                        (s[name_start] >= 'A' && s[name_start] <= 'Z'))) {
            ++i;  // a literal '<'
            continue;
        }
        flush_text(i);
        size_t j = name_start;
        while (j < s.size() && !is_space(s[j]) && s[j] != '>' && s[j] != '/') ++j;
        html_node element;
        element.name = lowercase(s.substr(name_start, j - name_start));
        // Attributes: name, name=value, name='value', name="value".
        bool self_closing = false;
        while (j < s.size() && s[j] != '>') {
            if (is_space(s[j])) {
                ++j;
                continue;
            }
            if (s[j] == '/') {
                self_closing = j + 1 < s.size() && s[j + 1] == '>';
                ++j;
                continue;
            }
            const size_t a = j;
            while (j < s.size() && !is_space(s[j]) && s[j] != '=' && s[j] != '>' &&
                   !(s[j] == '/' && j + 1 < s.size() && s[j + 1] == '>'))
                ++j;
            std::string attr_name = lowercase(s.substr(a, j - a));
            while (j < s.size() && is_space(s[j])) ++j;
            std::string value;
            if (j < s.size() && s[j] == '=') {
                ++j;
                while (j < s.size() && is_space(s[j])) ++j;
                if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
                    const char quote = s[j];
                    const size_t end = s.find(quote, j + 1);
                    const size_t stop = end == std::string_view::npos ? s.size() : end;
                    value = decode_entities(s.substr(j + 1, stop - j - 1));
                    j = end == std::string_view::npos ? s.size() : end + 1;
                } else {
                    const size_t v = j;
                    while (j < s.size() && !is_space(s[j]) && s[j] != '>') ++j;
                    value = decode_entities(s.substr(v, j - v));
                }
            }
            if (!attr_name.empty() && !closing && !element.attribute(attr_name))
                element.attributes.emplace_back(std::move(attr_name), std::move(value));
        }
        i = j < s.size() ? j + 1 : s.size();
        text_start = i;
        if (closing) {
            tree.end(element.name);
            continue;
        }
        const std::string name = element.name;
        tree.start(std::move(element), self_closing);
        if (is_raw_text(name) && !self_closing) {
            // Everything up to the matching end tag is text; entities only count in textarea
            // and title.
            size_t end = i;
            while (true) {
                end = s.find("</", end);
                if (end == std::string_view::npos) break;
                if (lowercase(s.substr(end + 2, name.size())) == name) break;
                end += 2;
            }
            const size_t stop = end == std::string_view::npos ? s.size() : end;
            const std::string_view raw = s.substr(i, stop - i);
            tree.text(name == "script" || name == "style" ? std::string(raw)
                                                          : decode_entities(raw));
            tree.end(name);
            if (end == std::string_view::npos) {
                i = s.size();
            } else {
                const size_t gt = s.find('>', end);
                i = gt == std::string_view::npos ? s.size() : gt + 1;
            }
            text_start = i;
        }
    }
    flush_text(s.size());
    return tree.finish();
}

}  // namespace kade::blogger
