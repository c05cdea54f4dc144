#pragma once
// What a session reports when a response has been written: metrics and the access log.
// One call from the session; everything else lives here.
#include <chrono>
#include <cstddef>

#include <boost/asio/ip/tcp.hpp>

#include "server/http/request.hpp"
#include "server/http/response.hpp"

namespace kade::ops {

// `request` is nullptr for a refused request (it did not parse); `started` is when its header
// was complete.
void observe_response(boost::asio::ip::tcp::socket& socket, const request* request,
                      const http::response& response,
                      std::chrono::steady_clock::time_point started);

}  // namespace kade::ops
