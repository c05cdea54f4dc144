#include "indexer/render/feed_html.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "common/text.hpp"

namespace kade::indexer {
namespace {

bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_html_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool contains(std::initializer_list<std::string_view> list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// What a reader needs to show a post; everything else loses its tag but keeps its text.
bool allowed_element(std::string_view name) {
    return contains(
        {"a",       "abbr", "b",     "bdi",      "bdo",        "blockquote", "br",      "caption",
         "cite",    "code", "col",   "colgroup", "dd",         "del",        "details", "dfn",
         "div",     "dl",   "dt",    "em",       "figcaption", "figure",     "h1",      "h2",
         "h3",      "h4",   "h5",    "h6",       "hr",         "i",          "img",     "ins",
         "kbd",     "li",   "mark",  "ol",       "p",          "pre",        "q",       "rp",
         "rt",      "ruby", "s",     "samp",     "small",      "span",       "strong",  "sub",
         "summary", "sup",  "table", "tbody",    "td",         "tfoot",      "th",      "thead",
         "time",    "tr",   "u",     "ul",       "var",        "wbr"},
        name);
}

bool void_element(std::string_view name) {
    return contains({"br", "col", "hr", "img", "wbr"}, name);
}

// Dropped with their content: active content, and elements whose content is not text to read.
bool dropped_with_content(std::string_view name) {
    return contains(
        {"applet", "audio",   "canvas",   "embed",    "frame",  "frameset",  "head",   "iframe",
         "math",   "noembed", "noframes", "noscript", "object", "plaintext", "script", "select",
         "style",  "svg",     "template", "textarea", "title",  "video",     "xmp"},
        name);
}

// Their content is raw text up to the closing tag, not markup: skipped without parsing it.
bool raw_text(std::string_view name) {
    return contains({"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style",
                     "textarea", "title", "xmp"},
                    name);
}

bool allowed_attribute(std::string_view element, std::string_view name) {
    if (contains({"title", "lang", "dir"}, name)) return true;
    if (element == "a") return contains({"href", "hreflang"}, name);
    if (element == "img") return contains({"src", "alt", "width", "height"}, name);
    if (element == "td" || element == "th")
        return contains({"colspan", "rowspan", "align"}, name) ||
               (element == "th" && name == "scope");
    if (element == "ol") return contains({"start", "reversed", "type"}, name);
    if (element == "li") return name == "value";
    if (element == "code") return name == "class";  // "language-cpp"
    if (element == "time") return name == "datetime";
    if (contains({"blockquote", "q", "del", "ins"}, element)) return name == "cite";
    return false;
}

bool url_attribute(std::string_view name) {
    return name == "href" || name == "src" || name == "cite";
}

// Character references in an attribute value: numeric ones and the few named ones that matter
// for reading a URL's scheme. Anything left undecoded stays literal, and is re-escaped on the
// way out, so a reader cannot decode it into something else either.
std::string decode_references(std::string_view s) {
    static constexpr std::array<std::pair<std::string_view, char32_t>, 9> named = {{
        {"amp", '&'},
        {"lt", '<'},
        {"gt", '>'},
        {"quot", '"'},
        {"apos", '\''},
        {"nbsp", 0xA0},
        {"colon", ':'},
        {"tab", '\t'},
        {"newline", '\n'},
    }};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '&') {
            out += s[i++];
            continue;
        }
        const std::size_t semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 12) {
            out += s[i++];
            continue;
        }
        const std::string_view ref = s.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        bool known = false;
        if (ref.size() > 1 && ref[0] == '#') {
            const bool hex = ref[1] == 'x' || ref[1] == 'X';
            std::uint32_t v = 0;
            known = ref.size() > (hex ? 2u : 1u);
            for (char c : ref.substr(hex ? 2 : 1)) {
                int d = -1;
                if (c >= '0' && c <= '9') d = c - '0';
                if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
                if (d < 0 || v > 0x10FFFF) {
                    known = false;
                    break;
                }
                v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
            }
            cp = v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v;
        } else {
            for (const auto& [name, value] : named)
                if (ref == name) cp = value, known = true;
        }
        if (!known) {
            out += s[i++];
            continue;
        }
        append_utf8(out, cp);
        i = semi + 1;
    }
    return out;
}

struct attribute {
    std::string name;   // lowercase
    std::string value;  // references decoded
};

struct tag {
    std::string name;  // lowercase
    bool closing = false;
    std::vector<attribute> attributes;
    std::size_t end = 0;  // just past the '>'
};

