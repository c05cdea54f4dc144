#include "indexer/output/dictionary.hpp"

#include <algorithm>

namespace kade::indexer {

built_dictionary add_dictionary(std::vector<page_input>& pages, std::size_t post_pages,
                                std::size_t max_bytes, std::optional<std::string> keep) {
    built_dictionary out;
    post_pages = std::min(post_pages, pages.size());
    if (max_bytes > 0 && keep && !keep->empty() && keep->size() <= max_bytes) {
        out.bytes = std::move(*keep);
        out.kept = true;
    } else if (max_bytes > 0 && post_pages > 0) {
        // Evenly spaced over the posts (oldest to newest), so every era's theme is in it.
        std::vector<std::string_view> samples;
        const std::size_t n = std::min(post_pages, dictionary_samples);
        for (std::size_t k = 0; k < n; ++k) samples.push_back(pages[k * post_pages / n].body);
        out.bytes = dictionary::train(samples, max_bytes);
    }
    std::string link;
    if (!out.bytes.empty()) {
        out.sha256 = dictionary::sha256(out.bytes);
        out.path = "/static/dict-" + dictionary::hex(out.sha256).substr(0, 16) + ".dict";
        link = "<link rel=\"compression-dictionary\" href=\"" + out.path + "\">";
    }
    for (auto& p : pages) {
        if (!p.content_type.starts_with("text/html")) continue;
        if (const auto at = p.body.find(dictionary_marker); at != std::string::npos)
            p.body.replace(at, dictionary_marker.size(), link);
    }
    if (!out.bytes.empty())
        pages.push_back({out.path, std::string(dictionary_content_type), out.bytes,
                         bundle::cache_class::asset, 200, -1, "", "static dictionary"});
    return out;
}

}  // namespace kade::indexer
