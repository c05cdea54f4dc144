#pragma once
// Request-target → decoded, normalised path and raw query (RFC 9112 §3.2, RFC 3986 §5.2.4).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kade::http {

struct target {
    std::string path;   // percent-decoded once, UTF-8, starts with '/'; "" for the "*" target
    std::string query;  // raw (still percent-encoded), without the '?'; empty when absent
    // False when normalising changed the path's shape: a "//" run collapsed, a "." segment
    // (raw or "%2e") dropped, an encoded slash "%2F", or an encoded unreserved character
    // ("%41", "%2E" in a name; RFC 3986 §6.2.2.2). The same page under another URL is another
    // cache entry at a CDN, so the handler answers 301 to the canonical URL. Other escapes
    // ("%C3%A9" or raw UTF-8, "%28" or '(') are left as the client spelled them.
    bool canonical = true;
};

// Accepts origin-form ("/a/b?q"), absolute-form ("http://host/a?q": the path is taken) and "*".
// Decodes %XX once in the path, then normalises: "//" runs collapse to "/", "." segments go.
// Returns nullopt (400) for: a ".." segment (before or after decoding), NUL (raw or %00), a bad
// %-escape, invalid UTF-8 after decoding, control characters, or a path not starting with '/'.
// A trailing '/' is kept ("/2014/01/" and "/2014/01" are different paths).
// Also refused: a raw space, or a control byte (< 0x20, 0x7f) anywhere in the target, and
// decoded controls in the path. Decoding is single: "%252e" is the literal name "%2e".
// "%2F" decodes to '/' and separates segments like a raw '/'. Raw bytes >= 0x80 are taken as
// they come and must form UTF-8 with the decoded ones. In absolute-form only "http" and
// "https" are accepted, without userinfo and with a non-empty authority, which is dropped;
// "http://host" has the path "/". A fragment ("#..."), never sent by clients, is dropped.
std::optional<target> parse_target(std::string_view request_target);

// application/x-www-form-urlencoded: '&'-separated name=value, '+' is space, %XX decoded.
// nullopt (400) on a bad %-escape, NUL or invalid UTF-8 in a name or value. Empty pairs
// ("a=1&&b=2") are skipped; a pair without '=' has an empty value. Order is kept.
using query_params = std::vector<std::pair<std::string, std::string>>;
std::optional<query_params> parse_query(std::string_view query);

// The first value of `name` (compared exactly, after decoding), or nullopt.
std::optional<std::string_view> query_value(const query_params& params, std::string_view name);

// The inverse of parse_target's decoding, for links and Location headers, is
// kade::percent_encode_path (common/text.hpp), shared with the indexer.

}  // namespace kade::http
