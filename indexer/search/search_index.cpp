#include "indexer/search/search_index.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <xapian.h>
#include <xxhash.h>

#include "common/dutch.hpp"
#include "common/files.hpp"
#include "common/search_document.hpp"
#include "indexer/parallel.hpp"
#include "indexer/search/glass_file.hpp"

namespace kade::indexer {
namespace {

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

// A worker's stemmer that remembers each word's stem: posts repeat their words (a
// 2,000-post blog has 2.2 million words, 40,500 different ones), and the stemmer with
// the Dutch overrides was half of TermGenerator's time. One per worker, as a Stem is not
// thread-safe; the memo is emptied when it holds a million words, whatever the text.
class remembering_stem : public Xapian::StemImplementation {
  public:
    explicit remembering_stem(Xapian::Stem stem) : stem_(std::move(stem)) {}

    std::string operator()(const std::string& word) override {
        if (const auto found = memo_.find(word); found != memo_.end()) return found->second;
        if (memo_.size() >= max_words) memo_.clear();
        return memo_.emplace(word, stem_(word)).first->second;
    }
    std::string get_description() const override { return stem_.get_description(); }

  private:
    static constexpr std::size_t max_words = 1 << 20;
    Xapian::Stem stem_;
    std::unordered_map<std::string, std::string> memo_;
};

// Compound parts of one analysed text, as extra stemmed terms. They get wdf 0:
// the post matches a query for a part ("klant" finds "klantcontact"), but BM25 gives the part
// no weight of its own (wdf 0 scores 0) and the document length is unchanged, so a post with the
// word itself ranks above one that only has it inside a compound. No positions: a phrase
// "klant contact" does not match "klantcontact", while the words klant contact (AND) do.
class part_indexer {
  public:
    part_indexer(Xapian::Stem stem, dutch::compound_splitter* splitter)
        : stem_(std::move(stem)), splitter_(splitter) {}

    void add(std::string_view folded, Xapian::Document& doc) {
        std::size_t prev_end = std::string_view::npos;
        std::string_view prev;
        dutch::for_each_word(folded, [&](std::size_t b, std::size_t e) {
            const std::string_view word = folded.substr(b, e - b);
            for (const std::string& t : terms_of(word)) doc.add_term(t, 0);
            // "e-mail", "auto-ongeluk": TermGenerator indexes the parts; a reader may also
            // type the whole without the hyphen. That is the word itself, so it counts fully
            // (wdf 1), unlike a compound's part.
            if (prev_end != std::string_view::npos && b == prev_end + 1 &&
                folded[prev_end] == '-' && prev.size() + word.size() <= dutch::max_word_bytes) {
                std::string joined(prev);
                joined += word;
                doc.add_term("Z" + stem_(joined), 1);
            }
            prev = word;
            prev_end = e;
        });
    }

  private:
    const std::vector<std::string>& terms_of(std::string_view word) {
        // A word TermGenerator leaves out (too long) has no parts worth a term either.
        static const std::vector<std::string> none;
        if (word.size() > dutch::max_word_bytes) return none;
        // Looked up without building a string: most words were seen before.
        if (const auto found = memo_.find(word); found != memo_.end()) return found->second;
        auto [it, inserted] = memo_.try_emplace(std::string(word));
        if (inserted && splitter_ != nullptr) {
            const std::string whole = stem_(it->first);
            for (const std::string& part : splitter_->split(it->first)) {
                std::string t = stem_(part);
                if (t != whole) it->second.push_back("Z" + t);
            }
        }
        return it->second;
    }

