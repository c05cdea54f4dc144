#include "server/search/verify.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common/bundle_writer.hpp"
#include "common/files.hpp"
#include "indexer/search/search_index.hpp"

// A bundle whose checksums and build id are right (the writer made them) can still hold a
// damaged search database: verify_databases must refuse it before it is served.

namespace kade::search {
namespace {

indexer::site_post post(const std::string& id, const std::string& text) {
    indexer::site_post p;
    p.url = "/" + id;
    p.source.title = "Over " + id;
    p.source.date.year = 2014;
    p.source.date.month = 1;
    p.source.date.day = 2;
    p.source.date.unix_seconds = 1388653200;
    p.source.labels = {"werk"};
    p.date_iso = "2014-01-02";
    p.body.text = text;
    return p;
}

class verify_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        scratch_ = new scratch_dir("kade-verify-test");
        indexer::site s;
        for (int i = 0; i < 300; ++i)
            s.posts.push_back(post("post-" + std::to_string(i),
                                   "Klanten en leveranciers, bericht nummer " + std::to_string(i) +
                                       " over samenwerken, fietsen en ideeën."));
        indexer::search_index_options options;
        options.dictionary = "";  // no compounds: the test needs no word list
        const std::string db = indexer::build_search_database(s, dir(), options);
        database_ = new std::string(indexer::single_file_database(db, dir()));
    }
    static void TearDownTestSuite() {
        delete scratch_;
        delete database_;
    }

    // A bundle written (checksums and build id right) around `database`, loaded.
    static std::shared_ptr<const bundle::loaded_bundle> bundle_with(const std::string& database) {
        bundle::bundle_builder b;
        bundle::entry_input home;
        home.path = "/";
        home.content_type = "text/html; charset=utf-8";
        home.variants[0] = std::string("<p>home</p>");
        b.add(home);
        b.set_search_database(database);
        const std::string file = dir() + "/site.kade";
        b.write(file);
        return bundle::loaded_bundle::load(file);
    }

    static std::string verify_error(const std::string& database) {
        try {
            verify_databases(*bundle_with(database));
            return "";
        } catch (const std::runtime_error& e) {
            return e.what();
        }
    }

    static std::string dir() { return scratch_->path().string(); }

    static scratch_dir* scratch_;
    static std::string* database_;
};
scratch_dir* verify_test::scratch_ = nullptr;
std::string* verify_test::database_ = nullptr;

TEST_F(verify_test, a_whole_database_passes) {
    EXPECT_EQ(verify_error(*database_), "");
}

TEST_F(verify_test, a_damaged_block_is_refused) {
    ASSERT_GT(database_->size(), 3u * 8192);
    std::string damaged = *database_;
    for (std::size_t i = damaged.size() / 2; i < damaged.size() / 2 + 64; ++i)
        damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    const std::string error = verify_error(damaged);
    EXPECT_NE(error.find("the search database is damaged"), std::string::npos) << error;
}

TEST_F(verify_test, a_truncated_database_is_refused) {
    const std::string error = verify_error(database_->substr(0, database_->size() / 2));
    EXPECT_NE(error.find("the search database is damaged"), std::string::npos) << error;
}

TEST_F(verify_test, junk_is_refused) {
    const std::string error = verify_error(std::string(40000, 'x'));
    EXPECT_NE(error.find("the search database is damaged"), std::string::npos) << error;
}

}  // namespace
}  // namespace kade::search
