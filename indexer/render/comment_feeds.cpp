#include "indexer/render/comment_feeds.hpp"

#include <algorithm>
#include <map>

#include "common/text.hpp"

namespace kade::indexer {
namespace {

constexpr const char* atom_type = "application/atom+xml; charset=utf-8";
constexpr std::size_t feed_comments = 25;  // Blogger's default, as for posts

// XML text: escaped, without the control characters XML 1.0 does not allow.
std::string xml(std::string_view s) {
    std::string clean;
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
            clean += c;
    return html_escape(clean);
}

struct feed_comment {
    const comment* c;
    const site_post* post;
};

// Blogger's id for a comment is the blog's id with ".post-" and the comment's number.
std::string comment_id(const site_post& p, const comment& c) {
    const std::string blog = blogger_blog_id(p.feed_id);
    return blog.empty() ? p.feed_id + ".comment-" + c.id : blog + ".post-" + c.id;
}

std::string title_of(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (out.size() >= 60 && (c == ' ' || c == '\n')) return out + "…";
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

std::string atom(const std::vector<feed_comment>& list, const std::string& self,
                 const std::string& feed_id, const std::string& title, const page_context& ctx) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    out +=
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
        "xmlns:thr=\"http://purl.org/syndication/thread/1.0\" xml:lang=\"" +
        xml(ctx.cfg.site.language) + "\">\n";
    out += "<id>" + xml(feed_id) + "</id>\n<title>" + xml(title) + "</title>\n";
    std::string updated = list.empty() ? "1970-01-01T00:00:00Z" : rfc3339(list.front().c->date);
    out += "<updated>" + updated + "</updated>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
           xml(absolute_url(ctx, self)) + "\"/>\n";
    out += "<author><name>" + xml(ctx.cfg.site.author) + "</name></author>\n";
    out += "<generator>Kade</generator>\n";
    for (const auto& [c, p] : list) {
        const std::string url = absolute_url(ctx, p->url) + "#c" + c->id;
        out += "<entry>\n<id>" + xml(comment_id(*p, *c)) + "</id>\n";
        out += "<published>" + rfc3339(c->date) + "</published>\n";
        out += "<updated>" + rfc3339(c->date) + "</updated>\n";
        out += "<title>" + xml(title_of(c->text)) + "</title>\n";
        out += "<content type=\"text\">" + xml(c->text) + "</content>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml(url) + "\"/>\n";
        out += "<author><name>" + xml(c->author) + "</name>";
        if (!c->author_url.empty()) out += "<uri>" + xml(c->author_url) + "</uri>";
        out += "</author>\n";
        out += "<thr:in-reply-to ref=\"" + xml(p->feed_id) + "\" href=\"" +
               xml(absolute_url(ctx, p->url)) + "\" type=\"text/html\"/>\n</entry>\n";
    }
    return out + "</feed>\n";
}

void newest_first(std::vector<feed_comment>& list) {
    std::stable_sort(list.begin(), list.end(), [](const feed_comment& a, const feed_comment& b) {
        return a.c->date.unix_seconds > b.c->date.unix_seconds;
    });
    if (list.size() > feed_comments) list.resize(feed_comments);
}

}  // namespace

std::string blogger_post_number(std::string_view feed_id) {
    if (blogger_blog_id(feed_id).empty()) return {};
    const std::string_view number = feed_id.substr(feed_id.rfind(".post-") + 6);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string_view::npos)
        return {};
    return std::string(number);
}

std::vector<page_input> render_comment_feeds(const site& s, const comments_by_post& comments,
                                             const page_context& ctx) {
    std::vector<page_input> out;
    std::map<std::string, const site_post*> by_url;
    for (const auto& p : s.posts) by_url[p.url] = &p;
    std::vector<feed_comment> all;
    std::string keys = "feed";
    for (const auto& [url, list] : comments) {
        const auto post = by_url.find(url);
        if (post == by_url.end() || list.empty()) continue;
        const site_post& p = *post->second;
        std::vector<feed_comment> own;
        for (const auto& c : list) own.push_back({&c, &p});
        all.insert(all.end(), own.begin(), own.end());
        const std::string number = blogger_post_number(p.feed_id);
        if (number.empty()) continue;
        newest_first(own);
        const std::string path = "/feeds/" + number + "/comments/default";
        out.push_back({path, atom_type,
                       // Blogger's own form of a post's comment feed id, double dot and all.
                       atom(own, path, blogger_blog_id(p.feed_id) + ".post" + number + "..comments",
                            "Reacties op " + p.source.title, ctx),
                       bundle::cache_class::feed, 200, own.front().c->date.unix_seconds, "",
                       "feed " + p.key});
    }
    newest_first(all);
    for (const auto& fc : all)
        if (keys.find(fc.post->key) == std::string::npos) keys += " " + fc.post->key;
    const std::string path = "/feeds/comments/default";
    const std::string id = s.feed_id.empty() ? absolute_url(ctx, path) : s.feed_id + ".comments";
    out.push_back({path, atom_type, atom(all, path, id, "Reacties op " + ctx.cfg.site.title, ctx),
                   bundle::cache_class::feed, 200,
                   all.empty() ? -1 : all.front().c->date.unix_seconds, "", keys});
    return out;
}

}  // namespace kade::indexer