    Xapian::Stem stem_;
    dutch::compound_splitter* splitter_;
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    // folded word → terms
    std::unordered_map<std::string, std::vector<std::string>, string_hash, std::equal_to<>> memo_;
};

Xapian::Document make_document(const site_post& p, const dutch::analysis_options& options,
                               const search_index_options& weights, Xapian::TermGenerator& indexer,
                               part_indexer& parts) {
    Xapian::Document doc;
    indexer.set_document(doc);
    const std::string title = dutch::normalise(p.source.title, options);
    indexer.index_text(title, weights.title);
    indexer.increase_termpos();
    std::string labels;
    for (const auto& label : p.source.labels) {
        indexer.index_text(dutch::normalise(label, options), weights.labels);
        indexer.increase_termpos();
        doc.add_boolean_term(std::string(search_document::label_prefix) + dutch::fold(label));
        if (!labels.empty()) labels += '\x1f';
        labels += without_separators(label);
    }
    const std::string body = dutch::normalise(p.body.text, options);
    indexer.index_text(body);
    if (options.compounds) {
        // The text is folded already unless the analysis keeps accents.
        parts.add(options.fold ? title : dutch::fold(p.source.title), doc);
        parts.add(dutch::fold(labels), doc);
        parts.add(options.fold ? body : dutch::fold(p.body.text), doc);
    }
    const std::string year = std::to_string(p.source.date.year);
    doc.add_boolean_term(std::string(search_document::year_prefix) + year);
    doc.add_boolean_term(std::string(search_document::url_prefix) + p.url);
    doc.add_value(search_document::date_slot, date_value(p.source.date));
    doc.add_value(search_document::labels_slot, labels);
    doc.add_value(search_document::year_slot, year);
    doc.set_data(search_document::encode(
        {p.url, without_separators(p.source.title), p.date_iso, labels,
         weights.store_text ? without_separators(p.body.text) : std::string()}));
    return doc;
}

// A glass database starts with its version file: 14 bytes of magic, 2 of version, then a
// random UUID (used only to pair replicas). Replacing it with a hash of the rest keeps the
// bundle byte-identical for identical content. Reads the file in blocks and writes the 16 bytes
// in place.
void make_uuid_deterministic(const std::string& path) {
    static constexpr std::string_view glass_magic = "\x0f\x0dXapian Glass";
    constexpr std::size_t uuid_offset = 16, uuid_size = 16;
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path);
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_fd{fd};
    std::vector<char> block(1 << 20);
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw std::runtime_error("out of memory");
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> own_state(state, XXH3_freeState);
    XXH3_128bits_reset(state);
    std::uint64_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, block.data(), block.size(), static_cast<off_t>(offset));
        if (n < 0) throw std::runtime_error("cannot read " + path);
        if (n == 0) break;
        std::string_view got(block.data(), static_cast<std::size_t>(n));
        if (offset == 0) {
            if (got.size() < uuid_offset + uuid_size || !got.starts_with(glass_magic)) return;
            got.remove_prefix(uuid_offset + uuid_size);
        }
        XXH3_128bits_update(state, got.data(), got.size());
        offset += static_cast<std::uint64_t>(n);
    }
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state));
    if (::pwrite(fd, canonical.digest, uuid_size, uuid_offset) != static_cast<ssize_t>(uuid_size))
        throw std::runtime_error("cannot write " + path);
}

}  // namespace

Xapian::Stem worker_stemmer(const dutch::analysis_options& analysis) {
    return Xapian::Stem(new remembering_stem(dutch::stemmer(analysis)));
}

Xapian::TermGenerator term_generator(const Xapian::Stem& stem) {
    Xapian::TermGenerator indexer;
    indexer.set_stemmer(stem);
    indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    return indexer;
}

std::string build_search_database(const site& s, const std::string& scratch_dir) {
    static const search_index_options defaults;
    return build_search_database(s, scratch_dir, defaults);
}

namespace {

int term_list_flag(const search_index_options& options) {
    return options.term_lists ? 0 : Xapian::DB_NO_TERMLIST;
}

// Calls f(word, n) for each spelling word of a term list: its unprefixed terms (stems,
// compound parts and filter terms have upper-case prefixes), each with its number of positions
// (one per occurrence of the word).
template <typename F>
void for_each_spelling_word(Xapian::TermIterator t, const Xapian::TermIterator& end, F&& f) {
    for (; t != end; ++t) {
        const std::string& term = *t;
        if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;
        if (const Xapian::termcount n = t.positionlist_count(); n != 0) f(term, n);
    }
}

// The spelling data TermGenerator's FLAG_SPELLING would add, gathered for the whole build
// instead of per word. With the flag, every occurrence of a word is an add_spelling call, a
// look-up in the spelling table's std::map of pending changes (a third of the indexing time).
// The words it adds are exactly a document's unprefixed terms, once per position (each
// occurrence of a word is one position; stems, compound parts and filter terms have upper-case
// prefixes), and the table keeps only each word's total and its fragments, so one add_spelling
// per word with the sum stores the same data. Added once to the merged database, not to each
// slice: a word in every slice had its fragments built in each and merged again by the
// compaction (a quarter of the phase's CPU at 2,000 posts).
class spelling_words {
  public:
    // XAPIAN_CJK_NGRAM makes TermGenerator add CJK n-grams without positions, which this
    // count would miss: then the flag stays.
    static bool usable() { return std::getenv("XAPIAN_CJK_NGRAM") == nullptr; }

