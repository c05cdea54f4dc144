#pragma once
// One connection: a small read/handle/write loop. Limits and deadlines sit next to the I/O they
// guard; what to answer is the handler's business.
//
// Built for the common case, which the profile is made of: a whole request arrives in one read,
// its response goes out in one non-blocking write (plain TCP), and the next request is waited
// for with no timer operation at all. Deadlines are lazy: setting one stores a time, and the
// one timer per connection, when it fires early, re-arms itself for the stored deadline.
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/config.hpp"
#include "server/http/connection_observer.hpp"
#include "server/http/idle_connections.hpp"
#include "server/http/request_handler.hpp"
#include "server/http/request_head.hpp"
#include "server/http/response.hpp"

namespace kade::http {

// Shared by all connections of the process.
struct connection_limits {
    std::atomic<int> open{0};
};

// The same loop over plain TCP (`session`) and over TLS (`tls_session`, which handshakes first
// and sends close_notify at the end); both are instantiated in session.cpp.
template <class Stream>
class basic_session : public std::enable_shared_from_this<basic_session<Stream>>,
                      public answer_later {
  public:
    // `tls` is the server's TLS context for tls_session, ignored (may be null) for session.
    basic_session(boost::asio::ip::tcp::socket socket, const server_config& cfg, request_handler& h,
                  connection_limits& limits, connection_observer& observer,
                  boost::asio::ssl::context* tls = nullptr);
    ~basic_session();
    void run();
    finish defer() override;

  private:
    using clock = std::chrono::steady_clock;

    void read();
    void on_read(boost::system::error_code ec, std::size_t n);
    void serve();
    void resume(const std::function<void()>& fill);
    void wait_for_request();
    bool write();
    void on_write(boost::system::error_code ec, std::size_t n);
    bool finish_response();
    void linger();
    void on_linger(boost::system::error_code ec, std::size_t n);
    void set_deadline(clock::duration d);
    void arm_timer();
    void on_timer(boost::system::error_code ec);
    void close();
    boost::asio::ip::tcp::socket& socket();

    Stream stream_;
    boost::asio::steady_timer timer_;
    clock::time_point deadline_ = clock::time_point::max();
    bool timer_waiting_ = false;
    bool closed_ = false;
    const server_config& cfg_;
    request_handler& handler_;
    connection_limits& limits_;
    connection_observer& observer_;
    head_limits head_limits_;
    // Read buffer: the request being answered at the front, pipelined ones behind it.
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
    std::size_t head_length_ = 0;  // bytes of the request being answered
    bool header_started_ = true;   // a request has begun: the header deadline runs
    request request_;
    bool parsed_ = false;    // request_ holds the request being answered (not a refusal)
    bool deferred_ = false;  // the handler answers request_ later (defer)
    std::array<std::string, 7> joined_;  // repeated request fields, joined (request_head.hpp)
    response response_;
    std::array<boost::asio::const_buffer, 2> pending_;  // what an asynchronous write still sends
    std::shared_ptr<const void> keep_;                  // what response_'s body points into
    std::size_t lingered_ = 0;                          // bytes drained after the last response
    idle_link idle_;             // in this thread's idle list while waiting between requests
    clock::time_point started_;  // header complete, for metrics and the log
};

using session = basic_session<boost::asio::ip::tcp::socket>;
using tls_session = basic_session<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>>;

}  // namespace kade::http
