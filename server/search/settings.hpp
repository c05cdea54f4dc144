#pragma once
// [search] as the server uses it, typed once at start: sizes as sizes, the shard list split.
#include <chrono>
#include <cstddef>

#include "common/config.hpp"
#include "server/search/searcher.hpp"

namespace kade::search {

struct settings {
    int per_page = 10;
    int max_per_page = 50;
    std::size_t max_query_bytes = 256;
    std::size_t max_terms = 16;
    std::size_t cache_entries = 1024;  // shared by all threads; 0: no cache
    shard_options shards;
    std::size_t threads = 0;                // search threads; 0: one per core
    std::size_t queue = 512;                // searches waiting for a thread
    std::chrono::milliseconds budget{200};  // per search, all passes; 0: no limit
    int retry_after_s = 1;
};

settings settings_from(const search_config& c);

}  // namespace kade::search
