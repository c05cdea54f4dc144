#include "indexer/output/dictionary.hpp"

#include <algorithm>

namespace kade::indexer {

std::vector<std::size_t> dictionary_sample_indices(std::size_t post_pages) {
    // Evenly spaced over the post pages in render order (newest first), so every era's theme
    // is in it.
    std::vector<std::size_t> out;
    const std::size_t n = std::min(post_pages, dictionary_samples);
    for (std::size_t k = 0; k < n; ++k) out.push_back(k * post_pages / n);
    return out;
}

built_dictionary make_dictionary(const std::vector<std::string_view>& samples,
                                 std::size_t max_bytes, std::optional<std::string> keep) {
    built_dictionary out;
    if (max_bytes > 0 && keep && !keep->empty() && keep->size() <= max_bytes) {
        out.bytes = std::move(*keep);
        out.kept = true;
    } else if (max_bytes > 0 && !samples.empty()) {
        out.bytes = dictionary::train(samples, max_bytes);
    }
    if (!out.bytes.empty()) {
        out.sha256 = dictionary::sha256(out.bytes);
        out.path = "/static/dict-" + dictionary::hex(out.sha256).substr(0, 16) + ".dict";
    }
    return out;
}

std::string dictionary_link(const built_dictionary& dict) {
    if (dict.bytes.empty()) return "";
    return "<link rel=\"compression-dictionary\" href=\"" + dict.path + "\">";
}

void link_dictionary(page_input& page, std::string_view link) {
    if (!page.content_type.starts_with("text/html")) return;
    if (const auto at = page.body.find(dictionary_marker); at != std::string::npos)
        page.body.replace(at, dictionary_marker.size(), link);
}

std::optional<page_input> dictionary_page(const built_dictionary& dict) {
    if (dict.bytes.empty()) return std::nullopt;
    return page_input{dict.path,  std::string(dictionary_content_type),
                      dict.bytes, bundle::cache_class::asset,
                      200,        -1,
                      "",         "static dictionary"};
}

built_dictionary add_dictionary(std::vector<page_input>& pages, std::size_t post_pages,
                                std::size_t max_bytes, std::optional<std::string> keep) {
    post_pages = std::min(post_pages, pages.size());
    std::vector<std::string_view> samples;
    // Trained only when there is no dictionary to keep (make_dictionary decides the same).
    if (!(max_bytes > 0 && keep && !keep->empty() && keep->size() <= max_bytes))
        for (const std::size_t i : dictionary_sample_indices(post_pages))
            samples.push_back(pages[i].body);
    built_dictionary out = make_dictionary(samples, max_bytes, std::move(keep));
    const std::string link = dictionary_link(out);
    for (auto& p : pages) link_dictionary(p, link);
    if (auto page = dictionary_page(out)) pages.push_back(std::move(*page));
    return out;
}

}  // namespace kade::indexer