    void count(const Xapian::Document& doc) {
        for_each_spelling_word(
            doc.termlist_begin(), doc.termlist_end(),
            [&](const std::string& word, Xapian::termcount n) { counts_[word] += n; });
    }

    void merge(spelling_words&& other) {
        if (counts_.empty()) {
            counts_ = std::move(other.counts_);
            return;
        }
        for (const auto& [word, n] : other.counts_) counts_[word] += n;
        other.counts_.clear();
    }

    // Adds the words to the database at `dir` (one commit), made with or without term lists
    // as `options` say: one made without them must be opened so, or Xapian looks for the table.
    void add_to(const std::string& dir, const search_index_options& options) {
        if (counts_.empty()) return;
        Xapian::WritableDatabase db(dir,
                                    Xapian::DB_OPEN | Xapian::DB_NO_SYNC | term_list_flag(options));
        for (const auto& [word, n] : counts_) db.add_spelling(word, n);
        db.commit();
        counts_.clear();
    }

  private:
    std::unordered_map<std::string, Xapian::termcount> counts_;
};

// Indexes searched documents [begin, end) into a new database at `dir`, the last first (docids
// ascend from the oldest post), counting their spelling words into `spelling` (added by the
// caller once every slice is merged). Committing every few thousand documents bounds the memory
// Xapian buffers (its default is 10,000) without changing a byte. Databases in the scratch
// folder are not synced to disk (DB_NO_SYNC): the bundle is (write_file_atomically), and the
// search cache's manifest pins its files' hashes, so a cache a crash left torn is refused.
void index_range(const site& s, std::size_t begin, std::size_t end, const std::string& dir,
                 const dutch::analysis_options& analysis, const search_index_options& options,
                 const Xapian::Stem& stem, part_indexer& parts, spelling_words& spelling) {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                         Xapian::DB_NO_SYNC | term_list_flag(options));
    Xapian::TermGenerator indexer = term_generator(stem);
    const bool own_spelling = spelling_words::usable();
    if (!own_spelling) {
        indexer.set_database(db);
        indexer.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    }
    for (std::size_t i = end; i-- > begin;) {
        const Xapian::Document doc =
            make_document(searched_document(s, i), analysis, options, indexer, parts);
        if (own_spelling) spelling.count(doc);
        db.add_document(doc);
        if ((end - i) % posts_per_commit == 0) db.commit();
    }
    db.set_metadata(std::string(dutch::analysis_key), analysis.serialise());
    // Slices are contiguous runs of the site, merged last first, so the merged database keeps
    // reverse site order too.
    db.set_metadata(std::string(search_document::docid_order_key),
                    std::string(search_document::docid_order_site_reversed));
    db.commit();
}

// The analysis to index with: compounds only when the dictionary loads into `splitter`.
dutch::analysis_options load_analysis(const search_index_options& options,
                                      dutch::compound_splitter& splitter) {
    dutch::analysis_options analysis = options.analysis;
    if (analysis.compounds && !splitter.load(options.dictionary)) {
        std::fprintf(stderr,
                     "kade-index: warning: cannot read the compound dictionary %s (install "
                     "wdutch); compounds are not split\n",
                     options.dictionary.c_str());
        analysis.compounds = false;
    }
    return analysis;
}

