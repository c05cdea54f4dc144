#include "server/search/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

// The search threads' queue: jobs run off the caller's thread, on as many threads as asked,
// and a full queue refuses at once instead of growing (the server answers 503 then).

namespace {

using kade::search::work_pool;

// Holds the jobs that wait on it until open() is called.
class gate {
  public:
    void wait() {
        std::unique_lock lock(mutex_);
        ++waiting_;
        changed_.notify_all();
        changed_.wait(lock, [&] { return open_; });
    }
    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }
    // Blocks until `n` jobs wait at the gate (bounded: fails the test after 10 s).
    bool until_waiting(int n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return waiting_ >= n; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int waiting_ = 0;
    bool open_ = false;
};

bool post(work_pool& pool, work_pool::job j) {
    return pool.try_post(j);
}

TEST(work_pool, runs_jobs_on_its_own_threads_with_their_index) {
    std::mutex m;
    std::set<std::thread::id> ids;
    std::atomic<int> done{0};
    std::atomic<bool> bad_index{false};
    {
        work_pool pool(2, 100);
        EXPECT_EQ(pool.threads(), 2u);
        for (int i = 0; i < 20; ++i)
            ASSERT_TRUE(post(pool, [&](std::size_t t) {
                if (t >= 2) bad_index = true;
                std::lock_guard lock(m);
                ids.insert(std::this_thread::get_id());
                ++done;
            }));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (done < 20 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(done, 20);
    EXPECT_FALSE(bad_index);
    EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
}

TEST(work_pool, runs_as_many_jobs_at_once_as_it_has_threads) {
    gate g;
    work_pool pool(3, 10);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(post(pool, [&](std::size_t) { g.wait(); }));
    EXPECT_TRUE(g.until_waiting(3));  // all three blocked at once: none waits for another
    g.open();
}

TEST(work_pool, a_full_queue_refuses_and_keeps_the_job) {
    gate g;
    std::atomic<int> ran{0};
    work_pool pool(1, 2);
    ASSERT_TRUE(post(pool, [&](std::size_t) { g.wait(); }));
    ASSERT_TRUE(g.until_waiting(1));  // the thread is busy; the queue is empty
    EXPECT_TRUE(post(pool, [&](std::size_t) { ++ran; }));
    EXPECT_TRUE(post(pool, [&](std::size_t) { ++ran; }));
    EXPECT_EQ(pool.waiting(), 2u);
    bool kept = false;
    work_pool::job refused = [&kept](std::size_t) { kept = true; };
    EXPECT_FALSE(pool.try_post(refused));
    ASSERT_TRUE(refused);  // still the caller's, to answer with
    refused(0);
    EXPECT_TRUE(kept);
    g.open();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (ran < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(ran, 2);
    EXPECT_TRUE(post(pool, [&](std::size_t) { ++ran; }));  // room again
}

TEST(work_pool, stopping_finishes_running_jobs_and_drops_waiting_ones) {
    gate g;
    std::atomic<bool> finished{false};
    std::atomic<bool> started_late{false};
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> dropped = token;
    std::thread opener;
    {
        work_pool pool(1, 4);
        ASSERT_TRUE(post(pool, [&](std::size_t) {
            g.wait();
            finished = true;
        }));
        ASSERT_TRUE(g.until_waiting(1));
        ASSERT_TRUE(
            post(pool, [&, token = std::move(token)](std::size_t) { started_late = true; }));
        // Opens the gate once the destructor has begun, so the waiting job can never start.
        opener = std::thread([&] {
            while (!pool.stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            g.open();
        });
    }  // the destructor waits for the running job, which the opener lets go
    opener.join();
    EXPECT_TRUE(finished);
    EXPECT_FALSE(started_late);
    EXPECT_TRUE(dropped.expired());  // the waiting job was destroyed, not leaked
}

TEST(work_pool, every_thread_runs_a_job_posted_to_all_once_idle_or_after_its_job) {
    gate g;
    std::mutex m;
    std::multiset<std::size_t> ran_on;
    std::atomic<int> runs{0};
    work_pool pool(3, 10);
    ASSERT_TRUE(post(pool, [&](std::size_t) { g.wait(); }));  // one thread busy
    ASSERT_TRUE(g.until_waiting(1));
    pool.post_to_every_thread([&](std::size_t t) {
        std::lock_guard lock(m);
        ran_on.insert(t);
        ++runs;
    });
    EXPECT_EQ(pool.waiting(), 0u);  // not queued like a search
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (runs < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(runs, 2);  // the two idle threads, at once
    g.open();            // the busy one runs it when its job is done
    while (runs < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(m);
    EXPECT_EQ(ran_on, (std::multiset<std::size_t>{0, 1, 2}));  // once each
}

}  // namespace
