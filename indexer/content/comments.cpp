#include "indexer/content/comments.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include <toml++/toml.h>

#include "common/files.hpp"
#include "common/http_date.hpp"
#include "common/text.hpp"

namespace kade::indexer {
namespace fs = std::filesystem;

namespace {

int line_of(const toml::node& n) {
    return n.source().begin.line > 0 ? static_cast<int>(n.source().begin.line) : 1;
}

std::string clock(const post_time& t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

// Where a web address that starts at `at` ends: at a blank, a quote or an angle bracket, without
// the punctuation that closes the sentence around it ("zie http://x.nl/a." or "(http://x.nl)").
size_t url_end(std::string_view text, size_t at) {
    size_t end = at;
    while (end < text.size() && static_cast<unsigned char>(text[end]) > 0x20 && text[end] != '"' &&
           text[end] != '<' && text[end] != '>')
        ++end;
    while (end > at) {
        const char last = text[end - 1];
        const std::string_view url = text.substr(at, end - at);
        if (last == ')' && url.find('(') == std::string_view::npos) {
            --end;
        } else if (std::string_view(".,;:!?'").find(last) != std::string_view::npos) {
            --end;
        } else {
            break;
        }
    }
    return end;
}

bool url_starts_at(std::string_view text, size_t i) {
    const std::string_view rest = text.substr(i);
    if (!rest.starts_with("http://") && !rest.starts_with("https://")) return false;
    if (i > 0) {
        const auto before = static_cast<unsigned char>(text[i - 1]);
        if (std::isalnum(before) || before == '/' || before == '@') return false;
    }
    return url_end(text, i) > i + (rest.starts_with("https://") ? 8 : 7);
}

// A path of this site ("/2014/01/x.html", as the importer writes links to the old blog):
// after a blank or "(", a letter or digit after the '/'.
bool path_starts_at(std::string_view text, size_t i) {
    if (i + 1 >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1])))
        return false;
    return i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' || text[i - 1] == '\n';
}

// Plain text → paragraphs and line breaks, escaped. Web addresses become links, marked as the
// commenter's (rel="nofollow ugc"), as Blogger marked them.
std::string text_html(std::string_view text) {
    std::string out = "<p>";
    size_t newlines = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++newlines;
            continue;
        }
        if (newlines == 1)
            out += "<br>";
        else if (newlines > 1)
            out += "</p>\n<p>";
        newlines = 0;
        if (c == '/' && path_starts_at(text, i)) {
            const size_t end = url_end(text, i);
            const std::string_view path = text.substr(i, end - i);
            out += "<a href=\"";
            append_html_escaped(out, path);
            out += "\">";
            append_html_escaped(out, path);
            out += "</a>";
            i = end - 1;
            continue;
        }
        if ((c == 'h') && url_starts_at(text, i)) {
            const size_t end = url_end(text, i);
            const std::string_view url = text.substr(i, end - i);
            out += "<a href=\"";
            append_html_escaped(out, url);
            out += "\" rel=\"nofollow ugc\">";
            append_html_escaped(out, url);
            out += "</a>";
            i = end - 1;
            continue;
        }
        append_html_escaped(out, std::string_view(&c, 1));
    }
    return out + "</p>";
}

struct thread_renderer {
    const std::vector<comment>& all;
    std::map<std::string, std::vector<size_t>> replies;  // parent id → children, in order
    std::vector<bool> shown;

    void render(size_t i, std::string& out) {
        if (shown[i]) return;
        shown[i] = true;
        const comment& c = all[i];
        out += "<li class=\"comment\" id=\"c";
        append_html_escaped(out, c.id);
        out += "\">\n<p class=\"comment-meta\"><span class=\"comment-author\">";
        if (!c.author_url.empty()) {
            out += "<a href=\"";
            append_html_escaped(out, c.author_url);
            out += "\" rel=\"nofollow ugc\">";
            append_html_escaped(out, c.author);
            out += "</a>";
        } else {
            append_html_escaped(out, c.author);
        }
        out += "</span> · <time datetime=\"" + rfc3339(c.date) + "\">" +
               html_escape(dutch_date(c.date)) + " om " + clock(c.date) + "</time></p>\n";
        out += "<div class=\"comment-text\">" + text_html(c.text) + "</div>\n";
        const auto kids = replies.find(c.id);
        if (kids != replies.end()) {
            std::string nested;
            for (size_t k : kids->second) render(k, nested);
            if (!nested.empty()) out += "<ol class=\"comment-replies\">\n" + nested + "</ol>\n";
        }
        out += "</li>\n";
    }
};

}  // namespace

