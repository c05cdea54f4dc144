#include "server/search/service.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace kade::search {
namespace {

std::size_t thread_count(std::size_t configured) {
    if (configured > 0) return configured;
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

service::service(const settings& s)
    : settings_(s),
      per_thread_(thread_count(s.threads)),
      cache_(s.cache_entries),
      pool_(per_thread_.size(), s.queue) {}

void service::retire_before(std::uint64_t generation) {
    std::uint64_t seen = live_generation_.load(std::memory_order_relaxed);
    do {
        if (seen >= generation) return;  // told already (each network thread tells)
    } while (!live_generation_.compare_exchange_weak(seen, generation, std::memory_order_relaxed));
    pool_.post_to_every_thread([this, generation](std::size_t thread) {
        thread_state& t = per_thread_[thread];
        if (t.engine && t.generation < generation) {
            t.engine.reset();  // before the bundle it reads goes
            t.bundle.reset();
        }
    });
}

std::optional<search_result> service::cached(std::uint64_t generation, const search_request& r) {
    if (cache_.capacity() == 0) return std::nullopt;
    std::lock_guard lock(cache_mutex_);
    if (generation != cache_generation_ || !options_) return std::nullopt;
    const search_result* hit = cache_.find(result_cache_key(r, *options_));
    if (!hit) return std::nullopt;
    search_result result = *hit;
    result.cached = true;
    result.took_ms = 0;
    return result;
}

void service::remember(std::uint64_t generation, const dutch::analysis_options& options,
                       const search_request& r, const search_result& result) {
    if (cache_.capacity() == 0) return;
    std::lock_guard lock(cache_mutex_);
    if (generation < cache_generation_) return;  // a search of a bundle since replaced
    if (generation > cache_generation_) {
        cache_.clear();
        cache_generation_ = generation;
        options_ = options;
    }
    // Partial results (a shard down) would outlive the shard's recovery. Timed-out ones are
    // kept: the same costly query again would only spend the budget again.
    if (!result.partial) cache_.put(result_cache_key(r, options), result);
}

bool service::submit(std::shared_ptr<const bundle::loaded_bundle> bundle, std::uint64_t generation,
                     search_request r, std::function<void(search_outcome)> done) {
    work_pool::job job = [this, bundle = std::move(bundle), generation, r = std::move(r),
                          done = std::move(done)](std::size_t thread) {
        done(run(thread, bundle, generation, r));
    };
    return pool_.try_post(job);
}

search_outcome service::run(std::size_t thread,
                            const std::shared_ptr<const bundle::loaded_bundle>& bundle,
                            std::uint64_t generation, const search_request& r) {
    thread_state& t = per_thread_[thread];
    search_outcome out;
    try {
        if (!t.engine || t.generation != generation) {
            t.engine.reset();  // before the bundle it reads goes
            t.bundle = bundle;
            t.generation = generation;
            // No cache of its own: the shared one is looked in before the search is queued.
            t.engine = std::make_unique<searcher>(*bundle, 0, settings_.shards);
            t.engine->set_time_budget(settings_.budget);
        }
        out.result = t.engine->run(r);
        remember(generation, t.engine->options(), r, out.result);
    } catch (const std::exception& e) {
        out.error = e.what();
    } catch (const Xapian::Error& e) {
        out.error = e.get_description();
    }
    // On an error the next search reopens the database; a search queued before a reload let
    // go of the bundle it read once done (retire_before may have run before it).
    if (!out.error.empty() || t.generation < live_generation_.load(std::memory_order_relaxed)) {
        t.engine.reset();
        t.bundle.reset();
    }
    return out;
}

}  // namespace kade::search
