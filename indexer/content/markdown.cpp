#include "indexer/content/markdown.hpp"

#include <algorithm>
#include <cctype>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include <md4c-html.h>
#include <md4c.h>

#include "common/dutch.hpp"
#include "common/text.hpp"

namespace kade::indexer {
namespace {

// GitHub's dialect: tables, strikethrough, task lists and bare-URL autolinks. Raw HTML stays
// on: the author writes the posts, and Blogger posts carry inline HTML.
constexpr unsigned parser_flags = MD_DIALECT_GITHUB;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// The named entities that turn up in Dutch blog posts and in text pasted from word processors.
// md4c only reports names from the HTML5 list, so an unlisted one is still a real character;
// it stays as written rather than guessed.
struct named_entity {
    std::string_view name;
    char32_t code_point;
};
constexpr named_entity named_entities[] = {
    {"amp", U'&'},    {"lt", U'<'},     {"gt", U'>'},     {"quot", U'"'},   {"apos", U'\''},
    {"nbsp", U' '},   {"shy", 0},       {"copy", U'©'},   {"reg", U'®'},    {"trade", U'™'},
    {"euro", U'€'},   {"hellip", U'…'}, {"ndash", U'–'},  {"mdash", U'—'},  {"lsquo", U'‘'},
    {"rsquo", U'’'},  {"sbquo", U'‚'},  {"ldquo", U'“'},  {"rdquo", U'”'},  {"bdquo", U'„'},
    {"laquo", U'«'},  {"raquo", U'»'},  {"bull", U'•'},   {"middot", U'·'}, {"deg", U'°'},
    {"times", U'×'},  {"eacute", U'é'}, {"Eacute", U'É'}, {"egrave", U'è'}, {"Egrave", U'È'},
    {"ecirc", U'ê'},  {"euml", U'ë'},   {"Euml", U'Ë'},   {"aacute", U'á'}, {"agrave", U'à'},
    {"acirc", U'â'},  {"auml", U'ä'},   {"Auml", U'Ä'},   {"iacute", U'í'}, {"igrave", U'ì'},
    {"icirc", U'î'},  {"iuml", U'ï'},   {"Iuml", U'Ï'},   {"oacute", U'ó'}, {"ograve", U'ò'},
    {"ocirc", U'ô'},  {"ouml", U'ö'},   {"Ouml", U'Ö'},   {"uacute", U'ú'}, {"ugrave", U'ù'},
    {"ucirc", U'û'},  {"uuml", U'ü'},   {"Uuml", U'Ü'},   {"ccedil", U'ç'}, {"Ccedil", U'Ç'},
    {"ntilde", U'ñ'}, {"szlig", U'ß'},
};

// "&amp;", "&#233;", "&#xE9;" → UTF-8. Numeric references follow CommonMark: 0, surrogates
// and anything above U+10FFFF become U+FFFD.
void append_entity(std::string& out, std::string_view entity) {
    if (entity.size() < 3 || entity.front() != '&' || entity.back() != ';') {
        out += entity;
        return;
    }
    const std::string_view body = entity.substr(1, entity.size() - 2);
    if (body.front() == '#') {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const std::string_view digits = body.substr(hex ? 2 : 1);
        std::uint32_t value = 0;
        for (char c : digits) {
            unsigned digit = 0;
            if (c >= '0' && c <= '9') {
                digit = static_cast<unsigned>(c - '0');
            } else if (hex && c >= 'a' && c <= 'f') {
                digit = static_cast<unsigned>(c - 'a' + 10);
            } else if (hex && c >= 'A' && c <= 'F') {
                digit = static_cast<unsigned>(c - 'A' + 10);
            } else {
                out += entity;
                return;
            }
            value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + digit, 0x110000);
        }
        const bool valid = value != 0 && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);
        append_utf8(out, valid ? static_cast<char32_t>(value) : U'\uFFFD');
        return;
    }
    for (const named_entity& e : named_entities) {
        if (e.name == body) {
            if (e.code_point != 0) append_utf8(out, e.code_point);  // &shy; is invisible
            return;
        }
    }
    out += entity;
}

// Collects the plain text while md4c walks the document. Blocks are separated by a blank line;
// cells of a table row by a space, so a row reads as one line.
class text_collector {
  public:
    std::string text;
    std::optional<std::string> first_top_level_paragraph;
    std::optional<std::string> first_paragraph;

    struct heading_text {
        std::size_t offset;
        std::string text;
    };
    std::vector<heading_text> headings;
    std::string first_image;  // src of the first Markdown image, entities decoded

