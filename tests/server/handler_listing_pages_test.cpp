#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/bundle_format.hpp"
#include "common/bundle_writer.hpp"
#include "common/compress.hpp"
#include "handler_fixture.hpp"
#include "server/http/response.hpp"
#include "server/live_compression.hpp"

// The home page's later pages (/page/N/) as kade-serve puts them together from the bundle's list
// of posts and shell: the answers a stored page gets (codings, ETag and 304, HEAD, redirects,
// 404 past the last page). tests/server/home_pages_test.cpp checks the page's bytes.

namespace kade {
namespace {

// 25 posts (three pages of ten) and the shell, or without the shell: a bundle that stores the
// later pages itself (as before bundles had the shell) serves them as any page.
std::shared_ptr<const bundle::loaded_bundle> home_bundle(bool with_shell) {
    bundle::bundle_builder b;
    auto add = [&](std::string path, std::string body, std::uint16_t status = 200,
                   std::string keys = "home") {
        bundle::entry_input e;
        e.path = std::move(path);
        e.status = status;
        e.content_type = "text/html; charset=utf-8";
        e.keys = std::move(keys);
        e.variants = {std::move(body), std::nullopt, std::nullopt};
        b.add(e);
    };
    std::string list;
    for (int i = 25; i >= 1; --i)
        list += std::to_string(1000 + i) + "\t/p/" + std::to_string(i) +
                ".html\tBericht\teen dag\t2014-01-01T00:00:00Z\t" + (i % 2 ? "Tuin" : "") +
                "\tJoke\t" + std::string(200, 'x') + "\n";
    add(std::string(bundle::posts_by_date_path), list);
    add("/", "<h1>Blog</h1>");
    if (with_shell)
        add(std::string(bundle::label_pages_shell_prefix) + "Tuin",
            "<h1>Tuin <!--kade:page--> van <!--kade:pages--></h1><!--kade:results-->"
            "<!--kade:pager-->",
            200, "label-tuin");
    if (with_shell)
        add(std::string(bundle::home_pages_shell_path),
            "<h1>Pagina <!--kade:page--> van <!--kade:pages--></h1><!--kade:results-->"
            "<!--kade:pager-->");
    else
        add("/page/2/", "stored page 2");
    add(std::string(bundle::not_found_path), "niet gevonden", 404);
    return test::load_built(b);
}

class handler_listing_pages_test : public test::handler_fixture {
  protected:
    explicit handler_listing_pages_test(bool with_shell = true)
        : handler_fixture(home_bundle(with_shell)) {}

    http::response get(std::string_view target,
                       std::optional<std::string_view> accept_encoding = std::nullopt,
                       std::optional<std::string_view> if_none_match = std::nullopt,
                       method verb = method::get) {
        return send({.verb = verb,
                     .target = target,
                     .accept_encoding = accept_encoding,
                     .if_none_match = if_none_match});
    }

