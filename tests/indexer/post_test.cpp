#include "indexer/content/post.hpp"

#include <gtest/gtest.h>

#include "common/files.hpp"

#ifndef KADE_SOURCE_DIR
#error "KADE_SOURCE_DIR must name the source tree (CMake: target_compile_definitions)"
#endif

namespace kade::indexer {
namespace {

struct parsed {
    std::optional<post> p;
    std::vector<diagnostic> errors;
};

parsed parse(std::string_view text, std::string_view file = "content/posts/a.md") {
    parsed r;
    r.p = parse_post(file, text, r.errors);
    return r;
}

// The one error a bad post is expected to produce.
diagnostic only_error(std::string_view text) {
    parsed r = parse(text);
    EXPECT_FALSE(r.p);
    EXPECT_EQ(r.errors.size(), 1u);
    return r.errors.empty() ? diagnostic{} : r.errors.front();
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

constexpr std::string_view full_post =
    "+++\n"
    "title   = \"Doen waar je NIET goed in bent.... Logisch toch?!\"\n"
    "date    = 2014-01-02T10:00:00+01:00\n"
    "labels  = [\"ondernemen\", \"samenwerken\"]\n"
    "author  = \"Sonja van Vuren\"\n"
    "slug    = \"doen-waar-je-niet-goed-in-bent\"\n"
    "aliases = [\"/oud/adres.html\", \"/2014/01/doen.html\"]\n"
    "draft   = true\n"
    "summary = \"Over doen waar je goed in bent.\"\n"
    "updated = 2014-01-03T08:00:00+01:00\n"
    "+++\n"
    "Dingen doen waar je niet goed in bent.\n"
    "\n"
    "Tweede alinea.\n";

TEST(post, full_post_with_every_key_is_read_completely) {
    parsed r = parse(full_post);
    ASSERT_TRUE(r.p);
    EXPECT_TRUE(r.errors.empty());
    const post& p = *r.p;
    EXPECT_EQ(p.file, "content/posts/a.md");
    EXPECT_EQ(p.title, "Doen waar je NIET goed in bent.... Logisch toch?!");
    EXPECT_EQ(p.date.unix_seconds, 1388653200);  // 2014-01-02T09:00:00Z
    EXPECT_EQ(p.date.offset_minutes, 60);
    EXPECT_EQ(p.date.year, 2014);
    EXPECT_EQ(p.date.month, 1);
    EXPECT_EQ(p.date.day, 2);
    EXPECT_EQ(p.date.hour, 10);
    EXPECT_EQ(p.date.minute, 0);
    EXPECT_EQ(p.date.second, 0);
    ASSERT_TRUE(p.updated);
    EXPECT_EQ(p.updated->unix_seconds, 1388732400);
    EXPECT_EQ(p.updated->day, 3);
    EXPECT_EQ(p.updated->hour, 8);
    EXPECT_EQ(p.labels, (std::vector<std::string>{"ondernemen", "samenwerken"}));
    EXPECT_EQ(p.author, "Sonja van Vuren");
    EXPECT_EQ(p.slug, "doen-waar-je-niet-goed-in-bent");
    EXPECT_EQ(p.aliases, (std::vector<std::string>{"/oud/adres.html", "/2014/01/doen.html"}));
    EXPECT_TRUE(p.draft);
    EXPECT_EQ(p.summary, "Over doen waar je goed in bent.");
    EXPECT_EQ(p.body_line, 12);
    EXPECT_EQ(p.markdown, "Dingen doen waar je niet goed in bent.\n\nTweede alinea.\n");
}

TEST(post, id_is_a_uri_without_blanks) {
    const parsed ok = parse(
        "+++\ntitle = \"A\"\ndate = 2014-01-02\nid = "
        "\"tag:blogger.com,1999:blog-1.post-2\"\n+++\n");
    ASSERT_TRUE(ok.p);
    EXPECT_EQ(ok.p->id, "tag:blogger.com,1999:blog-1.post-2");
    EXPECT_EQ(ok.p->id_line, 4);
    const diagnostic bad =
        only_error("+++\ntitle = \"A\"\ndate = 2014-01-02\nid = \"mijn post\"\n+++\n");
    EXPECT_EQ(bad.line, 4);
    EXPECT_NE(bad.message.find("\"id\" must be a URI"), std::string::npos) << bad.message;
}

TEST(post, optional_keys_default_to_empty) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-02T10:00:00+01:00\n+++\nBody\n");
    ASSERT_TRUE(r.p);
    EXPECT_FALSE(r.p->updated);
    EXPECT_TRUE(r.p->labels.empty());
    EXPECT_TRUE(r.p->author.empty());
    EXPECT_TRUE(r.p->slug.empty());
    EXPECT_TRUE(r.p->aliases.empty());
    EXPECT_FALSE(r.p->draft);
    EXPECT_TRUE(r.p->summary.empty());
    EXPECT_EQ(r.p->body_line, 5);
}

TEST(post, local_date_time_is_taken_as_utc) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-02T10:00:00\n+++\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->date.unix_seconds, 1388656800);
    EXPECT_EQ(r.p->date.offset_minutes, 0);
    EXPECT_EQ(r.p->date.hour, 10);
}