    void enter_image(const MD_SPAN_IMG_DETAIL& img) {
        if (!first_image.empty()) return;
        const MD_ATTRIBUTE& src = img.src;
        for (unsigned i = 0; src.substr_offsets[i] < src.size; ++i) {
            const std::string_view part(src.text + src.substr_offsets[i],
                                        src.substr_offsets[i + 1] - src.substr_offsets[i]);
            if (src.substr_types[i] == MD_TEXT_ENTITY) {
                append_entity(first_image, part);
            } else if (src.substr_types[i] == MD_TEXT_NORMAL) {
                first_image += part;
            }
        }
    }

    void enter_block(MD_BLOCKTYPE type) {
        separate(type == MD_BLOCK_TH || type == MD_BLOCK_TD ? separator::space
                                                            : separator::blank_line);
        if (type == MD_BLOCK_H) heading_start_ = text.size();
        if (type == MD_BLOCK_P) {
            paragraph_.clear();
            in_top_level_paragraph_ = blocks_.size() == 1;  // only MD_BLOCK_DOC around it
        }
        if (type == MD_BLOCK_CODE) in_code_block_ = true;
        blocks_.push_back(type);
    }

    void leave_block(MD_BLOCKTYPE type) {
        if (!blocks_.empty()) blocks_.pop_back();
        if (type == MD_BLOCK_H) {
            // The heading's text begins after the blank line that separates it, if any.
            std::size_t begin = heading_start_;
            while (begin < text.size() && text[begin] == '\n') ++begin;
            headings.push_back({begin, text.substr(begin)});
        }
        if (type == MD_BLOCK_CODE) {
            in_code_block_ = false;
            trim_trailing_space();
        }
        if (type == MD_BLOCK_P) {
            // A paragraph without text (an image with no alt, inline HTML only) is no summary.
            if (!paragraph_.empty()) {
                if (in_top_level_paragraph_ && !first_top_level_paragraph) {
                    first_top_level_paragraph = paragraph_;
                }
                if (!first_paragraph) first_paragraph = paragraph_;
            }
        }
        if (type != MD_BLOCK_TH && type != MD_BLOCK_TD) separate(separator::blank_line);
    }

    void add_text(MD_TEXTTYPE type, std::string_view s) {
        switch (type) {
            case MD_TEXT_HTML:
                // Inline tags are markup only (their text comes as text). A raw HTML block —
                // a table, a figure kept from Blogger — holds its words inside the markup.
                if (!blocks_.empty() && blocks_.back() == MD_BLOCK_HTML) append_html_words(s);
                return;
            case MD_TEXT_SOFTBR:
            case MD_TEXT_BR:
                append(" ");
                return;
            case MD_TEXT_NULLCHAR:
                append("\xEF\xBF\xBD");
                return;
            case MD_TEXT_ENTITY: {
                std::string decoded;
                append_entity(decoded, s);
                append(decoded);
                return;
            }
            case MD_TEXT_CODE:
                if (in_code_block_) {
                    // Lines of a code block become one line, so "\n\n" only ever separates
                    // blocks.
                    std::string line(s);
                    std::replace(line.begin(), line.end(), '\n', ' ');
                    append(line);
                    return;
                }
                append(s);
                return;
            default:
                append(s);
                return;
        }
    }

  private:
    enum class separator { none, space, blank_line };

    // The words of raw HTML: tags separate words, script and style hold none, references are
    // decoded.
    void append_html_words(std::string_view html) {
        std::string words;
        for (std::size_t i = 0; i < html.size();) {
            if (html[i] == '<') {
                const std::size_t close = html.find('>', i);
                if (close == std::string_view::npos) break;
                std::string name;
                for (std::size_t j = i + 1;
                     j < close && std::isalpha(static_cast<unsigned char>(html[j])); ++j)
                    name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j])));
                i = close + 1;
                if (name == "script" || name == "style") {
                    const std::size_t end = html.find("</", i);
                    i = end == std::string_view::npos ? html.size() : end;
                }
                words += ' ';
            } else if (html[i] == '&') {
                const std::size_t semi = html.find(';', i);
                if (semi != std::string_view::npos && semi - i <= 32) {
                    append_entity(words, html.substr(i, semi - i + 1));
                    i = semi + 1;
                } else {
                    words += html[i++];
                }
            } else {
                const char c = html[i++];
                words += c == '\n' || c == '\t' || c == '\r' ? ' ' : c;
            }
        }
        std::string collapsed;
        for (char c : words) {
            if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
            collapsed += c;
        }
        while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
        if (collapsed.empty()) return;
        separate(separator::space);
        append(collapsed);
    }

    void separate(separator s) { pending_ = std::max(pending_, s); }

    void append(std::string_view s) {
        if (s.empty()) return;
        if (!text.empty() && pending_ != separator::none) {
            text += pending_ == separator::space ? " " : "\n\n";
        }
        pending_ = separator::none;
        text += s;
        if (!blocks_.empty() && blocks_.back() == MD_BLOCK_P) paragraph_ += s;
    }

    void trim_trailing_space() {
        while (!text.empty() && text.back() == ' ') text.pop_back();
    }

    std::vector<MD_BLOCKTYPE> blocks_;
    std::string paragraph_;
    separator pending_ = separator::none;
    bool in_top_level_paragraph_ = false;
    bool in_code_block_ = false;
    std::size_t heading_start_ = 0;
};

