#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <xxhash.h>

#include "common/bundle_writer.hpp"
#include "common/compress.hpp"
#include "common/text.hpp"
#include "handler_fixture.hpp"
#include "server/handler.hpp"
#include "server/http/response.hpp"

// A page whose identity is not stored (bundle format 4) answers a client without compression
// as if it were: same bytes, ETag, Content-Length, Range, HEAD and 304.

namespace kade {
namespace {

constexpr std::string_view post_path = "/2014/01/post.html";
const std::string identity_body = [] {
    std::string s;
    for (int i = 0; i < 300; ++i) s += "<p>Zin " + std::to_string(i) + " over de kade.</p>\n";
    return s;
}();
const std::string gzip_body = gzip_compress(identity_body, 9);

std::string etag_of(std::string_view bytes) {
    return "ETag: \"" + hex64(XXH3_64bits(bytes.data(), bytes.size())) + "\"";
}

std::shared_ptr<const bundle::loaded_bundle> derived_bundle() {
    bundle::bundle_builder b;
    bundle::entry_input post;
    post.path = std::string(post_path);
    post.content_type = "text/html; charset=utf-8";
    post.last_modified = 1388653200;
    post.variants = {identity_body, gzip_body, std::nullopt, std::nullopt};
    post.derive_identity = true;
    b.add(post);
    return test::load_built(b);
}

class handler_derived_test : public test::handler_fixture {
  protected:
    handler_derived_test() : handler_fixture(derived_bundle()) {}

    http::response get(std::optional<std::string_view> accept_encoding, method verb = method::get,
                       std::optional<std::string_view> range = std::nullopt,
                       std::optional<std::string_view> if_none_match = std::nullopt) {
        return send({.verb = verb,
                     .target = post_path,
                     .accept_encoding = accept_encoding,
                     .if_none_match = if_none_match,
                     .range = range});
    }
};

TEST_F(handler_derived_test, a_client_without_compression_gets_the_identity_bytes_and_their_tag) {
    ASSERT_TRUE(slot_.current()->view().derives_identity(slot_.current()->view().entries()[0]));
    for (int round = 0; round < 2; ++round) {  // made, then from the thread's few
        const auto r = get(std::nullopt);
        EXPECT_EQ(r.status, 200u);
        EXPECT_EQ(r.body, identity_body);
        EXPECT_TRUE(has(r, "Content-Length: " + std::to_string(identity_body.size())));
        EXPECT_TRUE(has(r, etag_of(identity_body)));
        EXPECT_EQ(r.head.find("Content-Encoding"), std::string::npos);
        EXPECT_TRUE(has(r, "Vary: Accept-Encoding"));
    }
    const auto g = get("gzip");
    EXPECT_EQ(g.body, gzip_body);
    EXPECT_TRUE(has(g, etag_of(gzip_body)));
}

TEST_F(handler_derived_test, head_and_304_give_the_length_and_tag_without_a_body) {
    const auto head = get(std::nullopt, method::head);
    EXPECT_EQ(head.status, 200u);
    EXPECT_TRUE(head.body.empty());
    EXPECT_TRUE(has(head, "Content-Length: " + std::to_string(identity_body.size())));
    EXPECT_TRUE(has(head, etag_of(identity_body)));

    const std::string tag = etag_of(identity_body).substr(6);
    const auto not_modified = get("identity", method::get, std::nullopt, tag);
    EXPECT_EQ(not_modified.status, 304u);
    EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(handler_derived_test, ranges_are_of_the_identity_bytes) {
    const auto r = get(std::nullopt, method::get, "bytes=10-19");
    EXPECT_EQ(r.status, 206u);
    EXPECT_EQ(r.body, std::string_view(identity_body).substr(10, 10));
    EXPECT_TRUE(has(r, "Content-Length: 10"));
    EXPECT_TRUE(has(r, "Content-Range: bytes 10-19/" + std::to_string(identity_body.size())));

    const auto tail = get(std::nullopt, method::get, "bytes=-5");
    EXPECT_EQ(tail.body, std::string_view(identity_body).substr(identity_body.size() - 5));

    const auto past =
        get(std::nullopt, method::get, "bytes=" + std::to_string(identity_body.size()) + "-");
    EXPECT_EQ(past.status, 416u);
    EXPECT_TRUE(has(past, "Content-Range: bytes */" + std::to_string(identity_body.size())));
}

}  // namespace
}  // namespace kade
