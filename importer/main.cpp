// kade-import-blogger EXPORT --out DIR [--images DIR] [--force]: a Blogger export (the legacy
// "Back up content" Atom file or Google Takeout's feed.atom) → Markdown posts, pages, comments
// and images in a content folder. As named steps: arguments → read the export → convert
// (importer/convert.hpp) → plan the writes → write (importer/plan.hpp) → report
// (importer/report.hpp).
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/command_line.hpp"
#include "common/diagnostic.hpp"
#include "common/files.hpp"
#include "importer/convert.hpp"
#include "importer/export.hpp"
#include "importer/images.hpp"
#include "importer/plan.hpp"
#include "importer/report.hpp"
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

struct arguments {
    std::string export_path, out_dir, images_dir, zone;
    std::vector<std::string> blog_urls;
    bool force = false;
};

// A step that ends the import with exit status 1; what() is the whole message.
struct stop : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The arguments of a run; an exit status when there is nothing to run (--help, --version, a
// usage error, an unknown time zone).
std::optional<int> parse_arguments(int argc, char** argv, arguments& a) {
    const option options[] = {
        value_option("--out", a.out_dir),
        value_option("--images", a.images_dir),
        value_option("--timezone", a.zone),
        {"--blog-url", 1, [&](std::span<const std::string> v) { a.blog_urls.push_back(v[0]); }},
        switch_option("--force", a.force),
    };
    std::vector<std::string> exports;
    const program importer{"kade-import-blogger", usage, false, true};
    if (const auto exit = read_command_line(importer, argc, argv, options, &exports, [&] {
            if (exports.size() > 1)
                throw usage_error("one export at a time (got " + exports[0] + " and " + exports[1] +
                                  ")");
            if (exports.empty() || a.out_dir.empty())
                throw usage_error("an EXPORT and --out DIR are required");
        }))
        return *exit;
    a.export_path = exports[0];

    if (!a.zone.empty()) {
        const char* tzdir = std::getenv("TZDIR");
        const fs::path zone_file = fs::path(tzdir ? tzdir : "/usr/share/zoneinfo") / a.zone;
        if (a.zone.find("..") != std::string::npos || a.zone.front() == '/' ||
            !fs::is_regular_file(zone_file)) {
            std::cerr << "kade-import-blogger: unknown time zone " << a.zone << " (no "
                      << zone_file.string() << "): use a name such as Europe/Amsterdam\n";
            return exit_usage;
        }
    }
    return std::nullopt;
}

// The export, read and parsed; errors name the file (and the line and column of bad XML).
blogger::blog_export read_blog_export(const std::string& path) {
    const std::optional<std::string> xml = read_file(path);
    if (!xml) {
        const int error = errno;
        throw stop("kade-import-blogger: cannot read " + path + ": " + std::strerror(error));
    }
    try {
        return blogger::read_export(*xml);
    } catch (const blogger::xml_error& e) {
        throw stop(path + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                   e.what());
    } catch (const std::runtime_error& e) {
        throw stop(path + ": " + e.what());
    }
}

// The content folder's files, in memory; an export without posts or pages is refused.
blogger::import_result convert(const blogger::blog_export& blog, const arguments& a) {
    blogger::import_options options;
    options.blog_urls = a.blog_urls;
    options.timezone = a.zone;
    if (!a.images_dir.empty()) {
        if (!fs::is_directory(a.images_dir))
            throw stop("kade-import-blogger: --images " + a.images_dir + " is not a folder");
        options.local_images = blogger::list_images(a.images_dir);
    }
    blogger::import_result result = blogger::convert_export(blog, options);
    if (result.posts + result.drafts + result.pages == 0)
        throw stop(a.export_path + ": no posts or pages in it (" +
                   std::to_string(blog.entries.size()) +
                   " entries: " + std::to_string(result.trashed) + " trashed, " +
                   std::to_string(result.comments) + " comments, " +
                   std::to_string(result.settings + result.layouts + result.others) +
                   " others); nothing written");
    return result;
}

// Decide everything before writing anything: a refused import leaves no trace.
blogger::write_plan plan(const blogger::import_result& result, const arguments& a) {
    blogger::write_plan p = blogger::plan_writes(result, a.out_dir, a.force);
    if (!p.conflicts.empty()) {
        std::string message;
        for (const auto& c : p.conflicts)
            message += c + ": exists with other contents; not overwritten\n";
        message += "kade-import-blogger: nothing written: " + std::to_string(p.conflicts.size()) +
                   " file(s) would change; move them away or pass --force";
        throw stop(message);
    }
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    if (const auto exit = parse_arguments(argc, argv, args)) return *exit;
    try {
        const blogger::blog_export blog = read_blog_export(args.export_path);
        const blogger::import_result result = convert(blog, args);
        const blogger::write_plan writes = plan(result, args);
        blogger::write_files(writes);
        std::cout << blogger::format_report(blog, result,
                                            {args.export_path, args.out_dir, !args.zone.empty(),
                                             writes.writes.size(), writes.unchanged});
        return exit_ok;
    } catch (const stop& e) {
        std::cerr << e.what() << "\n";
        return exit_failure;
    } catch (const std::exception& e) {
        std::cerr << "kade-import-blogger: " << e.what() << "\n";
        return exit_failure;
    }
}
