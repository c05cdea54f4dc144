#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/dutch.hpp"
#include "common/files.hpp"
#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"
#include "search_test_support.hpp"

namespace kade::indexer {
namespace {

site seven_posts() {
    std::vector<std::string> texts;
    for (int i = 0; i < 7; ++i)
        texts.push_back("+++\ntitle = \"Bericht " + std::to_string(i) + "\"\ndate = 2014-01-0" +
                        std::to_string(i + 1) + "\n+++\nDe fiets en de klant, deel " +
                        std::to_string(i) + ".\n");
    return test::site_of(texts);
}

TEST(shards, round_robin_split_numbers_documents_as_the_whole_database) {
    const site s = seven_posts();
    const scratch_dir scratch("kade-shards");
    const std::string whole_path = build_search_database(s, scratch.path().string());
    const auto dirs = build_shard_databases(whole_path, 3, scratch.path().string());
    ASSERT_EQ(dirs.size(), 3u);
    Xapian::Database whole(whole_path);
    Xapian::Database combined;
    std::vector<Xapian::doccount> sizes;
    for (const auto& dir : dirs) {
        Xapian::Database shard(dir);
        sizes.push_back(shard.get_doccount());
        // The analysis travels with each shard; spelling data stays in the whole database.
        EXPECT_EQ(shard.get_metadata(std::string(dutch::analysis_key)),
                  whole.get_metadata(std::string(dutch::analysis_key)));
        combined.add_database(shard);
    }
    EXPECT_EQ(sizes, (std::vector<Xapian::doccount>{3, 2, 2}));  // balanced
    ASSERT_EQ(combined.get_doccount(), whole.get_doccount());
    for (Xapian::docid d = 1; d <= whole.get_lastdocid(); ++d)
        EXPECT_EQ(combined.get_document(d).get_data(), whole.get_document(d).get_data()) << d;
    EXPECT_EQ(combined.get_avlength(), whole.get_avlength());
}

TEST(shards, a_database_with_gaps_is_split_in_docid_order) {
    // Seven posts, the oldest with the greatest wdf ("de" fifteen times): removing others
    // leaves every bound as it is.
    std::vector<std::string> texts;
    for (int i = 0; i < 7; ++i)
        texts.push_back("+++\ntitle = \"Bericht " + std::to_string(i) + "\"\ndate = 2014-01-0" +
                        std::to_string(i + 1) + "\n+++\nDe fiets en de klant, deel " +
                        std::to_string(i) +
                        (i == 0 ? " de de de de de de de de de de de de de" : "") + ".\n");
    const site s = test::site_of(texts);
    // Posts 3 and 5 (site order, newest first; post i is docid 7 - i) removed in place: docids
    // 5 and 3 go, 7, 6, 4, 2, 1 are left.
    const scratch_dir scratch("kade-shards"), changed("kade-shards");
    const std::string whole_path = build_search_database(s, scratch.path().string());
    site fewer = s;
    fewer.posts.erase(fewer.posts.begin() + 4);
    fewer.posts.erase(fewer.posts.begin() + 2);
    std::string why;
    const std::optional<std::string> gapped = update_search_database(
        fewer, {0, {}, {3, 5}}, whole_path, changed.path().string(), search_index_options{}, why);
    ASSERT_TRUE(gapped) << why;
    ASSERT_EQ(document_ids(*gapped, fewer), (std::vector<unsigned>{7, 6, 4, 2, 1}));
    const auto dirs = build_shard_databases(*gapped, 2, changed.path().string());
    Xapian::Database whole(*gapped), combined;
    for (const auto& dir : dirs) combined.add_database(Xapian::Database(dir));
    ASSERT_EQ(combined.get_doccount(), 5u);
    // The combined database numbers them 1-5, in the whole database's docid order (site order
    // backwards).
    const std::vector<unsigned> ids = document_ids(*gapped, fewer);
    for (Xapian::docid d = 1; d <= 5; ++d)
        EXPECT_EQ(combined.get_document(d).get_data(), whole.get_document(ids[5 - d]).get_data())
            << d;
}

TEST(shards, index_built_in_two_halves_equals_the_index_built_in_one_go) {
    const site s = seven_posts();
    const scratch_dir one_go("kade-shards"), halves("kade-shards");
    search_index_options sequential, parallel;
    sequential.parallel_from = SIZE_MAX;
    parallel.parallel_from = 2;
    Xapian::Database a(build_search_database(s, one_go.path().string(), sequential));
    Xapian::Database b(build_search_database(s, halves.path().string(), parallel));
    test::expect_same_documents(a, b);
    // The statistics BM25 uses, the spelling data suggestions come from, and the metadata.
    EXPECT_EQ(a.get_avlength(), b.get_avlength());
    EXPECT_EQ(a.get_termfreq("Zklant"), b.get_termfreq("Zklant"));
    EXPECT_EQ(a.get_collection_freq("Zfiet"), b.get_collection_freq("Zfiet"));
    EXPECT_EQ(a.get_spelling_suggestion("klnt"), b.get_spelling_suggestion("klnt"));
    std::vector<std::string> sa(a.spellings_begin(), a.spellings_end());
    std::vector<std::string> sb(b.spellings_begin(), b.spellings_end());
    EXPECT_EQ(sa, sb);
    EXPECT_EQ(a.get_metadata(std::string(dutch::analysis_key)),
              b.get_metadata(std::string(dutch::analysis_key)));
}

TEST(shards, single_file_shards_open_and_keep_their_documents) {
    const site s = seven_posts();
    const scratch_dir scratch("kade-shards");
    const std::string whole_path = build_search_database(s, scratch.path().string());
    const auto dirs = build_shard_databases(whole_path, 2, scratch.path().string());
    const std::string bytes = single_file_database(dirs[1], scratch.path().string());
    const auto file = scratch.path() / "one.glass";
    {
        FILE* f = std::fopen(file.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    Xapian::Database shard(file.string());
    EXPECT_EQ(shard.get_doccount(), 3u);
    EXPECT_EQ(shard.get_document(1).get_data(),
              Xapian::Database(whole_path).get_document(2).get_data());
}

}  // namespace
}  // namespace kade::indexer
