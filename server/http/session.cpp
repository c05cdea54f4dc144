#include "server/http/session.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <type_traits>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace kade::http {

namespace net = boost::asio;
using error_code = boost::system::error_code;

namespace {

// After a response that closes the connection, read and drop what the client still sends for
// at most this long and this much: closing a socket with unread bytes makes the kernel send a
// reset, which can destroy the response before the client has read it (RFC 9112 §9.6).
constexpr std::chrono::milliseconds linger_time{1000};
constexpr std::size_t linger_bytes = 1 << 20;

// Room for a head at the limit plus the start of a pipelined request behind it, taken only
// when a head does not fit the first, small buffer (nearly all do): ten thousand idle
// keep-alive connections then hold 40 MiB of buffers, not 120.
constexpr std::size_t read_slack = 4096;
constexpr std::size_t first_buffer = 4096;

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, net::ip::tcp::socket>;

template <class Stream>
Stream make_stream(net::ip::tcp::socket socket, net::ssl::context* tls) {
    if constexpr (is_tls<Stream>) {
        return Stream(std::move(socket), *tls);
    } else {
        return socket;
    }
}

}  // namespace

template <class Stream>
basic_session<Stream>::basic_session(net::ip::tcp::socket socket, const server_config& cfg,
                                     request_handler& h, connection_limits& limits,
                                     connection_observer& observer, net::ssl::context* tls)
    : stream_(make_stream<Stream>(std::move(socket), tls)),
      timer_(stream_.get_executor()),
      cfg_(cfg),
      handler_(h),
      limits_(limits),
      observer_(observer) {
    head_limits_.max_header_bytes = static_cast<std::size_t>(cfg.max_header_bytes);
    head_limits_.max_header_count = static_cast<std::size_t>(cfg.max_header_count);
    head_limits_.max_uri_bytes = static_cast<std::size_t>(cfg.max_uri_bytes);
    capacity_ = std::min(first_buffer, head_limits_.max_header_bytes + read_slack);
    buffer_ = std::make_unique<char[]>(capacity_);
    limits_.open.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
basic_session<Stream>::~basic_session() {
    limits_.open.fetch_sub(1, std::memory_order_relaxed);
}

template <class Stream>
net::ip::tcp::socket& basic_session<Stream>::socket() {
    if constexpr (is_tls<Stream>) {
        return stream_.next_layer();
    } else {
        return stream_;
    }
}

template <class Stream>
void basic_session<Stream>::run() {
    error_code ec;
    socket().set_option(net::ip::tcp::no_delay(true), ec);
    socket().non_blocking(true, ec);  // write() tries a plain send first
    // The first request (and the TLS handshake, part of getting it in) has the header timeout.
    set_deadline(std::chrono::milliseconds(cfg_.header_timeout_ms));
    if constexpr (is_tls<Stream>) {
        stream_.async_handshake(net::ssl::stream_base::server,
                                [self = this->shared_from_this()](error_code e) {
                                    if (e) return self->close();
                                    self->read();
                                });
    } else {
        read();
    }
}

template <class Stream>
void basic_session<Stream>::read() {
    stream_.async_read_some(
        net::buffer(buffer_.get() + size_, capacity_ - size_),
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
}

template <class Stream>
void basic_session<Stream>::on_read(error_code ec, std::size_t n) {
    idle_end(idle_);
    if (ec) return close();  // a timeout, the client closed, or a drain cancelled the wait
    size_ += n;
    serve();
}

// Answers every complete request in the buffer, then waits for more.
template <class Stream>
void basic_session<Stream>::serve() {
    while (!closed_) {
        if (size_ == 0 && !header_started_) return wait_for_request();
        head_result r = parse_request_head({buffer_.get(), size_}, head_limits_, request_, joined_);
        if (r.what == head_result::kind::incomplete && size_ == capacity_) {
            if (capacity_ < head_limits_.max_header_bytes + read_slack) {
                capacity_ = head_limits_.max_header_bytes + read_slack;
                auto bigger = std::make_unique<char[]>(capacity_);
                std::memcpy(bigger.get(), buffer_.get(), size_);
                buffer_ = std::move(bigger);
            } else {
                r = {head_result::kind::error, 0, 400};  // empty lines filled the buffer
            }
        }
        if (r.what == head_result::kind::incomplete) {
            // Between requests a connection gets the idle timeout until its next byte, then the
            // header timeout for the whole header, so a slow client cannot hold it for long.
            if (!header_started_) {
                header_started_ = true;
                set_deadline(std::chrono::milliseconds(cfg_.header_timeout_ms));
            }
            return read();
        }
        header_started_ = false;
        started_ = clock::now();
        parsed_ = r.what == head_result::kind::complete;
        if (parsed_) {
            head_length_ = r.length;
            handler_.handle(request_, response_, keep_, *this);
            if (deferred_) return;  // resume() carries on
        } else {
            handler_.handle_error(r.status, response_);
        }
        if (!write() || !finish_response()) return;
    }
}

template <class Stream>
answer_later::finish basic_session<Stream>::defer() {
    deferred_ = true;
    // Nothing is read meanwhile; the wait is bounded like an idle connection's.
    set_deadline(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    return [self = this->shared_from_this()](std::function<void()> fill) {
        auto& s = *self;
        net::post(s.stream_.get_executor(),
                  [self = std::move(self), fill = std::move(fill)] { self->resume(fill); });
    };
}

// The handler's answer is ready: fill the response on this thread, send it, carry on.
template <class Stream>
void basic_session<Stream>::resume(const std::function<void()>& fill) {
    deferred_ = false;
    fill();
    if (closed_) return;  // timed out while waiting
    if (write() && finish_response()) serve();
}

template <class Stream>
void basic_session<Stream>::wait_for_request() {
    if (observer_.draining()) return close();  // draining: no new requests on this connection
    idle_begin(idle_, socket());
    set_deadline(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    read();
}

// Sends the response; true when it went out whole at once. Otherwise the rest is written
// asynchronously (or the connection closed) and on_write carries on.
template <class Stream>
bool basic_session<Stream>::write() {
    pending_ = {net::buffer(response_.head), net::buffer(response_.body)};
    if constexpr (!is_tls<Stream>) {
        // One sendmsg straight from the bundle's memory; a full socket buffer is the rare case.
        error_code ec;
        const std::size_t n = stream_.write_some(pending_, ec);
        if (ec && ec != net::error::would_block) {
            close();
            return false;
        }
        const std::size_t head = response_.head.size();
        if (n == head + response_.body.size()) return true;
        pending_ = n < head ? std::array{pending_[0] + n, pending_[1]}
                            : std::array{net::const_buffer{}, pending_[1] + (n - head)};
    }
    set_deadline(std::chrono::milliseconds(cfg_.idle_timeout_ms));
    net::async_write(
        stream_, pending_,
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_write(ec, n); });
    return false;
}

template <class Stream>
void basic_session<Stream>::on_write(error_code ec, std::size_t) {
    if (ec) return close();
    if (finish_response()) serve();
}

// The response is out: report it, drop the request from the buffer. False when the connection
// is ending instead.
template <class Stream>
bool basic_session<Stream>::finish_response() {
    observer_.response_written(socket(), parsed_ ? &request_ : nullptr, response_, started_);
    keep_.reset();
    if (response_.close) {
        linger();
        return false;
    }
    size_ -= head_length_;
    if (size_ > 0) std::memmove(buffer_.get(), buffer_.get() + head_length_, size_);
    head_length_ = 0;
    return true;
}

// A lingering close: send FIN, then drain what the client still sends (a refused body, the
// rest of a pipeline) until it closes too, bounded in time and bytes.
template <class Stream>
void basic_session<Stream>::linger() {
    set_deadline(linger_time);
    if constexpr (is_tls<Stream>) {
        // close_notify first (RFC 8446 §6.1), bounded like the drain; then the socket goes.
        stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close(); });
        return;
    }
    error_code ec;
    socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (ec) return close();
    lingered_ = 0;
    on_linger({}, 0);
}

template <class Stream>
void basic_session<Stream>::on_linger(error_code ec, std::size_t n) {
    lingered_ += n;
    if (ec || lingered_ >= linger_bytes) return close();
    stream_.async_read_some(
        net::buffer(buffer_.get(), capacity_),
        [self = this->shared_from_this()](error_code e, std::size_t k) { self->on_linger(e, k); });
}

// Lazy deadlines: a later deadline is only stored (the pending wait re-arms when it fires);
// an earlier one re-arms the timer now.
template <class Stream>
void basic_session<Stream>::set_deadline(clock::duration d) {
    deadline_ = clock::now() + d;
    if (!timer_waiting_ || deadline_ < timer_.expiry()) arm_timer();
}

template <class Stream>
void basic_session<Stream>::arm_timer() {
    timer_waiting_ = true;
    timer_.expires_at(deadline_);  // cancels a pending wait, whose handler then does nothing
    timer_.async_wait([self = this->shared_from_this()](error_code ec) { self->on_timer(ec); });
}

template <class Stream>
void basic_session<Stream>::on_timer(error_code ec) {
    if (ec == net::error::operation_aborted || closed_) return;
    timer_waiting_ = false;
    if (clock::now() < deadline_) return arm_timer();
    // Out of time: closing the socket ends the pending read or write with an error.
    close();
}

template <class Stream>
void basic_session<Stream>::close() {
    if (closed_) return;
    closed_ = true;
    idle_end(idle_);
    timer_.cancel();
    error_code ec;
    socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    socket().close(ec);
}

template class basic_session<net::ip::tcp::socket>;
template class basic_session<net::ssl::stream<net::ip::tcp::socket>>;

}  // namespace kade::http
