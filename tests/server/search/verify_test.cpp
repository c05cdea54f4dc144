#include "server/search/verify.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common/files.hpp"
#include "search_bundle_fixture.hpp"

// A bundle whose checksums and build id are right (the writer made them) can still hold a
// damaged search database: verify_databases must refuse it before it is served.

namespace kade::search {
namespace {

class verify_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        scratch_ = new scratch_dir("kade-verify-test");
        database_ = new std::string(test::single_file_database(scratch_->path(), 300, [](int i) {
            return "Klanten en leveranciers, bericht nummer " + std::to_string(i) +
                   " over samenwerken, fietsen en ideeën.";
        }));
    }
    static void TearDownTestSuite() {
        delete scratch_;
        delete database_;
    }

    static std::string verify_error(const std::string& database) {
        try {
            verify_databases(*test::bundle_with(scratch_->path(), database, "site"));
            return "";
        } catch (const std::runtime_error& e) {
            return e.what();
        }
    }

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
    test::damage_middle_block(damaged);
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