// The tag at html[pos] == '<' followed by a letter or "/letter"; parses to its '>' (or the end),
// honouring quoted attribute values.
tag parse_tag(std::string_view html, std::size_t pos) {
    tag t;
    std::size_t i = pos + 1;
    if (html[i] == '/') t.closing = true, ++i;
    while (i < html.size() && !is_html_space(html[i]) && html[i] != '/' && html[i] != '>')
        t.name += lower(html[i++]);
    while (i < html.size() && html[i] != '>') {
        if (is_html_space(html[i]) || html[i] == '/') {
            ++i;
            continue;
        }
        attribute a;
        while (i < html.size() && !is_html_space(html[i]) && html[i] != '/' && html[i] != '>' &&
               html[i] != '=')
            a.name += lower(html[i++]);
        if (a.name.empty()) a.name += html[i++];  // a stray '=': its own nameless attribute
        while (i < html.size() && is_html_space(html[i])) ++i;
        if (i < html.size() && html[i] == '=') {
            ++i;
            while (i < html.size() && is_html_space(html[i])) ++i;
            std::size_t begin = i, stop;
            if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
                const char quote = html[i];
                begin = i + 1;
                stop = html.find(quote, begin);
                if (stop == std::string_view::npos) stop = html.size();
                i = std::min(stop + 1, html.size());
            } else {
                while (i < html.size() && !is_html_space(html[i]) && html[i] != '>') ++i;
                stop = i;
            }
            a.value = decode_references(html.substr(begin, stop - begin));
        }
        t.attributes.push_back(std::move(a));
    }
    t.end = std::min(i + 1, html.size());
    return t;
}

// Position just past the closing tag of raw-text element `name` from `pos`, or the end.
std::size_t skip_raw_text(std::string_view html, std::size_t pos, std::string_view name) {
    for (std::size_t i = html.find("</", pos); i != std::string_view::npos;
         i = html.find("</", i + 2)) {
        std::size_t j = 0;
        while (j < name.size() && i + 2 + j < html.size() && lower(html[i + 2 + j]) == name[j]) ++j;
        const std::size_t after = i + 2 + j;
        if (j == name.size() && (after == html.size() || is_html_space(html[after]) ||
                                 html[after] == '>' || html[after] == '/')) {
            const std::size_t close = html.find('>', after);
            return close == std::string_view::npos ? html.size() : close + 1;
        }
    }
    return html.size();
}

bool starts_tag(std::string_view html, std::size_t i) {
    if (i + 1 >= html.size()) return false;
    if (is_ascii_alpha(html[i + 1])) return true;
    return html[i + 1] == '/' && i + 2 < html.size() && is_ascii_alpha(html[i + 2]);
}

// The URL as it goes into the feed, or "" to drop the attribute.
std::string safe_url(std::string_view element, std::string_view attribute_name,
                     std::string_view value, std::string_view base) {
    // Browsers strip surrounding blanks and controls and every tab and newline inside.
    std::string url;
    for (char c : value)
        if (c != '\t' && c != '\n' && c != '\r') url += c;
    const auto blank = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
    while (!url.empty() && blank(url.back())) url.pop_back();
    const auto first = std::find_if_not(url.begin(), url.end(), blank);
    url.erase(url.begin(), first);

    std::size_t colon = 0;
    while (colon < url.size() &&
           (is_ascii_alpha(url[colon]) ||
            (colon > 0 && ((url[colon] >= '0' && url[colon] <= '9') || url[colon] == '+' ||
                           url[colon] == '-' || url[colon] == '.'))))
        ++colon;
    if (colon == 0 || colon == url.size() || url[colon] != ':') return resolve_url(base, url);
    std::string scheme;
    for (std::size_t i = 0; i < colon; ++i) scheme += lower(url[i]);
    if (scheme == "http" || scheme == "https") return url;
    if (scheme == "mailto" && attribute_name == "href") return url;
    if (scheme == "data" && element == "img" && attribute_name == "src") {
        std::string head;
        for (std::size_t i = colon + 1; i < url.size() && url[i] != ';' && url[i] != ','; ++i)
            head += lower(url[i]);
        // Not SVG: an SVG image can carry script.
        if (contains({"image/png", "image/gif", "image/jpeg", "image/webp"}, head)) return url;
    }
    return "";
}

