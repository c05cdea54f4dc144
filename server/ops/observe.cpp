#include "server/ops/observe.hpp"

#include "server/ops/access_log.hpp"
#include "server/ops/drain.hpp"
#include "server/ops/metrics.hpp"

namespace kade::ops {

void observer::response_written(boost::asio::ip::tcp::socket& socket, const request* request,
                                const http::response& response,
                                std::chrono::steady_clock::time_point started) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    request_sample s;
    s.route = response.route;
    s.status = response.status;
    s.coding = response.coding;
    s.body_bytes = response.body.size();
    s.duration_ns = ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
    record_request(s);
    if (!access_log_enabled()) return;

    static constexpr std::string_view codings[] = {"identity", "gzip", "zstd", "dcz"};
    access_entry e;
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    const std::string address = ec ? std::string("-") : remote.address().to_string();
    e.remote = address;
    if (request) {
        e.method = request->method_name;
        e.target = request->target;
        if (request->forwarded_for) {
            e.forwarded_for = *request->forwarded_for;
            e.has_forwarded_for = true;
        }
    }
    e.status = response.status;
    e.bytes = s.body_bytes;
    e.encoding = codings[s.coding < std::size(codings) ? s.coding : 0];
    e.duration_us = s.duration_ns / 1000;
    e.search_cache = response.search_cache;
    log_access(e);
}

bool observer::draining() const {
    return ops::draining();
}

}  // namespace kade::ops
