#include "common/bundle_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <xxhash.h>

#include "common/dictionary.hpp"
#include "common/text.hpp"

namespace kade::bundle {

struct bundle_builder::layout {
    std::string head;           // header + section table
    std::string strings;        // padded
    std::string entries;        // padded
    std::vector<piece> pieces;  // the file, in order
    std::string build_id;
};

namespace {

constexpr char padding[section_alignment] = {};

std::uint64_t aligned(std::uint64_t n) {
    return (n + section_alignment - 1) / section_alignment * section_alignment;
}

template <typename T>
void append_pod(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

class string_table {
  public:
    string_ref add(std::string_view s) {
        if (bytes_.size() + s.size() > UINT32_MAX)
            throw std::runtime_error("bundle strings exceed 4 GiB");
        string_ref ref{static_cast<std::uint32_t>(bytes_.size()),
                       static_cast<std::uint32_t>(s.size())};
        bytes_.append(s);
        return ref;
    }
    std::string take() { return std::move(bytes_); }

  private:
    std::string bytes_;
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

constexpr std::size_t chunk = 1 << 20;

// Reads `size` bytes of `fd` from `offset` a chunk at a time, handing each to `use`.
template <typename Use>
void read_chunks(int fd, std::uint64_t offset, std::uint64_t size, Use use) {
    std::string buffer(static_cast<std::size_t>(std::min<std::uint64_t>(size, chunk)), '\0');
    while (size > 0) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, chunk));
        const ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read", "the bundle's scratch file");
        if (n == 0) {
            errno = EIO;
            fail("read (it is shorter than written)", "the bundle's scratch file");
        }
        use(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        offset += static_cast<std::uint64_t>(n);
        size -= static_cast<std::uint64_t>(n);
    }
}

// Each run of the piece's bytes, from memory or read from its file.
template <typename Use>
void each_run(const bundle_builder::piece& p, Use use) {
    if (p.fd < 0)
        use(p.bytes);
    else
        read_chunks(p.fd, p.offset, p.size, use);
}

// A file without a name in `dir`: gone when closed, even after a crash.
int open_scratch_file(const std::string& dir) {
    std::string folder = dir;
    if (folder.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        folder = tmp && *tmp ? tmp : "/tmp";
    }
    int fd = ::open(folder.c_str(), O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string name = folder + "/kade-bodies.XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) fail("create a scratch file in", folder);
    ::unlink(name.c_str());
    return fd;
}

}  // namespace

bundle_builder::bundle_builder(const std::string& scratch_dir)
    : scratch_fd_(open_scratch_file(scratch_dir)) {}

bundle_builder::~bundle_builder() {
    if (scratch_fd_ >= 0) ::close(scratch_fd_);
    if (search_fd_ >= 0) ::close(search_fd_);
}

bundle_builder::bundle_builder(bundle_builder&& other) noexcept
    : entries_(std::move(other.entries_)),
      scratch_fd_(std::exchange(other.scratch_fd_, -1)),
      spilled_(std::exchange(other.spilled_, 0)),
      staged_(std::move(other.staged_)),
      bodies_size_(std::exchange(other.bodies_size_, 0)),
      search_(std::move(other.search_)),
      search_fd_(std::exchange(other.search_fd_, -1)),
      search_file_size_(std::exchange(other.search_file_size_, 0)),
      shards_(std::move(other.shards_)),
      dictionary_(std::move(other.dictionary_)) {}

bundle_builder& bundle_builder::operator=(bundle_builder&& other) noexcept {
    if (this == &other) return *this;
    if (scratch_fd_ >= 0) ::close(scratch_fd_);
    if (search_fd_ >= 0) ::close(search_fd_);
    entries_ = std::move(other.entries_);
    scratch_fd_ = std::exchange(other.scratch_fd_, -1);
    spilled_ = std::exchange(other.spilled_, 0);
    staged_ = std::move(other.staged_);
    bodies_size_ = std::exchange(other.bodies_size_, 0);
    search_ = std::move(other.search_);
    search_fd_ = std::exchange(other.search_fd_, -1);
    search_file_size_ = std::exchange(other.search_file_size_, 0);
    shards_ = std::move(other.shards_);
    dictionary_ = std::move(other.dictionary_);
    return *this;
}

void bundle_builder::flush_staged() {
    std::string_view rest = staged_;
    while (!rest.empty()) {
        const ssize_t n =
            ::pwrite(scratch_fd_, rest.data(), rest.size(), static_cast<off_t>(spilled_));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write", "the bundle's scratch file");
        rest.remove_prefix(static_cast<std::size_t>(n));
        spilled_ += static_cast<std::uint64_t>(n);
    }
    staged_.clear();
}

void bundle_builder::spill(std::string_view body) {
    if (scratch_fd_ < 0) throw std::runtime_error("bundle builder used after a move");
    if (staged_.size() + body.size() > chunk) flush_staged();
    if (body.size() >= chunk) {
        staged_ = body;  // written at once, not kept
        flush_staged();
        staged_.shrink_to_fit();
    } else {
        if (staged_.capacity() < chunk) staged_.reserve(chunk);
        staged_ += body;
    }
    bodies_size_ += body.size();
}

void bundle_builder::set_search_database(std::string bytes) {
    if (search_fd_ >= 0) ::close(std::exchange(search_fd_, -1));
    search_ = std::move(bytes);
}

void bundle_builder::set_search_database_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open", path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail("stat", path);
    }
    if (search_fd_ >= 0) ::close(search_fd_);
    search_.clear();
    search_fd_ = fd;
    search_file_size_ = static_cast<std::uint64_t>(st.st_size);
}

