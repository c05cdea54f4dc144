#include "common/listing_html.hpp"

#include "common/text.hpp"

namespace kade {
namespace {

void append_href(std::string& out, std::string_view path) {
    append_html_escaped(out, percent_encode_path(path));
}

}  // namespace

void append_post_summary_html(std::string& out, const listed_post_view& post) {
    std::string href;
    append_href(href, post.path);
    out += "<article class=\"summary\">\n<h2><a href=\"" + href + "\">";
    append_html_escaped(out, post.title);
    out += "</a></h2>\n<p class=\"meta\"><time datetime=\"";
    append_html_escaped(out, post.published_rfc3339);
    out += "\">";
    append_html_escaped(out, post.date_dutch);
    out += "</time>";
    if (!post.author.empty()) {
        out += " · ";
        append_html_escaped(out, post.author);
    }
    out += "</p>\n";
    if (!post.summary.empty()) {
        out += "<p>";
        append_html_escaped(out, post.summary);
        out += "</p>\n";
    }
    out += "<p><a class=\"more\" href=\"" + href +
           "\">Lees verder<span class=\"visually-hidden\"> over ";
    append_html_escaped(out, post.title);
    out += "</span></a></p>\n</article>\n";
}

std::string later_pages_prefix(std::string_view first) {
    if (first.ends_with('/')) first.remove_suffix(1);
    return std::string(first) + "/page/";
}

std::string listing_page_path(std::string_view first, std::size_t page) {
    if (page <= 1) return std::string(first);
    return later_pages_prefix(first) + std::to_string(page) + "/";
}

std::string pager_html(std::string_view newer, std::string_view newer_text, std::string_view older,
                       std::string_view older_text, bool home_link) {
    if (newer.empty() && older.empty() && !home_link) return "";
    std::string out = "<nav class=\"pager\" aria-label=\"Meer berichten\">\n";
    // One side: a link, or an empty span that keeps the home link in the middle.
    auto side = [&](std::string_view path, std::string_view class_and_rel, std::string_view text) {
        if (path.empty()) {
            out += "<span></span>\n";
            return;
        }
        out += "<a ";
        out += class_and_rel;
        out += " href=\"";
        append_href(out, path);
        out += "\">";
        out += text;
        out += "</a>\n";
    };
    side(newer, "class=\"newer\" rel=\"prev\"", newer_text);
    if (home_link) out += "<a class=\"home\" href=\"/\">Startpagina</a>\n";
    side(older, "class=\"older\" rel=\"next\"", older_text);
    return out + "</nav>";
}

}  // namespace kade