void append_tag(std::string& out, const tag& t, std::string_view base) {
    if (t.closing) {
        if (!void_element(t.name)) out += "</" + t.name + ">";
        return;
    }
    out += "<" + t.name;
    for (const attribute& a : t.attributes) {
        if (!allowed_attribute(t.name, a.name)) continue;
        std::string value = a.value;
        if (url_attribute(a.name)) {
            value = safe_url(t.name, a.name, a.value, base);
            if (value.empty()) continue;
        }
        out += " " + a.name + "=\"";
        append_html_escaped(out, value);
        out += "\"";
    }
    out += ">";
}

// "https://host" of an absolute URL, and where its path starts.
std::size_t authority_end(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return 0;
    const std::size_t path = url.find_first_of("/?#", scheme_end + 3);
    return path == std::string_view::npos ? url.size() : path;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    std::size_t pos = 0;
    const bool absolute = path.starts_with('/');
    if (absolute) pos = 1;
    bool trailing_slash = false;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        const std::string_view segment = path.substr(pos, slash - pos);
        const bool last = slash == path.size();
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
            trailing_slash = true;
        } else if (segment == ".") {
            trailing_slash = true;
        } else {
            kept.push_back(segment);
            trailing_slash = false;
        }
        if (last) break;
        pos = slash + 1;
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0) out += '/';
        out += kept[i];
    }
    if (trailing_slash && !out.empty() && out.back() != '/') out += '/';
    return out;
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view ref) {
    // Absolute already: a scheme before any '/', '?' or '#'.
    const std::size_t colon = ref.find(':');
    if (colon != std::string_view::npos && colon > 0 && is_ascii_alpha(ref[0]) &&
        ref.find_first_of("/?#") > colon)
        return std::string(ref);
    const std::size_t authority = authority_end(base);
    const std::string_view origin = base.substr(0, authority);
    std::string_view base_rest = base.substr(authority);
    const std::string_view base_path = base_rest.substr(0, base_rest.find_first_of("?#"));
    if (ref.starts_with("//"))
        return std::string(base.substr(0, base.find(':') + 1)) + std::string(ref);
    if (ref.empty()) return std::string(base.substr(0, base.find('#')));
    if (ref.starts_with('#')) return std::string(base.substr(0, base.find('#'))) + std::string(ref);
    if (ref.starts_with('?'))
        return std::string(origin) + std::string(base_path) + std::string(ref);
    const std::size_t path_end = ref.find_first_of("?#");
    const std::string_view ref_path = ref.substr(0, path_end);
    const std::string_view ref_tail =
        path_end == std::string_view::npos ? std::string_view{} : ref.substr(path_end);
    std::string merged;
    if (ref_path.starts_with('/')) {
        merged = ref_path;
    } else {
        const std::size_t last_slash = base_path.rfind('/');
        merged = last_slash == std::string_view::npos
                     ? "/"
                     : std::string(base_path.substr(0, last_slash + 1));
        merged += ref_path;
    }
    return std::string(origin) + remove_dot_segments(merged) + std::string(ref_tail);
}

std::string sanitize_feed_html(std::string_view html, std::string_view base) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    std::string skipping;  // a dropped element whose content is being skipped
    int depth = 0;         // nesting of `skipping` inside itself
    while (i < html.size()) {
        if (html[i] != '<') {
            const std::size_t next = std::min(html.find('<', i), html.size());
            if (skipping.empty()) out.append(html.substr(i, next - i));
            i = next;
            continue;
        }
        if (html.substr(i, 4) == "<!--") {
            const std::size_t end = html.find("-->", i + 4);
            i = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
            const std::size_t end = html.find('>', i);
            i = end == std::string_view::npos ? html.size() : end + 1;
            continue;
        }
        if (!starts_tag(html, i)) {
            if (skipping.empty()) out += "&lt;";
            ++i;
            continue;
        }
        const tag t = parse_tag(html, i);
        i = t.end;
        if (!skipping.empty()) {
            if (t.name == skipping) depth += t.closing ? -1 : 1;
            if (depth == 0) skipping.clear();
            continue;
        }
        if (t.closing) {
            if (allowed_element(t.name)) append_tag(out, t, base);
            continue;
        }
        if (dropped_with_content(t.name)) {
            const bool self_closed = html[t.end - 1] == '>' && t.end >= 2 && html[t.end - 2] == '/';
            if (raw_text(t.name)) {
                i = skip_raw_text(html, i, t.name);
            } else if (!self_closed && t.name != "embed" && t.name != "frame") {
                skipping = t.name;
                depth = 1;
            }
            continue;
        }
        if (allowed_element(t.name)) append_tag(out, t, base);
    }
    return out;
}

}  // namespace kade::indexer
