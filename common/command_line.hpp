#pragma once
// One command-line walk for the three programs: options from a table, positional arguments
// collected, --help and --version handed back to main. Nothing here prints or exits; a usage
// error is thrown for main to report (exit status 2).
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

struct usage_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct option {
    std::string_view name;  // "--out"
    int values = 0;         // arguments that follow it: 0 for a switch, 1 or 2
    // Takes the values; may throw usage_error for a bad one.
    std::function<void(std::span<const std::string> values)> apply;
    std::string_view needs = "a value";  // "--diff needs two bundles"
};

// An option with one value, stored in `into`.
option value_option(std::string_view name, std::string& into);
// A switch that sets `into` when present.
option switch_option(std::string_view name, bool& into);

enum class command { run, help, version };

// Walks argv[1..]. --help (-h) and --version stop the walk and are returned; each option in
// `options` applies itself; anything else starting with '-' is unknown; the rest go to
// `positional`, or are unknown when it is null.
command parse_command_line(int argc, const char* const* argv, std::span<const option> options,
                           std::vector<std::string>* positional = nullptr);

}  // namespace kade
