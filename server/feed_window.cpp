#include "server/feed_window.hpp"

namespace kade {

std::optional<std::string> feed_window(std::string_view feed, const feed_window_query& query) {
    const bool atom = feed.find("<feed ") != std::string_view::npos;
    const std::string_view open = atom ? "<entry>\n" : "<item>\n";
    const std::string_view close = atom ? "</entry>\n" : "</item>\n";
    const std::string_view end = atom ? "</feed>\n" : "</channel>\n</rss>\n";
    if (!feed.ends_with(end)) return std::nullopt;
    std::size_t first = feed.find(open);
    if (first == std::string_view::npos) first = feed.size() - end.size();
    std::string out(feed.substr(0, first));
    std::size_t at = first, index = 1, kept = 0;
    while (feed.compare(at, open.size(), open) == 0) {
        const std::size_t stop = feed.find(close, at);
        if (stop == std::string_view::npos) return std::nullopt;
        const std::size_t next = stop + close.size();
        if (index >= query.start_index && (query.max_results == 0 || kept < query.max_results)) {
            out.append(feed.substr(at, next - at));
            ++kept;
        }
        ++index;
        at = next;
    }
    if (feed.substr(at) != end) return std::nullopt;
    out.append(end);
    return out;
}

}  // namespace kade
