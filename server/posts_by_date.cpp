#include "server/posts_by_date.hpp"

#include <array>
#include <charconv>

#include "common/listing_html.hpp"

namespace kade {

std::optional<listed_post> parse_listed_post(std::string_view line) {
    std::array<std::string_view, 8> f;
    std::size_t n = 0, start = 0;
    for (std::size_t i = 0; i <= line.size() && n < f.size(); ++i)
        if (i == line.size() || line[i] == '\t') {
            f[n++] = line.substr(start, i - start);
            start = i + 1;
        }
    if (n < 5) return std::nullopt;
    listed_post p;
    const auto [end, ec] =
        std::from_chars(f[0].data(), f[0].data() + f[0].size(), p.published_unix);
    if (ec != std::errc{} || end != f[0].data() + f[0].size()) return std::nullopt;
    p.path = f[1];
    p.title = f[2];
    p.date_dutch = f[3];
    p.published_rfc3339 = f[4];
    p.labels = f[5];
    p.author = f[6];
    p.summary = f[7];
    return p;
}

bool has_label(const listed_post& post, std::string_view label) {
    std::string_view rest = post.labels;
    while (!rest.empty()) {
        const std::size_t sep = rest.find('\x1f');
        if (rest.substr(0, sep) == label) return true;
        if (sep == std::string_view::npos) break;
        rest.remove_prefix(sep + 1);
    }
    return false;
}

std::vector<std::string_view> listed_lines(std::string_view list) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        const std::size_t nl = list.find('\n');
        out.push_back(list.substr(0, nl));
        if (nl == std::string_view::npos) break;
        list.remove_prefix(nl + 1);
    }
    return out;
}

void append_listed_post_html(std::string& out, const listed_post& post) {
    append_post_summary_html(out, {post.path, post.title, post.published_rfc3339, post.date_dutch,
                                   post.author, post.summary});
}

}  // namespace kade
