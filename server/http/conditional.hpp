#pragma once
// Conditional requests (RFC 9110 §13): decisions only, as pure functions.
#include <cstdint>
#include <optional>
#include <string_view>

namespace kade::http {

struct validators {
    std::string_view etag;            // strong entity tag with its quotes, e.g. "\"a1b2\""
    std::int64_t last_modified = -1;  // Unix seconds; -1 when unknown
};

// If-None-Match (§13.1.2): true when the field is "*" or lists a tag that matches `etag` under
// the weak comparison (W/ prefixes ignored). Malformed lists match nothing.
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

// For GET and HEAD, in the RFC's order (§13.2.2): If-None-Match when present decides alone;
// else If-Modified-Since (a valid HTTP-date at or after Last-Modified) gives 304.
// Returns true when the answer is 304 Not Modified.
bool is_not_modified(std::optional<std::string_view> if_none_match,
                     std::optional<std::string_view> if_modified_since, const validators& v);

}  // namespace kade::http