void bundle_builder::add(entry_input entry) {
    if (!entry.variants[0])
        throw std::runtime_error("bundle entry " + entry.path + " has no identity body");
    pending p{std::move(entry.path),
              std::move(entry.content_type),
              std::move(entry.location),
              std::move(entry.keys),
              entry.status,
              entry.cache,
              entry.last_modified,
              0,
              {}};
    if (entry.derive_identity) {
        // A page from gzip; an internal entry from dcz alone (bundle_format.hpp).
        const bool internal = p.path.starts_with('!');
        const auto& from = entry.variants[internal ? dcz_variant : gzip_variant];
        if (!from || (internal && entry.variants[gzip_variant]) ||
            entry.variants[0]->size() <= from->size() ||
            entry.variants[0]->size() > from->size() * max_derived_ratio)
            throw std::runtime_error("bundle entry " + p.path +
                                     " cannot derive identity (needs a smaller gzip variant, or "
                                     "dcz alone for an internal entry)");
        const std::string& body = *entry.variants[0];
        p.variants[0] = {0, body.size(), XXH3_64bits(body.data(), body.size())};
        entry.variants[0].reset();  // only its size and hash are kept
    }
    for (std::size_t i = 0; i < variant_count; ++i) {
        if (!entry.variants[i]) continue;
        const std::string& body = *entry.variants[i];
        p.variants[i] = {bodies_size_, body.size(), XXH3_64bits(body.data(), body.size())};
        p.held = static_cast<std::uint8_t>(p.held | (1u << i));
        spill(body);
        entry.variants[i].reset();
    }
    entries_.push_back(std::move(p));
}

bundle_builder::layout bundle_builder::lay_out() const {
    std::vector<const pending*> sorted;
    sorted.reserve(entries_.size());
    for (const auto& e : entries_) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(),
              [](const pending* a, const pending* b) { return a->path < b->path; });
    for (std::size_t i = 1; i < sorted.size(); ++i)
        if (sorted[i - 1]->path == sorted[i]->path)
            throw std::runtime_error("two bundle entries for the path " + sorted[i]->path);

    layout out;
    string_table strings;
    for (const pending* p : sorted) {
        entry_record r{};
        r.path = strings.add(p->path);
        r.content_type = strings.add(p->content_type);
        r.location = strings.add(p->location);
        r.keys = strings.add(p->keys);
        r.last_modified = p->last_modified;
        r.status = p->status;
        r.cache = static_cast<std::uint8_t>(p->cache);
        r.held = p->held;
        std::copy(std::begin(p->variants), std::end(p->variants), std::begin(r.variants));
        append_pod(out.entries, r);
    }
    out.strings = strings.take();

    // Sections in section_kind order, each one or more pieces: the bodies are the scratch
    // file's bytes and those still waiting to be written to it.
    std::vector<piece> sections[section_kind_count] = {
        {{out.strings}},
        {{{}, scratch_fd_, 0, spilled_}, {staged_}},
        {{out.entries}},
        {search_fd_ >= 0 ? piece{{}, search_fd_, 0, search_file_size_} : piece{search_}},
        {{shards_}},
        {{dictionary_}}};
    file_header header{};
    std::memcpy(header.magic, magic, sizeof magic);
    header.version = format_version;
    header.section_count = section_kind_count;

    std::uint64_t offset =
        aligned(sizeof(file_header) + section_kind_count * sizeof(section_record));
    std::string table;
    XXH3_state_t* id_state = XXH3_createState();
    XXH3_state_t* sum_state = XXH3_createState();
    XXH3_128bits_reset(id_state);
    for (std::uint32_t i = 0; i < section_kind_count; ++i) {
        XXH3_64bits_reset(sum_state);
        std::uint64_t size = 0;
        for (const piece& p : sections[i]) {
            each_run(p, [&](std::string_view s) {
                XXH3_64bits_update(sum_state, s.data(), s.size());
                XXH3_128bits_update(id_state, s.data(), s.size());
            });
            size += p.length();
        }
        section_record rec{i + 1, 0, offset, size, XXH3_64bits_digest(sum_state)};
        append_pod(table, rec);
        offset = aligned(offset + size);
    }
    const XXH128_hash_t id = XXH3_128bits_digest(id_state);
    XXH3_freeState(id_state);
    XXH3_freeState(sum_state);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, id);
    std::memcpy(header.build_id, canonical.digest, sizeof header.build_id);
    out.build_id = hex64(id.high64) + hex64(id.low64);
    header.file_size = offset;

    out.head.reserve(sizeof header + table.size());
    append_pod(out.head, header);
    out.head += table;
    header.checksum = XXH3_64bits(out.head.data(), out.head.size());
    std::memcpy(out.head.data() + offsetof(file_header, checksum), &header.checksum,
                sizeof header.checksum);

    out.pieces.push_back({out.head});
    std::uint64_t written = out.head.size();
    auto pad = [&] {
        out.pieces.push_back({std::string_view(padding, aligned(written) - written)});
        written = aligned(written);
    };
    for (const auto& section : sections) {
        pad();
        for (const piece& p : section) {
            if (p.length() == 0) continue;
            out.pieces.push_back(p);
            written += p.length();
        }
    }
    pad();
    return out;
}

