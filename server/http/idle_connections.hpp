#pragma once
// The idle keep-alive connections of a worker thread, so a drain can close them at once. Each
// worker thread keeps an intrusive list of its idle connections (no allocation, no lock: only
// that thread touches it).
#include <boost/asio/ip/tcp.hpp>

namespace kade::http {

struct idle_link {
    idle_link* prev = nullptr;
    idle_link* next = nullptr;
    boost::asio::ip::tcp::socket* socket = nullptr;
};

// A session about to wait idle for its next request joins this thread's list, and leaves it
// when the wait ends (data, timeout, error or cancel). Both on the session's worker thread.
void idle_begin(idle_link& link, boost::asio::ip::tcp::socket& socket);
void idle_end(idle_link& link);

// Run on each worker thread once draining: cancels the idle waits of this thread's
// connections, whose handlers then close them. Returns how many were cancelled.
int close_idle_connections();

}  // namespace kade::http
