#include "indexer/content/site.hpp"

#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "common/text.hpp"
#include "indexer/render/feeds.hpp"
#include "indexer/render/render.hpp"

namespace kade::indexer {
namespace {

post make(std::string_view file, std::string_view front, std::string_view body = "Tekst.\n") {
    std::vector<diagnostic> errors;
    const std::string text = "+++\n" + std::string(front) + "+++\n" + std::string(body);
    auto p = parse_post(file, text, errors);
    EXPECT_TRUE(p) << (errors.empty() ? "" : errors[0].message);
    return *p;
}

TEST(site, dutch_date_names_weekday_and_month) {
    post_time t;
    t.year = 2014, t.month = 1, t.day = 2;
    EXPECT_EQ(dutch_date(t), "donderdag 2 januari 2014");
    t.year = 2019, t.month = 10, t.day = 13;
    EXPECT_EQ(dutch_date(t), "zondag 13 oktober 2019");
}

TEST(site, rfc3339_keeps_the_authors_offset) {
    post_time t;
    t.year = 2014, t.month = 1, t.day = 2, t.hour = 10;
    t.offset_minutes = 60;
    EXPECT_EQ(rfc3339(t), "2014-01-02T10:00:00+01:00");
    t.offset_minutes = -330;
    EXPECT_EQ(rfc3339(t), "2014-01-02T10:00:00-05:30");
    t.offset_minutes = 0;
    EXPECT_EQ(rfc3339(t), "2014-01-02T10:00:00Z");
}

TEST(site, purge_keys_are_short_stable_and_differ_per_url) {
    const std::regex form("post-[0-9a-f]{12}");
    EXPECT_TRUE(std::regex_match(post_key("/2014/01/a.html"), form));
    EXPECT_EQ(post_key("/2014/01/a.html"), post_key("/2014/01/a.html"));
    EXPECT_NE(post_key("/2014/01/a.html"), post_key("/2014/01/b.html"));
    EXPECT_TRUE(std::regex_match(label_key("café"), std::regex("label-[0-9a-f]{12}")));
}

TEST(site, drafts_are_dropped_and_posts_grouped_by_label_year_and_month) {
    std::vector<post> posts;
    posts.push_back(
        make("a.md", "title = \"A\"\ndate = 2014-01-02\nlabels = [\"zee\", \"café\"]\n"));
    posts.push_back(make("b.md", "title = \"B\"\ndate = 2014-01-20\nlabels = [\"Coöperatie\"]\n"));
    posts.push_back(make("c.md", "title = \"C\"\ndate = 2015-06-01\nlabels = [\"café\"]\n"));
    posts.push_back(
        make("d.md", "title = \"D\"\ndate = 2016-01-01\nlabels = [\"geheim\"]\ndraft = true\n"));
    std::vector<diagnostic> errors;
    const site s = build_site(std::move(posts), config{}, errors);
    ASSERT_TRUE(errors.empty());
    ASSERT_EQ(s.posts.size(), 3u);
    EXPECT_EQ(s.posts[0].source.title, "C");  // newest first
    EXPECT_EQ(s.posts[2].source.title, "A");

    ASSERT_EQ(s.labels.size(), 3u);       // "geheim" only on the draft
    EXPECT_EQ(s.labels[0].name, "café");  // by folded name: cafe < cooperatie < zee
    EXPECT_EQ(s.labels[1].name, "Coöperatie");
    EXPECT_EQ(s.labels[2].name, "zee");
    EXPECT_EQ(s.labels[0].posts, (std::vector<std::size_t>{0, 2}));

    ASSERT_EQ(s.years.size(), 2u);
    EXPECT_EQ(s.years[0].year, 2015);
    EXPECT_EQ(s.years[1].year, 2014);
    EXPECT_EQ(s.years[1].count, 2u);
    ASSERT_EQ(s.years[1].months.size(), 1u);
    EXPECT_EQ(s.years[1].months[0].posts, (std::vector<std::size_t>{1, 2}));
}

TEST(site, two_posts_with_one_url_are_reported_at_the_line_that_made_the_url) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"Zelfde\"\ndate = 2014-01-02\n"));
    posts.push_back(make("b.md", "date = 2014-01-09\n\ntitle = \"Zelfde\"\n"));
    posts.push_back(make("c.md", "title = \"Anders\"\ndate = 2014-01-09\nslug = \"zelfde\"\n"));
    std::vector<diagnostic> errors;
    build_site(std::move(posts), config{}, errors);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].file, "b.md");
    EXPECT_EQ(errors[0].line, 4);  // title
    EXPECT_EQ(errors[1].file, "c.md");
    EXPECT_EQ(errors[1].line, 4);  // slug
}

