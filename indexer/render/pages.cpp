#include "indexer/render/pages.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <unordered_set>

#include "common/files.hpp"
#include "common/text.hpp"

namespace kade::indexer {
namespace fs = std::filesystem;

std::vector<static_page> load_pages(const std::string& content_dir,
                                    std::vector<diagnostic>& errors) {
    std::vector<static_page> out;
    const fs::path root = fs::path(content_dir) / "pages";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return out;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name[0] != '.' && entry.is_regular_file() &&
            entry.path().extension() == ".md")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const std::string text = read_file(f).value_or("");
        auto p = parse_post(f.string(), text, errors);
        if (!p || p->draft) continue;
        std::string slug = p->slug;
        if (slug.empty()) {
            slug = f.stem().string();
            if (slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
                std::string::npos) {
                errors.push_back({f.string(), 1,
                                  "a page's file name is its URL (/p/NAME.html) and may only use "
                                  "a-z, 0-9 and \"-\": rename the file or set slug = \"…\""});
                continue;
            }
        }
        static_page page;
        page.url = "/p/" + slug + ".html";
        page.body = render_markdown(p->markdown);
        page.source = std::move(*p);
        out.push_back(std::move(page));
    }
    return out;
}

std::string pages_links(const std::vector<static_page>& list) {
    std::vector<const static_page*> sorted;
    for (const auto& p : list) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const static_page* a, const static_page* b) {
        return a->source.title != b->source.title ? a->source.title < b->source.title
                                                  : a->url < b->url;
    });
    std::string out;
    for (const static_page* p : sorted)
        out += "<li><a href=\"" + html_escape(percent_encode_path(p->url)) + "\">" +
               html_escape(p->source.title) + "</a></li>\n";
    return out;
}

std::vector<site_post> searchable_pages(const std::vector<static_page>& list, const config& cfg) {
    std::vector<site_post> out;
    for (const auto& p : list) {
        site_post sp;
        sp.source = p.source;
        sp.source.labels.clear();
        sp.source.markdown.clear();
        sp.url = p.url;
        sp.body = p.body;
        sp.summary = p.source.summary.empty() ? p.body.first_paragraph : p.source.summary;
        sp.author = p.source.author.empty() ? cfg.site.author : p.source.author;
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", p.source.date.year, p.source.date.month,
                      p.source.date.day);
        sp.date_iso = date;
        sp.key = "pages";
        out.push_back(std::move(sp));
    }
    return out;
}

void append_static_pages(std::vector<page_input>& pages, const std::vector<static_page>& list,
                         const page_context& ctx) {
    std::unordered_set<std::string> taken;
    for (const auto& pg : pages) taken.insert(pg.path);
    std::vector<diagnostic> errors;
    auto claim = [&](const static_page& p, const std::string& path) {
        if (taken.insert(path).second) return true;
        errors.push_back({p.source.file, 1, path + " is already the URL of another page"});
        return false;
    };
    for (const auto& p : list) {
        const std::int64_t modified =
            p.source.updated ? p.source.updated->unix_seconds : p.source.date.unix_seconds;
        if (claim(p, p.url)) {
            std::string content = "<article class=\"page\">\n<header>\n<h1>" +
                                  html_escape(p.source.title) +
                                  "</h1>\n</header>\n<div class=\"post-body\">\n" + p.body.html +
                                  "</div>\n</article>\n";
            const std::string description = shorten_at_word(
                p.source.summary.empty() ? p.body.first_paragraph : p.source.summary,
                description_characters);
            pages.push_back(
                {p.url, "text/html; charset=utf-8",
                 render_in_layout(p.source.title, description, p.url, std::move(content), ctx),
                 bundle::cache_class::html, 200, modified, "", "pages"});
        }
        for (const auto& alias : p.source.aliases) {
            if (!claim(p, alias)) continue;
            pages.push_back({alias, "text/html; charset=utf-8",
                             "<!DOCTYPE html><title>Verhuisd</title><p><a href=\"" +
                                 html_escape(percent_encode_path(p.url)) +
                                 "\">Deze pagina staat nu hier.</a></p>\n",
                             bundle::cache_class::redirect, 301, modified,
                             percent_encode_path(p.url), "pages"});
        }
    }
    if (!errors.empty()) throw diagnostics_error{std::move(errors)};
}

}  // namespace kade::indexer
