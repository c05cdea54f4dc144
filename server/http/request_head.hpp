#pragma once
// The request head (RFC 9112 §2–§5): request line and header fields, parsed in place from the
// session's read buffer into a kade::request by Beast's basic_parser. Strict where leniency would
// let one request mean two things to two parsers (a CDN sits in front): bare LF, obs-fold,
// whitespace before the colon, conflicting Content-Length, a second Host. Only the fields the
// server reads are kept.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "server/http/request.hpp"

namespace kade::http {

struct head_limits {
    std::size_t max_header_bytes = 8192;  // request line, fields and the empty line
    std::size_t max_header_count = 100;
    std::size_t max_uri_bytes = 4096;
};

struct head_result {
    enum class kind { incomplete, complete, error };
    kind what = kind::incomplete;
    std::size_t length = 0;  // complete: bytes the head took, empty lines before it included
    unsigned status = 0;     // error: 400, 405, 413, 414, 431 or 505
};

// Parses the head at the start of `buffer`. Incomplete while no empty line has arrived and the
// limit is not reached. Errors: 414 when the request line alone passes max_header_bytes or the
// target passes max_uri_bytes; 431 for a larger head or too many fields; 413 for any announced
// body (Content-Length above 0, Transfer-Encoding ending in chunked), since no route takes one,
// or 405 when the method is one no route takes either; 505 for a major version other than 1;
// 400 for anything malformed, HTTP/1.1 without exactly one Host, a Host that is not
// host[:port], and any Transfer-Encoding whose final coding is not chunked or that comes with
// HTTP/1.0 (RFC 9112 §6.3: the body's length is unknown). Every error closes the connection.
// Repeated fields the server reads become one comma-separated list (RFC 9110 §5.3), stored in
// `joined`, which `req` may then point into.
head_result parse_request_head(std::string_view buffer, const head_limits& limits, request& req,
                               std::array<std::string, 7>& joined);

}  // namespace kade::http
