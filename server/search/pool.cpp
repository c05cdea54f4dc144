#include "server/search/pool.hpp"

#include <algorithm>

namespace kade::search {

work_pool::work_pool(std::size_t threads, std::size_t queue_limit) : queue_limit_(queue_limit) {
    threads = std::max<std::size_t>(1, threads);
    for_thread_.resize(threads);
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this, i] { run(i); });
}

work_pool::~work_pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

bool work_pool::try_post(job& j) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= queue_limit_) return false;
        queue_.push_back(std::move(j));
    }
    wake_.notify_one();
    return true;
}

void work_pool::post_to_every_thread(const job& j) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        for (auto& mine : for_thread_) mine.push_back(j);
    }
    wake_.notify_all();
}

std::size_t work_pool::waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

bool work_pool::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void work_pool::run(std::size_t index) {
    for (;;) {
        std::vector<job> mine;
        job j;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock,
                       [&] { return stopping_ || !queue_.empty() || !for_thread_[index].empty(); });
            if (stopping_) return;
            if (!for_thread_[index].empty()) {
                mine.swap(for_thread_[index]);
            } else {
                j = std::move(queue_.front());
                queue_.pop_front();
            }
        }
        for (auto& m : mine) m(index);
        if (j) j(index);
    }
}

}  // namespace kade::search
