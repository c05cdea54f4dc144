#include "indexer/output/reuse.hpp"

#include <cstring>
#include <filesystem>

#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include "common/files.hpp"
#include "common/search_document.hpp"

namespace kade::indexer {
namespace {

// Raise when common/compress.cpp or common/dictionary.cpp change how they call the
// compressors (window, memory level, frame flags, the dcz header): bundles made before then
// must not lend their bytes.
constexpr int compression_recipe = 2;  // 2: snippet texts as dcz

std::string settings_line(std::string_view name, std::string_view value) {
    return std::string(name) + " " + std::string(value) + "\n";
}

}  // namespace

std::string compression_settings(const config& cfg) {
    std::string out;
    out += settings_line("kade-index", KADE_VERSION);
    out += settings_line("format", std::to_string(bundle::format_version));
    out += settings_line("recipe", std::to_string(compression_recipe));
    out += settings_line("zstd", ZSTD_versionString());
    out += settings_line("zlib", zlibVersion());
    out += settings_line("gzip_level", std::to_string(cfg.index.gzip_level));
    out += settings_line("dcz_level", std::to_string(cfg.index.dcz_level));
    return out;
}

std::unique_ptr<previous_bundle> previous_bundle::open(const std::string& path,
                                                       const std::string& settings,
                                                       std::string_view dictionary,
                                                       std::string& why_not) {
    std::error_code ec;
    // Not a FIFO or a folder: reading one would wait or fail.
    if (!std::filesystem::is_regular_file(path, ec)) {
        why_not = "no bundle at " + path;
        return nullptr;
    }
    std::unique_ptr<previous_bundle> p(new previous_bundle());
    std::optional<std::string> bytes = read_file(path);
    if (!bytes) {
        why_not = "cannot read " + path;
        return nullptr;
    }
    p->bytes_ = std::move(*bytes);
    // Every checksum, bound and the build id: a damaged or foreign file lends nothing.
    std::string error;
    auto view = bundle::bundle_view::open(p->bytes_, error);
    if (!view) {
        why_not = path + ": " + error;
        return nullptr;
    }
    p->view_ = *view;
    const bundle::entry_record* recorded = p->view_.find(index_settings_path);
    if (!recorded) {
        why_not = path + " records no compression settings (an older kade-index)";
        return nullptr;
    }
    if (p->view_.body(*recorded, 0) != settings) {
        why_not = path + " was built with other compression settings or another kade-index";
        return nullptr;
    }
    p->same_dictionary_ = p->view_.dictionary_bytes() == dictionary;
    for (const auto& e : p->view_.entries()) p->by_hash_.emplace(e.variants[0].hash, &e);
    return p;
}

std::optional<reused_variants> previous_bundle::find(std::string_view body,
                                                     std::string_view content_type) const {
    // HTML pages and snippet texts hold a dcz variant made with the dictionary: another one
    // means compressing again (pages link the dictionary by its hash, so they differ anyway).
    if (!same_dictionary_ &&
        (content_type.starts_with("text/html") || content_type == search_document::text_entry_type))
        return std::nullopt;
    const std::uint64_t hash = XXH3_64bits(body.data(), body.size());
    const auto [from, to] = by_hash_.equal_range(hash);
    for (auto it = from; it != to; ++it) {
        const bundle::entry_record& e = *it->second;
        if (e.variants[0].size != body.size() || view_.str(e.content_type) != content_type)
            continue;
        // The bytes themselves where the bundle stores them; otherwise size and 64-bit hash.
        if (view_.holds(e, 0) && view_.body(e, 0) != body) continue;
        reused_variants out;
        for (std::size_t v = 1; v < bundle::variant_count; ++v)
            if (view_.holds(e, v)) out[v] = std::string(view_.body(e, v));
        return out;
    }
    return std::nullopt;
}

}  // namespace kade::indexer
