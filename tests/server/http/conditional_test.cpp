#include "server/http/conditional.hpp"

#include <gtest/gtest.h>

namespace kade::http {
namespace {

constexpr std::string_view etag = "\"a1b2\"";
constexpr std::int64_t modified = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
constexpr std::string_view modified_date = "Sun, 06 Nov 1994 08:49:37 GMT";

const validators page{etag, modified};

// --- If-None-Match (§13.1.2) ----------------------------------------------------------------

TEST(conditional, star_matches_any_etag) {
    EXPECT_TRUE(if_none_match_matches("*", etag));
    EXPECT_TRUE(if_none_match_matches(" * ", "\"other\""));
    EXPECT_TRUE(if_none_match_matches("*", ""));
}

TEST(conditional, identical_strong_tag_matches) {
    EXPECT_TRUE(if_none_match_matches("\"a1b2\"", etag));
}

TEST(conditional, different_tag_does_not_match) {
    EXPECT_FALSE(if_none_match_matches("\"a1b3\"", etag));
    EXPECT_FALSE(if_none_match_matches("\"A1B2\"", etag));  // opaque tags are case-sensitive
    EXPECT_FALSE(if_none_match_matches("\"a1b2x\"", etag));
    EXPECT_FALSE(if_none_match_matches("\"\"", etag));
}

TEST(conditional, weak_tag_matches_under_weak_comparison) {
    EXPECT_TRUE(if_none_match_matches("W/\"a1b2\"", etag));
}

TEST(conditional, weak_own_tag_is_compared_weakly_too) {
    EXPECT_TRUE(if_none_match_matches("\"a1b2\"", "W/\"a1b2\""));
    EXPECT_TRUE(if_none_match_matches("W/\"a1b2\"", "W/\"a1b2\""));
}

TEST(conditional, lowercase_weak_prefix_is_malformed) {
    EXPECT_FALSE(if_none_match_matches("w/\"a1b2\"", etag));
}

TEST(conditional, any_tag_in_a_list_matches) {
    EXPECT_TRUE(if_none_match_matches("\"x\", \"a1b2\", \"y\"", etag));
    EXPECT_TRUE(if_none_match_matches("\"x\",W/\"a1b2\"", etag));
    EXPECT_FALSE(if_none_match_matches("\"x\", \"y\"", etag));
}

TEST(conditional, list_tolerates_whitespace_and_empty_elements) {
    EXPECT_TRUE(if_none_match_matches(" \t\"x\" ,\t, ,\"a1b2\"\t, ", etag));
    EXPECT_TRUE(if_none_match_matches(",\"a1b2\"", etag));
}

TEST(conditional, tag_with_comma_inside_quotes_is_one_tag) {
    EXPECT_TRUE(if_none_match_matches("\"a,b\"", "\"a,b\""));
    EXPECT_FALSE(if_none_match_matches("\"a,b\"", "\"a\""));
}

TEST(conditional, obs_text_is_allowed_in_tags) {
    EXPECT_TRUE(if_none_match_matches("\"caf\xc3\xa9\"", "\"caf\xc3\xa9\""));
}

TEST(conditional, malformed_list_matches_nothing) {
    for (std::string_view bad :
         {"a1b2", "\"a1b2", "a1b2\"", "\"a1b2\" x", "\"x\"\"a1b2\"", "\"a1b2\", junk",
          "junk, \"a1b2\"", "W/ \"a1b2\"", "W/a1b2", "\"a1 b2\"", "\"a1b2\";q=1", "*, \"a1b2\"",
          "\"a1b2\", *", "\"a\x7f\", \"a1b2\"", "\"a\tb\", \"a1b2\""}) {
        EXPECT_FALSE(if_none_match_matches(bad, etag)) << bad;
    }
}

TEST(conditional, empty_field_matches_nothing) {
    EXPECT_FALSE(if_none_match_matches("", etag));
    EXPECT_FALSE(if_none_match_matches(" , ", etag));
}

TEST(conditional, unknown_own_etag_matches_only_star) {
    EXPECT_FALSE(if_none_match_matches("\"a1b2\"", ""));
    EXPECT_FALSE(if_none_match_matches("\"\"", ""));
}

// --- The decision (§13.2.2) -----------------------------------------------------------------

TEST(conditional, no_conditional_fields_is_not_304) {
    EXPECT_FALSE(is_not_modified(std::nullopt, std::nullopt, page));
}

TEST(conditional, matching_if_none_match_gives_304) {
    EXPECT_TRUE(is_not_modified("\"a1b2\"", std::nullopt, page));
    EXPECT_TRUE(is_not_modified("*", std::nullopt, page));
}

TEST(conditional, if_none_match_decides_alone_over_a_matching_date) {
    EXPECT_FALSE(is_not_modified("\"old\"", modified_date, page));
}

TEST(conditional, if_none_match_decides_alone_over_a_stale_date) {
    EXPECT_TRUE(is_not_modified("\"a1b2\"", "Thu, 01 Jan 1970 00:00:00 GMT", page));
}

TEST(conditional, malformed_if_none_match_still_hides_if_modified_since) {
    EXPECT_FALSE(is_not_modified("garbage", modified_date, page));
    EXPECT_FALSE(is_not_modified("", modified_date, page));
}

TEST(conditional, if_modified_since_equal_to_last_modified_gives_304) {
    EXPECT_TRUE(is_not_modified(std::nullopt, modified_date, page));
}

TEST(conditional, if_modified_since_after_last_modified_gives_304) {
    EXPECT_TRUE(is_not_modified(std::nullopt, "Sun, 06 Nov 1994 08:49:38 GMT", page));
    EXPECT_TRUE(is_not_modified(std::nullopt, "Thu, 02 Jan 2014 09:00:00 GMT", page));
}

TEST(conditional, if_modified_since_before_last_modified_is_not_304) {
    EXPECT_FALSE(is_not_modified(std::nullopt, "Sun, 06 Nov 1994 08:49:36 GMT", page));
}

TEST(conditional, if_modified_since_accepts_obsolete_date_forms) {
    EXPECT_TRUE(is_not_modified(std::nullopt, "Sunday, 06-Nov-94 08:49:37 GMT", page));
    EXPECT_TRUE(is_not_modified(std::nullopt, "Sun Nov  6 08:49:37 1994", page));
    EXPECT_FALSE(is_not_modified(std::nullopt, "Sun Nov  6 08:49:36 1994", page));
}

TEST(conditional, unparsable_if_modified_since_is_ignored) {
    for (std::string_view bad : {"", "yesterday", "784111777", "Sun, 30 Feb 1994 08:49:37 GMT",
                                 "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT"}) {
        EXPECT_FALSE(is_not_modified(std::nullopt, bad, page)) << bad;
    }
}

TEST(conditional, unknown_last_modified_ignores_if_modified_since) {
    const validators no_date{etag, -1};
    EXPECT_FALSE(is_not_modified(std::nullopt, modified_date, no_date));
    EXPECT_TRUE(is_not_modified("\"a1b2\"", modified_date, no_date));
}

TEST(conditional, epoch_last_modified_is_a_real_date) {
    const validators epoch{etag, 0};
    EXPECT_TRUE(is_not_modified(std::nullopt, "Thu, 01 Jan 1970 00:00:00 GMT", epoch));
}

// --- Range and If-Range (§14.2, §13.1.5) -----------------------------------------------------

using kind = range_decision::kind;

range_decision range_of(std::string_view range, std::uint64_t size = 1000) {
    return evaluate_range(range, std::nullopt, page, size);
}

TEST(range, absent_range_is_the_whole_representation) {
    EXPECT_EQ(evaluate_range(std::nullopt, std::nullopt, page, 1000).what, kind::full);
    EXPECT_EQ(evaluate_range(std::nullopt, "\"a1b2\"", page, 1000).what, kind::full);
}

TEST(range, closed_range_selects_those_bytes) {
    const auto d = range_of("bytes=0-99");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 0u);
    EXPECT_EQ(d.length, 100u);
}

TEST(range, open_range_runs_to_the_end) {
    const auto d = range_of("bytes=990-");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 990u);
    EXPECT_EQ(d.length, 10u);
}

