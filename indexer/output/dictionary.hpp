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

}  // namespace kade::indexer
