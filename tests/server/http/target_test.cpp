#include "server/http/target.hpp"

#include <gtest/gtest.h>

#include "common/text.hpp"

namespace kade::http {
namespace {

using kade::percent_encode_path;

// The decoded path, or "<400>" when the target is refused.
std::string path_of(std::string_view request_target) {
    const auto t = parse_target(request_target);
    return t ? t->path : "<400>";
}

std::string query_of(std::string_view request_target) {
    const auto t = parse_target(request_target);
    return t ? t->query : "<400>";
}

// --- parse_target: forms ------------------------------------------------------------------

TEST(target, origin_form_splits_path_and_query) {
    const auto t = parse_target("/2014/01/doen-waar-je-niet-goed-in-bent.html?m=1");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/2014/01/doen-waar-je-niet-goed-in-bent.html");
    EXPECT_EQ(t->query, "m=1");
}

TEST(target, root_is_slash) {
    EXPECT_EQ(path_of("/"), "/");
    EXPECT_EQ(query_of("/"), "");
}

TEST(target, query_is_kept_raw) {
    EXPECT_EQ(query_of("/search?q=caf%C3%A9+bar&page=2"), "q=caf%C3%A9+bar&page=2");
    EXPECT_EQ(query_of("/search?q=%zz"), "q=%zz");  // judged by parse_query, not here
    EXPECT_EQ(query_of("/a?b?c"), "b?c");
}

TEST(target, empty_query_after_question_mark) {
    EXPECT_EQ(path_of("/a?"), "/a");
    EXPECT_EQ(query_of("/a?"), "");
}

TEST(target, asterisk_form_has_empty_path) {
    const auto t = parse_target("*");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "");
    EXPECT_EQ(t->query, "");
}

TEST(target, absolute_form_takes_path_and_query) {
    const auto t = parse_target("http://host:8080/x?y");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/x");
    EXPECT_EQ(t->query, "y");
}

TEST(target, absolute_form_without_path_is_root) {
    EXPECT_EQ(path_of("http://host"), "/");
    EXPECT_EQ(path_of("http://host?y"), "/");
    EXPECT_EQ(query_of("http://host?y"), "y");
}

TEST(target, absolute_form_accepts_https_and_any_case) {
    EXPECT_EQ(path_of("https://example.nl/2014/"), "/2014/");
    EXPECT_EQ(path_of("HTTP://EXAMPLE.NL/a"), "/a");
    EXPECT_EQ(path_of("http://[::1]:8080/a"), "/a");
}

TEST(target, absolute_form_path_is_decoded_and_normalised_too) {
    EXPECT_EQ(path_of("http://host/a/./b//c"), "/a/b/c");
    EXPECT_EQ(path_of("http://host/a/../b"), "<400>");
}

TEST(target, absolute_form_refuses_other_schemes_userinfo_and_empty_host) {
    EXPECT_EQ(path_of("ftp://host/a"), "<400>");
    EXPECT_EQ(path_of("http://user:pw@host/a"), "<400>");
    EXPECT_EQ(path_of("http:///a"), "<400>");
    EXPECT_EQ(path_of("http://"), "<400>");
    EXPECT_EQ(path_of("http:/a"), "<400>");
}

TEST(target, path_must_start_with_slash) {
    EXPECT_EQ(path_of(""), "<400>");
    EXPECT_EQ(path_of("a/b"), "<400>");
    EXPECT_EQ(path_of("?q=1"), "<400>");
    EXPECT_EQ(path_of("%2Fa"), "<400>");
    EXPECT_EQ(path_of("**"), "<400>");
}

TEST(target, fragment_is_dropped) {
    EXPECT_EQ(path_of("/2014/01/post.html#comments"), "/2014/01/post.html");
    EXPECT_EQ(query_of("/search?q=a#frag"), "q=a");
    EXPECT_EQ(path_of("http://host#frag"), "/");
}

// --- parse_target: normalisation ----------------------------------------------------------

TEST(target, trailing_slash_is_kept) {
    EXPECT_EQ(path_of("/2014/01/"), "/2014/01/");
    EXPECT_EQ(path_of("/2014/01"), "/2014/01");
}

TEST(target, slash_runs_collapse) {
    EXPECT_EQ(path_of("//"), "/");
    EXPECT_EQ(path_of("//a///b//"), "/a/b/");
}

TEST(target, dot_segments_go) {
    EXPECT_EQ(path_of("/a/./b"), "/a/b");
    EXPECT_EQ(path_of("/./a"), "/a");
    EXPECT_EQ(path_of("/a/././b/."), "/a/b/");
}

TEST(target, trailing_dot_segment_leaves_a_slash) {
    EXPECT_EQ(path_of("/."), "/");
    EXPECT_EQ(path_of("/a/."), "/a/");
    EXPECT_EQ(path_of("/a/%2e"), "/a/");
}

TEST(target, encoded_dot_segment_goes_too) {
    EXPECT_EQ(path_of("/a/%2E/b"), "/a/b");
}

TEST(target, names_made_of_dots_are_ordinary) {
    EXPECT_EQ(path_of("/a/.../b"), "/a/.../b");
    EXPECT_EQ(path_of("/a/.hidden"), "/a/.hidden");
    EXPECT_EQ(path_of("/a/..b/c.."), "/a/..b/c..");
}

// --- parse_target: refusals ---------------------------------------------------------------

TEST(target, dot_dot_segment_is_refused) {
    EXPECT_EQ(path_of("/../"), "<400>");
    EXPECT_EQ(path_of("/.."), "<400>");
    EXPECT_EQ(path_of("/a/../b"), "<400>");
    EXPECT_EQ(path_of("/a/.."), "<400>");
    EXPECT_EQ(path_of("/a/b/../../.."), "<400>");
}

TEST(target, encoded_dot_dot_segment_is_refused) {
    EXPECT_EQ(path_of("/a/%2e%2e/b"), "<400>");
    EXPECT_EQ(path_of("/a/%2E%2E"), "<400>");
    EXPECT_EQ(path_of("/a/.%2e/b"), "<400>");
    EXPECT_EQ(path_of("/a/%2e./b"), "<400>");
}

TEST(target, encoded_slash_separates_segments) {
    EXPECT_EQ(path_of("/search/label/a%2Fb"), "/search/label/a/b");
    EXPECT_EQ(path_of("/a%2f%2fb"), "/a/b");
    EXPECT_EQ(path_of("/a%2F..%2Fb"), "<400>");
    EXPECT_EQ(path_of("/a%2F.%2Fb"), "/a/b");
}

bool canonical(std::string_view request_target) {
    const auto t = parse_target(request_target);
    return t && t->canonical;
}

// What a CDN would cache twice: the handler redirects these to the canonical URL.
TEST(target, a_path_whose_shape_changed_is_not_canonical) {
    for (const char* t : {"//2014//01//x.html", "//", "/a//", "/2014/./01/x.html", "/./a", "/a/.",
                          "/%2e/2014/01/x.html", "/a/%2E", "/2014%2f01/x.html", "/a%2Fb",
                          "/x%2Ehtml", "/%41", "/a%7Eb", "/a%2db", "http://h//a", "/a/./b?q=1"})
        EXPECT_FALSE(canonical(t)) << t;
}

TEST(target, the_sites_own_spelling_is_canonical) {
    for (const char* t : {"/", "/2014/01/x.html", "/a/", "/a?b=%2F&c=//", "/search/label/caf%C3%A9",
                          "/search/label/caf%c3%a9", "/search/label/caf\xC3\xA9", "/a%20b", "/a(b)",
                          "/a%28b", "/.well-known/x", "/a/.../b", "/%252e", "http://h/a", "*"})
        EXPECT_TRUE(canonical(t)) << t;
}

TEST(target, percent_decoding_happens_once) {
    EXPECT_EQ(path_of("/%252e%252e/x"), "/%2e%2e/x");
    EXPECT_EQ(path_of("/a%2520b"), "/a%20b");
    EXPECT_EQ(path_of("/%2500"), "/%00");
}

TEST(target, decodes_utf8_labels) {
    EXPECT_EQ(path_of("/search/label/caf%C3%A9"), "/search/label/caf\xC3\xA9");
    EXPECT_EQ(path_of("/search/label/caf%c3%a9"), "/search/label/caf\xC3\xA9");
    EXPECT_EQ(path_of("/search/label/%E2%82%AC"), "/search/label/\xE2\x82\xAC");
    EXPECT_EQ(path_of("/%F0%9F%98%80"), "/\xF0\x9F\x98\x80");
}

TEST(target, accepts_raw_utf8_bytes) {
    EXPECT_EQ(path_of("/search/label/caf\xC3\xA9"), "/search/label/caf\xC3\xA9");
    EXPECT_EQ(path_of("/search/label/caf\xC3%A9"), "/search/label/caf\xC3\xA9");
}

TEST(target, decodes_ordinary_escapes) {
    EXPECT_EQ(path_of("/static/my%20photo.jpg"), "/static/my photo.jpg");
    EXPECT_EQ(path_of("/a%3Fb%23c"), "/a?b#c");
    EXPECT_EQ(path_of("/a+b"), "/a+b");  // '+' is space only in queries
    EXPECT_EQ(path_of("/%41%7e"), "/A~");
}

TEST(target, invalid_utf8_is_refused) {
    EXPECT_EQ(path_of("/%C3%28"), "<400>");
    EXPECT_EQ(path_of("/%C3"), "<400>");
    EXPECT_EQ(path_of("/%C0%AF"), "<400>");        // overlong '/'
    EXPECT_EQ(path_of("/%ED%A0%80"), "<400>");     // surrogate
    EXPECT_EQ(path_of("/%F4%90%80%80"), "<400>");  // above U+10FFFF
    EXPECT_EQ(path_of("/%FF"), "<400>");
    EXPECT_EQ(path_of("/caf\xE9"), "<400>");  // Latin-1, raw
}

TEST(target, nul_is_refused_raw_or_encoded) {
    EXPECT_EQ(path_of("/a%00b"), "<400>");
    EXPECT_EQ(path_of("/a%00"), "<400>");
    EXPECT_EQ(path_of(std::string_view("/a\0b", 4)), "<400>");
    EXPECT_EQ(path_of(std::string_view("/a?b\0", 5)), "<400>");
}

TEST(target, bad_escapes_are_refused) {
    EXPECT_EQ(path_of("/a%"), "<400>");
    EXPECT_EQ(path_of("/a%2"), "<400>");
    EXPECT_EQ(path_of("/a%zz"), "<400>");
    EXPECT_EQ(path_of("/a%2g/b"), "<400>");
    EXPECT_EQ(path_of("/a%%41"), "<400>");
    EXPECT_EQ(path_of("/a% 41"), "<400>");
}

TEST(target, raw_space_and_controls_are_refused_anywhere) {
    EXPECT_EQ(path_of("/a b"), "<400>");
    EXPECT_EQ(path_of("/a?q=a b"), "<400>");
    EXPECT_EQ(path_of("/a\tb"), "<400>");
    EXPECT_EQ(path_of("/a\r\nb"), "<400>");
    EXPECT_EQ(path_of("/a?q=\x1f"), "<400>");
    EXPECT_EQ(path_of("/a\x7f"), "<400>");
    EXPECT_EQ(path_of("http://ho st/a"), "<400>");
}

TEST(target, decoded_controls_are_refused) {
    EXPECT_EQ(path_of("/a%0Ab"), "<400>");
    EXPECT_EQ(path_of("/a%0d%0aSet-Cookie:x"), "<400>");
    EXPECT_EQ(path_of("/a%09"), "<400>");
    EXPECT_EQ(path_of("/a%7F"), "<400>");
}

// --- parse_query ---------------------------------------------------------------------------

TEST(target, query_pairs_decode_in_order) {
    const auto q = parse_query("q=klanten&page=2&label=caf%C3%A9");
    ASSERT_TRUE(q);
    ASSERT_EQ(q->size(), 3u);
    EXPECT_EQ((*q)[0], (std::pair<std::string, std::string>{"q", "klanten"}));
    EXPECT_EQ((*q)[1], (std::pair<std::string, std::string>{"page", "2"}));
    EXPECT_EQ((*q)[2], (std::pair<std::string, std::string>{"label", "caf\xC3\xA9"}));
}

TEST(target, query_plus_is_space_and_encoded_plus_is_plus) {
    const auto q = parse_query("q=een+twee%2Bdrie&a+b=c");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "q"), "een twee+drie");
    EXPECT_EQ(query_value(*q, "a b"), "c");
}

