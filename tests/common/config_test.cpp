#include "common/config.hpp"

#include <gtest/gtest.h>

#include "common/diagnostic.hpp"

namespace kade {
namespace {

std::vector<diagnostic> problems(std::string_view text) {
    try {
        parse_config(text, "kade.toml");
    } catch (const diagnostics_error& e) {
        return e.diagnostics;
    }
    return {};
}

TEST(config, empty_file_gives_every_default) {
    const config c = parse_config("", "kade.toml");
    EXPECT_EQ(c.server.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.index.zstd_level, 6);
    EXPECT_EQ(c.search.per_page, 10);
    EXPECT_EQ(c.site.language, "nl");
}

TEST(config, keys_override_defaults) {
    const config c =
        parse_config("[site]\ntitle = \"Mijn blog\"\n[server]\nthreads = 4\n", "kade.toml");
    EXPECT_EQ(c.site.title, "Mijn blog");
    EXPECT_EQ(c.server.threads, 4);
}

TEST(config, unknown_key_is_named_with_its_line) {
    const auto p = problems("[site]\ntitle = \"x\"\ntittle = \"y\"\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].line, 3);
    EXPECT_NE(p[0].message.find("site.tittle"), std::string::npos);
}

TEST(config, unknown_table_is_named) {
    const auto p = problems("[sever]\nlisten = \"x\"\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].message.find("[sever]"), std::string::npos);
}

TEST(config, wrong_type_names_key_and_line) {
    const auto p = problems("[server]\n\nthreads = \"four\"\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].line, 3);
    EXPECT_NE(p[0].message.find("server.threads"), std::string::npos);
    EXPECT_NE(p[0].message.find("integer"), std::string::npos);
}

TEST(config, out_of_range_value_says_the_range) {
    const auto p = problems("[index]\nzstd_level = 40\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].message.find("between 1 and 22"), std::string::npos);
}

TEST(config, every_problem_is_reported_not_just_the_first) {
    EXPECT_EQ(problems("[server]\nthreads = \"x\"\nfoo = 1\n[index]\ngzip_level = 0\n").size(), 3u);
}

TEST(config, malformed_toml_gives_the_line) {
    const auto p = problems("[site]\ntitle = \n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].line, 2);
}

TEST(config, bad_listen_address_is_refused) {
    EXPECT_EQ(problems("[server]\nlisten = \"localhost\"\n").size(), 1u);
    EXPECT_EQ(problems("[server]\nlisten = \"127.0.0.1:99999\"\n").size(), 1u);
}

TEST(config, reference_lists_every_table_and_parses_back_as_the_defaults) {
    const std::string ref = config_reference();
    for (const char* table : {"[site]", "[index]", "[server]", "[http]", "[search]", "[log]"})
        EXPECT_NE(ref.find(table), std::string::npos) << table;
    const config c = parse_config(ref, "reference");
    EXPECT_EQ(c.http.asset_cache_control, "public, max-age=31536000, immutable");
}

TEST(config, copy_bundle_is_off_by_default_and_0_or_1) {
    EXPECT_EQ(parse_config("", "kade.toml").server.copy_bundle, 0);
    EXPECT_EQ(parse_config("[server]\ncopy_bundle = 1\n", "kade.toml").server.copy_bundle, 1);
    const auto p = problems("[server]\ncopy_bundle = 2\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].message.find("copy_bundle"), std::string::npos) << p[0].message;
    // kade-serve --help lists the key with its default.
    EXPECT_NE(config_reference().find("copy_bundle = 0"), std::string::npos);
    EXPECT_EQ(load_config(KADE_SOURCE_DIR "/config/kade.toml").server.copy_bundle, 0);
}

TEST(config, shipped_config_file_is_valid) {
    EXPECT_NO_THROW(load_config(KADE_SOURCE_DIR "/config/kade.toml"));
}

TEST(config, host_port_splits_ipv4_and_bracketed_ipv6) {
    std::string host;
    unsigned short port = 0;
    ASSERT_TRUE(split_host_port("127.0.0.1:8080", host, port));
    EXPECT_EQ(host, "127.0.0.1");
    EXPECT_EQ(port, 8080);
    ASSERT_TRUE(split_host_port("[::1]:80", host, port));
    EXPECT_EQ(host, "::1");
    EXPECT_FALSE(split_host_port(":80", host, port));
    EXPECT_FALSE(split_host_port("host:0", host, port));
}

TEST(config, flags_override_keys_and_are_checked_as_keys) {
    config c = parse_config("[server]\nbundle = \"a.kade\"\n", "kade.toml");
    const config_override given[] = {{"--bundle", "server.bundle", "b.kade"},
                                     {"--listen", "server.listen", ""}};
    apply_overrides(c, given);
    EXPECT_EQ(c.server.bundle, "b.kade");
    EXPECT_EQ(c.server.listen, "127.0.0.1:8080");  // not given: the key keeps its value

    const config_override bad[] = {{"--listen", "server.listen", "nergens"}};
    try {
        apply_overrides(c, bad);
        FAIL() << "a listen address without a port was taken";
    } catch (const diagnostics_error& e) {
        ASSERT_EQ(e.diagnostics.size(), 1u);
        EXPECT_EQ(e.diagnostics[0].file, "command line");
        EXPECT_NE(e.diagnostics[0].message.find("server.listen"), std::string::npos);
    }
}

}  // namespace
}  // namespace kade
