#include "indexer/content/comments.hpp"

#include <gtest/gtest.h>

using namespace kade::indexer;

namespace {

std::vector<comment> parse(std::string_view text, std::string& post,
                           std::vector<kade::diagnostic>& errors) {
    return parse_comments("c.toml", text, post, errors);
}

const char* two_level = R"(post = "/2014/01/a.html"
[[comments]]
id = "1"
author = "Marieke <b>"
author_url = "https://x.nl/?a=1&b=2"
date = 2014-01-02T14:05:00+01:00
text = "Een\nTwee\n\n<script>alert(1)</script>"
[[comments]]
id = "2"
parent = "1"
author = "Sonja"
date = 2014-01-02T16:30:00+01:00
text = "Antwoord"
[[comments]]
id = "3"
author = "Kees"
date = 2014-01-03T09:00:00Z
text = "Later"
)";

}  // namespace

TEST(comments, parse_reads_every_field) {
    std::string post;
    std::vector<kade::diagnostic> errors;
    const auto list = parse(two_level, post, errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(post, "/2014/01/a.html");
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[1].parent, "1");
    EXPECT_EQ(list[0].date.offset_minutes, 60);
    EXPECT_EQ(list[0].date.hour, 14);
}

TEST(comments, replies_nest_under_their_parent_and_everything_is_escaped) {
    std::string post;
    std::vector<kade::diagnostic> errors;
    const std::string html = render_comments(parse(two_level, post, errors));
    EXPECT_NE(html.find("<h2 id=\"reacties\">3 reacties</h2>"), std::string::npos);
    const size_t first = html.find("id=\"c1\"");
    const size_t nested = html.find("<ol class=\"comment-replies\">");
    const size_t reply = html.find("id=\"c2\"");
    const size_t third = html.find("id=\"c3\"");
    ASSERT_NE(reply, std::string::npos);
    EXPECT_LT(first, nested);
    EXPECT_LT(nested, reply);
    EXPECT_LT(reply, third);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("Marieke &lt;b&gt;"), std::string::npos);
    EXPECT_NE(html.find("href=\"https://x.nl/?a=1&amp;b=2\" rel=\"nofollow ugc\""),
              std::string::npos);
    EXPECT_NE(html.find("<p>Een<br>Twee</p>\n<p>"), std::string::npos);
    EXPECT_NE(html.find("donderdag 2 januari 2014 om 14:05"), std::string::npos);
}

TEST(comments, a_cycle_of_parents_still_shows_every_comment_once) {
    std::vector<comment> list(2);
    list[0].id = "a";
    list[0].parent = "b";
    list[1].id = "b";
    list[1].parent = "a";
    list[0].author = list[1].author = "x";
    const std::string html = render_comments(list);
    EXPECT_NE(html.find("id=\"ca\""), std::string::npos);
    EXPECT_EQ(html.find("id=\"ca\""), html.rfind("id=\"ca\""));
    EXPECT_NE(html.find("id=\"cb\""), std::string::npos);
}

TEST(comments, bad_files_are_reported_with_lines) {
    std::string post;
    std::vector<kade::diagnostic> errors;
    parse(
        "post = \"/a.html\"\n[[comments]]\nid = \"1\"\nauthor = \"x\"\ndate = \"gisteren\"\n"
        "kleur = 1\n",
        post, errors);
    ASSERT_GE(errors.size(), 2u);
    bool date = false, unknown = false;
    for (const auto& e : errors) {
        date |= e.line == 5 && e.message.find("date") != std::string::npos;
        unknown |= e.line == 6 && e.message.find("kleur") != std::string::npos;
    }
    EXPECT_TRUE(date);
    EXPECT_TRUE(unknown);
    errors.clear();
    parse(
        "post = \"/a.html\"\n[[comments]]\nid = \"1\"\nauthor = \"x\"\n"
        "date = 2014-01-01T00:00:00Z\n[[comments]]\nid = \"1\"\nauthor = \"y\"\n"
        "date = 2014-01-01T00:00:00Z\n",
        post, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("twice"), std::string::npos);
    errors.clear();
    parse("post = [1\n", post, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("malformed TOML"), std::string::npos);
}

TEST(comments, the_section_goes_after_the_article) {
    comment_index index{{"/a.html", "<section>C</section>\n"}};
    EXPECT_EQ(with_comments("<main><article>P</article>\n<nav></nav></main>", index, "/a.html"),
              "<main><article>P</article>\n<section>C</section>\n<nav></nav></main>");
    EXPECT_EQ(with_comments("<article>P</article>", index, "/b.html"), "<article>P</article>");
}
