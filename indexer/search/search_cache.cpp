#include "indexer/search/search_cache.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <xapian.h>
#include <xxhash.h>

#include "common/files.hpp"
#include "common/text.hpp"

namespace kade::indexer {
namespace {

namespace fs = std::filesystem;

// Raise when what a document is indexed from, or how, changes in a way the settings below do
// not show: caches made before then must not be added to.
constexpr int cache_recipe = 3;  // 2: lines "DOCID HASH URL"; 3: docids oldest first
constexpr std::string_view manifest_name = "manifest";
constexpr std::string_view database_name = "xapian";

// Everything make_document (search_index.cpp) reads of a post, so equal hashes mean equal
// documents.
std::string document_hash(const site_post& p) {
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw std::bad_alloc();
    XXH3_64bits_reset(state);
    auto add = [&](std::string_view field) {
        const std::uint64_t size = field.size();
        XXH3_64bits_update(state, &size, sizeof size);  // so fields cannot run into each other
        XXH3_64bits_update(state, field.data(), field.size());
    };
    add(p.url);
    add(p.source.title);
    for (const auto& label : p.source.labels) add(label);
    add("\x1e");  // the end of the labels
    add(p.body.text);
    add(p.date_iso);
    add(std::to_string(p.source.date.unix_seconds));
    add(std::to_string(p.source.date.year));
    const std::string h = hex64(XXH3_64bits_digest(state));
    XXH3_freeState(state);
    return h;
}

std::string settings_of(const search_index_options& options) {
    std::string out = "kade-index " KADE_VERSION "\n";
    out += "recipe " + std::to_string(cache_recipe) + "\n";
    out += "xapian " + std::string(Xapian::version_string()) + "\n";
    out += "analysis " + options.analysis.serialise() + "\n";
    out += "title " + std::to_string(options.title) + "\n";
    out += "labels " + std::to_string(options.labels) + "\n";
    out += "store_text " + std::to_string(options.store_text ? 1 : 0) + "\n";
    out += "term_lists " + std::to_string(options.term_lists ? 1 : 0) + "\n";
    // The compound dictionary decides the parts every word is split into.
    const std::optional<std::string> dictionary = read_file(options.dictionary);
    out += "dictionary " +
           (dictionary ? hex64(XXH3_64bits(dictionary->data(), dictionary->size()))
                       : std::string("none")) +
           "\n";
    return out;
}

// Size and XXH3 of a file, read in blocks (the position table alone is 0.9 GB at 100,000
// posts); nullopt when it cannot be read.
std::optional<std::string> size_and_hash(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw std::bad_alloc();
    XXH3_64bits_reset(state);
    std::vector<char> block(1 << 20);
    std::uint64_t size = 0;
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        XXH3_64bits_update(state, block.data(), got);
        size += got;
    }
    const bool ok = in.eof() && !in.bad();
    const std::string out = std::to_string(size) + " " + hex64(XXH3_64bits_digest(state));
    XXH3_freeState(state);
    if (!ok) return std::nullopt;
    return out;
}

// One line per file of the database at `database` ("file NAME SIZE HASH", by name; not the lock
// file, which Xapian rewrites): the manifest pins the bytes, so a damaged cache is refused
// before Xapian reads any of it.
std::optional<std::string> file_lines(const fs::path& database) {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& f : fs::directory_iterator(database, ec))
        if (f.path().filename() != "flintlock") names.push_back(f.path().filename().string());
    if (ec || names.empty()) return std::nullopt;
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& name : names) {
        const std::optional<std::string> sized = size_and_hash(database / name);
        if (!sized) return std::nullopt;
        out += "file " + name + " " + *sized + "\n";
    }
    return out;
}

// A document's line of the manifest: "DOCID HASH URL".
struct cached_document {
    unsigned docid = 0;
    std::string_view hash_and_space;  // "HASH ", as in search_cache::documents' lines
    std::string_view url;
};

std::optional<cached_document> parse_document(std::string_view line) {
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 9) return std::nullopt;
    cached_document d;
    for (const char c : line.substr(0, space)) {
        if (c < '0' || c > '9') return std::nullopt;
        d.docid = d.docid * 10 + static_cast<unsigned>(c - '0');
    }
    const std::string_view rest = line.substr(space + 1);
    if (d.docid == 0 || rest.size() < 18 || rest[16] != ' ') return std::nullopt;
    d.hash_and_space = rest.substr(0, 17);
    d.url = rest.substr(17);
    return d;
}

}  // namespace

