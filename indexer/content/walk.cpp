#include "indexer/content/walk.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace kade::indexer {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> list_files(const fs::path& root, const char* extension) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::exists(root, ec)) return out;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    if (ec) throw std::runtime_error("cannot read " + root.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) throw std::runtime_error("cannot read " + root.string() + ": " + ec.message());
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        if (extension && it->path().extension() != extension) continue;
        out.push_back(fs::relative(it->path(), root).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

content_files walk_content(const std::string& content_dir) {
    std::error_code ec;
    if (!fs::is_directory(content_dir, ec))
        throw std::runtime_error("cannot read content folder " + content_dir + ": not a folder");
    content_files files;
    for (auto& p : list_files(fs::path(content_dir) / "posts", ".md"))
        files.posts.push_back("posts/" + p);
    files.statics = list_files(fs::path(content_dir) / "static", nullptr);
    return files;
}

}  // namespace kade::indexer
