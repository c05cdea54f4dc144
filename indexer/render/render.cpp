#include "indexer/render/render.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>

#include "common/bundle_format.hpp"
#include "common/listing_html.hpp"
#include "common/text.hpp"
#include "indexer/render/feed_html.hpp"
#include "indexer/render/template.hpp"

namespace kade::indexer {
namespace {

constexpr const char* html_type = "text/html; charset=utf-8";

struct layout_input {
    std::string page_title;  // raw HTML (already escaped)
    std::string description;
    std::string head;        // raw HTML for <head>
    std::string query = "";  // raw HTML for the header search box
    std::string content;     // raw HTML
};

std::string in_layout(const layout_input& in, const page_context& ctx) {
    const auto& site = ctx.cfg.site;
    const std::string footer =
        site.description.empty() ? "" : " — " + html_escape(site.description);
    const std::string archive =
        ctx.newest_year ? "<li><a href=\"" + year_path(ctx.newest_year) + "\">Archief</a></li>\n"
                        : "";
    return render_template("layout.html", {{"lang", site.language},
                                           {"page_title", in.page_title},
                                           {"description", in.description},
                                           {"stylesheet", ctx.stylesheet_url},
                                           {"search_loader", ctx.search_loader_url},
                                           {"search_script", ctx.search_script_url},
                                           {"head", in.head},
                                           {"site_title", site.title},
                                           {"query", in.query},
                                           {"content", in.content},
                                           {"archive_link", archive},
                                           {"pages_links", ctx.pages_links},
                                           {"footer_description", footer}});
}

std::string href(std::string_view path) {
    return html_escape(percent_encode_path(path));
}

std::string canonical_link(const page_context& ctx, const std::string& path) {
    return "<link rel=\"canonical\" href=\"" + html_escape(absolute_url(ctx, path)) + "\">";
}

std::string meta_property(std::string_view property, std::string_view content) {
    return "<meta property=\"" + std::string(property) + "\" content=\"" + html_escape(content) +
           "\">\n";
}

std::string count_text(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " bericht" : " berichten");
}

std::string labels_html(const std::vector<std::string>& labels) {
    if (labels.empty()) return "";
    std::string out = "<h2 class=\"visually-hidden\">Labels</h2><ul class=\"labels\">";
    for (const auto& label : labels) {
        out += "<li><a href=\"" + href(label_path(label)) + "\" rel=\"tag\">";
        append_html_escaped(out, label);
        out += "</a></li>";
    }
    return out + "</ul>";
}

// JSON for a <script type="application/ld+json"> block: "<" escaped so no "</script>" can
// end the block early.
std::string json_string(std::string_view s) {
    std::string raw;
    append_json_escaped(raw, s);
    std::string out = "\"";
    for (char c : raw) {
        if (c == '<') {
            out += "\\u003c";
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string post_head(const site_post& p, const page_context& ctx) {
    const auto& site = ctx.cfg.site;
    const std::string url = absolute_url(ctx, p.url);
    // The post's first image, absolute; search engines and link previews take no data: URL.
    std::string image = p.body.first_image.empty() ? "" : resolve_url(url, p.body.first_image);
    if (!image.starts_with("http://") && !image.starts_with("https://")) image.clear();
    std::string head = canonical_link(ctx, p.url) + "\n";
    head += meta_property("og:type", "article");
    head += meta_property("og:title", p.source.title);
    head += meta_property("og:description", p.description);
    head += meta_property("og:url", url);
    if (!image.empty()) head += meta_property("og:image", image);
    head += meta_property("og:site_name", site.title);
    head += meta_property("og:locale", site.language == "nl" ? "nl_NL" : site.language);
    head += meta_property("article:published_time", p.published_rfc3339);
    head += meta_property("article:modified_time", p.updated_rfc3339);
    head += meta_property("article:author", p.author);
    for (const auto& label : p.source.labels) head += meta_property("article:tag", label);
    std::string keywords;
    for (const auto& label : p.source.labels) keywords += (keywords.empty() ? "" : ", ") + label;
    head +=
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
        "\"@type\":\"BlogPosting\",\"headline\":" +
        json_string(p.source.title) + ",\"description\":" + json_string(p.description) +
        ",\"datePublished\":" + json_string(p.published_rfc3339) +
        ",\"dateModified\":" + json_string(p.updated_rfc3339) +
        ",\"author\":{\"@type\":\"Person\",\"name\":" + json_string(p.author) +
        "},\"url\":" + json_string(url) + ",\"mainEntityOfPage\":" + json_string(url) +
        ",\"inLanguage\":" + json_string(site.language) +
        (image.empty() ? "" : ",\"image\":" + json_string(image)) +
        ",\"publisher\":{\"@type\":\"Organization\",\"name\":" + json_string(site.title) +
        ",\"url\":" + json_string(absolute_url(ctx, "/")) + "}" +
        ",\"wordCount\":" + std::to_string(p.words) +
        (keywords.empty() ? "" : ",\"keywords\":" + json_string(keywords)) + "}</script>";
    return head;
}

std::string summary_html(const site_post& p) {
    std::string out;
    append_post_summary_html(
        out, {p.url, p.source.title, p.published_rfc3339, p.date_dutch, p.author, p.summary});
    return out;
}

std::int64_t newest_change(const site& s, const std::vector<std::size_t>& posts) {
    std::int64_t newest = -1;
    for (std::size_t i : posts) newest = std::max(newest, s.posts[i].last_modified);
    return newest;
}

std::string keys_of(const site& s, std::string first, const std::vector<std::size_t>& posts) {
    for (std::size_t i : posts) first += " " + s.posts[i].key;
    return first;
}

// A paginated list of summaries under `path_of(page)`, `per_page` to a page.
template <class PathOf>
void paginate(const site& s, const std::vector<std::size_t>& posts, std::size_t per_page,
              PathOf path_of, const std::string& base_keys, const page_context& ctx,
              const std::function<std::string(std::size_t page, std::size_t pages,
                                              const std::string& summaries,
                                              const std::string& pager)>& content_of,
              const std::function<std::string(std::size_t page)>& title_of,
              std::vector<page_input>& out,
              std::size_t stored_pages = std::numeric_limits<std::size_t>::max()) {
    const std::size_t pages = std::max<std::size_t>(1, (posts.size() + per_page - 1) / per_page);
    for (std::size_t page = 1; page <= std::min(pages, stored_pages); ++page) {
        const std::size_t begin = (page - 1) * per_page;
        const std::size_t end = std::min(posts.size(), begin + per_page);
        const std::vector<std::size_t> shown(posts.begin() + static_cast<std::ptrdiff_t>(begin),
                                             posts.begin() + static_cast<std::ptrdiff_t>(end));
        std::string summaries;
        for (std::size_t i : shown) summaries += summary_html(s.posts[i]);
        if (shown.empty()) summaries = "<p>Nog geen berichten.</p>\n";
        const std::string pager =
            pager_html(page > 1 ? path_of(page - 1) : "", "Nieuwere berichten",
                       page < pages ? path_of(page + 1) : "", "Oudere berichten",
                       pages > 1 && path_of(page) != "/");  // no link from the home page to itself
        const std::string path = path_of(page);
        out.push_back(
            {path, html_type,
             in_layout({title_of(page), ctx.cfg.site.description, canonical_link(ctx, path), "",
                        content_of(page, pages, summaries, pager)},
                       ctx),
             bundle::cache_class::html, 200, newest_change(s, shown), "",
             keys_of(s, base_keys, shown)});
    }
}

// Every year, with its count of posts where `counts` (the first page of a year's archive).
// Later pages leave the counts out: they then depend on their own year's posts alone, so a new
// post rewrites (and purges) only its own year's pages, not every year's (~1,000 at 10,000 posts).
std::string years_nav(const site& s, int current, bool counts) {
    std::string out =
        "<nav class=\"archive-nav\" aria-label=\"Archief per jaar\">\n"
        "<h2>Archief</h2>\n<ul>\n";
    for (const auto& y : s.years) {
        out += "<li>";
        if (y.year == current) {
            out += "<strong aria-current=\"page\">" + std::to_string(y.year) + "</strong>";
        } else {
            out += "<a href=\"" + year_path(y.year) + "\">" + std::to_string(y.year) + "</a>";
        }
        if (counts) out += " <span class=\"count\">(" + std::to_string(y.count) + ")</span>";
        out += "</li>\n";
    }
    return out + "</ul>\n</nav>";
}

std::string months_list(const year_group& y, int current_month) {
    std::string out;
    for (const auto& m : y.months) {
        const std::string name = dutch_month(m.month) + " " + std::to_string(y.year);
        out += "<li>";
        if (m.month == current_month) {
            out += "<strong aria-current=\"page\">" + name + "</strong>";
        } else {
            out += "<a href=\"" + month_path(y.year, m.month) + "\">" + name + "</a>";
        }
        out += " <span class=\"count\">(" + std::to_string(m.posts.size()) + ")</span></li>\n";
    }
    return out;
}

// Text that escaping leaves as it is, where the shells' markers go: the page's number and the
// number of pages (in headings and titles, which the templates escape); the summaries and the
// pager are raw HTML and take the markers themselves.
const std::string page_number = "kade-page-number";
const std::string page_count = "kade-page-count";
const std::string shell_summaries(bundle::shell_results_marker);
const std::string shell_pager(bundle::shell_pager_marker);

// The shell of a list's later pages (bundle_format.hpp), which the server fills for each page:
// `content` and `title` with the placeholders above, the canonical link the page's own.
page_input later_pages_shell(std::string path, const std::string& first, const std::string& keys,
                             const std::string& content, const std::string& title,
                             const page_context& ctx) {
    // The placeholder is left as it is by percent-encoding too.
    const std::string canonical =
        canonical_link(ctx, later_pages_prefix(first) + page_number + "/");
    std::string body = in_layout({title, ctx.cfg.site.description, canonical, "", content}, ctx);
    for (const auto& [from, to] :
         {std::pair{std::string_view(page_number), bundle::shell_page_marker},
          std::pair{std::string_view(page_count), bundle::shell_pages_marker}})
        for (auto at = body.find(from); at != std::string::npos;
             at = body.find(from, at + to.size()))
            body.replace(at, from.size(), to);
    return {
        std::move(path), html_type, std::move(body), bundle::cache_class::html, 200, -1, "", keys};
}

// The later pages of `posts` (their first page at `first`), for the sitemap.
void append_later_pages(const site& s, const std::vector<std::size_t>& posts,
                        const std::string& first, std::size_t per_page,
                        std::vector<sitemap_url>& out) {
    for (std::size_t begin = per_page; begin < posts.size(); begin += per_page) {
        std::int64_t newest = -1;
        for (std::size_t i = begin; i < std::min(posts.size(), begin + per_page); ++i)
            newest = std::max(newest, s.posts[posts[i]].last_modified);
        out.push_back({listing_page_path(first, begin / per_page + 1), newest});
    }
}

}  // namespace

std::string absolute_url(const page_context& ctx, std::string_view path) {
    std::string base = ctx.cfg.site.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + percent_encode_path(path);
}

std::string home_path(std::size_t page) {
    return listing_page_path("/", page);
}

std::string label_path(std::string_view label, std::size_t page) {
    return listing_page_path("/search/label/" + std::string(label), page);
}

std::string year_path(int year) {
    return "/" + std::to_string(year) + "/";
}

std::string year_page_path(int year, std::size_t page) {
    return listing_page_path(year_path(year), page);
}

std::string month_path(int year, int month) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/%04d/%02d/", year, month);
    return buf;
}

std::string reading_time(std::size_t words) {
    const std::size_t minutes = std::max<std::size_t>(1, (words + 199) / 200);
    return std::to_string(minutes) + (minutes == 1 ? " minuut" : " minuten") + " leestijd";
}

std::string post_page_keys(const site& s, std::size_t i, const std::vector<std::size_t>& related) {
    std::vector<std::string> keys{s.posts[i].key};
    if (i > 0) keys.push_back(s.posts[i - 1].key);
    if (i + 1 < s.posts.size()) keys.push_back(s.posts[i + 1].key);
    for (std::size_t r : related) keys.push_back(s.posts[r].key);
    // Own key first; the rest sorted and once each.
    std::sort(keys.begin() + 1, keys.end());
    keys.erase(std::unique(keys.begin() + 1, keys.end()), keys.end());
    std::string out;
    for (const auto& k : keys)
        if (out.empty() || k != keys.front()) out += (out.empty() ? "" : " ") + k;
    return out;
}

std::string render_post(const site& s, std::size_t i, const std::vector<std::size_t>& related,
                        const page_context& ctx) {
    const site_post& p = s.posts[i];
    std::string updated;
    if (p.source.updated && p.source.updated->unix_seconds != p.source.date.unix_seconds)
        updated = " · bijgewerkt op <time datetime=\"" + p.updated_rfc3339 + "\">" +
                  html_escape(dutch_date(*p.source.updated)) + "</time>";
    std::string related_html;
    if (!related.empty()) {
        related_html =
            "<section class=\"related\" aria-labelledby=\"gerelateerd\">\n"
            "<h2 id=\"gerelateerd\">Gerelateerde berichten</h2>\n<ul>\n";
        for (std::size_t r : related) {
            const site_post& q = s.posts[r];
            related_html += "<li><a href=\"" + href(q.url) + "\">" + html_escape(q.source.title) +
                            "</a> <time datetime=\"" + q.published_rfc3339 + "\">" +
                            html_escape(q.date_dutch) + "</time></li>\n";
        }
        related_html += "</ul>\n</section>";
    }
    // Newest first: the newer post is the one before.
    const std::string pager =
        pager_html(i > 0 ? s.posts[i - 1].url : "", "Nieuwer bericht",
                   i + 1 < s.posts.size() ? s.posts[i + 1].url : "", "Ouder bericht", true);
    const std::string article = render_template(
        "post.html", {{"title", p.source.title},
                      {"month_url", month_path(p.source.date.year, p.source.date.month)},
                      {"published", p.published_rfc3339},
                      {"date_dutch", p.date_dutch},
                      {"author", p.author},
                      {"reading_time", reading_time(p.words)},
                      {"updated_html", updated},
                      {"body", p.body.html},
                      {"labels_html", labels_html(p.source.labels)},
                      {"related_html", related_html},
                      {"pager", pager}});
    return in_layout({html_escape(p.source.title) + " | " + html_escape(ctx.cfg.site.title),
                      p.description, post_head(p, ctx), "", article},
                     ctx);
}

std::vector<sitemap_url> later_listing_pages(const site& s, const page_context& ctx) {
    const auto per_page = static_cast<std::size_t>(std::max(1, ctx.cfg.index.posts_per_page));
    std::vector<sitemap_url> out;
    std::vector<std::size_t> all(s.posts.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    append_later_pages(s, all, "/", per_page, out);
    for (const auto& label : s.labels)
        append_later_pages(s, label.posts, label_path(label.name), per_page, out);
    return out;
}

std::vector<page_input> render_listings(const site& s, const page_context& ctx) {
    std::vector<page_input> out;
    const auto per_page = static_cast<std::size_t>(std::max(1, ctx.cfg.index.posts_per_page));
    const std::string site_title = html_escape(ctx.cfg.site.title);

    // Home: "/", "/page/2/", …
    std::vector<std::size_t> all(s.posts.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    paginate(
        s, all, per_page, home_path, "home", ctx,
        [&](std::size_t page, std::size_t pages, const std::string& summaries,
            const std::string& pager) {
            const std::string heading =
                page == 1 ? ctx.cfg.site.title
                          : "Pagina " + std::to_string(page) + " van " + std::to_string(pages);
            return render_template("home.html",
                                   {{"heading_class", page == 1 ? "visually-hidden" : "page-title"},
                                    {"heading", heading},
                                    {"summaries", summaries},
                                    {"pager", pager}});
        },
        [&](std::size_t) { return site_title; }, out, 1);
    // Its later pages are put together by the server, from this shell.
    if (s.posts.size() > per_page)
        out.push_back(later_pages_shell(
            std::string(bundle::home_pages_shell_path), "/", "home",
            render_template("home.html",
                            {{"heading_class", "page-title"},
                             {"heading", "Pagina " + page_number + " van " + page_count},
                             {"summaries", shell_summaries},
                             {"pager", shell_pager}}),
            "Pagina " + page_number + " | " + site_title, ctx));

    // Year archives: the months with their counts.
    for (const auto& y : s.years) {
        std::vector<std::size_t> members;
        for (const auto& m : y.months)
            members.insert(members.end(), m.posts.begin(), m.posts.end());
        const std::string path = year_path(y.year);
        // As Blogger's year archive: the year's posts, newest first, paginated; the months
        // with their counts on top.
        const std::string year = std::to_string(y.year);
        paginate(
            s, members, per_page, [&](std::size_t page) { return year_page_path(y.year, page); },
            "archive-" + year, ctx,
            [&](std::size_t page, std::size_t pages, const std::string& summaries,
                const std::string& pager) {
                return render_template(
                    "archive_year.html",
                    {{"year", year},
                     {"page", page > 1 ? " (pagina " + std::to_string(page) + " van " +
                                             std::to_string(pages) + ")"
                                       : ""},
                     {"count", count_text(y.count)},
                     {"months", months_list(y, 0)},
                     {"summaries", summaries},
                     {"pager", pager},
                     {"nav", years_nav(s, y.year, page == 1)}});
            },
            [&](std::size_t page) {
                return "Archief " + year +
                       (page > 1 ? " (pagina " + std::to_string(page) + ")" : "") + " | " +
                       site_title;
            },
            out);
        // Month archives: every post of the month.
        for (const auto& m : y.months) {
            const std::string name = dutch_month(m.month) + " " + std::to_string(y.year);
            const std::string mpath = month_path(y.year, m.month);
            std::string summaries;
            for (std::size_t i : m.posts) summaries += summary_html(s.posts[i]);
            const std::string nav = "<nav class=\"archive-nav\" aria-label=\"Archief " +
                                    std::to_string(y.year) + "\">\n<h2><a href=\"" + path +
                                    "\">Archief " + std::to_string(y.year) + "</a></h2>\n<ul>\n" +
                                    months_list(y, m.month) + "</ul>\n</nav>";
            const std::string mcontent =
                render_template("listing.html", {{"heading", name},
                                                 {"count", count_text(m.posts.size())},
                                                 {"feed_link", ""},
                                                 {"summaries", summaries},
                                                 {"pager", ""},
                                                 {"nav", nav}});
            char key[32];
            std::snprintf(key, sizeof key, "archive-%04d-%02d", y.year, m.month);
            out.push_back(
                {mpath, html_type,
                 in_layout({html_escape(name) + " | " + site_title, "Berichten uit " + name,
                            canonical_link(ctx, mpath), "", mcontent},
                           ctx),
                 bundle::cache_class::html, 200, newest_change(s, m.posts), "",
                 keys_of(s, key, m.posts)});
        }
    }

    // Label pages, paginated like the home page; the server puts the later ones together. They
    // show posts from the list of posts, so "home" purges them too: a title edited on a later
    // page changes that list (purged with "home"), not the label's shell or first page.
    for (const auto& label : s.labels) {
        const std::string feed = " · <a href=\"" + href("/feeds/posts/default/-/" + label.name) +
                                 "\">Atom-feed van dit label</a>";
        if (label.posts.size() > per_page)
            out.push_back(later_pages_shell(
                std::string(bundle::label_pages_shell_prefix) + label.name, label_path(label.name),
                label.key + " home",
                render_template("listing.html",
                                {{"heading", "Berichten met het label " + label.name + " (pagina " +
                                                 page_number + " van " + page_count + ")"},
                                 {"count", count_text(label.posts.size())},
                                 {"feed_link", feed},
                                 {"summaries", shell_summaries},
                                 {"pager", shell_pager},
                                 {"nav", ""}}),
                "Label " + html_escape(label.name) + " (pagina " + page_number + ") | " +
                    site_title,
                ctx));
        paginate(
            s, label.posts, per_page,
            [&](std::size_t page) { return label_path(label.name, page); }, label.key, ctx,
            [&](std::size_t page, std::size_t pages, const std::string& summaries,
                const std::string& pager) {
                std::string heading = "Berichten met het label " + label.name;
                if (page > 1)
                    heading +=
                        " (pagina " + std::to_string(page) + " van " + std::to_string(pages) + ")";
                return render_template("listing.html", {{"heading", heading},
                                                        {"count", count_text(label.posts.size())},
                                                        {"feed_link", feed},
                                                        {"summaries", summaries},
                                                        {"pager", pager},
                                                        {"nav", ""}});
            },
            [&](std::size_t) { return "Label " + html_escape(label.name) + " | " + site_title; },
            out, 1);
    }

    // The label overview.
    std::string items;
    std::int64_t newest = -1;
    for (const auto& label : s.labels) {
        items += "<li><a href=\"" + href(label_path(label.name)) + "\" rel=\"tag\">" +
                 html_escape(label.name) + "</a> <span class=\"count\">(" +
                 std::to_string(label.posts.size()) + ")</span></li>\n";
        newest = std::max(newest, newest_change(s, label.posts));
    }
    if (items.empty()) items = "<li>Nog geen labels.</li>\n";
    const std::string overview = std::string(labels_overview_path);
    out.push_back({overview, html_type,
                   in_layout({"Labels | " + site_title, "Alle labels van " + ctx.cfg.site.title,
                              canonical_link(ctx, overview), "",
                              render_template("labels.html", {{"labels", items}})},
                             ctx),
                   bundle::cache_class::html, 200, newest, "", "labels"});
    return out;
}

std::string render_not_found(const page_context& ctx) {
    const std::string content = render_template("404.html", {{"site_title", ctx.cfg.site.title}});
    return in_layout({"Pagina niet gevonden | " + html_escape(ctx.cfg.site.title), "",
                      "<meta name=\"robots\" content=\"noindex\">", "", content},
                     ctx);
}

std::string render_search_shell(const page_context& ctx) {
    const std::string content = std::string(template_text("search.html"));
    return in_layout({std::string(bundle::shell_title_marker),
                      "Zoeken in alle berichten van " + ctx.cfg.site.title,
                      std::string(bundle::shell_robots_marker),
                      std::string(bundle::shell_query_marker), content},
                     ctx);
}

std::string render_in_layout(std::string_view title, std::string_view description,
                             const std::string& path, std::string content,
                             const page_context& ctx) {
    return in_layout({html_escape(title) + " | " + html_escape(ctx.cfg.site.title),
                      std::string(description), canonical_link(ctx, path), "", std::move(content)},
                     ctx);
}

}  // namespace kade::indexer