std::vector<comment> parse_comments(const std::string& file, std::string_view text,
                                    std::string& post_path, std::vector<diagnostic>& errors) {
    std::vector<comment> out;
    auto report = [&](int line, std::string message) {
        errors.push_back({file, line, std::move(message)});
    };
    if (!is_valid_utf8(text)) {
        report(1, "the file is not valid UTF-8: save it as UTF-8");
        return out;
    }
    toml::table table;
    try {
        table = toml::parse(text, file);
    } catch (const toml::parse_error& err) {
        report(static_cast<int>(std::max<std::uint32_t>(err.source().begin.line, 1)),
               "malformed TOML: " + std::string(err.description()));
        return out;
    }
    for (const auto& [key, node] : table) {
        if (key.str() == "post") {
            if (const auto* s = node.as_string(); s && s->get().starts_with("/")) {
                post_path = s->get();
            } else {
                report(line_of(node),
                       "\"post\" must be the post's URL, such as "
                       "post = \"/2014/01/slug.html\"");
            }
        } else if (key.str() != "comments") {
            report(line_of(node), "unknown key \"" + std::string(key.str()) +
                                      "\": the keys are post and [[comments]]");
        }
    }
    if (!table.contains("post")) report(1, "missing \"post\": the URL of the post commented on");
    const toml::node* list_node = table.get("comments");
    if (!list_node) return out;
    const toml::array* list = list_node->as_array();
    if (!list) {
        report(line_of(*list_node), "\"comments\" must be [[comments]] tables");
        return out;
    }
    std::set<std::string> ids;
    for (const toml::node& item : *list) {
        const toml::table* t = item.as_table();
        if (!t) {
            report(line_of(item), "\"comments\" must be [[comments]] tables");
            continue;
        }
        comment c;
        bool ok = true;
        bool has_date = false;
        for (const auto& [key, node] : *t) {
            const std::string_view k = key.str();
            const toml::node& value = node;  // clang before 16 cannot capture a binding
            auto string_into = [&](std::string& into) {
                if (const auto* s = value.as_string()) {
                    into = s->get();
                } else {
                    report(line_of(value), "\"" + std::string(k) + "\" must be a string");
                    ok = false;
                }
            };
            if (k == "id")
                string_into(c.id);
            else if (k == "parent")
                string_into(c.parent);
            else if (k == "author")
                string_into(c.author);
            else if (k == "author_url")
                string_into(c.author_url);
            else if (k == "text")
                string_into(c.text);
            else if (k == "date") {
                const auto* dt = value.as_date_time();
                if (!dt) {
                    report(line_of(value),
                           "\"date\" must be a TOML date-time such as "
                           "2014-01-02T14:05:00+01:00");
                    ok = false;
                    continue;
                }
                const toml::date_time& v = dt->get();
                c.date.year = v.date.year;
                c.date.month = v.date.month;
                c.date.day = v.date.day;
                c.date.hour = v.time.hour;
                c.date.minute = v.time.minute;
                c.date.second = v.time.second;
                c.date.offset_minutes = v.offset ? v.offset->minutes : 0;
                c.date.unix_seconds =
                    days_from_civil(c.date.year, static_cast<unsigned>(c.date.month),
                                    static_cast<unsigned>(c.date.day)) *
                        86400 +
                    c.date.hour * 3600 + c.date.minute * 60 + c.date.second -
                    std::int64_t{c.date.offset_minutes} * 60;
                has_date = true;
            } else {
                report(line_of(value),
                       "unknown key \"" + std::string(k) +
                           "\" in a comment: the keys are id, parent, author, author_url, date, "
                           "text");
                ok = false;
            }
        }
        if (c.id.empty() || !has_date || c.author.empty()) {
            report(line_of(item), "a comment needs id, author and date");
            ok = false;
        }
        if (!c.author_url.empty() && !c.author_url.starts_with("http://") &&
            !c.author_url.starts_with("https://")) {
            report(line_of(item), "\"author_url\" must start with http:// or https://");
            ok = false;
        }
        if (ok && !ids.insert(c.id).second) {
            report(line_of(item), "comment id \"" + c.id + "\" appears twice");
            ok = false;
        }
        if (ok) out.push_back(std::move(c));
    }
    return out;
}

