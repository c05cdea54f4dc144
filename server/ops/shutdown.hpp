#pragma once
// The process's signals, handled on one event loop. SIGHUP asks the reloader for a reload.
// SIGTERM or SIGINT drains: stop accepting, close idle connections, let the open ones finish
// for at most the timeout, then stop; a second one changes nothing.
#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/ops/reloader.hpp"

namespace kade::ops {

class shutdown_controller {
  public:
    // What a drain does to the server, given by its owner (see server/workers.hpp).
    struct actions {
        std::function<void()> stop_accepting;
        std::function<int()> open_connections;
        std::function<void()> stop;
    };

    shutdown_controller(boost::asio::io_context& ioc, reloader& reloads,
                        std::chrono::milliseconds timeout, actions act);

  private:
    void wait();
    void on_signal(boost::system::error_code ec, int signo);
    void check_drained();

    boost::asio::signal_set signals_;
    boost::asio::steady_timer timer_;
    reloader& reloads_;
    const std::chrono::milliseconds timeout_;
    const actions act_;
    std::chrono::steady_clock::time_point deadline_;
};

}  // namespace kade::ops
