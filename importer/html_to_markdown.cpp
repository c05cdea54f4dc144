#include "importer/html_to_markdown.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "common/text.hpp"
#include "importer/html.hpp"

namespace kade::blogger {
namespace {

// A <br> while a paragraph is being built; resolved into a hard break, a paragraph break or
// nothing once the paragraph is complete (flush).
constexpr char br_mark = '\x1e';
// Stands for "some text before" at the start of a scratch buffer, so leading blanks survive.
constexpr char start_mark = '\x1f';

template <size_t N>
bool one_of(std::string_view name, const std::string_view (&names)[N]) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Kept as raw HTML blocks: Markdown has nothing for them.
bool is_raw_block(std::string_view n) {
    static constexpr std::string_view names[] = {
        "table", "iframe", "video", "audio", "object", "embed",    "script", "style", "noscript",
        "form",  "canvas", "svg",   "math",  "dl",     "textarea", "select", "map"};
    return one_of(n, names);
}

// Blocks whose content becomes paragraphs of their own.
bool is_container(std::string_view n) {
    static constexpr std::string_view names[] = {
        "p",       "div",  "center",  "section",  "article",    "header",  "footer",  "main",
        "aside",   "nav",  "address", "figure",   "figcaption", "details", "summary", "li",
        "dd",      "dt",   "tbody",   "thead",    "tfoot",      "tr",      "td",      "th",
        "caption", "body", "html",    "fieldset", "legend"};
    return one_of(n, names);
}

bool is_heading(std::string_view n) {
    return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6';
}

bool is_block(std::string_view n) {
    return is_container(n) || is_heading(n) || is_raw_block(n) || n == "ul" || n == "ol" ||
           n == "blockquote" || n == "pre" || n == "hr";
}

// Presentational wrappers (and Word's <o:p>): their content stays, the tags go.
bool is_transparent(const html_node& n) {
    if (n.name == "span" || n.name == "font" || n.name == "#root" || n.name == "nobr") return true;
    if (n.name.find(':') != std::string::npos) return true;
    if (n.name == "a") {
        const std::string* href = n.attribute("href");
        return !href || href->empty() || href->rfind("javascript:", 0) == 0;
    }
    return false;
}

bool is_emphasis(std::string_view n) {
    return n == "b" || n == "strong" || n == "i" || n == "em";
}

bool has_block_descendant(const html_node& n) {
    for (const auto& c : n.children)
        if (!c.is_text && (is_block(c.name) || has_block_descendant(c))) return true;
    return false;
}

// What a character is to CommonMark's emphasis rules.
enum class char_class { none, space, punct, other };

char_class classify(char32_t c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == static_cast<char32_t>(br_mark) ||
        c == 0xA0)
        return char_class::space;
    if (c < 0x80) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return alnum || c == static_cast<char32_t>(start_mark) ? char_class::other
                                                               : char_class::punct;
    }
    if (c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB || c == 0xBF ||
        (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
        (c >= 0x3000 && c <= 0x303F))
        return char_class::punct;
    return char_class::other;
}

char_class first_class_of(std::string_view s) {
    if (s.empty()) return char_class::none;
    size_t pos = 0;
    return classify(decode_utf8(s, pos));
}

char_class last_class_of(std::string_view s) {
    if (s.empty()) return char_class::space;  // the start of a block
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    return classify(decode_utf8(s, start));
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_html_space(std::string_view s, size_t i, size_t& width) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        width = 1;
        return true;
    }
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // no-break space
        width = 2;
        return true;
    }
    return false;
}

bool is_zero_width(std::string_view s, size_t i, size_t& width) {
    // U+200B zero width space, U+FEFF byte order mark: invisible debris from editors.
    if (s.compare(i, 3, "\xE2\x80\x8B") == 0 || s.compare(i, 3, "\xEF\xBB\xBF") == 0) {
        width = 3;
        return true;
    }
    return false;
}

bool ends_blank(const std::string& out) {
    return out.empty() || out.back() == ' ' || out.back() == br_mark || out.back() == '\n';
}

