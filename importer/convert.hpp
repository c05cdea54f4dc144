#pragma once
// A Blogger export → the files of content/ (docs/content.md), in memory, deterministic:
//   posts/YYYY/MM/SLUG.md      one post each, drafts with draft = true, trashed ones left out
//   pages/NAME.md              static pages, served at /p/NAME.html (indexer/render/pages.hpp)
//   comments/YYYY/MM/SLUG.toml a post's comments, shown read-only under it
//   (indexer/content/comments.hpp) static/blogger/FILE        images found in --images, with links
//   rewritten to /static/...
// Every original permalink stays reachable: it is the post's URL when the name is a valid slug
// and the date falls in the same month, otherwise it becomes an alias (a 301 to the post).
#include <map>
#include <string>
#include <vector>

#include "importer/export.hpp"

namespace kade::blogger {

struct output_file {
    std::string path;  // relative to the content folder, '/'-separated
    std::string content;
};

struct image_copy {
    std::string source;  // a file in the --images folder
    std::string path;    // relative to the content folder: "static/blogger/foto.jpg"
};

struct image_ref {
    std::string url;        // as referenced in the export
    std::string file_name;  // the last path segment, "" when the URL has none
    std::string local_url;  // "/static/blogger/foto.jpg" when mapped, else ""
    std::string note;       // why it is not mapped ("not in the images folder", ...)
};

struct import_options {
    // --images: file name → path of a file with that name. A name that occurs with different
    // contents maps to "" (ambiguous).
    std::map<std::string, std::string> local_images;
    // --blog-url: links to the old blog (this address, any scheme, "www.", other blogspot
    // country domains) become site paths. The legacy export's own address is always used.
    std::vector<std::string> blog_urls;
    // --timezone: an IANA zone ("Europe/Amsterdam"); dates are written as wall-clock times in
    // it. Takeout exports give UTC, while Blogger made the URL's /YYYY/MM/ in the blog's zone.
    std::string timezone;
};

struct import_result {
    std::vector<output_file> files;  // sorted by path
    std::vector<image_copy> copies;  // sorted by path
    std::vector<image_ref> images;   // every Blogger-hosted image, sorted by URL
    std::vector<std::pair<std::string, std::string>> aliases;  // original URL → new URL
    std::vector<std::string> warnings;
    std::size_t posts = 0, drafts = 0, trashed = 0, pages = 0, comments = 0;
    std::size_t comments_skipped = 0;  // removed, spam, on pages or on posts not imported
    std::size_t settings = 0, layouts = 0, others = 0;
};

import_result convert_export(const blog_export& blog, const import_options& options = {});

// True for Blogger's image hosts (blogger.googleusercontent.com, N.bp.blogspot.com, ...).
bool is_blogger_image(std::string_view url);

// A TOML offset date-time moved to `zone` ("" leaves it unchanged): the same instant, that
// zone's wall clock and offset. "" when `toml` is not a date-time we wrote.
std::string in_zone(const std::string& toml, const std::string& zone);

// "2014-01-02T10:00:00.000+01:00" → "2014-01-02T10:00:00+01:00" (a TOML offset date-time);
// "" when it is not an RFC 3339 date-time.
std::string toml_datetime(std::string_view rfc3339);

}  // namespace kade::blogger
