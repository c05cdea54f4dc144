#include "indexer/search/glass_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <xxhash.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/files.hpp"

namespace kade::indexer {
namespace {

// What Xapian 1.4's glass backend writes (backends/glass: glass_version.cc, glass_table.h).
// The version file: magic, format version (2016-03-14), UUID, revision, one root record per
// table in this order, then the database statistics.
constexpr std::string_view glass_magic = "\x0f\x0dXapian Glass\x04\x6e";
constexpr std::size_t uuid_size = 16;
constexpr std::array<std::string_view, 6> table_names = {"postlist", "docdata",  "termlist",
                                                         "position", "spelling", "synonym"};
constexpr std::size_t termlist_table = 2;
// Xapian reads the version block of a single-file database 256 bytes at a time.
constexpr std::size_t version_read_size = 256;
// A block: revision (4 bytes), level (1), two free-space counts (2 + 2), the end of its
// directory (2); the directory (2-byte offsets of items) from byte 11. A branch item starts
// with the number of the block it points to. Numbers are big-endian.
constexpr std::size_t directory_start = 11;
constexpr unsigned max_levels = 10;  // Xapian's cursors hold ten levels

std::uint32_t read_be(const unsigned char* p, std::size_t bytes) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v = v << 8 | p[i];
    return v;
}

void write_be32(unsigned char* p, std::uint32_t v) {
    for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v & 0xff);
}

// Xapian's pack_uint: seven bits a byte, low bits first, the top bit set on all but the last.
void pack_uint(std::string& out, std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
    out += static_cast<char>(v);
}

struct unpacker {
    std::string_view rest;
    bool ok = true;

    std::uint64_t uint() {
        std::uint64_t v = 0;
        for (unsigned shift = 0; ok; shift += 7) {
            if (rest.empty() || shift > 63) break;
            const auto byte = static_cast<unsigned char>(rest.front());
            rest.remove_prefix(1);
            v |= std::uint64_t{byte & 0x7fu} << shift;
            if (byte < 0x80) return v;
        }
        ok = false;
        return 0;
    }
    std::string string() {
        const std::uint64_t size = uint();
        if (!ok || size > rest.size()) {
            ok = false;
            return {};
        }
        std::string s(rest.substr(0, size));
        rest.remove_prefix(size);
        return s;
    }
};

// A table's root record in the version file.
struct root_record {
    std::uint64_t root = 0, flags = 0, entries = 0, block_size_code = 0, compress_min = 0;
    std::string free_list;

    unsigned level() const { return static_cast<unsigned>(flags >> 2); }
    bool fake_root() const { return (flags & 1) != 0; }  // an empty table, no blocks

    static root_record read(unpacker& in) {
        root_record r;
        r.root = in.uint();
        r.flags = in.uint();
        r.entries = in.uint();
        r.block_size_code = in.uint();
        r.compress_min = in.uint();
        r.free_list = in.string();
        return r;
    }
    void write(std::string& out) const {
        pack_uint(out, root);
        pack_uint(out, flags);
        pack_uint(out, entries);
        pack_uint(out, block_size_code);
        pack_uint(out, compress_min);
        pack_uint(out, free_list.size());
        out += free_list;
    }
};

struct file_descriptor {
    int fd = -1;
    ~file_descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

struct not_glass {
    std::string why;
};

// The file: the version block, written last, then every table's blocks in order, hashed as
// they are written so the UUID can be a hash of the content without reading the file again.
class block_writer {
  public:
    block_writer(const std::string& path, std::size_t block_size)
        : path_(path), block_size_(block_size), out_(path, std::ios::binary | std::ios::trunc) {
        if (!out_ || !hash_) throw std::runtime_error("cannot create " + path);
        XXH3_128bits_reset(hash_.get());
        out_.write(std::string(block_size, '\0').data(), static_cast<std::streamsize>(block_size));
    }

    // Appends a block; returns its number.
    std::uint32_t append(const unsigned char* block) {
        out_.write(reinterpret_cast<const char*>(block), static_cast<std::streamsize>(block_size_));
        XXH3_128bits_update(hash_.get(), block, block_size_);
        return next_++;
    }
    std::uint32_t next() const { return next_; }

    // Writes `version` as block 0, its UUID replaced by a hash of every block and the rest of
    // the version: Xapian's is random (it pairs replicas), and the same folder must give the
    // same bytes.
    void finish(std::string version) {
        XXH3_128bits_update(hash_.get(), version.data() + glass_head_size,
                            version.size() - glass_head_size);
        XXH128_canonical_t uuid;
        XXH128_canonicalFromHash(&uuid, XXH3_128bits_digest(hash_.get()));
        version.replace(glass_magic.size(), uuid_size, reinterpret_cast<const char*>(uuid.digest),
                        uuid_size);
        out_.seekp(0);
        out_.write(version.data(), static_cast<std::streamsize>(version.size()));
        out_.close();
        if (!out_) throw std::runtime_error("cannot write " + path_);
    }

