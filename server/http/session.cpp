#include "server/http/session.hpp"

#include <array>
#include <chrono>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/ops/observe.hpp"

namespace kade::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

// After a response that closes the connection, read and drop what the client still sends for
// at most this long and this much: closing a socket with unread bytes makes the kernel send a
// reset, which can destroy the response before the client has read it (RFC 9112 §9.6).
constexpr std::chrono::milliseconds linger_time{1000};
constexpr std::size_t linger_bytes = 1 << 20;

// The fields the handler reads, in one pass over the (few) fields a request has: five tree
// lookups per request cost more (callgrind, bench/). A field sent more than once is one
// comma-separated list (RFC 9110 §5.3), joined in `joined`; the usual single field stays a
// view into the parser's buffer.
void read_fields(const bhttp::fields& fields, request& req, std::array<std::string, 5>& joined) {
    std::optional<std::string_view>* const slots[5] = {&req.accept_encoding, &req.if_none_match,
                                                       &req.if_modified_since, &req.range,
                                                       &req.if_range};
    for (const auto& f : fields) {
        std::size_t k;
        switch (f.name()) {
            case bhttp::field::accept_encoding:
                k = 0;
                break;
            case bhttp::field::if_none_match:
                k = 1;
                break;
            case bhttp::field::if_modified_since:
                k = 2;
                break;
            case bhttp::field::range:
                k = 3;
                break;
            case bhttp::field::if_range:
                k = 4;
                break;
            default:
                continue;
        }
        std::optional<std::string_view>& slot = *slots[k];
        if (!slot) {
            slot = f.value();
            continue;
        }
        std::string& storage = joined[k];
        if (slot->data() != storage.data()) storage.assign(*slot);  // the first repeat
        storage += ", ";
        storage += f.value();
        slot = std::string_view(storage);
    }
}

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
Stream make_stream(net::ip::tcp::socket socket, net::ssl::context* tls) {
    if constexpr (is_tls<Stream>) {
        return Stream(std::move(socket), *tls);
    } else {
        return Stream(std::move(socket));
    }
}

}  // namespace

template <class Stream>
basic_session<Stream>::basic_session(net::ip::tcp::socket socket, const server_config& cfg,
                                     handler& h, connection_limits& limits, net::ssl::context* tls)
    : stream_(make_stream<Stream>(std::move(socket), tls)),
      cfg_(cfg),
      handler_(h),
      limits_(limits) {
    limits_.open.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
basic_session<Stream>::~basic_session() {
    limits_.open.fetch_sub(1, std::memory_order_relaxed);
}

template <class Stream>
void basic_session<Stream>::run() {
    beast::error_code ec;
    tcp().socket().set_option(net::ip::tcp::no_delay(true), ec);
    if constexpr (is_tls<Stream>) {
        // The handshake gets the header timeout: it is part of getting a request in.
        tcp().expires_after(std::chrono::milliseconds(cfg_.header_timeout_ms));
        stream_.async_handshake(net::ssl::stream_base::server,
                                [self = this->shared_from_this()](beast::error_code e) {
                                    if (e) return self->close();
                                    self->wait_for_request();
                                });
    } else {
        wait_for_request();
    }
}

// Between requests a connection is idle: it gets the idle timeout until its next byte, then the
// header timeout for the whole header, so a slow client cannot hold the connection for long.
template <class Stream>
void basic_session<Stream>::wait_for_request() {
    if (first_request_ || buffer_.size() > 0) {
        read_header();
        return;
    }
    if (ops::draining()) return close();  // draining: no new requests on this connection
    ops::idle_begin(idle_, tcp().socket());
    tcp().expires_after(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    stream_.async_read_some(
        buffer_.prepare(4096),
        beast::bind_front_handler(&basic_session::on_first_bytes, this->shared_from_this()));
}

template <class Stream>
void basic_session<Stream>::on_first_bytes(beast::error_code ec, std::size_t n) {
    ops::idle_end(idle_);
    if (ec) return close();  // idle timeout, or the client closed: a normal end
    buffer_.commit(n);
    read_header();
}

template <class Stream>
void basic_session<Stream>::read_header() {
    first_request_ = false;
    parser_.emplace();  // a fresh parser per request
    parser_->header_limit(static_cast<std::uint32_t>(cfg_.max_header_bytes));
    parser_->body_limit(0);
    tcp().expires_after(std::chrono::milliseconds(cfg_.header_timeout_ms));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&basic_session::on_header, this->shared_from_this()));
}

