#include "server/ops/metrics.hpp"

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "server/ops/access_log.hpp"

namespace kade::ops {
namespace {

using counter = std::atomic<std::uint64_t>;

// Only the owning thread writes a slot, so load + store is enough (no lock prefix); a scrape
// on another thread reads a value that is at most a few requests old.
inline void bump(counter& c, std::uint64_t by = 1) {
    c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

constexpr unsigned first_status = 100;
constexpr unsigned status_slots = 500;               // 100..599
constexpr std::size_t route_slots = max_routes + 1;  // the last is "unrouted"
constexpr std::size_t coding_slots = 4;
constexpr std::string_view coding_names[coding_slots] = {"identity", "gzip", "zstd", "dcz"};

struct histogram {
    std::array<counter, latency_bucket_count> buckets{};  // not cumulative; +Inf last
    counter sum_ns{0};
    counter count{0};

    void observe(std::uint64_t ns) {
        const double s = static_cast<double>(ns) / 1e9;
        std::size_t i = 0;
        while (i < std::size(latency_buckets) && s > latency_buckets[i]) ++i;
        bump(buckets[i]);
        bump(sum_ns, ns);
        bump(count);
    }
};

struct thread_slot {
    std::array<std::array<counter, status_slots>, route_slots> requests{};
    std::array<histogram, route_slots> latency{};
    std::array<counter, coding_slots> bytes{};
    histogram search;
    std::array<counter, 2> search_cache{};  // miss, hit
    counter search_refused, search_timed_out;
};

struct registry {
    std::mutex mutex;
    std::vector<std::unique_ptr<thread_slot>> slots;
    std::atomic<const std::atomic<int>*> open_connections{nullptr};
};

registry& the_registry() {
    static registry* r = new registry;  // never destroyed: threads may count during exit
    return *r;
}

thread_slot& my_slot() {
    thread_local thread_slot* slot = [] {
        auto& r = the_registry();
        std::lock_guard lock(r.mutex);
        r.slots.push_back(std::make_unique<thread_slot>());
        return r.slots.back().get();
    }();
    return *slot;
}

std::size_t route_index(std::uint8_t route) {
    return route < max_routes ? route : max_routes;
}

// The "# HELP" and "# TYPE" lines of metric `name`.
void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// A metric with one sample and no labels.
void append_single(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, std::uint64_t value) {
    append_header(out, name, type, help);
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

void append_histogram(std::string& out, std::string_view name, std::string_view labels,
                      const std::array<std::uint64_t, latency_bucket_count>& buckets,
                      std::uint64_t sum_ns, std::uint64_t count) {
    std::uint64_t cumulative = 0;
    const std::string sep = labels.empty() ? "" : ",";
    for (std::size_t i = 0; i < latency_bucket_count; ++i) {
        cumulative += buckets[i];
        char le[32];
        if (i + 1 < latency_bucket_count) {
            std::snprintf(le, sizeof le, "%g", latency_buckets[i]);
        } else {
            std::snprintf(le, sizeof le, "+Inf");
        }
        out += name;
        out += "_bucket{";
        out += labels;
        out += sep + "le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
    }
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.9f", static_cast<double>(sum_ns) / 1e9);
    const std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
    out += std::string(name) + "_sum" + braces + " " + sum + "\n";
    out += std::string(name) + "_count" + braces + " " + std::to_string(count) + "\n";
}

}  // namespace

std::string_view route_name(std::uint8_t route) {
    if (route >= max_routes) return "none";
    switch (static_cast<route_kind>(route)) {
        case route_kind::page:
            return "page";
        case route_kind::search_page:
            return "search_page";
        case route_kind::search_api:
            return "search_api";
        case route_kind::healthz:
            return "healthz";
        case route_kind::metrics:
            return "metrics";
    }
    return "other";
}

void record_request(const request_sample& s) {
    thread_slot& t = my_slot();
    const std::size_t r = route_index(s.route);
    const unsigned status =
        s.status >= first_status && s.status < first_status + status_slots ? s.status : 599;
    bump(t.requests[r][status - first_status]);
    t.latency[r].observe(s.duration_ns);
    bump(t.bytes[s.coding < coding_slots ? s.coding : 0], s.body_bytes);
}

void record_search(std::uint64_t duration_ns, int cache_hit, bool timed_out) {
    thread_slot& t = my_slot();
    t.search.observe(duration_ns);
    if (cache_hit >= 0) bump(t.search_cache[cache_hit ? 1 : 0]);
    if (timed_out) bump(t.search_timed_out);
}

void record_search_refused() {
    bump(my_slot().search_refused);
}

void set_open_connections_source(const std::atomic<int>* open) {
    the_registry().open_connections.store(open);
}

std::string render_metrics(const live_state& live) {
    // Sum every thread's slot first, then format.
    std::vector<std::array<std::uint64_t, status_slots>> requests(route_slots);
    std::vector<std::array<std::uint64_t, latency_bucket_count>> latency(route_slots);
    std::vector<std::uint64_t> latency_sum(route_slots), latency_count(route_slots);
    std::array<std::uint64_t, coding_slots> bytes{};
    std::array<std::uint64_t, latency_bucket_count> search{};
    std::uint64_t search_sum = 0, search_count = 0;
    std::array<std::uint64_t, 2> search_cache{};
    std::uint64_t search_refused = 0, search_timed_out = 0;
    for (auto& row : requests) row.fill(0);
    for (auto& row : latency) row.fill(0);
    {
        auto& r = the_registry();
        std::lock_guard lock(r.mutex);
        for (const auto& t : r.slots) {
            for (std::size_t i = 0; i < route_slots; ++i) {
                for (std::size_t s = 0; s < status_slots; ++s)
                    requests[i][s] += t->requests[i][s].load(std::memory_order_relaxed);
                for (std::size_t b = 0; b < latency_bucket_count; ++b)
                    latency[i][b] += t->latency[i].buckets[b].load(std::memory_order_relaxed);
                latency_sum[i] += t->latency[i].sum_ns.load(std::memory_order_relaxed);
                latency_count[i] += t->latency[i].count.load(std::memory_order_relaxed);
            }
            for (std::size_t c = 0; c < coding_slots; ++c)
                bytes[c] += t->bytes[c].load(std::memory_order_relaxed);
            for (std::size_t b = 0; b < latency_bucket_count; ++b)
                search[b] += t->search.buckets[b].load(std::memory_order_relaxed);
            search_sum += t->search.sum_ns.load(std::memory_order_relaxed);
            search_count += t->search.count.load(std::memory_order_relaxed);
            for (std::size_t c = 0; c < 2; ++c)
                search_cache[c] += t->search_cache[c].load(std::memory_order_relaxed);
            search_refused += t->search_refused.load(std::memory_order_relaxed);
            search_timed_out += t->search_timed_out.load(std::memory_order_relaxed);
        }
    }

    std::string out;
    out.reserve(8192);
    append_header(out, "kade_bundle_info", "gauge", "The bundle being served.");
    out += "kade_bundle_info{build_id=\"" + std::string(live.build_id) + "\"} 1\n";
    append_single(out, "kade_bundle_verified", "gauge",
                  "1 once the bundle has passed every check (checksums, build id, search "
                  "databases); 0 while the check after start runs.",
                  live.verified ? 1 : 0);
    append_single(out, "kade_reloads_total", "counter", "Bundles swapped in since start.",
                  live.reloads);
    append_single(out, "kade_reloads_refused_total", "counter",
                  "Reloads refused because the new bundle was bad.", live.reloads_refused);
    if (const auto* open = the_registry().open_connections.load())
        append_single(out, "kade_open_connections", "gauge", "Connections open now.",
                      static_cast<std::uint64_t>(open->load(std::memory_order_relaxed)));

    append_header(out, "kade_requests_total", "counter", "Requests answered, by route and status.");
    for (std::size_t i = 0; i < route_slots; ++i) {
        const auto name = route_name(i < max_routes ? static_cast<std::uint8_t>(i) : unrouted);
        for (std::size_t s = 0; s < status_slots; ++s) {
            if (!requests[i][s]) continue;
            out += "kade_requests_total{route=\"" + std::string(name) + "\",status=\"" +
                   std::to_string(s + first_status) + "\"} " + std::to_string(requests[i][s]) +
                   "\n";
        }
    }
    append_header(out, "kade_request_duration_seconds", "histogram",
                  "From a complete request header to the last byte written, by route.");
    for (std::size_t i = 0; i < route_slots; ++i) {
        if (!latency_count[i]) continue;
        const auto name = route_name(i < max_routes ? static_cast<std::uint8_t>(i) : unrouted);
        append_histogram(out, "kade_request_duration_seconds",
                         "route=\"" + std::string(name) + "\"", latency[i], latency_sum[i],
                         latency_count[i]);
    }
    append_header(out, "kade_response_body_bytes_total", "counter",
                  "Body bytes sent, by content coding.");
    for (std::size_t c = 0; c < coding_slots; ++c)
        out += "kade_response_body_bytes_total{encoding=\"" + std::string(coding_names[c]) +
               "\"} " + std::to_string(bytes[c]) + "\n";
    append_header(out, "kade_search_duration_seconds", "histogram",
                  "Time spent in the searcher per query.");
    append_histogram(out, "kade_search_duration_seconds", "", search, search_sum, search_count);
    if (search_cache[0] + search_cache[1]) {
        append_header(out, "kade_search_cache_total", "counter", "Search result cache lookups.");
        out += "kade_search_cache_total{result=\"miss\"} " + std::to_string(search_cache[0]) + "\n";
        out += "kade_search_cache_total{result=\"hit\"} " + std::to_string(search_cache[1]) + "\n";
    }
    append_single(out, "kade_search_refused_total", "counter",
                  "Searches answered 503 because every search thread was busy and the queue "
                  "full.",
                  search_refused);
    append_single(out, "kade_search_timed_out_total", "counter",
                  "Searches that ran out of their time budget (answered with what they had).",
                  search_timed_out);
    if (live.search_threads) {
        append_single(out, "kade_search_threads", "gauge", "Search threads.", live.search_threads);
        append_single(out, "kade_search_queue_waiting", "gauge",
                      "Searches waiting for a search thread now.", live.search_waiting);
        append_single(out, "kade_search_queue_limit", "gauge",
                      "Searches that may wait before more are refused.", live.search_queue_limit);
    }
    append_single(out, "kade_access_log_dropped_total", "counter",
                  "Access log lines dropped because the writer fell behind.", access_log_dropped());
    return out;
}

}  // namespace kade::ops
