#include "server/http/conditional.hpp"

#include "common/http_date.hpp"
#include "common/http_syntax.hpp"

namespace kade::http {
namespace {

using http_syntax::is_ows;
using http_syntax::trim_ows;

// etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3): no DQUOTE, space, DEL or controls.
constexpr bool is_etagc(unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

// The weak comparison (§8.8.3.2) ignores "W/", so what is compared is the opaque-tag.
std::string_view opaque_tag(std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
}

}  // namespace

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
    const std::string_view field = trim_ows(if_none_match);
    // "*" matches whenever a current representation exists, which it does for any caller.
    if (field == "*") return true;

    const std::string_view ours = opaque_tag(etag);
    bool matched = false;
    std::size_t i = 0;
    const std::size_t n = field.size();
    // #entity-tag (§5.6.1): empty elements and OWS around commas are allowed. The whole list
    // is checked before answering, so that one bad member voids it rather than half of it.
    while (i < n) {
        if (is_ows(field[i]) || field[i] == ',') {
            ++i;
            continue;
        }
        // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; "W/" is case-sensitive (%s"W/").
        if (field.substr(i, 2) == "W/") i += 2;
        if (i >= n || field[i] != '"') return false;
        const std::size_t open = i++;
        while (i < n && is_etagc(static_cast<unsigned char>(field[i]))) ++i;
        if (i >= n || field[i] != '"') return false;
        ++i;
        if (!ours.empty() && field.substr(open, i - open) == ours) matched = true;
        // After a tag: OWS, then a comma or the end. "\"a\"\"b\"" and "\"a\" x" are malformed.
        while (i < n && is_ows(field[i])) ++i;
        if (i < n && field[i] != ',') return false;
    }
    return matched;
}

bool is_not_modified(std::optional<std::string_view> if_none_match,
                     std::optional<std::string_view> if_modified_since, const validators& v) {
    // §13.2.2 step 3: If-None-Match, when present, decides alone; a recipient MUST then ignore
    // If-Modified-Since (§13.1.3), because entity tags are the more accurate validator.
    if (if_none_match) return if_none_match_matches(*if_none_match, v.etag);

    // §13.2.2 step 4 and §13.1.3: If-Modified-Since is ignored when it is not a valid
    // HTTP-date (a list of two dates is not one) or when there is no modification date.
    if (!if_modified_since || v.last_modified < 0) return false;
    const auto date = parse_http_date(*if_modified_since);
    if (!date) return false;
    // §13.1.3: 304 when Last-Modified is at or before the client's date. Limit: a date in the
    // future (a client's own clock) is not checked against ours, which would need "now";
    // nginx's default "if_modified_since exact" avoids that by wanting equality instead.
    return v.last_modified <= *date;
}

bool if_range_holds(std::string_view if_range, const validators& v) {
    const std::string_view field = trim_ows(if_range);
    if (field.starts_with("W/")) return false;  // the strong comparison never matches a weak tag
    if (field.starts_with("\"")) {
        // One strong entity-tag: DQUOTE *etagc DQUOTE and nothing else.
        if (field.size() < 2 || field.back() != '"') return false;
        for (char c : field.substr(1, field.size() - 2))
            if (!is_etagc(static_cast<unsigned char>(c))) return false;
        return !v.etag.empty() && !v.etag.starts_with("W/") && field == v.etag;
    }
    // A date: only an exact match with Last-Modified counts (§13.1.5), because a date is a
    // weak validator unless it is exactly the one we would send.
    if (v.last_modified < 0) return false;
    const auto date = parse_http_date(field);
    return date && *date == v.last_modified;
}

namespace {

constexpr std::uint64_t saturated = ~std::uint64_t{0};

// 1*DIGIT; values beyond 64 bits saturate (they are beyond any representation anyway).
std::optional<std::uint64_t> parse_digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        v = v > (saturated - d) / 10 ? saturated : v * 10 + d;
    }
    return v;
}

}  // namespace

range_decision evaluate_range(std::optional<std::string_view> range,
                              std::optional<std::string_view> if_range, const validators& v,
                              std::uint64_t size) {
    using kind = range_decision::kind;
    // §13.1.5: If-Range without Range is ignored; with one that does not hold, Range is.
    if (!range) return {};
    if (if_range && !if_range_holds(*if_range, v)) return {};

    // ranges-specifier = range-unit "=" range-set (§14.1.1); no whitespace around "=".
    const std::string_view field = trim_ows(*range);
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos || !http_syntax::iequals_lower(field.substr(0, eq), "bytes"))
        return {};

    // range-set = 1#range-spec: count the non-empty members; more than one is served whole.
    std::string_view spec;
    std::size_t members = 0;
    std::string_view rest = field.substr(eq + 1);
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view member = trim_ows(rest.substr(0, comma));
        if (!member.empty()) {
            spec = member;
            ++members;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (members != 1) return {};  // none is invalid; several are allowed to answer 200

    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return {};
    const std::string_view head = spec.substr(0, dash);
    const std::string_view tail = spec.substr(dash + 1);

    if (head.empty()) {
        // suffix-range = "-" suffix-length: the last N bytes.
        const auto n = parse_digits(tail);
        if (!n) return {};
        if (*n == 0 || size == 0) return {kind::unsatisfiable, 0, 0};
        const std::uint64_t take = *n < size ? *n : size;
        return {kind::partial, size - take, take};
    }
    // int-range = first-pos "-" [ last-pos ]; last-pos < first-pos makes the set invalid.
    const auto first = parse_digits(head);
    if (!first) return {};
    std::uint64_t last = saturated;
    if (!tail.empty()) {
        const auto l = parse_digits(tail);
        if (!l || *l < *first) return {};
        last = *l;
    }
    if (*first >= size) return {kind::unsatisfiable, 0, 0};
    if (last > size - 1) last = size - 1;
    return {kind::partial, *first, last - *first + 1};
}

}  // namespace kade::http
