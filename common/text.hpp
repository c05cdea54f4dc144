#pragma once
// Small text helpers shared by the three programs: escaping and UTF-8 checks.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

// Appends `s` with &, < and > escaped, and those of '"', '\'' and '\n' that `also` names. The
// default suits HTML text and attribute values alike; the importer asks for less, so that the
// Markdown it writes stays readable.
void append_html_escaped(std::string& out, std::string_view s, std::string_view also = "\"'");
std::string html_escape(std::string_view s);

// Appends `s` as the inside of a JSON string (RFC 8259): quotes, backslash, control characters.
void append_json_escaped(std::string& out, std::string_view s);
// Appends `s` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view s);

// `s` as a TOML basic string, quotes included: JSON's escapes, and DEL escaped too (TOML
// allows no control character in a string).
std::string toml_string(std::string_view s);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes one UTF-8 code point at `pos` and advances it; returns U+FFFD on malformed input
// (advancing one byte) so callers never loop forever.
char32_t decode_utf8(std::string_view s, size_t& pos);
void append_utf8(std::string& out, char32_t cp);

// Code points in `s` (a malformed byte counts as one).
std::size_t count_code_points(std::string_view s);

// The lines of `text`, each without its newline (a last line without one too).
std::vector<std::string_view> lines_of(std::string_view text);

// `text` on one line (runs of spaces, tabs and newlines become one space, none at the ends),
// cut to at most `max_characters` code points: at the last space that fits, with trailing
// punctuation dropped and "…" appended (counted in the maximum). A first word longer than the
// whole maximum is cut inside, between code points. For descriptions in meta tags and feeds.
std::string shorten_at_word(std::string_view text, std::size_t max_characters);

// Percent-encodes a URL path for links and Location headers: unreserved characters
// (A-Z a-z 0-9 - . _ ~) and '/' stay, every other byte (UTF-8 included) becomes %XX.
std::string percent_encode_path(std::string_view path);

// The parts of `s` between `sep`s, as views; a trailing `sep` ends the last part rather than
// starting an empty one ("a\nb\n" is two parts, "" none).
std::vector<std::string_view> split_views(std::string_view s, char sep);

// Lowercase hexadecimal of a 64-bit value, 16 digits.
std::string hex64(std::uint64_t v);

}  // namespace kade
