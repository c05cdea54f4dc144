#pragma once
// A Blogger export, in either of its formats, read into one model:
//  - "Back up content" (legacy): Atom with the kind in a category of the
//    http://schemas.google.com/g/2005#kind scheme (…/kind#post, #page, #comment, #settings,
//    #template), drafts as app:control/app:draft = yes, labels as categories of the
//    http://www.blogger.com/atom/ns# scheme, the URL in link rel="alternate", comments tied to
//    their post with thr:in-reply-to and to the comment they answer with link rel="related".
//  - Google Takeout's feed.atom: blogger:type (POST, PAGE, COMMENT), blogger:status (LIVE,
//    DRAFT, SOFT_TRASHED, ...), blogger:filename, blogger:parent (a comment's post) and
//    blogger:inReplyTo (the comment it answers), in the http://schemas.google.com/blogger/2018
//    namespace.
#include <string>
#include <string_view>
#include <vector>

namespace kade::blogger {

// legacy: "Back up content"; takeout: Google Takeout's feed.atom; feed: the blog's public
// /feeds/posts/default (published posts only, at most as many as it was asked for).
enum class export_format { legacy, takeout, feed };
enum class entry_kind { post, page, comment, settings, layout, other };
enum class entry_status { live, draft, trashed, removed };

struct blog_entry {
    entry_kind kind = entry_kind::other;
    entry_status status = entry_status::live;
    std::string id;       // the number after ".post-" (or after ".page-") of the Atom id
    std::string atom_id;  // the whole Atom id, "tag:blogger.com,1999:blog-123.post-456"
    std::string title;
    std::string content_html;
    std::string published;  // RFC 3339 as exported, "2014-01-02T10:00:00.000+01:00"
    std::string updated;
    std::string author;
    std::string author_uri;
    std::vector<std::string> labels;  // in export order, duplicates removed
    std::string path;         // "/2014/01/name.html", "/p/name.html"; "" when the export has none
    std::string description;  // Takeout's blogger:metaDescription, the search description
    std::string post_id;      // comments: id of the post or page commented on
    std::string parent_id;    // comments: id of the comment answered, "" for a top-level one
    int line = 0;             // where the entry starts in the export
};

struct blog_export {
    export_format format = export_format::legacy;
    std::string title;
    std::string url;      // the blog's address (legacy: the feed's alternate link), "" when unknown
    std::string blog_id;  // "tag:blogger.com,1999:blog-123", the feed's Atom id; "" when unknown
    std::vector<blog_entry> entries;    // in export order
    std::vector<std::string> warnings;  // read anyway, but the user should know
    long total_results = -1;            // a public feed's openSearch:totalResults, -1 when absent
};

// Reads an export. A namespace prefix used without a declaration (seen in real exports) is
// declared and read, with a warning. Throws xml_error (not well-formed, with line and column;
// the message says what the file looks like: a truncated download, a WordPress export, …) and
// std::runtime_error (well-formed but not a Blogger export: the message says what it is).
blog_export read_export(std::string_view xml);

// "https://x.blogspot.com/2014/01/a%20b.html?m=1#c" → "/2014/01/a b.html": the path only,
// percent-decoded when that gives valid UTF-8. "" for "".
std::string url_path(std::string_view url);

// The number in "tag:blogger.com,1999:blog-123.post-456" ("456"); other ids unchanged.
std::string short_id(std::string_view atom_id);

// The id a post keeps in feeds: its Atom id when that is Blogger's tag, else one built from the
// blog's id and the post's number; "" when neither is known.
std::string post_feed_id(const blog_export& blog, const blog_entry& e);

}  // namespace kade::blogger