// How many slices the posts are indexed in: a fixed number from the post count alone, never
// from the machine's cores, so the merged bytes are the same on every machine.
std::size_t slice_count(std::size_t posts, const search_index_options& options) {
    if (posts < options.parallel_from || posts < 2) return 1;
    return std::clamp<std::size_t>(options.slices, 1, posts);
}

// Indexes every searched document of `s` in contiguous slices, slice k into its own database at
// `dirs[k]`, on every core: each worker thread has its own writers, TermGenerator, stemmer and
// compound memo (none of them is thread-safe). Document i is docid end(k) - i in its slice.
spelling_words index_slices(const site& s, const std::vector<std::string>& dirs,
                            const dutch::analysis_options& analysis,
                            const search_index_options& options,
                            dutch::compound_splitter& splitter) {
    const std::size_t n = searched_count(s);
    const std::size_t slices = dirs.size();
    const std::size_t workers =
        std::min<std::size_t>(slices, std::max(1u, std::thread::hardware_concurrency()));
    // The splitter memoises; worker 0 uses the one loaded, the others a copy each. The copies
    // are made before any worker starts: copying while worker 0 fills the memo was a data race
    // (a copy could take a word's parts half written, and so leave a part term out).
    std::vector<dutch::compound_splitter> copies;
    if (analysis.compounds) copies.assign(workers - 1, splitter);
    std::atomic<std::size_t> next{0};
    spelling_words all;
    std::mutex all_mutex;
    parallel_for(workers, [&](std::size_t worker) {
        dutch::compound_splitter* own = nullptr;
        if (analysis.compounds) own = worker == 0 ? &splitter : &copies[worker - 1];
        // One stemmer for the worker's TermGenerators and parts (a Stem is not thread-safe).
        const Xapian::Stem stem = worker_stemmer(analysis);
        part_indexer parts(stem, own);
        spelling_words spelling;
        for (std::size_t k = next++; k < slices; k = next++)
            index_range(s, k * n / slices, (k + 1) * n / slices, dirs[k], analysis, options, stem,
                        parts, spelling);
        const std::lock_guard lock(all_mutex);  // sums: the order of merging does not matter
        all.merge(std::move(spelling));
    });
    return all;
}

// The slice databases, the last first, as one: the default compaction renumbers each by the
// last docid of those before it, so searched document i of n becomes docid n - i again, and
// the terms, statistics, values and spelling data are those of one database built in one go.
Xapian::Database slices_as_one(const std::vector<std::string>& dirs) {
    Xapian::Database all;
    for (auto dir = dirs.rbegin(); dir != dirs.rend(); ++dir)
        all.add_database(Xapian::Database(*dir));
    return all;
}

std::vector<std::string> slice_dirs(const std::string& scratch_dir, std::size_t count) {
    namespace fs = std::filesystem;
    std::vector<std::string> dirs;
    for (std::size_t k = 0; k < count; ++k) {
        dirs.push_back((fs::path(scratch_dir) / ("xapian-" + std::to_string(k + 1))).string());
        fs::remove_all(dirs.back());
    }
    return dirs;
}

}  // namespace

std::string build_search_database(const site& s, const std::string& scratch_dir,
                                  const search_index_options& options) {
    namespace fs = std::filesystem;
    const fs::path db_dir = fs::path(scratch_dir) / "xapian";
    fs::remove_all(db_dir);
    dutch::compound_splitter splitter;
    const dutch::analysis_options analysis = load_analysis(options, splitter);
    const std::size_t slices = slice_count(searched_count(s), options);
    try {
        // One slice too is compacted, and the spellings go into a slice before the compaction:
        // the folder's tables are then laid out compactly (the spelling table 40 % smaller
        // than added afterwards), and the bundle's copy of its blocks with them.
        const std::vector<std::string> dirs = slice_dirs(scratch_dir, slices);
        index_slices(s, dirs, analysis, options, splitter).add_to(dirs.front(), options);
        Xapian::Database all = slices_as_one(dirs);
        all.compact(db_dir.string());
        all.close();
        for (const auto& dir : dirs) fs::remove_all(dir);
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("search index: " + e.get_description());
    }
    return db_dir.string();
}