TEST(post, local_date_is_midnight_utc) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-02\n+++\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->date.unix_seconds, 1388620800);
    EXPECT_EQ(r.p->date.offset_minutes, 0);
    EXPECT_EQ(r.p->date.year, 2014);
    EXPECT_EQ(r.p->date.month, 1);
    EXPECT_EQ(r.p->date.day, 2);
    EXPECT_EQ(r.p->date.hour, 0);
}

TEST(post, negative_offset_keeps_the_wall_clock_and_moves_the_instant) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-01T20:00:00-05:00\n+++\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->date.unix_seconds, 1388624400);  // 2014-01-02T01:00:00Z
    EXPECT_EQ(r.p->date.offset_minutes, -300);
    EXPECT_EQ(r.p->date.day, 1);
    EXPECT_EQ(r.p->date.hour, 20);
}

TEST(post, leap_day_and_half_hour_offset_convert_exactly) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2016-02-29T12:30:45+05:30\n+++\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->date.unix_seconds, 1456729245);
    EXPECT_EQ(r.p->date.offset_minutes, 330);
    EXPECT_EQ(r.p->date.second, 45);
}

TEST(post, dates_span_the_years_1970_to_9999) {
    parsed first = parse("+++\ntitle = \"T\"\ndate = 1970-01-01T00:00:00Z\n+++\n");
    ASSERT_TRUE(first.p);
    EXPECT_EQ(first.p->date.unix_seconds, 0);
    parsed last = parse("+++\ntitle = \"T\"\ndate = 9999-12-31T23:59:59Z\n+++\n");
    ASSERT_TRUE(last.p);
    EXPECT_EQ(last.p->date.unix_seconds, 253402300799);
}

TEST(post, date_before_1970_is_refused) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 1969-12-31T23:59:59Z\n+++\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_EQ(d.message,
              "\"date\" 1969-12-31T23:59:59Z (UTC) is out of range: dates must fall within the "
              "years 1970 to 9999, as written and in UTC");
}

TEST(post, year_zero_is_refused) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 0000-01-01\n+++\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(d.message.starts_with("\"date\" 0000-01-01T00:00:00Z (UTC) is out of range"))
        << d.message;
}

