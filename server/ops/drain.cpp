#include "server/ops/drain.hpp"

#include <atomic>

namespace kade::ops {
namespace {

std::atomic<bool> drain_flag{false};

}  // namespace

bool draining() {
    return drain_flag.load(std::memory_order_relaxed);
}

void begin_drain() {
    drain_flag.store(true, std::memory_order_relaxed);
}

}  // namespace kade::ops
