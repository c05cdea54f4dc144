#include "indexer/render/feeds.hpp"

#include <algorithm>
#include <ctime>
#include <span>

#include "common/http_date.hpp"
#include "common/text.hpp"
#include "indexer/render/feed_html.hpp"

namespace kade::indexer {
namespace {

constexpr const char* atom_type = "application/atom+xml; charset=utf-8";
constexpr const char* rss_type = "application/rss+xml; charset=utf-8";

// XML 1.0 text and attribute values. html_escape's &#39; is fine in XML, and the input is
// valid UTF-8 (post.cpp checks); control characters other than tab/newline are not allowed in
// XML 1.0 at all, so they are dropped.
std::string xml(std::string_view s) {
    std::string clean;
    clean.reserve(s.size());
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
            clean += c;
    return html_escape(clean);
}

std::string utc_rfc3339(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::vector<std::size_t> newest(const std::vector<std::size_t>& posts) {
    return {posts.begin(),
            posts.begin() + static_cast<std::ptrdiff_t>(std::min(posts.size(), feed_posts))};
}

std::int64_t newest_change(const site& s, const std::vector<std::size_t>& posts) {
    std::int64_t t = 0;
    for (std::size_t i : posts) t = std::max(t, s.posts[i].last_modified);
    return t;
}

std::string keys_of(const site& s, std::string keys, const std::vector<std::size_t>& posts) {
    for (std::size_t i : posts) keys += " " + s.posts[i].key;
    return keys;
}

// `feed_id`: the feed's <id>, "" for its URL.
std::string atom_feed(const site& s, const std::vector<std::size_t>& posts,
                      const std::string& self_path, const std::string& title,
                      const std::string& alternate_path, const std::string& feed_id, bool full,
                      const page_context& ctx) {
    const auto& site = ctx.cfg.site;
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + xml(site.language) + "\">\n";
    out += "<id>" + xml(feed_id.empty() ? absolute_url(ctx, self_path) : feed_id) + "</id>\n";
    out += "<title>" + xml(title) + "</title>\n";
    if (!site.description.empty()) out += "<subtitle>" + xml(site.description) + "</subtitle>\n";
    out += "<updated>" + utc_rfc3339(newest_change(s, posts)) + "</updated>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
           xml(absolute_url(ctx, self_path)) + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
           xml(absolute_url(ctx, alternate_path)) + "\"/>\n";
    out += "<author><name>" + xml(site.author) + "</name></author>\n";
    out += "<generator>Kade</generator>\n";
    for (std::size_t i : posts) {
        const site_post& p = s.posts[i];
        const std::string url = absolute_url(ctx, p.url);
        // The post's own id, not its URL: Blogger's for imported posts, so a reader that
        // followed the old blog sees the same entries, not all of them again as new.
        out += "<entry>\n<id>" + xml(p.feed_id) + "</id>\n<title>" + xml(p.source.title) +
               "</title>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml(url) + "\"/>\n";
        out += "<published>" + p.published_rfc3339 + "</published>\n";
        out += "<updated>" + p.updated_rfc3339 + "</updated>\n";
        out += "<author><name>" + xml(p.author) + "</name></author>\n";
        for (const auto& label : p.source.labels)
            out += "<category term=\"" + xml(label) + "\"/>\n";
        out += "<summary>" + xml(p.description) + "</summary>\n";
        // Relative links in the body resolve against the post's own URL.
        if (full)
            out += "<content type=\"html\" xml:base=\"" + xml(url) + "\">" +
                   xml(sanitize_feed_html(p.body.html, url)) + "</content>\n";
        out += "</entry>\n";
    }
    return out + "</feed>\n";
}

std::string rss_feed(const site& s, const std::vector<std::size_t>& posts,
                     const std::string& self_path, const std::string& title, bool full,
                     const page_context& ctx) {
    const auto& site = ctx.cfg.site;
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    out +=
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n";
    out += "<title>" + xml(title) + "</title>\n";
    out += "<link>" + xml(absolute_url(ctx, "/")) + "</link>\n";
    out += "<description>" + xml(site.description.empty() ? site.title : site.description) +
           "</description>\n";
    out += "<language>" + xml(site.language) + "</language>\n";
    out += "<lastBuildDate>" + format_http_date(newest_change(s, posts)) + "</lastBuildDate>\n";
    out += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" +
           xml(absolute_url(ctx, self_path) + "?alt=rss") + "\"/>\n";
    out += "<generator>Kade</generator>\n";
    for (std::size_t i : posts) {
        const site_post& p = s.posts[i];
        const std::string url = absolute_url(ctx, p.url);
        out += "<item>\n<title>" + xml(p.source.title) + "</title>\n<link>" + xml(url) +
               "</link>\n<guid isPermaLink=\"false\">" + xml(p.feed_id) + "</guid>\n";
        out += "<pubDate>" + format_http_date(p.source.date.unix_seconds) + "</pubDate>\n";
        out += "<dc:creator>" + xml(p.author) + "</dc:creator>\n";
        for (const auto& label : p.source.labels)
            out += "<category>" + xml(label) + "</category>\n";
        // RSS has no xml:base: the sanitizer makes every link absolute against the post's URL.
        out += "<description>" + xml(full ? sanitize_feed_html(p.body.html, url) : p.description) +
               "</description>\n</item>\n";
    }
    return out + "</channel>\n</rss>\n";
}

}  // namespace

std::vector<page_input> render_feeds(const site& s, const page_context& ctx) {
    std::vector<page_input> out;
    std::vector<std::size_t> all(std::min(s.posts.size(), feed_posts));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const std::int64_t changed = all.empty() ? -1 : newest_change(s, all);
    const std::string keys = keys_of(s, "feed", all);
    const std::string& title = ctx.cfg.site.title;
    // Blogger's two flavours: "default" with the whole post, "summary" with the summary only;
    // each as Atom and, under ?alt=rss, as RSS 2.0.
    for (const bool full : {true, false}) {
        const std::string path = full ? "/feeds/posts/default" : "/feeds/posts/summary";
        out.push_back({path, atom_type, atom_feed(s, all, path, title, "/", s.feed_id, full, ctx),
                       bundle::cache_class::feed, 200, changed, "", keys});
        out.push_back({path + "?alt=rss", rss_type, rss_feed(s, all, path, title, full, ctx),
                       bundle::cache_class::feed, 200, changed, "", keys});
        for (const auto& label : s.labels) {
            const std::vector<std::size_t> shown = newest(label.posts);
            const std::string label_feed = path + "/-/" + label.name;
            const std::string label_title = title + " — " + label.name;
            const std::int64_t label_changed = newest_change(s, shown);
            const std::string label_keys = keys_of(s, "feed " + label.key, shown);
            out.push_back({label_feed, atom_type,
                           atom_feed(s, shown, label_feed, label_title, label_path(label.name), "",
                                     full, ctx),
                           bundle::cache_class::feed, 200, label_changed, "", label_keys});
            out.push_back({label_feed + "?alt=rss", rss_type,
                           rss_feed(s, shown, label_feed, label_title, full, ctx),
                           bundle::cache_class::feed, 200, label_changed, "", label_keys});
        }
    }
    // Blogger answered its short feed addresses with a redirect; so do we.
    for (const auto& [from, to] :
         {std::pair<const char*, const char*>{"/atom.xml", "/feeds/posts/default"},
          {"/rss.xml", "/feeds/posts/default?alt=rss"}})
        out.push_back({from, "text/html; charset=utf-8",
                       std::string("<!DOCTYPE html><title>Verhuisd</title><p><a href=\"") + to +
                           "\">Deze feed staat nu hier.</a></p>\n",
                       bundle::cache_class::redirect, 301, changed, to, "feed"});
    return out;
}

namespace {

page_input sitemap_page(std::string path, std::string body, std::int64_t newest) {
    return {std::move(path),
            "application/xml; charset=utf-8",
            std::move(body),
            bundle::cache_class::feed,
            200,
            newest,
            "",
            "sitemap"};
}

std::string lastmod(std::int64_t unix_seconds) {
    return unix_seconds >= 0 ? "<lastmod>" + utc_rfc3339(unix_seconds) + "</lastmod>" : "";
}

// One <urlset> of `urls`.
page_input urlset(std::string path, std::span<const sitemap_url> urls, const page_context& ctx) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    std::int64_t newest = -1;
    for (const sitemap_url& p : urls) {
        out += "<url><loc>" + xml(absolute_url(ctx, p.path)) + "</loc>" + lastmod(p.last_modified) +
               "</url>\n";
        newest = std::max(newest, p.last_modified);
    }
    out += "</urlset>\n";
    return sitemap_page(std::move(path), std::move(out), newest);
}

}  // namespace

std::vector<page_input> render_sitemaps(const std::vector<page_input>& pages,
                                        const std::vector<sitemap_url>& served,
                                        const page_context& ctx, std::size_t max_urls) {
    std::vector<sitemap_url> listed = served;
    for (const auto& p : pages)
        if (p.status == 200 && !p.path.empty() && p.path[0] == '/' &&
            p.content_type.rfind("text/html", 0) == 0 && p.cache == bundle::cache_class::html)
            listed.push_back({p.path, p.last_modified});
    std::sort(listed.begin(), listed.end(),
              [](const sitemap_url& a, const sitemap_url& b) { return a.path < b.path; });
    const std::span<const sitemap_url> all(listed);
    if (listed.size() <= max_urls) return {urlset("/sitemap.xml", all, ctx)};
    // Blogger's /sitemap.xml is an index too; the index keeps the URL a blog submitted.
    std::vector<page_input> out(1);
    std::string index =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    std::int64_t newest = -1;
    for (std::size_t from = 0; from < listed.size(); from += max_urls) {
        out.push_back(urlset("/sitemap-" + std::to_string(out.size()) + ".xml",
                             all.subspan(from, std::min(max_urls, listed.size() - from)), ctx));
        const page_input& part = out.back();
        index += "<sitemap><loc>" + xml(absolute_url(ctx, part.path)) + "</loc>" +
                 lastmod(part.last_modified) + "</sitemap>\n";
        newest = std::max(newest, part.last_modified);
    }
    index += "</sitemapindex>\n";
    out.front() = sitemap_page("/sitemap.xml", std::move(index), newest);
    return out;
}

page_input render_robots(const page_context& ctx) {
    // Search result pages are endless and thin; label pages (/search/label/…) stay crawlable.
    std::string out = "User-agent: *\nDisallow: /search?\nDisallow: /api/\nAllow: /\n\nSitemap: " +
                      absolute_url(ctx, "/sitemap.xml") + "\n";
    return {"/robots.txt",
            "text/plain; charset=utf-8",
            std::move(out),
            bundle::cache_class::feed,
            200,
            -1,
            "",
            "sitemap"};
}

}  // namespace kade::indexer
