#include "common/derived_identity.hpp"

#include <cstdint>
#include <cstring>
#include <memory>

#include <xxhash.h>
#include <zlib.h>

#include "common/dictionary.hpp"

namespace kade::bundle {
namespace {

// The gzip variant inflated to exactly `size` bytes, or nullopt.
std::optional<std::string> inflated(std::string_view gz, std::uint64_t size) {
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
    if (size > UINT32_MAX || gz.size() > UINT32_MAX) return std::nullopt;
    std::string out(size, '\0');
    z.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.zs.avail_in = static_cast<uInt>(gz.size());
    z.zs.next_out = reinterpret_cast<Bytef*>(out.data());
    z.zs.avail_out = static_cast<uInt>(out.size());
    // Exactly the recorded size, then the end of the stream, and nothing after it.
    if (inflate(&z.zs, Z_FINISH) != Z_STREAM_END || z.zs.avail_out != 0 || z.zs.avail_in != 0)
        return std::nullopt;
    return out;
}

// The dcz variant decompressed with the bundle's dictionary, or nullopt.
std::optional<std::string> unpacked(const bundle_view& view, std::string_view dcz,
                                    std::uint64_t size) {
    const dictionary_record* dict = view.dictionary();
    if (!dict) return std::nullopt;
    // One decompressor per thread, for the last dictionary seen: every bundle of a blog keeps
    // the same one, so it is made once (it holds its own copy, so no bundle must outlive it).
    thread_local std::unique_ptr<dictionary::dcz_decompressor> d;
    if (!d || std::memcmp(d->digest().data(), dict->sha256, sizeof dict->sha256) != 0)
        d = std::make_unique<dictionary::dcz_decompressor>(view.dictionary_bytes());
    return d->decompress(dcz, size);
}

}  // namespace

std::optional<std::string> derive_identity(const bundle_view& view, const entry_record& e) {
    if (!view.derives_identity(e)) return std::nullopt;
    const variant_record& id = e.variants[0];
    std::optional<std::string> out =
        view.holds(e, gzip_variant)  ? inflated(view.body(e, gzip_variant), id.size)
        : view.holds(e, dcz_variant) ? unpacked(view, view.body(e, dcz_variant), id.size)
                                     : std::nullopt;
    if (out && XXH3_64bits(out->data(), out->size()) != id.hash) return std::nullopt;
    return out;
}

}  // namespace kade::bundle
