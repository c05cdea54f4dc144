#pragma once
// Addresses of Blogger's that name a list rather than a page, answered from the bundle: the
// "Oudere berichten" link of every Blogger theme (/search?updated-max=TIME&max-results=N) and
// Blogger's date archives (/YYYY_MM_DD_archive.html).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kade {

// Blogger's updated-max: "2014-11-20T09:30:00.000+01:00" (fraction and offset optional, "Z"
// allowed; a '+' that a form decoder turned into ' ' is taken as '+') → Unix seconds.
std::optional<std::int64_t> parse_blogger_time(std::string_view s);

// "/2014_11_20_archive.html" → "/2014/11/"; nullopt for any other path.
std::optional<std::string> archive_month_path(std::string_view path);

// The index entry (bundle::posts_by_date_path): one line per published post, newest first,
// "UNIX\tURL\tTITLE\tDATE_DUTCH\tPUBLISHED_RFC3339".
// The HTML of the `max` posts published before `before`, as a list with its own "Oudere
// berichten" link (the same query, from the last post shown) when older posts remain.
std::string older_posts_html(std::string_view index, std::int64_t before, std::size_t max);

}  // namespace kade
