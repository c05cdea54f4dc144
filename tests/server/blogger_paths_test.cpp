#include "server/blogger_paths.hpp"

#include <gtest/gtest.h>

namespace kade {
namespace {

TEST(blogger_paths, updated_max_in_every_form_blogger_and_forms_write_it) {
    EXPECT_EQ(parse_blogger_time("2014-01-02T10:00:00+01:00"), 1388653200);
    EXPECT_EQ(parse_blogger_time("2014-01-02T10:00:00.000+01:00"), 1388653200);
    EXPECT_EQ(parse_blogger_time("2014-01-02T10:00:00.000 01:00"), 1388653200);  // '+' as space
    EXPECT_EQ(parse_blogger_time("2014-01-02T09:00:00Z"), 1388653200);
    EXPECT_EQ(parse_blogger_time("2014-01-02T01:00:00-08:00"), 1388653200);
    EXPECT_FALSE(parse_blogger_time("gisteren"));
    EXPECT_FALSE(parse_blogger_time("2014-13-02T10:00:00Z"));
}

TEST(blogger_paths, archive_pages_name_their_month) {
    EXPECT_EQ(archive_month_path("/2014_11_20_archive.html"), "/2014/11/");
    EXPECT_FALSE(archive_month_path("/2014_13_20_archive.html"));
    EXPECT_FALSE(archive_month_path("/2014/11/x.html"));
}

TEST(blogger_paths, older_posts_are_the_next_n_before_the_moment) {
    const std::string index =
        "300\t/c.html\tC\tdrie\t2014-01-03T00:00:00Z\n"
        "200\t/b.html\tB & co\ttwee\t2014-01-02T00:00:00+01:00\n"
        "100\t/a.html\tA\teen\t2014-01-01T00:00:00Z\n";
    const std::string html = older_posts_html(index, 300, 1);
    EXPECT_NE(html.find("<a href=\"/b.html\">B &amp; co</a>"), std::string::npos) << html;
    EXPECT_EQ(html.find("/c.html"), std::string::npos);
    EXPECT_NE(
        html.find("href=\"/search?updated-max=2014-01-02T00:00:00%2B01:00&amp;max-results=1\""),
        std::string::npos)
        << html;
    EXPECT_EQ(older_posts_html(index, 200, 5).find("class=\"older\""), std::string::npos);
    EXPECT_NE(older_posts_html(index, 50, 5).find("geen oudere berichten"), std::string::npos);
}

}  // namespace
}  // namespace kade
