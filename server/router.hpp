#pragma once
// Path → route. Everything that is not generated per request is a bundle entry.
#include <string_view>

namespace kade {

enum class route_kind { page, search_page, search_api, healthz, metrics };

route_kind route(std::string_view path);

}  // namespace kade
