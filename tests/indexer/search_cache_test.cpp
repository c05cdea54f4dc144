// The search cache beside the bundle: which builds may add to it, and that it is kept whole.
#include "indexer/search/search_cache.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/files.hpp"
#include "search_test_support.hpp"

namespace kade::indexer {
namespace {

std::string post_text(int day, const std::string& title, const std::string& body) {
    return "+++\ntitle = \"" + title + "\"\ndate = 2020-03-" + (day < 10 ? "0" : "") +
           std::to_string(day) + "\n+++\n" + body + "\n";
}

std::vector<std::string> three_posts() {
    // "de" in each, more often than any word's wdf (titles count 8 times): a removal can tell
    // that another post holds the greatest wdf.
    return {post_text(1, "Fietsen in de polder", "De fietser fietst langs de dijk en de sloot."),
            post_text(2, "Klanten", "Een goede klant vraagt om de aandacht van de winkel."),
            post_text(3, "Koffie", "Koffie en thee bij het gesprek in de kantine.")};
}

class search_cache_test : public ::testing::Test {
  protected:
    // A build of `texts` that keeps its database in the cache of `bundle`.
    void build_and_keep(const std::vector<std::string>& texts) {
        const site s = test::site_of(texts);
        const std::string db = build_search_database(s, scratch.path().string(), options);
        ASSERT_TRUE(cache().keep(db, search_cache::documents(s), document_ids(db, s)));
    }
    search_cache cache() const { return search_cache(bundle, options); }
    std::optional<search_changes> reusable(const std::vector<std::string>& texts) {
        return cache().reusable(search_cache::documents(test::site_of(texts)), why);
    }
    // How many posts are new, when the cache may be used.
    std::optional<std::size_t> newest_added(const std::vector<std::string>& texts) {
        const std::optional<search_changes> reuse = reusable(texts);
        if (!reuse) return std::nullopt;
        return reuse->added;
    }

