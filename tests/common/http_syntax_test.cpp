#include "common/http_syntax.hpp"

#include <gtest/gtest.h>

namespace kade::http_syntax {
namespace {

TEST(http_syntax, trims_spaces_and_tabs_only) {
    EXPECT_EQ(trim_ows(" \tgzip \t"), "gzip");
    EXPECT_EQ(trim_ows("\r gzip\n"), "\r gzip\n");
    EXPECT_EQ(trim_ows(" \t "), "");
}

TEST(http_syntax, tokens_are_tchar_runs) {
    EXPECT_TRUE(is_token("Surrogate-Key"));
    EXPECT_TRUE(is_token("x!#$%&'*+-.^_`|~9"));
    EXPECT_FALSE(is_token(""));
    EXPECT_FALSE(is_token("a b"));
    EXPECT_FALSE(is_token("a:b"));
    EXPECT_FALSE(is_token(std::string_view("a\0b", 3)));
}

TEST(http_syntax, compares_case_insensitively_with_a_lower_case_name) {
    EXPECT_TRUE(iequals_lower("GZip", "gzip"));
    EXPECT_TRUE(iequals_lower("bytes", "bytes"));
    EXPECT_FALSE(iequals_lower("gzip2", "gzip"));
    EXPECT_FALSE(iequals_lower("gzi", "gzip"));
}

}  // namespace
}  // namespace kade::http_syntax