TEST(site, alias_on_another_posts_url_is_reported_at_the_alias_line) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\n"));
    posts.push_back(make("b.md",
                         "title = \"B\"\ndate = 2014-02-02\naliases = [\"/x.html\",\n"
                         "  \"/2014/01/a.html\"]\n"));
    std::vector<diagnostic> errors;
    build_site(std::move(posts), config{}, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "b.md");
    EXPECT_EQ(errors[0].line, 5);
}

TEST(site, feed_id_is_the_front_matter_id_else_stable_under_title_slug_and_date_edits) {
    config cfg;
    cfg.site.base_url = "https://www.example.nl:8443/";
    auto build = [&](std::string_view front) {
        std::vector<post> posts;
        posts.push_back(make("content/posts/2014/01/a.md", front));
        posts.back().content_path = "posts/2014/01/a.md";
        std::vector<diagnostic> errors;
        site s = build_site(std::move(posts), cfg, errors);
        EXPECT_TRUE(errors.empty());
        return s;
    };
    const site before = build("title = \"A\"\ndate = 2014-01-02\n");
    const site after = build("title = \"B\"\nslug = \"bee\"\ndate = 2015-03-04\n");
    EXPECT_EQ(before.posts[0].feed_id, "tag:www.example.nl,2014:posts/2014/01/a");
    EXPECT_EQ(after.posts[0].feed_id, before.posts[0].feed_id);
    EXPECT_EQ(before.feed_id, "");  // no Blogger posts: the feed's URL

    const site imported =
        build("title = \"A\"\ndate = 2014-01-02\nid = \"tag:blogger.com,1999:blog-77.post-5\"\n");
    EXPECT_EQ(imported.posts[0].feed_id, "tag:blogger.com,1999:blog-77.post-5");
    EXPECT_EQ(imported.feed_id, "tag:blogger.com,1999:blog-77");
    cfg.site.feed_id = "urn:uuid:1";
    EXPECT_EQ(build("title = \"A\"\ndate = 2014-01-02\n").feed_id, "urn:uuid:1");
}

TEST(site, two_posts_with_one_id_are_reported_at_the_id_line) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\nid = \"urn:x:1\"\n"));
    posts.push_back(make("b.md", "title = \"B\"\ndate = 2014-01-03\nid = \"urn:x:1\"\n"));
    std::vector<diagnostic> errors;
    build_site(std::move(posts), config{}, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "b.md");
    EXPECT_EQ(errors[0].line, 4);
    EXPECT_NE(errors[0].message.find("already the id of a.md"), std::string::npos);
}

TEST(site, blogger_blog_id_is_the_post_id_without_the_post) {
    EXPECT_EQ(blogger_blog_id("tag:blogger.com,1999:blog-12.post-34"),
              "tag:blogger.com,1999:blog-12");
    EXPECT_EQ(blogger_blog_id("tag:example.nl,2014:posts/a"), "");
}

TEST(render, reading_time_rounds_up_at_200_words_a_minute) {
    EXPECT_EQ(reading_time(0), "1 minuut leestijd");
    EXPECT_EQ(reading_time(200), "1 minuut leestijd");
    EXPECT_EQ(reading_time(201), "2 minuten leestijd");
}