TEST(post, an_offset_cannot_move_a_date_out_of_range) {
    // As written the year is 9999, but in UTC it is 10000: that year would reach the sitemap.
    const diagnostic late = only_error(
        "+++\ntitle = \"T\"\ndate = 2014-01-02\nupdated = 9999-12-31T23:59:59-23:59\n+++\n");
    EXPECT_EQ(late.line, 4);
    EXPECT_TRUE(late.message.starts_with("\"updated\" 10000-01-01T23:58:59Z (UTC) is out of range"))
        << late.message;
    // And the other way: 1970 as written is still 1969 in UTC.
    const diagnostic early =
        only_error("+++\ntitle = \"T\"\ndate = 1970-01-01T00:30:00+01:00\n+++\n");
    EXPECT_TRUE(early.message.starts_with("\"date\" 1969-12-31T23:30:00Z (UTC)")) << early.message;
    // 1969 as written is refused even when UTC has reached 1970 (the URL would say 1969).
    const diagnostic written =
        only_error("+++\ntitle = \"T\"\ndate = 1969-12-31T23:30:00-01:00\n+++\n");
    EXPECT_TRUE(written.message.starts_with("\"date\" 1970-01-01T00:30:00Z (UTC)"))
        << written.message;
}

TEST(post, crlf_line_ends_are_accepted) {
    parsed r = parse(
        "+++\r\ntitle = \"Titel\"\r\ndate = 2014-01-02T10:00:00+01:00\r\n"
        "labels = [\"a\"]\r\n+++\r\nEerste regel.\r\n");
    ASSERT_TRUE(r.p) << (r.errors.empty() ? "" : r.errors[0].message);
    EXPECT_EQ(r.p->title, "Titel");
    EXPECT_EQ(r.p->labels, std::vector<std::string>{"a"});
    EXPECT_EQ(r.p->body_line, 6);
    EXPECT_EQ(r.p->markdown, "Eerste regel.\r\n");
}

TEST(post, crlf_errors_name_the_line_in_the_whole_file) {
    const diagnostic d = only_error(
        "+++\r\ntitle = \"T\"\r\ndate = 2014-01-02T10:00:00+01:00\r\ndraft = 1\r\n+++\r\n");
    EXPECT_EQ(d.line, 4);
}

TEST(post, utf8_bom_is_skipped) {
    parsed r = parse("\xEF\xBB\xBF+++\ntitle = \"T\"\ndate = 2014-01-02\n+++\nBody\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->body_line, 5);
    EXPECT_EQ(r.p->markdown, "Body\n");
}

TEST(post, fences_may_have_trailing_spaces) {
    parsed r = parse("+++  \ntitle = \"T\"\ndate = 2014-01-02\n+++\t \r\nBody");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->markdown, "Body");
}

TEST(post, body_may_be_empty_without_a_final_newline) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-02\n+++");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->body_line, 5);
    EXPECT_EQ(r.p->markdown, "");
}

TEST(post, body_keeps_a_later_fence_line) {
    parsed r = parse("+++\ntitle = \"T\"\ndate = 2014-01-02\n+++\na\n+++\nb\n");
    ASSERT_TRUE(r.p);
    EXPECT_EQ(r.p->markdown, "a\n+++\nb\n");
}

TEST(post, missing_opening_fence_is_reported_on_line_1) {
    const diagnostic d = only_error("title = \"T\"\ndate = 2014-01-02\n");
    EXPECT_EQ(d.file, "content/posts/a.md");
    EXPECT_EQ(d.line, 1);
    EXPECT_TRUE(contains(d.message, "must start with a \"+++\" line")) << d.message;
}

TEST(post, indented_opening_fence_is_not_a_fence) {
    EXPECT_EQ(only_error(" +++\ntitle = \"T\"\ndate = 2014-01-02\n+++\n").line, 1);
}

TEST(post, empty_file_is_missing_its_front_matter) {
    const diagnostic d = only_error("");
    EXPECT_EQ(d.line, 1);
    EXPECT_TRUE(contains(d.message, "\"+++\"")) << d.message;
}

TEST(post, unclosed_front_matter_is_reported_where_it_opens) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\n\nBody\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.message,
              "the front matter opened here is never closed: add a \"+++\" line after it");
}

