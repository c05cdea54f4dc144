#pragma once
// Blogger's feed paging: /feeds/posts/default?start-index=K&max-results=N, as feed readers,
// widgets and backup tools ask for it. The bundle holds each feed's newest entries; a window of
// them is cut out of the stored feed at its entry boundaries (kade-index writes each entry as
// "<entry>\n…</entry>\n", or "<item>\n…</item>\n" in RSS, and escapes their text, so the
// markers cannot occur inside one).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kade {

struct feed_window_query {
    std::size_t start_index = 1;  // 1-based, as Blogger counts
    std::size_t max_results = 0;  // 0: as many as the feed holds
};

// The feed with only the entries [start_index, start_index + max_results) (past its end: the
// feed without entries); nullopt when `feed` is not shaped as kade-index writes feeds.
std::optional<std::string> feed_window(std::string_view feed, const feed_window_query& query);

}  // namespace kade
