#pragma once
// The content folder → sorted lists of post files and static files.
#include <string>
#include <vector>

namespace kade::indexer {

struct content_files {
    std::vector<std::string> posts;    // content/posts/**/*.md, relative to the content folder
    std::vector<std::string> statics;  // content/static/**, relative to content/static
};

// Lists files in bytewise order so every later step is deterministic. Hidden files and folders
// (".name") are skipped. Throws std::runtime_error when the folder cannot be read.
content_files walk_content(const std::string& content_dir);

}  // namespace kade::indexer
