#include "server/router.hpp"

#include "common/reserved_paths.hpp"

namespace kade {

route_kind route(std::string_view path) {
    if (path == reserved_path::search_page) return route_kind::search_page;
    if (path == reserved_path::search_api) return route_kind::search_api;
    if (path == reserved_path::healthz) return route_kind::healthz;
    if (path == reserved_path::metrics) return route_kind::metrics;
    return route_kind::page;  // posts, archives, labels, feeds, static files, aliases, 404
}

}  // namespace kade
