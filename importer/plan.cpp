#include "importer/plan.hpp"

#include <fstream>
#include <optional>
#include <stdexcept>
#include <utility>

#include "common/files.hpp"

namespace kade::blogger {
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

}  // namespace

write_plan plan_writes(const import_result& result, const fs::path& out_dir, bool force) {
    write_plan plan;
    auto add = [&](const std::string& rel, std::string content) {
        const fs::path target = out_dir / rel;
        if (fs::exists(target)) {
            if (read_file(target) == content) {
                ++plan.unchanged;
                return;
            }
            if (!force) {
                plan.conflicts.push_back(target.string());
                return;
            }
        }
        plan.writes.push_back({target, std::move(content)});
    };
    for (const auto& f : result.files) add(f.path, f.content);
    for (const auto& c : result.copies) {
        std::optional<std::string> bytes = read_file(c.source);
        if (!bytes) throw std::runtime_error("cannot read " + c.source);
        add(c.path, std::move(*bytes));
    }
    return plan;
}

void write_files(const write_plan& plan) {
    for (const auto& w : plan.writes) write_file(w.target, w.content);
}

}  // namespace kade::blogger
