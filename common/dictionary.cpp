#include "common/dictionary.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/sha.h>
#define ZDICT_STATIC_LINKING_ONLY  // ZDICT_trainFromBuffer_fastCover with fixed parameters
#include <zdict.h>
#define ZSTD_STATIC_LINKING_ONLY  // rawContent dictionaries (exported by libzstd.so)
#include <zstd.h>

namespace kade::dictionary {

sha256_digest sha256(std::string_view bytes) {
    sha256_digest d;
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d.data());
    return d;
}

std::string hex(const sha256_digest& d) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t b : d) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string sf_binary(const sha256_digest& d) {
    unsigned char b64[4 * ((32 + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(b64, d.data(), static_cast<int>(d.size()));
    return ":" + std::string(reinterpret_cast<const char*>(b64), static_cast<std::size_t>(n)) + ":";
}

std::string dcz_header(const sha256_digest& d) {
    std::string out = {'\x5e', '\x2a', '\x4d', '\x18', '\x20', '\x00', '\x00', '\x00'};
    out.append(reinterpret_cast<const char*>(d.data()), d.size());
    return out;
}

std::string train(const std::vector<std::string_view>& samples, std::size_t max_bytes) {
    std::string joined;
    std::vector<std::size_t> sizes;
    for (const auto s : samples) {
        joined += s;
        sizes.push_back(s.size());
    }
    if (joined.empty() || max_bytes == 0) return {};
    // The trainer wants many samples and a few times the dictionary's size to choose from.
    if (samples.size() >= 16 && joined.size() >= 4 * max_bytes) {
        std::string dict(max_bytes, '\0');
        ZDICT_fastCover_params_t params{};
        // Fixed k and d (no search over them): fast and the same bytes every time.
        params.k = 2048;
        params.d = 8;
        params.f = 20;
        params.steps = 0;
        params.nbThreads = 1;
        params.accel = 1;
        params.zParams.compressionLevel = 3;
        const std::size_t n =
            ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), joined.data(), sizes.data(),
                                            static_cast<unsigned>(sizes.size()), params);
        if (!ZDICT_isError(n)) {
            dict.resize(n);
            // Raw content: the entropy tables in front mean nothing to a rawContent loader.
            const std::size_t header = ZDICT_getDictHeaderSize(dict.data(), dict.size());
            if (!ZDICT_isError(header)) return dict.substr(header);
        }
    }
    return joined.substr(joined.size() - std::min(joined.size(), max_bytes));
}

struct dcz_compressor::impl {
    ZSTD_CCtx* cctx = nullptr;
    std::string header;
};

dcz_compressor::dcz_compressor(std::string_view dict, int level) : impl_(new impl) {
    impl_->cctx = ZSTD_createCCtx();
    if (!impl_->cctx) throw std::runtime_error("zstd: cannot create a compression context");
    impl_->header = dcz_header(sha256(dict));
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_checksumFlag, 0);
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_contentSizeFlag, 1);
    // RFC 9842 §5.2: decoders need a window of no more than 8 MB (or 1.25 × the dictionary).
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_windowLog, 23);
    const std::size_t rc = ZSTD_CCtx_loadDictionary_advanced(impl_->cctx, dict.data(), dict.size(),
                                                             ZSTD_dlm_byRef, ZSTD_dct_rawContent);
    if (ZSTD_isError(rc)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(rc));
}

dcz_compressor::~dcz_compressor() {
    ZSTD_freeCCtx(impl_->cctx);
}

std::string dcz_compressor::compress(std::string_view body) {
    std::string out = impl_->header;
    out.resize(dcz_header_size + ZSTD_compressBound(body.size()));
    // A new frame with the same parameters and dictionary (both stay loaded across sessions).
    ZSTD_CCtx_reset(impl_->cctx, ZSTD_reset_session_only);
    const std::size_t n = ZSTD_compress2(impl_->cctx, out.data() + dcz_header_size,
                                         out.size() - dcz_header_size, body.data(), body.size());
    if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
    out.resize(dcz_header_size + n);
    return out;
}

struct dcz_decompressor::impl {
    ZSTD_DCtx* dctx = nullptr;
    ZSTD_DDict* ddict = nullptr;
};

dcz_decompressor::dcz_decompressor(std::string_view dict)
    : digest_(sha256(dict)), header_(dcz_header(digest_)), impl_(new impl) {
    impl_->dctx = ZSTD_createDCtx();
    impl_->ddict = ZSTD_createDDict_advanced(dict.data(), dict.size(), ZSTD_dlm_byCopy,
                                             ZSTD_dct_rawContent, ZSTD_defaultCMem);
    if (!impl_->dctx || !impl_->ddict) {
        ZSTD_freeDDict(impl_->ddict);
        ZSTD_freeDCtx(impl_->dctx);
        throw std::runtime_error("zstd: cannot create a decompression context");
    }
}

dcz_decompressor::~dcz_decompressor() {
    ZSTD_freeDDict(impl_->ddict);
    ZSTD_freeDCtx(impl_->dctx);
}

std::optional<std::string> dcz_decompressor::decompress(std::string_view body, std::size_t size) {
    if (!body.starts_with(header_)) return std::nullopt;  // another dictionary, or not dcz
    body.remove_prefix(dcz_header_size);
    // The frame says its size (kade-index writes it); it must be the recorded one.
    if (ZSTD_getFrameContentSize(body.data(), body.size()) != size) return std::nullopt;
    std::string out(size, '\0');
    const std::size_t n = ZSTD_decompress_usingDDict(impl_->dctx, out.data(), out.size(),
                                                     body.data(), body.size(), impl_->ddict);
    if (ZSTD_isError(n) || n != size) return std::nullopt;
    return out;
}

}  // namespace kade::dictionary
