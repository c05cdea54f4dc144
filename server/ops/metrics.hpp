#pragma once
// Process metrics in Prometheus text format (docs/operations.md). Each thread counts into its own
// slot (plain relaxed stores by the one writer, so no contended atomics on the request path); a
// scrape sums the slots. Slots are created on a thread's first count and live for the process.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/router.hpp"

namespace kade::ops {

// Upper bounds in seconds of the latency histograms; +Inf is implied.
inline constexpr double latency_buckets[] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
inline constexpr std::size_t latency_bucket_count = std::size(latency_buckets) + 1;

// Route slots: route_kind values, plus one for requests refused before routing (bad syntax,
// limits, methods).
inline constexpr std::size_t max_routes = 16;
inline constexpr std::uint8_t unrouted = 255;
std::string_view route_name(std::uint8_t route);

struct request_sample {
    std::uint8_t route = unrouted;  // a route_kind, or unrouted
    unsigned status = 0;
    std::uint8_t coding = 0;  // http::coding of the body: identity, gzip, zstd, dcz
    std::uint64_t body_bytes = 0;
    std::uint64_t duration_ns = 0;
};

// Counts one finished request on this thread's slot.
void record_request(const request_sample& s);

// Counts one search: time in the searcher, whether a result cache answered (-1: no cache) and
// whether it ran out of its time budget.
void record_search(std::uint64_t duration_ns, int cache_hit = -1, bool timed_out = false);
// Counts one search refused because every search thread was busy and the queue full (a 503).
void record_search_refused();

// Gauges owned elsewhere, read at scrape time (nullptr: not shown).
void set_open_connections_source(const std::atomic<int>* open);

struct live_state {
    std::string_view build_id;
    std::uint64_t reloads = 0;
    std::uint64_t reloads_refused = 0;
    bool verified = true;  // the bundle has passed the background check (or was reloaded)
    // The search threads (nothing shown when search_threads is 0).
    std::size_t search_threads = 0;
    std::size_t search_waiting = 0;  // searches queued for a thread now
    std::size_t search_queue_limit = 0;
};

// The whole /metrics body.
std::string render_metrics(const live_state& live);

}  // namespace kade::ops
