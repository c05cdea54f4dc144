#pragma once
// Which purge keys a deploy must purge: `kade-index --diff OLD NEW`.
#include <string>
#include <vector>

#include "common/bundle_reader.hpp"

namespace kade::indexer {

// The purge keys of every entry that was added, removed, or changed between two bundles:
// another status, location or content type, another set of variants, or other bytes in any
// variant (by content hash). For a changed entry the keys of both versions count. When the
// search database (or its shards) differs, `search`: the key of every search answer, whose
// results may differ. Sorted, each once. Nothing that did not change contributes, so the answer
// for two identical bundles is empty.
std::vector<std::string> changed_keys(const bundle::bundle_view& old_bundle,
                                      const bundle::bundle_view& new_bundle);

// Loads and verifies both files, then changed_keys. Throws std::runtime_error naming the file.
std::vector<std::string> changed_keys(const std::string& old_path, const std::string& new_path);

}  // namespace kade::indexer
