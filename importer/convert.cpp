#include "importer/convert.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "common/text.hpp"
#include "importer/html_to_markdown.hpp"
#include "indexer/content/site.hpp"

namespace kade::blogger {
namespace {

bool digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_slug(std::string_view s) {
    return !s.empty() &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
}

// "/2014/01/name.html" → {"/2014/01/", "name"}; false for other shapes.
bool split_post_path(std::string_view path, std::string& month_dir, std::string& name) {
    if (path.size() < 15 || path[0] != '/' || path[5] != '/' || path[8] != '/' ||
        !digits(path.substr(1, 4)) || !digits(path.substr(6, 2)) || !path.ends_with(".html"))
        return false;
    name = std::string(path.substr(9, path.size() - 9 - 5));
    if (name.empty() || name.find('/') != std::string::npos) return false;
    month_dir = std::string(path.substr(0, 9));
    return true;
}

// "/p/name.html" → "name".
bool split_page_path(std::string_view path, std::string& name) {
    if (!path.starts_with("/p/") || !path.ends_with(".html") || path.size() <= 8) return false;
    name = std::string(path.substr(3, path.size() - 3 - 5));
    return name.find('/') == std::string::npos;
}

std::string host_of(std::string_view url) {
    const size_t scheme = url.find("://");
    if (url.starts_with("//"))
        url.remove_prefix(2);
    else if (scheme != std::string_view::npos)
        url.remove_prefix(scheme + 3);
    else
        return {};
    std::string host(url.substr(0, url.find_first_of("/?#:")));
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host;
}

// The image's file name: the last path segment, decoded, when it looks like one.
std::string image_file_name(std::string_view url) {
    std::string path = url_path(url);
    const std::string name = path.substr(path.rfind('/') + 1);
    if (name.empty() || name.front() == '.' || name.find('.') == std::string::npos) return {};
    for (char c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7F) return {};
    return name;
}

bool is_size_segment(std::string_view seg) {
    if (seg.empty() || seg.size() > 24) return false;
    if (digits(seg)) return true;  // photos1.blogger.com: /320/, /1600/
    return (seg[0] == 's' || seg[0] == 'w' || seg[0] == 'h') && seg.size() > 1 && seg[1] >= '0' &&
           seg[1] <= '9';
}

// One image at every size: the URL without host and without the size segment (s1600, s320-c,
// w640-h480, ...) that Blogger puts before the file name.
std::string image_identity(std::string_view url) {
    std::string path = url_path(url);
    const size_t last = path.rfind('/');
    if (last == std::string::npos || last == 0) return path;
    const size_t before = path.rfind('/', last - 1);
    const std::string segment = path.substr(before + 1, last - before - 1);
    const bool size = is_size_segment(segment);
    if (!size) return path;
    return path.substr(0, before) + path.substr(last);
}

// TOML and the indexer want the author's wall clock; Blogger's legacy export has it (the
// blog's offset), Takeout gives UTC.
struct wall_time {
    std::string toml;       // "2014-01-02T10:00:00+01:00"
    std::string month_dir;  // "/2014/01/"
    bool ok = false;
};

wall_time parse_time(std::string_view s, const std::string& zone) {
    wall_time t;
    t.toml = in_zone(toml_datetime(s), zone);
    if (t.toml.empty()) return t;
    t.month_dir = "/" + t.toml.substr(0, 4) + "/" + t.toml.substr(5, 2) + "/";
    t.ok = true;
    return t;
}

std::string front_matter_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += toml_string(items[i]);
    }
    return out + "]";
}

struct planned {
    const blog_entry* entry;
    wall_time date;
    std::string url;  // the new permalink
    std::string slug;
    std::vector<std::string> aliases;
    std::string file;  // relative path of the .md
};

class importer {
  public:
    importer(const blog_export& blog, const import_options& options)
        : blog_(blog), options_(options) {}

