#pragma once
// A bounded LRU of search results. One per worker thread (inside the searcher, which is per
// thread and per bundle generation), so it needs no lock and a reload empties it by replacing
// the searcher.
#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace kade::search {

template <typename V>
class lru_cache {
  public:
    explicit lru_cache(std::size_t capacity) : capacity_(capacity) {}

    // The cached value, made most recent; nullptr when absent.
    const V* find(const std::string& key) {
        const auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &it->second->second;
    }

    // Inserts or replaces; evicts the least recently used entry beyond the capacity. A capacity
    // of 0 caches nothing.
    void put(const std::string& key, V value) {
        if (capacity_ == 0) return;
        if (const auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return;
        }
        order_.emplace_front(key, std::move(value));
        index_.emplace(key, order_.begin());
        if (order_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }

    void clear() {
        index_.clear();
        order_.clear();
    }
    std::size_t size() const { return order_.size(); }
    std::size_t capacity() const { return capacity_; }

  private:
    std::size_t capacity_;
    std::list<std::pair<std::string, V>> order_;  // most recent first
    std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

}  // namespace kade::search
