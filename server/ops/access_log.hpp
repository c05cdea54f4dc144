#pragma once
// The access log: one JSON line per request, to stdout or a file, off by default ([log] access).
// Never blocks the request path: each thread appends to its own bounded buffer (a mutex only
// the writer ever contends for, a few times a second); a background writer drains the buffers.
// When the writer falls behind and a buffer is full, lines are dropped and counted.
#include <cstdint>
#include <string>
#include <string_view>

namespace kade::ops {

struct access_entry {
    std::string_view remote;         // client address
    std::string_view forwarded_for;  // X-Forwarded-For as received; "" when absent
    bool has_forwarded_for = false;
    std::string_view method;
    std::string_view target;
    unsigned status = 0;
    std::uint64_t bytes = 0;    // body bytes sent
    std::string_view encoding;  // "identity", "gzip" or "zstd"
    std::uint64_t duration_us = 0;
    int search_cache = -1;  // -1: not a cached search; 0 miss; 1 hit
};

// `where`: "off", "stdout", or a file path (opened for appending). Throws std::runtime_error
// naming the file when it cannot be opened. Call once, before the workers start.
void start_access_log(const std::string& where);

// Writes what is buffered and stops the writer. Safe to call when never started.
void stop_access_log();

bool access_log_enabled();

// Formats one line (its "time" is when the request header was complete) into this thread's buffer
// (or drops and counts it when that is full).
void log_access(const access_entry& e);

// Appends the JSON line for `e` (with `time` as given) to `out`; for tests.
void format_access_line(std::string& out, std::string_view time, const access_entry& e);

std::uint64_t access_log_dropped();

}  // namespace kade::ops
