#include "common/compress.hpp"

#include <string>

#include <gtest/gtest.h>
#include <zlib.h>

namespace kade {
namespace {

std::string gunzip(const std::string& in) {
    z_stream zs{};
    inflateInit2(&zs, 15 + 16);
    std::string out(1 << 20, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    inflateEnd(&zs);
    return out;
}

// The deflate state is reused per thread: each body must still be a gzip member of its own,
// the same bytes whatever was compressed before it, at whatever level.
TEST(compress, gzip_reused_state_gives_the_same_bytes_and_decodes) {
    std::string a, b;
    for (int i = 0; i < 500; ++i)
        a += "Over ondernemen en samenwerken, alinea " + std::to_string(i) + ". ";
    for (int i = 0; i < 300; ++i) b += "Andere tekst " + std::to_string(i * 7) + "; ";
    const std::string a9 = gzip_compress(a, 9);
    EXPECT_EQ(gunzip(a9), a);
    EXPECT_EQ(gunzip(gzip_compress(b, 9)), b);
    EXPECT_EQ(gzip_compress(a, 9), a9);
    const std::string a6 = gzip_compress(a, 6);
    EXPECT_EQ(gunzip(a6), a);
    EXPECT_EQ(gzip_compress(a, 9), a9);
    EXPECT_EQ(gunzip(gzip_compress("", 6)), "");
}

}  // namespace
}  // namespace kade