TEST(target, query_value_without_equals_is_empty) {
    const auto q = parse_query("prefix&q=");
    ASSERT_TRUE(q);
    ASSERT_EQ(q->size(), 2u);
    EXPECT_EQ(query_value(*q, "prefix"), "");
    EXPECT_EQ(query_value(*q, "q"), "");
}

TEST(target, query_value_keeps_later_equals_signs) {
    const auto q = parse_query("q=a=b");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "q"), "a=b");
}

TEST(target, query_skips_empty_pairs) {
    const auto q = parse_query("&a=1&&b=2&");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->size(), 2u);
    const auto none = parse_query("");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

TEST(target, query_value_returns_the_first) {
    const auto q = parse_query("page=1&page=2");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "page"), "1");
}

TEST(target, query_value_of_missing_name_is_nullopt) {
    const auto q = parse_query("q=x");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "page"), std::nullopt);
    EXPECT_EQ(query_value(*q, "Q"), std::nullopt);
}

TEST(target, query_decodes_names_too) {
    const auto q = parse_query("per%5Fpage=5");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "per_page"), "5");
}

TEST(target, query_decodes_once) {
    const auto q = parse_query("q=%2541");
    ASSERT_TRUE(q);
    EXPECT_EQ(query_value(*q, "q"), "%41");
}

