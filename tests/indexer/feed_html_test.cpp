#include "indexer/render/feed_html.hpp"

#include <gtest/gtest.h>

namespace kade::indexer {
namespace {

constexpr std::string_view base = "https://blog.example/2014/01/post.html";

std::string clean(std::string_view html) {
    return sanitize_feed_html(html, base);
}

TEST(feed_html, markdown_output_passes_unchanged_apart_from_absolute_links) {
    EXPECT_EQ(clean("<h2>Kop</h2>\n<p>Een <em>goede</em> <strong>tekst</strong> &amp; meer.</p>\n"
                    "<ul>\n<li>een</li>\n</ul>\n<pre><code class=\"language-cpp\">a &lt; b\n"
                    "</code></pre>\n<table>\n<thead>\n<tr>\n<th align=\"left\">A</th>\n</tr>\n"
                    "</thead>\n</table>\n<blockquote>\n<p>citaat</p>\n</blockquote>\n"),
              "<h2>Kop</h2>\n<p>Een <em>goede</em> <strong>tekst</strong> &amp; meer.</p>\n"
              "<ul>\n<li>een</li>\n</ul>\n<pre><code class=\"language-cpp\">a &lt; b\n"
              "</code></pre>\n<table>\n<thead>\n<tr>\n<th align=\"left\">A</th>\n</tr>\n"
              "</thead>\n</table>\n<blockquote>\n<p>citaat</p>\n</blockquote>\n");
    EXPECT_EQ(clean("<p><a href=\"https://ander.example/x?a=1&amp;b=2\" title=\"T\">x</a>"
                    "<img src=\"/static/a.png\" alt=\"A\"><br></p>"),
              "<p><a href=\"https://ander.example/x?a=1&amp;b=2\" title=\"T\">x</a>"
              "<img src=\"https://blog.example/static/a.png\" alt=\"A\"><br></p>");
}

TEST(feed_html, scripts_styles_and_frames_go_with_their_content) {
    EXPECT_EQ(clean("<p>a</p><script>alert('<p>x</p>')</script><p>b</p>"), "<p>a</p><p>b</p>");
    EXPECT_EQ(clean("<SCRIPT type=\"module\">x</ScRiPt ><p>b</p>"), "<p>b</p>");
    EXPECT_EQ(clean("<style>p{color:red}</style>c"), "c");
    EXPECT_EQ(clean("<iframe src=\"https://video.example/\">fallback</iframe>d"), "d");
    EXPECT_EQ(clean("<svg><g><svg></svg><script>x</script></g></svg>e"), "e");
    EXPECT_EQ(clean("<object data=\"x.swf\"><param name=\"a\"></object><embed src=\"x\">f"), "f");
    EXPECT_EQ(clean("<script>never closed <p>x</p>"), "");
    EXPECT_EQ(clean("a<!-- <script>x</script> -->b<!DOCTYPE html><?php x ?>c"), "abc");
}

TEST(feed_html, unknown_tags_go_but_their_text_stays) {
    EXPECT_EQ(clean("<font color=\"red\">rood</font> <center>midden</center>"), "rood midden");
    EXPECT_EQ(clean("<form action=\"/x\"><input name=\"q\"><button>Zoek</button></form>"), "Zoek");
    EXPECT_EQ(clean("1 < 2 en 3 > 2, <3"), "1 &lt; 2 en 3 > 2, &lt;3");
}

TEST(feed_html, event_handlers_and_styles_are_dropped) {
    EXPECT_EQ(clean("<p onclick=\"x()\" style=\"color:red\" class=\"a\" id=\"b\">t</p>"),
              "<p>t</p>");
    EXPECT_EQ(clean("<img src=\"a.png\" onerror=alert(1) alt='it&#39;s'>"),
              "<img src=\"https://blog.example/2014/01/a.png\" alt=\"it&#39;s\">");
    EXPECT_EQ(clean("<a href=\"/x\"onmouseover=\"y\">t</a>"),
              "<a href=\"https://blog.example/x\">t</a>");
}

TEST(feed_html, only_safe_url_schemes_survive) {
    EXPECT_EQ(clean("<a href=\"javascript:alert(1)\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\" JaVaScRiPt:alert(1)\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\"java\tscript:alert(1)\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\"jav&#x61;script:alert(1)\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\"jav&#97;script&colon;alert(1)\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\"vbscript:x\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<a href=\"data:text/html,<script>x</script>\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<img src=\"data:image/svg+xml,<svg onload=x()>\">"), "<img>");
    EXPECT_EQ(clean("<img src=\"data:image/png;base64,iVBO\">"),
              "<img src=\"data:image/png;base64,iVBO\">");
    EXPECT_EQ(clean("<a href=\"data:image/png;base64,iVBO\">t</a>"), "<a>t</a>");  // img only
    EXPECT_EQ(clean("<a href=\"mailto:sonja@example.nl\">m</a>"),
              "<a href=\"mailto:sonja@example.nl\">m</a>");
    EXPECT_EQ(clean("<img src=\"mailto:x@example.nl\">"), "<img>");
    // An undecodable reference stays literal, so a reader cannot make a scheme of it either.
    EXPECT_EQ(clean("<a href=\"javascript&#58alert(1)\">t</a>"),
              "<a href=\"https://blog.example/2014/01/javascript&amp;#58alert(1)\">t</a>");
}

TEST(feed_html, relative_urls_resolve_against_the_post) {
    EXPECT_EQ(resolve_url(base, "/static/a.png"), "https://blog.example/static/a.png");
    EXPECT_EQ(resolve_url(base, "a.png"), "https://blog.example/2014/01/a.png");
    EXPECT_EQ(resolve_url(base, "../../2015/02/b.html#kop"),
              "https://blog.example/2015/02/b.html#kop");
    EXPECT_EQ(resolve_url(base, "./"), "https://blog.example/2014/01/");
    EXPECT_EQ(resolve_url(base, "../.."), "https://blog.example/");
    EXPECT_EQ(resolve_url(base, "//cdn.example/x.png"), "https://cdn.example/x.png");
    EXPECT_EQ(resolve_url(base, "#reacties"), "https://blog.example/2014/01/post.html#reacties");
    EXPECT_EQ(resolve_url(base, "?m=1"), "https://blog.example/2014/01/post.html?m=1");
    EXPECT_EQ(resolve_url(base, ""), "https://blog.example/2014/01/post.html");
    EXPECT_EQ(resolve_url(base, "/a/./b/../c?x=/../y"), "https://blog.example/a/c?x=/../y");
    EXPECT_EQ(resolve_url(base, "https://ander.example/p"), "https://ander.example/p");
    EXPECT_EQ(resolve_url("https://blog.example", "x"), "https://blog.example/x");
}

}  // namespace
}  // namespace kade::indexer
