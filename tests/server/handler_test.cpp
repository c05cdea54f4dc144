#include "server/handler.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/bundle_writer.hpp"
#include "handler_fixture.hpp"
#include "server/http/response.hpp"

// The request → response rules of issue 4 that live in the handler, without sockets: Range,
// canonical redirects for unknown queries, purge keys, HSTS. tests/e2e/http_test.py checks the
// same over real connections.

namespace kade {
namespace {

constexpr std::string_view post_path = "/2014/01/post.html";
const std::string identity_body(1000, 'i');
const std::string gzip_body(400, 'g');
const std::string zstd_body(300, 'z');

std::shared_ptr<const bundle::loaded_bundle> sample_bundle() {
    bundle::bundle_builder b;
    bundle::entry_input post;
    post.path = std::string(post_path);
    post.content_type = "text/html; charset=utf-8";
    post.last_modified = 1388653200;  // Thu, 02 Jan 2014 09:00:00 GMT
    post.keys = "post-1 label-2 home";
    post.variants = {identity_body, gzip_body, zstd_body};
    b.add(post);
    bundle::entry_input archive = post;
    archive.path = "/2014/01/";
    archive.keys = "archive-2014-01";
    b.add(archive);
    bundle::entry_input alias = post;
    alias.path = "/oud.html";
    alias.status = 301;
    alias.location = std::string(post_path);
    alias.cache = bundle::cache_class::redirect;
    alias.variants = {std::string("moved"), std::nullopt, std::nullopt};
    b.add(alias);
    return test::load_built(b);
}

class handler_test : public test::handler_fixture {
  protected:
    explicit handler_test(config c = {}) : handler_fixture(sample_bundle(), std::move(c)) {}

    http::response get(std::string_view target, std::optional<std::string_view> accept_encoding,
                       std::optional<std::string_view> range = std::nullopt,
                       std::optional<std::string_view> if_range = std::nullopt,
                       method verb = method::get) {
        return send({.verb = verb,
                     .target = target,
                     .accept_encoding = accept_encoding,
                     .range = range,
                     .if_range = if_range});
    }

    std::string generation_key() const {
        return "bundle-" + slot_.current()->view().build_id().substr(0, 12);
    }
};

// The handler keeps the last Accept-Encoding it parsed; a different one must be parsed anew.
TEST_F(handler_test, each_request_gets_the_coding_its_own_accept_encoding_asks_for) {
    const std::optional<std::string_view> fields[] = {
        "gzip", "gzip", "zstd", std::nullopt, "identity", "zstd;q=0, gzip", "gzip"};
    const char* expected[] = {"gzip", "gzip", "zstd", nullptr, nullptr, "gzip", "gzip"};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        const auto r = get(post_path, fields[i]);
        EXPECT_EQ(r.status, 200u) << i;
        if (expected[i]) {
            EXPECT_TRUE(has(r, std::string("Content-Encoding: ") + expected[i])) << i;
        } else {
            EXPECT_EQ(r.head.find("Content-Encoding"), std::string::npos) << i;
            EXPECT_EQ(r.body, identity_body) << i;
        }
    }
}

TEST_F(handler_test, single_range_is_206_on_the_chosen_variants_bytes) {
    const auto r = get(post_path, "gzip", "bytes=10-19");
    EXPECT_EQ(r.status, 206u);
    EXPECT_EQ(r.body, std::string_view(gzip_body).substr(10, 10));
    EXPECT_TRUE(has(r, "Content-Range: bytes 10-19/400"));
    EXPECT_TRUE(has(r, "Content-Encoding: gzip"));
    EXPECT_TRUE(has(r, "Content-Length: 10"));
    EXPECT_TRUE(has(r, "Vary: Accept-Encoding"));
    EXPECT_TRUE(has(r, "Accept-Ranges: bytes"));
}

TEST_F(handler_test, range_past_the_end_is_416_with_the_length) {
    const auto r = get(post_path, "zstd", "bytes=300-");
    EXPECT_EQ(r.status, 416u);
    EXPECT_TRUE(r.body.empty());
    EXPECT_TRUE(has(r, "Content-Range: bytes */300"));
    EXPECT_TRUE(has(r, "Vary: Accept-Encoding"));
}

TEST_F(handler_test, range_with_a_stale_if_range_is_the_whole_page) {
    const auto r = get(post_path, "identity", "bytes=0-9", "\"0000000000000000\"");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, identity_body);
}

TEST_F(handler_test, range_with_the_last_modified_date_as_if_range_is_honoured) {
    const auto r = get(post_path, "identity", "bytes=0-9", "Thu, 02 Jan 2014 09:00:00 GMT");
    EXPECT_EQ(r.status, 206u);
}

TEST_F(handler_test, head_ignores_range) {
    const auto r = get(post_path, "gzip", "bytes=0-9", std::nullopt, method::head);
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(has(r, "Content-Length: 400"));
    EXPECT_TRUE(r.body.empty());
}

TEST_F(handler_test, blogger_mobile_switch_serves_the_page) {
    for (std::string_view q : {"?m=0", "?m=1", "?m=1&m=0"}) {
        const auto r = get(std::string(post_path) + std::string(q), "gzip");
        EXPECT_EQ(r.status, 200u) << q;
        EXPECT_EQ(r.body, gzip_body) << q;
    }
}

