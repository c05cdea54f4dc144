#pragma once
// What a session reports when a response has been written (metrics and the access log), and
// whether the server drains: the server's operations behind http::connection_observer.
// Stateless; server/main.cpp hands one to the workers.
#include <chrono>

#include <boost/asio/ip/tcp.hpp>

#include "server/http/connection_observer.hpp"

namespace kade::ops {

class observer final : public http::connection_observer {
  public:
    void response_written(boost::asio::ip::tcp::socket& socket, const request* req,
                          const http::response& res,
                          std::chrono::steady_clock::time_point started) override;
    bool draining() const override;
};

}  // namespace kade::ops
