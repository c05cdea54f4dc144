#pragma once
// Graceful drain: once draining, a connection that goes idle closes instead of waiting for
// another request, and connections already idle are closed at once. Each worker thread keeps
// an intrusive list of its idle connections (no allocation, no lock: only that thread touches
// it).
#include <boost/asio/ip/tcp.hpp>

namespace kade::ops {

struct idle_link {
    idle_link* prev = nullptr;
    idle_link* next = nullptr;
    boost::asio::ip::tcp::socket* socket = nullptr;
};

// Process-wide: set once by begin_drain(), never cleared.
bool draining();
void begin_drain();

// A session about to wait idle for its next request joins this thread's list, and leaves it
// when the wait ends (data, timeout, error or cancel). Both on the session's worker thread.
void idle_begin(idle_link& link, boost::asio::ip::tcp::socket& socket);
void idle_end(idle_link& link);

// Run on each worker thread after begin_drain(): cancels the idle waits of this thread's
// connections, whose handlers then close them. Returns how many were cancelled.
int close_idle_connections();

}  // namespace kade::ops
