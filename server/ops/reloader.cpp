#include "server/ops/reloader.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
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
    stop_.store(true);
    request();
    if (thread_.joinable()) thread_.join();
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    ::close(event_fd_);
}

void reloader::request() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
}

void reloader::reload(const char* trigger) {
    const std::string error = slot_.reload(path_);
    if (error.empty()) {
        std::cerr << "kade-serve: reloaded " << path_ << " (" << trigger << "): build "
                  << slot_.current()->view().build_id() << ", reload " << slot_.reloads() << "\n";
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
            signalled = ::read(event_fd_, &n, sizeof n) == sizeof n;
        }
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
