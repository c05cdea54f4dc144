#pragma once
// Addresses of Blogger's that name a list rather than a page, answered from the bundle: the
// "Oudere berichten" link of every Blogger theme (/search?updated-max=TIME&max-results=N) and
// Blogger's date archives (/YYYY_MM_DD_archive.html).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

// Blogger's updated-max: "2014-11-20T09:30:00.000+01:00" (fraction and offset optional, "Z"
// allowed; a '+' that a form decoder turned into ' ' is taken as '+') → Unix seconds.
std::optional<std::int64_t> parse_blogger_time(std::string_view s);

// "/2014_11_20_archive.html" → "/2014/11/"; nullopt for any other path.
std::optional<std::string> archive_month_path(std::string_view path);

// What an "Oudere berichten" link asks for: the `max` posts published before `before`, of
// every label or of one (Blogger's /search/label/NAME?updated-max=…).
struct older_posts_query {
    std::int64_t before = 0;
    std::size_t max = 1;
    std::string_view label;  // as the label page's path names it; empty: every post
};

// The list of posts (server/posts_by_date.hpp): the HTML of the posts asked for, as the home
// page shows them (title, date, author, summary), with its own "Oudere berichten" link (the same
// query, from the last post shown) when older posts remain.
// `posts`: every post's line, or the label's (listed_posts), newest first.
std::string older_posts_html(const std::vector<std::string_view>& posts,
                             const older_posts_query& query);

}  // namespace kade
