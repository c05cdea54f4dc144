#pragma once
// The published posts → a Xapian database with the shared Dutch analysis, as the bytes of a
// single-file glass database for the bundle's search section.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/dutch.hpp"
#include "indexer/content/site.hpp"

namespace kade::indexer {

// The stemmer an indexing worker gives its TermGenerator: dutch::stemmer(analysis) remembering
// the stem of every word it has seen (a blog repeats its words). Not thread-safe: one per worker.
Xapian::Stem worker_stemmer(const dutch::analysis_options& analysis);

// The term generator every post is indexed with, whether in a full build or anew in place: the
// stemmer of the analysis, and each word also kept unstemmed (with its positions, for phrases).
Xapian::TermGenerator term_generator(const Xapian::Stem& stem);

// An indexing writer commits every this many posts. Xapian holds a batch's postings and
// positions in maps until the commit; smaller maps are faster to fill than the commits cost (one
// 12,500-post slice: 77-80 s at 250 or 500 per commit, 89-102 s at 2,000, 115 s in one go) and
// the bytes do not change (the compaction rewrites every entry).
inline constexpr std::size_t posts_per_commit = 250;

// Builds the database in `scratch_dir`/xapian and returns its path. Document ids follow
// searched_document(s, i) backwards (of n searched documents, document i is docid n - i: the
// searched pages first, then the posts from the oldest), so later phases can ask the database
// about posts (related posts), descending docid order is site order and a new post can be added
// at the end: the database says so (search_document::docid_order_key) and the server breaks
// relevance ties by it. Title and labels weigh more than body text (wdf increments); labels and
// years are also boolean filter terms; the date is a sortable value; spelling data feeds
// suggestions. Throws std::runtime_error on failure.
std::string build_search_database(const site& s, const std::string& scratch_dir);

// The database at `db_path` as the server reads it: the bytes of one single-file glass database
// (its blocks copied, indexer/search/glass_file.hpp) without the termlist table, which only
// writers and shard copies read (a quarter of the database: 40 of 168 MB at 10,000 posts). Its
// random UUID is replaced by a hash of the rest, so the same folder gives the same bytes.
std::string single_file_database(const std::string& db_path, const std::string& scratch_dir);

// The same database written to the file `scratch_dir`/NAME.glass (NAME: the last part of
// `db_path`), whose path it returns, without holding it in memory (1.1 GiB at 100,000 posts):
// for bundle_builder::set_search_database_file.
std::string single_file_database_file(const std::string& db_path, const std::string& scratch_dir);

// The whole database at `db_path` split into `count` databases by document, round robin:
// shard k holds the documents at positions k, k+count, … in docid order (renumbered 1, 2, …), so
// a multi-database over the shards in order numbers the documents in the whole database's order
// (as 1, 2, … even where the whole one has gaps from removals), and ranks as it does
// (BM25 statistics combine across the shards). Each shard keeps the analysis metadata; the
// spelling data stays in the whole database. Returns the shards' folders under `scratch_dir`.
std::vector<std::string> build_shard_databases(const std::string& db_path, unsigned count,
                                               const std::string& scratch_dir);

// The analysis to index with (bench/search_quality builds the baseline too) and the compound
// dictionary. Without a readable dictionary, compounds are left out (and the database records
// that), with a warning on stderr.
struct search_index_options {
    dutch::analysis_options analysis;
    std::string dictionary = dutch::default_compound_dictionary;
    // Title words count `title` times, label words `labels` times, body words once (BM25 sees
    // wdf). Tuned on the judged set (bench/search_quality/README.md).
    unsigned title = 8;
    unsigned labels = 3;
    // Keep each post's plain text in the document data. kade-index turns this off and stores
    // the texts as bundle entries (search_document::text_entry_path) instead.
    bool store_text = true;
    // Keep each document's term list in the folder database. Shard copies
    // (build_shard_databases) and edits in place (update_search_database) read them. Without them
    // no termlist table is compressed and written: the folder database is a quarter smaller,
    // and the phase takes 8-15 % less CPU at 2,000 posts (at 10,000 within the noise).
    bool term_lists = true;
    // From this many posts on, the posts are indexed in `slices` contiguous slices, one
    // database each, on every core, then merged (numbered as in one go). The number is
    // fixed, not the machine's core count, so every machine builds the same bytes.
    std::size_t parallel_from = 500;
    std::size_t slices = 8;
};
std::string build_search_database(const site& s, const std::string& scratch_dir,
                                  const search_index_options& options);

// What an incremental build changes in the database an earlier build kept (search_cache).
struct search_changes {
    std::size_t added = 0;  // posts [0, added) of the site are new, newer than every other
    // Posts indexed anew in place: (index of searched_document, docid in the kept database).
    std::vector<std::pair<std::size_t, unsigned>> edited;
    std::vector<unsigned> removed;  // docids of the kept database whose post is gone
};

// For an incremental build: the database at `previous_db` (kept by an earlier build of the same
// site, with its term lists) with `changes` made in a copy: the edited posts indexed anew in
// place, the removed ones deleted, the new posts added at the end (oldest first); somewhere
// under `scratch_dir`, whose path it returns. Descending docid order stays site order (a removed
// post leaves a gap until a full build: document_ids tells each post's docid), and every term,
// statistic, length and wdf bound, value and spelling entry is what build_search_database gives for
// the same posts (a value slot's range may stay wider: no query of kade-serve reads it). With no
// change it returns `previous_db` itself and writes nothing. Nullopt, with `why_not`, when that
// cannot be promised: `previous_db` was indexed with another analysis or numbered the other way (an
// earlier kade-index), or a change would leave a database-wide bound looser than a full build's
// (Xapian never narrows them). Throws std::runtime_error when it cannot be read or holds another
// number of documents.
std::optional<std::string> update_search_database(const site& s, const search_changes& changes,
                                                  const std::string& previous_db,
                                                  const std::string& scratch_dir,
                                                  const search_index_options& options,
                                                  std::string& why_not);

// The docid of each searched document of `s` (searched_document) in the database at `db_path`,
// found by its URL term: of n searched documents, document i is n - i after a full build; after
// removals in place there are gaps. Throws std::runtime_error when one has no document.
std::vector<unsigned> document_ids(const std::string& db_path, const site& s);

}  // namespace kade::indexer
