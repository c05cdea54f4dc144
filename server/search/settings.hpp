#pragma once
// [search] as the server uses it, typed once at start: sizes as sizes, the shard list split.
#include <cstddef>

#include "common/config.hpp"
#include "server/search/searcher.hpp"

namespace kade::search {

struct settings {
    int per_page = 10;
    int max_per_page = 50;
    std::size_t max_query_bytes = 256;
    std::size_t max_terms = 16;
    std::size_t cache_entries = 1024;  // per worker thread; 0: no cache
    shard_options shards;
};

settings settings_from(const search_config& c);

}  // namespace kade::search
