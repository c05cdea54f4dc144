#include "server/http/request_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kade::http {
namespace {

struct parsed {
    head_result result;
    request req;
    std::array<std::string, 7> joined;
};

// Parses `text` with small limits so the limit rules are easy to reach.
parsed parse(std::string_view text, head_limits limits = {256, 8, 64}) {
    parsed p;
    p.result = parse_request_head(text, limits, p.req, p.joined);
    return p;
}

unsigned status_of(std::string_view text, head_limits limits = {256, 8, 64}) {
    const auto p = parse(text, limits);
    if (p.result.what == head_result::kind::complete) return 200;
    if (p.result.what == head_result::kind::incomplete) return 0;
    return p.result.status;
}

TEST(request_head, reads_the_request_line_and_the_fields_the_server_uses) {
    const std::string text =
        "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, zstd\r\n"
        "If-None-Match: \"abc\"\r\nIf-Modified-Since: Thu, 02 Jan 2014 10:00:00 GMT\r\n"
        "Range: bytes=0-9\r\nIf-Range: \"abc\"\r\nX-Forwarded-For: 203.0.113.7\r\n"
        "User-Agent: test\r\n\r\nGET /next";
    const auto p = parse(text);
    ASSERT_EQ(p.result.what, head_result::kind::complete);
    EXPECT_EQ(p.result.length, text.find("GET /next"));
    EXPECT_EQ(p.req.verb, method::get);
    EXPECT_EQ(p.req.method_name, "GET");
    EXPECT_EQ(p.req.target, "/a?b=1");
    EXPECT_EQ(p.req.version, 11u);
    EXPECT_TRUE(p.req.keep_alive);
    EXPECT_EQ(p.req.accept_encoding, "gzip, zstd");
    EXPECT_EQ(p.req.if_none_match, "\"abc\"");
    EXPECT_EQ(p.req.if_modified_since, "Thu, 02 Jan 2014 10:00:00 GMT");
    EXPECT_EQ(p.req.range, "bytes=0-9");
    EXPECT_EQ(p.req.if_range, "\"abc\"");
    EXPECT_EQ(p.req.forwarded_for, "203.0.113.7");
}

TEST(request_head, absent_fields_stay_absent_and_empty_ones_are_empty) {
    const auto p = parse("HEAD / HTTP/1.1\r\nHost: x\r\nAccept-Encoding:\r\n\r\n");
    ASSERT_EQ(p.result.what, head_result::kind::complete);
    EXPECT_EQ(p.req.verb, method::head);
    EXPECT_EQ(p.req.accept_encoding, "");
    EXPECT_FALSE(p.req.if_none_match);
    EXPECT_FALSE(p.req.forwarded_for);
}

TEST(request_head, names_are_case_insensitive_and_values_are_trimmed) {
    const auto p = parse("GET / HTTP/1.1\r\nhOsT: x\r\naccept-ENCODING: \t zstd \t\r\n\r\n");
    ASSERT_EQ(p.result.what, head_result::kind::complete);
    EXPECT_EQ(p.req.accept_encoding, "zstd");
}

TEST(request_head, repeated_fields_form_one_list) {
    const auto p = parse(
        "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nAccept-Encoding: zstd;q=0.5\r\n"
        "Accept-Encoding: br\r\n\r\n");
    ASSERT_EQ(p.result.what, head_result::kind::complete);
    EXPECT_EQ(p.req.accept_encoding, "gzip, zstd;q=0.5, br");
}

TEST(request_head, methods) {
    EXPECT_EQ(parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").req.verb, method::options);
    const auto p = parse("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(p.req.verb, method::other);
    EXPECT_EQ(p.req.method_name, "DELETE");
    EXPECT_EQ(parse("get / HTTP/1.1\r\nHost: x\r\n\r\n").req.verb, method::other);  // case matters
}

TEST(request_head, keep_alive_follows_the_version_and_connection) {
    EXPECT_TRUE(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n").req.keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n").req.keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").req.keep_alive);
    EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").req.keep_alive);
    EXPECT_FALSE(
        parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, close\r\n\r\n").req.keep_alive);
    EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n").req.version, 10u);
    EXPECT_EQ(parse("GET / HTTP/1.9\r\nHost: x\r\n\r\n").req.version, 11u);
}

TEST(request_head, incomplete_until_the_empty_line) {
    const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t n = 0; n < text.size(); ++n) EXPECT_EQ(status_of(text.substr(0, n)), 0u) << n;
    EXPECT_EQ(status_of(text), 200u);
}

TEST(request_head, empty_lines_before_the_request_line_are_skipped) {
    const auto p = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(p.result.what, head_result::kind::complete);
    EXPECT_EQ(p.req.target, "/");
    EXPECT_EQ(p.result.length, 4 + 27u);
    EXPECT_EQ(status_of(std::string(300, '\n')), 400u);
}

TEST(request_head, malformed_request_lines_are_400) {
    for (const char* text : {
             "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",     // two spaces
             "GET / HTTP/1.1 \r\nHost: x\r\n\r\n",     // trailing space
             "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",   // space in the target
             "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",  // control in the target
             "GET / HTTP/1.1\nHost: x\r\n\r\n",        // bare LF
             "GET / HTTP/1.1\r\nHost: x\n\r\n",        // bare LF
             "GET / HTTP/1.1\r\nHost: x\r\n\n",        // bare LF
             "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",    // bare LF
             "GET / HTTP/11\r\nHost: x\r\n\r\n",       // version
             "GET / http/1.1\r\nHost: x\r\n\r\n",      // version
             "GET / HTTP/1.x\r\nHost: x\r\n\r\n",      // version
             "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",      // method
             " / HTTP/1.1\r\nHost: x\r\n\r\n",         // no method
             "GET HTTP/1.1\r\nHost: x\r\n\r\n",        // no target
         })
        EXPECT_EQ(status_of(text), 400u) << text;
}

TEST(request_head, other_major_versions_are_505) {
    EXPECT_EQ(status_of("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505u);
    EXPECT_EQ(status_of("GET / HTTP/0.9\r\n\r\n"), 505u);
}

TEST(request_head, malformed_fields_are_400) {
    for (const char* text : {
             "GET / HTTP/1.1\r\nHost : x\r\n\r\n",             // space before the colon
             "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",   // obs-fold
             "GET / HTTP/1.1\r\nHost: x\r\n\tfolded\r\n\r\n",  // obs-fold
             "GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",  // no colon
             "GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n",   // empty name
             "GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n",   // bare CR in a value
             "GET / HTTP/1.1\r\nHost: x\r\nA: b\x7f\r\n\r\n",  // DEL in a value
             "GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n",  // control in a value
             "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",   // two Hosts
             "GET / HTTP/1.1\r\n\r\n",                         // no Host in 1.1
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 1\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 2\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
             "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
         })
        EXPECT_EQ(status_of(text), 400u) << text;
    // obs-text is allowed in values (RFC 9110 §5.5)
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: caf\xc3\xa9\r\n\r\n"), 200u);
}

TEST(request_head, an_announced_body_is_413) {
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"), 413u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n"), 413u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"), 413u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"),
              413u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n"),
              413u);
    // An empty list element is no coding (RFC 9110 §5.6.1): chunked is still last.
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n\r\n"), 413u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 200u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0,0\r\n\r\n"), 200u);
}

