#include "server/ops/bundle_slot.hpp"

#include <stdexcept>

#include "server/search/searcher.hpp"
#include "server/search/verify.hpp"

namespace kade::ops {

bundle_slot::bundle_slot(std::shared_ptr<const bundle::loaded_bundle> first)
    : current_(std::move(first)) {}

std::shared_ptr<const bundle::loaded_bundle> bundle_slot::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::string bundle_slot::reload(const std::string& path) {
    std::lock_guard serial(reload_mutex_);
    std::shared_ptr<const bundle::loaded_bundle> next;
    try {
        next = bundle::loaded_bundle::load(path);
        search::verify_databases(*next);  // whole, not only openable
        search::searcher probe(*next);    // and the searcher starts on it
    } catch (const std::exception& e) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return e.what();
    } catch (const Xapian::Error& e) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return "cannot open the search database of " + path + ": " + e.get_description();
    }
    {
        std::lock_guard lock(mutex_);
        current_ = std::move(next);
    }
    generation_.fetch_add(1, std::memory_order_acq_rel);
    return "";
}

}  // namespace kade::ops
