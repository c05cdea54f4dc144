// kade-serve: flags → config → bundle → listeners → threads → signals.
#include <csignal>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/bundle_reader.hpp"
#include "common/command_line.hpp"
#include "common/config.hpp"
#include "common/diagnostic.hpp"
#include "server/handler.hpp"
#include "server/http/listener.hpp"
#include "server/http/response.hpp"
#include "server/ops/access_log.hpp"
#include "server/ops/bundle_slot.hpp"
#include "server/ops/drain.hpp"
#include "server/ops/metrics.hpp"
#include "server/ops/reloader.hpp"
#include "server/search/settings.hpp"

namespace {

namespace net = boost::asio;

constexpr const char* usage =
    "usage: kade-serve --config FILE [--bundle FILE] [--listen HOST:PORT]\n"
    "\n"
    "Loads a bundle written by kade-index into memory and serves the blog from it.\n"
    "SIGHUP, or a new file at the bundle path (server.watch_bundle), reloads the bundle\n"
    "(verified first; a bad one is refused and the old one keeps serving). SIGTERM or SIGINT:\n"
    "stop accepting, close idle connections, finish what is in flight, exit 0.\n"
    "\n"
    "  --config FILE       configuration (see below for every key and its default)\n"
    "  --bundle FILE       bundle to serve, overrides [server].bundle\n"
    "  --listen HOST:PORT  address to listen on, overrides [server].listen\n"
    "  --help              this text;  --version  the version\n"
    "\n"
    "Exit status: 0 stopped cleanly, 1 failure, 2 usage error.\n"
    "\n"
    "Configuration keys:\n";

struct arguments {
    std::string config, bundle, listen;
};

// The arguments of a run; --help and --version are answered by main.
kade::command parse_arguments(int argc, char** argv, arguments& a) {
    const kade::option options[] = {kade::value_option("--config", a.config),
                                    kade::value_option("--bundle", a.bundle),
                                    kade::value_option("--listen", a.listen)};
    const kade::command c = kade::parse_command_line(argc, argv, options);
    if (c == kade::command::run && a.config.empty())
        throw kade::usage_error("--config FILE is required");
    return c;
}

// One worker: an event loop on its own thread, with its own acceptor and handler.
struct worker {
    // Only this worker's thread touches its sockets and timers, so the reactor's per-socket
    // locks can go; the scheduler keeps its own, for the posts of the signal handler.
    net::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    std::unique_ptr<kade::handler> handler;
    std::shared_ptr<kade::http::listener> listener;
    std::shared_ptr<kade::http::listener> tls_listener;  // when server.tls_listen is set
};

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    try {
        switch (parse_arguments(argc, argv, args)) {
            case kade::command::help:
                std::cout << usage << kade::config_reference();
                return kade::exit_ok;
            case kade::command::version:
                std::cout << "kade-serve " KADE_VERSION "\n";
                return kade::exit_ok;
            case kade::command::run:
                break;
        }
    } catch (const kade::usage_error& e) {
        std::cerr << "kade-serve: " << e.what() << "\n(see kade-serve --help)\n";
        return kade::exit_usage;
    }
    kade::config cfg;
    try {
        cfg = kade::load_config(args.config);
    } catch (const kade::diagnostics_error& e) {
        for (const auto& d : e.diagnostics) std::cerr << kade::format_diagnostic(d) << "\n";
        return kade::exit_failure;
    }
    try {
        const kade::config_override flags[] = {{"--bundle", "server.bundle", args.bundle},
                                               {"--listen", "server.listen", args.listen}};
        kade::apply_overrides(cfg, flags);
    } catch (const kade::diagnostics_error& e) {
        for (const auto& d : e.diagnostics) std::cerr << kade::format_diagnostic(d) << "\n";
        return kade::exit_usage;
    }
    std::string host;
    unsigned short port = 0;
    kade::split_host_port(cfg.server.listen, host, port);  // checked by the config

