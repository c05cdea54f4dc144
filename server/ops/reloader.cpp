#include "server/ops/reloader.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace kade::ops {

reloader::reloader(bundle_slot& slot, std::string path, bool watch)
    : slot_(slot), path_(std::move(path)) {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0)
        throw std::runtime_error(std::string("cannot create the reload eventfd: ") +
                                 std::strerror(errno));
    if (watch) {
        const std::filesystem::path p(path_);
        folder_ = p.has_parent_path() ? p.parent_path().string() : ".";
        name_ = p.filename().string();
        inotify_fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (inotify_fd_ < 0 ||
            ::inotify_add_watch(inotify_fd_, folder_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
            std::cerr << "kade-serve: cannot watch " << folder_ << " for new bundles ("
                      << std::strerror(errno) << "); SIGHUP still reloads\n";
            if (inotify_fd_ >= 0) ::close(inotify_fd_);
            inotify_fd_ = -1;
        }
    }
    thread_ = std::thread([this] { run(); });
}

reloader::~reloader() {
    stop();
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    ::close(event_fd_);
}

void reloader::stop() {
    stop_.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

void reloader::request() {
    reload_requested_.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
}

void reloader::verify_first(std::function<void(const std::string&)> failed,
                            std::chrono::milliseconds delay) {
    check_failed_ = std::move(failed);
    check_delay_ = delay;
    check_requested_.store(true);  // after check_failed_: the thread reads it after this
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
}

bool reloader::check_first() {
    for (const auto until = std::chrono::steady_clock::now() + check_delay_;
         std::chrono::steady_clock::now() < until && !stop_.load();)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto bundle = slot_.current();
    const auto started = std::chrono::steady_clock::now();
    const std::string error = slot_.verify_first(&stop_);
    // Stopping cut the check short: that proves nothing either way. (A check that finished
    // before the stop still counts: a corrupt bundle exits 1 even while draining.)
    if (stop_.load() && error.ends_with("cancelled")) return true;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (error.empty()) {
        std::cerr << "kade-serve: verified " << bundle->path() << " (build "
                  << bundle->view().build_id() << ") in " << ms
                  << " ms: checksums, build id and search databases whole\n";
        return true;
    }
    std::cerr << "kade-serve: stopping: the bundle being served failed its check (build "
              << bundle->view().build_id() << "): " << error << "\n";
    if (check_failed_) check_failed_(error);
    return false;
}

void reloader::after_swap(std::function<void()> swapped) {
    const std::lock_guard lock(after_swap_mutex_);
    after_swap_ = std::move(swapped);
}

void reloader::reload(const char* trigger) {
    const std::string error = slot_.reload(path_);
    if (error.empty()) {
        std::cerr << "kade-serve: reloaded " << path_ << " (" << trigger << "): build "
                  << slot_.current()->view().build_id() << ", reload " << slot_.reloads() << "\n";
        const std::lock_guard lock(after_swap_mutex_);
        if (after_swap_) after_swap_();
    } else {
        std::cerr << "kade-serve: reload (" << trigger << ") refused, still serving build "
                  << slot_.current()->view().build_id() << ": " << error << "\n";
    }
}

void reloader::run() {
    pollfd fds[2] = {{event_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const nfds_t count = inotify_fd_ >= 0 ? 2 : 1;
    alignas(inotify_event) char events[8192];
    while (!stop_.load()) {
        if (::poll(fds, count, -1) < 0) {
            if (errno == EINTR) continue;
            std::cerr << "kade-serve: reload thread: poll: " << std::strerror(errno) << "\n";
            return;
        }
        bool signalled = false, file_changed = false;
        if (fds[0].revents & POLLIN) {
            std::uint64_t n;
            [[maybe_unused]] auto got = ::read(event_fd_, &n, sizeof n);
        }
        // The server stops after a failed check: no reload is worth starting then.
        if (!stop_.load() && check_requested_.exchange(false) && !check_first()) return;
        signalled = reload_requested_.exchange(false);
        if (count == 2 && (fds[1].revents & POLLIN)) {
            ssize_t len;
            while ((len = ::read(inotify_fd_, events, sizeof events)) > 0) {
                for (char* p = events; p < events + len;) {
                    const auto* ev = reinterpret_cast<const inotify_event*>(p);
                    if (ev->len && name_ == ev->name) file_changed = true;
                    p += sizeof(inotify_event) + ev->len;
                }
            }
        }
        if (stop_.load()) return;
        if (signalled) {
            reload("SIGHUP");
        } else if (file_changed) {
            reload("new file");
        }
    }
}

}  // namespace kade::ops
