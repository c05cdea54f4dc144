#pragma once
// One response body of the site before compression, with what its bundle entry needs.
#include <cstdint>
#include <string>

#include "common/bundle_format.hpp"

namespace kade::indexer {

struct page_input {
    std::string path;
    std::string content_type;
    std::string body;
    bundle::cache_class cache = bundle::cache_class::html;
    std::uint16_t status = 200;
    std::int64_t last_modified = -1;
    std::string location;  // for 301
    std::string keys;      // purge keys, space-separated (see site.hpp for their names)
};

// A page the server puts together rather than the bundle holding it, as the sitemap lists it.
struct sitemap_url {
    std::string path;
    std::int64_t last_modified = -1;
};

}  // namespace kade::indexer
