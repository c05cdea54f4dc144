#pragma once
// The list of published posts that kade-index stores (bundle::posts_by_date_path), newest
// first, one line each:
// "UNIX\tPATH\tTITLE\tDATE_DUTCH\tPUBLISHED_RFC3339\tLABELS\tAUTHOR\tSUMMARY", the labels separated
// by U+001F. Bundles of before the last three fields give titles and dates only. Lists of posts the
// server puts together (later home pages, "Oudere berichten") read it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kade {

struct listed_post {
    std::int64_t published_unix = 0;
    std::string_view path;
    std::string_view title;
    std::string_view date_dutch;
    std::string_view published_rfc3339;
    std::string_view labels;  // U+001F between labels, as their label pages name them
    std::string_view author;
    std::string_view summary;  // plain text
};

// Nullopt for a line that is not a post (too few fields, no time).
std::optional<listed_post> parse_listed_post(std::string_view line);

// The lines of the list, without their line ends.
std::vector<std::string_view> listed_lines(std::string_view list);

// The list read once for the requests that page through it: every post's line, and each
// label's posts' lines, newest first. Views into the list's bytes.
class listed_posts {
  public:
    listed_posts() = default;
    explicit listed_posts(std::string_view list);

    const std::vector<std::string_view>& all() const { return all_; }
    // The posts with this label (as its label page names it); none for an unknown label.
    const std::vector<std::string_view>& with_label(std::string_view label);

  private:
    std::vector<std::string_view> all_;
    std::unordered_map<std::string_view, std::vector<std::string_view>> by_label_;
    bool labels_read_ = false;  // by_label_ is made at the first label asked for
};

// The first of `posts` (newest first) published before `before`: a binary search, so paging
// deep into 100,000 posts reads a few dozen lines, not all of them.
std::size_t first_published_before(const std::vector<std::string_view>& posts, std::int64_t before);

// The post as a list of posts shows it (common/listing_html.hpp).
void append_listed_post_html(std::string& out, const listed_post& post);

}  // namespace kade
