#include "common/derived_identity.hpp"

#include <cstring>

#include <gtest/gtest.h>

#include "bundle_repair.hpp"
#include "common/bundle_writer.hpp"
#include "common/compress.hpp"
#include "common/dictionary.hpp"

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

// Snippet texts (format 5): an internal entry whose identity comes from its dcz variant and
// the bundle's dictionary.
const std::string text_body = [] {
    std::string s = "\n";
    for (int i = 0; i < 100; ++i)
        s += "Een zin over de kade en de klanten, nummer " + std::to_string(i) + ". ";
    return s;
}();
const std::string text_dictionary = [] {
    std::string s;
    for (int i = 0; i < 50; ++i) s += "Een zin over de kade en de klanten, nummer ";
    return s;
}();

// A bundle with one snippet text stored as dcz made with `made_with`; the bundle's own
// dictionary is `dictionary` (none when empty).
std::string text_bundle(const std::string& dictionary, const std::string& made_with) {
    bundle_builder b;
    if (!dictionary.empty()) {
        entry_input d;
        d.path = "/static/dict.dict";
        d.content_type = "application/octet-stream";
        d.variants[0] = dictionary;
        b.add(std::move(d));
        b.set_dictionary(dictionary, "/static/dict.dict");
    }
    entry_input t;
    t.path = "!text/2014/01/post.html";
    t.content_type = "application/x-kade-snippet-text";
    t.variants[0] = text_body;
    t.variants[dcz_variant] = dictionary::dcz_compressor(made_with, 9).compress(text_body);
    t.derive_identity = true;
    b.add(std::move(t));
    return b.serialize();
}

TEST(derived_identity, a_snippet_text_comes_back_from_dcz_with_the_bundles_dictionary) {
    const std::string bytes = text_bundle(text_dictionary, text_dictionary);
    std::string error;
    const auto view = bundle_view::open(bytes, error);
    ASSERT_TRUE(view) << error;
    const entry_record* text = view->find("!text/2014/01/post.html");
    ASSERT_TRUE(text);
    EXPECT_TRUE(view->derives_identity(*text));
    EXPECT_FALSE(view->holds(*text, gzip_variant));
    EXPECT_LT(text->variants[dcz_variant].size, text_body.size() / 4);
    EXPECT_EQ(derive_identity(*view, *text), text_body);
    EXPECT_EQ(derive_identity(*view, *text), text_body);  // the thread's decompressor again
}

TEST(derived_identity, a_snippet_text_of_another_dictionary_gives_nothing) {
    const std::string bytes = text_bundle(text_dictionary, text_dictionary + "anders");
    std::string error;
    const auto view = bundle_view::open(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_EQ(derive_identity(*view, *view->find("!text/2014/01/post.html")), std::nullopt);
}

TEST(derived_identity, the_reader_refuses_a_text_derived_from_dcz_without_a_dictionary) {
    const std::string bytes = text_bundle("", text_dictionary);
    std::string error;
    EXPECT_FALSE(bundle_view::open(bytes, error));
    EXPECT_EQ(error, "entries derived from dcz but no dictionary section");
}

TEST(derived_identity, the_writer_refuses_an_internal_entry_with_both_gzip_and_dcz) {
    entry_input t;
    t.path = "!text/a.html";
    t.content_type = "application/x-kade-snippet-text";
    t.variants[0] = text_body;
    t.variants[gzip_variant] = gzip_compress(text_body, 9);
    t.variants[dcz_variant] = dictionary::dcz_compressor(text_dictionary, 9).compress(text_body);
    t.derive_identity = true;
    bundle_builder b;
    EXPECT_THROW(b.add(std::move(t)), std::runtime_error);
}

}  // namespace
}  // namespace kade::bundle
