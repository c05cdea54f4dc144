#pragma once
// A post's plain text and headings, for its snippet, from the bundle's "!text" entry
// (search_document.hpp): as stored, or decompressed when the bundle keeps only its dcz variant.
#include <optional>
#include <string>
#include <string_view>

#include "common/bundle_reader.hpp"

namespace kade::search {

class post_text {
  public:
    // Empty text and headings when the bundle has no text for `url` or its bytes do not check.
    post_text(const bundle::bundle_view& texts, std::string_view url);
    // The views point into this object (or the bundle): it neither copies nor moves.
    post_text(const post_text&) = delete;
    post_text& operator=(const post_text&) = delete;

    std::string_view text() const { return text_; }
    std::string_view headings() const { return headings_; }

  private:
    std::optional<std::string> unpacked_;
    std::string_view text_;
    std::string_view headings_;
};

}  // namespace kade::search
