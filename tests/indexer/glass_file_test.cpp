// A folder database copied block by block into one file (indexer/search/glass_file.hpp) holds
// what Xapian's compaction to one file gives, passes xapian-check, and anything else is refused.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/files.hpp"
#include "indexer/search/glass_file.hpp"
#include "search_test_support.hpp"

namespace kade::indexer {
namespace {

namespace fs = std::filesystem;

Xapian::Document document(unsigned i) {
    Xapian::Document d;
    d.set_data("bericht " + std::to_string(i));
    d.add_value(0, Xapian::sortable_serialise(i));
    for (Xapian::termpos at = 1; at <= 40; ++at)
        d.add_posting("woord" + std::to_string((i * 7 + at * 13) % 500), at);
    d.add_boolean_term("L" + std::to_string(i % 9));
    return d;
}

// A folder database as the search cache is after an incremental build: small blocks, so the
// tables are trees of several levels, then documents replaced, removed and added, so blocks
// were rewritten elsewhere and the old ones are free.
std::string edited_database(const fs::path& dir) {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS, 2048);
    for (unsigned i = 0; i < 2000; ++i) db.add_document(document(i));
    for (unsigned w = 0; w < 300; ++w) db.add_spelling("woord" + std::to_string(w), 1 + w % 5);
    db.set_metadata("kade:analysis", "nl");
    db.commit();
    for (Xapian::docid d = 5; d < 2000; d += 97) db.replace_document(d, document(d + 5000));
    for (Xapian::docid d = 11; d < 2000; d += 131) db.delete_document(d);
    for (unsigned i = 0; i < 20; ++i) db.add_document(document(9000 + i));
    db.remove_spelling("woord7");
    db.commit();
    return dir.string();
}

std::string contents_of_file(const std::string& path, off_t at = 0) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::lseek(fd, at, SEEK_SET), at);
    return test::database_contents(Xapian::Database(fd));  // the database closes it
}

// Xapian's compaction to one file of the folder without its termlist table, as the indexer
// did before it copied blocks.
std::string compacted(const std::string& folder, const fs::path& to) {
    const fs::path lean = to.string() + "-lean";
    fs::create_directories(lean);
    for (const auto& file : fs::directory_iterator(folder))
        if (file.path().filename() != "termlist.glass")
            fs::copy_file(file.path(), lean / file.path().filename());
    Xapian::Database(lean.string()).compact(to.string(), Xapian::DBCOMPACT_SINGLE_FILE);
    return to.string();
}

std::uintmax_t tables_bytes(const fs::path& folder) {
    std::uintmax_t bytes = 0;
    for (const auto& file : fs::directory_iterator(folder))
        if (file.path().extension() == ".glass" && file.path().stem() != "termlist")
            bytes += file.file_size();
    return bytes;
}

TEST(glass_file, holds_what_compaction_to_one_file_gives) {
    const scratch_dir dir("kade-glass");
    const std::string folder = edited_database(dir.path() / "db");
    const std::string file = (dir.path() / "copied.glass").string();
    ASSERT_EQ(write_glass_file(folder, file), "");
    const std::string expected = contents_of_file(compacted(folder, dir.path() / "compacted"));
    EXPECT_GT(expected.size(), 100000u);
    EXPECT_TRUE(contents_of_file(file) == expected);
    // The blocks the edits freed are left out.
    EXPECT_LT(fs::file_size(file), tables_bytes(folder));
    // As the bundle holds it: after other bytes, opened at its offset.
    const std::string inside = (dir.path() / "inside").string();
    {
        std::ofstream out(inside, std::ios::binary);
        out << std::string(4096, 'k') << read_file(file).value();
    }
    EXPECT_TRUE(contents_of_file(inside, 4096) == expected);
}

// A blog without posts: a database whose tables hold nothing, written or compacted.
TEST(glass_file, an_empty_database_stays_empty) {
    const scratch_dir dir("kade-glass");
    const fs::path written = dir.path() / "written", folder = dir.path() / "folder";
    Xapian::WritableDatabase(written.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS)
        .commit();
    Xapian::Database(written.string()).compact(folder.string());
    for (const fs::path& db : {written, folder}) {
        const std::string file = (dir.path() / "empty.glass").string();
        ASSERT_EQ(write_glass_file(db.string(), file), "");
        const fs::path reference = db.string() + ".compacted";
        EXPECT_TRUE(contents_of_file(file) == contents_of_file(compacted(db, reference))) << db;
    }
}

TEST(glass_file, xapian_check_finds_nothing_wrong) {
    const std::string check = KADE_XAPIAN_CHECK;
    if (check.empty()) GTEST_SKIP() << "xapian-check (Debian's xapian-tools) is not installed";
    const scratch_dir dir("kade-glass");
    const std::string folder = edited_database(dir.path() / "db");
    const std::string file = (dir.path() / "copied.glass").string();
    ASSERT_EQ(write_glass_file(folder, file), "");
    const std::string command = check + " " + file + " > " + (dir.path() / "log").string();
    EXPECT_EQ(std::system(command.c_str()), 0) << read_file(dir.path() / "log").value_or("");
}

// Each damaged copy of the folder gets a reason, and no file.
TEST(glass_file, refuses_a_format_or_tree_it_does_not_know) {
    const scratch_dir dir("kade-glass");
    const std::string folder = edited_database(dir.path() / "db");
    int case_number = 0;
    auto refused = [&](auto damage) {
        const fs::path copy = dir.path() / ("damaged" + std::to_string(++case_number));
        fs::copy(folder, copy);
        damage(copy);
        const fs::path file = dir.path() / "out.glass";
        const std::string why = write_glass_file(copy.string(), file.string());
        EXPECT_FALSE(fs::exists(file)) << why;
        return why;
    };
    EXPECT_NE(refused([](const fs::path& db) { fs::remove(db / "iamglass"); }), "");
    EXPECT_NE(refused([](const fs::path& db) {
                  std::fstream f(db / "iamglass", std::ios::in | std::ios::out | std::ios::binary);
                  f.seekp(15);
                  f.put('\x6f');  // another format version
              }),
              "");
    EXPECT_NE(refused([](const fs::path& db) { fs::resize_file(db / "postlist.glass", 2048); }),
              "");
    // Every block's level byte wrong: no tree to follow.
    EXPECT_NE(refused([](const fs::path& db) {
                  std::fstream f(db / "position.glass",
                                 std::ios::in | std::ios::out | std::ios::binary);
                  const auto blocks = fs::file_size(db / "position.glass") / 2048;
                  for (std::uintmax_t b = 0; b < blocks; ++b) {
                      f.seekp(static_cast<std::streamoff>(b * 2048 + 4));
                      f.put('\x07');
                  }
              }),
              "");
}

}  // namespace
}  // namespace kade::indexer
