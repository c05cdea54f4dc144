#pragma once
// The HTTPS listener's TLS context (server.tls_listen), for CDNs that verify the origin.
#include <memory>

#include <boost/asio/ssl/context.hpp>

#include "common/config.hpp"

namespace kade {

// TLS 1.2 and 1.3 only, with the PEM certificate chain and key the config names. Null when
// server.tls_listen is empty; throws std::runtime_error naming the key of a file that cannot be
// loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const server_config& cfg);

}  // namespace kade
