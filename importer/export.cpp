#include "importer/export.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/text.hpp"
#include "importer/xml.hpp"

namespace kade::blogger {
namespace {

constexpr std::string_view atom_ns = "http://www.w3.org/2005/Atom";
constexpr std::string_view takeout_ns = "http://schemas.google.com/blogger/2018";
constexpr std::string_view kind_scheme = "http://schemas.google.com/g/2005#kind";
constexpr std::string_view label_scheme = "http://www.blogger.com/atom/ns#";
constexpr std::string_view gd_ns = "http://schemas.google.com/g/2005";
constexpr std::string_view thread_ns = "http://purl.org/syndication/thread/1.0";
// Blogger writes the 2005 draft namespace of the Atom Publishing Protocol; accept the RFC's too.
constexpr std::string_view app_ns_old = "http://purl.org/atom/app#";
constexpr std::string_view app_ns = "http://www.w3.org/2007/app";

std::string trimmed(std::string_view s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

void add_label(blog_entry& e, std::string_view term) {
    std::string label = trimmed(term);
    if (label.empty()) return;
    if (std::find(e.labels.begin(), e.labels.end(), label) == e.labels.end())
        e.labels.push_back(std::move(label));
}

void read_common(const xml_element& x, blog_entry& e) {
    e.line = x.line;
    e.atom_id = trimmed(x.child_text(atom_ns, "id"));
    e.id = short_id(e.atom_id);
    e.title = trimmed(x.child_text(atom_ns, "title"));
    e.content_html = std::string(x.child_text(atom_ns, "content"));
    e.published = trimmed(x.child_text(atom_ns, "published"));
    e.updated = trimmed(x.child_text(atom_ns, "updated"));
    if (const xml_element* author = x.child(atom_ns, "author")) {
        e.author = trimmed(author->child_text(atom_ns, "name"));
        e.author_uri = trimmed(author->child_text(atom_ns, "uri"));
    }
}

blog_entry read_legacy_entry(const xml_element& x) {
    blog_entry e;
    read_common(x, e);
    bool has_kind = false;
    for (const auto& c : x.children) {
        if (c.ns == atom_ns && c.name == "category") {
            const std::string_view scheme = c.attribute("scheme");
            const std::string_view term = c.attribute("term");
            if (scheme == kind_scheme) {
                has_kind = true;
                const std::string_view kind = term.substr(term.rfind('#') + 1);
                if (kind == "post")
                    e.kind = entry_kind::post;
                else if (kind == "page")
                    e.kind = entry_kind::page;
                else if (kind == "comment")
                    e.kind = entry_kind::comment;
                else if (kind == "settings")
                    e.kind = entry_kind::settings;
                else if (kind == "template")
                    e.kind = entry_kind::layout;
            } else if (scheme == label_scheme) {
                add_label(e, term);
            }
        } else if (c.ns == atom_ns && c.name == "link") {
            const std::string_view rel = c.attribute("rel");
            if (rel == "alternate") {
                e.path = url_path(c.attribute("href"));
            } else if (rel == "related") {
                // A threaded reply: …/feeds/BLOG/POST/comments/default/PARENT.
                const std::string_view href = c.attribute("href");
                e.parent_id = std::string(href.substr(href.rfind('/') + 1));
            }
        } else if ((c.ns == app_ns_old || c.ns == app_ns) && c.name == "control") {
            for (const auto& d : c.children)
                if (d.name == "draft" && trimmed(d.text) == "yes") e.status = entry_status::draft;
        } else if (c.ns == thread_ns && c.name == "in-reply-to") {
            e.post_id = short_id(c.attribute("ref"));
        } else if (c.ns == gd_ns && c.name == "extendedProperty") {
            if (c.attribute("name") == "blogger.contentRemoved" && c.attribute("value") == "true")
                e.status = entry_status::removed;
        }
    }
    // The public feed (/feeds/posts/default) has no kind categories: its entries are the
    // published posts (a comment feed's answer a post).
    if (!has_kind) {
        if (!e.post_id.empty())
            e.kind = entry_kind::comment;
        else if (e.atom_id.find(".post-") != std::string::npos)
            e.kind = entry_kind::post;
        else if (e.atom_id.find(".page-") != std::string::npos)
            e.kind = entry_kind::page;
    }
    // A comment's alternate link is the post's URL with ?showComment=…: not a path of its own.
    if (e.kind == entry_kind::comment) e.path.clear();
    return e;
}

blog_entry read_takeout_entry(const xml_element& x) {
    blog_entry e;
    read_common(x, e);
    const std::string type = trimmed(x.child_text(takeout_ns, "type"));
    if (type == "POST")
        e.kind = entry_kind::post;
    else if (type == "PAGE")
        e.kind = entry_kind::page;
    else if (type == "COMMENT")
        e.kind = entry_kind::comment;

    const std::string status = trimmed(x.child_text(takeout_ns, "status"));
    if (status == "LIVE" || (status.empty() && e.kind == entry_kind::comment)) {
        e.status = entry_status::live;
    } else if (status == "SOFT_TRASHED" || status == "TRASHED" || status == "DELETED") {
        e.status = entry_status::trashed;
    } else if (e.kind == entry_kind::comment) {
        e.status = entry_status::removed;  // spam, pending moderation, ...
    } else {
        e.status = entry_status::draft;  // DRAFT, SCHEDULED and anything unknown: not public yet
    }
    if (!trimmed(x.child_text(takeout_ns, "trashed")).empty()) e.status = entry_status::trashed;

    e.path = url_path(trimmed(x.child_text(takeout_ns, "filename")));
    e.description = trimmed(x.child_text(takeout_ns, "metaDescription"));
    e.post_id = short_id(trimmed(x.child_text(takeout_ns, "parent")));
    e.parent_id = short_id(trimmed(x.child_text(takeout_ns, "inReplyTo")));
    for (const auto& c : x.children)
        if (c.ns == atom_ns && c.name == "category" && c.attribute("scheme") != kind_scheme)
            add_label(e, c.attribute("term"));
    return e;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string short_id(std::string_view atom_id) {
    for (std::string_view marker : {".post-", ".page-"}) {
        const size_t at = atom_id.rfind(marker);
        if (at != std::string_view::npos) return std::string(atom_id.substr(at + marker.size()));
    }
    return std::string(atom_id);
}

std::string post_feed_id(const blog_export& blog, const blog_entry& e) {
    if (e.atom_id.starts_with("tag:blogger.com,1999:blog-") &&
        e.atom_id.find(".post-") != std::string::npos &&
        e.atom_id.find_first_of(" \t\r\n\"<>") == std::string::npos)
        return e.atom_id;
    const bool number = !e.id.empty() && e.id.find_first_not_of("0123456789") == std::string::npos;
    if (!blog.blog_id.empty() && number) return blog.blog_id + ".post-" + e.id;
    return {};
}

std::string url_path(std::string_view url) {
    if (const size_t scheme = url.find("://"); scheme != std::string_view::npos) {
        const size_t slash = url.find('/', scheme + 3);
        url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    url = url.substr(0, std::min(url.find('?'), url.find('#')));
    std::string decoded;
    for (size_t i = 0; i < url.size(); ++i) {
        if (url[i] == '%' && i + 2 < url.size() && hex_value(url[i + 1]) >= 0 &&
            hex_value(url[i + 2]) >= 0) {
            decoded += static_cast<char>(hex_value(url[i + 1]) * 16 + hex_value(url[i + 2]));
            i += 2;
        } else {
            decoded += url[i];
        }
    }
    if (!is_valid_utf8(decoded) || decoded.find('\0') != std::string::npos) return std::string(url);
    return decoded;
}

namespace {

// What a file that is not a Blogger export seems to be, for the error message ("" when it
// looks like one).
std::string looks_like(std::string_view text) {
    const std::string_view head = text.substr(0, 4096);
    if (text.find("wordpress.org/export/") != std::string_view::npos)
        return "a WordPress export (WXR), not a Blogger one: kade-import-blogger reads Blogger's "
               "\"Back up content\" file, Takeout's feed.atom or the blog's public feed";
    if (head.find("<html") != std::string_view::npos ||
        head.find("<HTML") != std::string_view::npos ||
        head.find("<!DOCTYPE html") != std::string_view::npos)
        return "an HTML page, not an export: download the file itself, not the page that links to "
               "it";
    if (head.find("<rss") != std::string_view::npos)
        return "an RSS feed: use the Atom one (/feeds/posts/default) or Blogger's \"Back up "
               "content\"";
    return {};
}

// Namespaces Blogger's exports use, for prefixes a file uses without declaring them.
std::string known_namespace(std::string_view prefix) {
    if (prefix == "app") return std::string(app_ns_old);
    if (prefix == "thr") return std::string(thread_ns);
    if (prefix == "gd") return std::string(gd_ns);
    if (prefix == "blogger") return std::string(takeout_ns);
    if (prefix == "georss") return "http://www.georss.org/georss";
    if (prefix == "openSearch") return "http://a9.com/-/spec/opensearchrss/1.0/";
    if (prefix == "media") return "http://search.yahoo.com/mrss/";
    return "urn:kade:undeclared:" + std::string(prefix);
}

xml_element parse_with_declarations(std::string_view xml, std::vector<std::string>& warnings) {
    std::string patched;
    std::string_view text = xml;
    for (int attempt = 0;; ++attempt) {
        try {
            return parse_xml(text);
        } catch (xml_error& e) {
            const std::size_t root = text.find("<feed");
            if (!e.unbound_prefix.empty() && attempt < 16 && root != std::string_view::npos) {
                const std::string ns = known_namespace(e.unbound_prefix);
                warnings.push_back("line " + std::to_string(e.line) + ": the prefix \"" +
                                   e.unbound_prefix + ":\" is used but never declared; read as " +
                                   ns);
                patched = std::string(text.substr(0, root + 5)) + " xmlns:" + e.unbound_prefix +
                          "='" + ns + "'" + std::string(text.substr(root + 5));
                text = patched;
                continue;
            }
            std::string message = e.what();
            if (!e.unbound_prefix.empty())
                message = "the prefix \"" + e.unbound_prefix + ":\" is used but never declared";
            if (e.at_end) message += ": the file ends early — truncated download?";
            if (const std::string what = looks_like(xml); !what.empty())
                message += " (the file looks like " + what + ")";
            xml_error out(e.line, e.column, message);
            throw out;
        }
    }
}

}  // namespace

blog_export read_export(std::string_view xml) {
    blog_export out;
    const xml_element root = parse_with_declarations(xml, out.warnings);
    if (root.ns != atom_ns || root.name != "feed") {
        const std::string what = looks_like(xml);
        throw std::runtime_error(
            "the document is <" + root.name + ">, not an Atom <feed>: " +
            (what.empty() ? "is this a Blogger export?" : "it looks like " + what));
    }
    out.title = trimmed(root.child_text(atom_ns, "title"));
    // The legacy backup's id ends in ".archive", Takeout's and the public feed's do not.
    out.blog_id = trimmed(root.child_text(atom_ns, "id"));
    if (const size_t dot = out.blog_id.find('.', out.blog_id.rfind("blog-"));
        out.blog_id.starts_with("tag:blogger.com,1999:blog-") && dot != std::string::npos)
        out.blog_id.resize(dot);
    if (!out.blog_id.starts_with("tag:blogger.com,1999:blog-")) out.blog_id.clear();
    for (const auto& c : root.children)
        if (c.ns == atom_ns && c.name == "link" && c.attribute("rel") == "alternate")
            out.url = trimmed(c.attribute("href"));
    bool takeout = false;
    for (const auto& c : root.children)
        if (c.ns == atom_ns && c.name == "entry" && c.child(takeout_ns, "type")) takeout = true;
    bool kinds = false;
    for (const auto& c : root.children)
        if (c.ns == atom_ns && c.name == "entry")
            for (const auto& d : c.children)
                if (d.ns == atom_ns && d.name == "category" && d.attribute("scheme") == kind_scheme)
                    kinds = true;
    out.format = takeout ? export_format::takeout
                 : kinds ? export_format::legacy
                         : export_format::feed;
    for (const auto& c : root.children)
        if (c.name == "totalResults") try {
                out.total_results = std::stol(trimmed(c.text));
            } catch (...) {
            }
    for (const auto& c : root.children) {
        if (c.ns != atom_ns || c.name != "entry") continue;
        out.entries.push_back(takeout ? read_takeout_entry(c) : read_legacy_entry(c));
    }
    return out;
}

}  // namespace kade::blogger
