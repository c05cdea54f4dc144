#pragma once
// A folder glass database as the single file the server opens (Xapian::Database(fd)), by
// copying its blocks instead of compacting it.
#include <string>

namespace kade::indexer {

// Writes the folder glass database at `db_dir` (Xapian 1.4's format) to `path` as a single-file
// database without its termlist table: the version block, then each table's live blocks
// (children before their parent) with the branch blocks' child numbers renumbered. Xapian's
// compaction to a single file reads and writes every entry again (1.8 s at 10,000 posts); this
// copies 8 KiB blocks, and leaves out the blocks earlier revisions freed. The same documents,
// terms, positions, statistics and spellings; the UUID is a hash of the content (Xapian's is
// random), so the same folder gives the same bytes. Returns "" once written, otherwise why not (a
// format or a tree it does not know, with `path` removed), for the caller to compact instead.
// Throws std::runtime_error when it cannot write.
std::string write_glass_file(const std::string& db_dir, const std::string& path);

}  // namespace kade::indexer
