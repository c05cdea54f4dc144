#include "importer/plan.hpp"

#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "common/files.hpp"

namespace kade::blogger {
namespace {

namespace fs = std::filesystem;

void put(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

import_result two_posts() {
    import_result r;
    r.files = {{"posts/2014/01/a.md", "A"}, {"posts/2014/01/b.md", "B"}};
    return r;
}

TEST(plan, new_files_are_written_and_equal_ones_left_alone) {
    const scratch_dir out("kade-plan-test");
    put(out.path() / "posts/2014/01/a.md", "A");
    const write_plan p = plan_writes(two_posts(), out.path(), false);
    EXPECT_EQ(p.unchanged, 1u);
    EXPECT_TRUE(p.conflicts.empty());
    ASSERT_EQ(p.writes.size(), 1u);
    write_files(p);
    EXPECT_EQ(read_file(out.path() / "posts/2014/01/b.md"), "B");
    EXPECT_FALSE(fs::exists(out.path() / "posts/2014/01/.b.md.tmp"));
}

TEST(plan, other_contents_conflict_unless_forced) {
    const scratch_dir out("kade-plan-test");
    put(out.path() / "posts/2014/01/a.md", "mine");
    const write_plan refused = plan_writes(two_posts(), out.path(), false);
    EXPECT_EQ(refused.conflicts,
              std::vector<std::string>{(out.path() / "posts/2014/01/a.md").string()});
    EXPECT_EQ(refused.writes.size(), 1u);  // b.md; the caller writes nothing on a conflict
    const write_plan forced = plan_writes(two_posts(), out.path(), true);
    EXPECT_TRUE(forced.conflicts.empty());
    EXPECT_EQ(forced.writes.size(), 2u);
    write_files(forced);
    EXPECT_EQ(read_file(out.path() / "posts/2014/01/a.md"), "A");
}

TEST(plan, image_copies_read_their_source) {
    const scratch_dir dir("kade-plan-test");
    put(dir.path() / "images/foto.jpg", "JPEG");
    import_result r;
    r.copies = {{(dir.path() / "images/foto.jpg").string(), "static/blogger/foto.jpg"}};
    const write_plan p = plan_writes(r, dir.path() / "out", false);
    ASSERT_EQ(p.writes.size(), 1u);
    EXPECT_EQ(p.writes[0].content, "JPEG");
    r.copies[0].source = (dir.path() / "images/gone.jpg").string();
    EXPECT_THROW(plan_writes(r, dir.path() / "out", false), std::runtime_error);
}

}  // namespace
}  // namespace kade::blogger
