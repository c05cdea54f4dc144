#pragma once
// Before a bundle is accepted (at start and on reload): its search databases must be whole.
// The section checksums only say the bytes are the ones written; a database damaged before it
// was written, or a bundle edited with its checksums and build id fixed, would otherwise be
// served and every search answer 503.
#include "common/bundle_reader.hpp"

namespace kade::search {

// Xapian's consistency check over every block of the bundle's database and of each shard it
// holds, then a probe search (the first posting list, the best match's document data) as the
// searcher will run one. Throws std::runtime_error naming the database and what is wrong.
void verify_databases(const bundle::loaded_bundle& bundle);

}  // namespace kade::search