    import_result run() {
        for (const auto& u : options_.blog_urls) own_hosts_.push_back(host_of(u));
        if (!blog_.url.empty()) own_hosts_.push_back(host_of(blog_.url));
        std::erase(own_hosts_, std::string());
        classify();
        // Original permalinks are reserved first, so a URL made up for one post never takes
        // the old address of another.
        for (const blog_entry* e : posts_)
            if (!e->path.empty()) claimed_.insert(e->path);
        for (const blog_entry* e : pages_)
            if (!e->path.empty()) claimed_.insert(e->path);
        for (const blog_entry* e : posts_) plan_post(*e);
        for (const blog_entry* e : pages_) plan_page(*e);
        if (!options_.local_images.empty()) map_images();
        for (const auto& p : planned_posts_) write_post(p);
        for (const auto& p : planned_pages_) write_page(p);
        write_comments();
        finish_images();
        std::sort(result_.files.begin(), result_.files.end(),
                  [](const output_file& a, const output_file& b) { return a.path < b.path; });
        std::sort(result_.aliases.begin(), result_.aliases.end());
        return std::move(result_);
    }

  private:
    void classify() {
        for (const auto& e : blog_.entries) {
            switch (e.kind) {
                case entry_kind::post:
                case entry_kind::page: {
                    if (e.status == entry_status::trashed || e.status == entry_status::removed) {
                        ++result_.trashed;
                        break;
                    }
                    (e.kind == entry_kind::post ? posts_ : pages_).push_back(&e);
                    break;
                }
                case entry_kind::comment:
                    comments_.push_back(&e);
                    break;
                case entry_kind::settings:
                    ++result_.settings;
                    break;
                case entry_kind::layout:
                    ++result_.layouts;
                    break;
                case entry_kind::other:
                    ++result_.others;
                    break;
            }
        }
        // Export order is newest first and may change between exports; ours must not.
        auto order = [](const blog_entry* a, const blog_entry* b) {
            if (a->path.empty() != b->path.empty()) return !a->path.empty();
            if (a->path != b->path) return a->path < b->path;
            if (a->published != b->published) return a->published < b->published;
            return a->id < b->id;
        };
        std::sort(posts_.begin(), posts_.end(), order);
        std::sort(pages_.begin(), pages_.end(), order);
    }

    std::string unique(const std::string& prefix, const std::string& slug,
                       const std::string& suffix) {
        std::string candidate = slug;
        for (int n = 2; claimed_.count(prefix + candidate + suffix); ++n)
            candidate = slug + "-" + std::to_string(n);
        return candidate;
    }

    void warn(const blog_entry& e, const std::string& message) {
        result_.warnings.push_back("entry at line " + std::to_string(e.line) +
                                   (e.title.empty() ? "" : " (\"" + e.title + "\")") + ": " +
                                   message);
    }

    wall_time entry_date(const blog_entry& e) {
        wall_time t = parse_time(e.published, options_.timezone);
        if (!t.ok) t = parse_time(e.updated, options_.timezone);
        if (!t.ok) warn(e, "no valid <published> date: skipped");
        return t;
    }

    void plan_post(const blog_entry& e) {
        planned p{&e, entry_date(e), "", "", {}, ""};
        if (!p.date.ok) return;
        std::string month_dir, name;
        std::string slug;
        if (split_post_path(e.path, month_dir, name)) {
            slug = is_slug(name) ? name : indexer::derive_slug(name);
        } else {
            slug = indexer::derive_slug(e.title);
            if (!e.path.empty()) warn(e, "unusual URL " + e.path + " kept as an alias");
        }
        // The original path belongs to this post; any other claim on it is a clash.
        claimed_.erase(e.path);
        slug = unique(p.date.month_dir, slug, ".html");
        p.slug = slug;
        p.url = p.date.month_dir + slug + ".html";
        claimed_.insert(p.url);
        if (!e.path.empty()) claimed_.insert(e.path);
        if (!e.path.empty() && e.path != p.url) {
            p.aliases.push_back(e.path);
            result_.aliases.emplace_back(e.path, p.url);
        }
        p.file = "posts" + p.date.month_dir + slug + ".md";
        planned_posts_.push_back(std::move(p));
        post_by_id_[e.id] = planned_posts_.size() - 1;
    }

