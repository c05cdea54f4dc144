#pragma once
// Compression dictionary transport (RFC 9842): the blog's own dictionary and the `dcz` coding.
// A dictionary is raw content (no zstd dictionary header): RFC 9842 §5.2 has the client load it
// as ZSTD_dct_rawContent, and it is named by the SHA-256 of its bytes.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kade::dictionary {

using sha256_digest = std::array<std::uint8_t, 32>;
sha256_digest sha256(std::string_view bytes);
std::string hex(const sha256_digest& d);
// The Structured Field byte sequence of the digest, ":BASE64:", as Available-Dictionary sends it.
std::string sf_binary(const sha256_digest& d);

// A `dcz` body starts with this 40-byte header (RFC 9842 §5.2): a zstd skippable frame with
// magic 0x184D2A5E and length 32, whose content is the dictionary's SHA-256.
inline constexpr std::size_t dcz_header_size = 40;
std::string dcz_header(const sha256_digest& d);

// Trains a raw-content dictionary of at most `max_bytes` from `samples` (in the given order:
// the same samples give the same bytes). zstd's trainer (fastCover, single-threaded) picks the
// segments; too little material for it (a blog of a few posts) falls back to the samples' last
// `max_bytes`, which hold the page chrome as well. Empty when `samples` is empty.
std::string train(const std::vector<std::string_view>& samples, std::size_t max_bytes);

// zstd with a raw-content dictionary loaded once, for many bodies. Not thread-safe: one per
// thread. compress() returns the whole `dcz` body: header, then the zstd frame.
class dcz_compressor {
  public:
    // `dict` must outlive the compressor (loaded by reference). Throws std::runtime_error.
    dcz_compressor(std::string_view dict, int level);
    ~dcz_compressor();
    dcz_compressor(const dcz_compressor&) = delete;
    dcz_compressor& operator=(const dcz_compressor&) = delete;
    std::string compress(std::string_view body);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// The other way: a `dcz` body back to its bytes, for what the server derives from dcz (the
// snippet texts). Keeps its own copy of the dictionary. Not thread-safe: one per thread.
class dcz_decompressor {
  public:
    explicit dcz_decompressor(std::string_view dict);  // throws std::runtime_error
    ~dcz_decompressor();
    dcz_decompressor(const dcz_decompressor&) = delete;
    dcz_decompressor& operator=(const dcz_decompressor&) = delete;
    const sha256_digest& digest() const { return digest_; }
    // The bytes of `body` when it is a dcz body made with this dictionary that decompresses to
    // exactly `size` bytes; nullopt otherwise. Allocates `size` bytes, never more.
    std::optional<std::string> decompress(std::string_view body, std::size_t size);

  private:
    sha256_digest digest_;
    std::string header_;
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kade::dictionary
