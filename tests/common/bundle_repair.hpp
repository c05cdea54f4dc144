#pragma once
// For tests that edit a bundle's bytes (derived_identity_test, tests/fuzz/fuzz_bundle): makes
// the header's size, every checksum and the build id agree with the bytes again, as a writer
// would, so what is left to refuse is the edit itself. A section whose bounds lie outside the
// bytes is left as it is.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <xxhash.h>

#include "common/bundle_format.hpp"

namespace kade::bundle::test {

inline void repair(std::string& bytes) {
    const std::size_t head_size = sizeof(file_header) + section_kind_count * sizeof(section_record);
    if (bytes.size() < head_size) return;
    file_header header;
    std::memcpy(&header, bytes.data(), sizeof header);
    header.file_size = bytes.size();
    XXH3_state_t* id = XXH3_createState();
    XXH3_128bits_reset(id);
    for (std::uint32_t i = 0; i < section_kind_count; ++i) {
        section_record rec;
        char* at = bytes.data() + sizeof(file_header) + i * sizeof(section_record);
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

}  // namespace kade::bundle::test
