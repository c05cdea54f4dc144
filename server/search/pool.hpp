#pragma once
// A fixed set of threads taking jobs from a bounded queue. Searches run here, not on the
// network threads: a slow query then holds a search thread, never a page or /healthz, and a
// full queue is refused at once (503) instead of growing without bound.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kade::search {

class work_pool {
  public:
    // `thread` is the index (0 … threads-1) of the thread running the job, for state kept per
    // thread (Xapian objects are not thread-safe).
    using job = std::function<void(std::size_t thread)>;

    // `threads` ≥ 1; at most `queue_limit` jobs wait for a thread (running ones not counted).
    work_pool(std::size_t threads, std::size_t queue_limit);
    // Lets running jobs finish; jobs still waiting are destroyed without running.
    ~work_pool();
    work_pool(const work_pool&) = delete;
    work_pool& operator=(const work_pool&) = delete;

    // Queues `j`; false (and `j` untouched) when `queue_limit` jobs are already waiting.
    bool try_post(job& j);
    // Every thread runs a copy of `j` once, before its next queued job or at once when idle
    // (for per-thread state: a searcher of a bundle since replaced). Not counted in the queue.
    void post_to_every_thread(const job& j);

    std::size_t threads() const { return threads_.size(); }
    std::size_t queue_limit() const { return queue_limit_; }
    // Jobs waiting now (for metrics and tests).
    std::size_t waiting() const;
    // The destructor has begun: no job starts any more (for tests).
    bool stopping() const;

  private:
    void run(std::size_t index);

    const std::size_t queue_limit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<job> queue_;
    std::vector<std::vector<job>> for_thread_;  // post_to_every_thread's copies, per thread
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace kade::search