TEST(target, query_bad_escape_is_refused) {
    EXPECT_FALSE(parse_query("q=%"));
    EXPECT_FALSE(parse_query("q=%4"));
    EXPECT_FALSE(parse_query("q=%zz"));
    EXPECT_FALSE(parse_query("%g1=x"));
}

TEST(target, query_nul_is_refused) {
    EXPECT_FALSE(parse_query("q=a%00b"));
    EXPECT_FALSE(parse_query("%00=x"));
}

TEST(target, query_invalid_utf8_is_refused) {
    EXPECT_FALSE(parse_query("q=%C3%28"));
    EXPECT_FALSE(parse_query("q=caf%E9"));
    EXPECT_FALSE(parse_query("%FF=1"));
}

// --- percent_encode_path ------------------------------------------------------------------

TEST(target, encoding_keeps_unreserved_and_slash) {
    EXPECT_EQ(percent_encode_path("/2014/01/doen-waar_je.niet~goed.html"),
              "/2014/01/doen-waar_je.niet~goed.html");
    EXPECT_EQ(percent_encode_path("/AZaz09"), "/AZaz09");
}

TEST(target, encoding_escapes_utf8_in_uppercase_hex) {
    EXPECT_EQ(percent_encode_path("/search/label/caf\xC3\xA9"), "/search/label/caf%C3%A9");
}

TEST(target, encoding_escapes_reserved_and_other_characters) {
    EXPECT_EQ(percent_encode_path("/a b?c#d%e+f&g=h:i@j!k"),
              "/a%20b%3Fc%23d%25e%2Bf%26g%3Dh%3Ai%40j%21k");
    EXPECT_EQ(percent_encode_path(std::string_view("\0\x7f", 2)), "%00%7F");
}

TEST(target, encoding_empty_path_is_empty) {
    EXPECT_EQ(percent_encode_path(""), "");
}

TEST(target, encoding_inverts_parsing) {
    for (std::string_view t : {"/search/label/caf%C3%A9", "/%252e%252e/x", "/a%20b%3Fc",
                               "/static/%E2%82%AC.png", "/2014/01/"}) {
        const auto parsed = parse_target(t);
        ASSERT_TRUE(parsed) << t;
        const std::string encoded = percent_encode_path(parsed->path);
        EXPECT_EQ(encoded, t);
        EXPECT_EQ(path_of(encoded), parsed->path);
    }
}

}  // namespace
}  // namespace kade::http
