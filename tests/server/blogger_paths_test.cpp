#include "server/blogger_paths.hpp"

#include <string>

#include <gtest/gtest.h>

#include "server/posts_by_date.hpp"

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

// older_posts_html over the list as the server reads it.
std::string older_posts(const std::string& index, const older_posts_query& query) {
    listed_posts posts(index);
    return older_posts_html(query.label.empty() ? posts.all() : posts.with_label(query.label),
                            query);
}

older_posts_query before(std::int64_t moment, std::size_t max, std::string_view label = {}) {
    older_posts_query q;
    q.before = moment;
    q.max = max;
    q.label = label;
    return q;
}

TEST(blogger_paths, older_posts_are_the_next_n_before_the_moment) {
    const std::string index =
        "300\t/c.html\tC\tdrie\t2014-01-03T00:00:00Z\n"
        "200\t/b.html\tB & co\ttwee\t2014-01-02T00:00:00+01:00\n"
        "100\t/a.html\tA\teen\t2014-01-01T00:00:00Z\n";
    const std::string html = older_posts(index, before(300, 1));
    EXPECT_NE(html.find("<h2><a href=\"/b.html\">B &amp; co</a></h2>"), std::string::npos) << html;
    EXPECT_EQ(html.find("/c.html"), std::string::npos);
    EXPECT_NE(
        html.find("href=\"/search?updated-max=2014-01-02T00:00:00%2B01:00&amp;max-results=1\""),
        std::string::npos)
        << html;
    EXPECT_EQ(older_posts(index, before(200, 5)).find("class=\"older\""), std::string::npos);
    EXPECT_NE(older_posts(index, before(50, 5)).find("geen oudere berichten"), std::string::npos);
}

TEST(blogger_paths, older_posts_show_author_and_summary_as_the_home_page_does) {
    const std::string index =
        "200\t/b.html\tB\ttwee\t2014-01-02T00:00:00Z\tKoken\x1fTuin\tJoke\tOver <bessen>.\n";
    const std::string html = older_posts(index, before(300, 5));
    EXPECT_NE(html.find("</time> · Joke</p>"), std::string::npos) << html;
    EXPECT_NE(html.find("<p>Over &lt;bessen&gt;.</p>"), std::string::npos) << html;
    EXPECT_NE(html.find("class=\"more\" href=\"/b.html\""), std::string::npos) << html;
}

TEST(blogger_paths, a_label_lists_only_its_own_older_posts_and_links_on_in_its_own_form) {
    const std::string index =
        "400\t/d.html\tD\tvier\t2014-01-04T00:00:00Z\tKoken\tJoke\tD.\n"
        "300\t/c.html\tC\tdrie\t2014-01-03T00:00:00Z\tTuin\tJoke\tC.\n"
        "200\t/b.html\tB\ttwee\t2014-01-02T00:00:00Z\tTuin\x1fKoken en eten\tJoke\tB.\n"
        "100\t/a.html\tA\teen\t2014-01-01T00:00:00Z\tKoken en eten\tJoke\tA.\n";
    const std::string html = older_posts(index, before(500, 1, "Koken en eten"));
    EXPECT_NE(html.find("/b.html"), std::string::npos) << html;
    EXPECT_EQ(html.find("/d.html"), std::string::npos) << html;  // "Koken" is another label
    EXPECT_NE(html.find("met het label Koken en eten"), std::string::npos) << html;
    EXPECT_NE(html.find("href=\"/search/label/Koken%20en%20eten?updated-max=2014-01-02T00:00:00Z"
                        "&amp;max-results=1\""),
              std::string::npos)
        << html;
    // Titles and dates only, from a list written before labels were in it: no label matches.
    EXPECT_NE(older_posts("100\t/a.html\tA\teen\t2014-01-01T00:00:00Z\n", before(500, 1, "X"))
                  .find("geen oudere berichten"),
              std::string::npos);
}

TEST(blogger_paths, older_posts_page_through_a_long_list_from_the_moment_on) {
    std::string index;
    for (int i = 1000; i >= 1; --i)
        index += std::to_string(i * 10) + "\t/p/" + std::to_string(i) + ".html\tP" +
                 std::to_string(i) + "\tdag\t2014-01-01T00:00:00Z\t" +
                 (i % 3 ? "A"
                        : "A\x1f"
                          "B") +
                 "\tJoke\tS.\n";
    // Before 5,005: posts 500, 499, 498 (published at 5,000, 4,990, 4,980).
    const std::string html = older_posts(index, before(5005, 3));
    EXPECT_NE(html.find("/p/500.html"), std::string::npos) << html;
    EXPECT_NE(html.find("/p/498.html"), std::string::npos);
    EXPECT_EQ(html.find("/p/501.html"), std::string::npos);
    EXPECT_EQ(html.find("/p/497.html"), std::string::npos);
    // A moment on a post's own time leaves that post out.
    EXPECT_EQ(older_posts(index, before(5000, 1)).find("/p/500.html"), std::string::npos);
    // Label B is every third post: before 5,005 its posts 498, 495.
    const std::string b = older_posts(index, before(5005, 2, "B"));
    EXPECT_NE(b.find("/p/498.html"), std::string::npos) << b;
    EXPECT_NE(b.find("/p/495.html"), std::string::npos);
    EXPECT_EQ(b.find("/p/499.html"), std::string::npos);
    EXPECT_NE(older_posts(index, before(5005, 2, "C")).find("geen oudere berichten"),
              std::string::npos);
    EXPECT_NE(older_posts(index, before(5, 2)).find("geen oudere berichten"), std::string::npos);
}

}  // namespace
}  // namespace kade
