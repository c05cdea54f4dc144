#pragma once
// Posts → the published site: URLs, slugs, dates, order, archives, labels; drafts dropped;
// URL collisions found.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.hpp"
#include "common/diagnostic.hpp"
#include "indexer/content/markdown.hpp"
#include "indexer/content/post.hpp"

namespace kade::indexer {

struct site_post {
    post source;
    std::string url;  // "/2014/01/slug.html", Blogger's permalink form
    rendered_markdown body;
    std::string summary;             // plain text: front matter summary, else the first paragraph
    std::string description;         // the summary cut to description_characters, one line
    std::string author;              // post's author, else [site].author
    std::string date_iso;            // "2014-01-02", in the author's offset
    std::string date_dutch;          // "donderdag 2 januari 2014"
    std::string published_rfc3339;   // "2014-01-02T10:00:00+01:00"
    std::string updated_rfc3339;     // updated, else date
    std::int64_t last_modified = 0;  // updated, else date (Unix seconds)
    std::size_t words = 0;           // of the body text
    std::string key;                 // purge key "post-<12 hex>"
    std::string feed_id;             // Atom <id> / RSS <guid>: the front matter's id, else derived
};

// Meta description, OpenGraph, JSON-LD and the Atom summary: about what a search result shows.
inline constexpr std::size_t description_characters = 155;

// Posts are referred to by their index in site::posts.
struct label_group {
    std::string name;                // as written in the front matter
    std::string key;                 // purge key "label-<12 hex>"
    std::vector<std::size_t> posts;  // newest first
};

struct month_group {
    int month = 0;
    std::vector<std::size_t> posts;  // newest first
};

struct year_group {
    int year = 0;
    std::vector<month_group> months;  // newest first
    std::size_t count = 0;
};

struct site {
    std::vector<site_post> posts;     // published only, newest first (ties: by URL)
    std::vector<label_group> labels;  // by folded name, then bytewise
    std::vector<year_group> years;    // newest first; by the date as the author wrote it
    // The Atom <id> of the blog's feed: [site] feed_id, else the Blogger blog id most imported
    // posts carry ("tag:blogger.com,1999:blog-N"), else "" (the feed's URL).
    std::string feed_id;
    // Blogger's static pages (/p/NAME.html) as search finds them (render/pages.hpp
    // searchable_pages): indexed after the posts; no listing, feed or archive shows them.
    std::vector<site_post> searched_pages;
};

// What the search index holds, in docid order: the posts, then the searched pages.
inline std::size_t searched_count(const site& s) {
    return s.posts.size() + s.searched_pages.size();
}
inline const site_post& searched_document(const site& s, std::size_t i) {
    return i < s.posts.size() ? s.posts[i] : s.searched_pages[i - s.posts.size()];
}

// Drafts are dropped. Appends diagnostics for two posts with the same URL and for aliases that
// collide with a post or another alias (each names the file and the line of the key that made
// the URL). Markdown is rendered on every core.
site build_site(std::vector<post> posts, const config& cfg, std::vector<diagnostic>& errors);

// The feed id of a post without an "id" key: "tag:HOST,2014:posts/2014/01/name", from the host
// of `base_url` and the file's path in the content folder (without ".md"). Editing the title,
// slug or date leaves it alone; only moving or renaming the file changes it (set "id" first).
std::string default_feed_id(std::string_view base_url, std::string_view content_path);

// "tag:blogger.com,1999:blog-123.post-456" → "tag:blogger.com,1999:blog-123"; "" otherwise.
std::string blogger_blog_id(std::string_view post_id);

// Blogger-like slug: accents folded, lowercase, runs of other characters → '-', at most 40
// characters cut at a '-'. "Doen waar je NIET goed in bent" → "doen-waar-je-niet-goed-in-bent".
std::string derive_slug(std::string_view title);

// "donderdag 2 januari 2014".
std::string dutch_date(const post_time& t);
// "januari".
std::string dutch_month(int month);
// "2014-01-02T10:00:00+01:00" (Z for offset 0).
std::string rfc3339(const post_time& t);

// Purge keys: "post-" / "label-" and 12 hex digits of XXH3 of the post URL or the label.
std::string post_key(std::string_view url);
std::string label_key(std::string_view label);

}  // namespace kade::indexer
