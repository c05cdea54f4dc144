#pragma once
// Searches for the whole server: the search threads (work_pool), a searcher per search thread
// and bundle generation, and the result cache they share. The network threads only look in the
// cache and queue the rest, so a slow search never holds a page or /healthz.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/bundle_reader.hpp"
#include "common/dutch.hpp"
#include "server/search/cache.hpp"
#include "server/search/pool.hpp"
#include "server/search/searcher.hpp"
#include "server/search/settings.hpp"

namespace kade::search {

struct search_outcome {
    search_result result;
    std::string error;  // why the search failed ("" when it did not): the caller answers 503
};

class service {
  public:
    // settings.threads search threads (0: one per core), settings.queue waiting searches.
    explicit service(const settings& s);
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    // The cached result of `r` in bundle `generation`, marked cached; nullopt when there is
    // none (or before the first search of that generation has read the index's analysis).
    // Any thread; takes a lock for a lookup.
    std::optional<search_result> cached(std::uint64_t generation, const search_request& r);

    // Queues `r` over `bundle` (generation `generation`); a search thread runs it and then
    // calls `done` there. False, and `done` dropped uncalled, when the queue is full.
    bool submit(std::shared_ptr<const bundle::loaded_bundle> bundle, std::uint64_t generation,
                search_request r, std::function<void(search_outcome)> done);

    // Bundle `generation` is now the live one: every search thread drops its searcher (and
    // with it its share of the bundle) of an older one at once, idle or not, instead of at its
    // next search, so a replaced bundle is released. Any thread; cheap when nothing is new.
    void retire_before(std::uint64_t generation);

    std::size_t threads() const { return pool_.threads(); }
    std::size_t waiting() const { return pool_.waiting(); }
    std::size_t queue_limit() const { return pool_.queue_limit(); }

  private:
    struct thread_state {
        std::shared_ptr<const bundle::loaded_bundle> bundle;  // what the searcher reads
        std::uint64_t generation = 0;
        std::unique_ptr<searcher> engine;
    };

    search_outcome run(std::size_t thread, const std::shared_ptr<const bundle::loaded_bundle>& b,
                       std::uint64_t generation, const search_request& r);
    void remember(std::uint64_t generation, const dutch::analysis_options& options,
                  const search_request& r, const search_result& result);

    const settings settings_;
    std::vector<thread_state> per_thread_;  // indexed by work_pool's thread index

    std::atomic<std::uint64_t> live_generation_{0};  // the newest retire_before
    std::mutex cache_mutex_;
    std::uint64_t cache_generation_ = 0;              // of what cache_ holds
    std::optional<dutch::analysis_options> options_;  // of that generation's index, once known
    lru_cache<search_result> cache_;

    work_pool pool_;  // last: destroyed first, so no job outlives the state above
};

}  // namespace kade::search
