// kade-import-blogger EXPORT --out DIR [--images DIR] [--force]: a Blogger export (the legacy
// "Back up content" Atom file or Google Takeout's feed.atom) → Markdown posts, pages, comments
// and images in a content folder. The conversion is importer/convert.hpp; this file
// reads, checks and writes.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/command_line.hpp"
#include "common/diagnostic.hpp"
#include "common/files.hpp"
#include "importer/convert.hpp"
#include "importer/export.hpp"
#include "importer/xml.hpp"

namespace fs = std::filesystem;
using namespace kade;

namespace {

constexpr const char* usage =
    "usage: kade-import-blogger EXPORT --out DIR [--images DIR] [--timezone ZONE]\n"
    "                           [--blog-url URL] [--force]\n"
    "\n"
    "Converts a Blogger export into Kade content: one Markdown post per post (drafts with\n"
    "draft = true, trashed posts left out), static pages, comments shown read-only under\n"
    "their post, and the original URLs kept as the posts' URLs or as aliases (301).\n"
    "\n"
    "  EXPORT         the \"Back up content\" file (blog-MM-DD-YYYY.xml) or Google Takeout's\n"
    "                 Blogger/Blogs/NAME/feed.atom\n"
    "  --out DIR      the content folder to write into (posts/, pages/, comments/, static/)\n"
    "  --images DIR   a folder with images downloaded from Blogger: images in the export are\n"
    "                 matched by file name, copied to DIR/static/blogger/ and linked there\n"
    "  --timezone ZONE  the blog's time zone (Blogger: Settings → Formatting), such as\n"
    "                 Europe/Amsterdam: dates are written in it. Takeout gives UTC, so without\n"
    "                 it a post near midnight at a month's end gets its old URL as an alias\n"
    "  --blog-url URL the blog's old address (https://NAME.blogspot.com): links to it become\n"
    "                 links within the site; the legacy backup names it itself\n"
    "  --force        replace files that exist with other contents (default: refuse, write\n"
    "                 nothing); files with the same contents are always left alone\n"
    "  --help, --version\n"
    "\n"
    "Prints a report: what was imported, which old URLs became aliases, and every image on\n"
    "Blogger's hosts (\"image URL\" lines) with where it went. Exit status 0 on success, 1 on\n"
    "failure (nothing written), 2 on a usage error.\n";

// Written beside the target, then renamed: a reader never sees half a file.
void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

// --images DIR: every file by name; a name found twice with different contents maps to "".
std::map<std::string, std::string> list_images(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> by_name;
    for (const auto& f : files) {
        const std::string name = f.filename().string();
        const auto [it, inserted] = by_name.emplace(name, f.string());
        if (inserted || it->second.empty()) continue;
        const auto a = read_file(it->second);
        const auto b = read_file(f);
        if (!a || !b || *a != *b) it->second.clear();
    }
    return by_name;
}

struct planned_write {
    fs::path target;
    std::string content;
};

}  // namespace