TEST(post, malformed_toml_names_the_line_in_the_whole_file) {
    const diagnostic d = only_error(
        "+++\n"
        "title = \"T\"\n"
        "date = 2014-01-02\n"
        "author = \"Sonja\n"
        "+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_TRUE(d.message.starts_with("malformed TOML in front matter: ")) << d.message;
}

TEST(post, malformed_toml_after_a_bom_keeps_line_numbers) {
    EXPECT_EQ(only_error("\xEF\xBB\xBF+++\ntitle = \"T\"\n= 3\n+++\n").line, 3);
}

TEST(post, duplicate_key_is_malformed_toml) {
    const diagnostic d = only_error("+++\ntitle = \"A\"\ndate = 2014-01-02\ntitle = \"B\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_TRUE(contains(d.message, "malformed TOML")) << d.message;
}

TEST(post, impossible_calendar_date_is_malformed_toml) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-02-30\n+++\n");
    EXPECT_EQ(d.line, 3);
}

TEST(post, missing_title_names_the_file_and_line) {
    const diagnostic d = only_error("+++\ndate = 2014-01-02\n+++\nBody\n");
    EXPECT_EQ(d.file, "content/posts/a.md");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.message, "missing \"title\": every post needs a title = \"…\"");
}

TEST(post, empty_title_is_reported_on_its_line) {
    const diagnostic d = only_error("+++\ndate = 2014-01-02\ntitle = \"  \"\n+++\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_EQ(d.message, "\"title\" is empty: every post needs a title = \"…\"");
}

TEST(post, title_must_be_a_string) {
    const diagnostic d = only_error("+++\ntitle = 42\ndate = 2014-01-02\n+++\n");
    EXPECT_EQ(d.line, 2);
    EXPECT_EQ(d.message, "\"title\" must be a string such as title = \"…\", not an integer");
}

TEST(post, missing_date_says_how_to_write_one) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\n+++\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.message,
              "missing \"date\": every post needs a date such as date = "
              "2014-01-02T10:00:00+01:00");
}

TEST(post, quoted_date_says_to_drop_the_quotes) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\n\ndate = \"2014-01-02\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message,
              "\"date\" must be a TOML date-time such as 2014-01-02T10:00:00+01:00, not a "
              "string (write it without quotes)");
}

TEST(post, time_of_day_is_not_a_date) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 10:00:00\n+++\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(contains(d.message, "not a time of day")) << d.message;
}

TEST(post, updated_must_be_a_date_too) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nupdated = 2014\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_TRUE(d.message.starts_with("\"updated\" must be a TOML date-time")) << d.message;
}

TEST(post, labels_must_be_an_array) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nlabels = \"ondernemen\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message,
              "\"labels\" must be an array of strings such as labels = [\"ondernemen\", "
              "\"samenwerken\"], not a string");
}

TEST(post, label_that_is_not_a_string_is_reported_on_its_own_line) {
    const diagnostic d = only_error(
        "+++\ntitle = \"T\"\ndate = 2014-01-02\n"
        "labels = [\n"
        "  \"ondernemen\",\n"
        "  7,\n"
        "]\n+++\n");
    EXPECT_EQ(d.line, 6);
    EXPECT_EQ(d.message, "\"labels\" must hold only strings: item 2 is an integer");
}

TEST(post, empty_label_is_refused) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nlabels = [\"a\", \"\"]\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"labels\" item 2 is empty: remove it or fill it in");
}

