#include "importer/images.hpp"

#include <algorithm>
#include <vector>

#include "common/files.hpp"

namespace kade::blogger {
namespace fs = std::filesystem;

std::map<std::string, std::string> list_images(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> by_name;
    for (const auto& f : files) {
        const std::string name = f.filename().string();
        const auto [it, inserted] = by_name.emplace(name, f.string());
        if (inserted || it->second.empty()) continue;
        const auto a = read_file(it->second);
        const auto b = read_file(f);
        if (!a || !b || *a != *b) it->second.clear();
    }
    return by_name;
}

}  // namespace kade::blogger