TEST(range, last_pos_beyond_the_end_is_clamped) {
    const auto d = range_of("bytes=500-5000");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 500u);
    EXPECT_EQ(d.length, 500u);
}

TEST(range, suffix_range_selects_the_last_bytes) {
    const auto d = range_of("bytes=-10");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 990u);
    EXPECT_EQ(d.length, 10u);
}

TEST(range, suffix_longer_than_the_representation_takes_all_of_it) {
    const auto d = range_of("bytes=-5000");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 0u);
    EXPECT_EQ(d.length, 1000u);
}

TEST(range, single_last_byte) {
    const auto d = range_of("bytes=999-999");
    EXPECT_EQ(d.what, kind::partial);
    EXPECT_EQ(d.first, 999u);
    EXPECT_EQ(d.length, 1u);
}

TEST(range, unit_is_case_insensitive_and_ows_around_members_is_allowed) {
    EXPECT_EQ(range_of("Bytes=0-1").what, kind::partial);
    EXPECT_EQ(range_of("BYTES= 0-1 ").what, kind::partial);
    EXPECT_EQ(range_of("bytes=0-1,").what, kind::partial);  // empty list members don't count
}

TEST(range, first_pos_at_or_beyond_the_end_is_unsatisfiable) {
    EXPECT_EQ(range_of("bytes=1000-").what, kind::unsatisfiable);
    EXPECT_EQ(range_of("bytes=1000-2000").what, kind::unsatisfiable);
    EXPECT_EQ(range_of("bytes=99999999999999999999999-").what, kind::unsatisfiable);
}

