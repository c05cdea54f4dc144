#pragma once
// The pieces of HTTP's field grammar (RFC 9110 §5.6) that more than one parser needs: the
// server's field parsers and the config's check of header names. Views only, no allocation.
#include <cstddef>
#include <string_view>

namespace kade::http_syntax {

// OWS = *( SP / HTAB )   (§5.6.3)
constexpr bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

constexpr std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// tchar (§5.6.2).
constexpr bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != '\0' && std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// token = 1*tchar
constexpr bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_tchar(c)) return false;
    }
    return true;
}

// Case-insensitive equality with a name already in lower case (codings, range units: §8.4.1,
// §14.1), ASCII only.
constexpr bool iequals_lower(std::string_view s, std::string_view lower) {
    if (s.size() != lower.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] + 32) : s[i];
        if (c != lower[i]) return false;
    }
    return true;
}

}  // namespace kade::http_syntax
