#pragma once
// One post file: "+++" TOML front matter, then Markdown (docs/content.md). FILE:LINE diagnostics.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"

namespace kade::indexer {

// A moment as the author wrote it: the wall-clock fields in the author's offset, plus the
// instant. A TOML local date or local date-time (no offset) is taken as UTC (offset 0).
struct post_time {
    std::int64_t unix_seconds = 0;
    int offset_minutes = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

struct post {
    std::string file;   // path as given to parse_post, for diagnostics
    int body_line = 0;  // 1-based line of the file where the Markdown body starts
    std::string title;
    post_time date;
    std::optional<post_time> updated;
    std::vector<std::string> labels;
    std::string author;  // empty: the site's author
    std::string slug;    // empty: derived from the title by the site step
    std::vector<std::string> aliases;
    std::vector<int> alias_lines;  // line of each alias, for collisions found later (site step)
    int url_line = 1;              // line of "slug", else of "title": where the URL comes from
    bool draft = false;
    std::string summary;  // empty: the first paragraph
    // "id": the post's identity in feeds (Atom <id>, RSS <guid>), any URI. Imported posts keep
    // Blogger's "tag:blogger.com,1999:blog-N.post-M"; empty: derived from content_path.
    std::string id;
    int id_line = 1;
    std::string content_path;  // "posts/2014/01/slug.md", relative to the content folder
    std::string markdown;      // the body
};

// Dates a post may carry: the years 1970 to 9999, as written and in UTC alike, so every URL,
// feed and sitemap date has a four-digit year (no year 0, no 10000 from a negative offset).
inline constexpr int first_year = 1970;
inline constexpr int last_year = 9999;

// A post's labels joined by commas, the way Blogger's label box holds them, have at most this
// many characters: Blogger's own limit, so every post Blogger accepted fits. Each label page
// and feed of a post repeats all its labels, so output grows with the square of this.
inline constexpr std::size_t max_label_characters = 200;

// Parses one post. On any problem appends diagnostics (file, line in the whole file, message)
// to `errors` and returns nullopt. Problems: no "+++" opening line or no closing "+++" line,
// malformed TOML (line of the TOML error), missing or empty title, missing date, a date or
// updated that is not a TOML date/date-time, wrong types (labels and aliases: arrays of
// strings; draft: boolean; others: strings), unknown keys (named), a slug with characters other
// than a-z, 0-9 and '-', aliases not starting with '/', an id that is not a URI ("scheme:…",
// no blanks). The file must be valid UTF-8.
// Also refused: an empty slug, empty labels or aliases, keys holding tables, a date or updated
// outside first_year..last_year, labels longer than max_label_characters in all.
// Every problem of the file is reported, sorted by line; a key that is missing is reported on
// line 1 (the opening "+++"). Structural problems (bad UTF-8, no "+++" lines, malformed TOML)
// stop at the first. A leading UTF-8 BOM is skipped, lines may end in CRLF, and the "+++" lines
// may carry trailing blanks. `markdown` is everything after the closing "+++" line, unchanged.
std::optional<post> parse_post(std::string_view file, std::string_view text,
                               std::vector<diagnostic>& errors);

// A URI fit for an Atom <id>: "scheme:rest", no blanks, quotes or angle brackets.
bool is_feed_id(std::string_view id);

}  // namespace kade::indexer
