#pragma once
// Posts → the published site: URLs, slugs, dates, order; drafts dropped; URL collisions found.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/markdown.hpp"
#include "indexer/post.hpp"
#include "server/common/config.hpp"
#include "server/common/diagnostic.hpp"

namespace kade::indexer {

struct site_post {
    post source;
    std::string url;  // "/2014/01/slug.html", Blogger's permalink form
    rendered_markdown body;
    std::string summary;             // plain text: front matter summary, else the first paragraph
    std::string author;              // post's author, else [site].author
    std::string date_iso;            // "2014-01-02", in the author's offset
    std::string date_dutch;          // "donderdag 2 januari 2014"
    std::int64_t last_modified = 0;  // updated, else date (Unix seconds)
};

struct site {
    std::vector<site_post> posts;  // published only, newest first (ties: by URL)
};

// Drafts are dropped. Appends diagnostics for two posts with the same URL and for aliases that
// collide with a post or another alias (each names the file and the line of its front matter).
site build_site(std::vector<post> posts, const config& cfg, std::vector<diagnostic>& errors);

// Blogger-like slug: accents folded, lowercase, runs of other characters → '-', at most 40
// characters cut at a '-'. "Doen waar je NIET goed in bent" → "doen-waar-je-niet-goed-in-bent".
std::string derive_slug(std::string_view title);

// "donderdag 2 januari 2014".
std::string dutch_date(const post_time& t);

}  // namespace kade::indexer
