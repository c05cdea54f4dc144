#include "server/listing_pages.hpp"

#include <algorithm>

#include "common/bundle_format.hpp"
#include "common/listing_html.hpp"
#include "server/posts_by_date.hpp"

namespace kade {

std::optional<later_page> later_page_of(std::string_view path) {
    if (!path.ends_with('/')) return std::nullopt;
    const std::size_t at = path.rfind("/page/", path.size() - 1);
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view digits = path.substr(at + 6, path.size() - at - 7);
    // More digits than any blog has pages would overflow.
    if (digits.empty() || digits.size() > 9 || digits[0] == '0') return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n < 2) return std::nullopt;
    const std::string_view first = path.substr(0, at);
    if (first.empty()) return later_page{"/", n};
    constexpr std::string_view label_prefix = "/search/label/";
    if (first.size() > label_prefix.size() && first.starts_with(label_prefix) &&
        first.find('/', label_prefix.size()) == std::string_view::npos)
        return later_page{first, n, first.substr(label_prefix.size())};
    return std::nullopt;
}

std::optional<std::string> later_listing_page(std::string_view shell,
                                              const std::vector<std::string_view>& posts,
                                              std::string_view first, std::size_t page,
                                              std::size_t per_page) {
    per_page = std::max<std::size_t>(1, per_page);
    const std::size_t pages = std::max<std::size_t>(1, (posts.size() + per_page - 1) / per_page);
    if (page < 2 || page > pages) return std::nullopt;
    std::string summaries;
    const std::size_t begin = (page - 1) * per_page;
    for (std::size_t i = begin; i < std::min(posts.size(), begin + per_page); ++i)
        if (const auto post = parse_listed_post(posts[i]))
            append_listed_post_html(summaries, *post);
    const std::string pager = pager_html(listing_page_path(first, page - 1), "Nieuwere berichten",
                                         page < pages ? listing_page_path(first, page + 1) : "",
                                         "Oudere berichten", true);
    const std::string number = std::to_string(page), count = std::to_string(pages);

    // One pass over the shell: what is put in is never searched for markers.
    std::string out;
    out.reserve(shell.size() + summaries.size() + pager.size());
    std::size_t at = 0;
    while (at < shell.size()) {
        const std::size_t marker = shell.find("<!--kade:", at);
        if (marker == std::string_view::npos) break;
        out.append(shell.substr(at, marker - at));
        const std::string_view rest = shell.substr(marker);
        std::string_view found, value;
        for (const auto& [m, v] :
             {std::pair{bundle::shell_page_marker, std::string_view(number)},
              std::pair{bundle::shell_pages_marker, std::string_view(count)},
              std::pair{bundle::shell_results_marker, std::string_view(summaries)},
              std::pair{bundle::shell_pager_marker, std::string_view(pager)}})
            if (rest.starts_with(m)) found = m, value = v;
        if (found.empty()) {
            out.append(rest.substr(0, 1));  // a comment of the page's own
            at = marker + 1;
        } else {
            out.append(value);
            at = marker + found.size();
        }
    }
    out.append(shell.substr(std::min(at, shell.size())));
    return out;
}

}  // namespace kade
