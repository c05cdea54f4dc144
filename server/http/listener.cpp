#include "server/http/listener.hpp"

#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kade::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

listener::listener(net::io_context& ioc, const tcp::endpoint& endpoint, const server_config& cfg,
                   request_handler& h, connection_limits& limits, connection_observer& observer,
                   net::ssl::context* tls)
    : ioc_(ioc),
      acceptor_(ioc),
      cfg_(cfg),
      handler_(h),
      limits_(limits),
      observer_(observer),
      tls_(tls) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    const int one = 1;
    ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::ensure_port_free(const tcp::endpoint& endpoint) {
    net::io_context ioc;
    tcp::acceptor probe(ioc);
    probe.open(endpoint.protocol());
    // SO_REUSEADDR still lets us bind over TIME_WAIT leftovers, but not over a listener.
    probe.set_option(net::socket_base::reuse_address(true));
    boost::system::error_code ec;
    probe.bind(endpoint, ec);
    if (ec == net::error::address_in_use)
        throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                                 std::to_string(endpoint.port()) +
                                 ": another process is listening there");
    if (ec) throw boost::system::system_error(ec, "cannot bind " + endpoint.address().to_string());
}

void listener::run() {
    accept();
}

void listener::stop() {
    boost::system::error_code ec;
    acceptor_.close(ec);
}

void listener::accept() {
    acceptor_.async_accept(
        ioc_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (ec) {
                // Out of descriptors and the like: back off briefly instead of spinning.
                std::cerr << "kade-serve: accept: " << ec.message() << "\n";
                auto timer =
                    std::make_shared<net::steady_timer>(self->ioc_, std::chrono::milliseconds(50));
                timer->async_wait([self, timer](boost::system::error_code) { self->accept(); });
                return;
            }
            if (self->limits_.open.load(std::memory_order_relaxed) >= self->cfg_.max_connections) {
                boost::system::error_code ignored;
                socket.close(ignored);  // over the cap: refused at once, the others unaffected
            } else if (self->tls_) {
                std::make_shared<tls_session>(std::move(socket), self->cfg_, self->handler_,
                                              self->limits_, self->observer_, self->tls_)
                    ->run();
            } else {
                std::make_shared<session>(std::move(socket), self->cfg_, self->handler_,
                                          self->limits_, self->observer_)
                    ->run();
            }
            self->accept();
        });
}

}  // namespace kade::http
