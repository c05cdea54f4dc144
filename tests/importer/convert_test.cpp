#include "importer/convert.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <toml++/toml.h>

#include "common/files.hpp"
#include "importer/export.hpp"
#include "indexer/content/markdown.hpp"
#include "indexer/content/post.hpp"

using namespace kade::blogger;

namespace {

std::string read(const std::string& rel) {
    return kade::read_file(std::string(KADE_SOURCE_DIR) + "/" + rel).value_or("");
}

const std::string legacy_path = "tests/fixtures/blogger/legacy-backup.xml";
const std::string takeout_path =
    "tests/fixtures/blogger/takeout/Blogger/Blogs/Sonja van Vuren/feed.atom";

const output_file* find(const import_result& r, const std::string& path) {
    for (const auto& f : r.files)
        if (f.path == path) return &f;
    return nullptr;
}

kade::indexer::post parsed(const output_file& f) {
    std::vector<kade::diagnostic> errors;
    auto p = kade::indexer::parse_post(f.path, f.content, errors);
    EXPECT_TRUE(errors.empty()) << f.path << ": " << (errors.empty() ? "" : errors[0].message);
    return p ? *p : kade::indexer::post{};
}

}  // namespace

TEST(convert, every_post_and_page_is_valid_front_matter_for_the_indexer) {
    for (const auto& path : {legacy_path, takeout_path}) {
        const import_result r = convert_export(read_export(read(path)));
        ASSERT_FALSE(r.files.empty()) << path;
        for (const auto& f : r.files) {
            if (f.path.ends_with(".md")) {
                parsed(f);
            } else {
                EXPECT_NO_THROW(toml::parse(f.content)) << f.path;
            }
        }
    }
}

TEST(convert, legacy_fixture_posts_pages_drafts_and_aliases) {
    const import_result r = convert_export(read_export(read(legacy_path)));
    EXPECT_EQ(r.posts, 3u);
    EXPECT_EQ(r.drafts, 1u);
    EXPECT_EQ(r.pages, 1u);
    EXPECT_EQ(r.settings, 2u);
    EXPECT_EQ(r.layouts, 1u);
    EXPECT_EQ(r.comments, 4u);
    EXPECT_EQ(r.comments_skipped, 1u);  // the removed one

    // Name and month match: the old permalink is the URL.
    const output_file* a = find(r, "posts/2014/01/doen-waar-je-niet-goed-in-bent.md");
    ASSERT_NE(a, nullptr);
    const auto pa = parsed(*a);
    EXPECT_EQ(pa.slug, "doen-waar-je-niet-goed-in-bent");
    EXPECT_TRUE(pa.aliases.empty());
    EXPECT_EQ(pa.labels, (std::vector<std::string>{"ondernemen", "samenwerken"}));
    EXPECT_EQ(pa.date.offset_minutes, 60);
    EXPECT_EQ(pa.date.month, 1);

    // A name that is not a slug: a clean slug and the old path as an alias.
    const auto pb = parsed(*find(r, "posts/2014/02/blog-post-12.md"));
    EXPECT_EQ(pb.aliases, std::vector<std::string>{"/2014/02/blog-post_12.html"});
    EXPECT_EQ(pb.labels, (std::vector<std::string>{"ideeën", "coöperatie", "Klanten & service"}));

    // The date was moved to March after publishing; Blogger kept the February URL.
    const auto pc = parsed(*find(r, "posts/2014/03/lente-in-de-winkel.md"));
    EXPECT_EQ(pc.aliases, std::vector<std::string>{"/2014/02/lente-in-de-winkel.html"});

    const auto draft = parsed(*find(r, "posts/2014/04/concept-plannen-voor-2015.md"));
    EXPECT_TRUE(draft.draft);
    EXPECT_NE(find(r, "pages/over-mij.md"), nullptr);
    EXPECT_EQ(r.aliases.size(), 2u);
}

