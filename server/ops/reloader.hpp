#pragma once
// The one thread that reloads the bundle: on request (SIGHUP) and, when watching, when a new
// file appears at the bundle path (inotify on its folder: IN_MOVED_TO for a temp + rename as
// kade-index does, IN_CLOSE_WRITE for a copy over the file). Reloads never overlap; requests
// that arrive during a reload are folded into one more reload after it. Each reload logs one
// line on stderr: the new build id, or why the bundle was refused.
//
// The same thread finishes checking the bundle kade-serve started on (verify_first), before
// any reload: a SIGHUP during that check waits for it.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "server/ops/bundle_slot.hpp"

namespace kade::ops {

class reloader {
  public:
    // Throws std::runtime_error when the wake-up descriptor cannot be made; a watch that cannot
    // be set up is reported on stderr and leaves SIGHUP working.
    reloader(bundle_slot& slot, std::string path, bool watch);
    ~reloader();  // stops the thread and joins it
    reloader(const reloader&) = delete;
    reloader& operator=(const reloader&) = delete;

    // From any thread (async-signal-safe: an atomic store and one write to an eventfd).
    void request();

    // Runs bundle_slot::verify_first on the reload thread, before any reload, and logs one line
    // on stderr: verified (with the time it took), or what is wrong. On failure calls `failed`
    // with the reason, on the reload thread. Call at most once. `delay` postpones the check
    // (the black-box tests use it to see the server serve before its bundle is verified).
    void verify_first(std::function<void(const std::string&)> failed,
                      std::chrono::milliseconds delay = {});

    // Stops the thread (the checksum pass of verify_first stops early) and joins it; after it,
    // `failed` is never called. Idempotent; the destructor calls it.
    void stop();

    bool watching() const { return inotify_fd_ >= 0; }

    // Called on the reload thread after each bundle swapped in (kade-serve: every worker thread
    // takes the new bundle at once, so none keeps the replaced one mapped while idle). Set it
    // before any reload can happen; until then nothing is called.
    void after_swap(std::function<void()> swapped);

  private:
    void run();
    void reload(const char* trigger);
    bool check_first();  // false when the bundle failed

    bundle_slot& slot_;
    const std::string path_;
    std::string folder_, name_;
    int event_fd_ = -1;
    int inotify_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> reload_requested_{false};
    std::atomic<bool> check_requested_{false};
    std::function<void(const std::string&)> check_failed_;  // set before check_requested_
    std::chrono::milliseconds check_delay_{};               // likewise
    std::mutex after_swap_mutex_;  // after_swap may be set while the thread already runs
    std::function<void()> after_swap_;
    std::thread thread_;
};

}  // namespace kade::ops
