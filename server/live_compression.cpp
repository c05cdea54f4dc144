#include "server/live_compression.hpp"

#include "common/compress.hpp"

namespace kade {

void live_compression::set_dictionary(std::string_view dict) {
    dcz_.reset();
    dict_ = dict;
}

http::coding live_compression::apply(const http::accept_weights& weights, bool dictionary_ok,
                                     std::size_t min_bytes, std::string& body) {
    if (body.size() < min_bytes) return http::coding::identity;
    // The sizes are not known before compressing: rank as they come out on HTML and JSON
    // (dcz smallest, then zstd, then gzip), so equal q-values pick the same as for a page.
    http::held_variants held;
    held.held = {true, true, true, dictionary_ok && !dict_.empty()};
    held.size = {4, 3, 2, 1};
    const auto chosen = http::choose_coding(weights, held);
    if (!chosen) return http::coding::identity;  // the caller's 200 stays identity, as before
    switch (*chosen) {
        case http::coding::gzip:
            body = gzip_compress(body, gzip_level);
            break;
        case http::coding::zstd:
            body = zstd_compress(body, zstd_level);
            break;
        case http::coding::dcz:
            if (!dcz_) dcz_ = std::make_unique<dictionary::dcz_compressor>(dict_, dcz_level);
            body = dcz_->compress(body);
            break;
        case http::coding::identity:
            break;
    }
    return *chosen;
}

}  // namespace kade