TEST(convert, takeout_fixture_leaves_out_trashed_posts_and_their_comments) {
    const import_result r = convert_export(read_export(read(takeout_path)));
    EXPECT_EQ(r.trashed, 1u);
    EXPECT_EQ(r.posts, 4u);
    EXPECT_EQ(r.pages, 2u);
    for (const auto& f : r.files) {
        EXPECT_EQ(f.content.find("VERWIJDERDEPOST"), std::string::npos) << f.path;
        EXPECT_EQ(f.content.find("weggegooide"), std::string::npos) << f.path;
        EXPECT_EQ(f.content.find("Goedkope pillen"), std::string::npos) << f.path;
    }
    // 23:30 UTC on 31 January is February in the blog's time zone: alias to the UTC month.
    const auto p = parsed(*find(r, "posts/2014/01/koffie-in-de-winter.md"));
    EXPECT_EQ(p.aliases, std::vector<std::string>{"/2014/02/koffie-in-de-winter.html"});
    EXPECT_EQ(p.summary, "Koffie, koekjes en klanten in de kou.");
}

TEST(convert, comments_keep_threads_and_refer_to_the_new_url) {
    const import_result r = convert_export(read_export(read(legacy_path)));
    const output_file* c = find(r, "comments/2014/01/doen-waar-je-niet-goed-in-bent.toml");
    ASSERT_NE(c, nullptr);
    const toml::table t = toml::parse(c->content);
    EXPECT_EQ(t["post"].value_or(std::string()), "/2014/01/doen-waar-je-niet-goed-in-bent.html");
    const toml::array* list = t["comments"].as_array();
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->size(), 3u);
    const toml::table& reply = *(*list)[1].as_table();
    EXPECT_EQ(reply["parent"].value_or(std::string()), "1001");
    EXPECT_EQ(reply["author"].value_or(std::string()), "Sonja van Vuren");
    const toml::table& first = *(*list)[0].as_table();
    EXPECT_EQ(first["text"].value_or(std::string()),
              "Herkenbaar! Ik doe ook alles zelf.\n\nTijd voor verandering \xF0\x9F\x99\x82");
}

TEST(convert, images_on_blogger_hosts_are_listed_and_mapped_by_file_name) {
    import_options options;
    options.local_images["koffie.png"] = "/dl/koffie.png";
    options.local_images["samenwerken.jpg"] = "";  // two different files with that name
    const import_result r = convert_export(read_export(read(takeout_path)), options);
    ASSERT_EQ(r.copies.size(), 1u);
    EXPECT_EQ(r.copies[0].source, "/dl/koffie.png");
    EXPECT_EQ(r.copies[0].path, "static/blogger/koffie.png");
    EXPECT_NE(find(r, "posts/2014/01/koffie-in-de-winter.md")
                  ->content.find("![Een kop koffie & een koekje](/static/blogger/koffie.png)"),
              std::string::npos);
    bool listed = false;
    for (const auto& img : r.images) {
        EXPECT_TRUE(is_blogger_image(img.url)) << img.url;
        if (img.file_name == "samenwerken.jpg") {
            EXPECT_TRUE(img.local_url.empty());
            EXPECT_FALSE(img.note.empty());
            listed = true;
        }
    }
    EXPECT_TRUE(listed);
}

TEST(convert, the_same_export_gives_the_same_files) {
    const std::string xml = read(legacy_path);
    const import_result a = convert_export(read_export(xml));
    const import_result b = convert_export(read_export(xml));
    ASSERT_EQ(a.files.size(), b.files.size());
    for (size_t i = 0; i < a.files.size(); ++i) {
        EXPECT_EQ(a.files[i].path, b.files[i].path);
        EXPECT_EQ(a.files[i].content, b.files[i].content);
    }
}

TEST(convert, clashing_slugs_get_a_number) {
    blog_export b;
    blog_entry p;
    p.kind = entry_kind::post;
    p.title = "Zelfde";
    p.published = "2014-05-01T10:00:00Z";
    p.path = "/2014/05/zelfde.html";
    p.id = "1";
    b.entries.push_back(p);
    p.path = "/2014/05/Zelfde.html";  // derives to the same slug
    p.id = "2";
    b.entries.push_back(p);
    const import_result r = convert_export(b);
    ASSERT_EQ(r.files.size(), 2u);
    EXPECT_EQ(r.files[0].path, "posts/2014/05/zelfde-2.md");
    EXPECT_EQ(r.files[1].path, "posts/2014/05/zelfde.md");
}

TEST(convert, toml_values) {
    EXPECT_EQ(toml_datetime("2014-01-02T10:00:00.000+01:00"), "2014-01-02T10:00:00+01:00");
    EXPECT_EQ(toml_datetime("2014-01-02T09:00:00.001Z"), "2014-01-02T09:00:00Z");
    EXPECT_EQ(toml_datetime("2 januari 2014"), "");
    EXPECT_EQ(toml_datetime("2014-13-02T09:00:00Z"), "");
}