TEST(render, listing_paths_follow_blogger) {
    EXPECT_EQ(home_path(1), "/");
    EXPECT_EQ(home_path(2), "/page/2/");
    EXPECT_EQ(label_path("café"), "/search/label/café");
    EXPECT_EQ(label_path("café", 3), "/search/label/café/page/3/");
    EXPECT_EQ(month_path(2014, 1), "/2014/01/");
    EXPECT_EQ(year_path(2014), "/2014/");
}

TEST(render, later_pages_of_a_year_do_not_change_when_another_year_gets_a_post) {
    auto year_pages = [](std::size_t posts_in_2015) {
        std::vector<post> posts;
        posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\n"));
        posts.push_back(make("b.md", "title = \"B\"\ndate = 2014-02-03\n"));
        for (std::size_t i = 0; i < posts_in_2015; ++i)
            posts.push_back(make("c" + std::to_string(i) + ".md",
                                 "title = \"C" + std::to_string(i) + "\"\ndate = 2015-03-0" +
                                     std::to_string(i + 1) + "\n"));
        std::vector<diagnostic> errors;
        config cfg;
        cfg.index.posts_per_page = 1;
        const site s = build_site(std::move(posts), cfg, errors);
        const page_context ctx{cfg, "/static/style.css", 2015};
        std::map<std::string, std::string> out;
        for (auto& pg : render_listings(s, ctx))
            if (pg.path.starts_with("/2014/")) out[pg.path] = pg.body;
        return out;
    };
    const auto before = year_pages(1);
    const auto after = year_pages(2);
    ASSERT_TRUE(before.count("/2014/") && before.count("/2014/page/2/"));
    // The first page counts every year's posts; the later ones list the years alone.
    EXPECT_NE(before.at("/2014/").find("2015</a> <span class=\"count\">(1)</span>"),
              std::string::npos);
    EXPECT_NE(after.at("/2014/").find("2015</a> <span class=\"count\">(2)</span>"),
              std::string::npos);
    EXPECT_NE(before.at("/2014/page/2/").find("<a href=\"/2015/\">2015</a></li>"),
              std::string::npos);
    EXPECT_EQ(before.at("/2014/page/2/"), after.at("/2014/page/2/"));
}

// The home page's later pages change with every new post: the server puts them together from a
// shell (tests/server/home_pages_test.cpp), the sitemap still lists them.
TEST(render, later_listing_pages_are_a_shell_for_the_server_and_in_the_sitemap) {
    std::vector<post> posts;
    for (int i = 1; i <= 5; ++i)
        posts.push_back(make("p" + std::to_string(i) + ".md",
                             "title = \"P" + std::to_string(i) + "\"\ndate = 2014-01-0" +
                                 std::to_string(i) + "\nlabels = [\"Koken en eten\"]\n"));
    std::vector<diagnostic> errors;
    config cfg;
    cfg.index.posts_per_page = 2;
    cfg.site.base_url = "https://blog.example";
    cfg.site.title = "Mijn <blog>";
    const site s = build_site(std::move(posts), cfg, errors);
    const page_context ctx{cfg, "/static/style.css", 2014};
    std::map<std::string, page_input> out;
    for (auto& pg : render_listings(s, ctx)) out[pg.path] = pg;
    ASSERT_TRUE(out.count("/"));
    EXPECT_FALSE(out.count("/page/2/"));
    ASSERT_TRUE(out.count(std::string(bundle::home_pages_shell_path)));
    const page_input& shell = out.at(std::string(bundle::home_pages_shell_path));
    EXPECT_EQ(shell.keys, "home");
    EXPECT_NE(shell.body.find("<title>Pagina <!--kade:page--> | Mijn &lt;blog&gt;</title>"),
              std::string::npos)
        << shell.body;
    EXPECT_NE(shell.body.find("<link rel=\"canonical\" href=\"https://blog.example/page/"
                              "<!--kade:page-->/\">"),
              std::string::npos);
    EXPECT_NE(shell.body.find(">Pagina <!--kade:page--> van <!--kade:pages--></h1>\n"
                              "<!--kade:results-->\n<!--kade:pager-->"),
              std::string::npos);
    // The home page links to the first of them.
    EXPECT_NE(out.at("/").body.find("href=\"/page/2/\">Oudere berichten"), std::string::npos);

    // The label's: its own shell, key and canonical link; its first page alone is stored.
    EXPECT_FALSE(out.count("/search/label/Koken en eten/page/2/"));
    const std::string label_shell = std::string(bundle::label_pages_shell_prefix) + "Koken en eten";
    ASSERT_TRUE(out.count(label_shell));
    // Purged with the home page too: the list of posts they show changes with it.
    EXPECT_EQ(out.at(label_shell).keys, s.labels.at(0).key + " home");
    EXPECT_NE(out.at(label_shell)
                  .body.find("https://blog.example/search/label/Koken%20en%20eten/"
                             "page/<!--kade:page-->/\">"),
              std::string::npos)
        << out.at(label_shell).body;
    EXPECT_NE(out.at(label_shell)
                  .body.find("Berichten met het label Koken en eten (pagina "
                             "<!--kade:page--> van <!--kade:pages-->)"),
              std::string::npos);

    const auto later = later_listing_pages(s, ctx);
    ASSERT_EQ(later.size(), 4u);
    EXPECT_EQ(later[0].path, "/page/2/");
    EXPECT_EQ(later[1].path, "/page/3/");
    EXPECT_EQ(later[1].last_modified, s.posts[4].last_modified);  // the oldest post alone
    EXPECT_EQ(later[3].path, "/search/label/Koken en eten/page/3/");
    const auto sitemaps = render_sitemaps({}, later, ctx);
    ASSERT_EQ(sitemaps.size(), 1u);
    const std::string& sitemap = sitemaps.front().body;
    EXPECT_NE(sitemap.find("<loc>https://blog.example/page/3/</loc><lastmod>"), std::string::npos)
        << sitemap;
}

