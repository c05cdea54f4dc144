#include "server/http/conditional.hpp"

#include "server/common/http_date.hpp"

namespace kade::http {
namespace {

constexpr bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

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

}  // namespace kade::http
