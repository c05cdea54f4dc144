#pragma once
// The one thread that reloads the bundle: on request (SIGHUP) and, when watching, when a new
// file appears at the bundle path (inotify on its folder: IN_MOVED_TO for a temp + rename as
// kade-index does, IN_CLOSE_WRITE for a copy over the file). Reloads never overlap; requests
// that arrive during a reload are folded into one more reload after it. Each reload logs one
// line on stderr: the new build id, or why the bundle was refused.
#include <atomic>
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

    // From any thread (async-signal-safe: one write to an eventfd).
    void request();

    bool watching() const { return inotify_fd_ >= 0; }

  private:
    void run();
    void reload(const char* trigger);

    bundle_slot& slot_;
    const std::string path_;
    std::string folder_, name_;
    int event_fd_ = -1;
    int inotify_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace kade::ops
