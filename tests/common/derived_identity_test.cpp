#include "common/derived_identity.hpp"

#include <cstring>

#include <gtest/gtest.h>

#include "bundle_repair.hpp"
#include "common/bundle_writer.hpp"
#include "common/compress.hpp"

namespace kade::bundle {
namespace {

const std::string page_body = [] {
    std::string s = "<!DOCTYPE html><title>Post</title>";
    for (int i = 0; i < 200; ++i) s += "<p>Een zin over de kade, nummer " + std::to_string(i);
    return s;
}();

entry_input page(std::string path, bool derive) {
    entry_input e;
    e.path = std::move(path);
    e.content_type = "text/html; charset=utf-8";
    e.variants[0] = page_body;
    e.variants[gzip_variant] = gzip_compress(page_body, 9);
    e.derive_identity = derive;
    return e;
}

std::string sample() {
    bundle_builder b;
    b.add(page("/derived.html", true));
    b.add(page("/stored.html", false));
    return b.serialize();
}

// The first entry record ("/derived.html" sorts first), edited by `edit`, bundle repaired.
template <typename Edit>
std::string with_first_entry(Edit edit) {
    std::string bytes = sample();
    section_record rec;
    std::memcpy(&rec, bytes.data() + sizeof(file_header) + 2 * sizeof(section_record), sizeof rec);
    entry_record e;
    std::memcpy(&e, bytes.data() + rec.offset, sizeof e);
    edit(e);
    std::memcpy(bytes.data() + rec.offset, &e, sizeof e);
    test::repair(bytes);
    return bytes;
}

TEST(derived_identity, only_size_and_hash_are_stored_and_the_bytes_come_back_from_gzip) {
    const std::string bytes = sample();
    std::string error;
    const auto view = bundle_view::open(bytes, error);
    ASSERT_TRUE(view) << error;
    const entry_record* derived = view->find("/derived.html");
    const entry_record* stored = view->find("/stored.html");
    ASSERT_TRUE(derived && stored);
    EXPECT_TRUE(view->derives_identity(*derived));
    EXPECT_FALSE(view->holds(*derived, 0));
    EXPECT_EQ(view->body(*derived, 0), "");
    EXPECT_FALSE(view->derives_identity(*stored));
    // Same size and hash as the stored copy: the ETag and Content-Length do not change.
    EXPECT_EQ(derived->variants[0].size, page_body.size());
    EXPECT_EQ(derived->variants[0].hash, stored->variants[0].hash);
    EXPECT_EQ(derive_identity(*view, *derived), page_body);
    // The bodies section holds the stored page twice (identity, gzip), the derived one once.
    EXPECT_LT(bytes.size(), 2 * page_body.size());
}

TEST(derived_identity, the_writer_refuses_it_without_gzip_or_for_an_internal_entry) {
    bundle_builder b;
    auto no_gzip = page("/a.html", true);
    no_gzip.variants[gzip_variant].reset();
    EXPECT_THROW(b.add(std::move(no_gzip)), std::runtime_error);
    EXPECT_THROW(b.add(page("!text/a.html", true)), std::runtime_error);
}

TEST(derived_identity, the_reader_refuses_records_that_cannot_be_derived) {
    const std::vector<std::pair<std::string, void (*)(entry_record&)>> cases = {
        {"no gzip", [](entry_record& e) { e.held = 0; }},
        {"dcz only", [](entry_record& e) { e.held = 1u << dcz_variant; }},
        {"offset", [](entry_record& e) { e.variants[0].offset = 1; }},
        {"not larger than gzip",
         [](entry_record& e) { e.variants[0].size = e.variants[gzip_variant].size; }},
        {"past deflate's ratio",
         [](entry_record& e) { e.variants[0].size = e.variants[gzip_variant].size * 1033; }},
    };
    for (const auto& [name, edit] : cases) {
        const std::string bytes = with_first_entry(edit);
        std::string error;
        EXPECT_FALSE(bundle_view::open(bytes, error)) << name;
        EXPECT_TRUE(error == "entry 0 has bad variants" ||
                    error == "entry 0 has a bad derived identity")
            << name << ": " << error;
    }
}

TEST(derived_identity, a_wrong_size_or_hash_gives_nothing_rather_than_other_bytes) {
    for (auto edit : {+[](entry_record& e) { e.variants[0].hash ^= 1; },
                      +[](entry_record& e) { e.variants[0].size -= 1; },
                      +[](entry_record& e) { e.variants[0].size += 1; }}) {
        const std::string bytes = with_first_entry(edit);
        std::string error;
        const auto view = bundle_view::open(bytes, error);
        ASSERT_TRUE(view) << error;
        EXPECT_EQ(derive_identity(*view, view->entries()[0]), std::nullopt);
    }
}

}  // namespace
}  // namespace kade::bundle