  private:
    static constexpr std::size_t glass_head_size = glass_magic.size() + uuid_size;
    std::string path_;
    std::size_t block_size_;
    std::ofstream out_;
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hash_{XXH3_createState(),
                                                                   XXH3_freeState};
    std::uint32_t next_ = 1;  // block 0 is the version block
};

// Copies one table's live blocks, children first, to the writer.
class table_copier {
  public:
    table_copier(const std::filesystem::path& file, std::size_t block_size, std::uint64_t revision,
                 block_writer& out)
        : name_(file.filename().string()), block_size_(block_size), revision_(revision), out_(out) {
        table_.fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (table_.fd < 0) throw not_glass{"cannot open " + name_};
        const off_t size = ::lseek(table_.fd, 0, SEEK_END);
        if (size < 0) throw not_glass{"cannot read " + name_};
        blocks_ = static_cast<std::uint64_t>(size) / block_size_;
    }

    // The subtree under block `n`, whose level is `level`; returns the block's new number.
    std::uint32_t copy(std::uint64_t n, unsigned level) {
        if (n >= blocks_) throw not_glass{name_ + ": no block " + std::to_string(n)};
        std::vector<unsigned char> block(block_size_);
        const auto at = static_cast<off_t>(n * block_size_);
        if (::pread(table_.fd, block.data(), block_size_, at) != static_cast<ssize_t>(block_size_))
            throw not_glass{"cannot read " + name_};
        if (read_be(block.data(), 4) > revision_ || block[4] != level)
            throw not_glass{name_ + ": block " + std::to_string(n) +
                            " is not what its parent says"};
        if (level > 0) {
            const std::size_t directory_end = read_be(block.data() + 9, 2);
            if (directory_end < directory_start || directory_end > block_size_ ||
                (directory_end - directory_start) % 2 != 0)
                throw not_glass{name_ + ": block " + std::to_string(n) + " has a bad directory"};
            for (std::size_t c = directory_start; c < directory_end; c += 2) {
                const std::size_t item = read_be(block.data() + c, 2);
                if (item < directory_end || item + 4 > block_size_)
                    throw not_glass{name_ + ": block " + std::to_string(n) + " has a bad item"};
                write_be32(block.data() + item, copy(read_be(block.data() + item, 4), level - 1));
            }
        }
        return out_.append(block.data());
    }

  private:
    std::string name_;
    std::size_t block_size_;
    std::uint64_t revision_;
    block_writer& out_;
    file_descriptor table_;
    std::uint64_t blocks_ = 0;
};

void write_file(const std::filesystem::path& db_dir, const std::string& path) {
    const std::optional<std::string> version_file = read_file(db_dir / "iamglass");
    if (!version_file) throw not_glass{"no iamglass"};
    if (!version_file->starts_with(glass_magic) ||
        version_file->size() < glass_magic.size() + uuid_size)
        throw not_glass{"not Xapian 1.4's glass format"};
    const std::string_view head =
        std::string_view(*version_file).substr(0, glass_magic.size() + uuid_size);
    unpacker in{std::string_view(*version_file).substr(head.size())};
    const std::uint64_t revision = in.uint();
    std::array<root_record, table_names.size()> roots;
    for (auto& r : roots) r = root_record::read(in);
    if (!in.ok || revision > UINT32_MAX) throw not_glass{"a bad iamglass"};
    const std::string_view statistics = in.rest;

    const std::uint64_t block_size = roots[0].block_size_code << 11;
    if (block_size < 2048 || block_size > 65536 || (block_size & (block_size - 1)) != 0)
        throw not_glass{"a block size of " + std::to_string(block_size)};

    block_writer out(path, block_size);
    for (std::size_t t = 0; t < roots.size(); ++t) {
        root_record& r = roots[t];
        if (t == termlist_table || r.fake_root()) {
            // No blocks: what Xapian writes for a table that does not exist.
            r = {0, 0b11, 0, r.block_size_code, r.compress_min, ""};
            continue;
        }
        if (r.block_size_code << 11 != block_size || r.level() >= max_levels)
            throw not_glass{std::string(table_names[t]) + ": an unknown root"};
        table_copier copier(db_dir / (std::string(table_names[t]) + ".glass"), block_size, revision,
                            out);
        r.root = copier.copy(r.root, r.level());
        // Read as the other blocks are: through the tree, not as a sequence of leaves
        // (flags bit 1), which only holds within one table's file.
        r.flags = r.level() << 2;
        // Compaction's free list: every block up to `next` is used.
        r.free_list.clear();
        for (const std::uint64_t v : {revision, std::uint64_t{out.next()}, 0ul, 0ul, 0ul, 0ul})
            pack_uint(r.free_list, v);
    }

    std::string version(head);
    pack_uint(version, revision);
    for (const auto& r : roots) r.write(version);
    version += statistics;
    if (version.size() > version_read_size) throw not_glass{"a version block over 256 bytes"};
    out.finish(std::move(version));
}

}  // namespace

std::string write_glass_file(const std::string& db_dir, const std::string& path) {
    try {
        write_file(db_dir, path);
    } catch (const not_glass& e) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
        return e.why;
    }
    return "";
}

}  // namespace kade::indexer
