#pragma once
// The live bundle. A reload verifies the new bundle completely before swapping it in; requests
// already running keep the bundle they started with (they hold a shared_ptr to it).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/bundle_reader.hpp"

namespace kade::ops {

class bundle_slot {
  public:
    explicit bundle_slot(std::shared_ptr<const bundle::loaded_bundle> first);

    std::shared_ptr<const bundle::loaded_bundle> current() const;
    // Bumped on every swap; threads compare it (cheaply) with the generation they hold.
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    std::uint64_t reloads() const { return generation() - 1; }
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

    // Loads and verifies `path` (checksums, build id, bounds), checks its search databases
    // (search::verify_databases) and that a searcher opens on them, then swaps it in.
    // On failure the old bundle stays and the reason is returned; "" on success. Reloads are
    // serialised: a second caller waits for the first.
    std::string reload(const std::string& path);

  private:
    std::mutex reload_mutex_;   // one reload at a time
    mutable std::mutex mutex_;  // guards current_
    std::shared_ptr<const bundle::loaded_bundle> current_;
    std::atomic<std::uint64_t> generation_{1};
    std::atomic<std::uint64_t> refused_{0};
};

}  // namespace kade::ops
