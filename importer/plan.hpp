#pragma once
// What an import writes, decided before anything is written, so a refused import leaves no
// trace: each converted file and image copy is new, unchanged (the same bytes are there), or a
// conflict (other bytes are there, and no --force).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "importer/convert.hpp"

namespace kade::blogger {

struct planned_write {
    std::filesystem::path target;
    std::string content;
};

struct write_plan {
    std::vector<planned_write> writes;
    std::vector<std::string> conflicts;  // targets that exist with other contents
    std::size_t unchanged = 0;
};

// The plan for `result` in the folder `out_dir`; with `force`, conflicts are written over.
// Reads the image copies' sources (throws std::runtime_error "cannot read SOURCE").
write_plan plan_writes(const import_result& result, const std::filesystem::path& out_dir,
                       bool force);

// Writes every planned file: beside its target, then renamed, so a reader never sees half a
// file. Throws std::runtime_error (or std::filesystem::filesystem_error) on failure.
void write_files(const write_plan& plan);

}  // namespace kade::blogger
