#include "indexer/output/diff.hpp"

#include <gtest/gtest.h>

#include "common/bundle_writer.hpp"

namespace kade::indexer {
namespace {

bundle::entry_input entry(std::string path, std::string body, std::string keys,
                          std::uint16_t status = 200, std::string location = "") {
    bundle::entry_input e;
    e.path = std::move(path);
    e.content_type = "text/html; charset=utf-8";
    e.status = status;
    e.location = std::move(location);
    e.keys = std::move(keys);
    e.variants[0] = std::move(body);
    return e;
}

struct built {
    std::string bytes;
    bundle::bundle_view view;
};

built build(std::vector<bundle::entry_input> entries, std::string search = "") {
    bundle::bundle_builder b;
    for (auto& e : entries) b.add(std::move(e));
    if (!search.empty()) b.set_search_database(std::move(search));
    built out{b.serialize(), {}};
    std::string error;
    out.view = *bundle::bundle_view::open(out.bytes, error);
    return out;
}

std::vector<bundle::entry_input> base() {
    std::vector<bundle::entry_input> v;
    v.push_back(entry("/", "home", "home post-a post-b"));
    v.push_back(entry("/a.html", "a", "post-a"));
    v.push_back(entry("/b.html", "b", "post-b"));
    v.push_back(entry("/oud.html", "", "post-a", 301, "/a.html"));
    v.push_back(entry("/static/s.css", "css", "static"));
    return v;
}

TEST(diff, identical_bundles_have_nothing_to_purge) {
    const built a = build(base()), b = build(base());
    EXPECT_TRUE(changed_keys(a.view, b.view).empty());
}

TEST(diff, changed_bytes_give_the_keys_of_both_versions_sorted) {
    auto changed = base();
    changed[1] = entry("/a.html", "A!", "post-a extra");
    const built a = build(base()), b = build(std::move(changed));
    EXPECT_EQ(changed_keys(a.view, b.view), (std::vector<std::string>{"extra", "post-a"}));
}

TEST(diff, added_and_removed_entries_give_their_keys) {
    auto changed = base();
    changed.erase(changed.begin() + 2);  // /b.html gone
    changed.push_back(entry("/c.html", "c", "post-c"));
    const built a = build(base()), b = build(std::move(changed));
    EXPECT_EQ(changed_keys(a.view, b.view), (std::vector<std::string>{"post-b", "post-c"}));
}

TEST(diff, a_redirect_with_a_new_location_is_a_change) {
    auto changed = base();
    changed[3] = entry("/oud.html", "", "post-b", 301, "/b.html");
    const built a = build(base()), b = build(std::move(changed));
    EXPECT_EQ(changed_keys(a.view, b.view), (std::vector<std::string>{"post-a", "post-b"}));
}

TEST(diff, another_search_database_gives_the_search_key) {
    const built a = build(base(), "database one"), b = build(base(), "database two");
    EXPECT_EQ(changed_keys(a.view, b.view), std::vector<std::string>{"search"});
    const built c = build(base(), "database one");
    EXPECT_TRUE(changed_keys(a.view, c.view).empty());
}

}  // namespace
}  // namespace kade::indexer
