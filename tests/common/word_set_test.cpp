#include "common/word_set.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>

namespace {

TEST(word_set, holds_what_was_inserted_once) {
    kade::word_set set;
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.contains("klant"));
    EXPECT_TRUE(set.insert("klant"));
    EXPECT_TRUE(set.insert("klanten"));
    EXPECT_FALSE(set.insert("klant"));
    EXPECT_EQ(set.size(), 2u);
    EXPECT_TRUE(set.contains("klant"));
    EXPECT_TRUE(set.contains("klanten"));
    EXPECT_FALSE(set.contains("klan"));
    EXPECT_FALSE(set.contains("klantenservice"));
    EXPECT_FALSE(set.contains(""));
    EXPECT_TRUE(set.insert(""));
    EXPECT_TRUE(set.contains(""));
}

// Growing (with and without a reserve first) keeps every word and adds none.
TEST(word_set, agrees_with_unordered_set_as_it_grows) {
    for (const bool reserved : {false, true}) {
        kade::word_set set;
        if (reserved) set.reserve(5000);
        std::unordered_set<std::string> reference;
        std::mt19937 rng(3);
        for (int i = 0; i < 20000; ++i) {
            std::string w(1 + rng() % 6, 'a');
            for (char& c : w) c = static_cast<char>('a' + rng() % 4);
            EXPECT_EQ(set.insert(w), reference.insert(w).second) << w;
        }
        EXPECT_EQ(set.size(), reference.size());
        for (const std::string& w : reference) EXPECT_TRUE(set.contains(w)) << w;
        for (int i = 0; i < 2000; ++i) {
            std::string w(7 + rng() % 3, 'a');  // longer than any inserted word
            EXPECT_FALSE(set.contains(w));
        }
    }
}

}  // namespace
