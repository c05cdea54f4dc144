#include "common/text.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

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

TEST(text, shorten_at_word_keeps_short_text_on_one_line) {
    EXPECT_EQ(shorten_at_word("  Kort\n en\tgoed.  ", 155), "Kort en goed.");
    EXPECT_EQ(shorten_at_word("", 155), "");
    EXPECT_EQ(shorten_at_word("precies tien", 12), "precies tien");
}

TEST(text, shorten_at_word_cuts_at_the_last_word_that_fits_with_an_ellipsis) {
    EXPECT_EQ(shorten_at_word("een twee drie vier", 12), "een twee\u2026");
    // Punctuation before the cut goes, so no ",…".
    EXPECT_EQ(shorten_at_word("een, twee drie vier", 11), "een, twee\u2026");
    EXPECT_EQ(shorten_at_word("een, twee drie vier", 9), "een\u2026");
    // A cut exactly at a space keeps the whole word before it.
    EXPECT_EQ(shorten_at_word("een twee drie", 9), "een twee\u2026");
}

TEST(text, shorten_at_word_counts_code_points_and_never_splits_one) {
    // "één " is 4 code points, 6 bytes: twenty of them fit 80 characters, not 80 bytes.
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "\xC3\xA9\xC3\xA9n ";
    const std::string cut = shorten_at_word(long_text, 155);
    EXPECT_TRUE(is_valid_utf8(cut));
    EXPECT_EQ(count_code_points(cut), 152u);  // 38 × "één " less the last space, and "…"
    EXPECT_TRUE(cut.ends_with("\xC3\xA9\xC3\xA9n\u2026"));
    // One endless word is cut inside, still between code points.
    std::string word;
    for (int i = 0; i < 200; ++i) word += "\xC3\xA9";
    const std::string w = shorten_at_word(word, 155);
    EXPECT_TRUE(is_valid_utf8(w));
    EXPECT_EQ(count_code_points(w), 155u);
}

TEST(text, lines_of_splits_at_newlines) {
    using lines = std::vector<std::string_view>;
    EXPECT_EQ(lines_of("klant\ncontact"), (lines{"klant", "contact"}));
    EXPECT_EQ(lines_of("klant\n"), (lines{"klant"}));
    EXPECT_EQ(lines_of("\n\nx"), (lines{"", "", "x"}));
    EXPECT_EQ(lines_of(""), lines{});
}

}  // namespace
}  // namespace kade