// "&name;" or "&#…;" would be read back as a character reference.
bool looks_like_reference(std::string_view s, size_t amp) {
    size_t i = amp + 1;
    if (i < s.size() && s[i] == '#') ++i;
    const size_t start = i;
    while (i < s.size() && is_ascii_alnum(s[i])) ++i;
    return i > start && i < s.size() && s[i] == ';';
}

// Text as Markdown: HTML whitespace collapsed, characters with a meaning escaped.
void append_text(std::string& out, std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t width = 1;
        if (is_html_space(s, i, width)) {
            if (!ends_blank(out)) out += ' ';
            i += width;
            continue;
        }
        if (is_zero_width(s, i, width)) {
            i += width;
            continue;
        }
        const char c = s[i];
        switch (c) {
            case '\\':
            case '`':
            case '*':
            case '[':
            case ']':
            case '<':
            case '~':
                out += '\\';
                break;
            case '_': {
                // snake_case stays readable; only an '_' that could open or close emphasis.
                const bool inside_word = !out.empty() && is_ascii_alnum(out.back()) &&
                                         i + 1 < s.size() && is_ascii_alnum(s[i + 1]);
                if (!inside_word) out += '\\';
                break;
            }
            case '&':
                if (looks_like_reference(s, i)) out += '\\';
                break;
            default:
                break;
        }
        out += c;
        ++i;
    }
}

std::string collapse_spaces(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        size_t width = 1;
        if (is_html_space(s, i, width)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else if (!is_zero_width(s, i, width)) {
            out.append(s.substr(i, width));
        }
        i += width;
    }
    return out;
}

std::string trim_spaces(std::string_view s) {
    const size_t b = s.find_first_not_of(' ');
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(' ') - b + 1));
}

// A link or image destination: characters that would end or break it are percent-encoded.
std::string destination(std::string_view url) {
    std::string out;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || c == '(' || c == ')' || c == '<' || c == '>' || u == 0x7F) {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

// A line of paragraph text that Markdown would read as the start of a block gets its first
// character escaped; the converter itself never starts a line with these.
std::string escape_line_start(std::string line) {
    if (line.empty()) return line;
    if (std::string_view("#>-+=|:").find(line[0]) != std::string_view::npos) return "\\" + line;
    size_t digits = 0;
    while (digits < line.size() && digits < 10 && line[digits] >= '0' && line[digits] <= '9')
        ++digits;
    if (digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')'))
        line.insert(digits, "\\");
    return line;
}

void append_plain_text(const html_node& n, std::string& out) {
    for (const auto& c : n.children) {
        if (c.is_text)
            out += c.text;
        else if (c.name == "br")
            out += '\n';
        else
            append_plain_text(c, out);
    }
}

struct md_block {
    std::string text;
    bool list = false;
};

// What a post refers to within itself: the ids its links point at ("#r1", footnotes) and
// the classes its own <style> styles. Elements carrying them keep them, or the link and the
// style would point at nothing.
struct post_refs {
    std::set<std::string> targets;
    std::set<std::string> styled_classes;
};

void collect_classes(std::string_view css, std::set<std::string>& out) {
    for (size_t i = 0; i < css.size(); ++i) {
        if (css[i] != '.') continue;
        size_t j = i + 1;
        while (j < css.size() && (is_ascii_alnum(css[j]) || css[j] == '-' || css[j] == '_')) ++j;
        if (j > i + 1 && !(i > 0 && is_ascii_alnum(css[i - 1])))  // not "1.5em"
            out.insert(std::string(css.substr(i + 1, j - i - 1)));
        i = j - 1;
    }
}

void collect_refs(const html_node& n, post_refs& refs) {
    if (n.is_text) return;
    if (const std::string* href = n.attribute("href");
        href && n.name == "a" && href->size() > 1 && (*href)[0] == '#')
        refs.targets.insert(href->substr(1));
    if (n.name == "style")
        for (const auto& c : n.children)
            if (c.is_text) collect_classes(c.text, refs.styled_classes);
    for (const auto& c : n.children) collect_refs(c, refs);
}

