#include "server/tls_context.hpp"

#include <stdexcept>

namespace kade {

std::unique_ptr<boost::asio::ssl::context> make_tls_context(const server_config& cfg) {
    namespace ssl = boost::asio::ssl;
    if (cfg.tls_listen.empty()) return nullptr;
    auto tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(cfg.tls_certificate, ec);
    if (ec)
        throw std::runtime_error("cannot load server.tls_certificate " + cfg.tls_certificate +
                                 ": " + ec.message());
    tls->use_private_key_file(cfg.tls_key, ssl::context::pem, ec);
    if (ec)
        throw std::runtime_error("cannot load server.tls_key " + cfg.tls_key + ": " + ec.message());
    return tls;
}

}  // namespace kade
