#pragma once
// The paths kade-serve answers itself rather than from the bundle. The server routes them; the
// indexer refuses a page or alias there, since the server would never serve it.
#include <array>
#include <string_view>

namespace kade::reserved_path {

inline constexpr std::string_view search_page = "/search";
inline constexpr std::string_view search_api = "/api/search";
inline constexpr std::string_view healthz = "/healthz";
inline constexpr std::string_view metrics = "/metrics";

inline constexpr std::array all = {search_page, search_api, healthz, metrics};

}  // namespace kade::reserved_path