namespace {

// The greatest wdf in a term list.
template <typename Iterator>
Xapian::termcount peak_wdf(Iterator t, const Iterator& end) {
    Xapian::termcount peak = 0;
    for (; t != end; ++t) peak = std::max(peak, t.get_wdf());
    return peak;
}

// Xapian keeps database-wide bounds: document length and wdf, which the matcher prunes by, and
// each value slot's range. It widens them to a new document's but never narrows them when an old
// one goes, so after an edit or a removal in place they may be looser than a full build's. A
// looser length or wdf bound could change an answer: the two checks below refuse such a change.
// A looser value range cannot: kade-serve asks no value-range query (sorting by date and the
// facet counts read the values themselves), so it is left as it is.

// Empty when replacing (or, with `doc` null, removing) document `id` of `db` leaves the greatest
// wdf a full build would record; else why not. Xapian's wdf bound for a term is min(collection
// frequency, the database's bound), so asking it for the document's most frequent term (in a
// real blog a word like "de", far more frequent than any wdf) tells whether the database's bound
// is above this document's greatest wdf, that is, held by another document. When it cannot tell,
// the change is refused: finding the greatest wdf otherwise means reading every posting.
std::string wdf_bound_change(const Xapian::Database& db, Xapian::docid id,
                             const Xapian::Document* doc) {
    const Xapian::termcount before = peak_wdf(db.termlist_begin(id), db.termlist_end(id));
    const Xapian::termcount after = doc ? peak_wdf(doc->termlist_begin(), doc->termlist_end()) : 0;
    if (after >= before) return {};
    std::string frequent;
    Xapian::termcount most = 0;
    for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
        if (const Xapian::termcount cf = db.get_collection_freq(*t); cf > most) {
            most = cf;
            frequent = *t;
        }
    }
    if (most > before && db.get_wdf_upper_bound(frequent) > before) return {};
    return std::string(doc ? "an edited" : "a removed") + " post held the greatest wdf";
}

// Empty when the document length bounds of `db` are the tightest, as a full build records them;
// else why not. Reads every document's length (milliseconds at 10,000 posts).
std::string loose_length_bound(const Xapian::Database& db) {
    Xapian::termcount shortest = std::numeric_limits<Xapian::termcount>::max(), longest = 0;
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
        shortest = std::min(shortest, d.get_doclength());
        longest = std::max(longest, d.get_doclength());
    }
    if (db.get_doccount() > 0 &&
        (shortest != db.get_doclength_lower_bound() || longest != db.get_doclength_upper_bound()))
        return "the shortest or longest post was edited or removed";
    return {};
}

// Makes `changes` in the database at `dir`: each edited post's document replaced by the post as
// it is now, each removed document deleted, each new post added, the oldest first (so each gets
// a docid above every other, as a full build numbers them), and their words in the spelling data
// with them. Edits and removals need term lists. Returns why not when a bound would be looser
// than a full build's (the database is then not to be used).
std::string change_in_place(const site& s, const search_changes& changes, const std::string& dir,
                            const dutch::analysis_options& analysis,
                            const search_index_options& options,
                            dutch::compound_splitter& splitter) {
    Xapian::WritableDatabase db(dir, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
    const Xapian::Stem stem = worker_stemmer(analysis);
    part_indexer parts(stem, analysis.compounds ? &splitter : nullptr);
    Xapian::TermGenerator indexer = term_generator(stem);
    std::vector<std::pair<Xapian::docid, Xapian::Document>> docs;
    std::unordered_map<std::string, std::int64_t> delta;
    // The old document's words leave the spelling data.
    auto take_out = [&](Xapian::docid id) {
        for_each_spelling_word(db.termlist_begin(id), db.termlist_end(id),
                               [&](const std::string& word, Xapian::termcount n) {
                                   delta[word] -= static_cast<std::int64_t>(n);
                               });
    };
    auto put_in = [&](const Xapian::Document& doc) {
        for_each_spelling_word(doc.termlist_begin(), doc.termlist_end(),
                               [&](const std::string& word, Xapian::termcount n) {
                                   delta[word] += static_cast<std::int64_t>(n);
                               });
    };
    for (const auto& [i, id] : changes.edited) {
        Xapian::Document doc =
            make_document(searched_document(s, i), analysis, options, indexer, parts);
        if (std::string why = wdf_bound_change(db, id, &doc); !why.empty()) return why;
        take_out(id);
        put_in(doc);
        docs.emplace_back(id, std::move(doc));
    }
    for (const Xapian::docid id : changes.removed) {
        if (std::string why = wdf_bound_change(db, id, nullptr); !why.empty()) return why;
        take_out(id);
    }
    for (auto& [id, doc] : docs) db.replace_document(id, doc);
    for (const Xapian::docid id : changes.removed) db.delete_document(id);
    for (std::size_t i = changes.added; i-- > 0;) {
        const Xapian::Document doc =
            make_document(searched_document(s, i), analysis, options, indexer, parts);
        put_in(doc);
        db.add_document(doc);
    }
    for (const auto& [word, n] : delta) {
        if (n > 0) db.add_spelling(word, static_cast<Xapian::termcount>(n));
        if (n < 0) db.remove_spelling(word, static_cast<Xapian::termcount>(-n));
    }
    db.commit();
    return loose_length_bound(db);
}

}  // namespace

