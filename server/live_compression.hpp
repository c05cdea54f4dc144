#pragma once
// Bodies made per request (search HTML and JSON) compressed on the fly when the client asks:
// gzip, zstd, or dcz with the bundle's dictionary. One per worker thread (not thread-safe).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/dictionary.hpp"
#include "server/http/accept_encoding.hpp"

namespace kade {

class live_compression {
  public:
    // Levels chosen for CPU per response (bench/results: dcz_live.md), not for the last byte.
    static constexpr int gzip_level = 6;
    static constexpr int zstd_level = 3;
    static constexpr int dcz_level = 3;

    // The bundle's dictionary (empty: none); `dict` must stay valid until the next call.
    void set_dictionary(std::string_view dict);

    // Chooses among identity, gzip, zstd and (when `dictionary_ok`) dcz by `weights`, as for
    // a precompressed page, and compresses `body` in place. Bodies under `min_bytes` stay as
    // they are: compression would gain a few bytes for the CPU.
    http::coding apply(const http::accept_weights& weights, bool dictionary_ok,
                       std::size_t min_bytes, std::string& body);
    // apply in two steps, for a caller that names the representation (its ETag) before making it.
    http::coding choose(const http::accept_weights& weights, bool dictionary_ok,
                        std::size_t min_bytes, std::size_t size) const;
    void compress(http::coding coding, std::string& body);

  private:
    std::string_view dict_;
    std::unique_ptr<dictionary::dcz_compressor> dcz_;  // made on the first dcz answer
};

}  // namespace kade