void bundle_builder::set_shard_databases(const std::vector<std::string>& shards) {
    shards_.clear();
    if (shards.empty()) return;
    const shard_table table{static_cast<std::uint32_t>(shards.size()), 0};
    std::uint64_t offset = aligned(sizeof table + shards.size() * sizeof(shard_record));
    std::vector<shard_record> records;
    for (const auto& db : shards) {
        records.push_back({offset, db.size()});
        offset = aligned(offset + db.size());
    }
    shards_.append(reinterpret_cast<const char*>(&table), sizeof table);
    shards_.append(reinterpret_cast<const char*>(records.data()),
                   records.size() * sizeof(shard_record));
    for (std::size_t i = 0; i < shards.size(); ++i) {
        shards_.resize(records[i].offset, '\0');
        shards_ += shards[i];
    }
}

void bundle_builder::set_dictionary(std::string_view bytes, const std::string& path) {
    dictionary_record r{};
    const auto digest = dictionary::sha256(bytes);
    std::memcpy(r.sha256, digest.data(), sizeof r.sha256);
    r.path_size = static_cast<std::uint32_t>(path.size());
    r.bytes_size = static_cast<std::uint32_t>(bytes.size());
    dictionary_.assign(reinterpret_cast<const char*>(&r), sizeof r);
    dictionary_ += path;
    dictionary_ += bytes;
}

std::string bundle_builder::serialize() const {
    const layout l = lay_out();
    std::string out;
    for (const piece& p : l.pieces) each_run(p, [&](std::string_view s) { out += s; });
    return out;
}

std::string bundle_builder::write(const std::string& path) const {
    const layout l = lay_out();
    write_file_atomically(path, l.pieces);
    return l.build_id;
}

void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces) {
    std::vector<bundle_builder::piece> runs;
    runs.reserve(pieces.size());
    for (const std::string_view p : pieces) runs.push_back({p});
    write_file_atomically(path, runs);
}

void write_file_atomically(const std::string& path,
                           const std::vector<bundle_builder::piece>& pieces) {
    const std::string temp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("create", temp);
    bool cleaned = false;
    auto give_up = [&](const char* what) {
        const int saved = errno;
        cleaned = true;
        ::close(fd);
        ::unlink(temp.c_str());
        errno = saved;
        fail(what, temp);
    };
    auto write_all = [&](std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) give_up("write");
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    };
    // Runs of another file are copied by the kernel where it can (the same file system),
    // otherwise read and written a MiB at a time.
    bool kernel_copies = true;
    auto copy_run = [&](const bundle_builder::piece& p) {
        off_t from = static_cast<off_t>(p.offset);
        std::uint64_t left = p.size;
        while (left > 0 && kernel_copies) {
            const ssize_t n = ::copy_file_range(
                p.fd, &from, fd, nullptr,
                static_cast<std::size_t>(std::min<std::uint64_t>(left, std::uint64_t{1} << 30)), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
                          errno == EOPNOTSUPP || errno == EBADF)) {
                kernel_copies = false;
                break;
            }
            if (n < 0) give_up("copy into");
            if (n == 0) {
                errno = EIO;
                give_up("copy (the source is shorter than expected) into");
            }
            left -= static_cast<std::uint64_t>(n);
        }
        if (left == 0) return;
        try {
            read_chunks(p.fd, static_cast<std::uint64_t>(from), left,
                        [&](std::string_view s) { write_all(s); });
        } catch (...) {
            if (!cleaned) {
                ::close(fd);
                ::unlink(temp.c_str());
            }
            throw;
        }
    };
    // Small pieces (one per page body) are gathered into one write per MiB.
    std::string staged;
    staged.reserve(chunk);
    for (const bundle_builder::piece& piece : pieces) {
        if (piece.fd >= 0) {
            write_all(staged);
            staged.clear();
            copy_run(piece);
            continue;
        }
        if (staged.size() + piece.bytes.size() > chunk) {
            write_all(staged);
            staged.clear();
        }
        if (piece.bytes.size() >= chunk) {
            write_all(piece.bytes);
        } else {
            staged += piece.bytes;
        }
    }
    write_all(staged);
    if (::fsync(fd) != 0) give_up("fsync");
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        fail("close", temp);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        fail("rename to", path);
    }
    // The rename is durable only once the folder is.
    const auto slash = path.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace kade::bundle
