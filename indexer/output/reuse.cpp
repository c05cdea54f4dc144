#include "indexer/output/reuse.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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
    out += settings_line("dcz_listing_level", std::to_string(cfg.index.dcz_listing_level));
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
    // Mapped, not read into memory: a private mapping keeps the bytes this build opened even
    // when the file is replaced meanwhile (rename makes a new file; nobody writes in place).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size == 0) {
        if (fd >= 0) ::close(fd);
        why_not = "cannot read " + path;
        return nullptr;
    }
    void* map =
        ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
        why_not = "cannot read " + path;
        return nullptr;
    }
    p->map_ = map;
    p->map_size_ = static_cast<std::size_t>(st.st_size);
    // Every checksum, bound and the build id: a damaged or foreign file lends nothing. Each
    // block is let go once hashed, so the check holds one block of the old bundle in memory
    // rather than all of it (2.5 GB at 100,000 posts); pages read later come back from the file.
    const std::string_view bytes(static_cast<const char*>(p->map_), p->map_size_);
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::uint64_t hashed_from = 0, hashed_to = 0;
    const bundle::bundle_view::block_reader read = [&](std::uint64_t offset, std::size_t size,
                                                       std::string&) {
        const std::uint64_t from = hashed_from / page * page;
        const std::uint64_t to =
            std::min<std::uint64_t>((hashed_to + page - 1) / page * page, p->map_size_);
        if (to > from) ::madvise(static_cast<char*>(p->map_) + from, to - from, MADV_DONTNEED);
        hashed_from = offset;
        hashed_to = offset + size;
        return bytes.substr(offset, size);
    };
    std::string error;
    auto view = bundle::bundle_view::open_structure(bytes, error);
    if (view && !view->verify_contents(error, nullptr, read)) view.reset();
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
    p->release_memory();  // verifying read every byte
    return p;
}

previous_bundle::~previous_bundle() {
    if (map_) ::munmap(map_, map_size_);
}

void previous_bundle::release_memory() const {
    if (map_) ::madvise(map_, map_size_, MADV_DONTNEED);
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