bool has_styled_class(const html_node& n, const post_refs& refs) {
    const std::string* cls = n.attribute("class");
    if (!cls || refs.styled_classes.empty()) return false;
    size_t pos = 0;
    while (pos < cls->size()) {
        const size_t space = cls->find(' ', pos);
        const size_t end = space == std::string::npos ? cls->size() : space;
        if (end > pos && refs.styled_classes.count(cls->substr(pos, end - pos))) return true;
        pos = end + 1;
    }
    return false;
}

// An anchor for an id a link points at: "<a id="r1"></a>".
std::string anchor_for(const html_node& n, const post_refs& refs) {
    const std::string* id = n.attribute("id");
    if (!id || id->empty() || !refs.targets.count(*id)) return {};
    std::string out = "<a id=\"";
    append_html_escaped(out, *id, "\"\n");
    return out + "\"></a>";
}

// A block of paragraph text (not a heading, list, quote, fence, table or raw HTML).
bool starts_paragraph(std::string_view text) {
    return !text.empty() &&
           std::string_view("#`>-|<*+~=0123456789 ").find(text[0]) == std::string_view::npos;
}

// Link text that md4c's autolink extension would turn into a second link inside the first:
// the characters that start one are written as character references.
std::string without_autolinks(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "://") == 0) {
            out += "&#58;//";
            i += 2;
        } else if ((i == 0 || !is_ascii_alnum(text[i - 1])) && text.compare(i, 4, "www.") == 0) {
            out += "www&#46;";
            i += 3;
        } else if (text[i] == '@') {
            out += "&#64;";
        } else {
            out += text[i];
        }
    }
    return out;
}

class converter {
  public:
    converter(const url_rewriter& rewrite, const post_refs& refs)
        : rewrite_(rewrite), refs_(refs) {}

    std::vector<md_block> container(const html_node& n) {
        state st;
        walk(n, st, char_class::space);
        flush(st);
        return std::move(st.blocks);
    }

  private:
    struct state {
        std::string buf;
        std::vector<md_block> blocks;
    };

    std::string rewrite(const std::string& url, bool image) const {
        return rewrite_ ? rewrite_(url, image) : url;
    }

    void walk(const html_node& parent, state& st, char_class outer) {
        const auto& kids = parent.children;
        for (size_t i = 0; i < kids.size(); ++i) {
            const html_node& c = kids[i];
            if (c.is_text) {
                append_text(st.buf, c.text);
            } else if (is_block(c.name)) {
                flush(st);
                const size_t first = st.blocks.size();
                if (has_styled_class(c, refs_) && c.name != "table") {
                    std::string raw;
                    raw_html(c, raw, true);
                    st.blocks.push_back({std::move(raw)});
                } else {
                    block(c, st.blocks);
                }
                // A footnote's target: an anchor at the start of the block's first paragraph,
                // or of its own before a block that cannot start with one.
                if (std::string a = anchor_for(c, refs_); !a.empty()) {
                    if (first < st.blocks.size() && !st.blocks[first].list &&
                        starts_paragraph(st.blocks[first].text))
                        st.blocks[first].text.insert(0, a);
                    else
                        st.blocks.insert(st.blocks.begin() + static_cast<std::ptrdiff_t>(first),
                                         md_block{std::move(a)});
                }
            } else if ((is_transparent(c) && !has_styled_class(c, refs_)) ||
                       (is_emphasis(c.name) && has_block_descendant(c))) {
                st.buf += anchor_for(c, refs_);
                // An emphasis around whole blocks cannot be Markdown; its blocks still are.
                walk(c, st, hint_after(kids, i, outer));
            } else {
                inline_node(c, st.buf, hint_after(kids, i, outer));
            }
        }
    }

