#include "common/command_line.hpp"

#include <gtest/gtest.h>

namespace kade {
namespace {

struct parsed {
    std::string out;
    bool force = false;
    std::vector<std::string> pair;
    std::vector<std::string> positional;
};

command parse(std::vector<const char*> args, parsed& p, bool positional = true) {
    args.insert(args.begin(), "prog");
    const option options[] = {
        value_option("--out", p.out),
        switch_option("--force", p.force),
        {"--diff", 2, [&](std::span<const std::string> v) { p.pair.assign(v.begin(), v.end()); },
         "two bundles"},
    };
    return parse_command_line(static_cast<int>(args.size()), args.data(), options,
                              positional ? &p.positional : nullptr);
}

TEST(command_line, options_switches_and_positionals) {
    parsed p;
    EXPECT_EQ(parse({"a.xml", "--out", "dir", "--force", "--diff", "x", "y"}, p), command::run);
    EXPECT_EQ(p.out, "dir");
    EXPECT_TRUE(p.force);
    EXPECT_EQ(p.pair, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(p.positional, std::vector<std::string>{"a.xml"});
}

TEST(command_line, help_and_version_are_handed_back) {
    parsed p;
    EXPECT_EQ(parse({"--out", "dir", "-h"}, p), command::help);
    EXPECT_EQ(parse({"--version", "--bogus"}, p), command::version);
}

TEST(command_line, usage_errors_name_the_argument) {
    parsed p;
    auto message = [&](std::vector<const char*> args, bool positional = true) {
        try {
            parse(std::move(args), p, positional);
        } catch (const usage_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message({"--out"}), "--out needs a value");
    EXPECT_EQ(message({"--diff", "x"}), "--diff needs two bundles");
    EXPECT_EQ(message({"--bogus"}), "unknown argument --bogus");
    EXPECT_EQ(message({"stray"}, false), "unknown argument stray");
}

}  // namespace
}  // namespace kade
