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

// If-Range (§13.1.5): true when the validator in the field still describes `v`, so the Range may
// be served. An entity tag must match under the strong comparison (a W/ tag never does); a date
// must equal Last-Modified exactly. A malformed field is false (send the whole representation).
bool if_range_holds(std::string_view if_range, const validators& v);

// What a GET with Range gets (§14.2): the whole representation (200), one byte range (206) or
// 416 Range Not Satisfiable.
struct range_decision {
    enum class kind { full, partial, unsatisfiable };
    kind what = kind::full;
    std::uint64_t first = 0;   // for partial: offset of the first byte sent
    std::uint64_t length = 0;  // for partial: number of bytes sent (at least 1)
};

// Evaluates Range and If-Range for a 200 representation of `size` bytes, in §13.2.2 step 5's
// place (after If-None-Match / If-Modified-Since). Rules:
//  - no Range, an If-Range that does not hold, a unit other than "bytes" (case-insensitive) or
//    a syntactically invalid range set (including last-pos < first-pos): full;
//  - more than one range: full (§14.2 lets a server ignore Range; one range covers the real
//    uses, resuming and media seeking, and multipart/byteranges is not worth its risks);
//  - one range: partial, with last-pos clamped to size-1 and a suffix longer than the
//    representation taking all of it; unsatisfiable when first-pos >= size, for a suffix of
//    length 0, and for any range of an empty representation (§14.1.1).
range_decision evaluate_range(std::optional<std::string_view> range,
                              std::optional<std::string_view> if_range, const validators& v,
                              std::uint64_t size);

}  // namespace kade::http
