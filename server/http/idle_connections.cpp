#include "server/http/idle_connections.hpp"

namespace kade::http {
namespace {

// Sentinel of this thread's circular list.
idle_link& idle_head() {
    thread_local idle_link head = [] {
        idle_link h;
        return h;
    }();
    if (!head.next) head.next = head.prev = &head;
    return head;
}

}  // namespace

void idle_begin(idle_link& link, boost::asio::ip::tcp::socket& socket) {
    idle_link& head = idle_head();
    link.socket = &socket;
    link.prev = &head;
    link.next = head.next;
    head.next->prev = &link;
    head.next = &link;
}

void idle_end(idle_link& link) {
    if (!link.next) return;  // not in a list
    link.prev->next = link.next;
    link.next->prev = link.prev;
    link.prev = link.next = nullptr;
}

int close_idle_connections() {
    idle_link& head = idle_head();
    int n = 0;
    // cancel() only queues the handlers, so the list does not change under this loop.
    for (idle_link* l = head.next; l != &head; l = l->next) {
        boost::system::error_code ec;
        l->socket->cancel(ec);
        ++n;
    }
    return n;
}

}  // namespace kade::http