search_cache::search_cache(const std::string& bundle_path, const search_index_options& options)
    : folder_(bundle_path + ".search"), settings_(settings_of(options)) {}

std::string search_cache::database() const {
    return (fs::path(folder_) / database_name).string();
}

std::string search_cache::documents(const site& docs) {
    std::string out;
    for (std::size_t i = 0; i < searched_count(docs); ++i) {
        const site_post& p = searched_document(docs, i);
        out += document_hash(p) + " " + p.url + "\n";
    }
    return out;
}

std::optional<search_changes> search_cache::reusable(std::string_view documents,
                                                     std::string& why_not) const {
    const std::optional<std::string> manifest = read_file(fs::path(folder_) / manifest_name);
    if (!manifest) {
        why_not = "no search cache at " + folder_;
        return std::nullopt;
    }
    if (!manifest->starts_with(settings_ + "\n")) {
        why_not = "the search cache has other settings";
        return std::nullopt;
    }
    // After the settings, as keep writes them: the files' lines, then the documents' ("DOCID
    // HASH URL", in site order: docids descending).
    std::string files;
    std::vector<cached_document> cached;
    for (const std::string_view line :
         lines_of(std::string_view(*manifest).substr(settings_.size() + 1))) {
        if (line.starts_with("file ")) {
            (files += line) += '\n';
            continue;
        }
        const std::optional<cached_document> d = parse_document(line);
        if (!d || (!cached.empty() && d->docid >= cached.back().docid)) {
            why_not = "the search cache is damaged";
            return std::nullopt;
        }
        cached.push_back(*d);
    }
    if (files.empty() || file_lines(database()) != files) {
        why_not = "the search cache is damaged";
        return std::nullopt;
    }
    std::unordered_map<std::string_view, std::size_t> cached_at;  // URL → index in `cached`
    for (std::size_t j = 0; j < cached.size(); ++j) cached_at.emplace(cached[j].url, j);
    // "HASH URL": the hash is 16 hex digits and a space.
    constexpr std::size_t url_at = 17;
    const std::vector<std::string_view> wanted = lines_of(documents);
    auto url_of = [&](std::string_view line) { return line.substr(std::min(url_at, line.size())); };
    search_changes changes;
    // New posts come first; the rest must be cached documents, in their order.
    while (changes.added < wanted.size() && !cached_at.contains(url_of(wanted[changes.added])))
        ++changes.added;
    std::size_t next = 0;  // the first cached document not yet passed
    for (std::size_t k = changes.added; k < wanted.size(); ++k) {
        const auto found = cached_at.find(url_of(wanted[k]));
        if (found == cached_at.end() || found->second < next) {
            why_not = "posts were moved or added between others";
            return std::nullopt;
        }
        for (; next < found->second; ++next) changes.removed.push_back(cached[next].docid);
        const cached_document& d = cached[next++];
        if (wanted[k].substr(0, url_at) != d.hash_and_space)
            changes.edited.emplace_back(k, d.docid);
    }
    for (; next < cached.size(); ++next) changes.removed.push_back(cached[next].docid);
    return changes;
}

bool search_cache::keep(const std::string& db_path, std::string_view documents,
                        const std::vector<unsigned>& docids) const {
    std::error_code ec;
    const fs::path folder(folder_);
    const fs::path database = folder / database_name;
    // The cached database itself (nothing was added or edited): it and its manifest stand.
    if (fs::equivalent(db_path, database, ec)) return true;
    ec.clear();
    // From here until the new manifest is written there is no cache.
    fs::remove(folder / manifest_name, ec);
    fs::remove_all(folder, ec);
    fs::create_directories(folder, ec);
    if (ec) return false;
    fs::rename(db_path, database, ec);
    if (ec) {  // another file system
        ec.clear();
        fs::copy(db_path, database, fs::copy_options::recursive, ec);
        if (ec) return false;
    }
    // The settings, then the files as they are now, then the documents.
    const std::optional<std::string> files = file_lines(database);
    if (!files) return false;
    const fs::path written = folder / (std::string(manifest_name) + ".new");
    {
        std::ofstream out(written, std::ios::binary | std::ios::trunc);
        out << settings_ << "\n" << *files;
        // In site order, which is descending docid order.
        const std::vector<std::string_view> lines = lines_of(documents);
        if (lines.size() != docids.size()) return false;
        for (std::size_t k = 0; k < lines.size(); ++k) out << docids[k] << ' ' << lines[k] << '\n';
        if (!out.flush()) return false;
    }
    fs::rename(written, folder / manifest_name, ec);
    return !ec;
}

}  // namespace kade::indexer
