#pragma once
// One connection: a small read/handle/write loop. Limits and deadlines sit next to the I/O they
// guard; what to answer is the handler's business.
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/common/config.hpp"
#include "server/handler.hpp"
#include "server/http/response.hpp"
#include "server/ops/drain.hpp"

namespace kade::http {

// Shared by all connections of the process.
struct connection_limits {
    std::atomic<int> open{0};
};

// The same loop over plain TCP (`session`) and over TLS (`tls_session`, which handshakes first
// and sends close_notify at the end); both are instantiated in session.cpp.
template <class Stream>
class basic_session : public std::enable_shared_from_this<basic_session<Stream>> {
  public:
    // `tls` is the server's TLS context for tls_session, ignored (may be null) for session.
    basic_session(boost::asio::ip::tcp::socket socket, const server_config& cfg, handler& h,
                  connection_limits& limits, boost::asio::ssl::context* tls = nullptr);
    ~basic_session();
    void run();

  private:
    void wait_for_request();
    void on_first_bytes(boost::beast::error_code ec, std::size_t n);
    void read_header();
    void on_header(boost::beast::error_code ec, std::size_t n);
    void send_error(unsigned status);
    void write();
    void on_write(boost::beast::error_code ec, std::size_t n);
    void linger();
    void on_linger(boost::beast::error_code ec, std::size_t n);
    void close();
    boost::beast::tcp_stream& tcp() { return boost::beast::get_lowest_layer(stream_); }

    Stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
    const server_config& cfg_;
    handler& handler_;
    connection_limits& limits_;
    response response_;
    std::shared_ptr<const bundle::loaded_bundle> keep_;  // the bundle response_ points into
    bool first_request_ = true;
    std::array<std::string, 5> joined_;  // repeated request fields, joined (see read_fields)
    std::size_t lingered_ = 0;           // bytes drained after the last response
    ops::idle_link idle_;  // in this thread's idle list while waiting between requests
    std::chrono::steady_clock::time_point started_;  // header complete, for metrics and the log
};

using session = basic_session<boost::beast::tcp_stream>;
using tls_session = basic_session<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace kade::http
