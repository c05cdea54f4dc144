#pragma once
// The published posts → a Xapian database with the shared Dutch analysis, as the bytes of a
// single-file glass database for the bundle's search section.
#include <optional>
#include <string>
#include <vector>

#include "common/dutch.hpp"
#include "indexer/content/site.hpp"

namespace kade::indexer {

// Builds the database in `scratch_dir`/xapian and returns its path. Document ids follow
// s.posts (post i is docid i + 1), so later phases can ask the database about posts (related
// posts), and docid order is site order, newest first: the database says so
// (search_document::docid_order_key) and the server breaks relevance ties by it. Title and labels
// weigh more than body text (wdf increments); labels and years are also boolean filter terms; the
// date is a sortable value; spelling data feeds suggestions. Throws std::runtime_error on failure.
std::string build_search_database(const site& s, const std::string& scratch_dir);

// The database at `db_path` as the server reads it: the bytes of one single-file glass database
// (compacted) without the termlist table, which only writers and shard copies read (a quarter of
// the database: 40 of 168 MB at 10,000 posts). Its random UUID is replaced by a hash of the rest,
// so identical content gives identical bytes.
std::string single_file_database(const std::string& db_path, const std::string& scratch_dir);

// The same database written to the file `scratch_dir`/NAME.glass (NAME: the last part of
// `db_path`), whose path it returns, without holding it in memory (1.1 GiB at 100,000 posts):
// for bundle_builder::set_search_database_file.
std::string single_file_database_file(const std::string& db_path, const std::string& scratch_dir);

// The whole database at `db_path` split into `count` databases by document, round robin:
// shard k holds docids k+1, k+1+count, … (renumbered 1, 2, …), so a multi-database over the
// shards in order numbers every document as the whole database does, and ranks as it does
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
    // database each, on every core, then merged (post i stays docid i + 1). The number is
    // fixed, not the machine's core count, so every machine builds the same bytes.
    std::size_t parallel_from = 500;
    std::size_t slices = 8;
};
std::string build_search_database(const site& s, const std::string& scratch_dir,
                                  const search_index_options& options);

// For an incremental build: the database at `previous_db` (kept by an earlier build of the same
// site, with its term lists) with the posts at `edited` (indexes into s.posts) indexed anew in
// place and posts [0, added) indexed before its documents, somewhere under `scratch_dir`, whose
// path it returns. Post i is then docid i + 1 and every term, statistic, bound, value and
// spelling entry is what build_search_database gives for the same posts. With nothing added or
// edited it returns `previous_db` itself and writes nothing. Nullopt, with `why_not`, when that
// cannot be promised: `previous_db` was indexed with another analysis, or an edit would move a
// database-wide bound inward (Xapian never narrows them; see bound_change). Throws
// std::runtime_error when it cannot be read or does not hold s.posts.size() - added documents.
std::optional<std::string> update_search_database(const site& s, std::size_t added,
                                                  const std::vector<std::size_t>& edited,
                                                  const std::string& previous_db,
                                                  const std::string& scratch_dir,
                                                  const search_index_options& options,
                                                  std::string& why_not);

}  // namespace kade::indexer
