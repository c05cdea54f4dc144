#pragma once
// The published posts → a Xapian database with the shared Dutch analysis, as the bytes of a
// single-file glass database for the bundle's search section.
#include <string>

#include "indexer/site.hpp"

namespace kade::indexer {

// Title and labels weigh more than body text (wdf increments); labels and years are also
// boolean filter terms; the date is a sortable value; spelling data feeds suggestions.
// `scratch_dir` holds the temporary database. Throws std::runtime_error on failure.
std::string build_search_index(const site& s, const std::string& scratch_dir);

}  // namespace kade::indexer
