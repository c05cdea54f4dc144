#include "server/home_pages.hpp"

#include <algorithm>

#include "common/bundle_format.hpp"
#include "common/listing_html.hpp"
#include "server/posts_by_date.hpp"

namespace kade {
namespace {

std::string home_page_path(std::size_t page) {
    return page <= 1 ? "/" : "/page/" + std::to_string(page) + "/";
}

}  // namespace

std::optional<std::size_t> later_home_page_number(std::string_view path) {
    constexpr std::string_view prefix = "/page/";
    if (!path.starts_with(prefix) || !path.ends_with('/')) return std::nullopt;
    const std::string_view digits = path.substr(prefix.size(), path.size() - prefix.size() - 1);
    // More digits than any blog has pages would overflow.
    if (digits.empty() || digits.size() > 9 || digits[0] == '0') return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n < 2) return std::nullopt;
    return n;
}

std::optional<std::string> later_home_page(std::string_view shell,
                                           const std::vector<std::string_view>& posts,
                                           std::size_t page, std::size_t per_page) {
    per_page = std::max<std::size_t>(1, per_page);
    const std::size_t pages = std::max<std::size_t>(1, (posts.size() + per_page - 1) / per_page);
    if (page < 2 || page > pages) return std::nullopt;
    std::string summaries;
    const std::size_t begin = (page - 1) * per_page;
    for (std::size_t i = begin; i < std::min(posts.size(), begin + per_page); ++i)
        if (const auto post = parse_listed_post(posts[i]))
            append_listed_post_html(summaries, *post);
    const std::string pager =
        pager_html(home_page_path(page - 1), "Nieuwere berichten",
                   page < pages ? home_page_path(page + 1) : "", "Oudere berichten", true);
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
