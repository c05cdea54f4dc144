#include "server/ops/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/text.hpp"

namespace kade::ops {
namespace {

constexpr std::size_t buffer_limit = 4u << 20;  // per thread: past this, lines are dropped
constexpr std::size_t wake_at = 64u << 10;      // a thread asks for a flush at this size
constexpr auto flush_interval = std::chrono::milliseconds(200);

struct thread_buffer {
    std::mutex mutex;
    std::string lines;
    std::uint64_t dropped = 0;  // guarded by mutex
};

struct log_state {
    std::atomic<bool> enabled{false};
    std::mutex mutex;  // guards buffers, stop, the writer's wake-up
    std::condition_variable wake;
    bool stop = false;
    bool wanted = false;  // a buffer passed wake_at
    std::vector<std::unique_ptr<thread_buffer>> buffers;
    int fd = -1;
    bool own_fd = false;
    std::thread writer;
};

log_state& state() {
    static log_state* s = new log_state;  // never destroyed: workers may log during exit
    return *s;
}

thread_buffer& my_buffer() {
    thread_local thread_buffer* buffer = [] {
        auto& s = state();
        std::lock_guard lock(s.mutex);
        s.buffers.push_back(std::make_unique<thread_buffer>());
        return s.buffers.back().get();
    }();
    return *buffer;
}

// JSON string contents; bytes that are not UTF-8 become U+FFFD, so every line stays JSON.
void append_json_text(std::string& out, std::string_view s) {
    if (is_valid_utf8(s)) {
        append_json_escaped(out, s);
        return;
    }
    std::string repaired;
    for (std::size_t pos = 0; pos < s.size();) append_utf8(repaired, decode_utf8(s, pos));
    append_json_escaped(out, repaired);
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            // Nowhere better to say it; once per failing batch, then the batch is lost.
            const std::string msg =
                std::string("kade-serve: access log: write failed: ") + std::strerror(errno) + "\n";
            [[maybe_unused]] auto ignored = ::write(2, msg.data(), msg.size());
            return;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Takes every thread's lines (swapping strings under each thread's own lock) and writes them.
void flush_all(log_state& s, std::string& batch) {
    std::vector<thread_buffer*> buffers;
    {
        std::lock_guard lock(s.mutex);
        for (auto& b : s.buffers) buffers.push_back(b.get());
    }
    for (thread_buffer* b : buffers) {
        batch.clear();
        {
            std::lock_guard lock(b->mutex);
            batch.swap(b->lines);
        }
        write_all(s.fd, batch);
        if (batch.capacity() > wake_at * 4) batch = std::string();  // give back bursts' memory
    }
}

void writer_loop(log_state& s) {
    std::string batch;
    for (;;) {
        bool stopping;
        {
            std::unique_lock lock(s.mutex);
            s.wake.wait_for(lock, flush_interval, [&] { return s.stop || s.wanted; });
            s.wanted = false;
            stopping = s.stop;
        }
        flush_all(s, batch);
        if (stopping) return;
    }
}

// `ago_us` before now: a line carries the time its request began (header complete), so lines
// sort by arrival whichever thread wrote them.
void format_time(std::string& out, std::uint64_t ago_us) {
    const auto now = std::chrono::system_clock::now();
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() -
        static_cast<long long>(ago_us);
    const std::time_t secs = static_cast<std::time_t>(us / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(us % 1000000));
    out.append(buf, n);
    out += frac;
}

}  // namespace

void start_access_log(const std::string& where) {
    auto& s = state();
    if (where == "off" || where.empty()) return;
    if (where == "stdout") {
        s.fd = 1;
    } else {
        s.fd = ::open(where.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (s.fd < 0)
            throw std::runtime_error("cannot open access log " + where + ": " +
                                     std::strerror(errno));
        s.own_fd = true;
    }
    s.stop = false;
    s.writer = std::thread([&s] { writer_loop(s); });
    s.enabled.store(true, std::memory_order_release);
}

void stop_access_log() {
    auto& s = state();
    if (!s.writer.joinable()) return;
    s.enabled.store(false, std::memory_order_release);
    {
        std::lock_guard lock(s.mutex);
        s.stop = true;
    }
    s.wake.notify_one();
    s.writer.join();
    if (s.own_fd) ::close(s.fd);
    s.fd = -1;
    s.own_fd = false;
}

bool access_log_enabled() {
    return state().enabled.load(std::memory_order_relaxed);
}

void format_access_line(std::string& out, std::string_view time, const access_entry& e) {
    out += "{\"time\":\"";
    out += time;
    out += "\",\"remote\":\"";
    append_json_text(out, e.remote);
    out += "\",\"forwarded_for\":";
    if (e.has_forwarded_for) {
        out += '"';
        append_json_text(out, e.forwarded_for);
        out += '"';
    } else {
        out += "null";
    }
    out += ",\"method\":\"";
    append_json_text(out, e.method);
    out += "\",\"target\":\"";
    append_json_text(out, e.target);
    out += "\",\"status\":";
    out += std::to_string(e.status);
    out += ",\"bytes\":";
    out += std::to_string(e.bytes);
    out += ",\"encoding\":\"";
    out += e.encoding;
    out += "\",\"duration_us\":";
    out += std::to_string(e.duration_us);
    out += ",\"search_cache\":";
    out += e.search_cache < 0 ? "null" : e.search_cache ? "\"hit\"" : "\"miss\"";
    out += "}\n";
}

void log_access(const access_entry& e) {
    thread_local std::string line;
    thread_local std::string time;
    line.clear();
    time.clear();
    format_time(time, e.duration_us);
    format_access_line(line, time, e);

    thread_buffer& b = my_buffer();
    bool wake = false;
    {
        std::lock_guard lock(b.mutex);
        if (b.lines.size() + line.size() > buffer_limit) {
            ++b.dropped;
            return;
        }
        b.lines += line;
        wake = b.lines.size() >= wake_at && b.lines.size() - line.size() < wake_at;
    }
    if (wake) {
        auto& s = state();
        {
            std::lock_guard lock(s.mutex);
            s.wanted = true;
        }
        s.wake.notify_one();
    }
}

std::uint64_t access_log_dropped() {
    auto& s = state();
    std::uint64_t total = 0;
    std::lock_guard lock(s.mutex);
    for (auto& b : s.buffers) {
        std::lock_guard buffer_lock(b->mutex);
        total += b->dropped;
    }
    return total;
}

}  // namespace kade::ops
