#include "server/ops/shutdown.hpp"

#include <csignal>
#include <iostream>

#include <boost/asio/post.hpp>

#include "server/ops/drain.hpp"

namespace kade::ops {

shutdown_controller::shutdown_controller(boost::asio::io_context& ioc, reloader& reloads,
                                         std::chrono::milliseconds timeout, actions act)
    : signals_(ioc, SIGINT, SIGTERM, SIGHUP),
      timer_(ioc),
      reloads_(reloads),
      timeout_(timeout),
      act_(std::move(act)) {
    wait();
}

void shutdown_controller::wait() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) { on_signal(ec, signo); });
}

void shutdown_controller::on_signal(boost::system::error_code ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
        reloads_.request();  // on the reload thread: verifying takes a while
        wait();
        return;
    }
    drain();
}

void shutdown_controller::fail() {
    failed_.store(true);
    boost::asio::post(signals_.get_executor(), [this] { drain(); });
}

void shutdown_controller::drain() {
    if (draining()) return;  // a second signal changes nothing
    std::cerr << "kade-serve: stopping: no new connections, finishing open ones\n";
    begin_drain();
    act_.stop_accepting();
    // Finish in-flight work for a bounded time, then stop every loop.
    deadline_ = std::chrono::steady_clock::now() + timeout_;
    check_drained();
}

void shutdown_controller::check_drained() {
    if (act_.open_connections() == 0 || std::chrono::steady_clock::now() >= deadline_) {
        act_.stop();
        return;
    }
    timer_.expires_after(std::chrono::milliseconds(20));
    timer_.async_wait([this](boost::system::error_code) { check_drained(); });
}

}  // namespace kade::ops