template <class Stream>
void basic_session<Stream>::on_header(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
        return close();
    }
    if (ec == bhttp::error::header_limit) {
        // The parser consumes the request line before the fields, so whether it got that far
        // tells the two apart: a request line alone over the limit is 414, else the block 431.
        return send_error(parser_->get().target().empty() ? 414 : 431);
    }
    // Content-Length over body_limit(0) is reported here; chunked bodies are caught below.
    if (ec == bhttp::error::body_limit) return send_error(413);
    if (ec) return send_error(400);

    const auto& msg = parser_->get();
    if (msg.target().size() > static_cast<std::size_t>(cfg_.max_uri_bytes)) return send_error(414);
    // Bodies are refused by type: no route takes one, so none is read into memory.
    if (msg.has_content_length() ? parser_->content_length().value_or(0) > 0 : parser_->chunked())
        return send_error(413);

    // Counted once the block is in (its size is already bounded by header_limit).
    if (static_cast<std::size_t>(std::distance(msg.begin(), msg.end())) >
        static_cast<std::size_t>(cfg_.max_header_count))
        return send_error(431);

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
    read_fields(msg, req, joined_);

    handler_.handle(req, response_, keep_);
    write();
}

template <class Stream>
void basic_session<Stream>::send_error(unsigned status) {
    handler_.handle_error(status, response_);
    write();
}

template <class Stream>
void basic_session<Stream>::write() {
    tcp().expires_after(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    const std::array<net::const_buffer, 2> buffers{net::buffer(response_.head),
                                                   net::buffer(response_.body)};
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&basic_session::on_write, this->shared_from_this()));
}

template <class Stream>
void basic_session<Stream>::on_write(beast::error_code ec, std::size_t) {
    ops::observe_response(tcp().socket(), parser_ ? &parser_->get() : nullptr, response_, started_);
    keep_.reset();
    if (ec) return close();
    if (response_.close) return linger();
    wait_for_request();
}

// A lingering close: send FIN, then drain what the client still sends (a refused body, the
// rest of a pipeline) until it closes too, bounded in time and bytes.
template <class Stream>
void basic_session<Stream>::linger() {
    if constexpr (is_tls<Stream>) {
        // close_notify first (RFC 8446 §6.1), bounded like the drain; then the socket goes.
        tcp().expires_after(linger_time);
        stream_.async_shutdown(
            [self = this->shared_from_this()](beast::error_code) { self->close(); });
        return;
    }
    beast::error_code ec;
    tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (ec) return close();
    buffer_.consume(buffer_.size());
    lingered_ = 0;
    tcp().expires_after(linger_time);
    stream_.async_read_some(
        buffer_.prepare(16384),
        beast::bind_front_handler(&basic_session::on_linger, this->shared_from_this()));
}

template <class Stream>
void basic_session<Stream>::on_linger(beast::error_code ec, std::size_t n) {
    lingered_ += n;
    if (ec || lingered_ >= linger_bytes) return close();
    stream_.async_read_some(
        buffer_.prepare(16384),
        beast::bind_front_handler(&basic_session::on_linger, this->shared_from_this()));
}

template <class Stream>
void basic_session<Stream>::close() {
    beast::error_code ec;
    tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    tcp().socket().close(ec);
}

template class basic_session<beast::tcp_stream>;
template class basic_session<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace kade::http
