#include "common/search_document.hpp"

#include <gtest/gtest.h>

namespace kade::search_document {
namespace {

TEST(search_document, text_entry_round_trips_text_and_headings) {
    const std::string bytes = encode_text_entry("Intro.\n\nKop\n\nTekst.", {{8, "kop"}});
    const text_entry e = decode_text_entry(bytes);
    EXPECT_EQ(e.text, "Intro.\n\nKop\n\nTekst.");
    EXPECT_EQ(heading_before(e.headings, 0), "");
    EXPECT_EQ(heading_before(e.headings, 8), "kop");
    EXPECT_EQ(heading_before(e.headings, 13), "kop");
}

TEST(search_document, text_entry_without_headings_is_the_text_after_an_empty_line) {
    const std::string bytes = encode_text_entry("Alleen tekst.", {});
    EXPECT_EQ(bytes, "\nAlleen tekst.");
    const text_entry e = decode_text_entry(bytes);
    EXPECT_EQ(e.text, "Alleen tekst.");
    EXPECT_TRUE(e.headings.empty());
}

TEST(search_document, nearest_heading_is_the_last_one_at_or_before_the_offset) {
    const std::string bytes = encode_text_entry(std::string(100, 'x'), {{10, "een"}, {50, "twee"}});
    const text_entry e = decode_text_entry(bytes);
    EXPECT_EQ(heading_before(e.headings, 9), "");
    EXPECT_EQ(heading_before(e.headings, 49), "een");
    EXPECT_EQ(heading_before(e.headings, 99), "twee");
}

TEST(search_document, fields_round_trip) {
    const std::string data = encode({"/2014/01/a.html", "Titel", "2014-01-02", "x\x1fy", "tekst"});
    fields f;
    ASSERT_TRUE(decode(data, f));
    EXPECT_EQ(f.url, "/2014/01/a.html");
    EXPECT_EQ(split_labels(f.labels), (std::vector<std::string_view>{"x", "y"}));
    EXPECT_EQ(f.text, "tekst");
}

}  // namespace
}  // namespace kade::search_document