    scratch_dir scratch{"kade-search-cache"};
    scratch_dir out{"kade-search-cache-out"};
    std::string bundle = (out.path() / "site.kade").string();
    search_index_options options;
    std::string why;
};

TEST_F(search_cache_test, nothing_to_add_to_without_a_cache) {
    EXPECT_FALSE(newest_added(three_posts()));
    EXPECT_NE(why.find("no search cache"), std::string::npos) << why;
}

TEST_F(search_cache_test, the_same_posts_add_nothing_and_a_newer_post_is_added) {
    build_and_keep(three_posts());
    EXPECT_TRUE(std::filesystem::exists(bundle + ".search/manifest"));
    EXPECT_EQ(Xapian::Database(cache().database()).get_doccount(), 3u);
    EXPECT_EQ(newest_added(three_posts()), 0u) << why;
    std::vector<std::string> texts = three_posts();
    texts.push_back(post_text(4, "Nieuw", "Een nieuw bericht over de haven."));
    EXPECT_EQ(newest_added(texts), 1u) << why;
}

TEST_F(search_cache_test, a_build_that_changes_no_document_uses_and_keeps_the_cache_as_it_is) {
    build_and_keep(three_posts());
    const site s = test::site_of(three_posts());
    std::string why_not;
    const std::optional<std::string> db = update_search_database(
        s, {}, cache().database(), scratch.path().string(), options, why_not);
    ASSERT_TRUE(db) << why_not;
    EXPECT_EQ(*db, cache().database());
    EXPECT_TRUE(cache().keep(*db, search_cache::documents(s), document_ids(*db, s)));
    EXPECT_EQ(Xapian::Database(cache().database()).get_doccount(), 3u);
    EXPECT_EQ(newest_added(three_posts()), 0u) << why;
}

TEST_F(search_cache_test, edited_posts_in_place_are_named_for_indexing_anew) {
    build_and_keep(three_posts());
    EXPECT_TRUE(reusable(three_posts())->edited.empty()) << why;
    std::vector<std::string> edited = three_posts();
    edited[1] = post_text(2, "Klanten", "Een goede klant vraagt om meer aandacht.");
    // Site order is newest first: the edited post (2 March) is the second document.
    std::optional<search_changes> reuse = reusable(edited);
    ASSERT_TRUE(reuse) << why;
    EXPECT_EQ(reuse->added, 0u);
    using edits = std::vector<std::pair<std::size_t, unsigned>>;
    EXPECT_EQ(reuse->edited, (edits{{1, 2}}));  // the second document, docid 2
    // With a newer post in front, it is the second again: the third document now, docid 2;
    // the oldest post (docid 1: kade-index numbers the posts oldest first) is edited too.
    edited.push_back(post_text(4, "Nieuw", "Een nieuw bericht over de haven."));
    edited[0] = post_text(1, "Fietsen in de polder", "De fietser fietst langs de lange dijk.");
    reuse = reusable(edited);
    ASSERT_TRUE(reuse) << why;
    EXPECT_EQ(reuse->added, 1u);
    EXPECT_EQ(reuse->edited, (edits{{2, 2}, {3, 1}}));
    EXPECT_TRUE(reuse->removed.empty());
}

TEST_F(search_cache_test, removed_posts_are_named_by_their_docids) {
    build_and_keep(three_posts());
    std::vector<std::string> fewer = three_posts();
    fewer.erase(fewer.begin() + 1);  // 2 March: the second document
    std::optional<search_changes> changes = reusable(fewer);
    ASSERT_TRUE(changes) << why;
    EXPECT_EQ(changes->added, 0u);
    EXPECT_TRUE(changes->edited.empty());
    EXPECT_EQ(changes->removed, std::vector<unsigned>{2});
    // The newest removed and a newer one added: docid 3 goes, the new post comes first.
    std::vector<std::string> swapped = three_posts();
    swapped.pop_back();
    swapped.push_back(post_text(4, "Nieuw", "Een nieuw bericht over de haven."));
    changes = reusable(swapped);
    ASSERT_TRUE(changes) << why;
    EXPECT_EQ(changes->added, 1u);
    EXPECT_EQ(changes->removed, std::vector<unsigned>{3});
}

TEST_F(search_cache_test, moved_and_older_posts_index_everything_again) {
    build_and_keep(three_posts());
    // A post dated between the others would need a docid between theirs.
    std::vector<std::string> between = three_posts();
    between.push_back(post_text(2, "Ook op de tweede", "Nog een bericht van die dag."));
    EXPECT_FALSE(reusable(between));
    EXPECT_NE(why.find("moved or added between others"), std::string::npos) << why;
    // A post whose date moves it before another.
    std::vector<std::string> moved = three_posts();
    moved[0] = post_text(4, "Fietsen in de polder", "De fietser fietst langs de dijk.");
    EXPECT_FALSE(reusable(moved));
}

TEST_F(search_cache_test, the_docids_a_build_keeps_are_those_the_next_one_reads) {
    // A database with a gap (docid 2 removed in place), kept with its docids.
    build_and_keep(three_posts());
    std::vector<std::string> fewer = three_posts();
    fewer.erase(fewer.begin() + 1);
    const site s = test::site_of(fewer);
    std::string why_not;
    const std::optional<std::string> db = update_search_database(
        s, *reusable(fewer), cache().database(), scratch.path().string(), options, why_not);
    ASSERT_TRUE(db) << why_not;
    EXPECT_EQ(document_ids(*db, s), (std::vector<unsigned>{3, 1}));
    ASSERT_TRUE(cache().keep(*db, search_cache::documents(s), document_ids(*db, s)));
    // Editing the older post names docid 1; the newer one keeps docid 3.
    fewer[0] = post_text(1, "Fietsen in de polder", "De fietser fietst langs de lange dijk.");
    const std::optional<search_changes> changes = reusable(fewer);
    ASSERT_TRUE(changes) << why;
    EXPECT_EQ(changes->edited, (std::vector<std::pair<std::size_t, unsigned>>{{1, 1}}));
}

TEST_F(search_cache_test, other_settings_index_everything_again) {
    build_and_keep(three_posts());
    options.title = 5;  // title words weigh otherwise: every document changes
    EXPECT_FALSE(newest_added(three_posts()));
    EXPECT_NE(why.find("other settings"), std::string::npos) << why;
}

TEST_F(search_cache_test, a_damaged_database_is_refused_before_xapian_reads_it) {
    build_and_keep(three_posts());
    const std::filesystem::path postlist = bundle + ".search/xapian/postlist.glass";
    std::string bytes = *read_file(postlist);
    bytes[bytes.size() / 2] ^= 0x20;  // one bit, the size unchanged
    std::ofstream(postlist, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_FALSE(newest_added(three_posts()));
    EXPECT_NE(why.find("damaged"), std::string::npos) << why;
}

TEST_F(search_cache_test, a_cache_being_replaced_is_no_cache_until_its_manifest_is_written) {
    build_and_keep(three_posts());
    std::filesystem::remove(bundle + ".search/manifest");  // as keep leaves it midway
    EXPECT_FALSE(newest_added(three_posts()));
    build_and_keep(three_posts());  // kept again over what was left
    EXPECT_EQ(newest_added(three_posts()), 0u) << why;
}

}  // namespace
}  // namespace kade::indexer
