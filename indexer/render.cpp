#include "indexer/render.hpp"

#include "indexer/template.hpp"
#include "server/common/bundle_format.hpp"
#include "server/common/text.hpp"

namespace kade::indexer {
namespace {

struct layout_input {
    std::string page_title;  // raw HTML (already escaped)
    std::string description;
    std::string head;        // raw HTML for <head>
    std::string query = "";  // raw HTML for the header search box
    std::string content;     // raw HTML
};

std::string in_layout(const layout_input& in, const page_context& ctx) {
    const auto& site = ctx.cfg.site;
    const std::string footer =
        site.description.empty() ? "" : " — " + html_escape(site.description);
    return render_template("layout.html", {{"lang", site.language},
                                           {"page_title", in.page_title},
                                           {"description", in.description},
                                           {"stylesheet", ctx.stylesheet_url},
                                           {"head", in.head},
                                           {"site_title", site.title},
                                           {"query", in.query},
                                           {"content", in.content},
                                           {"footer_description", footer}});
}

std::string canonical_link(const page_context& ctx, const std::string& path) {
    std::string base = ctx.cfg.site.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return "<link rel=\"canonical\" href=\"" + html_escape(base + percent_encode_path(path)) +
           "\">";
}

std::string labels_html(const std::vector<std::string>& labels) {
    if (labels.empty()) return "";
    std::string out = "<h2 class=\"visually-hidden\">Labels</h2><ul class=\"labels\">";
    for (const auto& label : labels) {
        out += "<li><a href=\"" + html_escape(percent_encode_path("/search/label/" + label)) +
               "\" rel=\"tag\">";
        append_html_escaped(out, label);
        out += "</a></li>";
    }
    return out + "</ul>";
}

}  // namespace

std::string render_post(const site_post& post, const page_context& ctx) {
    const std::string author = post.author.empty() ? "" : " · " + html_escape(post.author);
    const std::string labels = labels_html(post.source.labels);
    const std::string article = render_template("post.html", {{"title", post.source.title},
                                                              {"date_iso", post.date_iso},
                                                              {"date_dutch", post.date_dutch},
                                                              {"author_html", author},
                                                              {"body", post.body.html},
                                                              {"labels_html", labels}});
    return in_layout({html_escape(post.source.title) + " | " + html_escape(ctx.cfg.site.title),
                      post.summary, canonical_link(ctx, post.url), "", article},
                     ctx);
}

rendered_page render_home(const site& s, const page_context& ctx) {
    std::string summaries;
    const std::size_t count = std::min<std::size_t>(
        s.posts.size(), static_cast<std::size_t>(ctx.cfg.index.posts_per_page));
    for (std::size_t i = 0; i < count; ++i) {
        const site_post& p = s.posts[i];
        summaries += render_template("post_summary.html", {{"url", percent_encode_path(p.url)},
                                                           {"title", p.source.title},
                                                           {"date_iso", p.date_iso},
                                                           {"date_dutch", p.date_dutch},
                                                           {"summary", p.summary}});
    }
    if (s.posts.empty()) summaries = "<p>Nog geen berichten.</p>";
    const std::string content = render_template(
        "home.html", {{"site_title", ctx.cfg.site.title}, {"summaries", summaries}, {"pager", ""}});
    return {"/", in_layout({html_escape(ctx.cfg.site.title), ctx.cfg.site.description,
                            canonical_link(ctx, "/"), "", content},
                           ctx)};
}

std::string render_not_found(const page_context& ctx) {
    const std::string content = render_template("404.html", {{"site_title", ctx.cfg.site.title}});
    return in_layout({"Pagina niet gevonden | " + html_escape(ctx.cfg.site.title), "",
                      "<meta name=\"robots\" content=\"noindex\">", "", content},
                     ctx);
}

std::string render_search_shell(const page_context& ctx) {
    const std::string content = std::string(template_text("search.html"));
    return in_layout(
        {std::string(bundle::shell_title_marker), "", "<meta name=\"robots\" content=\"noindex\">",
         std::string(bundle::shell_query_marker), content},
        ctx);
}

}  // namespace kade::indexer