TEST(range, empty_suffix_is_unsatisfiable) {
    EXPECT_EQ(range_of("bytes=-0").what, kind::unsatisfiable);
}

TEST(range, any_range_of_an_empty_representation_is_unsatisfiable) {
    EXPECT_EQ(range_of("bytes=0-", 0).what, kind::unsatisfiable);
    EXPECT_EQ(range_of("bytes=-5", 0).what, kind::unsatisfiable);
}

TEST(range, several_ranges_are_served_whole) {
    EXPECT_EQ(range_of("bytes=0-1,5-6").what, kind::full);
    EXPECT_EQ(range_of("bytes=0-1, -5").what, kind::full);
}

TEST(range, invalid_range_sets_are_ignored) {
    for (std::string_view bad :
         {"bytes=5-4", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2x", "bytes 0-1", "items=0-1",
          "bytes=0x1-2", "bytes=+1-2", "bytes=1--2", "bytes=,", "=0-1", ""}) {
        EXPECT_EQ(range_of(bad).what, kind::full) << bad;
    }
}

TEST(range, matching_strong_if_range_allows_the_range) {
    EXPECT_EQ(evaluate_range("bytes=0-1", "\"a1b2\"", page, 1000).what, kind::partial);
}

TEST(range, other_or_weak_if_range_etag_gives_the_whole_representation) {
    EXPECT_EQ(evaluate_range("bytes=0-1", "\"zzz\"", page, 1000).what, kind::full);
    EXPECT_EQ(evaluate_range("bytes=0-1", "W/\"a1b2\"", page, 1000).what, kind::full);
    EXPECT_EQ(evaluate_range("bytes=0-1", "\"a1b2", page, 1000).what, kind::full);
}

TEST(range, if_range_date_must_equal_last_modified) {
    EXPECT_EQ(evaluate_range("bytes=0-1", modified_date, page, 1000).what, kind::partial);
    EXPECT_EQ(evaluate_range("bytes=0-1", "Sun, 06 Nov 1994 08:49:38 GMT", page, 1000).what,
              kind::full);
    EXPECT_EQ(evaluate_range("bytes=0-1", "gisteren", page, 1000).what, kind::full);
    const validators no_date{etag, -1};
    EXPECT_EQ(evaluate_range("bytes=0-1", modified_date, no_date, 1000).what, kind::full);
}

TEST(range, failing_if_range_also_ignores_an_unsatisfiable_range) {
    EXPECT_EQ(evaluate_range("bytes=5000-", "\"zzz\"", page, 1000).what, kind::full);
}

}  // namespace
}  // namespace kade::http
