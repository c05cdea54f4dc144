#pragma once
// The process's signals, handled on one event loop. SIGHUP asks the reloader for a reload.
// SIGTERM or SIGINT drains: stop accepting, close idle connections, let the open ones finish
// for at most the timeout, then stop; a second one changes nothing. fail() drains the same way,
// from any thread, for a server that must not go on (its bundle failed the background check).
#include <atomic>
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

    // From any thread: drain as on SIGTERM, and failed() becomes true (kade-serve exits 1).
    void fail();
    bool failed() const { return failed_.load(); }

  private:
    void wait();
    void on_signal(boost::system::error_code ec, int signo);
    void drain();
    void check_drained();

    boost::asio::signal_set signals_;
    boost::asio::steady_timer timer_;
    reloader& reloads_;
    const std::chrono::milliseconds timeout_;
    const actions act_;
    std::chrono::steady_clock::time_point deadline_;
    std::atomic<bool> failed_{false};
};

}  // namespace kade::ops
