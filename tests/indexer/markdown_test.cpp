#include "indexer/content/markdown.hpp"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "common/files.hpp"
#include "indexer/content/post.hpp"

#ifndef KADE_SOURCE_DIR
#error "KADE_SOURCE_DIR must name the source tree (CMake: target_compile_definitions)"
#endif

namespace kade::indexer {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST(markdown, paragraph_becomes_html_text_and_first_paragraph) {
    const rendered_markdown r = render_markdown("Hallo wereld.\n");
    EXPECT_EQ(r.html, "<p>Hallo wereld.</p>\n");
    EXPECT_EQ(r.text, "Hallo wereld.");
    EXPECT_EQ(r.first_paragraph, "Hallo wereld.");
}

TEST(markdown, empty_input_gives_nothing) {
    const rendered_markdown r = render_markdown("");
    EXPECT_EQ(r.html, "");
    EXPECT_EQ(r.text, "");
    EXPECT_EQ(r.first_paragraph, "");
}

TEST(markdown, table_renders_as_html_table_and_reads_row_by_row) {
    const rendered_markdown r = render_markdown(
        "| Wie | Wat |\n"
        "|-----|----:|\n"
        "| klant | vraagt |\n"
        "| leverancier | levert |\n");
    EXPECT_TRUE(contains(r.html, "<table>")) << r.html;
    EXPECT_TRUE(contains(r.html, "<th>Wie</th>")) << r.html;
    EXPECT_TRUE(contains(r.html, "<td align=\"right\">vraagt</td>")) << r.html;
    EXPECT_EQ(r.text, "Wie Wat\n\nklant vraagt\n\nleverancier levert");
    EXPECT_EQ(r.first_paragraph, "");
}

TEST(markdown, strikethrough_renders_as_del) {
    const rendered_markdown r = render_markdown("Dat is ~~duur~~ goedkoop.\n");
    EXPECT_EQ(r.html, "<p>Dat is <del>duur</del> goedkoop.</p>\n");
    EXPECT_EQ(r.text, "Dat is duur goedkoop.");
}

TEST(markdown, bare_url_becomes_a_link) {
    const rendered_markdown r = render_markdown("Kijk op https://example.nl/blog vandaag.\n");
    EXPECT_TRUE(contains(r.html, "<a href=\"https://example.nl/blog\">https://example.nl/blog</a>"))
        << r.html;
    EXPECT_EQ(r.text, "Kijk op https://example.nl/blog vandaag.");
}

TEST(markdown, www_address_becomes_a_link) {
    const rendered_markdown r = render_markdown("Zie www.example.nl.\n");
    EXPECT_TRUE(contains(r.html, "<a href=\"http://www.example.nl\">www.example.nl</a>")) << r.html;
}

TEST(markdown, angle_bracket_autolink_becomes_a_link) {
    const rendered_markdown r = render_markdown("<https://example.nl>\n");
    EXPECT_TRUE(contains(r.html, "<a href=\"https://example.nl\">")) << r.html;
}

TEST(markdown, emphasis_renders_and_text_concatenates_inline_spans) {
    const rendered_markdown r = render_markdown("Een *heel* **sterk** ver*haal*.\n");
    EXPECT_EQ(r.html, "<p>Een <em>heel</em> <strong>sterk</strong> ver<em>haal</em>.</p>\n");
    EXPECT_EQ(r.text, "Een heel sterk verhaal.");
}

TEST(markdown, quotes_and_apostrophes_stay_literal) {
    const rendered_markdown r = render_markdown("\"ja\" of 'jouw ding' ;-) z'n (potentiële)\n");
    EXPECT_EQ(r.html, "<p>&quot;ja&quot; of 'jouw ding' ;-) z'n (potentiële)</p>\n");
    EXPECT_EQ(r.text, "\"ja\" of 'jouw ding' ;-) z'n (potentiële)");
}

TEST(markdown, named_entities_are_decoded_in_text) {
    const rendered_markdown r = render_markdown("A &amp; B &lt;3 &eacute;&eacute;n &hellip;\n");
    EXPECT_TRUE(contains(r.html, "A &amp; B &lt;3")) << r.html;
    EXPECT_EQ(r.text, "A & B <3 één …");
}

TEST(markdown, numeric_entities_are_decoded_in_text) {
    const rendered_markdown r = render_markdown("&#233;cht &#xE9;&#XEB; &#0; &#x110000;\n");
    EXPECT_EQ(r.text, "écht éë \xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(markdown, no_break_space_entity_reads_as_a_space) {
    EXPECT_EQ(render_markdown("a&nbsp;b\n").text, "a b");
}

TEST(markdown, unlisted_named_entity_stays_as_written) {
    EXPECT_EQ(render_markdown("&spades;\n").text, "&spades;");
}

TEST(markdown, escaped_characters_read_as_themselves) {
    const rendered_markdown r = render_markdown("\\*geen nadruk\\* en 3\\. punt\n");
    EXPECT_EQ(r.html, "<p>*geen nadruk* en 3. punt</p>\n");
    EXPECT_EQ(r.text, "*geen nadruk* en 3. punt");
}

TEST(markdown, bullet_list_renders_and_each_item_is_a_block) {
    const rendered_markdown r = render_markdown("- een\n- twee\n- drie\n");
    EXPECT_EQ(r.html, "<ul>\n<li>een</li>\n<li>twee</li>\n<li>drie</li>\n</ul>\n");
    EXPECT_EQ(r.text, "een\n\ntwee\n\ndrie");
}

TEST(markdown, ordered_and_nested_lists_keep_every_item) {
    const rendered_markdown r = render_markdown("1. eerst\n   - binnen\n2. dan\n");
    EXPECT_TRUE(contains(r.html, "<ol>")) << r.html;
    EXPECT_TRUE(contains(r.html, "<ul>")) << r.html;
    EXPECT_EQ(r.text, "eerst\n\nbinnen\n\ndan");
}

TEST(markdown, task_list_items_get_checkboxes) {
    const rendered_markdown r = render_markdown("- [x] klaar\n- [ ] nog doen\n");
    EXPECT_TRUE(contains(r.html, "type=\"checkbox\"")) << r.html;
    EXPECT_TRUE(contains(r.html, "checked")) << r.html;
    EXPECT_EQ(r.text, "klaar\n\nnog doen");
}

TEST(markdown, text_separates_blocks_by_a_blank_line_and_joins_line_breaks) {
    const rendered_markdown r = render_markdown(
        "# Kop\n"
        "\n"
        "Eerste regel\n"
        "tweede regel  \n"
        "derde regel\n"
        "\n"
        "> Een citaat.\n"
        "\n"
        "---\n"
        "\n"
        "Slot met `code` erin.\n");
    EXPECT_EQ(r.text,
              "Kop\n\nEerste regel tweede regel derde regel\n\nEen citaat.\n\n"
              "Slot met code erin.");
}

TEST(markdown, code_block_text_is_kept_on_one_line) {
    const rendered_markdown r = render_markdown("Voor.\n\n```\nint a;\n\nint b;\n```\n\nNa.\n");
    EXPECT_TRUE(contains(r.html, "<pre><code>int a;\n\nint b;\n</code></pre>")) << r.html;
    EXPECT_EQ(r.text, "Voor.\n\nint a;  int b;\n\nNa.");
}

TEST(markdown, raw_html_is_rendered_and_its_words_are_read_without_the_markup) {
    // A reader sees the words of a raw HTML block (Blogger's tables): search must find them.
    const rendered_markdown r = render_markdown(
        "<div class=\"kader\">\nzichtbaar in een kader\n</div>\n\nZichtbaar <b>vet</b> "
        "woord.\n\n<table><tr><td>Zuurkool</td><td>500 gram</td></tr></table>\n\n"
        "<style>.x { color: red }</style>\n");
    EXPECT_TRUE(contains(r.html, "<div class=\"kader\">")) << r.html;
    EXPECT_TRUE(contains(r.html, "<b>vet</b>")) << r.html;
    EXPECT_EQ(r.text, "zichtbaar in een kader\n\nZichtbaar vet woord.\n\nZuurkool 500 gram");
    EXPECT_EQ(r.first_paragraph, "Zichtbaar vet woord.");
}

TEST(markdown, image_alt_text_is_read_as_text) {
    const rendered_markdown r = render_markdown("![Sonja aan het werk](/static/sonja.jpg)\n");
    EXPECT_TRUE(contains(r.html, "<img src=\"/static/sonja.jpg\" alt=\"Sonja aan het werk\">"))
        << r.html;
    EXPECT_EQ(r.text, "Sonja aan het werk");
}

TEST(markdown, first_paragraph_skips_headings_and_quotes_for_a_top_level_paragraph) {
    const rendered_markdown r = render_markdown(
        "# Kop\n\n> Citaat eerst.\n\n- lijst\n\nDe *eigenlijke*\nopening.\n\nDaarna.\n");
    EXPECT_EQ(r.first_paragraph, "De eigenlijke opening.");
}

TEST(markdown, first_paragraph_falls_back_to_one_inside_a_quote) {
    const rendered_markdown r = render_markdown("# Kop\n\n> Alleen een citaat.\n>\n> Tweede.\n");
    EXPECT_EQ(r.first_paragraph, "Alleen een citaat.");
}

TEST(markdown, first_paragraph_skips_a_paragraph_without_text) {
    const rendered_markdown r =
        render_markdown("<img src=\"/static/a.jpg\">\n\n![](/static/b.jpg)\n\nEcht begin.\n");
    EXPECT_EQ(r.first_paragraph, "Echt begin.");
}

TEST(markdown, utf8_bom_is_ignored) {
    EXPECT_EQ(render_markdown("\xEF\xBB\xBFHallo\n").html, "<p>Hallo</p>\n");
}

TEST(markdown, crlf_input_renders_like_lf) {
    const rendered_markdown r = render_markdown("Een\r\ntwee\r\n\r\n- drie\r\n");
    EXPECT_EQ(r.text, "Een twee\n\ndrie");
}

TEST(markdown, seed_post_renders_as_written) {
    const std::string path =
        KADE_SOURCE_DIR "/content/posts/2014/01/doen-waar-je-niet-goed-in-bent.md";
    const std::optional<std::string> text = read_file(path);
    ASSERT_TRUE(text) << "cannot open " << path;
    std::vector<diagnostic> errors;
    const std::optional<post> p = parse_post(path, *text, errors);
    ASSERT_TRUE(p);

    const rendered_markdown r = render_markdown(p->markdown);
    for (std::string_view quote : {"Op weg naar de zaak kruipt er een lichte paniek omhoog.",
                                   "Eigenlijk weet je niet zo goed wat je aan elkaar hebt.",
                                   "Vroeger kon je nog wel marge maken op doorgeefluik zijn."}) {
        EXPECT_TRUE(contains(r.html, "<blockquote>\n<p><em>" + std::string(quote) + "</em></p>"))
            << quote;
    }
    EXPECT_TRUE(contains(r.html, "<li>Afspraken en toezeggingen worden niet nagekomen.</li>"));
    EXPECT_TRUE(contains(r.html, "(potentiële) klant"));
    EXPECT_TRUE(contains(r.html, "&quot;Doe jij dat ook?&quot;"));
    EXPECT_FALSE(contains(r.html, "blog-Sonja"));
    EXPECT_EQ(std::count(r.html.begin(), r.html.end(), '*'), 0);
    EXPECT_TRUE(r.first_paragraph.starts_with("Dingen doen waar je niet goed in bent."));
    EXPECT_TRUE(r.first_paragraph.ends_with("alvast binnen. Toch?"));
    EXPECT_TRUE(r.text.ends_with("waarvoor een klant NIET bij jou moet zijn."));
}

TEST(markdown, headings_get_ids_and_offsets_into_the_text) {
    const auto r =
        render_markdown("Inleiding.\n\n## Wat kost het?\n\nVeel.\n\n### Wat kost het?\n");
    EXPECT_NE(r.html.find("<h2 id=\"wat-kost-het\">Wat kost het?</h2>"), std::string::npos)
        << r.html;
    EXPECT_NE(r.html.find("<h3 id=\"wat-kost-het-2\">"), std::string::npos) << r.html;
    ASSERT_EQ(r.headings.size(), 2u);
    EXPECT_EQ(r.headings[0].id, "wat-kost-het");
    EXPECT_EQ(r.text.substr(r.headings[0].offset, 13), "Wat kost het?");
    EXPECT_LT(r.headings[0].offset, r.text.find("Veel."));
    EXPECT_GT(r.headings[1].offset, r.text.find("Veel."));
}

TEST(markdown, accented_heading_gets_a_folded_id) {
    const auto r = render_markdown("## Één idee, écht!\n");
    ASSERT_EQ(r.headings.size(), 1u);
    EXPECT_EQ(r.headings[0].id, "een-idee-echt");
}

TEST(markdown, raw_html_heading_means_no_ids_rather_than_wrong_ones) {
    const auto r = render_markdown("<h2>Rauw</h2>\n\n## Gewoon\n");
    EXPECT_TRUE(r.headings.empty());
    EXPECT_EQ(r.html.find(" id="), std::string::npos) << r.html;
}

}  // namespace
}  // namespace kade::indexer
