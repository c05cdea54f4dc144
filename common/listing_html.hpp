#pragma once
// The markup of a list of posts, shared by kade-index (the home page, labels, archives) and
// kade-serve (the home page's later pages and Blogger's "Oudere berichten"), so a page the
// server puts together reads exactly like one the indexer stored.
#include <cstddef>
#include <string>
#include <string_view>

namespace kade {

// One post in a list: its title linked, date, author and summary (plain text), "Lees verder".
// `path` is the post's path as it is named (percent-encoded here).
struct listed_post_view {
    std::string_view path;
    std::string_view title;
    std::string_view published_rfc3339;
    std::string_view date_dutch;
    std::string_view author;
    std::string_view summary;
};
void append_post_summary_html(std::string& out, const listed_post_view& post);

// Page `page` of a list whose first page is `first` ("/", "/search/label/NAME", "/2014/"):
// `first` itself, then later_pages_prefix(first) + N + "/" ("/page/2/",
// "/search/label/NAME/page/2/", "/2014/page/2/").
std::string listing_page_path(std::string_view first, std::size_t page);
std::string later_pages_prefix(std::string_view first);

// Blogger's pager: newer posts to the left, the home page in the middle, older to the right.
// Paths as they are named (percent-encoded here); empty: no link on that side.
std::string pager_html(std::string_view newer, std::string_view newer_text, std::string_view older,
                       std::string_view older_text, bool home_link);

}  // namespace kade