TEST_F(handler_test, unknown_query_redirects_to_the_canonical_url_with_the_pages_keys) {
    for (std::string_view q : {"?utm_source=x", "?m=2", "?m=0&fbclid=1", "?%zz"}) {
        const auto r = get(std::string(post_path) + std::string(q), "gzip");
        EXPECT_EQ(r.status, 301u) << q;
        EXPECT_TRUE(has(r, "Location: /2014/01/post.html")) << q;
        EXPECT_TRUE(has(r, "Surrogate-Key: post-1 label-2 home " + generation_key())) << q;
    }
}

TEST_F(handler_test, folder_without_slash_redirects_without_the_query) {
    const auto r = get("/2014/01?utm_source=x", std::nullopt);
    EXPECT_EQ(r.status, 301u);
    EXPECT_TRUE(has(r, "Location: /2014/01/"));
}

// Another spelling of a page's URL is another cache entry at the CDN: 301 to the canonical one.
TEST_F(handler_test, non_canonical_paths_redirect_to_the_canonical_one) {
    for (std::string_view t :
         {"//2014//01//post.html", "/2014/./01/post.html", "/%2e/2014/01/post.html",
          "/2014%2f01/post.html", "/2014/01/post%2Ehtml"}) {
        const auto r = get(t, std::nullopt);
        EXPECT_EQ(r.status, 301u) << t;
        EXPECT_TRUE(has(r, "Location: /2014/01/post.html")) << t << r.head;
        EXPECT_NE(r.head.find("post-1 label-2 home"), std::string::npos) << t;  // the page's keys
    }
    // The query goes along; a path that is no page still redirects (then 404s).
    EXPECT_TRUE(
        has(get("//search?q=a%2Fb&page=2", std::nullopt), "Location: /search?q=a%2Fb&page=2"));
    EXPECT_TRUE(has(get("/nergens//niet", std::nullopt), "Location: /nergens/niet"));
    EXPECT_TRUE(has(get("/a//caf%C3%A9", std::nullopt), "Location: /a/caf%C3%A9"));
    EXPECT_EQ(get("/2014/01/post.html", std::nullopt).status, 200u);
}

TEST_F(handler_test, alias_keeps_its_own_redirect_whatever_the_query) {
    const auto r = get("/oud.html?utm_source=x", std::nullopt);
    EXPECT_EQ(r.status, 301u);
    EXPECT_TRUE(has(r, "Location: /2014/01/post.html"));
}

TEST_F(handler_test, purge_keys_go_in_both_headers_with_the_generation_key) {
    const auto r = get(post_path, "zstd");
    EXPECT_TRUE(has(r, "Surrogate-Key: post-1 label-2 home " + generation_key()));
    EXPECT_TRUE(has(r, "Cache-Tag: post-1,label-2,home," + generation_key()));
}

TEST_F(handler_test, generated_responses_carry_the_generation_key) {
    const auto r = get("/bestaat-niet", std::nullopt);
    EXPECT_EQ(r.status, 404u);
    EXPECT_TRUE(has(r, "Surrogate-Key: " + generation_key()));
    http::response err;
    handler_.handle_error(431, err);
    EXPECT_TRUE(has(err, "Cache-Tag: " + generation_key()));
}

// RFC 9110 §8.6: no Content-Length on a 204.
TEST_F(handler_test, options_is_204_with_allow_and_without_content_length) {
    for (std::string_view target : {post_path, std::string_view("*")}) {
        const auto r = get(target, std::nullopt, std::nullopt, std::nullopt, method::options);
        EXPECT_EQ(r.status, 204u) << target;
        EXPECT_TRUE(has(r, "Allow: GET, HEAD, OPTIONS")) << target;
        EXPECT_EQ(r.head.find("Content-Length"), std::string::npos) << r.head;
        EXPECT_TRUE(r.body.empty());
    }
}

// A method no route takes is 405 with Allow, also when the head parser refuses it for its body.
TEST_F(handler_test, refused_body_on_another_method_is_405_with_allow) {
    http::response r;
    handler_.handle_error(405, r);
    EXPECT_EQ(r.status, 405u);
    EXPECT_TRUE(has(r, "Allow: GET, HEAD, OPTIONS"));
    EXPECT_TRUE(r.close);
    handler_.handle_error(413, r);
    EXPECT_EQ(r.head.find("Allow:"), std::string::npos);
}

TEST_F(handler_test, hsts_is_off_by_default) {
    EXPECT_EQ(get(post_path, "gzip").head.find("Strict-Transport-Security"), std::string::npos);
}

config renamed_config() {
    config c;
    c.http.surrogate_key_header = "Edge-Key";
    c.http.cache_tag_header = "";
    c.http.hsts = "max-age=63072000";
    return c;
}

class renamed_handler_test : public handler_test {
  protected:
    renamed_handler_test() : handler_test(renamed_config()) {}
};

TEST_F(renamed_handler_test, header_names_follow_the_config_and_empty_means_none) {
    const auto r = get(post_path, "gzip");
    EXPECT_TRUE(has(r, "Edge-Key: post-1 label-2 home " + generation_key()));
    EXPECT_EQ(r.head.find("Cache-Tag"), std::string::npos);
    EXPECT_EQ(r.head.find("Surrogate-Key"), std::string::npos);
    EXPECT_TRUE(has(r, "Strict-Transport-Security: max-age=63072000"));
}

}  // namespace
}  // namespace kade
