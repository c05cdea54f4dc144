#pragma once
// The accept loop of one worker: its own acceptor on a shared port (SO_REUSEPORT, so the kernel
// spreads connections over workers), a connection cap, a session per connection.
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/config.hpp"
#include "server/http/session.hpp"

namespace kade::http {

class listener : public std::enable_shared_from_this<listener> {
  public:
    // Binds and listens; throws boost::system::system_error naming the address on failure.
    // With `tls`, every connection is HTTPS with that context (which must outlive the listener).
    listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
             const server_config& cfg, request_handler& h, connection_limits& limits,
             connection_observer& observer, boost::asio::ssl::context* tls = nullptr);
    // Throws when another socket already listens on `endpoint`. Workers bind with SO_REUSEPORT
    // among themselves, which on its own would also let a second kade-serve (same user) take
    // half of the connections without an error; this probe binds without it first.
    static void ensure_port_free(const boost::asio::ip::tcp::endpoint& endpoint);

    void run();
    void stop();  // stop accepting; open connections finish

  private:
    void accept();

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    const server_config& cfg_;
    request_handler& handler_;
    connection_limits& limits_;
    connection_observer& observer_;
    boost::asio::ssl::context* tls_;
};

}  // namespace kade::http
