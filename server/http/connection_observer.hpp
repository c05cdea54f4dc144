#pragma once
// What a connection tells the server's operations, and asks them, without knowing them: a
// response has been written (metrics, the access log), and whether the server is draining.
// server/ops implements it (ops/observe.hpp); server/main.cpp hands one to the workers.
#include <chrono>

#include <boost/asio/ip/tcp.hpp>

#include "server/http/request.hpp"
#include "server/http/response.hpp"

namespace kade::http {

class connection_observer {
  public:
    // A response has been written. `req` is nullptr for a refused request (it did not parse);
    // `started` is when its header was complete.
    virtual void response_written(boost::asio::ip::tcp::socket& socket, const request* req,
                                  const response& res,
                                  std::chrono::steady_clock::time_point started) = 0;

    // True once the server drains: a connection that would wait for another request closes.
    virtual bool draining() const = 0;

  protected:
    ~connection_observer() = default;
};

}  // namespace kade::http
