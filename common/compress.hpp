#pragma once
// Precompression: zstd and gzip variants of a body, each kept only when smaller than identity.
#include <optional>
#include <string>
#include <string_view>

namespace kade {

struct compressed_variants {
    std::optional<std::string> gzip;
    std::optional<std::string> zstd;
};

// Deterministic output: the gzip header carries no name and no time, and both compressors are
// single-threaded, so the same input gives the same bytes. Throws std::runtime_error on a
// compressor failure.
compressed_variants compress_variants(std::string_view body, int zstd_level, int gzip_level);

std::string gzip_compress(std::string_view body, int level);
std::string zstd_compress(std::string_view body, int level);

}  // namespace kade
