#include "server/http/target.hpp"

#include <array>

#include "common/text.hpp"

namespace kade::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// %XX at s[i] (s[i] == '%'); -1 when the two hex digits are missing.
int decode_escape(std::string_view s, std::size_t i) {
    if (i + 2 >= s.size()) return -1;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

constexpr bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

// scheme "://" for the schemes this server answers to, case-insensitively (RFC 3986 §3.1).
std::size_t scheme_prefix_length(std::string_view s) {
    const auto starts_with_nocase = [&](std::string_view prefix) {
        if (s.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i) {
            const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] + 32) : s[i];
            if (c != prefix[i]) return false;
        }
        return true;
    };
    if (starts_with_nocase("http://")) return 7;
    if (starts_with_nocase("https://")) return 8;
    return 0;
}

// Decodes %XX once and applies RFC 3986 §5.2.4 as far as a server needs: "." segments go,
// ".." is refused rather than resolved (no client sends one after its own normalisation, so
// it is a probe), and empty segments collapse. `raw` starts with '/'.
//
// Order matters: segments are judged after decoding, so "%2e%2e" is "..", but decoding
// happens once, so "%252e%252e" becomes the literal name "%2e%2e". An encoded slash "%2F"
// becomes a separator like '/': nothing here maps paths to files, no route needs a slash
// inside a segment, and treating both alike means "/a%2F..%2Fb" meets the ".." check instead
// of hiding from it. Labels containing '/' are therefore not addressable.
constexpr bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// `canonical` is cleared when the path's shape changed (see target::canonical).
std::optional<std::string> decode_and_normalise(std::string_view raw, bool& canonical) {
    std::string out;
    out.reserve(raw.size());
    out.push_back('/');
    std::size_t segment = 1;  // where the current segment starts in `out`

    // Ends the segment at out[segment..]: "." is dropped (leaving the '/' before it, so a
    // trailing "/." is "/"), ".." refuses the whole path.
    const auto close_segment = [&]() {
        const std::string_view name = std::string_view(out).substr(segment);
        if (name == "..") return false;
        if (name == ".") {
            out.resize(segment);
            canonical = false;
        }
        return true;
    };

    for (std::size_t i = 1; i < raw.size(); ++i) {
        auto c = static_cast<unsigned char>(raw[i]);
        if (c == '%') {
            const int v = decode_escape(raw, i);
            if (v < 0) return std::nullopt;
            c = static_cast<unsigned char>(v);
            i += 2;
            if (c == '/' || is_unreserved(c)) canonical = false;
        }
        // NUL and other controls, raw or decoded: no real path holds them, and a decoded
        // newline would reach logs and Location headers.
        if (is_control(c)) return std::nullopt;
        if (c == '/') {
            if (!close_segment()) return std::nullopt;
            if (out.size() != segment) {
                out.push_back('/');
                segment = out.size();
            } else {  // an empty segment is a "//" run: collapse it
                canonical = false;
            }
            continue;
        }
        out.push_back(static_cast<char>(c));
    }
    if (!close_segment()) return std::nullopt;
    if (!is_valid_utf8(out)) return std::nullopt;
    return out;
}

// application/x-www-form-urlencoded decoding of one name or value (WHATWG URL §5.1).
bool append_form_decoded(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            const int v = decode_escape(s, i);
            if (v < 0) return false;
            c = static_cast<char>(v);
            i += 2;
        }
        if (c == '\0') return false;
        out.push_back(c);
    }
    return is_valid_utf8(out);
}

// Visible ASCII that a path or query takes as it is: nothing to decode, nothing to refuse.
constexpr std::array<bool, 256> make_plain_table() {
    std::array<bool, 256> t{};
    for (int c = 0x21; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = true;
    for (char c : std::string_view("%?#\"<>\\^`{|}")) t[static_cast<unsigned char>(c)] = false;
    return t;
}
constexpr std::array<bool, 256> plain_table = make_plain_table();

// The request nearly every client sends: "/plain/path" with an optional plain query. Returns
// false to leave anything else to the general parser (which gives these the same result).
// One table-driven pass: the general byte-by-byte decoding cost more than the rest of a page
// request together (callgrind, bench/instr_per_request.sh).
bool parse_plain_target(std::string_view t, target& out) {
    if (t.empty() || t[0] != '/') return false;
    std::size_t i = 0;
    char prev = 0;
    for (; i < t.size(); ++i) {
        const char c = t[i];
        if (!plain_table[static_cast<unsigned char>(c)]) break;
        if (prev == '/' && (c == '/' || c == '.')) return false;  // "//", "/." and "/.."
        prev = c;
    }
    std::string_view query;
    if (i < t.size()) {
        if (t[i] != '?') return false;
        query = t.substr(i + 1);
        for (const char c : query)
            if (!plain_table[static_cast<unsigned char>(c)] && c != '%' && c != '?') return false;
    }
    out.path.assign(t.substr(0, i));
    out.query.assign(query);
    return true;
}

}  // namespace

std::optional<target> parse_target(std::string_view request_target) {
    if (target t; parse_plain_target(request_target, t)) return t;

    // A raw space would have ended the request-target in the request line (RFC 9112 §3);
    // controls and DEL are never valid in a URI (RFC 3986 §2). The query is checked too.
    for (char c : request_target) {
        const auto u = static_cast<unsigned char>(c);
        if (u == ' ' || is_control(u)) return std::nullopt;
    }

    // asterisk-form (RFC 9112 §3.2.4): only OPTIONS uses it; the caller decides.
    if (request_target == "*") return target{};

    std::string_view rest = request_target;
    bool absolute = false;
    // absolute-form (§3.2.2): servers MUST accept it; the authority is not ours to judge
    // beyond refusing what RFC 9110 §4.2.1 and §4.2.4 call invalid (empty host, userinfo).
    if (const std::size_t scheme = scheme_prefix_length(rest); scheme != 0) {
        rest.remove_prefix(scheme);
        const std::size_t end = rest.find_first_of("/?#");
        const std::string_view authority = rest.substr(0, end);
        if (authority.empty() || authority.find('@') != std::string_view::npos) {
            return std::nullopt;
        }
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        absolute = true;
    }

    // A fragment is never sent (§3.2); if one is, drop it as nginx does rather than fail.
    rest = rest.substr(0, rest.find('#'));

    const std::size_t question = rest.find('?');
    std::string_view path = rest.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view{} : rest.substr(question + 1);

    if (path.empty() && absolute) path = "/";  // "http://host" and "http://host?x"
    if (path.empty() || path.front() != '/') return std::nullopt;

    bool canonical = true;
    auto decoded = decode_and_normalise(path, canonical);
    if (!decoded) return std::nullopt;
    return target{std::move(*decoded), std::string(query), canonical};
}

std::optional<query_params> parse_query(std::string_view query) {
    query_params params;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;  // "a=1&&b=2" and a trailing '&'

        const std::size_t eq = pair.find('=');
        std::string name;
        std::string value;
        if (!append_form_decoded(name, pair.substr(0, eq))) return std::nullopt;
        if (eq != std::string_view::npos && !append_form_decoded(value, pair.substr(eq + 1))) {
            return std::nullopt;
        }
        params.emplace_back(std::move(name), std::move(value));
    }
    return params;
}

std::optional<std::string_view> query_value(const query_params& params, std::string_view name) {
    for (const auto& [n, v] : params) {
        if (n == name) return std::string_view(v);
    }
    return std::nullopt;
}

}  // namespace kade::http
