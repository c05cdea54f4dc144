#include "server/listing_pages.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bundle_format.hpp"
#include "common/listing_html.hpp"
#include "server/posts_by_date.hpp"

namespace kade {
namespace {

// `n` posts, newest first: post n is /p/n.html, titled "Bericht n".
std::string post_list(int n) {
    std::string out;
    for (int i = n; i >= 1; --i)
        out += std::to_string(1000 + i) + "\t/p/" + std::to_string(i) + ".html\tBericht " +
               std::to_string(i) + "\t" + std::to_string(i) + " januari 2014\t2014-01-" +
               (i < 10 ? "0" : "") + std::to_string(i) + "T00:00:00Z\tTuin\tJoke\tOver " +
               std::to_string(i) + ".\n";
    return out;
}

const std::string shell =
    "<title>Pagina <!--kade:page--> | Blog</title>"
    "<link rel=\"canonical\" href=\"https://blog.nl/page/<!--kade:page-->/\">"
    "<!--a comment of the page's own--><h1>Pagina <!--kade:page--> van <!--kade:pages--></h1>"
    "<!--kade:results--><!--kade:pager--><!--kade:query-->";

TEST(listing_pages, page_numbers_are_written_as_the_indexer_links_them) {
    auto number = [](std::string_view path) -> std::optional<std::size_t> {
        const auto later = later_page_of(path);
        if (!later || later->first != "/") return std::nullopt;
        return later->page;
    };
    EXPECT_EQ(number("/page/2/"), 2u);
    EXPECT_EQ(number("/page/1234/"), 1234u);
    EXPECT_FALSE(number("/page/1/"));  // that is "/"
    EXPECT_FALSE(number("/page/0/"));
    EXPECT_FALSE(number("/page/02/"));
    EXPECT_FALSE(number("/page/2"));
    EXPECT_FALSE(number("/page//"));
    EXPECT_FALSE(number("/page/"));
    EXPECT_FALSE(number("/page/2x/"));
    EXPECT_FALSE(number("/page/-2/"));
    EXPECT_FALSE(number("/page/99999999999999999999/"));
}

TEST(listing_pages, a_labels_later_pages_name_their_label_and_years_keep_theirs) {
    const auto later = later_page_of("/search/label/Koken en eten/page/3/");
    ASSERT_TRUE(later);
    EXPECT_EQ(later->first, "/search/label/Koken en eten");
    EXPECT_EQ(later->page, 3u);
    EXPECT_EQ(later_page_of("/search/label/page/page/2/")->first, "/search/label/page");
    EXPECT_FALSE(later_page_of("/search/label/page/2/"));  // no label
    EXPECT_FALSE(later_page_of("/search/label/a/b/page/2/"));
    EXPECT_FALSE(later_page_of("/2014/page/2/"));  // stored by kade-index
    EXPECT_EQ(listing_page_path("/", 1), "/");
    EXPECT_EQ(listing_page_path("/", 2), "/page/2/");
    EXPECT_EQ(listing_page_path("/search/label/x", 1), "/search/label/x");
    EXPECT_EQ(listing_page_path("/search/label/x", 4), "/search/label/x/page/4/");
}

TEST(listing_pages, a_page_shows_its_ten_posts_in_the_shell_with_both_links) {
    const std::string list = post_list(25);
    const auto lines = listed_lines(list);
    ASSERT_EQ(lines.size(), 25u);
    const auto page = later_listing_page(shell, lines, "/", 2, 10);
    ASSERT_TRUE(page);
    EXPECT_NE(page->find("<title>Pagina 2 | Blog</title>"), std::string::npos) << *page;
    EXPECT_NE(page->find("href=\"https://blog.nl/page/2/\""), std::string::npos);
    EXPECT_NE(page->find("<h1>Pagina 2 van 3</h1>"), std::string::npos);
    EXPECT_NE(page->find("<!--a comment of the page's own-->"), std::string::npos);
    EXPECT_NE(page->find("<!--kade:query-->"), std::string::npos);  // not this page's marker
    // Posts 11 to 20 of the newest first: 15 … 6, in that order.
    std::size_t at = 0;
    for (int i = 15; i >= 6; --i) {
        const auto found = page->find("<h2><a href=\"/p/" + std::to_string(i) + ".html\">", at);
        ASSERT_NE(found, std::string::npos) << i;
        at = found;
    }
    EXPECT_EQ(page->find("/p/16.html"), std::string::npos);
    EXPECT_EQ(page->find("/p/5.html"), std::string::npos);
    EXPECT_NE(page->find("</time> · Joke</p>\n<p>Over 6.</p>"), std::string::npos);
    EXPECT_NE(page->find("<a class=\"newer\" rel=\"prev\" href=\"/\">Nieuwere berichten</a>"),
              std::string::npos);
    EXPECT_NE(page->find("<a class=\"home\" href=\"/\">Startpagina</a>"), std::string::npos);
    EXPECT_NE(page->find("<a class=\"older\" rel=\"next\" href=\"/page/3/\">Oudere berichten</a>"),
              std::string::npos);
}

TEST(listing_pages, the_last_page_has_the_rest_and_no_older_link_and_there_is_none_after_it) {
    const std::string list = post_list(25);
    const auto lines = listed_lines(list);
    const auto last = later_listing_page(shell, lines, "/", 3, 10);
    ASSERT_TRUE(last);
    EXPECT_NE(last->find("/p/5.html"), std::string::npos);
    EXPECT_NE(last->find("/p/1.html"), std::string::npos);
    EXPECT_EQ(last->find("/p/6.html"), std::string::npos);
    EXPECT_NE(last->find("href=\"/page/2/\">Nieuwere berichten"), std::string::npos);
    EXPECT_EQ(last->find("class=\"older\""), std::string::npos);
    EXPECT_FALSE(later_listing_page(shell, lines, "/", 4, 10));
    EXPECT_FALSE(later_listing_page(shell, lines, "/", 1, 10));
    // Ten posts exactly fill the home page itself.
    const std::string ten = post_list(10);
    EXPECT_FALSE(later_listing_page(shell, listed_lines(ten), "/", 2, 10));
}

TEST(listing_pages, a_labels_pager_links_its_own_pages) {
    const std::string list = post_list(25);
    const auto lines = listed_lines(list);
    const auto page = later_listing_page(shell, lines, "/search/label/Koken en eten", 2, 10);
    ASSERT_TRUE(page);
    EXPECT_NE(
        page->find("<a class=\"newer\" rel=\"prev\" href=\"/search/label/Koken%20en%20eten\">"),
        std::string::npos)
        << *page;
    EXPECT_NE(
        page->find(
            "<a class=\"older\" rel=\"next\" href=\"/search/label/Koken%20en%20eten/page/3/\">"),
        std::string::npos);
    EXPECT_NE(page->find("/p/15.html"), std::string::npos);
}

TEST(listing_pages, titles_and_summaries_are_escaped_and_put_in_once) {
    const std::string list =
        "2\t/b.html\tB <!--kade:pager-->\ttwee\t2014-01-02T00:00:00Z\t\tJoke\tB & co\n"
        "1\t/a b.html\tA\teen\t2014-01-01T00:00:00Z\t\tJoke\tA.\n";
    const auto page = later_listing_page(shell, listed_lines(list), "/", 2, 1);
    ASSERT_TRUE(page);
    EXPECT_NE(page->find("<a href=\"/a%20b.html\">A</a>"), std::string::npos) << *page;
    const std::string twice = list + list;
    const std::string other = *later_listing_page(shell, listed_lines(twice), "/", 3, 1);
    EXPECT_NE(other.find("B &lt;!--kade:pager--&gt;"), std::string::npos) << other;
    EXPECT_NE(other.find("<p>B &amp; co</p>"), std::string::npos);
}

TEST(posts_by_date, lines_give_their_fields_and_labels) {
    const auto post =
        parse_listed_post("100\t/a.html\tA\teen\t2014-01-01T00:00:00Z\tKoken\x1fTuin\tJoke\tA.");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->published_unix, 100);
    EXPECT_EQ(post->path, "/a.html");
    EXPECT_EQ(post->author, "Joke");
    EXPECT_EQ(post->summary, "A.");
    EXPECT_EQ(post->labels, "Koken\x1fTuin");
    // A list written before labels, authors and summaries were in it.
    const auto old = parse_listed_post("100\t/a.html\tA\teen\t2014-01-01T00:00:00Z");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->summary, "");
    EXPECT_FALSE(parse_listed_post("100\t/a.html\tA\teen"));
    EXPECT_FALSE(parse_listed_post("x100\t/a.html\tA\teen\t2014-01-01T00:00:00Z"));
    EXPECT_EQ(listed_lines("a\nb\n").size(), 2u);
    EXPECT_EQ(listed_lines("a\nb").size(), 2u);
    EXPECT_TRUE(listed_lines("").empty());
}