    // The paragraph built so far → blocks. One <br> is a hard line break; two or more in a
    // row (Blogger's way of starting a paragraph) are a paragraph break; at either end of a
    // paragraph they are nothing.
    void flush(state& st) {
        std::vector<std::string> lines;
        auto end_paragraph = [&] {
            if (lines.empty()) return;
            std::string text;
            for (size_t i = 0; i < lines.size(); ++i) {
                if (i) text += "\\\n";
                text += escape_line_start(lines[i]);
            }
            st.blocks.push_back({std::move(text)});
            lines.clear();
        };
        size_t start = 0;
        while (start <= st.buf.size()) {
            size_t stop = st.buf.find(br_mark, start);
            if (stop == std::string::npos) stop = st.buf.size();
            std::string segment = trim_spaces(std::string_view(st.buf).substr(start, stop - start));
            if (segment.empty())
                end_paragraph();
            else
                lines.push_back(std::move(segment));
            start = stop + 1;
        }
        end_paragraph();
        st.buf.clear();
    }

    void block(const html_node& n, std::vector<md_block>& out) {
        const std::string& name = n.name;
        if (name == "table") {
            // Blogger's image captions are a table around the image and its caption.
            const std::string* cls = n.attribute("class");
            if (cls && cls->find("tr-caption-container") != std::string::npos) {
                for (auto& b : container(n)) out.push_back(std::move(b));
                return;
            }
        }
        if (is_raw_block(name)) {
            std::string raw;
            raw_html(n, raw, true);
            out.push_back({std::move(raw)});
        } else if (is_heading(name)) {
            std::string text(1, start_mark);
            inline_children(n, text, char_class::space);
            text.erase(0, 1);
            std::replace(text.begin(), text.end(), br_mark, ' ');
            text = trim_spaces(collapse_spaces(text));
            if (text.empty()) return;
            if (text.back() == '#') text.insert(text.size() - 1, "\\");  // not a closing run
            out.push_back({std::string(static_cast<size_t>(name[1] - '0'), '#') + " " + text});
        } else if (name == "ul" || name == "ol") {
            list(n, out);
        } else if (name == "blockquote") {
            const std::string inner = join(container(n), false);
            if (inner.empty()) return;
            std::string text = "> ";
            for (char c : inner) {
                if (c == '\n')
                    text += "\n> ";
                else
                    text += c;
            }
            // An empty quoted line is ">" without the trailing blank.
            std::string cleaned;
            for (size_t i = 0; i < text.size(); ++i) {
                if (text[i] == ' ' && i > 0 && text[i - 1] == '>' &&
                    (i + 1 == text.size() || text[i + 1] == '\n'))
                    continue;
                cleaned += text[i];
            }
            out.push_back({std::move(cleaned)});
        } else if (name == "pre") {
            std::string code;
            append_plain_text(n, code);
            if (code.find_first_not_of(" \t\r\n") == std::string::npos) return;
            if (code.front() == '\n') code.erase(0, 1);
            if (code.back() != '\n') code += '\n';
            size_t longest = 0, run = 0;
            for (char c : code) {
                run = c == '`' ? run + 1 : 0;
                longest = std::max(longest, run);
            }
            const std::string fence(std::max<size_t>(3, longest + 1), '`');
            out.push_back({fence + "\n" + code + fence});
        } else if (name == "hr") {
            out.push_back({"---"});
        } else {
            for (auto& b : container(n)) out.push_back(std::move(b));
        }
    }

    // Blocks of one list item or quote. In a list item a nested list follows its text
    // directly, so the list stays tight.
    static std::string join(const std::vector<md_block>& blocks, bool in_list_item) {
        std::string out;
        for (size_t i = 0; i < blocks.size(); ++i) {
            if (i) out += in_list_item && blocks[i].list ? "\n" : "\n\n";
            out += blocks[i].text;
        }
        return out;
    }

