#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "common/dictionary.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <xxhash.h>

namespace kade::bundle {
namespace {

entry_input page(std::string path, std::string body) {
    entry_input e;
    e.path = std::move(path);
    e.content_type = "text/html; charset=utf-8";
    e.last_modified = 1388653200;
    e.keys = "home";
    e.variants[0] = std::move(body);
    return e;
}

bundle_builder sample() {
    bundle_builder b;
    auto post = page("/2014/01/post.html", "<p>post</p>");
    post.variants[1] = std::string("gzip-bytes");
    post.variants[2] = std::string("zstd");
    b.add(std::move(post));
    b.add(page("/", "<p>home</p>"));
    auto alias = page("/oud.html", "moved");
    alias.status = 301;
    alias.location = "/2014/01/post.html";
    alias.cache = cache_class::redirect;
    b.add(std::move(alias));
    b.set_search_database("xapian-bytes");
    return b;
}

std::optional<bundle_view> open_bytes(const std::string& bytes, std::string& error) {
    return bundle_view::open(bytes, error);
}

// Recomputes every section checksum and the header checksum, as someone editing a bundle by
// hand would; the build id is left as it was.
void fix_checksums(std::string& bytes) {
    for (std::uint32_t i = 0; i < section_kind_count; ++i) {
        section_record rec;
        char* at = bytes.data() + sizeof(file_header) + i * sizeof(section_record);
        std::memcpy(&rec, at, sizeof rec);
        rec.checksum = XXH3_64bits(bytes.data() + rec.offset, rec.size);
        std::memcpy(at, &rec, sizeof rec);
    }
    const std::size_t head = sizeof(file_header) + section_kind_count * sizeof(section_record);
    std::memset(bytes.data() + offsetof(file_header, checksum), 0, sizeof(std::uint64_t));
    const std::uint64_t sum = XXH3_64bits(bytes.data(), head);
    std::memcpy(bytes.data() + offsetof(file_header, checksum), &sum, sizeof sum);
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("kade-bundle-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

// The error loaded_bundle::load throws for `path`, or "" when it loads.
std::string load_error(const std::string& path) {
    try {
        loaded_bundle::load(path);
        return "";
    } catch (const std::runtime_error& e) {
        return e.what();
    }
}

std::string read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Bytes this process has read through read() and pread() so far (/proc/self/io), or -1.
long long bytes_read_so_far() {
    std::ifstream io("/proc/self/io");
    std::string key;
    long long value;
    while (io >> key >> value)
        if (key == "rchar:") return value;
    return -1;
}

TEST(bundle, round_trip_gives_back_every_entry_and_variant) {
    const std::string bytes = sample().serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    ASSERT_EQ(view->entries().size(), 3u);

    const entry_record* post = view->find("/2014/01/post.html");
    ASSERT_NE(post, nullptr);
    EXPECT_EQ(view->body(*post, 0), "<p>post</p>");
    EXPECT_EQ(view->body(*post, 1), "gzip-bytes");
    EXPECT_EQ(view->body(*post, 2), "zstd");
    EXPECT_EQ(view->str(post->content_type), "text/html; charset=utf-8");
    EXPECT_EQ(post->last_modified, 1388653200);
    EXPECT_EQ(view->str(post->keys), "home");
    EXPECT_NE(post->variants[0].hash, post->variants[1].hash);

    const entry_record* alias = view->find("/oud.html");
    ASSERT_NE(alias, nullptr);
    EXPECT_EQ(alias->status, 301);
    EXPECT_EQ(view->str(alias->location), "/2014/01/post.html");
    EXPECT_FALSE(view->holds(*alias, 1));

    EXPECT_EQ(view->search_database(), "xapian-bytes");
    EXPECT_EQ(view->build_id().size(), 32u);
    EXPECT_EQ(view->find("/missing"), nullptr);
}

TEST(bundle, entries_are_sorted_whatever_the_order_they_were_added_in) {
    std::string error;
    const std::string bytes = sample().serialize();
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view);
    std::string previous;
    for (const auto& e : view->entries()) {
        EXPECT_LT(previous, std::string(view->path(e)));
        previous = view->path(e);
    }
}

TEST(bundle, same_input_gives_the_same_bytes_and_build_id) {
    EXPECT_EQ(sample().serialize(), sample().serialize());
}

TEST(bundle, different_content_gives_a_different_build_id) {
    auto other = sample();
    other.add(page("/new.html", "new"));
    std::string error;
    const std::string a = sample().serialize(), b = other.serialize();
    EXPECT_NE(open_bytes(a, error)->build_id(), open_bytes(b, error)->build_id());
}

TEST(bundle, duplicate_paths_are_refused_by_the_writer) {
    bundle_builder b;
    b.add(page("/a", "1"));
    b.add(page("/a", "2"));
    EXPECT_THROW(b.serialize(), std::runtime_error);
}

TEST(bundle, every_flipped_byte_is_refused) {
    const std::string good = sample().serialize();
    // Flip each byte that is covered by a checksum: header, table and sections (not padding).
    int refused = 0, tried = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        std::string error;
        ++tried;
        if (!open_bytes(bad, error)) ++refused;
    }
    // Padding between sections is the only part not covered; it is under 64 bytes per gap.
    EXPECT_GT(refused, tried - 5 * 64);
}

TEST(bundle, truncated_bundle_is_refused_with_a_reason) {
    const std::string good = sample().serialize();
    for (std::size_t len : {std::size_t{0}, std::size_t{10}, std::size_t{128}, good.size() - 1}) {
        std::string error;
        EXPECT_FALSE(open_bytes(good.substr(0, len), error)) << len;
        EXPECT_FALSE(error.empty());
    }
}

TEST(bundle, wrong_version_is_refused_naming_both_versions) {
    std::string bytes = sample().serialize();
    const std::uint32_t v = 99;
    std::memcpy(bytes.data() + offsetof(file_header, version), &v, sizeof v);
    std::string error;
    EXPECT_FALSE(open_bytes(bytes, error));
    EXPECT_NE(error.find("99"), std::string::npos) << error;
}

TEST(bundle, version_2_bundle_is_refused_with_a_clear_message) {
    std::string bytes = sample().serialize();
    const std::uint32_t v = 2;  // before the dictionary section
    std::memcpy(bytes.data() + offsetof(file_header, version), &v, sizeof v);
    std::string error;
    EXPECT_FALSE(open_bytes(bytes, error));
    EXPECT_NE(error.find("version 2, this server reads 5"), std::string::npos) << error;
}

TEST(bundle, version_3_bundle_is_refused_asking_for_a_new_index) {
    std::string bytes = sample().serialize();
    const std::uint32_t v = 3;  // identity stored for every page
    std::memcpy(bytes.data() + offsetof(file_header, version), &v, sizeof v);
    std::string error;
    EXPECT_FALSE(open_bytes(bytes, error));
    EXPECT_NE(error.find("version 3, this server reads 5 (re-run kade-index)"), std::string::npos)
        << error;
}

TEST(bundle, dictionary_and_dcz_variant_round_trip) {
    bundle_builder b = sample();
    const std::string dict = "dictionary bytes";
    auto d = page("/static/dict-0011.dict", dict);
    d.cache = cache_class::asset;
    b.add(std::move(d));
    auto p = page("/p.html", "<p>p</p>");
    p.variants[dcz_variant] = std::string("dcz-bytes");
    b.add(std::move(p));
    b.set_dictionary(dict, "/static/dict-0011.dict");
    const std::string bytes = b.serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    ASSERT_NE(view->dictionary(), nullptr);
    EXPECT_EQ(view->dictionary_bytes(), dict);
    EXPECT_EQ(view->dictionary_entry(), view->find("/static/dict-0011.dict"));
    const entry_record* e = view->find("/p.html");
    ASSERT_TRUE(view->holds(*e, dcz_variant));
    EXPECT_EQ(view->body(*e, dcz_variant), "dcz-bytes");
}

TEST(bundle, the_dictionary_is_read_back_without_the_rest_of_the_file) {
    bundle_builder b = sample();
    b.add(page("/static/dict-0011.dict", "dictionary bytes"));
    b.set_dictionary("dictionary bytes", "/static/dict-0011.dict");
    const std::string file =
        ::testing::TempDir() + "kade-dict-test-" + std::to_string(::getpid()) + ".kade";
    b.write(file);
    EXPECT_EQ(read_dictionary(file), "dictionary bytes");
    sample().write(file);
    EXPECT_EQ(read_dictionary(file), std::nullopt);
    std::filesystem::remove(file);
    EXPECT_EQ(read_dictionary(file), std::nullopt);
}

TEST(bundle, without_a_dictionary_there_is_none) {
    const std::string bytes = sample().serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_EQ(view->dictionary(), nullptr);
    EXPECT_EQ(view->dictionary_bytes(), "");
}

TEST(bundle, dictionary_whose_hash_or_entry_is_wrong_is_refused) {
    std::string error;
    bundle_builder b = sample();
    b.set_dictionary("other bytes", "/");
    EXPECT_FALSE(open_bytes(b.serialize(), error));
    EXPECT_NE(error.find("dictionary entry differs"), std::string::npos) << error;
    bundle_builder c = sample();
    c.set_dictionary("x", "/static/missing.dict");
    EXPECT_FALSE(open_bytes(c.serialize(), error));
    EXPECT_NE(error.find("dictionary entry is missing"), std::string::npos) << error;
}

TEST(bundle, without_shards_the_shard_list_is_empty) {
    const std::string bytes = sample().serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_TRUE(view->shards().empty());
}

TEST(bundle, shard_databases_round_trip_aligned) {
    bundle_builder b = sample();
    b.set_shard_databases({"shard-zero", std::string(100, 'y'), "z"});
    const std::string bytes = b.serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    ASSERT_EQ(view->shards().size(), 3u);
    const char* want[] = {"shard-zero", nullptr, "z"};
    for (std::size_t k = 0; k < 3; ++k) {
        const auto& r = view->shards()[k];
        EXPECT_EQ(r.offset % section_alignment, 0u);
        const std::string got = bytes.substr(r.offset, r.size);
        EXPECT_EQ(got, want[k] ? std::string(want[k]) : std::string(100, 'y')) << k;
    }
    EXPECT_EQ(view->search_database(), "xapian-bytes");
    // Shards change the build id.
    EXPECT_NE(bytes.substr(offsetof(file_header, build_id), 16),
              sample().serialize().substr(offsetof(file_header, build_id), 16));
}

TEST(bundle, shard_table_pointing_outside_its_section_is_refused) {
    bundle_builder b = sample();
    b.set_shard_databases({"a", "b"});
    std::string bytes = b.serialize();
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    // Find the shards section's record and corrupt shard 1's size, then fix the checksums so
    // only the table is wrong.
    section_record rec;
    const std::size_t at = sizeof(file_header) + 4 * sizeof(section_record);
    std::memcpy(&rec, bytes.data() + at, sizeof rec);
    ASSERT_EQ(rec.kind, static_cast<std::uint32_t>(section_kind::shards));
    shard_record shard;
    const std::size_t shard_at = rec.offset + sizeof(shard_table) + sizeof(shard_record);
    std::memcpy(&shard, bytes.data() + shard_at, sizeof shard);
    shard.size = rec.size;  // runs past the section's end
    std::memcpy(bytes.data() + shard_at, &shard, sizeof shard);
    rec.checksum = XXH3_64bits(bytes.data() + rec.offset, rec.size);
    std::memcpy(bytes.data() + at, &rec, sizeof rec);
    const std::size_t head = sizeof(file_header) + section_kind_count * sizeof(section_record);
    std::string copy = bytes.substr(0, head);
    std::memset(copy.data() + offsetof(file_header, checksum), 0, sizeof(std::uint64_t));
    const std::uint64_t sum = XXH3_64bits(copy.data(), copy.size());
    std::memcpy(bytes.data() + offsetof(file_header, checksum), &sum, sizeof sum);
    EXPECT_FALSE(open_bytes(bytes, error));
    EXPECT_NE(error.find("shard 1 lies outside"), std::string::npos) << error;
}

// ETags and purge keys carry the build id: a bundle edited after the writer, checksums fixed,
// must not pass under the id of the content it no longer has.
TEST(bundle, edited_bundle_with_fixed_checksums_is_refused_for_its_build_id) {
    std::string bytes = sample().serialize();
    const auto at = bytes.find("<p>home</p>");
    ASSERT_NE(at, std::string::npos);
    bytes[at + 4] = 'H';
    fix_checksums(bytes);
    std::string error;
    EXPECT_FALSE(open_bytes(bytes, error));
    EXPECT_NE(error.find("build id does not match"), std::string::npos) << error;
}

// The structure is checked at once, the contents (every byte) later: a flipped byte inside a
// page body leaves every bound intact, so open_structure takes the bundle and verify_contents,
// which kade-serve runs in the background, refuses it naming the section.
TEST(bundle, open_structure_takes_a_flipped_body_byte_and_verify_contents_refuses_it) {
    std::string bytes = sample().serialize();
    const auto at = bytes.find("<p>home</p>");
    ASSERT_NE(at, std::string::npos);
    bytes[at + 3] ^= 0x20;  // h → H
    std::string error;
    const auto view = bundle_view::open_structure(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_EQ(view->body(*view->find("/"), 0), "<p>Home</p>");
    EXPECT_FALSE(view->verify_contents(error));
    EXPECT_NE(error.find("section 2 (page bodies) checksum mismatch"), std::string::npos) << error;
    EXPECT_FALSE(open_bytes(bytes, error));

    // The good bundle passes both, and verify_contents stops when told to.
    const std::string good = sample().serialize();
    const auto whole = bundle_view::open_structure(good, error);
    ASSERT_TRUE(whole) << error;
    EXPECT_TRUE(whole->verify_contents(error)) << error;
    const std::atomic<bool> cancelled{true};
    EXPECT_FALSE(whole->verify_contents(error, &cancelled));
    EXPECT_EQ(error, "verification cancelled");
}

// An edit with every checksum fixed passes the structure (and the checksums) but not the build
// id, which only verify_contents recomputes.
TEST(bundle, verify_contents_recomputes_the_build_id) {
    std::string bytes = sample().serialize();
    bytes[bytes.find("<p>home</p>") + 4] = 'H';
    fix_checksums(bytes);
    std::string error;
    const auto view = bundle_view::open_structure(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_FALSE(view->verify_contents(error));
    EXPECT_NE(error.find("build id does not match"), std::string::npos) << error;
}

// What the server would have to trust before verify_contents is checked at once, by both.
TEST(bundle, open_structure_and_open_refuse_truncated_and_garbled_heads) {
    const std::string good = sample().serialize();
    const std::size_t head = sizeof(file_header) + section_kind_count * sizeof(section_record);
    std::vector<std::pair<std::string, std::string>> bad;
    for (std::size_t len : {std::size_t{0}, std::size_t{10}, std::size_t{127}, std::size_t{128},
                            head - 1, head, good.size() / 2, good.size() - 1})
        bad.emplace_back("truncated to " + std::to_string(len), good.substr(0, len));
    // Every byte of the header and the section table: the header checksum covers them all.
    for (std::size_t i = 0; i < head; ++i) {
        std::string b = good;
        b[i] = static_cast<char>(b[i] ^ 0x5a);
        bad.emplace_back("byte " + std::to_string(i) + " flipped", std::move(b));
    }
    bad.emplace_back("junk", std::string(good.size(), 'x'));
    for (const auto& [name, bytes] : bad) {
        std::string error;
        EXPECT_FALSE(bundle_view::open_structure(bytes, error)) << name;
        EXPECT_FALSE(error.empty()) << name;
        error.clear();
        EXPECT_FALSE(open_bytes(bytes, error)) << name;
        EXPECT_FALSE(error.empty()) << name;
    }
}

// A section table (header checksum fixed) that points an entry's body past its section is a
// structural fault, refused by open_structure without reading the bodies.
TEST(bundle, open_structure_refuses_an_entry_pointing_outside_the_bodies) {
    std::string bytes = sample().serialize();
    section_record rec;
    const std::size_t at = sizeof(file_header) + 2 * sizeof(section_record);
    std::memcpy(&rec, bytes.data() + at, sizeof rec);
    ASSERT_EQ(rec.kind, static_cast<std::uint32_t>(section_kind::entries));
    entry_record e;
    std::memcpy(&e, bytes.data() + rec.offset, sizeof e);
    e.variants[0].size = std::uint64_t{1} << 40;
    std::memcpy(bytes.data() + rec.offset, &e, sizeof e);
    fix_checksums(bytes);
    std::string error;
    EXPECT_FALSE(bundle_view::open_structure(bytes, error));
    EXPECT_NE(error.find("refers outside the bodies"), std::string::npos) << error;
}

// A FIFO at the bundle path would block open() until a writer came, and with it the reload
// thread and the exit on SIGTERM; a folder or a device is no bundle either.
TEST(bundle, load_refuses_what_is_not_a_regular_file_without_blocking) {
    const std::string fifo = temp_path("fifo");
    std::filesystem::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto refused = std::async(std::launch::async, [&] { return load_error(fifo); });
    if (refused.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // lets open() return
        refused.wait();
        if (writer >= 0) ::close(writer);
        std::filesystem::remove(fifo);
        FAIL() << "loading a FIFO blocked";
    }
    EXPECT_NE(refused.get().find("not a regular file"), std::string::npos);
    std::filesystem::remove(fifo);
    EXPECT_NE(
        load_error(std::filesystem::temp_directory_path().string()).find("not a regular file"),
        std::string::npos);
    EXPECT_NE(load_error("/dev/null").find("not a regular file"), std::string::npos);
}

// Junk at the bundle path is refused by its first bytes: a 2 GiB file costs no 2 GiB of reading
// and memory. (Sparse, so the test costs no disk either.)
TEST(bundle, load_refuses_junk_and_a_wrong_size_before_reading_the_rest) {
    const std::string junk = temp_path("junk");
    {
        std::ofstream out(junk, std::ios::binary);
        out << "junk, not a bundle";
    }
    std::filesystem::resize_file(junk, std::uint64_t{2} << 30);
    const long long before = bytes_read_so_far();
    const std::string error = load_error(junk);
    const long long after = bytes_read_so_far();
    std::filesystem::remove(junk);
    EXPECT_NE(error.find("bad magic"), std::string::npos) << error;
    if (before >= 0) {
        EXPECT_LT(after - before, 1 << 20);
    }

    // A real bundle's head on a file of another size than it declares.
    const std::string grown = temp_path("grown");
    sample().write(grown);
    std::filesystem::resize_file(grown, std::uint64_t{1} << 30);
    const long long before2 = bytes_read_so_far();
    const std::string error2 = load_error(grown);
    const long long after2 = bytes_read_so_far();
    std::filesystem::remove(grown);
    EXPECT_NE(error2.find("header says"), std::string::npos) << error2;
    if (before2 >= 0) {
        EXPECT_LT(after2 - before2, 1 << 20);
    }
}

TEST(bundle, not_a_bundle_is_refused) {
    std::string error;
    EXPECT_FALSE(open_bytes(std::string(4096, 'x'), error));
    EXPECT_NE(error.find("not a Kade bundle"), std::string::npos);
}

TEST(bundle, written_file_loads_into_memory_and_matches) {
    const auto path =
        std::filesystem::temp_directory_path() / ("kade-bundle-test-" + std::to_string(::getpid()));
    const std::string id = sample().write(path.string());
    auto loaded = loaded_bundle::load(path.string());
    EXPECT_EQ(loaded->view().build_id(), id);
    const entry_record* home = loaded->view().find("/");
    ASSERT_NE(home, nullptr);
    EXPECT_EQ(loaded->view().body(*home, 0), "<p>home</p>");
    // The file can change or vanish: the server's copy does not.
    std::filesystem::remove(path);
    EXPECT_EQ(loaded->view().body(*home, 0), "<p>home</p>");
    const int fd = loaded->open_search_fd();
    char buf[12];
    ASSERT_EQ(::read(fd, buf, sizeof buf), 12);
    EXPECT_EQ(std::string(buf, 12), "xapian-bytes");
    ::close(fd);
}

// kade-serve's start: the structure at load, the contents afterwards; the error names the file.
TEST(bundle, load_without_verifying_takes_a_flipped_body_byte_that_verify_contents_refuses) {
    const std::string path = temp_path("flipped");
    sample().write(path);
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[bytes.find("<p>home</p>") + 3] ^= 0x20;  // h → H
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    EXPECT_NE(load_error(path).find("section 2 (page bodies) checksum mismatch"),
              std::string::npos);
    for (const bool copy : {false, true}) {
        const auto loaded = loaded_bundle::load(path, {.copy = copy, .verify = false});
        EXPECT_EQ(loaded->copied(), copy);
        EXPECT_EQ(loaded->view().body(*loaded->view().find("/"), 0), "<p>Home</p>");
        try {
            loaded->verify_contents();
            ADD_FAILURE() << "verify_contents took a corrupt bundle";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("bundle " + path + ": section 2"),
                      std::string::npos)
                << e.what();
        }
    }
    std::filesystem::remove(path);
}

// copy_bundle = 1: the bytes are the server's own, so a rewrite of the file in place changes
// nothing served. (Mapped, the default, only a rename may replace the file.)
TEST(bundle, a_copied_bundle_does_not_see_the_file_rewritten_in_place) {
    const std::string path = temp_path("copied");
    sample().write(path);
    const auto loaded = loaded_bundle::load(path, {.copy = true});
    const auto mapped = loaded_bundle::load(path);
    EXPECT_FALSE(mapped->copied());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << "rewritten";
    }
    EXPECT_EQ(loaded->view().body(*loaded->view().find("/"), 0), "<p>home</p>");
    EXPECT_NO_THROW(loaded->verify_contents());
    std::filesystem::remove(path);
}

// Mapped: a new file renamed onto the path leaves the old one mapped and whole, search
// descriptors included.
TEST(bundle, a_mapped_bundle_keeps_its_file_after_a_rename_replaces_it) {
    const std::string path = temp_path("renamed");
    const std::string id = sample().write(path);
    const auto loaded = loaded_bundle::load(path);
    bundle_builder other = sample();
    other.add(page("/new.html", "new"));
    other.set_search_database("other-xapian");
    other.write(path);  // temporary file, then rename
    EXPECT_EQ(loaded->view().build_id(), id);
    EXPECT_EQ(loaded->view().body(*loaded->view().find("/"), 0), "<p>home</p>");
    EXPECT_NO_THROW(loaded->verify_contents());
    const int fd = loaded->open_search_fd();
    char buf[12];
    ASSERT_EQ(::read(fd, buf, sizeof buf), 12);
    EXPECT_EQ(std::string(buf, 12), "xapian-bytes");
    ::close(fd);
    EXPECT_NE(loaded_bundle::load(path)->view().build_id(), id);
    std::filesystem::remove(path);
}

TEST(bundle, missing_file_is_refused_naming_the_path) {
    try {
        loaded_bundle::load("/nonexistent/site.kade");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot load bundle /nonexistent/site.kade"),
                  std::string::npos);
    }
}

// Many pages whose bodies add up to several MiB (more than the builder's write buffer), with
// one body larger than the buffer on its own.
bundle_builder many_pages(const std::string& scratch) {
    bundle_builder b(scratch);
    for (int i = 0; i < 3000; ++i) {
        auto e =
            page("/p/" + std::to_string(i) + ".html",
                 std::string(1000 + i % 700, static_cast<char>('a' + i % 26)) + std::to_string(i));
        if (i % 3 == 0) e.variants[1] = "gzip of " + std::to_string(i);
        b.add(std::move(e));
        if (i == 1500) b.add(page("/big.bin", std::string(3 << 20, 'B')));
    }
    b.set_search_database("xapian-bytes");
    return b;
}

bool folder_is_empty(const std::filesystem::path& dir) {
    return std::filesystem::directory_iterator(dir) == std::filesystem::directory_iterator();
}

TEST(bundle, spilled_bodies_round_trip_and_the_written_file_equals_serialize) {
    const auto scratch = std::filesystem::path(temp_path("scratch"));
    std::filesystem::create_directories(scratch);
    const std::string path = temp_path("spilled");
    {
        const bundle_builder b = many_pages(scratch.string());
        EXPECT_GT(b.bodies_size(), 6u << 20);
        // The scratch file has no name: nothing to clean up, even after a crash.
        EXPECT_TRUE(folder_is_empty(scratch));
        const std::string id = b.write(path);
        const std::string bytes = b.serialize();
        EXPECT_TRUE(read_file_bytes(path) == bytes);
        std::string error;
        auto view = open_bytes(bytes, error);
        ASSERT_TRUE(view) << error;
        EXPECT_EQ(view->build_id(), id);
        ASSERT_EQ(view->entries().size(), 3001u);
        for (int i = 0; i < 3000; i += 7) {
            const entry_record* e = view->find("/p/" + std::to_string(i) + ".html");
            ASSERT_NE(e, nullptr) << i;
            EXPECT_EQ(
                view->body(*e, 0),
                std::string(1000 + i % 700, static_cast<char>('a' + i % 26)) + std::to_string(i));
            EXPECT_EQ(view->holds(*e, 1), i % 3 == 0);
            if (i % 3 == 0) EXPECT_EQ(view->body(*e, 1), "gzip of " + std::to_string(i));
        }
        EXPECT_EQ(view->body(*view->find("/big.bin"), 0), std::string(3 << 20, 'B'));
        // Built again: the same bytes.
        EXPECT_EQ(many_pages(scratch.string()).serialize(), bytes);
    }
    EXPECT_TRUE(folder_is_empty(scratch));
    std::filesystem::remove_all(scratch);
    std::filesystem::remove(path);
}

TEST(bundle, a_moved_builder_keeps_its_bodies) {
    bundle_builder a = sample();
    const std::string expected = a.serialize();
    bundle_builder b(std::move(a));
    EXPECT_EQ(b.serialize(), expected);
    bundle_builder c;
    c = std::move(b);
    EXPECT_EQ(c.serialize(), expected);
    EXPECT_THROW(a.add(page("/x.html", "x")),
                 std::runtime_error);  // NOLINT(bugprone-use-after-move)
}

TEST(bundle, search_database_from_a_file_gives_the_same_bytes_as_from_memory) {
    const std::string db_path = temp_path("search.glass");
    std::string db;
    for (int i = 0; i < 300000; ++i) db += static_cast<char>(i * 7 % 251);  // over a chunk
    {
        std::ofstream out(db_path, std::ios::binary);
        out << db;
    }
    bundle_builder from_memory = sample();
    from_memory.set_search_database(db);
    bundle_builder from_file = sample();
    from_file.set_search_database_file(db_path);
    std::filesystem::remove(db_path);  // the descriptor is kept
    const std::string bytes = from_memory.serialize();
    EXPECT_EQ(from_file.serialize(), bytes);
    const std::string path = temp_path("search-from-file");
    from_file.write(path);
    EXPECT_TRUE(read_file_bytes(path) == bytes);
    std::string error;
    auto view = open_bytes(bytes, error);
    ASSERT_TRUE(view) << error;
    EXPECT_EQ(view->search_database(), db);
    std::filesystem::remove(path);
    EXPECT_THROW(bundle_builder().set_search_database_file("/nonexistent/search.glass"),
                 std::runtime_error);
}

TEST(bundle, a_scratch_folder_that_does_not_exist_is_refused) {
    EXPECT_THROW(bundle_builder("/nonexistent/kade-scratch"), std::runtime_error);
}

}  // namespace
}  // namespace kade::bundle