TEST(convert, dates_move_to_the_blogs_time_zone) {
    if (!std::ifstream("/usr/share/zoneinfo/Europe/Amsterdam")) GTEST_SKIP() << "no tzdata";
    EXPECT_EQ(in_zone("2014-01-31T23:30:00Z", "Europe/Amsterdam"), "2014-02-01T00:30:00+01:00");
    EXPECT_EQ(in_zone("2014-07-01T12:00:00Z", "Europe/Amsterdam"), "2014-07-01T14:00:00+02:00");
    EXPECT_EQ(in_zone("2014-07-01T12:00:00-05:00", "Europe/Amsterdam"),
              "2014-07-01T19:00:00+02:00");
    EXPECT_EQ(in_zone("2014-07-01T12:00:00Z", ""), "2014-07-01T12:00:00Z");

    import_options options;
    options.timezone = "Europe/Amsterdam";
    const import_result r = convert_export(read_export(read(takeout_path)), options);
    // Now the date says February, like Blogger's URL: no alias needed.
    const auto p = parsed(*find(r, "posts/2014/02/koffie-in-de-winter.md"));
    EXPECT_TRUE(p.aliases.empty());
    EXPECT_EQ(p.date.offset_minutes, 60);
}

TEST(convert, links_to_the_old_blog_become_site_paths) {
    // The legacy backup names the blog's address itself.
    const import_result legacy = convert_export(read_export(read(legacy_path)));
    EXPECT_NE(find(legacy, "posts/2014/01/doen-waar-je-niet-goed-in-bent.md")
                  ->content.find("[wie ik ben](/p/over-mij.html)"),
              std::string::npos);
    // Takeout does not: --blog-url, here with another of blogspot's country domains.
    const blog_export takeout = read_export(read(takeout_path));
    const auto plain = convert_export(takeout);
    EXPECT_NE(find(plain, "posts/2014/01/doen-waar-je-niet-goed-in-bent.md")
                  ->content.find("(http://sonjavanvuren.blogspot.com/p/over-mij.html)"),
              std::string::npos);
    import_options options;
    options.blog_urls = {"https://www.sonjavanvuren.blogspot.nl/"};
    const auto linked = convert_export(takeout, options);
    EXPECT_NE(find(linked, "posts/2014/01/doen-waar-je-niet-goed-in-bent.md")
                  ->content.find("[wie ik ben](/p/over-mij.html)"),
              std::string::npos);
    // Other sites' links stay as they are.
    EXPECT_NE(find(linked, "posts/2014/02/blog-post-12.md")
                  ->content.find("(https://nl.wikipedia.org/wiki/Co%C3%B6peratie)"),
              std::string::npos);
}

TEST(convert, the_markdown_renders_back_to_the_structure_of_the_html) {
    const import_result r = convert_export(read_export(read(legacy_path)));
    const auto post = parsed(*find(r, "posts/2014/01/doen-waar-je-niet-goed-in-bent.md"));
    const std::string html = kade::indexer::render_markdown(post.markdown).html;
    for (const char* expected :
         {"<strong>alles</strong>", "<em>doe waar je goed in bent</em>",
          "<em><strong>samenwerken</strong></em>",
          "<h2 id=\"drie-vragen-voor-jezelf\">Drie vragen voor jezelf</h2>",
          "<li>administratie</li>", "<blockquote>", "alt=\"Twee handen die elkaar vasthouden\"",
          "<br", "5 * 3 = 15 [zonder btw] &lt;geen grap&gt;", "<strong>Let op:</strong>niets",
          "<iframe", "<a href=\"/p/over-mij.html\">wie ik ben</a>"})
        EXPECT_NE(html.find(expected), std::string::npos) << expected << "\n" << html;
    EXPECT_EQ(html.find("**"), std::string::npos) << html;
    EXPECT_EQ(html.find('\\'), std::string::npos) << html;
    const auto other = parsed(*find(r, "posts/2014/03/lente-in-de-winkel.md"));
    const std::string html2 = kade::indexer::render_markdown(other.markdown).html;
    for (const char* expected : {"<code>LENTE_2014</code>", "<pre><code>openingstijden:",
                                 "<p># geen kop, gewoon een hekje</p>", "<p>1. Etalage"})
        EXPECT_NE(html2.find(expected), std::string::npos) << expected << "\n" << html2;
}
