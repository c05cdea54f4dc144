#include "importer/export.hpp"

#include <gtest/gtest.h>

#include "importer/xml.hpp"

using namespace kade::blogger;

namespace {

const char* legacy = R"(<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<title type='text'>Blog</title>
<entry><id>tag:blogger.com,1999:blog-1.settings.BLOG_NAME</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-10</id>
<published>2014-01-02T10:00:00.000+01:00</published>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<category scheme='http://www.blogger.com/atom/ns#' term='ideeën'/>
<category scheme='http://www.blogger.com/atom/ns#' term='ideeën'/>
<title type='text'>Titel &amp; zo</title><content type='html'>&lt;b&gt;x&lt;/b&gt;</content>
<link rel='alternate' type='text/html' href='http://b.blogspot.com/2014/01/titel%C3%A9.html'/>
<author><name>Sonja</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-11</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-12</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<link rel='related' href='https://www.blogger.com/feeds/1/10/comments/default/13'/>
<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-10'/></entry>
</feed>)";

const char* takeout = R"(<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<entry><id>tag:blogger.com,1999:blog-1.post-20</id><blogger:type>POST</blogger:type>
<blogger:status>SOFT_TRASHED</blogger:status><blogger:filename>/2014/01/weg.html</blogger:filename></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-21</id><blogger:type>PAGE</blogger:type>
<blogger:status>DRAFT</blogger:status><blogger:filename>/p/over.html</blogger:filename>
<category term='x'/></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-22</id><blogger:type>COMMENT</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:parent>tag:blogger.com,1999:blog-1.post-20</blogger:parent>
<blogger:inReplyTo>tag:blogger.com,1999:blog-1.post-23</blogger:inReplyTo></entry>
</feed>)";

}  // namespace

TEST(export, legacy_kinds_labels_drafts_and_threads) {
    const blog_export b = read_export(legacy);
    EXPECT_EQ(b.format, export_format::legacy);
    EXPECT_EQ(b.title, "Blog");
    ASSERT_EQ(b.entries.size(), 4u);
    EXPECT_EQ(b.entries[0].kind, entry_kind::settings);
    const blog_entry& post = b.entries[1];
    EXPECT_EQ(post.kind, entry_kind::post);
    EXPECT_EQ(post.status, entry_status::live);
    EXPECT_EQ(post.id, "10");
    EXPECT_EQ(post.title, "Titel & zo");
    EXPECT_EQ(post.content_html, "<b>x</b>");
    EXPECT_EQ(post.labels, std::vector<std::string>{"ideeën"});
    EXPECT_EQ(post.path, "/2014/01/titelé.html");
    EXPECT_EQ(post.author, "Sonja");
    EXPECT_EQ(b.entries[2].status, entry_status::draft);
    EXPECT_EQ(b.entries[3].kind, entry_kind::comment);
    EXPECT_EQ(b.entries[3].post_id, "10");
    EXPECT_EQ(b.entries[3].parent_id, "13");
}

TEST(export, takeout_types_statuses_and_parents) {
    const blog_export b = read_export(takeout);
    EXPECT_EQ(b.format, export_format::takeout);
    ASSERT_EQ(b.entries.size(), 3u);
    EXPECT_EQ(b.entries[0].status, entry_status::trashed);
    EXPECT_EQ(b.entries[0].path, "/2014/01/weg.html");
    EXPECT_EQ(b.entries[1].kind, entry_kind::page);
    EXPECT_EQ(b.entries[1].status, entry_status::draft);
    EXPECT_EQ(b.entries[1].labels, std::vector<std::string>{"x"});
    EXPECT_EQ(b.entries[2].post_id, "20");
    EXPECT_EQ(b.entries[2].parent_id, "23");
}

TEST(export, posts_keep_bloggers_feed_id_and_the_blog_its_own) {
    blog_export b = read_export(takeout);
    EXPECT_EQ(b.blog_id, "");  // this feed names no id of its own
    EXPECT_EQ(post_feed_id(b, b.entries[0]), "tag:blogger.com,1999:blog-1.post-20");
    const blog_export legacy_blog = read_export(
        "<feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-9.archive</id>"
        "<entry><id>55</id></entry></feed>");
    EXPECT_EQ(legacy_blog.blog_id, "tag:blogger.com,1999:blog-9");
    EXPECT_EQ(post_feed_id(legacy_blog, legacy_blog.entries[0]),
              "tag:blogger.com,1999:blog-9.post-55");
}

TEST(export, malformed_xml_names_line_and_column) {
    try {
        read_export(
            "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n  <entry>"
            "</entri>\n</feed>");
        FAIL() << "no error";
    } catch (const xml_error& e) {
        EXPECT_EQ(e.line, 3);
        EXPECT_EQ(e.column, 12);
        EXPECT_NE(std::string(e.what()).find("mismatched tag"), std::string::npos) << e.what();
    }
}

TEST(export, entity_declarations_are_refused) {
    EXPECT_THROW(read_export("<!DOCTYPE f [<!ENTITY a \"aaaa\">]><feed/>"), xml_error);
}

TEST(export, a_document_that_is_not_a_feed_is_refused) {
    EXPECT_THROW(read_export("<rss version='2.0'/>"), std::runtime_error);
}

TEST(export, url_path_strips_host_query_and_decodes) {
    EXPECT_EQ(url_path("https://x.blogspot.com/2014/01/a%20b.html?m=1#c"), "/2014/01/a b.html");
    EXPECT_EQ(url_path("/p/x.html"), "/p/x.html");
    EXPECT_EQ(url_path("https://x.nl"), "/");
    EXPECT_EQ(url_path("/bad%FF.html"), "/bad%FF.html");  // not UTF-8 once decoded: left as is
}

TEST(export, absurdly_deep_nesting_is_refused_not_recursed) {
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "<a>";
    EXPECT_THROW(read_export(deep), xml_error);
}
