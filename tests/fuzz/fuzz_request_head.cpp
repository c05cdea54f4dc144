// libFuzzer driver: the request head parser (the first thing a client's bytes reach).
// Invariants checked beyond "no crash": a complete head fits the limit and ends in an empty
// line; more input is only awaited below the limit; every view lies in the input or in the joined
// copies; the target has no space or control byte; an error is one of the statuses the parser
// promises; no head with Transfer-Encoding completes (taking one as bodiless would read the body
// as the next request: smuggling).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/http/request_head.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// A complete head never has a Transfer-Encoding field: chunked announces a body (refused),
// any other final coding leaves the body unframed (refused).
bool has_transfer_encoding(std::string_view head) {
    std::string lower(head);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return lower.find("\r\ntransfer-encoding:") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const kade::http::head_limits limits{512, 16, 128};
    kade::request req;
    std::array<std::string, 7> joined;
    const auto r = kade::http::parse_request_head(input, limits, req, joined);
    using kind = kade::http::head_result::kind;
    if (r.what == kind::error) {
        check(r.status == 400 || r.status == 405 || r.status == 413 || r.status == 414 ||
              r.status == 431 || r.status == 505);
        return 0;
    }
    if (r.what == kind::incomplete) {
        // Waiting for more is only right below the limit (empty lines before it count apart).
        check(input.size() < 2 * limits.max_header_bytes);
        return 0;
    }
    check(r.length <= input.size());
    check(!has_transfer_encoding(input.substr(0, r.length)));
    check(input.substr(0, r.length).ends_with("\r\n\r\n"));
    std::size_t leading = 0;  // empty lines before the request line are skipped, not counted
    while (input.substr(leading, 2) == "\r\n") leading += 2;
    check(r.length - leading <= limits.max_header_bytes);
    check(inside(req.target, input) && !req.target.empty() && req.target.size() <= 128);
    for (unsigned char c : req.target) check(c > 0x20 && c != 0x7f);
    check(inside(req.method_name, input));
    check(req.version == 10 || req.version == 11);
    for (const auto* f : {&req.accept_encoding, &req.if_none_match, &req.if_modified_since,
                          &req.range, &req.if_range, &req.forwarded_for}) {
        if (!*f) continue;
        bool in_joined = false;
        for (const auto& j : joined) in_joined = in_joined || (!j.empty() && inside(**f, j));
        check(inside(**f, input) || in_joined);
    }
    return 0;
}
