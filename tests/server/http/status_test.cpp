#include "server/http/status.hpp"

#include <gtest/gtest.h>

namespace kade::http {
namespace {

TEST(status, each_code_has_its_reason_and_dutch_text) {
    EXPECT_EQ(status_of(200).reason, "OK");
    EXPECT_EQ(status_of(431).reason, "Request Header Fields Too Large");
    EXPECT_EQ(status_of(405).dutch, "Deze methode wordt hier niet ondersteund.");
    EXPECT_EQ(status_of(404).dutch, "Er ging iets mis.");
}

TEST(status, an_unknown_code_gets_a_general_text) {
    EXPECT_EQ(status_of(418).reason, "Unknown");
    EXPECT_EQ(status_of(418).dutch, "Er ging iets mis.");
}

}  // namespace
}  // namespace kade::http
