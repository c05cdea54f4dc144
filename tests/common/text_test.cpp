#include "common/text.hpp"

#include <gtest/gtest.h>

namespace kade {
namespace {

TEST(text, html_escape_covers_the_five_special_characters) {
    EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(text, json_escape_covers_quotes_backslashes_and_controls) {
    std::string out;
    append_json_escaped(out, "a\"b\\c\nd\x01");
    EXPECT_EQ(out, "a\\\"b\\\\c\\nd\\u0001");
}

TEST(text, html_escape_can_leave_quotes_and_escape_line_breaks) {
    std::string out;
    append_html_escaped(out, "<a title=\"Tom's\nkat\">", "\"\n");
    EXPECT_EQ(out, "&lt;a title=&quot;Tom's&#10;kat&quot;&gt;");
    out.clear();
    append_html_escaped(out, "\"Tom's\" & co\n", "");
    EXPECT_EQ(out, "\"Tom's\" &amp; co\n");
}

TEST(text, json_string_is_quoted) {
    std::string out;
    append_json_string(out, "a\"\x7f");
    EXPECT_EQ(out, "\"a\\\"\x7f\"");
}

TEST(text, toml_string_escapes_like_json_and_del_too) {
    EXPECT_EQ(toml_string("a \"b\" \\ \n\x01"), "\"a \\\"b\\\" \\\\ \\n\\u0001\"");
    EXPECT_EQ(toml_string("\x1f\x7f"), "\"\\u001F\\u007F\"");
}

TEST(text, json_escape_keeps_utf8) {
    std::string out;
    append_json_escaped(out, "écht");
    EXPECT_EQ(out, "écht");
}

TEST(text, valid_utf8_is_accepted) {
    EXPECT_TRUE(is_valid_utf8("ideeën één \xEF\xBF\xBD 😀"));
    EXPECT_TRUE(is_valid_utf8(""));
}

TEST(text, malformed_utf8_is_refused) {
    EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
}

TEST(text, utf8_round_trips_through_decode_and_append) {
    const std::string s = "aé€😀";
    std::string out;
    std::size_t pos = 0;
    while (pos < s.size()) append_utf8(out, decode_utf8(s, pos));
    EXPECT_EQ(out, s);
}

TEST(text, hex64_is_sixteen_lowercase_digits) {
    EXPECT_EQ(hex64(0xdeadbeef), "00000000deadbeef");
}

TEST(text, percent_encode_path_keeps_unreserved_and_slash) {
    EXPECT_EQ(percent_encode_path("/search/label/café"), "/search/label/caf%C3%A9");
    EXPECT_EQ(percent_encode_path("/a b"), "/a%20b");
}

}  // namespace
}  // namespace kade