    void list(const html_node& n, std::vector<md_block>& out) {
        const bool ordered = n.name == "ol";
        long number = 1;
        if (const std::string* start = n.attribute("start")) {
            try {
                number = std::clamp(std::stol(*start), 0L, 999999999L);
            } catch (...) {
                number = 1;
            }
        }
        std::string text;
        for (const auto& c : n.children) {
            std::vector<md_block> blocks;
            if (!c.is_text && c.name == "li") {
                blocks = container(c);
            } else {
                html_node item;
                item.name = "li";
                item.children.push_back(c);
                blocks = container(item);
            }
            const std::string body = join(blocks, true);
            if (body.empty()) continue;
            const std::string marker = ordered ? std::to_string(number++) + ". " : "- ";
            if (!text.empty()) text += '\n';
            text += marker;
            const std::string indent(marker.size(), ' ');
            for (size_t i = 0; i < body.size(); ++i) {
                text += body[i];
                if (body[i] == '\n' && i + 1 < body.size() && body[i + 1] != '\n') text += indent;
            }
        }
        if (!text.empty()) out.push_back({std::move(text), true});
    }

    void inline_children(const html_node& n, std::string& out, char_class outer) {
        const auto& kids = n.children;
        for (size_t i = 0; i < kids.size(); ++i) {
            if (kids[i].is_text)
                append_text(out, kids[i].text);
            else
                inline_node(kids[i], out, hint_after(kids, i, outer));
        }
    }

    void inline_node(const html_node& n, std::string& out, char_class next) {
        const std::string& name = n.name;
        out += anchor_for(n, refs_);
        if (name == "br") {
            out += br_mark;
        } else if (name == "img") {
            image(n, out);
        } else if (is_transparent(n) && !has_styled_class(n, refs_)) {
            inline_children(n, out, next);
        } else if (name == "a" && !is_transparent(n)) {
            link(n, out);
        } else if (name == "b" || name == "strong") {
            emphasis(n, out, next, "**", "strong");
        } else if (name == "i" || name == "em") {
            emphasis(n, out, next, "*", "em");
        } else if (name == "code" || name == "tt") {
            code_span(n, out);
        } else if (is_raw_block(name)) {
            raw_html(n, out, false);
        } else if (is_block(name)) {
            // A block inside a link or emphasis: keep its text on lines of its own.
            out += br_mark;
            inline_children(n, out, char_class::space);
            out += br_mark;
        } else {
            // <u>, <sup>, <s>, <abbr>, ... and anything unknown: the tags stay as raw HTML,
            // their content is converted.
            open_tag(n, out);
            if (is_void_element(name)) return;
            inline_children(n, out, char_class::punct);
            out += "</" + name + ">";
        }
    }

    // Splits a converted fragment into leading blanks, content and trailing blanks.
    static void split_blanks(const std::string& s, std::string& lead, std::string& core,
                             std::string& trail) {
        auto blank = [](char c) { return c == ' ' || c == br_mark; };
        size_t b = 0;
        while (b < s.size() && blank(s[b])) ++b;
        size_t e = s.size();
        while (e > b && blank(s[e - 1])) --e;
        lead = s.substr(0, b);
        core = s.substr(b, e - b);
        trail = s.substr(e);
    }

    static void append_blanks(std::string& out, const std::string& blanks) {
        for (char c : blanks)
            if (c == br_mark || !ends_blank(out)) out += c;
    }

    void emphasis(const html_node& n, std::string& out, char_class next, std::string_view delim,
                  std::string_view tag) {
        std::string inner(1, start_mark);
        inline_children(n, inner, next);
        inner.erase(0, 1);
        // Emphasis cannot span a paragraph break, so each line between <br>s gets its own.
        size_t pos = 0;
        while (true) {
            const size_t br = inner.find(br_mark, pos);
            const bool last = br == std::string::npos;
            emphasize(out, inner.substr(pos, last ? std::string::npos : br - pos),
                      last ? next : char_class::space, delim, tag);
            if (last) break;
            out += br_mark;
            pos = br + 1;
        }
    }

