#pragma once
// Runs f(0) … f(n-1) on every core. Each index writes only its own output slot, so the result
// does not depend on scheduling: the indexer stays deterministic while using both cores.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace kade::indexer {

template <class F>
void parallel_for(std::size_t n, F&& f) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                f(i);
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = n;  // stop handing out work
            }
        }
    };
    const std::size_t threads =
        std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), n);
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
        worker();
    }  // joins
    if (failure) std::rethrow_exception(failure);
}

}  // namespace kade::indexer
