#include "common/http_date.hpp"

#include <algorithm>
#include <array>

namespace kade {
namespace {

constexpr std::int64_t seconds_per_day = 86400;
// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years IMF-fixdate's 4DIGIT can show.
constexpr std::int64_t min_formattable = -62135596800;
constexpr std::int64_t max_formattable = 253402300799;

constexpr std::array<std::string_view, 7> day_names{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> long_day_names{
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_leap(int y) {
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned days_in_month(int y, unsigned m) {
    constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

void put2(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// Exactly `n` ASCII digits at s[pos..]; nullopt otherwise (no sign, no spaces).
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// 1-based month for a three-letter name; 0 when unknown.
unsigned month_from_name(std::string_view s) {
    for (std::size_t i = 0; i < month_names.size(); ++i) {
        if (month_names[i] == s) return static_cast<unsigned>(i + 1);
    }
    return 0;
}

template <std::size_t N>
bool is_one_of(std::string_view s, const std::array<std::string_view, N>& names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

// time-of-day = hour ":" minute ":" second, at s[pos..pos+8).
struct time_of_day {
    int hour, minute, second;
};
std::optional<time_of_day> parse_time(std::string_view s, std::size_t pos) {
    const auto h = digits(s, pos, 2);
    const auto m = digits(s, pos + 3, 2);
    const auto sec = digits(s, pos + 6, 2);
    if (!h || !m || !sec || s[pos + 2] != ':' || s[pos + 5] != ':') return std::nullopt;
    return time_of_day{*h, *m, *sec};
}

// Checks the fields make a real instant. Second 60 is a leap second (RFC 5322 §3.3, which
// RFC 9110 §5.6.7 points to); Unix time has none, so it lands on the next minute's :00.
// Year 0000 is refused: the formatter shows years 0001-9999, so every accepted date formats back.
std::optional<std::int64_t> to_unix(int year, unsigned month, int day, const time_of_day& t) {
    if (year < 1) return std::nullopt;
    if (month < 1 || month > 12) return std::nullopt;
    if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, month)) return std::nullopt;
    if (t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
    return days_from_civil(year, month, static_cast<unsigned>(day)) * seconds_per_day +
           t.hour * 3600 + t.minute * 60 + t.second;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters).
std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
    if (s.size() != 29 || !is_one_of(s.substr(0, 3), day_names)) return std::nullopt;
    if (s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[25] != ' ' ||
        s.substr(26) != "GMT") {
        return std::nullopt;
    }
    const auto day = digits(s, 5, 2);
    const auto year = digits(s, 12, 4);
    const auto t = parse_time(s, 17);
    if (!day || !year || !t) return std::nullopt;
    return to_unix(*year, month_from_name(s.substr(8, 3)), *day, *t);
}

// rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT": a full day name, then 24 fixed characters.
std::optional<std::int64_t> parse_rfc850(std::string_view s) {
    const std::size_t comma = s.find(',');
    if (comma == std::string_view::npos || s.size() != comma + 24) return std::nullopt;
    if (!is_one_of(s.substr(0, comma), long_day_names)) return std::nullopt;
    const std::string_view rest = s.substr(comma);  // ", 06-Nov-94 08:49:37 GMT"
    if (rest.substr(0, 2) != ", " || rest[4] != '-' || rest[8] != '-' || rest[11] != ' ' ||
        rest[20] != ' ' || rest.substr(21) != "GMT") {
        return std::nullopt;
    }
    const auto day = digits(rest, 2, 2);
    const auto yy = digits(rest, 9, 2);
    const auto t = parse_time(rest, 12);
    if (!day || !yy || !t) return std::nullopt;
    // RFC 9110 §5.6.7 wants "more than 50 years in the future" read as the past century, which
    // needs a clock; a fixed pivot keeps this pure and never puts a 70–99 date in the future.
    const int year = *yy < 70 ? 2000 + *yy : 1900 + *yy;
    return to_unix(year, month_from_name(rest.substr(5, 3)), *day, *t);
}

// asctime-date: "Sun Nov  6 08:49:37 1994" (24 characters; the day is 2DIGIT or SP DIGIT).
std::optional<std::int64_t> parse_asctime(std::string_view s) {
    if (s.size() != 24 || !is_one_of(s.substr(0, 3), day_names)) return std::nullopt;
    if (s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ') return std::nullopt;
    const auto day = s[8] == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
    const auto t = parse_time(s, 11);
    const auto year = digits(s, 20, 4);
    if (!day || !t || !year) return std::nullopt;
    return to_unix(*year, month_from_name(s.substr(4, 3)), *day, *t);
}

}  // namespace

// Inverse of days_from_civil (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms").
civil_date civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    return {static_cast<int>(y), m, d};
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// By hand rather than strftime: no locale, no time zone lookup, no allocation.
void format_http_date(std::int64_t unix_seconds, std::span<char, http_date_length> out) {
    const std::int64_t t = std::clamp(unix_seconds, min_formattable, max_formattable);
    std::int64_t days = t / seconds_per_day;
    std::int64_t secs = t % seconds_per_day;
    if (secs < 0) secs += seconds_per_day, --days;  // floor division for times before 1970
    const civil_date c = civil_from_days(days);
    const auto weekday = static_cast<std::size_t>(((days % 7) + 11) % 7);  // 1970-01-01: Thu
    const auto s = static_cast<unsigned>(secs);
    const auto year = static_cast<unsigned>(c.year);

    char* p = out.data();
    day_names[weekday].copy(p, 3);
    p[3] = ',';
    p[4] = ' ';
    put2(p + 5, c.day);
    p[7] = ' ';
    month_names[c.month - 1].copy(p + 8, 3);
    p[11] = ' ';
    put2(p + 12, year / 100);
    put2(p + 14, year % 100);
    p[16] = ' ';
    put2(p + 17, s / 3600);
    p[19] = ':';
    put2(p + 20, s / 60 % 60);
    p[22] = ':';
    put2(p + 23, s % 60);
    std::string_view(" GMT").copy(p + 25, 4);
}

std::string format_http_date(std::int64_t unix_seconds) {
    std::array<char, http_date_length> buf;
    format_http_date(unix_seconds, buf);
    return std::string(buf.data(), buf.size());
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.size() < 4) return std::nullopt;
    // The fourth character tells the forms apart: ',' fixdate, ' ' asctime, a letter RFC 850.
    if (s[3] == ',') return parse_imf_fixdate(s);
    if (s[3] == ' ') return parse_asctime(s);
    return parse_rfc850(s);
}

}  // namespace kade
