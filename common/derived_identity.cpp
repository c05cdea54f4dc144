#include "common/derived_identity.hpp"

#include <cstdint>

#include <xxhash.h>
#include <zlib.h>

namespace kade::bundle {

std::optional<std::string> derive_identity(const bundle_view& view, const entry_record& e) {
    // One inflate state per thread, reset between bodies (as gzip_compress keeps its deflater).
    struct inflater {
        z_stream zs{};
        bool ready = false;
        ~inflater() {
            if (ready) inflateEnd(&zs);
        }
    };
    thread_local inflater z;
    if (!z.ready) {
        if (inflateInit2(&z.zs, 15 + 16) != Z_OK) return std::nullopt;
        z.ready = true;
    } else if (inflateReset(&z.zs) != Z_OK) {
        return std::nullopt;
    }
    const std::string_view gz = view.body(e, gzip_variant);
    const variant_record& id = e.variants[0];
    if (!view.derives_identity(e) || id.size > UINT32_MAX || gz.size() > UINT32_MAX)
        return std::nullopt;
    std::string out(id.size, '\0');
    z.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.zs.avail_in = static_cast<uInt>(gz.size());
    z.zs.next_out = reinterpret_cast<Bytef*>(out.data());
    z.zs.avail_out = static_cast<uInt>(out.size());
    // Exactly the recorded size, then the end of the stream, and nothing after it.
    if (inflate(&z.zs, Z_FINISH) != Z_STREAM_END || z.zs.avail_out != 0 || z.zs.avail_in != 0)
        return std::nullopt;
    if (XXH3_64bits(out.data(), out.size()) != id.hash) return std::nullopt;
    return out;
}

}  // namespace kade::bundle
