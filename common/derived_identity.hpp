#pragma once
// The identity body of an entry that does not store it (bundle_format.hpp, format 4): its gzip
// variant inflated, for the rare client that takes neither gzip nor dcz.
#include <optional>
#include <string>

#include "common/bundle_reader.hpp"

namespace kade::bundle {

// Inflates the gzip variant of `e` (which derives its identity) and returns the bytes when
// they have the size and XXH3 hash the entry records; nullopt otherwise (a corrupt bundle).
// Never allocates more than the recorded size, which the reader bounded at open.
std::optional<std::string> derive_identity(const bundle_view& view, const entry_record& e);

}  // namespace kade::bundle