TEST(render, a_sitemap_past_its_limit_becomes_an_index_of_sitemaps) {
    config cfg;
    cfg.site.base_url = "https://blog.example";
    const page_context ctx{cfg, "/static/style.css", 2014};
    std::vector<page_input> pages;
    for (const char* path : {"/e.html", "/a.html", "/d.html", "/c.html", "/b.html"})
        pages.push_back({path, "text/html; charset=utf-8", "x", bundle::cache_class::html, 200,
                         path[1] == 'c' ? 1700000000 : 1600000000, "", "k"});
    pages.push_back({"/feeds/posts/default", "application/atom+xml; charset=utf-8", "x",
                     bundle::cache_class::feed, 200, 1800000000, "", "feed"});
    const auto out = render_sitemaps(pages, {}, ctx, 2);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].path, "/sitemap.xml");
    EXPECT_EQ(out[0].body,
              "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
              "<sitemap><loc>https://blog.example/sitemap-1.xml</loc>"
              "<lastmod>2020-09-13T12:26:40Z</lastmod></sitemap>\n"
              "<sitemap><loc>https://blog.example/sitemap-2.xml</loc>"
              "<lastmod>2023-11-14T22:13:20Z</lastmod></sitemap>\n"
              "<sitemap><loc>https://blog.example/sitemap-3.xml</loc>"
              "<lastmod>2020-09-13T12:26:40Z</lastmod></sitemap>\n"
              "</sitemapindex>\n");
    EXPECT_EQ(out[0].last_modified, 1700000000);
    // Path order, two URLs a file, the feed in none.
    EXPECT_NE(out[1].body.find("<loc>https://blog.example/a.html</loc>"), std::string::npos);
    EXPECT_NE(out[1].body.find("<loc>https://blog.example/b.html</loc>"), std::string::npos);
    EXPECT_NE(out[2].body.find("<loc>https://blog.example/c.html</loc>"), std::string::npos);
    EXPECT_NE(out[3].body.find("<loc>https://blog.example/e.html</loc>"), std::string::npos);
    EXPECT_EQ(out[3].body.find("<loc>https://blog.example/d.html</loc>"), std::string::npos);
    for (std::size_t i = 1; i < out.size(); ++i) {
        EXPECT_EQ(out[i].path, "/sitemap-" + std::to_string(i) + ".xml");
        EXPECT_EQ(out[i].body.find("feeds"), std::string::npos);
        EXPECT_NE(out[i].body.find("<urlset"), std::string::npos);
    }
    // At the limit, one sitemap as before.
    const auto one = render_sitemaps(pages, {}, ctx, 5);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].path, "/sitemap.xml");
    EXPECT_NE(one[0].body.find("<urlset"), std::string::npos);
}