TEST(post, labels_are_capped_at_200_characters_like_blogger) {
    // 40 labels of four letters and 39 commas: 199 characters, within Blogger's 200.
    std::string fits, too_many;
    for (int i = 0; i < 40; ++i)
        fits += std::string(fits.empty() ? "" : ", ") + "\"l" + std::to_string(100 + i) + "\"";
    parsed ok = parse("+++\ntitle = \"T\"\ndate = 2014-01-02\nlabels = [" + fits + "]\n+++\n");
    ASSERT_TRUE(ok.p);
    EXPECT_EQ(ok.p->labels.size(), 40u);
    // Characters, not bytes: "é" counts once.
    const std::string accented = "\"" + std::string(100, 'a') + "\", \"" + [] {
        std::string s;
        for (int i = 0; i < 99; ++i) s += "\xC3\xA9";
        return s;
    }() + "\"";
    EXPECT_TRUE(
        parse("+++\ntitle = \"T\"\ndate = 2014-01-02\nlabels = [" + accented + "]\n+++\n").p);

    for (int i = 0; i < 2000; ++i)
        too_many +=
            std::string(too_many.empty() ? "" : ", ") + "\"l" + std::to_string(1000 + i) + "\"";
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\n\nlabels = [" + too_many + "]\n+++\n");
    EXPECT_EQ(d.line, 5);
    EXPECT_EQ(d.message,
              "\"labels\" hold 2000 labels of 11999 characters (joined by commas); at most 200 "
              "are allowed, as on Blogger: keep the few that say what the post is about");
}

TEST(post, alias_must_start_with_a_slash) {
    const diagnostic d = only_error(
        "+++\ntitle = \"T\"\ndate = 2014-01-02\n"
        "aliases = [\n  \"/goed.html\",\n  \"oud/adres.html\",\n]\n+++\n");
    EXPECT_EQ(d.line, 6);
    EXPECT_EQ(d.message,
              "alias \"oud/adres.html\" must start with \"/\", such as \"/oud/adres.html\"");
}

TEST(post, aliases_must_be_strings) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\naliases = [true]\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"aliases\" must hold only strings: item 1 is a boolean");
}

TEST(post, aliases_must_be_an_array) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\naliases = \"/oud.html\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_TRUE(d.message.starts_with("\"aliases\" must be an array of strings")) << d.message;
}

TEST(post, draft_must_be_true_or_false) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\ndraft = \"false\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"draft\" must be true or false, not a string");
}

TEST(post, author_must_be_a_string) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nauthor = [\"Sonja\"]\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message,
              "\"author\" must be a string such as author = \"Sonja van Vuren\", not an array");
}

TEST(post, summary_must_be_a_string) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nsummary = 1.5\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"summary\" must be a string such as summary = \"…\", not a number");
}

TEST(post, slug_must_be_a_string) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nslug = 3\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_TRUE(d.message.starts_with("\"slug\" must be a string")) << d.message;
}

TEST(post, slug_with_capitals_names_the_offending_character) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nslug = \"doen-Waar\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"slug\" may only use a-z, 0-9 and \"-\", but \"doen-Waar\" has \"W\"");
}

TEST(post, slug_with_an_accent_names_the_whole_character) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nslug = \"écht\"\n+++\n");
    EXPECT_EQ(d.message, "\"slug\" may only use a-z, 0-9 and \"-\", but \"écht\" has \"é\"");
}

TEST(post, slug_with_a_space_is_refused) {
    EXPECT_EQ(only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nslug = \"a b\"\n+++\n").line, 4);
}

TEST(post, empty_slug_says_to_remove_it) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\nslug = \"\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message, "\"slug\" is empty: remove it to derive the slug from the title");
}

TEST(post, misspelt_key_suggests_the_known_one) {
    const diagnostic d = only_error("+++\ntittle = \"T\"\ntitle = \"T\"\ndate = 2014-01-02\n+++\n");
    EXPECT_EQ(d.line, 2);
    EXPECT_EQ(d.message, "unknown key \"tittle\" in front matter: did you mean \"title\"?");
}

TEST(post, unrelated_key_lists_the_known_keys) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\ncolour = \"red\"\n+++\n");
    EXPECT_EQ(d.line, 4);
    EXPECT_EQ(d.message,
              "unknown key \"colour\" in front matter: the keys are title, date, updated, labels, "
              "author, slug, aliases, draft, summary, id");
}