std::string render_comments(const std::vector<comment>& comments) {
    if (comments.empty()) return "";
    thread_renderer r{comments, {}, std::vector<bool>(comments.size(), false)};
    std::set<std::string> ids;
    for (const auto& c : comments) ids.insert(c.id);
    std::vector<size_t> roots;
    for (size_t i = 0; i < comments.size(); ++i) {
        const comment& c = comments[i];
        if (!c.parent.empty() && c.parent != c.id && ids.count(c.parent))
            r.replies[c.parent].push_back(i);
        else
            roots.push_back(i);
    }
    std::string list;
    for (size_t i : roots) r.render(i, list);
    // Replies caught in a cycle of parents have no root: show them at the top level.
    for (size_t i = 0; i < comments.size(); ++i) r.render(i, list);
    const std::string count =
        std::to_string(comments.size()) + (comments.size() == 1 ? " reactie" : " reacties");
    return "<section class=\"comments\" aria-labelledby=\"reacties\">\n"
           "<h2 id=\"reacties\">" +
           count + "</h2>\n<ol class=\"comment-list\">\n" + list + "</ol>\n</section>\n";
}

std::set<std::string> urls_of_drafts(const std::vector<post>& posts) {
    std::set<std::string> out;
    for (const auto& p : posts) {
        if (!p.draft) continue;
        char month[8];
        std::snprintf(month, sizeof month, "%02d", p.date.month);
        out.insert("/" + std::to_string(p.date.year) + "/" + month + "/" +
                   (p.slug.empty() ? derive_slug(p.title) : p.slug) + ".html");
        out.insert(p.aliases.begin(), p.aliases.end());
    }
    return out;
}

comment_index load_comments(const std::string& content_dir, const site& s,
                            const std::set<std::string>& draft_urls,
                            std::vector<diagnostic>& errors, comments_by_post* parsed) {
    comment_index out;
    const fs::path root = fs::path(content_dir) / "comments";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return out;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".toml") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> url_of;  // a post's URL and aliases → its URL
    for (const auto& p : s.posts) {
        url_of[p.url] = p.url;
        for (const auto& a : p.source.aliases) url_of.emplace(a, p.url);
    }
    std::map<std::string, std::vector<comment>> by_post;
    for (const auto& f : files) {
        const std::string text = read_file(f).value_or("");
        std::string post_path;
        std::vector<comment> list = parse_comments(f.string(), text, post_path, errors);
        if (post_path.empty()) continue;
        const auto url = url_of.find(post_path);
        if (url == url_of.end() && draft_urls.count(post_path)) continue;
        if (url == url_of.end()) {
            errors.push_back({f.string(), 1,
                              "\"post\" " + post_path +
                                  " is not the URL of a published post: fix it, or remove this "
                                  "file"});
            continue;
        }
        auto& target = by_post[url->second];
        target.insert(target.end(), list.begin(), list.end());
    }
    for (auto& [url, list] : by_post) out[url] = render_comments(list);
    if (parsed) *parsed = std::move(by_post);
    return out;
}

std::string with_comments(std::string post_html, const comment_index& comments,
                          const std::string& post_url) {
    const auto it = comments.find(post_url);
    if (it == comments.end() || it->second.empty()) return post_html;
    size_t at = post_html.rfind("</article>");
    if (at != std::string::npos) {
        at += std::string_view("</article>").size();
        if (at < post_html.size() && post_html[at] == '\n') ++at;
    } else {
        at = post_html.rfind("</main>");
    }
    if (at == std::string::npos) at = post_html.size();
    post_html.insert(at, it->second);
    // The count under the title, as Blogger's "3 opmerkingen", linking to the comments.
    std::size_t n = 0;
    for (std::size_t pos = it->second.find("<li class=\"comment\""); pos != std::string::npos;
         pos = it->second.find("<li class=\"comment\"", pos + 1))
        ++n;
    const std::size_t meta_end = post_html.find("</p>\n</header>");
    if (n > 0 && meta_end != std::string::npos)
        post_html.insert(meta_end, " · <a class=\"comment-count\" href=\"#reacties\">" +
                                       std::to_string(n) + (n == 1 ? " reactie" : " reacties") +
                                       "</a>");
    return post_html;
}

}  // namespace kade::indexer