    static std::string field(const http::response& r, std::string_view name) {
        const std::string key = "\r\n" + std::string(name) + ": ";
        const auto at = r.head.find(key);
        if (at == std::string::npos) return "";
        const auto start = at + key.size();
        return r.head.substr(start, r.head.find("\r\n", start) - start);
    }
};

TEST_F(handler_listing_pages_test, a_later_page_is_put_together_with_its_posts) {
    const auto r = get("/page/2/");
    ASSERT_EQ(r.status, 200u);
    EXPECT_NE(r.body.find("<h1>Pagina 2 van 3</h1>"), std::string_view::npos) << r.body;
    EXPECT_NE(r.body.find("/p/15.html"), std::string_view::npos);
    EXPECT_NE(r.body.find("/p/6.html"), std::string_view::npos);
    EXPECT_EQ(r.body.find("/p/5.html"), std::string_view::npos);
    EXPECT_TRUE(has(r, "Content-Type: text/html; charset=utf-8"));
    EXPECT_EQ(field(r, "Content-Length"), std::to_string(r.body.size()));
    EXPECT_NE(field(r, "Surrogate-Key").find("home "), std::string::npos);
    EXPECT_FALSE(field(r, "ETag").empty());
    EXPECT_FALSE(field(r, "Cache-Control").empty());
    EXPECT_EQ(field(r, "Content-Encoding"), "");
    EXPECT_EQ(get("/page/3/").status, 200u);
    EXPECT_EQ(get("/page/4/").status, 404u);
    EXPECT_EQ(get("/page/1/").status, 404u);
    EXPECT_EQ(get("/page/02/").status, 404u);
}

TEST_F(handler_listing_pages_test, compressed_as_asked_with_a_tag_of_its_own_for_each_coding) {
    const auto plain = get("/page/2/");
    const auto gz = get("/page/2/", "gzip");
    ASSERT_EQ(gz.status, 200u);
    EXPECT_EQ(field(gz, "Content-Encoding"), "gzip");
    EXPECT_EQ(gz.body, gzip_compress(plain.body, live_compression::gzip_level));
    EXPECT_NE(field(gz, "ETag"), field(plain, "ETag"));
    // Asked again, from the thread's last compressed pages; another page is its own.
    const auto again = get("/page/2/", "gzip");
    EXPECT_EQ(field(again, "ETag"), field(gz, "ETag"));
    EXPECT_EQ(again.body, gz.body);
    const auto third = get("/page/3/", "gzip");
    EXPECT_NE(field(third, "ETag"), field(gz, "ETag"));
    EXPECT_EQ(third.body, gzip_compress(get("/page/3/").body, live_compression::gzip_level));
    EXPECT_EQ(get("/page/2/", "zstd").body,
              zstd_compress(plain.body, live_compression::zstd_level));
}

TEST_F(handler_listing_pages_test, its_tag_gives_a_304_without_a_body) {
    const auto gz = get("/page/2/", "gzip");
    const std::string etag = field(gz, "ETag");
    const auto again = get("/page/2/", "gzip", etag);
    EXPECT_EQ(again.status, 304u);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(field(again, "ETag"), etag);
    EXPECT_EQ(field(again, "Content-Length"), "");
    // The identity representation has another tag: the gzip one does not match it.
    EXPECT_EQ(get("/page/2/", std::nullopt, etag).status, 200u);
}

TEST_F(handler_listing_pages_test, head_has_the_fields_of_get_and_no_body) {
    const auto g = get("/page/2/");
    const auto h = get("/page/2/", std::nullopt, std::nullopt, method::head);
    EXPECT_EQ(h.status, 200u);
    EXPECT_TRUE(h.body.empty());
    EXPECT_EQ(field(h, "ETag"), field(g, "ETag"));
    EXPECT_EQ(field(h, "Content-Length"), field(g, "Content-Length"));
}

TEST_F(handler_listing_pages_test, redirects_as_a_stored_page_does) {
    const auto slashless = get("/page/2");
    EXPECT_EQ(slashless.status, 301u);
    EXPECT_EQ(field(slashless, "Location"), "/page/2/");
    EXPECT_EQ(get("/page/9").status, 404u);
    const auto tracked = get("/page/2/?utm_source=x");
    EXPECT_EQ(tracked.status, 301u);
    EXPECT_EQ(field(tracked, "Location"), "/page/2/");
    EXPECT_EQ(get("/page/2/?m=1").status, 200u);
}

// Posts 25, 23, … 1 have the label: 13, two pages.
TEST_F(handler_listing_pages_test, a_labels_later_page_has_its_posts_and_its_keys) {
    const auto r = get("/search/label/Tuin/page/2/");
    ASSERT_EQ(r.status, 200u);
    EXPECT_NE(r.body.find("<h1>Tuin 2 van 2</h1>"), std::string_view::npos) << r.body;
    EXPECT_NE(r.body.find("/p/5.html"), std::string_view::npos);
    EXPECT_NE(r.body.find("/p/1.html"), std::string_view::npos);
    EXPECT_EQ(r.body.find("/p/7.html"), std::string_view::npos);
    EXPECT_EQ(r.body.find("/p/4.html"), std::string_view::npos);  // not a Tuin post
    EXPECT_NE(r.body.find("href=\"/search/label/Tuin\">Nieuwere berichten"),
              std::string_view::npos);
    EXPECT_NE(field(r, "Surrogate-Key").find("label-tuin "), std::string::npos);
    EXPECT_EQ(get("/search/label/Tuin/page/3/").status, 404u);
    EXPECT_EQ(get("/search/label/Gras/page/2/").status, 404u);
    const auto slashless = get("/search/label/Tuin/page/2");
    EXPECT_EQ(slashless.status, 301u);
    EXPECT_EQ(field(slashless, "Location"), "/search/label/Tuin/page/2/");
}

class stored_listing_pages_test : public handler_listing_pages_test {
  protected:
    stored_listing_pages_test() : handler_listing_pages_test(false) {}
};

TEST_F(stored_listing_pages_test, a_bundle_that_stores_them_serves_its_own_and_nothing_more) {
    const auto r = get("/page/2/");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, "stored page 2");
    EXPECT_EQ(get("/page/3/").status, 404u);
}

}  // namespace
}  // namespace kade
