#include "common/http_date.hpp"

#include <ctime>

#include <gtest/gtest.h>

namespace kade {
namespace {

constexpr std::int64_t rfc_example = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110)

// libc as an independent oracle: the same instant through gmtime_r and strftime in the C locale.
std::string libc_http_date(std::int64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf, n);
}

TEST(http_date, formats_the_rfc_example) {
    EXPECT_EQ(format_http_date(rfc_example), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(http_date, formats_the_epoch) {
    EXPECT_EQ(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(http_date, formats_the_second_before_the_epoch) {
    EXPECT_EQ(format_http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(http_date, formats_a_leap_day) {
    EXPECT_EQ(format_http_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(http_date, formats_the_seed_post_date) {
    // 2014-01-02T10:00:00+01:00
    EXPECT_EQ(format_http_date(1388653200), "Thu, 02 Jan 2014 09:00:00 GMT");
}

TEST(http_date, formats_the_same_as_libc_across_centuries) {
    // Steps of a prime number of seconds hit every weekday, month and time of day.
    for (std::int64_t t = -2208988800; t < 7258118400; t += 7919 * 1187) {
        ASSERT_EQ(format_http_date(t), libc_http_date(t)) << t;
    }
}

TEST(http_date, buffer_overload_writes_the_same_text) {
    std::array<char, http_date_length> buf{};
    format_http_date(rfc_example, buf);
    EXPECT_EQ(std::string_view(buf.data(), buf.size()), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(http_date, clamps_times_beyond_four_digit_years) {
    EXPECT_EQ(format_http_date(INT64_MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
    EXPECT_EQ(format_http_date(INT64_MIN), "Mon, 01 Jan 0001 00:00:00 GMT");
}

TEST(http_date, parses_imf_fixdate) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), rfc_example);
}

TEST(http_date, parses_rfc850_date) {
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), rfc_example);
    EXPECT_EQ(parse_http_date("Wednesday, 09-Nov-94 08:49:37 GMT"), rfc_example + 3 * 86400);
}

TEST(http_date, rfc850_two_digit_years_pivot_at_70) {
    EXPECT_EQ(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
    EXPECT_EQ(parse_http_date("Thursday, 02-Jan-14 09:00:00 GMT"), 1388653200);
    EXPECT_EQ(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT"), 946684800);
}

TEST(http_date, parses_asctime_date_with_space_padded_day) {
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), rfc_example);
}

TEST(http_date, parses_asctime_date_with_two_digit_day) {
    EXPECT_EQ(parse_http_date("Wed Nov 16 08:49:37 1994"), rfc_example + 10 * 86400);
    EXPECT_EQ(parse_http_date("Sun Nov 06 08:49:37 1994"), rfc_example);
}

TEST(http_date, round_trips_through_format_and_parse) {
    for (std::int64_t t = 0; t < 4102444800; t += 86413 * 37) {
        ASSERT_EQ(parse_http_date(format_http_date(t)), t) << t;
    }
}

TEST(http_date, parses_the_same_as_libc_timegm) {
    for (std::int64_t t = -2208988800; t < 7258118400; t += 7919 * 1187) {
        ASSERT_EQ(parse_http_date(libc_http_date(t)), t) << t;
    }
}

TEST(http_date, ignores_surrounding_whitespace) {
    EXPECT_EQ(parse_http_date(" \tSun, 06 Nov 1994 08:49:37 GMT \t"), rfc_example);
}

TEST(http_date, accepts_leap_second_as_next_minute) {
    EXPECT_EQ(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT"), 1483228800);
}

TEST(http_date, accepts_a_day_name_that_disagrees_with_the_date) {
    EXPECT_EQ(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), rfc_example);
}

TEST(http_date, accepts_february_29_in_leap_years_only) {
    EXPECT_TRUE(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"));
    EXPECT_TRUE(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"));
    EXPECT_FALSE(parse_http_date("Thu, 29 Feb 1900 00:00:00 GMT"));
    EXPECT_FALSE(parse_http_date("Sat, 29 Feb 2023 00:00:00 GMT"));
}

TEST(http_date, rejects_year_zero_which_no_imf_fixdate_can_show) {
    EXPECT_FALSE(parse_http_date("Mon, 15 Feb 0000 10:00:00 GMT"));
    EXPECT_FALSE(parse_http_date("Mon Feb 15 10:00:00 0000"));
    EXPECT_TRUE(parse_http_date("Mon, 01 Jan 0001 00:00:00 GMT"));
}

TEST(http_date, rejects_impossible_dates) {
    EXPECT_FALSE(parse_http_date("Sun, 30 Feb 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 31 Apr 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 32 Jan 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 00 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun Nov  0 08:49:37 1994"));
    EXPECT_FALSE(parse_http_date("Sunday, 31-Sep-94 08:49:37 GMT"));
}

TEST(http_date, rejects_impossible_times) {
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:60:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:61 GMT"));
    EXPECT_FALSE(parse_http_date("Sun Nov  6 25:49:37 1994"));
}

TEST(http_date, rejects_unknown_month_and_day_names) {
    EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Xyz, 06 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sonday, 06-Nov-94 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 nov 1994 08:49:37 GMT"));  // names are case-sensitive
}

TEST(http_date, rejects_other_time_zones) {
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 +0000"));
    EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 CET"));
}

TEST(http_date, rejects_malformed_text) {
    EXPECT_FALSE(parse_http_date(""));
    EXPECT_FALSE(parse_http_date("   "));
    EXPECT_FALSE(parse_http_date("Sun"));
    EXPECT_FALSE(parse_http_date("yesterday"));
    EXPECT_FALSE(parse_http_date("784111777"));
    EXPECT_FALSE(parse_http_date("1994-11-06T08:49:37Z"));
    EXPECT_FALSE(parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 94 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08-49-37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994  8:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov +994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMTX"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun Nov  6 08:49:37 94"));
    EXPECT_FALSE(parse_http_date("Sun Nov 6 08:49:37 1994"));
    EXPECT_FALSE(parse_http_date(std::string_view("Sun, 06 Nov 1994 08:49:37 GMT\0", 30)));
}

TEST(http_date, days_from_civil_counts_from_the_epoch) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
    EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
}

}  // namespace
}  // namespace kade
