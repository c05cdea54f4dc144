#include "server/live_compression.hpp"

#include "common/compress.hpp"

namespace kade {

void live_compression::set_dictionary(std::string_view dict) {
    dcz_.reset();
    dict_ = dict;
}

http::coding live_compression::apply(const http::accept_weights& weights, bool dictionary_ok,
                                     std::size_t min_bytes, std::string& body) {
    const http::coding chosen = choose(weights, dictionary_ok, min_bytes, body.size());
    compress(chosen, body);
    return chosen;
}

http::coding live_compression::choose(const http::accept_weights& weights, bool dictionary_ok,
                                      std::size_t min_bytes, std::size_t size) const {
    if (size < min_bytes) return http::coding::identity;
    // The sizes are not known before compressing: rank as they come out on HTML and JSON
    // (dcz smallest, then zstd, then gzip), so equal q-values pick the same as for a page.
    http::held_variants held;
    held.held = {true, true, true, dictionary_ok && !dict_.empty()};
    held.size = {4, 3, 2, 1};
    // None acceptable: the caller's 200 stays identity, as before.
    return http::choose_coding(weights, held).value_or(http::coding::identity);
}

void live_compression::compress(http::coding coding, std::string& body) {
    switch (coding) {
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
}

}  // namespace kade
