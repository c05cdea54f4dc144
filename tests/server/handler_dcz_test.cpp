#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/bundle_writer.hpp"
#include "common/dictionary.hpp"
#include "handler_fixture.hpp"
#include "server/handler.hpp"
#include "server/http/response.hpp"

// Compression dictionary transport (RFC 9842) in the handler: dcz only for a client that holds
// this bundle's dictionary, Vary on both fields, the dictionary's own headers.
// tests/e2e/dcz_test.py checks the same over real connections with real bytes.

namespace kade {
namespace {

constexpr std::string_view post_path = "/2014/01/post.html";
const std::string dict_bytes = "<!DOCTYPE html><html lang=\"nl\"><head>dictionary</head>";
const std::string dict_path = "/static/dict-0123456789abcdef.dict";
const std::string identity_body(1000, 'i');
const std::string gzip_body(400, 'g');
const std::string zstd_body(300, 'z');
const std::string dcz_body(100, 'd');

std::shared_ptr<const bundle::loaded_bundle> sample_bundle() {
    bundle::bundle_builder b;
    bundle::entry_input post;
    post.path = std::string(post_path);
    post.content_type = "text/html; charset=utf-8";
    post.keys = "post-1";
    post.variants = {identity_body, gzip_body, zstd_body, dcz_body};
    b.add(post);
    bundle::entry_input css = post;
    css.path = "/static/style.css";
    css.content_type = "text/css; charset=utf-8";
    css.variants = {identity_body, gzip_body, zstd_body, std::nullopt};
    b.add(css);
    bundle::entry_input dict;
    dict.path = dict_path;
    dict.content_type = "application/x-kade-dictionary";
    dict.cache = bundle::cache_class::asset;
    dict.keys = "static dictionary";
    dict.variants[0] = dict_bytes;
    b.add(dict);
    b.set_dictionary(dict_bytes, dict_path);
    return test::load_built(b);
}

class handler_dcz_test : public test::handler_fixture {
  protected:
    handler_dcz_test() : handler_fixture(sample_bundle()) {}

    http::response get(std::string_view target, std::optional<std::string_view> accept_encoding,
                       std::optional<std::string_view> available_dictionary,
                       std::optional<std::string_view> if_none_match = std::nullopt) {
        return send({.target = target,
                     .accept_encoding = accept_encoding,
                     .if_none_match = if_none_match,
                     .available_dictionary = available_dictionary});
    }
    static std::string etag(const http::response& r) {
        const auto at = r.head.find("ETag: ");
        return r.head.substr(at + 6, r.head.find("\r\n", at) - at - 6);
    }

    const std::string ours = dictionary::sf_binary(dictionary::sha256(dict_bytes));
};

TEST_F(handler_dcz_test, client_holding_the_dictionary_gets_dcz) {
    const auto r = get(post_path, "gzip, deflate, br, zstd, dcz", ours);
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(has(r, "Content-Encoding: dcz"));
    EXPECT_EQ(r.body, dcz_body);
    EXPECT_TRUE(has(r, "Vary: Accept-Encoding, Available-Dictionary"));
}

TEST_F(handler_dcz_test, surrounding_spaces_in_available_dictionary_are_ignored) {
    EXPECT_TRUE(has(get(post_path, "dcz, gzip", " " + ours + " "), "Content-Encoding: dcz"));
}

TEST_F(handler_dcz_test, unknown_or_missing_dictionary_falls_back_with_the_same_vary) {
    const std::string other = dictionary::sf_binary(dictionary::sha256("previous bundle"));
    for (const std::optional<std::string_view> avail :
         {std::optional<std::string_view>(other), std::optional<std::string_view>()}) {
        const auto r = get(post_path, "gzip, zstd, dcz", avail);
        EXPECT_TRUE(has(r, "Content-Encoding: zstd"));
        EXPECT_TRUE(has(r, "Vary: Accept-Encoding, Available-Dictionary"));
    }
    const auto plain = get(post_path, std::nullopt, std::nullopt);
    EXPECT_EQ(plain.body, identity_body);
    EXPECT_TRUE(has(plain, "Vary: Accept-Encoding, Available-Dictionary"));
}

TEST_F(handler_dcz_test, dcz_needs_the_coding_in_accept_encoding) {
    EXPECT_TRUE(has(get(post_path, "gzip", ours), "Content-Encoding: gzip"));
    EXPECT_TRUE(has(get(post_path, "gzip, dcz;q=0", ours), "Content-Encoding: gzip"));
}

TEST_F(handler_dcz_test, dcz_has_its_own_etag_and_revalidates) {
    const auto d = get(post_path, "gzip, dcz", ours);
    const auto g = get(post_path, "gzip", ours);
    EXPECT_NE(etag(d), etag(g));
    EXPECT_EQ(get(post_path, "gzip, dcz", ours, etag(d)).status, 304u);
    EXPECT_EQ(get(post_path, "gzip, dcz", ours, etag(g)).status, 200u);
}

TEST_F(handler_dcz_test, entries_without_dcz_vary_on_accept_encoding_only) {
    const auto r = get("/static/style.css", "gzip, dcz", ours);
    EXPECT_TRUE(has(r, "Content-Encoding: gzip"));
    EXPECT_TRUE(has(r, "Vary: Accept-Encoding"));
}

TEST_F(handler_dcz_test, dictionary_is_announced_for_documents_and_cached_for_a_year) {
    const auto r = get(dict_path, std::nullopt, std::nullopt);
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, dict_bytes);
    const std::string id = dictionary::hex(dictionary::sha256(dict_bytes)).substr(0, 16);
    EXPECT_TRUE(
        has(r, "Use-As-Dictionary: match=\"/*\", match-dest=(\"document\"), id=\"" + id + "\""));
    EXPECT_TRUE(has(r, "Cache-Control: " + cfg_.http.asset_cache_control));
}

}  // namespace
}  // namespace kade
