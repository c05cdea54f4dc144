#include "server/ops/access_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "common/files.hpp"

namespace kade::ops {
namespace {

access_entry sample() {
    access_entry e;
    e.remote = "127.0.0.1";
    e.forwarded_for = "203.0.113.7, 10.0.0.1";
    e.has_forwarded_for = true;
    e.method = "GET";
    e.target = "/search?q=\"klant\"";
    e.status = 200;
    e.bytes = 1151;
    e.encoding = "gzip";
    e.duration_us = 1273;
    e.search_cache = 1;
    return e;
}

TEST(access_log, a_line_is_one_json_object_with_every_field) {
    std::string line;
    format_access_line(line, "2026-11-27T01:21:56.794204Z", sample());
    EXPECT_EQ(line,
              "{\"time\":\"2026-11-27T01:21:56.794204Z\",\"remote\":\"127.0.0.1\","
              "\"forwarded_for\":\"203.0.113.7, 10.0.0.1\",\"method\":\"GET\","
              "\"target\":\"/search?q=\\\"klant\\\"\",\"status\":200,\"bytes\":1151,"
              "\"encoding\":\"gzip\",\"duration_us\":1273,\"search_cache\":\"hit\"}\n");
}

TEST(access_log, absent_fields_are_null_and_bad_bytes_stay_json) {
    access_entry e = sample();
    e.has_forwarded_for = false;
    e.search_cache = -1;
    e.target = std::string_view("/\xff\x01\n", 4);
    std::string line;
    format_access_line(line, "t", e);
    EXPECT_NE(line.find("\"forwarded_for\":null"), std::string::npos);
    EXPECT_NE(line.find("\"search_cache\":null"), std::string::npos);
    EXPECT_NE(line.find("\"target\":\"/\xef\xbf\xbd\\u0001\\n\""), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line, whatever the request held";
}

TEST(access_log, lines_from_several_threads_reach_the_file_whole) {
    const scratch_dir dir("kade-access-log-test");
    const auto path = dir.path() / "access.log";
    start_access_log(path.string());
    ASSERT_TRUE(access_log_enabled());
    auto work = [] {
        for (int i = 0; i < 5000; ++i) log_access(sample());
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    stop_access_log();  // flushes
    EXPECT_FALSE(access_log_enabled());
    const std::optional<std::string> text = read_file(path);
    ASSERT_TRUE(text);
    std::istringstream in(*text);
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        ASSERT_TRUE(line.starts_with("{\"time\":\"") && line.ends_with("\"search_cache\":\"hit\"}"))
            << line;
    }
    EXPECT_EQ(lines + static_cast<int>(access_log_dropped()), 10000);
    EXPECT_EQ(access_log_dropped(), 0u);
}

TEST(access_log, off_writes_nothing_and_a_bad_path_is_an_error) {
    start_access_log("off");
    EXPECT_FALSE(access_log_enabled());
    EXPECT_THROW(start_access_log("/nonexistent-dir/x/access.log"), std::runtime_error);
    EXPECT_FALSE(access_log_enabled());
}

}  // namespace
}  // namespace kade::ops
