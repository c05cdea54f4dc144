#include "common/command_line.hpp"

#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/config.hpp"
#include "common/diagnostic.hpp"

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

// What read_command_line printed to stdout and stderr, and the status it returned.
struct answer {
    std::optional<int> exit;
    std::string out, err;
};

answer read(const program& prog, std::vector<const char*> args, parsed& p,
            const std::function<void()>& check = {}) {
    args.insert(args.begin(), "prog");
    const option options[] = {value_option("--out", p.out)};
    std::ostringstream out, err;
    auto* const old_out = std::cout.rdbuf(out.rdbuf());
    auto* const old_err = std::cerr.rdbuf(err.rdbuf());
    answer a;
    a.exit = read_command_line(prog, static_cast<int>(args.size()), args.data(), options,
                               &p.positional, check);
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    a.out = out.str();
    a.err = err.str();
    return a;
}

const program plain{"kade-x", "usage: kade-x\n"};

TEST(command_line, help_and_version_are_answered_for_main) {
    parsed p;
    EXPECT_EQ(read(plain, {"--help"}, p).out, "usage: kade-x\n");
    EXPECT_EQ(read(program{"kade-x", "usage: kade-x\n", true}, {"-h"}, p).out,
              "usage: kade-x\n" + config_reference());
    const answer version = read(plain, {"--version"}, p);
    EXPECT_EQ(version.exit, exit_ok);
    EXPECT_EQ(version.out, "kade-x " KADE_VERSION "\n");
    EXPECT_EQ(version.err, "");
}

TEST(command_line, usage_errors_are_reported_with_a_hint_or_the_usage) {
    parsed p;
    const answer hint = read(plain, {"--bogus"}, p);
    EXPECT_EQ(hint.exit, exit_usage);
    EXPECT_EQ(hint.err, "kade-x: unknown argument --bogus\n(see kade-x --help)\n");
    EXPECT_EQ(hint.out, "");
    const program repeats_usage{"kade-x", "usage: kade-x\n", false, true};
    EXPECT_EQ(read(repeats_usage, {"a", "b"}, p, [] { throw usage_error("one at a time"); }).err,
              "kade-x: one at a time\nusage: kade-x\n");
}

TEST(command_line, a_run_is_checked_and_handed_back) {
    parsed p;
    bool checked = false;
    const answer a = read(plain, {"--out", "dir"}, p, [&] { checked = true; });
    EXPECT_EQ(a.exit, std::nullopt);
    EXPECT_TRUE(checked);
    EXPECT_EQ(p.out, "dir");
    EXPECT_EQ(a.out + a.err, "");
}

}  // namespace
}  // namespace kade