int main(int argc, char** argv) {
    std::string export_path, out_dir, images_dir, zone;
    std::vector<std::string> blog_urls;
    bool force = false;
    const option options[] = {
        value_option("--out", out_dir),
        value_option("--images", images_dir),
        value_option("--timezone", zone),
        {"--blog-url", 1, [&](std::span<const std::string> v) { blog_urls.push_back(v[0]); }},
        switch_option("--force", force),
    };
    std::vector<std::string> exports;
    const program importer{"kade-import-blogger", usage, false, true};
    if (const auto exit = read_command_line(importer, argc, argv, options, &exports, [&] {
            if (exports.size() > 1)
                throw usage_error("one export at a time (got " + exports[0] + " and " + exports[1] +
                                  ")");
            if (exports.empty() || out_dir.empty())
                throw usage_error("an EXPORT and --out DIR are required");
        }))
        return *exit;
    export_path = exports[0];

    if (!zone.empty()) {
        const char* tzdir = std::getenv("TZDIR");
        const fs::path zone_file = fs::path(tzdir ? tzdir : "/usr/share/zoneinfo") / zone;
        if (zone.find("..") != std::string::npos || zone.front() == '/' ||
            !fs::is_regular_file(zone_file)) {
            std::cerr << "kade-import-blogger: unknown time zone " << zone << " (no "
                      << zone_file.string() << "): use a name such as Europe/Amsterdam\n";
            return exit_usage;
        }
    }
    try {
        const std::optional<std::string> xml = read_file(export_path);
        if (!xml) {
            std::cerr << "kade-import-blogger: cannot read " << export_path << ": "
                      << std::strerror(errno) << "\n";
            return exit_failure;
        }
        blogger::blog_export blog;
        try {
            blog = blogger::read_export(*xml);
        } catch (const blogger::xml_error& e) {
            std::cerr << export_path << ":" << e.line << ":" << e.column << ": " << e.what()
                      << "\n";
            return exit_failure;
        } catch (const std::runtime_error& e) {
            std::cerr << export_path << ": " << e.what() << "\n";
            return exit_failure;
        }

        blogger::import_options options;
        options.blog_urls = blog_urls;
        options.timezone = zone;
        if (!images_dir.empty()) {
            if (!fs::is_directory(images_dir)) {
                std::cerr << "kade-import-blogger: --images " << images_dir << " is not a folder\n";
                return exit_failure;
            }
            options.local_images = list_images(images_dir);
        }
        const blogger::import_result result = blogger::convert_export(blog, options);
        if (result.posts + result.drafts + result.pages == 0) {
            std::cerr << export_path << ": no posts or pages in it (" << blog.entries.size()
                      << " entries: " << result.trashed << " trashed, " << result.comments
                      << " comments, " << result.settings + result.layouts + result.others
                      << " others); nothing written\n";
            return exit_failure;
        }

        // Decide everything before writing anything: a refused import leaves no trace.
        std::vector<planned_write> writes;
        std::vector<std::string> conflicts;
        std::size_t unchanged = 0;
        auto plan = [&](const std::string& rel, std::string content) {
            const fs::path target = fs::path(out_dir) / rel;
            if (fs::exists(target)) {
                if (read_file(target) == content) {
                    ++unchanged;
                    return;
                }
                if (!force) {
                    conflicts.push_back(target.string());
                    return;
                }
            }
            writes.push_back({target, std::move(content)});
        };
        for (const auto& f : result.files) plan(f.path, f.content);
        for (const auto& c : result.copies) {
            std::optional<std::string> bytes = read_file(c.source);
            if (!bytes) {
                std::cerr << "kade-import-blogger: cannot read " << c.source << "\n";
                return exit_failure;
            }
            plan(c.path, std::move(*bytes));
        }
        if (!conflicts.empty()) {
            for (const auto& c : conflicts)
                std::cerr << c << ": exists with other contents; not overwritten\n";
            std::cerr << "kade-import-blogger: nothing written: " << conflicts.size()
                      << " file(s) would change; move them away or pass --force\n";
            return exit_failure;
        }
        for (const auto& w : writes) write_file(w.target, w.content);

        std::size_t mapped = 0;
        for (const auto& img : result.images) mapped += img.local_url.empty() ? 0 : 1;
        std::ostringstream r;
        r << "kade-import-blogger: " << export_path << " ("
          << (blog.format == blogger::export_format::takeout ? "Google Takeout feed.atom"
              : blog.format == blogger::export_format::feed  ? "the blog's public feed"
                                                             : "Blogger backup")
          << ")\n";
        r << "  posts     " << result.posts << " published, " << result.drafts << " drafts, "
          << result.trashed << " trashed (left out)\n";
        r << "  pages     " << result.pages << "\n";
        r << "  comments  " << result.comments << " (" << result.comments_skipped
          << " removed, spam or without a post: left out)\n";
        r << "  skipped   " << result.settings << " settings, " << result.layouts << " template, "
          << result.others << " other entries\n";
        r << "  aliases   " << result.aliases.size() << " old URLs answer 301 to the new one\n";
        r << "  images    " << result.images.size() << " on Blogger's hosts, " << mapped
          << " copied to static/blogger/\n";
        r << "  files     " << writes.size() << " written, " << unchanged << " unchanged → "
          << out_dir << "\n";
        for (const auto& [from, to] : result.aliases) r << "alias " << from << " → " << to << "\n";
        for (const auto& img : result.images) {
            r << "image " << img.url;
            if (!img.local_url.empty())
                r << " → " << img.local_url;
            else if (!img.note.empty())
                r << " (" << img.note << ")";
            r << "\n";
        }
        for (const auto& w : blog.warnings) r << "warning: " << w << "\n";
        for (const auto& w : result.warnings) r << "warning: " << w << "\n";
        if (blog.format == blogger::export_format::takeout && zone.empty())
            r << "warning: no --timezone: Takeout's dates are UTC, so the posts were dated in UTC; "
                 "pass the blog's zone (Blogger: Settings → Formatting), such as --timezone "
                 "Europe/Amsterdam, or a post written near midnight at a month's end moves to "
                 "the other month\n";
        if (blog.format == blogger::export_format::feed) {
            const std::size_t in_feed = result.posts + result.drafts;
            if (blog.total_results > static_cast<long>(in_feed))
                r << "warning: the feed holds " << in_feed << " of the blog's "
                  << blog.total_results
                  << " posts; ask for all (/feeds/posts/default?max-results=500, more pages with "
                     "start-index) or use Blogger's Back up content\n";
            r << "warning: a public feed has no drafts, pages' settings or comments of its own; "
                 "Back up content has them all\n";
        }
        std::cout << r.str();
        return exit_ok;
    } catch (const std::exception& e) {
        std::cerr << "kade-import-blogger: " << e.what() << "\n";
        return exit_failure;
    }
}