// "Wat kost het?" → "wat-kost-het": folded, lowercase ASCII letters and digits joined by '-'.
std::string heading_slug(std::string_view text) {
    std::string id;
    for (char c : dutch::fold(text)) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            id += c;
        } else if (!id.empty() && id.back() != '-') {
            id += '-';
        }
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id.empty() ? "kop" : id;
}

// Gives md4c's "<hN>" tags their ids, in document order. md4c writes headings as exactly
// "<h1>" … "<h6>"; when the count differs from the headings md4c reported (a raw HTML heading
// in the post), no ids are given rather than wrong ones.
bool add_heading_ids(std::string& html, const std::vector<heading>& headings) {
    std::vector<std::size_t> at;
    for (std::size_t pos = html.find("<h"); pos != std::string::npos;
         pos = html.find("<h", pos + 2)) {
        if (pos + 3 < html.size() && html[pos + 2] >= '1' && html[pos + 2] <= '6' &&
            html[pos + 3] == '>')
            at.push_back(pos + 3);
    }
    if (at.size() != headings.size()) return false;
    for (std::size_t i = at.size(); i-- > 0;) html.insert(at[i], " id=\"" + headings[i].id + "\"");
    return true;
}

int on_enter_block(MD_BLOCKTYPE type, void*, void* user) {
    static_cast<text_collector*>(user)->enter_block(type);
    return 0;
}
int on_leave_block(MD_BLOCKTYPE type, void*, void* user) {
    static_cast<text_collector*>(user)->leave_block(type);
    return 0;
}
int on_enter_span(MD_SPANTYPE type, void* detail, void* user) {
    if (type == MD_SPAN_IMG)
        static_cast<text_collector*>(user)->enter_image(*static_cast<MD_SPAN_IMG_DETAIL*>(detail));
    return 0;
}
int on_leave_span(MD_SPANTYPE, void*, void*) {
    return 0;
}
int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
    static_cast<text_collector*>(user)->add_text(type, std::string_view(text, size));
    return 0;
}

void append_html(const MD_CHAR* text, MD_SIZE size, void* user) {
    static_cast<std::string*>(user)->append(text, size);
}

}  // namespace

rendered_markdown render_markdown(std::string_view markdown) {
    if (markdown.starts_with(utf8_bom)) markdown.remove_prefix(utf8_bom.size());
    const auto size = static_cast<MD_SIZE>(markdown.size());

    rendered_markdown out;
    out.html.reserve(markdown.size() + markdown.size() / 4);
    // md4c fails only when it cannot allocate.
    if (md_html(markdown.data(), size, append_html, &out.html, parser_flags, 0) != 0) {
        throw std::bad_alloc();
    }

    text_collector collector;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = parser_flags;
    parser.enter_block = on_enter_block;
    parser.leave_block = on_leave_block;
    parser.enter_span = on_enter_span;
    parser.leave_span = on_leave_span;
    parser.text = on_text;
    if (md_parse(markdown.data(), size, &parser, &collector) != 0) throw std::bad_alloc();

    out.text = std::move(collector.text);
    out.first_image = std::move(collector.first_image);
    std::vector<std::string> taken;
    for (const auto& h : collector.headings) {
        std::string id = heading_slug(h.text);
        const std::string base = id;
        for (int n = 2; std::find(taken.begin(), taken.end(), id) != taken.end(); ++n)
            id = base + "-" + std::to_string(n);
        taken.push_back(id);
        out.headings.push_back({h.offset, std::move(id)});
    }
    if (!add_heading_ids(out.html, out.headings)) out.headings.clear();
    // Prefer the post's own opening paragraph over one inside a quote or list.
    if (collector.first_top_level_paragraph) {
        out.first_paragraph = std::move(*collector.first_top_level_paragraph);
    } else if (collector.first_paragraph) {
        out.first_paragraph = std::move(*collector.first_paragraph);
    }
    return out;
}

}  // namespace kade::indexer
