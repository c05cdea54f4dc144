#include "indexer/search_index.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <xapian.h>
#include <xxhash.h>

#include "server/common/dutch.hpp"
#include "server/common/search_document.hpp"

namespace kade::indexer {
namespace {

// Title words count five times, label words three times, body words once (BM25 sees wdf).
constexpr Xapian::termcount title_weight = 5;
constexpr Xapian::termcount label_weight = 3;

std::string without_separators(std::string s) {
    for (char& c : s)
        if (c == '\x1e' || c == '\x1f') c = ' ';
    return s;
}

std::string date_value(const post_time& t) {
    // UTC, so posts written in different offsets sort by instant.
    char buf[32];
    const std::time_t seconds = static_cast<std::time_t>(t.unix_seconds);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

Xapian::Document make_document(const site_post& p, Xapian::TermGenerator& indexer) {
    Xapian::Document doc;
    indexer.set_document(doc);
    indexer.index_text(dutch::fold(p.source.title), title_weight);
    indexer.increase_termpos();
    std::string labels;
    for (const auto& label : p.source.labels) {
        indexer.index_text(dutch::fold(label), label_weight);
        indexer.increase_termpos();
        doc.add_boolean_term(std::string(search_document::label_prefix) + dutch::fold(label));
        if (!labels.empty()) labels += '\x1f';
        labels += without_separators(label);
    }
    indexer.index_text(dutch::fold(p.body.text));
    doc.add_boolean_term(std::string(search_document::year_prefix) +
                         std::to_string(p.source.date.year));
    doc.add_boolean_term(std::string(search_document::url_prefix) + p.url);
    doc.add_value(search_document::date_slot, date_value(p.source.date));
    const std::string title = without_separators(p.source.title);
    doc.set_data(search_document::encode(
        {p.url, title, p.date_iso, labels, without_separators(p.body.text)}));
    return doc;
}

// A glass database starts with its version file: 14 bytes of magic, 2 of version, then a
// random UUID (used only to pair replicas). Replacing it with a hash of the rest keeps the
// bundle byte-identical for identical content.
void make_uuid_deterministic(std::string& db) {
    static constexpr std::string_view glass_magic = "\x0f\x0dXapian Glass";
    constexpr std::size_t uuid_offset = 16, uuid_size = 16;
    if (db.size() < uuid_offset + uuid_size || db.compare(0, glass_magic.size(), glass_magic) != 0)
        return;
    const XXH128_hash_t h =
        XXH3_128bits(db.data() + uuid_offset + uuid_size, db.size() - uuid_offset - uuid_size);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, h);
    std::memcpy(db.data() + uuid_offset, canonical.digest, uuid_size);
}

}  // namespace

std::string build_search_database(const site& s, const std::string& scratch_dir) {
    namespace fs = std::filesystem;
    const fs::path db_dir = fs::path(scratch_dir) / "xapian";
    fs::remove_all(db_dir);
    try {
        Xapian::WritableDatabase db(db_dir.string(),
                                    Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        Xapian::TermGenerator indexer;
        indexer.set_stemmer(dutch::stemmer());
        indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        indexer.set_database(db);
        indexer.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
        for (const auto& p : s.posts) db.add_document(make_document(p, indexer));
        db.commit();
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("search index: " + e.get_description());
    }
    return db_dir.string();
}

std::string single_file_database(const std::string& db_path, const std::string& scratch_dir) {
    namespace fs = std::filesystem;
    const fs::path single = fs::path(scratch_dir) / "xapian.glass";
    try {
        Xapian::Database db(db_path);
        const int fd = ::open(single.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("cannot create " + single.string());
        db.compact(fd, Xapian::DBCOMPACT_SINGLE_FILE);  // takes the descriptor and closes it
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("search index: " + e.get_description());
    }
    std::string bytes;
    std::FILE* f = std::fopen(single.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot read " + single.string());
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
    std::fclose(f);
    fs::remove(single);
    make_uuid_deterministic(bytes);
    return bytes;
}

std::string build_search_index(const site& s, const std::string& scratch_dir) {
    const std::string db = build_search_database(s, scratch_dir);
    std::string bytes = single_file_database(db, scratch_dir);
    std::filesystem::remove_all(db);
    return bytes;
}

}  // namespace kade::indexer
