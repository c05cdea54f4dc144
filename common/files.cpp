#include "common/files.hpp"

#include <stdlib.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace kade {
namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(s).str();
}

scratch_dir::scratch_dir(std::string_view prefix) {
    const fs::path parent = fs::temp_directory_path();
    std::string name = (parent / (std::string(prefix) + ".XXXXXX")).string();
    if (!::mkdtemp(name.data()))
        throw std::runtime_error("cannot create a temporary folder in " + parent.string() + ": " +
                                 std::generic_category().message(errno));
    path_ = name;
}

scratch_dir::~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

}  // namespace kade
