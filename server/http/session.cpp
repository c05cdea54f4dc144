#include "server/http/session.hpp"

#include <array>
#include <chrono>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "server/ops/observe.hpp"

namespace kade::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

session::session(net::ip::tcp::socket socket, const server_config& cfg, handler& h,
                 connection_limits& limits)
    : stream_(std::move(socket)), cfg_(cfg), handler_(h), limits_(limits) {
    limits_.open.fetch_add(1, std::memory_order_relaxed);
}

session::~session() {
    limits_.open.fetch_sub(1, std::memory_order_relaxed);
}

void session::run() {
    beast::error_code ec;
    stream_.socket().set_option(net::ip::tcp::no_delay(true), ec);
    wait_for_request();
}

// Between requests a connection is idle: it gets the idle timeout until its next byte, then the
// header timeout for the whole header, so a slow client cannot hold the connection for long.
void session::wait_for_request() {
    if (first_request_ || buffer_.size() > 0) {
        read_header();
        return;
    }
    if (ops::draining()) return close();  // draining: no new requests on this connection
    ops::idle_begin(idle_, stream_.socket());
    stream_.expires_after(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    stream_.async_read_some(
        buffer_.prepare(4096),
        beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
}

void session::on_first_bytes(beast::error_code ec, std::size_t n) {
    ops::idle_end(idle_);
    if (ec) return close();  // idle timeout, or the client closed: a normal end
    buffer_.commit(n);
    read_header();
}

void session::read_header() {
    first_request_ = false;
    parser_.emplace();  // a fresh parser per request
    parser_->header_limit(static_cast<std::uint32_t>(cfg_.max_header_bytes));
    parser_->body_limit(0);
    stream_.expires_after(std::chrono::milliseconds(cfg_.header_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&session::on_header, shared_from_this()));
}

void session::on_header(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
        return close();
    }
    if (ec == bhttp::error::header_limit) {
        // A request line alone over the URI limit is 414; otherwise the header block is 431.
        const auto data = buffer_.cdata();
        const std::string_view seen(static_cast<const char*>(data.data()), data.size());
        const auto line_end = seen.find("\r\n");
        const bool long_line = line_end == std::string_view::npos ||
                               line_end > static_cast<std::size_t>(cfg_.max_uri_bytes);
        return send_error(long_line ? 414 : 431);
    }
    if (ec) return send_error(400);

    const auto& msg = parser_->get();
    if (msg.target().size() > static_cast<std::size_t>(cfg_.max_uri_bytes)) return send_error(414);
    // Bodies are refused by type: no route takes one, so none is read into memory.
    if (msg.has_content_length() ? parser_->content_length().value_or(0) > 0 : parser_->chunked())
        return send_error(413);

    request req;
    switch (msg.method()) {
        case bhttp::verb::get:
            req.verb = method::get;
            break;
        case bhttp::verb::head:
            req.verb = method::head;
            break;
        case bhttp::verb::options:
            req.verb = method::options;
            break;
        default:
            req.verb = method::other;
            break;
    }
    req.target = msg.target();
    req.version = msg.version();
    req.keep_alive = msg.keep_alive();
    if (auto it = msg.find(bhttp::field::accept_encoding); it != msg.end())
        req.accept_encoding = it->value();
    if (auto it = msg.find(bhttp::field::if_none_match); it != msg.end())
        req.if_none_match = it->value();
    if (auto it = msg.find(bhttp::field::if_modified_since); it != msg.end())
        req.if_modified_since = it->value();

    handler_.handle(req, response_, keep_);
    write();
}

void session::send_error(unsigned status) {
    handler_.handle_error(status, response_);
    write();
}

void session::write() {
    stream_.expires_after(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    const std::array<net::const_buffer, 2> buffers{net::buffer(response_.head),
                                                   net::buffer(response_.body)};
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&session::on_write, shared_from_this()));
}

void session::on_write(beast::error_code ec, std::size_t) {
    ops::observe_response(stream_.socket(), parser_ ? &parser_->get() : nullptr, response_, started_);
    keep_.reset();
    if (ec || response_.close) return close();
    wait_for_request();
}

void session::close() {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
}

}  // namespace kade::http