std::optional<std::string> update_search_database(const site& s, const search_changes& changes,
                                                  const std::string& previous_db,
                                                  const std::string& scratch_dir,
                                                  const search_index_options& options,
                                                  std::string& why_not) {
    namespace fs = std::filesystem;
    const fs::path changed_dir = fs::path(scratch_dir) / "xapian-changed";
    fs::remove_all(changed_dir);
    dutch::compound_splitter splitter;
    const dutch::analysis_options analysis = load_analysis(options, splitter);
    const std::size_t added = changes.added;
    try {
        {
            Xapian::Database previous(previous_db);
            // Indexed another way (a compound dictionary that no longer loads, say): no mixing.
            if (previous.get_metadata(std::string(dutch::analysis_key)) != analysis.serialise()) {
                why_not = "the search cache has another analysis";
                return std::nullopt;
            }
            // Numbered newest first (an earlier kade-index): a new post cannot go at the end.
            if (previous.get_metadata(std::string(search_document::docid_order_key)) !=
                search_document::docid_order_site_reversed) {
                why_not = "the search cache numbers its posts the other way";
                return std::nullopt;
            }
            if (previous.get_doccount() + added != searched_count(s) + changes.removed.size())
                throw std::runtime_error(
                    previous_db + " holds " + std::to_string(previous.get_doccount()) +
                    " documents, not " +
                    std::to_string(searched_count(s) + changes.removed.size() - added));
        }
        const bool in_place = !changes.edited.empty() || !changes.removed.empty();
        // Nothing new, edited or removed: the cached database is the database (its files'
        // hashes were checked against the manifest before this was asked).
        if (added == 0 && !in_place) return previous_db;
        if (in_place && !options.term_lists) {
            why_not = "posts were edited or removed (the search cache has no term lists)";
            return std::nullopt;
        }
        // The words a change adds or takes out are counted as a full build counts them; with
        // the flag's own count (CJK n-grams) they cannot be.
        if (!spelling_words::usable()) {
            why_not = "posts were added, edited or removed (and XAPIAN_CJK_NGRAM is set)";
            return std::nullopt;
        }
        fs::copy(previous_db, changed_dir, fs::copy_options::recursive);
        why_not = change_in_place(s, changes, changed_dir.string(), analysis, options, splitter);
        if (!why_not.empty()) return std::nullopt;
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("search index: " + e.get_description());
    }
    return changed_dir.string();
}

std::vector<unsigned> document_ids(const std::string& db_path, const site& s) {
    std::vector<unsigned> ids(searched_count(s), 0);
    try {
        const Xapian::Database db(db_path);
        // One pass over the URL terms (in byte order), each with its one document.
        std::unordered_map<std::string, Xapian::docid> by_url;
        const std::string prefix(search_document::url_prefix);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            by_url.emplace((*t).substr(prefix.size()), *db.postlist_begin(*t));
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::string& url = searched_document(s, i).url;
            const auto found = by_url.find(url);
            if (found == by_url.end())
                throw std::runtime_error("search index: no document for " + url);
            ids[i] = found->second;
        }
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("search index: " + e.get_description());
    }
    return ids;
}

