// libFuzzer driver: the bundle reader on arbitrary bytes. A corrupt bundle must be refused
// with a reason, never crash; an accepted one must hand out views inside its bytes.
// The first input byte chooses the mode: odd means "repair the size, checksums and build id
// first", so that mutations get past the checksums to the entry and string validation behind
// them; even means the bytes as they are (what a damaged file on disk looks like).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <xxhash.h>

#include "common/bundle_format.hpp"
#include "common/bundle_reader.hpp"

namespace {

namespace b = kade::bundle;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() &&
                            part.data() + part.size() <= whole.data() + whole.size());
}

// Makes the header's size, every checksum and the build id agree with the bytes, as a writer
// would.
void repair(std::string& bytes) {
    const std::size_t head_size =
        sizeof(b::file_header) + b::section_kind_count * sizeof(b::section_record);
    if (bytes.size() < head_size) return;
    b::file_header header;
    std::memcpy(&header, bytes.data(), sizeof header);
    header.file_size = bytes.size();
    XXH3_state_t* id = XXH3_createState();
    XXH3_128bits_reset(id);
    for (std::uint32_t i = 0; i < b::section_kind_count; ++i) {
        b::section_record rec;
        char* at = bytes.data() + sizeof(b::file_header) + i * sizeof(b::section_record);
        std::memcpy(&rec, at, sizeof rec);
        if (rec.offset <= bytes.size() && rec.size <= bytes.size() - rec.offset) {
            rec.checksum = XXH3_64bits(bytes.data() + rec.offset, rec.size);
            XXH3_128bits_update(id, bytes.data() + rec.offset, rec.size);
            std::memcpy(at, &rec, sizeof rec);
        }
    }
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(id));
    XXH3_freeState(id);
    std::memcpy(header.build_id, canonical.digest, sizeof header.build_id);
    header.checksum = 0;
    std::memcpy(bytes.data(), &header, sizeof header);
    header.checksum = XXH3_64bits(bytes.data(), head_size);
    std::memcpy(bytes.data(), &header, sizeof header);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string owned(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) repair(owned);
    const std::string_view bytes(owned);
    std::string error;
    const auto view = b::bundle_view::open(bytes, error);
    if (!view) {
        check(!error.empty());
        return 0;
    }
    check(inside(view->search_database(), bytes));
    for (const auto& e : view->entries()) {
        const auto path = view->path(e);
        check(inside(path, bytes));
        check(inside(view->str(e.content_type), bytes));
        check(inside(view->str(e.location), bytes));
        for (std::size_t v = 0; v < b::variant_count; ++v)
            if (view->holds(e, v)) check(inside(view->body(e, v), bytes));
        (void)view->find(path);
    }
    (void)view->find("/");
    return 0;
}
