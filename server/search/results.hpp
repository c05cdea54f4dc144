#pragma once
// Search results as the JSON of docs/json.md and as the HTML of the /search page.
#include <string>

#include "server/search/searcher.hpp"

namespace kade::search {

std::string results_json(const search_request& request, const search_result& result);

// The part of the /search page below the form: count, suggestion, results, pager.
std::string results_html(const search_request& request, const search_result& result);

// {"error": "…"}
std::string error_json(std::string_view message);

}  // namespace kade::search
