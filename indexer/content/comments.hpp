#pragma once
// Read-only comments under posts (imported from Blogger by kade-import-blogger):
// content/comments/**/*.toml, one file per post:
//
//   post = "/2014/01/doen-waar-je-niet-goed-in-bent.html"   # the post's URL or one of its aliases
//   [[comments]]
//   id = "1001"                       # unique within the file
//   parent = "1000"                   # optional: the comment this one answers
//   author = "Marieke de Boer"
//   author_url = "https://…"          # optional, http(s) only
//   date = 2014-01-02T14:05:00+01:00
//   text = "Plain text.\n\nParagraphs and line breaks are kept; nothing is HTML."
//
// Rendered as a threaded list after the post's article, every field escaped.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/diagnostic.hpp"
#include "indexer/content/post.hpp"
#include "indexer/content/site.hpp"

namespace kade::indexer {

struct comment {
    std::string id;
    std::string parent;
    std::string author;
    std::string author_url;
    post_time date;
    std::string text;
};

// Post URL → the HTML of its comment section.
using comment_index = std::map<std::string, std::string>;
// Post URL → its comments as read, in file order (the comment feeds).
using comments_by_post = std::map<std::string, std::vector<comment>>;

// Parses one comments file (`file` for messages). Problems are appended as FILE:LINE
// diagnostics: malformed TOML, unknown or missing keys, wrong types, duplicate ids.
// `post_path` receives the file's "post" value.
std::vector<comment> parse_comments(const std::string& file, std::string_view text,
                                    std::string& post_path, std::vector<diagnostic>& errors);

// The URLs and aliases of the drafts among `posts` (site.cpp's URL rule): their comments wait,
// unshown, until the post is published.
std::set<std::string> urls_of_drafts(const std::vector<post>& posts);

// Reads content_dir/comments/**/*.toml and renders each file's comments for the published post
// it names (by URL or alias). A file naming a draft is skipped; one naming neither is an error.
// With `parsed`, the comments themselves are kept there too.
comment_index load_comments(const std::string& content_dir, const site& s,
                            const std::set<std::string>& draft_urls,
                            std::vector<diagnostic>& errors, comments_by_post* parsed = nullptr);

// The comment section: a heading and the threaded list (replies under the comment they
// answer, oldest first), all text escaped; web addresses in the text become links with
// rel="nofollow ugc". "" for no comments.
std::string render_comments(const std::vector<comment>& comments);

// `post_html` with the post's comment section (if any) after its </article>.
std::string with_comments(std::string post_html, const comment_index& comments,
                          const std::string& post_url);

}  // namespace kade::indexer
