#include "server/feed_window.hpp"

#include <gtest/gtest.h>

namespace kade {
namespace {

const std::string atom =
    "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>x</id>\n"
    "<entry>\n<id>1</id>\n<content>&lt;entry&gt;</content>\n</entry>\n"
    "<entry>\n<id>2</id>\n</entry>\n"
    "<entry>\n<id>3</id>\n</entry>\n"
    "</feed>\n";

std::string ids(const std::string& feed) {
    std::string out;
    for (auto at = feed.find("<id>"); at != std::string::npos; at = feed.find("<id>", at + 1))
        out += feed.substr(at + 4, feed.find('<', at + 4) - at - 4) + " ";
    return out;
}

TEST(feed_window, keeps_the_head_and_the_entries_asked_for) {
    EXPECT_EQ(ids(*feed_window(atom, {2, 1})), "x 2 ");
    EXPECT_EQ(ids(*feed_window(atom, {1, 2})), "x 1 2 ");
    EXPECT_EQ(ids(*feed_window(atom, {2, 0})), "x 2 3 ");
    EXPECT_EQ(*feed_window(atom, {1, 0}), atom);
    // Past the end: a feed without entries, still a whole document.
    EXPECT_EQ(*feed_window(atom, {9, 5}),
              "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
              "<id>x</id>\n</feed>\n");
}

TEST(feed_window, cuts_rss_at_its_items) {
    const std::string rss =
        "<rss>\n<channel>\n<title>t</title>\n<item>\n<guid>a</guid>\n</item>\n"
        "<item>\n<guid>b</guid>\n</item>\n</channel>\n</rss>\n";
    EXPECT_EQ(*feed_window(rss, {2, 5}),
              "<rss>\n<channel>\n<title>t</title>\n<item>\n<guid>b</guid>\n</item>\n"
              "</channel>\n</rss>\n");
}

TEST(feed_window, refuses_what_kade_index_does_not_write) {
    EXPECT_FALSE(feed_window("<html></html>\n", {1, 1}));
    EXPECT_FALSE(feed_window("<feed >\n<entry>\n<id>1</id>\n</feed>\n", {1, 1}));  // unclosed
}

}  // namespace
}  // namespace kade
