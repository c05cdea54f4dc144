#pragma once
// The identity body of an entry that does not store it (bundle_format.hpp): a page's gzip
// variant inflated, for the rare client that takes neither gzip nor dcz, or a snippet text's
// dcz variant decompressed with the bundle's dictionary.
#include <optional>
#include <string>

#include "common/bundle_reader.hpp"

namespace kade::bundle {

// Decompresses the variant `e` derives its identity from and returns the bytes when they have
// the size and XXH3 hash the entry records; nullopt otherwise (a corrupt bundle).
// Never allocates more than the recorded size, which the reader bounded at open.
std::optional<std::string> derive_identity(const bundle_view& view, const entry_record& e);

}  // namespace kade::bundle
