#include "server/ops/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

namespace kade::ops {
namespace {

// The value of one sample line, e.g. value(text, "kade_reloads_total"); -1 when absent.
double value(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(metrics, counts_from_every_thread_are_summed_on_scrape) {
    const std::string before = render_metrics({"abc", 0, 0});
    const std::string series = "kade_requests_total{route=\"healthz\",status=\"200\"}";
    const double base = std::max(0.0, value(before, series));
    auto work = [] {
        for (int i = 0; i < 1000; ++i)
            record_request({static_cast<std::uint8_t>(route_kind::healthz), 200, 0, 10, 50000});
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    const std::string after = render_metrics({"abc", 3, 1});
    EXPECT_EQ(value(after, series), base + 2000);
    EXPECT_EQ(value(after, "kade_reloads_total"), 3);
    EXPECT_EQ(value(after, "kade_reloads_refused_total"), 1);
    EXPECT_NE(after.find("kade_bundle_info{build_id=\"abc\"} 1\n"), std::string::npos);
    EXPECT_EQ(value(after, "kade_bundle_verified"), 1);
    EXPECT_EQ(value(render_metrics({"abc", 0, 0, false}), "kade_bundle_verified"), 0);
}

TEST(metrics, histograms_are_cumulative_and_end_in_the_count) {
    record_request({static_cast<std::uint8_t>(route_kind::search_api), 200, 1, 100, 30'000});
    record_request({static_cast<std::uint8_t>(route_kind::search_api), 200, 1, 100, 3'000'000});
    record_request(
        {static_cast<std::uint8_t>(route_kind::search_api), 400, 0, 100, 20'000'000'000});
    const std::string text = render_metrics({"abc", 0, 0});
    const std::string name = "kade_request_duration_seconds_bucket{route=\"search_api\",le=";
    EXPECT_EQ(value(text, name + "\"5e-05\"}"), -1) << "no such bucket";
    EXPECT_EQ(value(text, name + "\"0.0001\"}"), 1);  // 30 µs
    EXPECT_EQ(value(text, name + "\"0.0025\"}"), 1);
    EXPECT_EQ(value(text, name + "\"0.005\"}"), 2);  // 3 ms
    EXPECT_EQ(value(text, name + "\"10\"}"), 2);
    EXPECT_EQ(value(text, name + "\"+Inf\"}"), 3);  // 20 s
    EXPECT_EQ(value(text, "kade_request_duration_seconds_count{route=\"search_api\"}"), 3);
    EXPECT_NE(text.find("kade_requests_total{route=\"search_api\",status=\"400\"} 1\n"),
              std::string::npos);
    EXPECT_GE(value(text, "kade_response_body_bytes_total{encoding=\"gzip\"}"), 200);
}

TEST(metrics, requests_refused_before_routing_have_their_own_route) {
    record_request({unrouted, 431, 0, 0, 1000});
    record_request({unrouted, 999, 0, 0, 1000});  // out of range: counted as 599, never lost
    const std::string text = render_metrics({"abc", 0, 0});
    EXPECT_NE(text.find("kade_requests_total{route=\"none\",status=\"431\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("kade_requests_total{route=\"none\",status=\"599\"} 1\n"),
              std::string::npos);
}

TEST(metrics, search_latency_and_cache_are_counted) {
    record_search(400'000, 1);
    record_search(600'000, 0);
    record_search(700'000);
    const std::string text = render_metrics({"abc", 0, 0});
    EXPECT_EQ(value(text, "kade_search_duration_seconds_count"), 3);
    EXPECT_EQ(value(text, "kade_search_duration_seconds_bucket{le=\"0.0005\"}"), 1);
    EXPECT_EQ(value(text, "kade_search_cache_total{result=\"hit\"}"), 1);
    EXPECT_EQ(value(text, "kade_search_cache_total{result=\"miss\"}"), 1);
}

TEST(metrics, refused_and_timed_out_searches_and_the_queue_are_shown) {
    const std::string before = render_metrics({"abc", 0, 0});
    EXPECT_EQ(before.find("kade_search_threads"), std::string::npos);  // none given: not shown
    const auto refused = value(before, "kade_search_refused_total");
    const auto timed_out = value(before, "kade_search_timed_out_total");
    record_search_refused();
    record_search_refused();
    record_search(250'000'000, 0, true);
    record_search(1'000'000, 0, false);
    live_state live{"abc", 0, 0};
    live.search_threads = 2;
    live.search_waiting = 7;
    live.search_queue_limit = 512;
    const std::string text = render_metrics(live);
    EXPECT_EQ(value(text, "kade_search_refused_total"), refused + 2);
    EXPECT_EQ(value(text, "kade_search_timed_out_total"), timed_out + 1);
    EXPECT_EQ(value(text, "kade_search_threads"), 2);
    EXPECT_EQ(value(text, "kade_search_queue_waiting"), 7);
    EXPECT_EQ(value(text, "kade_search_queue_limit"), 512);
}

TEST(metrics, every_line_is_prometheus_text) {
    live_state live{"abc", 0, 0};
    live.search_threads = 1;
    const std::string text = render_metrics(live);
    const std::regex sample(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$)");
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        ASSERT_NE(end, std::string::npos) << "ends with a newline";
        const std::string line = text.substr(start, end - start);
        if (!line.starts_with("# HELP ") && !line.starts_with("# TYPE "))
            EXPECT_TRUE(std::regex_match(line, sample)) << line;
        start = end + 1;
    }
}

}  // namespace
}  // namespace kade::ops
