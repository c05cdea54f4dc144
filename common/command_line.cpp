#include "common/command_line.hpp"

#include <iostream>

#include "common/config.hpp"
#include "common/diagnostic.hpp"

namespace kade {

option value_option(std::string_view name, std::string& into) {
    return {name, 1, [&into](std::span<const std::string> v) { into = v[0]; }};
}

option switch_option(std::string_view name, bool& into) {
    return {name, 0, [&into](std::span<const std::string>) { into = true; }};
}

command parse_command_line(int argc, const char* const* argv, std::span<const option> options,
                           std::vector<std::string>* positional) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") return command::help;
        if (arg == "--version") return command::version;
        const option* match = nullptr;
        for (const auto& o : options)
            if (o.name == arg) match = &o;
        if (match) {
            if (argc - 1 - i < match->values)
                throw usage_error(arg + " needs " + std::string(match->needs));
            const std::vector<std::string> values(argv + i + 1, argv + i + 1 + match->values);
            i += match->values;
            match->apply(values);
        } else if ((!arg.empty() && arg[0] == '-') || !positional) {
            throw usage_error("unknown argument " + arg);
        } else {
            positional->push_back(arg);
        }
    }
    return command::run;
}

std::optional<int> read_command_line(const program& p, int argc, const char* const* argv,
                                     std::span<const option> options,
                                     std::vector<std::string>* positional,
                                     const std::function<void()>& check) {
    try {
        switch (parse_command_line(argc, argv, options, positional)) {
            case command::help:
                std::cout << p.usage;
                if (p.config_keys) std::cout << config_reference();
                return exit_ok;
            case command::version:
                std::cout << p.name << " " KADE_VERSION "\n";
                return exit_ok;
            case command::run:
                break;
        }
        if (check) check();
    } catch (const usage_error& e) {
        std::cerr << p.name << ": " << e.what() << "\n";
        if (p.usage_on_error) {
            std::cerr << p.usage;
        } else {
            std::cerr << "(see " << p.name << " --help)\n";
        }
        return exit_usage;
    }
    return std::nullopt;
}

}  // namespace kade
