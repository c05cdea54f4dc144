#pragma once
// The bundle's compression dictionary (RFC 9842): trained on the blog's own post pages, served
// at a content-hashed URL, and announced in every HTML page's head.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/dictionary.hpp"
#include "indexer/render/page.hpp"

namespace kade::indexer {

// Where layout.html announces the dictionary; replaced by the link, or by nothing.
inline constexpr std::string_view dictionary_marker = "<!--kade:dictionary-->";
inline constexpr std::string_view dictionary_content_type = "application/x-kade-dictionary";
// At most this many post pages, evenly spaced, are what the dictionary is trained on.
inline constexpr std::size_t dictionary_samples = 500;

struct built_dictionary {
    std::string bytes;  // empty: no dictionary
    dictionary::sha256_digest sha256{};
    std::string path;   // "/static/dict-HEX16.dict"
    bool kept = false;  // the previous bundle's, not trained anew
};

// Trains the dictionary on pages [0, post_pages) (max_bytes 0: none) unless `keep` (the
// previous bundle's, no larger than max_bytes) is given, puts the link to it in place of the
// marker in every HTML page (or removes the marker) and appends the dictionary's own page (an
// immutable asset, purge keys "static dictionary").
built_dictionary add_dictionary(std::vector<page_input>& pages, std::size_t post_pages,
                                std::size_t max_bytes, std::optional<std::string> keep = {});

// add_dictionary in parts, for a build that renders its post pages in batches:
// The post pages (of post_pages) the dictionary is trained on, in order.
std::vector<std::size_t> dictionary_sample_indices(std::size_t post_pages);
// `keep` when it fits max_bytes (0: none), else trained on `samples` (the post pages at
// dictionary_sample_indices, as rendered: with the marker).
built_dictionary make_dictionary(const std::vector<std::string_view>& samples,
                                 std::size_t max_bytes, std::optional<std::string> keep = {});
// What replaces the marker: the <link> to the dictionary, or nothing when there is none.
std::string dictionary_link(const built_dictionary& dict);
// The marker of an HTML page replaced by `link`; other pages are left alone.
void link_dictionary(page_input& page, std::string_view link);
// The dictionary's own page (an immutable asset, purge keys "static dictionary"); none when
// there is no dictionary.
std::optional<page_input> dictionary_page(const built_dictionary& dict);

}  // namespace kade::indexer