namespace {

// The database at `db_path` without its termlist table, as hard links in `lean_dir`. The
// server never reads a document's term list (matching, snippets, facets and suggestions use
// the posting lists, values, document data and spelling table), and glass opens a database
// without one. Writers, related posts and shard copies need it: they read the folder database.
void link_without_termlist(const std::filesystem::path& db_path,
                           const std::filesystem::path& lean_dir) {
    namespace fs = std::filesystem;
    fs::remove_all(lean_dir);
    fs::create_directories(lean_dir);
    for (const auto& file : fs::directory_iterator(db_path)) {
        if (file.path().filename() == "termlist.glass") continue;
        std::error_code linked;
        fs::create_hard_link(file.path(), lean_dir / file.path().filename(), linked);
        if (linked) fs::copy_file(file.path(), lean_dir / file.path().filename());
    }
}

}  // namespace

std::string single_file_database_file(const std::string& db_path, const std::string& scratch_dir) {
    namespace fs = std::filesystem;
    // Named after the database's folder, so the main database's file stays whole while the
    // shards are made next to it.
    const std::string name = fs::path(db_path).lexically_normal().filename().string();
    const fs::path lean = fs::path(scratch_dir) / (name + "-lean");
    const fs::path single = fs::path(scratch_dir) / (name + ".glass");
    // Copying the blocks (indexer/search/glass_file.hpp) is what every database of this
    // Xapian gives; compaction stays for a format it does not know.
    if (!write_glass_file(db_path, single.string()).empty()) {
        try {
            link_without_termlist(db_path, lean);
            Xapian::Database db(lean.string());
            const int fd = ::open(single.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (fd < 0) throw std::runtime_error("cannot create " + single.string());
            db.compact(fd, Xapian::DBCOMPACT_SINGLE_FILE);  // takes the descriptor and closes it
        } catch (const Xapian::Error& e) {
            throw std::runtime_error("search index: " + e.get_description());
        }
        fs::remove_all(lean);
        make_uuid_deterministic(single.string());
    }
    return single.string();
}

std::string single_file_database(const std::string& db_path, const std::string& scratch_dir) {
    const std::string single = single_file_database_file(db_path, scratch_dir);
    std::optional<std::string> bytes = read_file(single);
    std::filesystem::remove(single);
    if (!bytes) throw std::runtime_error("cannot read " + single);
    return std::move(*bytes);
}

std::vector<std::string> build_shard_databases(const std::string& db_path, unsigned count,
                                               const std::string& scratch_dir) {
    namespace fs = std::filesystem;
    std::vector<std::string> dirs;
    for (unsigned k = 0; k < count; ++k)
        dirs.push_back((fs::path(scratch_dir) / ("shard-" + std::to_string(k))).string());
    // One shard per task, each with its own handles (Xapian objects are not thread-safe): the
    // copy costs about what indexing did, so both cores help.
    parallel_for(count, [&](std::size_t k) {
        try {
            Xapian::Database whole(db_path);
            // Written, then compacted into dirs[k]: the bundle copies a folder's blocks as
            // they are, and a writer's leave a third of the space empty.
            const std::string written = dirs[k] + "-written";
            fs::remove_all(written);
            fs::remove_all(dirs[k]);
            Xapian::WritableDatabase shard(
                written, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
            // By position in docid order, not by docid: after removals in place there are gaps.
            std::size_t j = 0;
            for (auto d = whole.postlist_begin(""); d != whole.postlist_end(""); ++d, ++j)
                if (j % count == k) shard.add_document(whole.get_document(*d));
            // Round robin keeps site order across the shards in order.
            for (const std::string_view key :
                 {dutch::analysis_key, search_document::docid_order_key})
                shard.set_metadata(std::string(key), whole.get_metadata(std::string(key)));
            shard.commit();
            shard.close();
            Xapian::Database(written).compact(dirs[k]);
            fs::remove_all(written);
        } catch (const Xapian::Error& e) {
            throw std::runtime_error("search shard " + std::to_string(k) + ": " +
                                     e.get_description());
        }
    });
    return dirs;
}

}  // namespace kade::indexer
