#include "server/posts_by_date.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "common/listing_html.hpp"
#include "common/search_document.hpp"
#include "common/text.hpp"

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

std::vector<std::string_view> listed_lines(std::string_view list) {
    return split_views(list, '\n');
}

listed_posts::listed_posts(std::string_view list) : all_(listed_lines(list)) {}

const std::vector<std::string_view>& listed_posts::with_label(std::string_view label) {
    if (!labels_read_) {
        // Every label at once, so a label nobody uses costs no pass over the list.
        for (const std::string_view line : all_) {
            const auto post = parse_listed_post(line);
            if (!post) continue;
            for (const std::string_view label : search_document::split_labels(post->labels))
                by_label_[label].push_back(line);
        }
        labels_read_ = true;
    }
    static const std::vector<std::string_view> none;
    const auto it = by_label_.find(label);
    return it == by_label_.end() ? none : it->second;
}

std::size_t first_published_before(const std::vector<std::string_view>& posts,
                                   std::int64_t before) {
    // The list is newest first (kade-index sorts the posts by date): "not older" holds for a
    // leading run. A line that is no post counts as not older.
    const auto it = std::partition_point(posts.begin(), posts.end(), [&](std::string_view line) {
        const auto post = parse_listed_post(line);
        return !post || post->published_unix >= before;
    });
    return static_cast<std::size_t>(it - posts.begin());
}

void append_listed_post_html(std::string& out, const listed_post& post) {
    append_post_summary_html(out, {post.path, post.title, post.published_rfc3339, post.date_dutch,
                                   post.author, post.summary});
}

}  // namespace kade