TEST(render, one_page_of_posts_needs_no_shell) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\n"));
    std::vector<diagnostic> errors;
    config cfg;
    const site s = build_site(std::move(posts), cfg, errors);
    const page_context ctx{cfg, "/static/style.css", 2014};
    for (const auto& pg : render_listings(s, ctx))
        EXPECT_NE(pg.path, bundle::home_pages_shell_path);
    EXPECT_TRUE(later_listing_pages(s, ctx).empty());
}

TEST(render, descriptions_are_cut_at_a_word_near_155_characters) {
    std::string paragraph;
    for (int i = 0; i < 60; ++i) paragraph += "woord" + std::to_string(i) + " ";
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\n", paragraph + "\n"));
    std::vector<diagnostic> errors;
    const config cfg;
    const site s = build_site(std::move(posts), cfg, errors);
    ASSERT_EQ(s.posts.size(), 1u);
    const std::string& d = s.posts[0].description;
    EXPECT_LE(count_code_points(d), 155u);
    EXPECT_GE(count_code_points(d), 140u);
    EXPECT_TRUE(d.ends_with("\u2026")) << d;
    EXPECT_TRUE(paragraph.starts_with(d.substr(0, d.size() - 3) + " ")) << d;  // whole words
    EXPECT_EQ(s.posts[0].summary, paragraph.substr(0, paragraph.size() - 1));  // listings: all

    const page_context ctx{cfg, "/static/style.css", 2014};
    const std::string html = render_post(s, 0, {}, ctx);
    const std::string escaped = html_escape(d);
    EXPECT_NE(html.find("<meta name=\"description\" content=\"" + escaped + "\">"),
              std::string::npos);
    EXPECT_NE(html.find("<meta property=\"og:description\" content=\"" + escaped + "\">"),
              std::string::npos);
    EXPECT_NE(html.find("\"description\":\"" + d + "\""), std::string::npos);
}

TEST(render, json_ld_names_the_first_image_absolute_and_the_publisher) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "title = \"A\"\ndate = 2014-01-02\nslug = \"a\"\n",
                         "Tekst met ![een foto](/static/a&amp;b.png) en "
                         "![nog een](https://ander.example/c.png).\n"));
    posts.push_back(make("b.md", "title = \"B\"\ndate = 2014-01-03\n", "Geen beeld.\n"));
    std::vector<diagnostic> errors;
    config cfg;
    cfg.site.base_url = "https://blog.example";
    cfg.site.title = "Het blog";
    const site s = build_site(std::move(posts), cfg, errors);
    ASSERT_EQ(s.posts.size(), 2u);
    const page_context ctx{cfg, "/static/style.css", 2014};
    const std::string with = render_post(s, 1, {}, ctx);
    EXPECT_NE(with.find(",\"image\":\"https://blog.example/static/a&b.png\""), std::string::npos)
        << with;
    EXPECT_NE(
        with.find(
            "<meta property=\"og:image\" content=\"https://blog.example/static/a&amp;b.png\">"),
        std::string::npos);
    EXPECT_NE(with.find(",\"publisher\":{\"@type\":\"Organization\",\"name\":\"Het blog\","
                        "\"url\":\"https://blog.example/\"}"),
              std::string::npos);
    const std::string without = render_post(s, 0, {}, ctx);
    EXPECT_EQ(without.find("\"image\""), std::string::npos);
    EXPECT_EQ(without.find("og:image"), std::string::npos);
    EXPECT_NE(without.find("\"publisher\""), std::string::npos);
}

}  // namespace
}  // namespace kade::indexer