TEST(post, table_in_front_matter_is_an_unknown_key) {
    const diagnostic d =
        only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\n\n[params]\nx = 1\n+++\n");
    EXPECT_EQ(d.line, 5);
    EXPECT_TRUE(d.message.starts_with("unknown key \"params\"")) << d.message;
}

TEST(post, every_problem_of_a_file_is_reported_in_line_order) {
    parsed r = parse(
        "+++\n"
        "slug = \"Slecht\"\n"       // 2
        "draft = \"ja\"\n"          // 3
        "labels = [1]\n"            // 4
        "aliases = [\"oud\"]\n"     // 5
        "tittle = \"T\"\n"          // 6
        "updated = \"gisteren\"\n"  // 7
        "+++\n");
    EXPECT_FALSE(r.p);
    std::vector<int> lines;
    for (const diagnostic& d : r.errors) lines.push_back(d.line);
    // title and date are missing (line 1), then one problem per line.
    EXPECT_EQ(lines, (std::vector<int>{1, 1, 2, 3, 4, 5, 6, 7}));
    ASSERT_EQ(r.errors.size(), 8u);
    EXPECT_TRUE(r.errors[0].message.starts_with("missing \"title\""));
    EXPECT_TRUE(r.errors[1].message.starts_with("missing \"date\""));
}

TEST(post, errors_are_appended_after_earlier_files) {
    std::vector<diagnostic> errors{{"content/posts/eerder.md", 3, "earlier"}};
    EXPECT_FALSE(parse_post("content/posts/b.md", "+++\ndate = 2014-01-02\n+++\n", errors));
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].file, "content/posts/eerder.md");
    EXPECT_EQ(errors[1].file, "content/posts/b.md");
}

TEST(post, invalid_utf8_names_the_line) {
    const diagnostic d = only_error("+++\ntitle = \"T\"\ndate = 2014-01-02\n+++\nBody\ncaf\xE9\n");
    EXPECT_EQ(d.line, 6);
    EXPECT_EQ(d.message, "the file is not valid UTF-8: save it as UTF-8");
}

TEST(post, seed_post_parses_as_the_first_post_of_the_blog) {
    const std::string path =
        KADE_SOURCE_DIR "/content/posts/2014/01/doen-waar-je-niet-goed-in-bent.md";
    const std::optional<std::string> text = read_file(path);
    ASSERT_TRUE(text) << "cannot open " << path;

    parsed r = parse(*text, path);
    ASSERT_TRUE(r.p) << (r.errors.empty() ? "" : format_diagnostic(r.errors[0]));
    const post& p = *r.p;
    EXPECT_EQ(p.title, "Doen waar je NIET goed in bent.... Logisch toch?!");
    EXPECT_EQ(p.date.unix_seconds, 1388653200);
    EXPECT_EQ(p.date.offset_minutes, 60);
    EXPECT_EQ(p.author, "Sonja van Vuren");
    EXPECT_EQ(p.slug, "doen-waar-je-niet-goed-in-bent");
    EXPECT_GE(p.labels.size(), 2u);
    EXPECT_LE(p.labels.size(), 3u);
    EXPECT_FALSE(p.draft);
    EXPECT_EQ(p.body_line, 8);
    EXPECT_TRUE(p.markdown.starts_with("\nDingen doen waar je niet goed in bent."));
    EXPECT_FALSE(contains(p.markdown, "blog-Sonja van Vuren"));
    EXPECT_FALSE(contains(p.markdown, "Een reactie posten"));
    EXPECT_FALSE(contains(p.markdown, "\xC2\xA0"));  // no stray no-break spaces from Blogger
    for (std::string_view word : {"ontwikke-lingen", "tegen-woordig", ";-)", "z'n", "wél", "écht",
                                  "éénoog", "(potentiële)"}) {
        EXPECT_TRUE(contains(p.markdown, word)) << word;
    }
}

}  // namespace
}  // namespace kade::indexer
