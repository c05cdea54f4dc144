#pragma once
// Small text helpers shared by the indexer and the server: escaping and UTF-8 checks.
#include <cstdint>
#include <string>
#include <string_view>

namespace kade {

// Appends `s` with &, <, >, " and ' escaped, for HTML text and attribute values.
void append_html_escaped(std::string& out, std::string_view s);
std::string html_escape(std::string_view s);

// Appends `s` as the inside of a JSON string (RFC 8259): quotes, backslash, control characters.
void append_json_escaped(std::string& out, std::string_view s);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes one UTF-8 code point at `pos` and advances it; returns U+FFFD on malformed input
// (advancing one byte) so callers never loop forever.
char32_t decode_utf8(std::string_view s, size_t& pos);
void append_utf8(std::string& out, char32_t cp);

// Percent-encodes a URL path for links and Location headers: unreserved characters
// (A-Z a-z 0-9 - . _ ~) and '/' stay, every other byte (UTF-8 included) becomes %XX.
std::string percent_encode_path(std::string_view path);

// Lowercase hexadecimal of a 64-bit value, 16 digits.
std::string hex64(std::uint64_t v);

}  // namespace kade
