#pragma once
// One command-line walk for the three programs: options from a table, positional arguments
// collected, --help and --version handed back (parse_command_line), or answered the same way
// for all three (read_command_line). Nothing here exits; main returns the status.
#include <functional>
#include <optional>
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

// A program as its command line shows it.
struct program {
    std::string_view name;     // "kade-index"
    std::string_view usage;    // what --help prints
    bool config_keys = false;  // --help then lists every configuration key (config_reference)
    // After a usage error's "NAME: message" line, the whole usage instead of the hint
    // "(see NAME --help)".
    bool usage_on_error = false;
};

// The command line as main takes it: parse_command_line, then `check` (which throws
// usage_error for arguments that do not go together). --help prints the usage and --version
// "NAME VERSION" to stdout, a usage error goes to stderr; each returns the exit status for main
// (exit_ok, exit_usage). nullopt: run.
std::optional<int> read_command_line(const program& p, int argc, const char* const* argv,
                                     std::span<const option> options,
                                     std::vector<std::string>* positional = nullptr,
                                     const std::function<void()>& check = {});

}  // namespace kade
