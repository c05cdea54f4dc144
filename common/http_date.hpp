#pragma once
// HTTP-date (RFC 9110 §5.6.7): format IMF-fixdate, parse all three historic forms.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kade {

// Length of an IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
inline constexpr std::size_t http_date_length = 29;

// "Sun, 06 Nov 1994 08:49:37 GMT" for Unix seconds (UTC). Times outside years 0001–9999 are
// clamped to that range, so the result is always http_date_length characters.
std::string format_http_date(std::int64_t unix_seconds);

// The same, written into a caller's buffer without allocating (for a once-a-second Date cache).
void format_http_date(std::int64_t unix_seconds, std::span<char, http_date_length> out);

// Parses IMF-fixdate, obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
// ("Sun Nov  6 08:49:37 1994"); nullopt when it is none of them or not a real date.
// Names are case-sensitive, as in the RFC's grammar; surrounding spaces and tabs are ignored.
// A day name that disagrees with the date is accepted (the date is what counts). RFC 850's
// two-digit years 00–69 are 2000–2069 and 70–99 are 1970–1999.
std::optional<std::int64_t> parse_http_date(std::string_view s);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// The date `days` after 1970-01-01 (negative: before), the inverse of days_from_civil.
struct civil_date {
    int year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};
civil_date civil_from_days(std::int64_t days);

}  // namespace kade
