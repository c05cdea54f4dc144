#include "server/ops/bundle_slot.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <string>

#include <xxhash.h>

#include "../search/search_bundle_fixture.hpp"
#include "common/bundle_writer.hpp"
#include "indexer/search/search_index.hpp"

// A reload refuses what it cannot trust and keeps serving the bundle it has.

namespace kade::ops {
namespace {

class bundle_slot_test : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = ::testing::TempDir() + "kade-slot-test-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_ + "/scratch");
        indexer::site s;
        indexer::site_post p;
        p.url = "/2014/01/post.html";
        p.source.title = "Klanten";
        p.source.date.year = 2014;
        p.source.date.month = 1;
        p.source.date.day = 2;
        p.source.date.unix_seconds = 1388653200;
        p.date_iso = "2014-01-02";
        p.body.text = "Klanten en leveranciers.";
        s.posts.push_back(p);
        indexer::search_index_options options;
        options.dictionary = "";
        database_ = indexer::single_file_database(
            indexer::build_search_database(s, dir_ + "/scratch", options), dir_ + "/scratch");
        path_ = dir_ + "/site.kade";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write_bundle(const std::string& home) {
        bundle::bundle_builder b;
        bundle::entry_input e;
        e.path = "/";
        e.content_type = "text/html; charset=utf-8";
        e.variants[0] = home;
        b.add(e);
        b.set_search_database(database_);
        return b.write(path_);
    }

    std::string bytes_of_bundle() const {
        std::ifstream in(path_, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    // As a deploy does: a new file renamed onto the path (a mapped bundle in use must never be
    // written into).
    void replace_bundle(const std::string& bytes) const {
        const std::string tmp = path_ + ".tmp";
        std::ofstream(tmp, std::ios::binary | std::ios::trunc) << bytes;
        std::filesystem::rename(tmp, path_);
    }

    std::string dir_, database_, path_;
};

TEST_F(bundle_slot_test, a_good_bundle_is_swapped_in) {
    write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_));
    const std::string id = write_bundle("<p>two</p>");
    EXPECT_EQ(slot.reload(path_), "");
    EXPECT_EQ(slot.current()->view().build_id(), id);
    EXPECT_EQ(slot.reloads(), 1u);
}

// Checksums fixed by hand, build id left: refused, the old bundle keeps serving.
TEST_F(bundle_slot_test, an_edited_bundle_is_refused_and_the_old_one_stays) {
    const std::string id = write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_));
    std::string bytes = bytes_of_bundle();
    bytes[bytes.find("<p>one</p>") + 3] = 'O';
    for (std::uint32_t i = 0; i < bundle::section_kind_count; ++i) {
        bundle::section_record rec;
        char* at = bytes.data() + sizeof(bundle::file_header) + i * sizeof rec;
        std::memcpy(&rec, at, sizeof rec);
        rec.checksum = XXH3_64bits(bytes.data() + rec.offset, rec.size);
        std::memcpy(at, &rec, sizeof rec);
    }
    const std::size_t head =
        sizeof(bundle::file_header) + bundle::section_kind_count * sizeof(bundle::section_record);
    std::memset(bytes.data() + offsetof(bundle::file_header, checksum), 0, 8);
    const std::uint64_t sum = XXH3_64bits(bytes.data(), head);
    std::memcpy(bytes.data() + offsetof(bundle::file_header, checksum), &sum, sizeof sum);
    replace_bundle(bytes);

    const std::string error = slot.reload(path_);
    EXPECT_NE(error.find("build id does not match"), std::string::npos) << error;
    EXPECT_EQ(slot.current()->view().build_id(), id);
    EXPECT_EQ(slot.reloads(), 0u);
    EXPECT_EQ(slot.refused(), 1u);
}

// The writer's checksums and id are right, but the database inside was damaged before it.
TEST_F(bundle_slot_test, a_damaged_search_database_is_refused_and_the_old_one_stays) {
    const std::string id = write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_));
    search::test::damage_middle_block(database_);
    write_bundle("<p>two</p>");
    const std::string error = slot.reload(path_);
    EXPECT_NE(error.find("search database is damaged"), std::string::npos) << error;
    EXPECT_EQ(slot.current()->view().build_id(), id);
    EXPECT_EQ(slot.reloads(), 0u);
}

// kade-serve's start: the first bundle is served on its structure alone, and verify_first does
// the rest of what a reload checks.
TEST_F(bundle_slot_test, verify_first_marks_a_good_first_bundle_verified) {
    const std::string id = write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_, {.verify = false}), false);
    EXPECT_FALSE(slot.verified());
    EXPECT_EQ(slot.verify_first(), "");
    EXPECT_TRUE(slot.verified());
    EXPECT_EQ(slot.current()->view().build_id(), id);
    EXPECT_EQ(slot.reloads(), 0u);
}

TEST_F(bundle_slot_test, verify_first_names_the_bundle_and_what_is_wrong) {
    write_bundle("<p>one</p>");
    std::string bytes = bytes_of_bundle();
    bytes[bytes.find("<p>one</p>") + 3] ^= 0x20;
    replace_bundle(bytes);
    bundle_slot slot(bundle::loaded_bundle::load(path_, {.verify = false}), false);
    const std::string error = slot.verify_first();
    EXPECT_NE(error.find("bundle " + path_ + ": section 2 (page bodies) checksum mismatch"),
              std::string::npos)
        << error;
    EXPECT_FALSE(slot.verified());
    // The bundle stays in place: stopping is the caller's decision.
    EXPECT_EQ(slot.current()->view().body(*slot.current()->view().find("/"), 0), "<p>One</p>");
}

// Checksums right, the database damaged before it was written: Xapian's check finds it.
TEST_F(bundle_slot_test, verify_first_runs_xapians_check_of_the_search_database) {
    search::test::damage_middle_block(database_);
    write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_, {.verify = false}), false);
    const std::string error = slot.verify_first();
    EXPECT_NE(error.find("bundle " + path_ + ": the search database is damaged"), std::string::npos)
        << error;
    EXPECT_FALSE(slot.verified());
}

// A reload proves everything before the swap, so what it swaps in is verified.
TEST_F(bundle_slot_test, a_reloaded_bundle_is_verified) {
    write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_, {.verify = false}), false, {.copy = true});
    write_bundle("<p>two</p>");
    EXPECT_EQ(slot.reload(path_), "");
    EXPECT_TRUE(slot.verified());
    EXPECT_TRUE(slot.current()->copied());
    EXPECT_EQ(slot.verify_first(), "");
}

// A FIFO put at the bundle path must not hang the reload (nor, with it, SIGTERM).
TEST_F(bundle_slot_test, a_fifo_is_refused_without_blocking) {
    write_bundle("<p>one</p>");
    bundle_slot slot(bundle::loaded_bundle::load(path_));
    std::filesystem::remove(path_);
    ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
    auto error = std::async(std::launch::async, [&] { return slot.reload(path_); });
    if (error.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int writer = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK);  // lets open() return
        error.wait();
        if (writer >= 0) ::close(writer);
        FAIL() << "reload blocked on a FIFO";
    }
    EXPECT_NE(error.get().find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace kade::ops
