#include "indexer/site.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "server/common/dutch.hpp"
#include "server/common/http_date.hpp"

namespace kade::indexer {

std::string derive_slug(std::string_view title) {
    const std::string folded = dutch::fold(title);
    std::string slug;
    for (char c : folded) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep) {
            slug += c;
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    constexpr std::size_t max_length = 40;
    if (slug.size() > max_length) {
        const auto cut = slug.rfind('-', max_length);
        slug.resize(cut == std::string::npos || cut == 0 ? max_length : cut);
    }
    return slug.empty() ? "bericht" : slug;
}

std::string dutch_date(const post_time& t) {
    static constexpr const char* weekdays[] = {
        "donderdag", "vrijdag", "zaterdag", "zondag",
        "maandag",   "dinsdag", "woensdag"};  // 1970-01-01 was a Thursday
    static constexpr const char* months[] = {"januari",   "februari", "maart",    "april",
                                             "mei",       "juni",     "juli",     "augustus",
                                             "september", "oktober",  "november", "december"};
    const std::int64_t days =
        days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
    const auto weekday = static_cast<std::size_t>(((days % 7) + 7) % 7);
    const auto month = static_cast<std::size_t>(std::clamp(t.month, 1, 12) - 1);
    return std::string(weekdays[weekday]) + " " + std::to_string(t.day) + " " + months[month] +
           " " + std::to_string(t.year);
}

namespace {

std::string two_digits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

}  // namespace

site build_site(std::vector<post> posts, const config& cfg, std::vector<diagnostic>& errors) {
    site out;
    for (auto& p : posts) {
        if (p.draft) continue;
        site_post sp;
        const std::string slug = p.slug.empty() ? derive_slug(p.title) : p.slug;
        sp.url = "/" + std::to_string(p.date.year) + "/" + two_digits(p.date.month) + "/" + slug +
                 ".html";
        sp.body = render_markdown(p.markdown);
        sp.summary = p.summary.empty() ? sp.body.first_paragraph : p.summary;
        sp.author = p.author.empty() ? cfg.site.author : p.author;
        sp.date_iso = std::to_string(p.date.year) + "-" + two_digits(p.date.month) + "-" +
                      two_digits(p.date.day);
        sp.date_dutch = dutch_date(p.date);
        sp.last_modified = p.updated ? p.updated->unix_seconds : p.date.unix_seconds;
        sp.source = std::move(p);
        out.posts.push_back(std::move(sp));
    }

    // Every URL a post answers: its permalink and its aliases. The first claim wins, later
    // ones are errors naming both files.
    std::map<std::string, const site_post*> claimed;
    auto claim = [&](const std::string& url, const site_post& sp, const char* what) {
        auto [it, inserted] = claimed.emplace(url, &sp);
        if (!inserted)
            errors.push_back({sp.source.file, 1,
                              std::string(what) + " " + url + " is already the URL of " +
                                  it->second->source.file});
    };
    // Claim in file order so the message is stable.
    std::vector<const site_post*> by_file;
    for (const auto& sp : out.posts) by_file.push_back(&sp);
    std::sort(by_file.begin(), by_file.end(), [](const site_post* a, const site_post* b) {
        return a->source.file < b->source.file;
    });
    for (const site_post* sp : by_file) claim(sp->url, *sp, "post URL");
    for (const site_post* sp : by_file)
        for (const auto& alias : sp->source.aliases) claim(alias, *sp, "alias");

    std::sort(out.posts.begin(), out.posts.end(), [](const site_post& a, const site_post& b) {
        if (a.source.date.unix_seconds != b.source.date.unix_seconds)
            return a.source.date.unix_seconds > b.source.date.unix_seconds;
        return a.url < b.url;
    });
    return out;
}

}  // namespace kade::indexer
