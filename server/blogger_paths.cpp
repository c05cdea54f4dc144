#include "server/blogger_paths.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/http_date.hpp"
#include "common/text.hpp"
#include "server/posts_by_date.hpp"

namespace kade {
namespace {

bool digits_at(std::string_view s, std::size_t at, std::size_t n, int& value) {
    if (at + n > s.size()) return false;
    value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

// The query value of a time: RFC 3339 with "+" as %2B (a bare '+' would read as a space).
std::string encode_time(std::string_view t) {
    std::string out;
    for (char c : t) {
        if (c == '+')
            out += "%2B";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::optional<std::int64_t> parse_blogger_time(std::string_view s) {
    int y, mo, d, h, mi, se;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':' || s[16] != ':' || !digits_at(s, 0, 4, y) || !digits_at(s, 5, 2, mo) ||
        !digits_at(s, 8, 2, d) || !digits_at(s, 11, 2, h) || !digits_at(s, 14, 2, mi) ||
        !digits_at(s, 17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    int offset = 0;
    const std::string_view zone = s.substr(i);
    if (zone.empty() || zone == "Z" || zone == "z") {
        offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-' || zone[0] == ' ') &&
               zone[3] == ':') {
        int oh, om;
        if (!digits_at(zone, 1, 2, oh) || !digits_at(zone, 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const std::int64_t days =
        days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return days * 86400 + h * 3600 + mi * 60 + se - std::int64_t{offset} * 60;
}

std::optional<std::string> archive_month_path(std::string_view path) {
    // "/2014_11_20_archive.html"; weekly and monthly archives are named by their first day.
    constexpr std::string_view suffix = "_archive.html";
    int y, m, d;
    if (path.size() != 11 + suffix.size() || path[0] != '/' || path[5] != '_' || path[8] != '_' ||
        path.substr(11) != suffix || !digits_at(path, 1, 4, y) || !digits_at(path, 6, 2, m) ||
        !digits_at(path, 9, 2, d) || m < 1 || m > 12 || d < 1 || d > 31)
        return std::nullopt;
    return "/" + std::string(path.substr(1, 4)) + "/" + std::string(path.substr(6, 2)) + "/";
}

std::string older_posts_html(const std::vector<std::string_view>& posts,
                             const older_posts_query& query) {
    std::string list;
    std::size_t shown = 0;
    std::string last_published;
    bool more = false;
    for (std::size_t i = first_published_before(posts, query.before); i < posts.size(); ++i) {
        const auto post = parse_listed_post(posts[i]);
        if (!post || post->published_unix >= query.before) continue;
        if (shown == query.max) {
            more = true;
            break;
        }
        append_listed_post_html(list, *post);
        last_published = std::string(post->published_rfc3339);
        ++shown;
    }
    const std::string base =
        query.label.empty() ? "/search" : "/search/label/" + percent_encode_path(query.label);
    std::string out = "<header class=\"listing-header\">\n<h1>Oudere berichten";
    if (!query.label.empty()) out += " met het label " + html_escape(query.label);
    out += "</h1>\n</header>\n";
    if (shown == 0) return out + "<p>Er zijn geen oudere berichten.</p>\n";
    out += list;
    out +=
        "<nav class=\"pager\" aria-label=\"Meer berichten\">\n<span></span>\n"
        "<a class=\"home\" href=\"" +
        html_escape(query.label.empty() ? "/" : base) + "\">" +
        (query.label.empty() ? "Startpagina" : html_escape(query.label)) + "</a>\n";
    if (more)
        out += "<a class=\"older\" rel=\"next\" href=\"" + html_escape(base) +
               "?updated-max=" + encode_time(last_published) +
               "&amp;max-results=" + std::to_string(query.max) + "\">Oudere berichten</a>\n";
    else
        out += "<span></span>\n";
    return out + "</nav>\n";
}

}  // namespace kade