    void plan_page(const blog_entry& e) {
        planned p{&e, entry_date(e), "", "", {}, ""};
        if (!p.date.ok) return;
        std::string name;
        std::string slug;
        if (split_page_path(e.path, name)) {
            slug = is_slug(name) ? name : indexer::derive_slug(name);
        } else {
            slug = indexer::derive_slug(e.title);
            if (!e.path.empty()) warn(e, "unusual page URL " + e.path + " kept as an alias");
        }
        claimed_.erase(e.path);
        slug = unique("/p/", slug, ".html");
        p.slug = slug;
        p.url = "/p/" + slug + ".html";
        claimed_.insert(p.url);
        if (!e.path.empty()) claimed_.insert(e.path);
        if (!e.path.empty() && e.path != p.url) {
            p.aliases.push_back(e.path);
            result_.aliases.emplace_back(e.path, p.url);
        }
        p.file = "pages/" + slug + ".md";
        planned_pages_.push_back(std::move(p));
    }

    // With --images: which file names can stand for exactly one image.
    void map_images() {
        std::map<std::string, std::set<std::string>> identities;  // file name → identities
        url_rewriter collect = [&](const std::string& url, bool) {
            if (is_blogger_image(url)) {
                const std::string name = image_file_name(url);
                if (!name.empty()) identities[name].insert(image_identity(url));
            }
            return url;
        };
        for (const auto& p : planned_posts_) html_to_markdown(p.entry->content_html, collect);
        for (const auto& p : planned_pages_) html_to_markdown(p.entry->content_html, collect);
        for (const auto& [name, ids] : identities) {
            const auto local = options_.local_images.find(name);
            if (local == options_.local_images.end()) continue;
            if (local->second.empty()) {
                notes_[name] = "several different files named " + name + " in the images folder";
            } else if (ids.size() > 1) {
                notes_[name] = "several images are named " + name + ": not mapped";
            } else {
                mapped_[name] = local->second;
            }
        }
    }

    // A link to the old blog: "https://x.blogspot.nl/2014/01/a.html?m=1#c" → "/2014/01/a.html#c".
    bool own_host(const std::string& host) const {
        auto bare = [](std::string h) { return h.starts_with("www.") ? h.substr(4) : h; };
        auto blogspot_name = [](const std::string& h) {
            const size_t at = h.find(".blogspot.");
            return at == std::string::npos ? std::string() : h.substr(0, at);
        };
        for (const std::string& own : own_hosts_) {
            if (bare(host) == bare(own)) return true;
            const std::string name = blogspot_name(bare(own));
            if (!name.empty() && blogspot_name(bare(host)) == name) return true;
        }
        return false;
    }

    std::string rewrite(const std::string& url) {
        if (!is_blogger_image(url)) {
            if (own_hosts_.empty() || !(url.starts_with("http://") || url.starts_with("https://")))
                return url;
            if (!own_host(host_of(url))) return url;
            const size_t scheme = url.find("://");
            const size_t slash = url.find_first_of("/?#", scheme + 3);
            std::string rest = slash == std::string::npos ? "/" : url.substr(slash);
            if (rest[0] != '/') rest = "/" + rest;
            // Blogger's mobile switch ?m=0 / ?m=1 means nothing here.
            for (const char* m : {"?m=1", "?m=0"})
                if (const size_t at = rest.find(m);
                    at != std::string::npos &&
                    (at + 4 == rest.size() || rest[at + 4] == '#' || rest[at + 4] == '&')) {
                    rest.erase(at, 4);
                    if (at < rest.size() && rest[at] == '&') rest[at] = '?';
                }
            return rest;
        }
        const std::string name = image_file_name(url);
        image_ref& ref = images_[url];
        ref.url = url;
        ref.file_name = name;
        if (name.empty()) {
            ref.note = "no file name in the URL";
            return url;
        }
        if (const auto m = mapped_.find(name); m != mapped_.end()) {
            ref.local_url = "/static/blogger/" + name;
            copies_[name] = m->second;
            return percent_encode_path(ref.local_url);
        }
        if (const auto n = notes_.find(name); n != notes_.end())
            ref.note = n->second;
        else if (!options_.local_images.empty())
            ref.note = "not in the images folder";
        return url;
    }

