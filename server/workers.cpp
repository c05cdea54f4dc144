#include "server/workers.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include "server/handler.hpp"
#include "server/http/idle_connections.hpp"
#include "server/http/listener.hpp"

namespace kade {
namespace net = boost::asio;

struct workers::worker {
    // Only this worker's thread touches its sockets and timers, so the reactor's per-socket
    // locks can go; the scheduler keeps its own, for the posts of the signal handler.
    net::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    std::unique_ptr<kade::handler> requests;  // this thread's handler
    std::shared_ptr<http::listener> listener;
    std::shared_ptr<http::listener> tls_listener;  // when server.tls_listen is set
};

namespace {

// "HOST:PORT" as the config has checked it.
net::ip::tcp::endpoint endpoint_of(const std::string& listen) {
    std::string host;
    unsigned short port = 0;
    split_host_port(listen, host, port);
    return {net::ip::make_address(host), port};
}

}  // namespace

workers::workers(const config& cfg, const http::header_policy& policy, ops::bundle_slot& slot,
                 http::connection_limits& limits, http::connection_observer& observer,
                 net::ssl::context* tls) {
    const net::ip::tcp::endpoint endpoint = endpoint_of(cfg.server.listen);
    const net::ip::tcp::endpoint tls_endpoint =
        tls ? endpoint_of(cfg.server.tls_listen) : net::ip::tcp::endpoint{};
    // SO_REUSEPORT would let this process quietly share a port with another one.
    http::listener::ensure_port_free(endpoint);
    if (tls) http::listener::ensure_port_free(tls_endpoint);
    const unsigned count = cfg.server.threads > 0
                               ? static_cast<unsigned>(cfg.server.threads)
                               : std::max(1u, std::thread::hardware_concurrency());
    searches_ = std::make_unique<search::service>(search::settings_from(cfg.search));
    for (unsigned i = 0; i < count; ++i) {
        auto w = std::make_unique<worker>();
        w->requests = std::make_unique<handler>(cfg, policy, slot, *searches_);
        w->listener = std::make_shared<http::listener>(w->ioc, endpoint, cfg.server, *w->requests,
                                                       limits, observer);
        w->listener->run();
        if (tls) {
            w->tls_listener = std::make_shared<http::listener>(w->ioc, tls_endpoint, cfg.server,
                                                               *w->requests, limits, observer, tls);
            w->tls_listener->run();
        }
        workers_.push_back(std::move(w));
    }
}

workers::~workers() = default;

net::io_context& workers::first_loop() {
    return workers_.front()->ioc;
}

void workers::stop_accepting() {
    for (auto& w : workers_)
        net::post(w->ioc, [l = w->listener, t = w->tls_listener] {
            l->stop();
            if (t) t->stop();
            http::close_idle_connections();  // this worker's idle keep-alives
        });
}

void workers::take_live_bundle() {
    for (auto& w : workers_) net::post(w->ioc, [h = w->requests.get()] { h->refresh(); });
}

void workers::stop() {
    for (auto& w : workers_) w->ioc.stop();
}

void workers::run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers_.size(); ++i)
        threads.emplace_back([&w = *workers_[i]] { w.ioc.run(); });
    workers_.front()->ioc.run();
    for (auto& t : threads) t.join();
}

}  // namespace kade
