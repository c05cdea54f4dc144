#include "indexer/output/diff.hpp"

#include <set>
#include <stdexcept>

#include "common/files.hpp"

namespace kade::indexer {
namespace {

bool same_entry(const bundle::bundle_view& a, const bundle::entry_record& x,
                const bundle::bundle_view& b, const bundle::entry_record& y) {
    if (x.status != y.status || x.held != y.held || x.cache != y.cache ||
        x.last_modified != y.last_modified || a.str(x.location) != b.str(y.location) ||
        a.str(x.content_type) != b.str(y.content_type))
        return false;
    for (std::size_t v = 0; v < bundle::variant_count; ++v)
        if ((v == 0 || a.holds(x, v)) &&  // identity's size and hash, stored or derived
            (x.variants[v].hash != y.variants[v].hash || x.variants[v].size != y.variants[v].size))
            return false;
    return true;
}

void add_keys(std::set<std::string>& out, std::string_view keys) {
    std::size_t pos = 0;
    while (pos < keys.size()) {
        const std::size_t end = std::min(keys.find(' ', pos), keys.size());
        if (end > pos) out.emplace(keys.substr(pos, end - pos));
        pos = end + 1;
    }
}

std::string read_bundle(const std::string& path) {
    std::optional<std::string> bytes = read_file(path);
    if (!bytes) throw std::runtime_error("cannot open bundle " + path);
    return std::move(*bytes);
}

}  // namespace

std::vector<std::string> changed_keys(const bundle::bundle_view& old_bundle,
                                      const bundle::bundle_view& new_bundle) {
    std::set<std::string> keys;
    // Both entry tables are sorted by path: one merge pass.
    const auto a = old_bundle.entries();
    const auto b = new_bundle.entries();
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const int order = i == a.size()   ? 1
                          : j == b.size() ? -1
                                          : old_bundle.path(a[i]).compare(new_bundle.path(b[j]));
        if (order < 0) {
            add_keys(keys, old_bundle.str(a[i++].keys));  // removed
        } else if (order > 0) {
            add_keys(keys, new_bundle.str(b[j++].keys));  // added
        } else {
            if (!same_entry(old_bundle, a[i], new_bundle, b[j])) {
                add_keys(keys, old_bundle.str(a[i].keys));
                add_keys(keys, new_bundle.str(b[j].keys));
            }
            ++i;
            ++j;
        }
    }
    // Search answers carry the key "search" (as the search page does): other results may come.
    const auto& old_shards = old_bundle.shards();
    const auto& new_shards = new_bundle.shards();
    bool shards_differ = old_shards.size() != new_shards.size();
    for (std::size_t k = 0; !shards_differ && k < old_shards.size(); ++k)
        shards_differ = old_shards[k].size != new_shards[k].size;
    if (old_bundle.search_database() != new_bundle.search_database() || shards_differ)
        keys.emplace("search");
    return {keys.begin(), keys.end()};
}

std::vector<std::string> changed_keys(const std::string& old_path, const std::string& new_path) {
    const std::string old_bytes = read_bundle(old_path);
    const std::string new_bytes = read_bundle(new_path);
    std::string error;
    const auto old_view = bundle::bundle_view::open(old_bytes, error);
    if (!old_view) throw std::runtime_error("cannot read bundle " + old_path + ": " + error);
    const auto new_view = bundle::bundle_view::open(new_bytes, error);
    if (!new_view) throw std::runtime_error("cannot read bundle " + new_path + ": " + error);
    return changed_keys(*old_view, *new_view);
}

}  // namespace kade::indexer
