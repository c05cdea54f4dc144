#include "indexer/content/site.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>

#include <xxhash.h>

#include "common/dutch.hpp"
#include "common/http_date.hpp"
#include "common/text.hpp"
#include "indexer/parallel.hpp"

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
    const std::int64_t days =
        days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
    const auto weekday = static_cast<std::size_t>(((days % 7) + 7) % 7);
    return std::string(weekdays[weekday]) + " " + std::to_string(t.day) + " " +
           dutch_month(t.month) + " " + std::to_string(t.year);
}

std::string dutch_month(int month) {
    static constexpr const char* months[] = {"januari",   "februari", "maart",    "april",
                                             "mei",       "juni",     "juli",     "augustus",
                                             "september", "oktober",  "november", "december"};
    return months[std::clamp(month, 1, 12) - 1];
}

std::string rfc3339(const post_time& t) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
    std::string out = buf;
    if (t.offset_minutes == 0) return out + "Z";
    const int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", t.offset_minutes < 0 ? '-' : '+', off / 60,
                  off % 60);
    return out + buf;
}

std::string post_key(std::string_view url) {
    return "post-" + hex64(XXH3_64bits(url.data(), url.size())).substr(0, 12);
}

std::string label_key(std::string_view label) {
    return "label-" + hex64(XXH3_64bits(label.data(), label.size())).substr(0, 12);
}

std::string default_feed_id(std::string_view base_url, std::string_view content_path) {
    if (const size_t scheme = base_url.find("://"); scheme != std::string_view::npos)
        base_url.remove_prefix(scheme + 3);
    std::string host(base_url.substr(0, base_url.find_first_of("/:?#")));
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (host.empty()) host = "localhost";
    if (content_path.ends_with(".md")) content_path.remove_suffix(3);
    // RFC 4151: the date is one at which the authority held the name; 2014 is the year the
    // blog began. It is part of every id, so it never changes.
    return "tag:" + host + ",2014:" + percent_encode_path(content_path);
}

std::string blogger_blog_id(std::string_view post_id) {
    constexpr std::string_view prefix = "tag:blogger.com,1999:blog-";
    if (!post_id.starts_with(prefix)) return {};
    const size_t dot = post_id.find(".post-", prefix.size());
    if (dot == std::string_view::npos || dot == prefix.size()) return {};
    return std::string(post_id.substr(0, dot));
}

namespace {

std::string two_digits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

void group_posts(site& out) {
    std::map<std::string, std::size_t> label_index;  // name → index in out.labels
    std::map<std::pair<int, int>, std::vector<std::size_t>, std::greater<>> months;
    for (std::size_t i = 0; i < out.posts.size(); ++i) {
        const site_post& p = out.posts[i];
        for (const auto& name : p.source.labels) {
            auto [it, inserted] = label_index.emplace(name, out.labels.size());
            if (inserted) out.labels.push_back({name, label_key(name), {}});
            auto& members = out.labels[it->second].posts;
            if (members.empty() || members.back() != i) members.push_back(i);  // label twice
        }
        // By the date as written (it makes the URL), which may differ from instant order
        // across offsets: a map, not "same as the previous post".
        months[{p.source.date.year, p.source.date.month}].push_back(i);
    }
    for (auto& [ym, members] : months) {  // newest first
        if (out.years.empty() || out.years.back().year != ym.first)
            out.years.push_back({ym.first, {}, 0});
        out.years.back().count += members.size();
        out.years.back().months.push_back({ym.second, std::move(members)});
    }
    std::sort(out.labels.begin(), out.labels.end(), [](const label_group& a, const label_group& b) {
        const std::string fa = dutch::fold(a.name), fb = dutch::fold(b.name);
        return fa != fb ? fa < fb : a.name < b.name;
    });
}

}  // namespace

