#pragma once
// Precompression: gzip and zstd of a body.
#include <string>
#include <string_view>

namespace kade {

// Deterministic output: the gzip header carries no name and no time, and both compressors are
// single-threaded, so the same input gives the same bytes. Throw std::runtime_error on a
// compressor failure.
std::string gzip_compress(std::string_view body, int level);
std::string zstd_compress(std::string_view body, int level);

}  // namespace kade