// A method no route takes hears 405 whether or not it sends a body (the handler adds Allow).
TEST(request_head, an_announced_body_with_another_method_is_405) {
    EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"), 405u);
    EXPECT_EQ(status_of("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"), 405u);
    EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 200u);
}

// RFC 9112 §6.3: a Transfer-Encoding whose final coding is not chunked leaves the body's
// length unknown. Taking it as no body would read the body as a second request (smuggling).
TEST(request_head, transfer_encoding_not_ending_in_chunked_is_400) {
    for (const char* value : {"gzip", "identity", "xchunked", "chunked, gzip", "\"chunked\"", "",
                              ",", "deflate, identity"}) {
        for (const char* method : {"GET", "POST"}) {
            const std::string text = std::string(method) +
                                     " / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + value +
                                     "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
            EXPECT_EQ(status_of(text), 400u) << text;
        }
    }
    // After a Content-Length, either order.
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                        "Content-Length: 5\r\n\r\n"),
              400u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        "Transfer-Encoding: gzip\r\n\r\n"),
              400u);
    // Chunked, then another coding in a second field: chunked is not final.
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        "Transfer-Encoding: gzip\r\n\r\n"),
              400u);
}

// HTTP/1.0 has no transfer codings: any Transfer-Encoding means faulty framing (§6.1).
TEST(request_head, transfer_encoding_in_http_1_0_is_400) {
    for (const char* value : {"chunked", "gzip", ""})
        EXPECT_EQ(
            status_of(std::string("GET / HTTP/1.0\r\nTransfer-Encoding: ") + value + "\r\n\r\n"),
            400u)
            << value;
}

// RFC 9112 §3.2: 400 for an invalid Host value; RFC 3986 host with an optional port.
TEST(request_head, host_must_be_a_host_with_an_optional_port) {
    for (const char* host :
         {"", "x", "example.org", "example.org:8080", "example.org:", "127.0.0.1:80", "[::1]",
          "[::1]:8080", "[v1.fe80::a+en1]", "xn--caf-dma.nl", "a_b-c~d", "%41"})
        EXPECT_EQ(status_of(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"), 200u)
            << host;
    for (const char* host : {"a b", "a, b", "a,b", "a/b", "a:b", "a:80:80", "[::1", "[]", "[::1]x",
                             "a@b", "a?b", "a#b", "a\\b", "%4", "%zz", "\"a\"", "caf\xc3\xa9"})
        EXPECT_EQ(status_of(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"), 400u)
            << host;
    EXPECT_EQ(status_of("GET / HTTP/1.0\r\nHost: a/b\r\n\r\n"), 400u);
}

TEST(request_head, limits) {
    const head_limits limits{64, 3, 20};
    // The request line alone over the byte limit: 414, complete or not.
    EXPECT_EQ(status_of("GET /" + std::string(70, 'a'), limits), 414u);
    EXPECT_EQ(status_of("GET /" + std::string(70, 'a') + " HTTP/1.1\r\n", limits), 414u);
    // A target over max_uri_bytes: 414 as soon as its line is in.
    EXPECT_EQ(status_of("GET /" + std::string(20, 'a') + " HTTP/1.1\r\n", limits), 414u);
    EXPECT_EQ(status_of("GET /" + std::string(19, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", limits),
              200u);
    // The block over the limit: 431, complete or not.
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: " + std::string(40, 'b'), limits), 431u);
    EXPECT_EQ(
        status_of("GET / HTTP/1.1\r\nHost: x\r\nA: " + std::string(40, 'b') + "\r\n\r\n", limits),
        431u);
    // A head of exactly the limit is fine.
    const std::string base = "GET / HTTP/1.1\r\nHost: x\r\nA: \r\n\r\n";
    std::string exact = base;
    exact.insert(base.find("A: ") + 3, std::string(64 - base.size(), 'b'));
    ASSERT_EQ(exact.size(), 64u);
    EXPECT_EQ(status_of(exact, limits), 200u);
    // Too many fields.
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n", limits), 200u);
    EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), 431u);
}

}  // namespace
}  // namespace kade::http