site build_site(std::vector<post> posts, const config& cfg, std::vector<diagnostic>& errors) {
    site out;
    for (auto& p : posts) {
        if (p.draft) continue;
        site_post sp;
        sp.source = std::move(p);
        out.posts.push_back(std::move(sp));
    }
    parallel_for(out.posts.size(), [&](std::size_t i) {
        site_post& sp = out.posts[i];
        const post& p = sp.source;
        const std::string slug = p.slug.empty() ? derive_slug(p.title) : p.slug;
        sp.url = "/" + std::to_string(p.date.year) + "/" + two_digits(p.date.month) + "/" + slug +
                 ".html";
        sp.body = render_markdown(p.markdown);
        std::string().swap(sp.source.markdown);  // rendered: not needed again, a copy per post
        sp.summary = p.summary.empty() ? sp.body.first_paragraph : p.summary;
        sp.description = shorten_at_word(sp.summary, description_characters);
        sp.author = p.author.empty() ? cfg.site.author : p.author;
        sp.date_iso = std::to_string(p.date.year) + "-" + two_digits(p.date.month) + "-" +
                      two_digits(p.date.day);
        sp.date_dutch = dutch_date(p.date);
        sp.published_rfc3339 = rfc3339(p.date);
        sp.updated_rfc3339 = rfc3339(p.updated ? *p.updated : p.date);
        sp.last_modified = p.updated ? p.updated->unix_seconds : p.date.unix_seconds;
        sp.words = count_words(sp.body.text);
        sp.key = post_key(sp.url);
        sp.feed_id = !p.id.empty()
                         ? p.id
                         : default_feed_id(cfg.site.base_url,
                                           p.content_path.empty() ? p.file : p.content_path);
    });

    // Every URL a post answers: its permalink and its aliases. The first claim wins, later
    // ones are errors naming both files.
    std::map<std::string, const site_post*> claimed;
    auto claim = [&](const std::string& url, const site_post& sp, int line, const char* what) {
        auto [it, inserted] = claimed.emplace(url, &sp);
        if (!inserted)
            errors.push_back({sp.source.file, line,
                              std::string(what) + " " + url + " is already the URL of " +
                                  it->second->source.file});
    };
    // Claim in file order so the message is stable.
    std::vector<const site_post*> by_file;
    for (const auto& sp : out.posts) by_file.push_back(&sp);
    std::sort(by_file.begin(), by_file.end(), [](const site_post* a, const site_post* b) {
        return a->source.file < b->source.file;
    });
    for (const site_post* sp : by_file) claim(sp->url, *sp, sp->source.url_line, "post URL");
    for (const site_post* sp : by_file) {
        const auto& aliases = sp->source.aliases;
        for (std::size_t a = 0; a < aliases.size(); ++a)
            claim(aliases[a], *sp,
                  a < sp->source.alias_lines.size() ? sp->source.alias_lines[a] : 1, "alias");
    }

    // A feed id names one post for ever: two posts with one id would be one post to a reader.
    std::map<std::string, const site_post*> ids;
    for (const site_post* sp : by_file) {
        auto [it, inserted] = ids.emplace(sp->feed_id, sp);
        if (!inserted)
            errors.push_back({sp->source.file, sp->source.id_line,
                              "id " + sp->feed_id + " is already the id of " +
                                  it->second->source.file + ": every post needs its own"});
    }
    out.feed_id = cfg.site.feed_id;
    if (out.feed_id.empty()) {
        std::map<std::string, std::size_t> blogs;  // the blog the most imported posts came from
        for (const auto& sp : out.posts)
            if (std::string blog = blogger_blog_id(sp.feed_id); !blog.empty()) ++blogs[blog];
        std::size_t most = 0;
        for (const auto& [blog, n] : blogs)
            if (n > most) out.feed_id = blog, most = n;
    }

    std::sort(out.posts.begin(), out.posts.end(), [](const site_post& a, const site_post& b) {
        if (a.source.date.unix_seconds != b.source.date.unix_seconds)
            return a.source.date.unix_seconds > b.source.date.unix_seconds;
        return a.url < b.url;
    });
    group_posts(out);
    return out;
}

}  // namespace kade::indexer
