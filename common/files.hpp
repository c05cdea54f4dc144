#pragma once
// Whole-file reads and scratch folders, for the three programs, the benches and the tests.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kade {

// The bytes of a file; nullopt when it cannot be opened or read. Callers word the error,
// since only they know what the file was for.
std::optional<std::string> read_file(const std::filesystem::path& path);

// A new, empty folder in the system's temporary folder (mkdtemp, so no other process gets the
// same one), removed with all it holds when this goes out of scope.
class scratch_dir {
  public:
    // `prefix` names the owner: "kade-index" → /tmp/kade-index.XXXXXX. Throws
    // std::runtime_error when the folder cannot be made.
    explicit scratch_dir(std::string_view prefix);
    ~scratch_dir();
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace kade