    try {
        auto first = kade::bundle::loaded_bundle::load(cfg.server.bundle);
        {
            kade::search::searcher probe(*first);  // refuse at start what a reload would refuse
            // A "local" shard the bundle lacks is refused here too (a remote one that is down
            // is not: it is retried while serving).
            const auto shards = kade::search::settings_from(cfg.search).shards;
            if (!shards.where.empty()) kade::search::searcher with_shards(*first, 0, shards);
        }
        kade::ops::bundle_slot slot(first);
        const kade::http::header_policy policy(cfg.http);
        kade::http::connection_limits limits;
        kade::ops::set_open_connections_source(&limits.open);
        kade::ops::start_access_log(cfg.log.access);
        // Flushes and joins the log writer on every way out, a failed bind included.
        struct access_log_stopper {
            ~access_log_stopper() { kade::ops::stop_access_log(); }
        } access_log_stopper;
        // Declared after the slot so it stops (joins) before the slot goes.
        kade::ops::reloader reloads(slot, cfg.server.bundle, cfg.server.watch_bundle != 0);
        const net::ip::tcp::endpoint endpoint(net::ip::make_address(host), port);
        // HTTPS to the origin, for CDNs that verify it: TLS 1.2 and 1.3 only.
        std::unique_ptr<net::ssl::context> tls;
        net::ip::tcp::endpoint tls_endpoint;
        if (!cfg.server.tls_listen.empty()) {
            std::string tls_host;
            unsigned short tls_port = 0;
            kade::split_host_port(cfg.server.tls_listen, tls_host, tls_port);  // validated
            tls_endpoint = {net::ip::make_address(tls_host), tls_port};
            tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
            tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                             net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                             net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
            boost::system::error_code tls_ec;
            tls->use_certificate_chain_file(cfg.server.tls_certificate, tls_ec);
            if (tls_ec)
                throw std::runtime_error("cannot load server.tls_certificate " +
                                         cfg.server.tls_certificate + ": " + tls_ec.message());
            tls->use_private_key_file(cfg.server.tls_key, net::ssl::context::pem, tls_ec);
            if (tls_ec)
                throw std::runtime_error("cannot load server.tls_key " + cfg.server.tls_key + ": " +
                                         tls_ec.message());
        }

        const unsigned count = cfg.server.threads > 0
                                   ? static_cast<unsigned>(cfg.server.threads)
                                   : std::max(1u, std::thread::hardware_concurrency());
        // SO_REUSEPORT would let this process quietly share a port with another one.
        kade::http::listener::ensure_port_free(endpoint);
        if (tls) kade::http::listener::ensure_port_free(tls_endpoint);
        std::vector<std::unique_ptr<worker>> workers;
        for (unsigned i = 0; i < count; ++i) {
            auto w = std::make_unique<worker>();
            w->handler = std::make_unique<kade::handler>(cfg, policy, slot);
            w->listener = std::make_shared<kade::http::listener>(w->ioc, endpoint, cfg.server,
                                                                 *w->handler, limits);
            w->listener->run();
            if (tls) {
                w->tls_listener = std::make_shared<kade::http::listener>(
                    w->ioc, tls_endpoint, cfg.server, *w->handler, limits, tls.get());
                w->tls_listener->run();
            }
            workers.push_back(std::move(w));
        }

        // Signals are handled on the first worker's loop.
        net::io_context& main_ioc = workers.front()->ioc;
        net::signal_set signals(main_ioc, SIGINT, SIGTERM, SIGHUP);
        net::steady_timer drain_timer(main_ioc);
        std::function<void(boost::system::error_code)> drain_check;
        std::function<void(boost::system::error_code, int)> on_signal;
        on_signal = [&](boost::system::error_code ec, int signo) {
            if (ec) return;
            if (signo == SIGHUP) {
                reloads.request();  // on the reload thread: verifying takes a while
                signals.async_wait(on_signal);
                return;
            }
            if (kade::ops::draining()) return;  // a second signal changes nothing
            std::cerr << "kade-serve: stopping: no new connections, finishing open ones\n";
            kade::ops::begin_drain();
            for (auto& w : workers)
                net::post(w->ioc, [l = w->listener, t = w->tls_listener] {
                    l->stop();
                    if (t) t->stop();
                    kade::ops::close_idle_connections();  // this worker's idle keep-alives
                });
            // Finish in-flight work for a bounded time, then stop every loop.
            const auto deadline = std::chrono::steady_clock::now() +
                                  std::chrono::milliseconds(cfg.server.shutdown_timeout_ms);
            drain_check = [&, deadline](boost::system::error_code) {
                if (limits.open.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
                    for (auto& w : workers) w->ioc.stop();
                    return;
                }
                drain_timer.expires_after(std::chrono::milliseconds(20));
                drain_timer.async_wait(drain_check);
            };
            drain_check({});
        };
        signals.async_wait(on_signal);

        std::cerr << "kade-serve: serving " << cfg.server.bundle << " (build "
                  << first->view().build_id() << ") on http://" << cfg.server.listen << "/ with "
                  << count << " threads"
                  << (reloads.watching() ? "; watching the bundle path for new bundles" : "")
                  << "\n";
        first.reset();

        std::vector<std::thread> threads;
        for (std::size_t i = 1; i < workers.size(); ++i)
            threads.emplace_back([&w = *workers[i]] { w.ioc.run(); });
        workers.front()->ioc.run();
        for (auto& t : threads) t.join();
        const int left = limits.open.load();
        kade::ops::stop_access_log();
        if (left > 0) {
            std::cerr << "kade-serve: stopped; " << left
                      << " connections still open after server.shutdown_timeout_ms were closed\n";
        } else {
            std::cerr << "kade-serve: stopped\n";
        }
        return kade::exit_ok;
    } catch (const std::exception& e) {
        std::cerr << "kade-serve: " << e.what() << "\n";
        return kade::exit_failure;
    }
}