    static void emphasize(std::string& out, const std::string& text, char_class next,
                          std::string_view delim, std::string_view tag) {
        std::string lead, core, trail;
        split_blanks(text, lead, core, trail);
        append_blanks(out, lead);
        if (core.empty()) {
            append_blanks(out, trail);
            return;
        }
        // CommonMark only reads "**" as emphasis when it is left-flanking (opening) and
        // right-flanking (closing); where the neighbours forbid that, HTML tags still work.
        const char_class before = last_class_of(out);
        const char_class after = trail.empty() ? next : char_class::space;
        const bool opens = first_class_of(core) != char_class::punct ||
                           before == char_class::space || before == char_class::punct;
        const bool closes = last_class_of(core) != char_class::punct ||
                            after == char_class::space || after == char_class::punct ||
                            after == char_class::none;
        const bool glued = !out.empty() && out.back() == '*';
        if (opens && closes && !glued) {
            out.append(delim).append(core).append(delim);
        } else {
            out.append("<").append(tag).append(">").append(core);
            out.append("</").append(tag).append(">");
        }
        append_blanks(out, trail);
    }

    void link(const html_node& n, std::string& out) {
        const std::string href = rewrite(*n.attribute("href"), false);
        std::string inner(1, start_mark);
        inline_children(n, inner, char_class::punct);
        inner.erase(0, 1);
        std::string lead, core, trail;
        split_blanks(inner, lead, core, trail);
        append_blanks(out, lead);
        if (!core.empty()) {
            // Text that is the address itself: an autolink, one <a> however many '&' it holds.
            const bool plain_url =
                (href.rfind("http://", 0) == 0 || href.rfind("https://", 0) == 0) &&
                href.find_first_of(" <>\"\\`") == std::string::npos &&
                collapse_spaces(text_of(n)) == href;
            if (plain_url)
                out += "<" + href + ">";
            else
                out += "[" + without_autolinks(core) + "](" + destination(href) + ")";
        }
        append_blanks(out, trail);
    }

    void image(const html_node& n, std::string& out) {
        const std::string* src = n.attribute("src");
        if (!src || src->empty()) return;
        std::string alt;
        if (const std::string* a = n.attribute("alt")) {
            for (char c : trim_spaces(collapse_spaces(*a))) {
                if (c == '[' || c == ']' || c == '\\') alt += '\\';
                alt += c;
            }
        }
        out += "![" + alt + "](" + destination(rewrite(*src, true)) + ")";
    }

    static void code_span(const html_node& n, std::string& out) {
        std::string code;
        append_plain_text(n, code);
        code = collapse_spaces(code);
        if (code.empty()) return;
        size_t longest = 0, run = 0;
        for (char c : code) {
            run = c == '`' ? run + 1 : 0;
            longest = std::max(longest, run);
        }
        const std::string fence(longest + 1, '`');
        const bool pad = code.front() == '`' || code.back() == '`' ||
                         (code.front() == ' ' && code.back() == ' ' && code.size() > 1);
        out += fence + (pad ? " " : "") + code + (pad ? " " : "") + fence;
    }

    void open_tag(const html_node& n, std::string& out) const {
        out += "<" + n.name;
        for (const auto& [k, v] : n.attributes) {
            std::string value = v;
            if ((k == "src" && n.name == "img") || (k == "href" && n.name == "a"))
                value = rewrite(v, n.name == "img");
            out += " " + k + "=\"";
            append_html_escaped(out, value, "\"\n");
            out += "\"";
        }
        out += ">";
    }

    // Raw HTML that Markdown passes through. As a block it never holds a blank line (which
    // would end the block), and its start tag stands alone on the first line so that
    // CommonMark takes the lines that follow as HTML too.
    void raw_html(const html_node& n, std::string& out, bool as_block) const {
        open_tag(n, out);
        if (is_void_element(n.name)) return;
        if (as_block && !n.children.empty()) out += '\n';
        for (const auto& c : n.children) {
            if (c.is_text) {
                if (n.name == "script" || n.name == "style")
                    out += c.text;
                else
                    append_html_escaped(out, collapse_spaces(c.text), "\n");
            } else {
                raw_html(c, out, false);
                if (as_block &&
                    (c.name == "tr" || c.name == "tbody" || c.name == "thead" || c.name == "tfoot"))
                    out += '\n';
            }
        }
        if (as_block && !out.empty() && out.back() != '\n' && !n.children.empty() &&
            (n.name == "table"))
            out += '\n';
        out += "</" + n.name + ">";
    }

