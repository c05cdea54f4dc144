#include "server/router.hpp"

namespace kade {

route_kind route(std::string_view path) {
    if (path == "/search") return route_kind::search_page;
    if (path == "/api/search") return route_kind::search_api;
    if (path == "/healthz") return route_kind::healthz;
    if (path == "/metrics") return route_kind::metrics;
    return route_kind::page;  // posts, archives, labels, feeds, static files, aliases, 404
}

}  // namespace kade
