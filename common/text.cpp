#include "common/text.hpp"

#include <algorithm>
#include <vector>

namespace kade {

void append_html_escaped(std::string& out, std::string_view s, std::string_view also) {
    // Runs without a character to escape are appended whole: most of a text is one.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char* with = nullptr;
        switch (c) {
            case '&':
                with = "&amp;";
                break;
            case '<':
                with = "&lt;";
                break;
            case '>':
                with = "&gt;";
                break;
            case '"':
                if (also.find(c) != std::string_view::npos) with = "&quot;";
                break;
            case '\'':
                if (also.find(c) != std::string_view::npos) with = "&#39;";
                break;
            case '\n':
                // Inside a raw HTML block of Markdown a blank line would end the block.
                if (also.find(c) != std::string_view::npos) with = "&#10;";
                break;
            default:
                break;
        }
        if (with == nullptr) continue;
        out.append(s, run, i - run);
        out += with;
        run = i + 1;
    }
    out.append(s, run);
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t eol = std::min(text.find('\n'), text.size());
        lines.push_back(text.substr(0, eol));
        text.remove_prefix(std::min(eol + 1, text.size()));
    }
    return lines;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    append_html_escaped(out, s);
    return out;
}

namespace {

// JSON and TOML escape the same characters the same way: \uXXXX for the controls without a
// short form. They differ only in DEL (TOML forbids it raw) and in the case of the hex digits
// Kade has always written for each.
void append_string_escaped(std::string& out, std::string_view s, const char* hex, bool escape_del) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (u < 0x20 || (escape_del && u == 0x7F)) {
                    out += "\\u00";
                    out += hex[u >> 4];
                    out += hex[u & 15];
                } else {
                    out += c;
                }
        }
    }
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
    append_string_escaped(out, s, "0123456789abcdef", false);
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    append_json_escaped(out, s);
    out += '"';
}

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    append_string_escaped(out, s, "0123456789ABCDEF", true);
    return out + "\"";
}

char32_t decode_utf8(std::string_view s, size_t& pos) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        ++pos;
        return 0xFFFD;
    }
    if (pos + len > s.size()) {
        ++pos;
        return 0xFFFD;
    }
    for (size_t i = 1; i < len; ++i) {
        const unsigned char b = byte(pos + i);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++pos;
        return 0xFFFD;
    }
    pos += len;
    return cp;
}

bool is_valid_utf8(std::string_view s) {
    size_t pos = 0;
    while (pos < s.size()) {
        const size_t start = pos;
        const char32_t cp = decode_utf8(s, pos);
        // A literal U+FFFD is three bytes; a decoding error advances one.
        if (cp == 0xFFFD && pos - start != 3) return false;
    }
    return true;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < s.size(); ++n) decode_utf8(s, pos);
    return n;
}

std::string shorten_at_word(std::string_view text, std::size_t max_characters) {
    constexpr std::string_view ellipsis = "\u2026";
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    // One line, and where each code point starts, so the cut never splits one.
    std::string line;
    std::vector<std::size_t> starts;
    for (std::size_t pos = 0; pos < text.size();) {
        if (is_space(text[pos])) {
            while (pos < text.size() && is_space(text[pos])) ++pos;
            if (!line.empty() && pos < text.size()) starts.push_back(line.size()), line += ' ';
            continue;
        }
        const std::size_t begin = pos;
        decode_utf8(text, pos);
        starts.push_back(line.size());
        line.append(text.substr(begin, pos - begin));
    }
    if (starts.size() <= max_characters) return line;
    if (max_characters == 0) return "";
    // Room for the ellipsis: keep at most max - 1 code points, up to the last space among them.
    const std::size_t keep = max_characters - 1;
    std::size_t end = starts[keep];  // byte just past the kept code points
    const std::size_t space = line.rfind(' ', end);
    if (space != std::string::npos && space > 0) end = space;
    while (end > 0 && std::string_view(" ,;:.-").find(line[end - 1]) != std::string_view::npos)
        --end;
    line.resize(end);
    line += ellipsis;
    return line;
}

std::vector<std::string_view> split_views(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        const auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) break;
        s.remove_prefix(at + 1);
    }
    return out;
}

std::string percent_encode_path(std::string_view path) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (char c : path) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                          (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' || u == '~' ||
                          u == '/';
        if (keep) {
            out += c;
        } else {
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
    return out;
}

std::string hex64(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<size_t>(i)] = digits[v & 15];
        v >>= 4;
    }
    return out;
}

}  // namespace kade
