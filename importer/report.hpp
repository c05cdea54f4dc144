#pragma once
// The report kade-import-blogger prints on success: counts, then one line per alias, per image
// on Blogger's hosts and per warning, and what to do about a partial export.
#include <cstddef>
#include <string>

#include "importer/convert.hpp"
#include "importer/export.hpp"

namespace kade::blogger {

struct import_report {
    std::string export_path;  // as given
    std::string out_dir;      // --out
    bool timezone_given = false;
    std::size_t written = 0, unchanged = 0;  // files
};

std::string format_report(const blog_export& blog, const import_result& result,
                          const import_report& run);

}  // namespace kade::blogger
