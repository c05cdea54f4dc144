#pragma once
// The live bundle. A reload verifies the new bundle completely before swapping it in; requests
// already running keep the bundle they started with (they hold a shared_ptr to it). Only the
// first bundle may be served before it is verified completely (kade-serve's start, README):
// verified() says whether it has been.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/bundle_reader.hpp"

namespace kade::ops {

class bundle_slot {
  public:
    // `first_verified`: whether `first` has been verified completely (loaded with verify set
    // and its search databases checked); when not, verify_first() is what remains. Reloads
    // load with `reload_options` (the copy choice; they always verify).
    explicit bundle_slot(std::shared_ptr<const bundle::loaded_bundle> first,
                         bool first_verified = true, bundle::load_options reload_options = {});

    std::shared_ptr<const bundle::loaded_bundle> current() const;
    // Bumped on every swap; threads compare it (cheaply) with the generation they hold.
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    std::uint64_t reloads() const { return generation() - 1; }
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
    // Whether the bundle being served has passed every check a reload runs.
    bool verified() const { return verified_.load(std::memory_order_acquire); }

    // Loads and verifies `path` (checksums, build id, bounds), checks its search databases
    // (search::verify_databases) and that a searcher opens on them, then swaps it in.
    // On failure the old bundle stays and the reason is returned; "" on success. Reloads are
    // serialised: a second caller waits for the first.
    std::string reload(const std::string& path);

    // The checks the start left out of the current bundle: its contents (every checksum, the
    // build id) and its search databases (Xapian's check, a probe). "" when they pass (then
    // verified() is true), else what is wrong, naming the bundle; the bundle stays in place
    // either way, for the caller to decide. Serialised with reload(). `cancelled` stops the
    // checksum pass early (an error is returned).
    std::string verify_first(const std::atomic<bool>* cancelled = nullptr);

  private:
    std::mutex reload_mutex_;   // one reload (or verify_first) at a time
    mutable std::mutex mutex_;  // guards current_
    std::shared_ptr<const bundle::loaded_bundle> current_;
    const bundle::load_options reload_options_;
    std::atomic<std::uint64_t> generation_{1};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<bool> verified_;
};

}  // namespace kade::ops
