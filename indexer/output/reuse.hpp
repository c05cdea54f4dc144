#pragma once
// Incremental builds: the compressed variants of every page whose bytes did not change since
// the bundle being replaced are taken from that bundle instead of compressed again. Compressing
// (zstd 6, gzip 9, dcz 19 with the dictionary) is most of the work after rendering, and a new
// post changes only a few dozen of a 10,000-post blog's pages.
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/bundle_format.hpp"
#include "common/bundle_reader.hpp"
#include "common/config.hpp"

namespace kade::indexer {

// An internal entry of every bundle: the settings its compressed bytes depend on
// (compression_settings below). A bundle without it, or with other settings, gives nothing.
inline constexpr std::string_view index_settings_path = "!index-settings";

// What fixes the compressed bytes of a page besides its own bytes: kade-index's version and
// the bundle format, the compression libraries' versions, the levels, and the way this program
// drives the compressors (compression_recipe in reuse.cpp, raised when that code changes).
// The dictionary is compared on its own: without it gzip and zstd can still be taken.
std::string compression_settings(const config& cfg);

// The compressed variants of one page (slots 1.. of bundle::variant_count; identity is the
// caller's), as the previous bundle holds them.
using reused_variants = std::array<std::optional<std::string>, bundle::variant_count>;

class previous_bundle {
  public:
    // The bundle at `path`, when it can give anything to a build with `settings` and
    // `dictionary` (empty: none); otherwise nullptr and `why_not` says why in a few words
    // ("no bundle at PATH", "format version 2", "other compression settings", ...). A bundle
    // that is damaged, truncated or foreign is never an error here: the build is then full.
    static std::unique_ptr<previous_bundle> open(const std::string& path,
                                                 const std::string& settings,
                                                 std::string_view dictionary, std::string& why_not);

    // The gzip, zstd and dcz variants a full build would make for `body` served as
    // `content_type`, when the previous bundle has an entry with exactly these bytes and this
    // type (found by the identity hash every entry records); nullopt otherwise. Thread-safe.
    std::optional<reused_variants> find(std::string_view body, std::string_view content_type) const;

    // Lets go of the pages of the file read so far (they are read again from the file when
    // needed): the bundle is mapped, not copied, so what a build has looked at of it does not
    // add up. Not while find() runs on another thread.
    void release_memory() const;

    ~previous_bundle();
    previous_bundle(const previous_bundle&) = delete;
    previous_bundle& operator=(const previous_bundle&) = delete;

  private:
    previous_bundle() = default;
    void* map_ = nullptr;  // the whole file, read-only
    std::size_t map_size_ = 0;
    bundle::bundle_view view_;
    bool same_dictionary_ = false;
    // Identity hash → entry; a hash two entries share keeps the first (either would do, the
    // bytes and type are compared).
    std::unordered_multimap<std::uint64_t, const bundle::entry_record*> by_hash_;
};

}  // namespace kade::indexer
