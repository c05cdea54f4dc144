#include "server/search/settings.hpp"

namespace kade::search {

settings settings_from(const search_config& c) {
    // The config's checks keep every number here in range and non-negative.
    return {c.per_page,
            c.max_per_page,
            static_cast<std::size_t>(c.max_query_bytes),
            static_cast<std::size_t>(c.max_terms),
            static_cast<std::size_t>(c.cache_entries),
            {split_shards(c.shards), c.shard_timeout_ms, c.shard_retry_ms, c.shard_retry_max_ms},
            static_cast<std::size_t>(c.threads),
            static_cast<std::size_t>(c.queue),
            std::chrono::milliseconds(c.budget_ms),
            c.retry_after_s};
}

}  // namespace kade::search
