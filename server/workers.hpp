#pragma once
// The server's worker threads. Each runs an event loop of its own with its own handler and its
// own acceptors on the shared ports (SO_REUSEPORT), so a request never crosses threads. Only a
// search does: it runs on the search threads (search::service) and its answer comes back.
#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/config.hpp"
#include "server/http/response.hpp"
#include "server/http/session.hpp"
#include "server/ops/bundle_slot.hpp"
#include "server/search/service.hpp"

namespace kade {

class workers {
  public:
    // server.threads workers (0: one per core), each listening on server.listen and, with `tls`,
    // on server.tls_listen; their connections report to `observer`. Throws when a port is taken
    // or cannot be bound.
    workers(const config& cfg, const http::header_policy& policy, ops::bundle_slot& slot,
            http::connection_limits& limits, http::connection_observer& observer,
            boost::asio::ssl::context* tls);
    ~workers();
    workers(const workers&) = delete;
    workers& operator=(const workers&) = delete;

    std::size_t count() const { return workers_.size(); }

    // The first worker's loop: signals are handled there.
    boost::asio::io_context& first_loop();

    // Each worker stops accepting and closes its idle keep-alive connections, on its own loop.
    void stop_accepting();
    // Each worker takes the live bundle on its own loop (and its search threads let go of the
    // one it replaced), without waiting for its next request. From any thread.
    void take_live_bundle();
    // Every loop returns from run().
    void stop();
    // Runs the first loop on this thread and the others on threads of their own; returns when
    // all of them have stopped.
    void run();

  private:
    struct worker;
    std::vector<std::unique_ptr<worker>> workers_;
    // After workers_: destroyed first, so its threads have stopped (their last answers posted)
    // before the loops and handlers they post to go.
    std::unique_ptr<search::service> searches_;
};

}  // namespace kade
