#include "common/compress.hpp"

#include <memory>
#include <stdexcept>

#include <zlib.h>
#include <zstd.h>

namespace kade {

std::string gzip_compress(std::string_view body, int level) {
    // One deflate state per thread and level, reset between bodies: deflateInit2 allocates
    // about 270 KB, which glibc maps and unmaps per call (above its mmap threshold), and that
    // cost search answers compressed on the fly 3-10x the deflate itself (bench/dcz).
    struct deflater {
        z_stream zs{};
        int level = -1;
        ~deflater() {
            if (level >= 0) deflateEnd(&zs);
        }
    };
    thread_local deflater d;
    if (d.level != level) {
        if (d.level >= 0) deflateEnd(&d.zs);
        d.zs = z_stream{};
        d.level = -1;
        // windowBits 15 + 16: a gzip wrapper; deflateInit2 writes mtime 0 and no file name.
        if (deflateInit2(&d.zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::runtime_error("gzip: cannot initialise");
        d.level = level;
    } else if (deflateReset(&d.zs) != Z_OK) {
        throw std::runtime_error("gzip: cannot reset");
    }
    z_stream& zs = d.zs;
    std::string out(deflateBound(&zs, static_cast<uLong>(body.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    zs.avail_in = static_cast<uInt>(body.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto produced = zs.total_out;
    if (rc != Z_STREAM_END) {
        deflateEnd(&zs);
        d.level = -1;
        throw std::runtime_error("gzip: compression failed");
    }
    out.resize(produced);
    return out;
}

std::string zstd_compress(std::string_view body, int level) {
    std::string out(ZSTD_compressBound(body.size()), '\0');
    // One context per thread, reused: creating one per call costs more than small pages.
    // Freed when the thread ends (compression threads are joined per build).
    struct free_cctx {
        void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
    };
    thread_local std::unique_ptr<ZSTD_CCtx, free_cctx> owned(ZSTD_createCCtx());
    if (!owned) throw std::runtime_error("zstd: cannot create a compression context");
    ZSTD_CCtx* cctx = owned.get();
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
    const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), body.data(), body.size());
    if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

}  // namespace kade
