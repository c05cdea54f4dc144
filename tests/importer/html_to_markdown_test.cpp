#include "importer/html_to_markdown.hpp"

#include <gtest/gtest.h>

using kade::blogger::html_to_markdown;
using kade::blogger::html_to_text;

TEST(html_to_markdown, divs_and_double_breaks_become_paragraphs) {
    EXPECT_EQ(html_to_markdown("<div>Een</div><div><br /></div><div>Twee</div>"), "Een\n\nTwee\n");
    EXPECT_EQ(html_to_markdown("Een<br /><br />Twee"), "Een\n\nTwee\n");
    EXPECT_EQ(html_to_markdown("<p>Een</p><p>Twee</p>"), "Een\n\nTwee\n");
}

TEST(html_to_markdown, single_break_is_a_hard_line_break_but_not_at_the_edges) {
    EXPECT_EQ(html_to_markdown("Een<br>Twee"), "Een\\\nTwee\n");
    EXPECT_EQ(html_to_markdown("<br>Een<br>"), "Een\n");
}

TEST(html_to_markdown, emphasis_and_nested_emphasis) {
    EXPECT_EQ(html_to_markdown("Dit is <b>vet</b> en <i>schuin</i>."),
              "Dit is **vet** en *schuin*.\n");
    EXPECT_EQ(html_to_markdown("<strong><em>beide</em></strong>"), "***beide***\n");
    // Blanks move outside the delimiters, where CommonMark wants them.
    EXPECT_EQ(html_to_markdown("een<b> vet </b>woord"), "een **vet** woord\n");
}

TEST(html_to_markdown, emphasis_that_markdown_cannot_express_stays_html) {
    // "**Let op:**niets": the closing ** after ':' before a letter is not right-flanking.
    EXPECT_EQ(html_to_markdown("<b>Let op:</b>niets"), "<strong>Let op:</strong>niets\n");
    EXPECT_EQ(html_to_markdown("<b>Let op:</b> iets"), "**Let op:** iets\n");
}

TEST(html_to_markdown, emphasis_over_breaks_is_split_per_line) {
    EXPECT_EQ(html_to_markdown("<b>Titel<br>tekst</b>"), "**Titel**\\\n**tekst**\n");
    EXPECT_EQ(html_to_markdown("<i>een<br><br>twee</i>"), "*een*\n\n*twee*\n");
}

TEST(html_to_markdown, entities_are_decoded_and_markdown_characters_escaped) {
    EXPECT_EQ(html_to_markdown("caf&eacute; &amp; co&#246;peratie&#8230; &lt;tag&gt;"),
              "café & coöperatie… \\<tag>\n");
    EXPECT_EQ(html_to_markdown("5 * 3 [x] a_b _c_ `d` &amp;amp;"),
              "5 \\* 3 \\[x\\] a_b \\_c\\_ \\`d\\` \\&amp;\n");
    EXPECT_EQ(html_to_markdown("&nbsp;"), "");
}

TEST(html_to_markdown, text_that_would_start_a_block_is_escaped) {
    EXPECT_EQ(html_to_markdown("<div># geen kop</div><div>- geen lijst</div><div>1. nee</div>"),
              "\\# geen kop\n\n\\- geen lijst\n\n1\\. nee\n");
}

TEST(html_to_markdown, headings_lists_and_quotes) {
    EXPECT_EQ(html_to_markdown("<h2>Kop <b>vet</b></h2>"), "## Kop **vet**\n");
    EXPECT_EQ(html_to_markdown("<ul><li>een</li><li>twee<ul><li>diep</li></ul></li></ul>"),
              "- een\n- twee\n  - diep\n");
    EXPECT_EQ(html_to_markdown("<ol start=\"3\"><li>drie<li>vier</ol>"), "3. drie\n4. vier\n");
    EXPECT_EQ(html_to_markdown("<blockquote><p>een</p><p>twee</p></blockquote>"),
              "> een\n>\n> twee\n");
}

TEST(html_to_markdown, links_and_images_with_alt_text) {
    EXPECT_EQ(html_to_markdown("<a href=\"https://x.nl/a b\">hier</a>"),
              "[hier](https://x.nl/a%20b)\n");
    EXPECT_EQ(html_to_markdown("<img src=\"/a.jpg\" alt=\"Een [kop] koffie\">"),
              "![Een \\[kop\\] koffie](/a.jpg)\n");
    EXPECT_EQ(html_to_markdown("<a href=\"/big.jpg\"><img src=\"/small.jpg\"></a>"),
              "[![](/small.jpg)](/big.jpg)\n");
    // Blogger's jump break is an anchor without href: nothing to show.
    EXPECT_EQ(html_to_markdown("voor<a name=\"more\"></a> na"), "voor na\n");
}

TEST(html_to_markdown, the_rewriter_sees_every_image_and_link) {
    const auto rewrite = [](const std::string& url, bool image) {
        return (image ? "/img" : "/link") + url.substr(url.rfind('/'));
    };
    EXPECT_EQ(
        html_to_markdown("<a href=\"http://h/x.jpg\"><img src=\"http://h/y.jpg\"></a>", rewrite),
        "[![](/img/y.jpg)](/link/x.jpg)\n");
    EXPECT_EQ(
        html_to_markdown("<table><tr><td><img src=\"http://h/z.jpg\"></td></tr></table>", rewrite),
        "<table>\n<tr><td><img src=\"/img/z.jpg\"></td></tr>\n</table>\n");
}

