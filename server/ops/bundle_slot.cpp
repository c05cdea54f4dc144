#include "server/ops/bundle_slot.hpp"

#include <stdexcept>

#include "server/search/searcher.hpp"
#include "server/search/verify.hpp"

namespace kade::ops {

bundle_slot::bundle_slot(std::shared_ptr<const bundle::loaded_bundle> first, bool first_verified,
                         bundle::load_options reload_options)
    : current_(std::move(first)), reload_options_(reload_options), verified_(first_verified) {}

std::shared_ptr<const bundle::loaded_bundle> bundle_slot::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::string bundle_slot::reload(const std::string& path) {
    std::lock_guard serial(reload_mutex_);
    std::shared_ptr<const bundle::loaded_bundle> next;
    try {
        bundle::load_options options = reload_options_;
        options.verify = true;  // only the first start is optimistic
        next = bundle::loaded_bundle::load(path, options);
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
    verified_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    return "";
}

std::string bundle_slot::verify_first(const std::atomic<bool>* cancelled) {
    std::lock_guard serial(reload_mutex_);
    if (verified()) return "";
    const auto bundle = current();
    try {
        bundle->verify_contents(cancelled);  // "bundle PATH: what"
    } catch (const std::exception& e) {
        return e.what();
    }
    if (cancelled && cancelled->load()) return "bundle " + bundle->path() + ": check cancelled";
    try {
        search::verify_databases(*bundle);
    } catch (const std::exception& e) {
        return "bundle " + bundle->path() + ": " + e.what();
    } catch (const Xapian::Error& e) {
        return "bundle " + bundle->path() + ": the search database: " + e.get_description();
    }
    verified_.store(true, std::memory_order_release);
    return "";
}

}  // namespace kade::ops