    // The class of the first character this node would write, for the emphasis rules.
    static char_class first_class(const html_node& n) {
        if (n.is_text) {
            for (size_t i = 0; i < n.text.size();) {
                size_t width = 1;
                if (is_html_space(n.text, i, width)) return char_class::space;
                if (is_zero_width(n.text, i, width)) {
                    i += width;
                    continue;
                }
                size_t pos = i;
                return classify(decode_utf8(n.text, pos));
            }
            return char_class::none;
        }
        if (n.name == "br" || is_block(n.name)) return char_class::space;
        if (is_transparent(n)) {
            for (const auto& c : n.children)
                if (const char_class k = first_class(c); k != char_class::none) return k;
            return char_class::none;
        }
        return char_class::punct;  // "!" "[" "*" "`" "<"
    }

    static char_class hint_after(const std::vector<html_node>& kids, size_t i, char_class outer) {
        for (size_t j = i + 1; j < kids.size(); ++j)
            if (const char_class k = first_class(kids[j]); k != char_class::none) return k;
        return outer;
    }

    static std::string text_of(const html_node& n) {
        std::string out;
        append_plain_text(n, out);
        return out;
    }

    const url_rewriter& rewrite_;
    const post_refs& refs_;
};

void text_walk(const html_node& n, std::string& out, const url_rewriter& rewrite) {
    auto paragraph = [&] {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (!out.empty() && out.back() != '\n') out += '\n';
        if (out.size() >= 1 && (out.size() < 2 || out[out.size() - 2] != '\n')) out += '\n';
    };
    for (const auto& c : n.children) {
        if (c.is_text) {
            for (size_t i = 0; i < c.text.size();) {
                size_t width = 1;
                if (is_html_space(c.text, i, width)) {
                    if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
                } else if (!is_zero_width(c.text, i, width)) {
                    out.append(c.text, i, width);
                }
                i += width;
            }
        } else if (c.name == "br") {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += '\n';
        } else if (c.name == "script" || c.name == "style") {
            continue;
        } else if (c.name == "a" && c.attribute("href")) {
            std::string inner;
            text_walk(c, inner, rewrite);
            const std::string& original = *c.attribute("href");
            const std::string href = rewrite ? rewrite(original, false) : original;
            const bool linkable = href.rfind("http://", 0) == 0 || href.rfind("https://", 0) == 0 ||
                                  (href.size() > 1 && href[0] == '/' && href[1] != '/');
            if (linkable && (inner == original || inner.empty()))
                out += href;  // the address itself: written once, as it now is
            else if (linkable && inner != href)
                out += inner + " (" + href + ")";
            else
                out += inner;
        } else if (is_block(c.name)) {
            paragraph();
            text_walk(c, out, rewrite);
            paragraph();
        } else {
            text_walk(c, out, rewrite);
        }
    }
}

}  // namespace

std::string html_to_markdown(std::string_view html, const url_rewriter& rewrite) {
    const html_node root = parse_html(html);
    post_refs refs;
    collect_refs(root, refs);
    converter c(rewrite, refs);
    const std::vector<md_block> blocks = c.container(root);
    std::string out;
    for (const auto& b : blocks) {
        if (b.text.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out += b.text;
    }
    if (!out.empty()) out += '\n';
    return out;
}

std::string html_to_text(std::string_view html, const url_rewriter& rewrite) {
    std::string raw;
    text_walk(parse_html(html), raw, rewrite);
    // Lines trimmed, at most one blank line in a row, none at either end.
    std::string out;
    size_t start = 0;
    bool pending_blank = false;
    while (start <= raw.size()) {
        size_t stop = raw.find('\n', start);
        if (stop == std::string::npos) stop = raw.size();
        const std::string line = trim_spaces(std::string_view(raw).substr(start, stop - start));
        if (line.empty()) {
            pending_blank = !out.empty();
        } else {
            if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
            out += line;
            pending_blank = false;
        }
        start = stop + 1;
    }
    return out;
}

}  // namespace kade::blogger
