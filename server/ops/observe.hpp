#pragma once
// What a session reports when a response has been written: metrics and the access log.
// One call from the session; everything else lives here.
#include <chrono>
#include <cstddef>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

#include "server/http/response.hpp"

namespace kade::ops {

using request_header = boost::beast::http::request<boost::beast::http::empty_body>;

// `request` may be nullptr or half-parsed (a refused request); `started` is when its header
// was complete.
void observe_response(boost::asio::ip::tcp::socket& socket, const request_header* request,
                      const http::response& response,
                      std::chrono::steady_clock::time_point started);

}  // namespace kade::ops
