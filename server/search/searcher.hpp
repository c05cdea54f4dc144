#pragma once
// Search over the database inside a loaded bundle. Xapian objects are not thread-safe, so each
// worker thread owns one searcher per bundle generation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "server/common/bundle_reader.hpp"
#include "server/search/query.hpp"

namespace kade::search {

struct search_request {
    std::string query;
    int page = 1;  // from 1
    int per_page = 10;
    bool sort_by_date = false;
    std::string label;  // "" for all
    bool prefix = false;
};

struct search_hit {
    std::string url, title, date;
    std::vector<std::string> labels;
    std::string snippet;  // HTML
};

struct search_result {
    std::uint64_t total = 0;  // estimated matches (exact for small result sets)
    std::vector<search_hit> hits;
    std::string suggestion;  // "" when none
    double took_ms = 0;
};

class searcher {
  public:
    // Opens the bundle's database from its own descriptor. Throws std::runtime_error.
    explicit searcher(const bundle::loaded_bundle& bundle);
    search_result run(const search_request& request);

  private:
    Xapian::Database db_;
    query_builder builder_;
    Xapian::Stem stem_;
};

}  // namespace kade::search
