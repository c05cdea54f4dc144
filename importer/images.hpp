#pragma once
// --images DIR: the images downloaded from Blogger, by file name, for the conversion to match
// the export's image URLs against (import_options::local_images).
#include <filesystem>
#include <map>
#include <string>

namespace kade::blogger {

// Every file below `dir`, by file name → its path; a name found twice with different contents
// maps to "" (ambiguous).
std::map<std::string, std::string> list_images(const std::filesystem::path& dir);

}  // namespace kade::blogger
