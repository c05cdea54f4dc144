#include "indexer/output/assemble.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "common/config.hpp"
#include "common/dictionary.hpp"
#include "common/search_document.hpp"
#include "indexer/output/dictionary.hpp"
#include "indexer/output/reuse.hpp"

namespace kade::indexer {
namespace {

// A blog's worth of pages in the order the pipeline adds them: post pages (HTML with the
// dictionary marker), a stylesheet, an image, snippet texts, the settings entry.
std::vector<page_input> blog_pages(std::size_t posts, const std::string& settings) {
    std::vector<page_input> pages;
    for (std::size_t i = 0; i < posts; ++i) {
        std::string body = "<!DOCTYPE html><html><head><title>Bericht " + std::to_string(i) +
                           "</title><!--kade:dictionary--></head><body><article><h1>Over "
                           "ondernemen, deel " +
                           std::to_string(i) + "</h1>";
        for (std::size_t p = 0; p < 3 + i % 5; ++p)
            body += "<p>Doen waar je goed in bent, alinea " + std::to_string(p) +
                    ": samenwerken met klanten en " + std::to_string(i * 31 + p) + " koffie.</p>";
        body += "</article></body></html>\n";
        pages.push_back({"/2014/01/bericht-" + std::to_string(i) + ".html",
                         "text/html; charset=utf-8", body, bundle::cache_class::html, 200,
                         1388653200 + static_cast<std::int64_t>(i), "", "post"});
    }
    pages.push_back({"/static/style.css", "text/css; charset=utf-8",
                     std::string(2000, 'a') + "body { color: black; }\n",
                     bundle::cache_class::asset, 200, -1, "", "static"});
    pages.push_back({"/static/beeld.png", "image/png", std::string("\x89PNG\r\n\x1a\n", 8) + "xyz",
                     bundle::cache_class::html, 200, -1, "", "static"});
    for (std::size_t i = 0; i < posts; ++i)
        pages.push_back(
            {search_document::text_entry_path("/2014/01/bericht-" + std::to_string(i) + ".html"),
             std::string(search_document::text_entry_type),
             search_document::encode_text_entry(
                 "Doen waar je goed in bent. Samenwerken met klanten, deel " + std::to_string(i) +
                     ". " + std::string(300, 'k'),
                 {}),
             bundle::cache_class::html, 200, -1, "", "post"});
    pages.push_back({std::string(index_settings_path), "application/x-kade-text", settings,
                     bundle::cache_class::html, 200, -1, "", "index-settings"});
    return pages;
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("kade-assemble-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

bool same_counts(const byte_counts& a, const byte_counts& b) {
    return a.raw == b.raw && a.gzip == b.gzip && a.stored_identity == b.stored_identity &&
           a.dcz == b.dcz && a.other == b.other && a.texts == b.texts &&
           a.texts_stored == b.texts_stored && a.compressible_pages == b.compressible_pages &&
           a.reused_pages == b.reused_pages;
}

// With the dictionary linked in every page and its own page appended (add_dictionary).
struct linked {
    std::vector<page_input> pages;
    built_dictionary dict;
};

linked with_dictionary(std::size_t posts, const std::string& settings) {
    linked out{blog_pages(posts, settings), {}};
    out.dict = add_dictionary(out.pages, posts, 4096);
    return out;
}

TEST(assemble, pages_added_in_batches_give_the_bundle_of_one_add_pages_call) {
    const std::string settings = compression_settings(config{});
    // More pages than one batch, so several batches and a short last one.
    const std::size_t posts = page_compressor::batch_pages + 77;
    linked all = with_dictionary(posts, settings);
    ASSERT_FALSE(all.dict.bytes.empty());
    linked parts = with_dictionary(posts, settings);

    bundle::bundle_builder one;
    one.set_dictionary(all.dict.bytes, all.dict.path);
    const byte_counts expected = add_pages(one, std::move(all.pages), 9, all.dict.bytes, {});

    bundle::bundle_builder many;
    many.set_dictionary(parts.dict.bytes, parts.dict.path);
    page_compressor compressor(many, 9, parts.dict.bytes, {});
    // Uneven pieces, as the pipeline hands them over (post batches, the rest, the texts).
    const std::size_t cuts[] = {0, 1, 300, 301, posts + 2, parts.pages.size()};
    for (std::size_t k = 0; k + 1 < std::size(cuts); ++k) {
        std::vector<page_input> piece(
            std::make_move_iterator(parts.pages.begin() + static_cast<std::ptrdiff_t>(cuts[k])),
            std::make_move_iterator(parts.pages.begin() +
                                    static_cast<std::ptrdiff_t>(cuts[k + 1])));
        compressor.add(piece);
        EXPECT_TRUE(piece.empty());
    }
    EXPECT_TRUE(same_counts(compressor.counts(), expected));
    EXPECT_GT(expected.dcz, 0u);
    EXPECT_GT(expected.texts_stored, 0u);
    EXPECT_TRUE(many.serialize() == one.serialize());
}

TEST(assemble, dictionary_in_parts_equals_add_dictionary) {
    const std::string settings = compression_settings(config{});
    const std::size_t posts = 40;
    linked whole = with_dictionary(posts, settings);

    std::vector<page_input> pages = blog_pages(posts, settings);
    std::vector<std::string_view> samples;
    for (const std::size_t i : dictionary_sample_indices(posts)) samples.push_back(pages[i].body);
    EXPECT_EQ(dictionary_sample_indices(posts).size(), posts);
    EXPECT_EQ(dictionary_sample_indices(5 * dictionary_samples).size(), dictionary_samples);
    EXPECT_EQ(dictionary_sample_indices(5 * dictionary_samples)[1], 5u);
    const built_dictionary dict = make_dictionary(samples, 4096);
    EXPECT_EQ(dict.bytes, whole.dict.bytes);
    EXPECT_EQ(dict.path, whole.dict.path);
    const std::string link = dictionary_link(dict);
    EXPECT_NE(link.find(dict.path), std::string::npos);
    for (auto& p : pages) link_dictionary(p, link);
    pages.push_back(*dictionary_page(dict));
    ASSERT_EQ(pages.size(), whole.pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) {
        EXPECT_EQ(pages[i].path, whole.pages[i].path);
        EXPECT_TRUE(pages[i].body == whole.pages[i].body) << pages[i].path;
    }
    EXPECT_EQ(pages[0].body.find(dictionary_marker), std::string::npos);

    // A dictionary kept from the previous bundle is not trained again.
    const built_dictionary kept = make_dictionary({}, 4096, dict.bytes);
    EXPECT_TRUE(kept.kept);
    EXPECT_EQ(kept.path, dict.path);
    // None: the marker goes, and there is no page for it.
    const built_dictionary none = make_dictionary(samples, 0);
    EXPECT_TRUE(none.bytes.empty());
    EXPECT_EQ(dictionary_link(none), "");
    EXPECT_FALSE(dictionary_page(none));
}

TEST(assemble, incremental_batches_reuse_the_mapped_previous_bundle_even_once_it_is_replaced) {
    const std::string settings = compression_settings(config{});
    const std::size_t posts = page_compressor::batch_pages + 10;
    const std::string path = temp_path("previous.kade");
    linked first = with_dictionary(posts, settings);
    bundle::bundle_builder full;
    full.set_dictionary(first.dict.bytes, first.dict.path);
    const byte_counts full_counts = add_pages(full, std::move(first.pages), 9, first.dict.bytes);
    full.write(path);
    const std::string full_bytes = full.serialize();

    std::string why_not;
    const auto previous = previous_bundle::open(path, settings, first.dict.bytes, why_not);
    ASSERT_TRUE(previous) << why_not;
    // The next build writes its bundle over the same path while the old one is still open.
    bundle::bundle_builder other;
    other.add({"/anders.html", "text/html", 200, bundle::cache_class::html, -1, "", "", {"x"}});
    other.write(path);

    linked again = with_dictionary(posts, settings);
    bundle::bundle_builder incremental;
    incremental.set_dictionary(again.dict.bytes, again.dict.path);
    page_compressor compressor(incremental, 9, again.dict.bytes, {}, previous.get());
    compressor.add(again.pages);
    EXPECT_EQ(compressor.counts().reused_pages, full_counts.compressible_pages);
    EXPECT_TRUE(incremental.serialize() == full_bytes);
    std::filesystem::remove(path);
}

TEST(assemble, later_listing_pages_get_their_own_dcz_level) {
    EXPECT_TRUE(is_later_listing_page("/page/2/"));
    EXPECT_TRUE(is_later_listing_page("/2014/page/12/"));
    EXPECT_TRUE(is_later_listing_page("/search/label/Caf%C3%A9/page/3/"));
    EXPECT_FALSE(is_later_listing_page("/"));
    EXPECT_FALSE(is_later_listing_page("/search/label/page/"));
    EXPECT_FALSE(is_later_listing_page("/page/2"));
    EXPECT_FALSE(is_later_listing_page("/2014/01/page-2.html"));

    const std::string settings = compression_settings(config{});
    linked site = with_dictionary(3, settings);
    std::string listing = site.pages[0].body;  // an HTML page, as a listing
    site.pages.push_back({"/page/2/", "text/html; charset=utf-8", listing,
                          bundle::cache_class::html, 200, -1, "", "home"});
    bundle::bundle_builder builder;
    builder.set_dictionary(site.dict.bytes, site.dict.path);
    add_pages(builder, site.pages, 9, site.dict.bytes, {19, 3});
    const std::string bytes = builder.serialize();
    std::string error;
    const auto view = bundle::bundle_view::open(bytes, error);
    ASSERT_TRUE(view) << error;
    const auto dcz_of = [&](const std::string& path) {
        return std::string(view->body(*view->find(path), bundle::dcz_variant));
    };
    EXPECT_EQ(dcz_of("/page/2/"), dictionary::dcz_compressor(site.dict.bytes, 3).compress(listing));
    EXPECT_EQ(dcz_of(site.pages[0].path),
              dictionary::dcz_compressor(site.dict.bytes, 19).compress(listing));
    EXPECT_NE(dcz_of("/page/2/"), dcz_of(site.pages[0].path));
}

}  // namespace
}  // namespace kade::indexer