TEST(posts_by_date, each_label_lists_its_posts_newest_first_and_dates_are_searched) {
    listed_posts posts(
        "30\t/c.html\tC\tdrie\t2014-01-03T00:00:00Z\tTuin\tJoke\tC.\n"
        "20\t/b.html\tB\ttwee\t2014-01-02T00:00:00Z\tKoken\x1fTuin\tJoke\tB.\n"
        "10\t/a.html\tA\teen\t2014-01-01T00:00:00Z\tKoken\tJoke\tA.\n");
    ASSERT_EQ(posts.all().size(), 3u);
    ASSERT_EQ(posts.with_label("Tuin").size(), 2u);
    EXPECT_TRUE(posts.with_label("Tuin")[0].starts_with("30\t"));
    EXPECT_TRUE(posts.with_label("Tuin")[1].starts_with("20\t"));
    EXPECT_EQ(posts.with_label("Koken").size(), 2u);
    EXPECT_TRUE(posts.with_label("Koke").empty());
    EXPECT_EQ(first_published_before(posts.all(), 100), 0u);
    EXPECT_EQ(first_published_before(posts.all(), 30), 1u);
    EXPECT_EQ(first_published_before(posts.all(), 21), 1u);
    EXPECT_EQ(first_published_before(posts.all(), 20), 2u);
    EXPECT_EQ(first_published_before(posts.all(), 10), 3u);
    EXPECT_EQ(first_published_before(posts.with_label("Koken"), 20), 1u);
}

}  // namespace
}  // namespace kade