    std::string body(const blog_entry& e) {
        return html_to_markdown(e.content_html,
                                [this](const std::string& url, bool) { return rewrite(url); });
    }

    void write_common(std::string& out, const planned& p, bool is_post) {
        const blog_entry& e = *p.entry;
        std::string title = e.title;
        if (title.empty()) {
            title = "Zonder titel";
            warn(e, "no title: written as \"Zonder titel\"");
        }
        out += "+++\n";
        out += "title = " + toml_string(title) + "\n";
        out += "date = " + p.date.toml + "\n";
        const std::string updated = in_zone(toml_datetime(e.updated), options_.timezone);
        if (!updated.empty() && updated != p.date.toml) out += "updated = " + updated + "\n";
        if (is_post && !e.labels.empty()) out += "labels = " + front_matter_list(e.labels) + "\n";
        if (!e.author.empty()) out += "author = " + toml_string(e.author) + "\n";
        out += "slug = " + toml_string(p.slug) + "\n";
        if (!p.aliases.empty()) out += "aliases = " + front_matter_list(p.aliases) + "\n";
        if (e.status == entry_status::draft) out += "draft = true\n";
        if (!e.description.empty()) out += "summary = " + toml_string(e.description) + "\n";
        // Blogger's id: the feeds keep it, so readers do not see every post again as new.
        if (is_post)
            if (const std::string id = post_feed_id(blog_, e); !id.empty())
                out += "id = " + toml_string(id) + "\n";
        out += "+++\n";
        const std::string markdown = body(e);
        if (!markdown.empty()) out += "\n" + markdown;
    }

    void write_post(const planned& p) {
        std::string out;
        write_common(out, p, true);
        result_.files.push_back({p.file, std::move(out)});
        ++(p.entry->status == entry_status::draft ? result_.drafts : result_.posts);
    }

    void write_page(const planned& p) {
        std::string out;
        write_common(out, p, false);
        result_.files.push_back({p.file, std::move(out)});
        ++result_.pages;
    }

    void write_comments() {
        std::map<size_t, std::vector<const blog_entry*>> by_post;
        for (const blog_entry* c : comments_) {
            const auto post = post_by_id_.find(c->post_id);
            if (c->status != entry_status::live || post == post_by_id_.end()) {
                ++result_.comments_skipped;
                continue;
            }
            by_post[post->second].push_back(c);
        }
        for (auto& [index, list] : by_post) {
            const planned& p = planned_posts_[index];
            std::sort(list.begin(), list.end(), [](const blog_entry* a, const blog_entry* b) {
                if (a->published != b->published) return a->published < b->published;
                return a->id < b->id;
            });
            std::set<std::string> ids;
            for (const blog_entry* c : list) ids.insert(c->id);
            std::string out = "# Comments from Blogger, shown read-only under the post.\n";
            out += "post = " + toml_string(p.url) + "\n";
            for (const blog_entry* c : list) {
                const std::string date = in_zone(toml_datetime(c->published), options_.timezone);
                if (date.empty()) {
                    warn(*c, "comment without a valid date: skipped");
                    ++result_.comments_skipped;
                    continue;
                }
                out += "\n[[comments]]\n";
                out += "id = " + toml_string(c->id) + "\n";
                if (!c->parent_id.empty() && c->parent_id != c->id && ids.count(c->parent_id))
                    out += "parent = " + toml_string(c->parent_id) + "\n";
                out += "author = " + toml_string(c->author.empty() ? "Anoniem" : c->author) + "\n";
                if (c->author_uri.starts_with("http://") || c->author_uri.starts_with("https://"))
                    out += "author_url = " + toml_string(c->author_uri) + "\n";
                out += "date = " + date + "\n";
                // Links to the old blog become the site's paths, as in posts.
                out += "text = " +
                       toml_string(html_to_text(
                           c->content_html,
                           [this](const std::string& url, bool) { return rewrite(url); })) +
                       "\n";
                ++result_.comments;
            }
            const std::string file = "comments" + p.date.month_dir + p.slug + ".toml";
            result_.files.push_back({file, std::move(out)});
        }
    }