TEST(html_to_markdown, unknown_markup_stays_raw_and_wrappers_go) {
    EXPECT_EQ(html_to_markdown("<span style=\"color:red\">rood</span> <u>onder</u> x<sup>2</sup>"),
              "rood <u>onder</u> x<sup>2</sup>\n");
    EXPECT_EQ(html_to_markdown("<iframe src=\"https://v/e\"></iframe>"),
              "<iframe src=\"https://v/e\"></iframe>\n");
}

TEST(html_to_markdown, raw_html_blocks_never_hold_a_blank_line) {
    const std::string md = html_to_markdown("<table><tr><td>a\n\n\nb</td></tr></table>");
    EXPECT_EQ(md.find("\n\n"), std::string::npos) << md;
}

TEST(html_to_markdown, preformatted_text_becomes_a_fenced_block) {
    EXPECT_EQ(html_to_markdown("<pre>a  b\n```\nc &lt;d&gt;</pre>"),
              "````\na  b\n```\nc <d>\n````\n");
    EXPECT_EQ(html_to_markdown("zet <code>a_b</code> aan"), "zet `a_b` aan\n");
}

TEST(html_to_markdown, caption_tables_become_image_and_caption) {
    EXPECT_EQ(html_to_markdown("<table class=\"tr-caption-container\"><tbody><tr><td>"
                               "<img src=\"/a.jpg\"></td></tr><tr><td class=\"tr-caption\">"
                               "Onderschrift</td></tr></tbody></table>"),
              "![](/a.jpg)\n\nOnderschrift\n");
}

TEST(html_to_markdown, same_input_same_output) {
    const std::string html = "<div><b>a</b><i>b</i><br><br><ul><li>c</li></ul></div>";
    EXPECT_EQ(html_to_markdown(html), html_to_markdown(html));
}

TEST(html_to_text, comments_become_plain_text) {
    EXPECT_EQ(html_to_text("Een<br />Twee<br /><br />Drie &amp; <b>vier</b>"),
              "Een\nTwee\n\nDrie & vier");
    EXPECT_EQ(html_to_text("<a href=\"https://x.nl/\">site</a> en <a href=\"https://y.nl/\">"
                           "https://y.nl/</a>"),
              "site (https://x.nl/) en https://y.nl/");
    EXPECT_EQ(html_to_text("&lt;script&gt;x&lt;/script&gt;"), "<script>x</script>");
}

TEST(html_to_markdown, pathological_input_ends_without_crashing) {
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "<div><b>";
    deep += "x";
    EXPECT_NE(html_to_markdown(deep).find('x'), std::string::npos);
    EXPECT_EQ(
        html_to_markdown("<b><i></b></i><li><ul><p><table><tr><td>a</table>&#xFFFFFFFF;&#0;<"),
        "- <table>\n  <tr><td>a</td></tr>\n  </table>\n- \xEF\xBF\xBD\xEF\xBF\xBD\\<\n");
    EXPECT_EQ(html_to_markdown("<a href=\"x\"><img src=\"y\"></a"), "[![](y)](x)\n");
}

TEST(html_to_markdown, a_link_whose_text_is_its_url_becomes_one_autolink) {
    EXPECT_EQ(
        html_to_markdown("<a href=\"http://x.nl/a?b=1&amp;c=2\">http://x.nl/a?b=1&amp;c=2</a>"),
        "<http://x.nl/a?b=1&c=2>\n");
    // Text holding an address besides other words: written so that it is not linked again.
    EXPECT_EQ(html_to_markdown("<a href=\"http://x.nl/\">zie http://x.nl/</a>"),
              "[zie http&#58;//x.nl/](http://x.nl/)\n");
}

TEST(html_to_markdown, ids_that_links_in_the_post_point_at_are_kept_as_anchors) {
    EXPECT_EQ(
        html_to_markdown("<p>Tekst<a href=\"#r1\" id=\"t1\">[1]</a></p>"
                         "<div id=\"r1\"><a href=\"#t1\">^</a> Bron.</div>"
                         "<div id=\"los\">Verder.</div>"),
        "Tekst<a id=\"t1\"></a>[\\[1\\]](#r1)\n\n<a id=\"r1\"></a>[^](#t1) Bron.\n\nVerder.\n");
}

TEST(html_to_markdown, classes_styled_by_the_posts_own_style_stay_with_it) {
    const std::string md = html_to_markdown(
        "<style>.rood { color: red }</style><div>De <span class=\"rood\">bessen</span> en "
        "<span class=\"blauw\">pruimen</span>.</div>");
    EXPECT_NE(md.find(".rood { color: red }"), std::string::npos) << md;
    EXPECT_NE(md.find("<span class=\"rood\">bessen</span>"), std::string::npos) << md;
    EXPECT_EQ(md.find("blauw"), std::string::npos) << md;  // no style for it: the span goes
}