    void finish_images() {
        for (auto& [url, ref] : images_) result_.images.push_back(ref);
        for (const auto& [name, source] : copies_)
            result_.copies.push_back({source, "static/blogger/" + name});
    }

    const blog_export& blog_;
    const import_options& options_;
    import_result result_;
    std::vector<const blog_entry*> posts_, pages_, comments_;
    std::vector<std::string> own_hosts_;
    std::set<std::string> claimed_;  // URLs taken: original paths, then new permalinks
    std::vector<planned> planned_posts_, planned_pages_;
    std::map<std::string, size_t> post_by_id_;
    std::map<std::string, std::string> mapped_;  // file name → local source
    std::map<std::string, std::string> notes_;   // file name → why not mapped
    std::map<std::string, std::string> copies_;  // file name → local source, used ones
    std::map<std::string, image_ref> images_;    // by URL
};

}  // namespace

bool is_blogger_image(std::string_view url) {
    const std::string host = host_of(url);
    if (host.empty()) return false;
    return host == "blogger.googleusercontent.com" || host == "bp.blogspot.com" ||
           host.ends_with(".bp.blogspot.com") || host == "photos1.blogger.com" ||
           host.ends_with(".ggpht.com") ||
           (host.starts_with("lh") && host.ends_with(".googleusercontent.com"));
}

std::string toml_datetime(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':' || s[16] != ':' || !digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) ||
        !digits(s.substr(8, 2)) || !digits(s.substr(11, 2)) || !digits(s.substr(14, 2)) ||
        !digits(s.substr(17, 2)))
        return {};
    const int month = std::stoi(std::string(s.substr(5, 2)));
    const int day = std::stoi(std::string(s.substr(8, 2)));
    const int hour = std::stoi(std::string(s.substr(11, 2)));
    const int minute = std::stoi(std::string(s.substr(14, 2)));
    const int second = std::stoi(std::string(s.substr(17, 2)));
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return {};
    size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    const std::string_view zone = s.substr(i);
    std::string out = std::string(s.substr(0, 10)) + "T" + std::string(s.substr(11, 8));
    if (zone == "Z" || zone == "z") return out + "Z";
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
        digits(zone.substr(1, 2)) && digits(zone.substr(4, 2)))
        return out + std::string(zone);
    return {};
}

std::string in_zone(const std::string& toml, const std::string& zone) {
    if (zone.empty() || toml.size() < 20) return toml;
    std::tm tm{};
    tm.tm_year = std::stoi(toml.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(toml.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(toml.substr(8, 2));
    tm.tm_hour = std::stoi(toml.substr(11, 2));
    tm.tm_min = std::stoi(toml.substr(14, 2));
    tm.tm_sec = std::stoi(toml.substr(17, 2));
    long offset = 0;
    if (toml[19] == '+' || toml[19] == '-') {
        offset = std::stol(toml.substr(20, 2)) * 3600 + std::stol(toml.substr(23, 2)) * 60;
        if (toml[19] == '-') offset = -offset;
    }
    const std::time_t instant = timegm(&tm) - offset;
    // The C library knows the zones (tzdata); TZ is set for the call and put back after.
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    setenv("TZ", zone.c_str(), 1);
    tzset();
    std::tm local{};
    localtime_r(&instant, &local);
    if (old)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
    const int gmtoff = static_cast<int>(std::clamp(local.tm_gmtoff, -86399L, 86399L));
    const int abs_off = gmtoff < 0 ? -gmtoff : gmtoff;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", local.tm_year + 1900,
                  local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                  gmtoff < 0 ? '-' : '+', abs_off / 3600, (abs_off % 3600) / 60);
    return buf;
}

import_result convert_export(const blog_export& blog, const import_options& options) {
    return importer(blog, options).run();
}

}  // namespace kade::blogger
