#include "common/bundle_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <xxhash.h>

#include "common/dictionary.hpp"
#include "common/text.hpp"

namespace kade::bundle {
namespace {

bool slice_ok(std::uint64_t offset, std::uint64_t size, std::uint64_t limit) {
    return offset <= limit && size <= limit - offset;
}

bool string_ok(string_ref r, std::size_t strings_size) {
    return slice_ok(r.offset, r.size, strings_size);
}

constexpr std::size_t head_size = sizeof(file_header) + section_kind_count * sizeof(section_record);

// The header and section table, judged against the size of the file they head: magic,
// version, declared size and the header checksum. `head` is the start of the file (at most
// head_size bytes are looked at). Cheap, so a loader can refuse junk before reading the rest.
std::optional<file_header> check_head(std::string_view head, std::uint64_t file_size,
                                      std::string& error) {
    auto refuse = [&](std::string why) -> std::optional<file_header> {
        error = std::move(why);
        return std::nullopt;
    };
    if (head.size() < sizeof(file_header)) return refuse("too short to be a bundle");
    file_header header;
    std::memcpy(&header, head.data(), sizeof header);
    if (std::memcmp(header.magic, magic, sizeof magic) != 0)
        return refuse("not a Kade bundle (bad magic)");
    if (header.version != format_version)
        return refuse("bundle format version " + std::to_string(header.version) +
                      ", this server reads " + std::to_string(format_version) +
                      " (re-run kade-index)");
    if (header.section_count != section_kind_count) return refuse("unexpected section count");
    if (header.file_size != file_size)
        return refuse("file is " + std::to_string(file_size) + " bytes, header says " +
                      std::to_string(header.file_size) + " (truncated or half-written?)");
    if (head.size() < head_size) return refuse("too short for its section table");

    std::string copy(head.substr(0, head_size));
    std::memset(copy.data() + offsetof(file_header, checksum), 0, sizeof header.checksum);
    if (XXH3_64bits(copy.data(), copy.size()) != header.checksum)
        return refuse("header checksum mismatch");
    return header;
}

const char* section_name(std::uint32_t kind) {
    switch (static_cast<section_kind>(kind)) {
        case section_kind::strings:
            return "strings";
        case section_kind::bodies:
            return "page bodies";
        case section_kind::entries:
            return "entries";
        case section_kind::search:
            return "search database";
        case section_kind::shards:
            return "search shards";
        case section_kind::dictionary:
            return "dictionary";
    }
    return "unknown";
}

}  // namespace

std::optional<bundle_view> bundle_view::open(std::string_view bytes, std::string& error) {
    auto view = open_structure(bytes, error);
    if (!view || !view->verify_contents(error)) return std::nullopt;
    return view;
}

std::optional<bundle_view> bundle_view::open_structure(std::string_view bytes, std::string& error) {
    auto refuse = [&](std::string why) {
        error = std::move(why);
        return std::nullopt;
    };
    const auto checked = check_head(bytes, bytes.size(), error);
    if (!checked) return std::nullopt;
    const file_header& header = *checked;

    bundle_view view;
    view.bytes_ = bytes;
    std::memcpy(view.header_id_.data(), header.build_id, sizeof header.build_id);
    std::string_view sections[section_kind_count];
    for (std::uint32_t i = 0; i < section_kind_count; ++i) {
        section_record& rec = view.sections_[i];
        std::memcpy(&rec, bytes.data() + sizeof(file_header) + i * sizeof(section_record),
                    sizeof rec);
        if (rec.kind != i + 1)
            return refuse("section " + std::to_string(i) + " has unexpected kind");
        if (!slice_ok(rec.offset, rec.size, bytes.size()) || rec.offset < head_size)
            return refuse("section " + std::to_string(rec.kind) + " lies outside the file");
        if (rec.offset % section_alignment != 0)
            return refuse("section " + std::to_string(rec.kind) + " is misaligned");
        sections[i] = bytes.substr(rec.offset, rec.size);
        if (rec.kind == static_cast<std::uint32_t>(section_kind::search))
            view.search_offset_ = rec.offset;
    }
    view.strings_ = sections[0];
    view.bodies_ = sections[1];
    const std::string_view entries = sections[2];
    view.search_ = sections[3];
    const std::string_view shards = sections[4];
    if (!shards.empty()) {
        shard_table table;
        if (shards.size() < sizeof table) return refuse("shards section is too short");
        std::memcpy(&table, shards.data(), sizeof table);
        if (table.count == 0 || table.count > 4096 ||
            (shards.size() - sizeof table) / sizeof(shard_record) < table.count)
            return refuse("shards section has a bad table");
        const auto shards_offset = static_cast<std::uint64_t>(shards.data() - bytes.data());
        for (std::uint32_t k = 0; k < table.count; ++k) {
            shard_record r;
            std::memcpy(&r, shards.data() + sizeof table + k * sizeof r, sizeof r);
            if (!slice_ok(r.offset, r.size, shards.size()) || r.size == 0)
                return refuse("shard " + std::to_string(k) + " lies outside its section");
            view.shards_.push_back({shards_offset + r.offset, r.size});
        }
    }
    if (entries.size() % sizeof(entry_record) != 0)
        return refuse("entries section has a partial record");
    // Sections are 64-byte aligned in a page-aligned mapping, so records are aligned too.
    view.entries_ = {reinterpret_cast<const entry_record*>(entries.data()),
                     entries.size() / sizeof(entry_record)};
    std::string_view previous;
    bool derived_from_dcz = false;  // then the dictionary section must be there
    for (std::size_t i = 0; i < view.entries_.size(); ++i) {
        const entry_record& e = view.entries_[i];
        // Formatted only when refusing: a string per entry made large bundles slow to load.
        const auto where = [i] { return "entry " + std::to_string(i); };
        for (string_ref r : {e.path, e.content_type, e.location, e.keys})
            if (!string_ok(r, view.strings_.size()))
                return refuse(where() + " refers outside the strings");
        const std::string_view path = view.path(e);
        if (i > 0 && !(previous < path)) return refuse(where() + " is out of order or duplicated");
        previous = path;
        if (e.held == 0 || e.held >= (1u << variant_count))
            return refuse(where() + " has bad variants");
        for (std::size_t v = 0; v < variant_count; ++v)
            if (view.holds(e, v) &&
                !slice_ok(e.variants[v].offset, e.variants[v].size, view.bodies_.size()))
                return refuse(where() + " refers outside the bodies");
        if (view.derives_identity(e)) {
            // Derived (bundle_format.hpp): a page from gzip, an internal entry from dcz.
            // Deflate expands at most 1032:1 and kade-index keeps zstd within that too, so a
            // larger size is a lie (the slice is inside the bodies: this cannot overflow).
            const variant_record& identity = e.variants[0];
            const bool internal = path.starts_with('!');
            const std::size_t from = internal ? dcz_variant : gzip_variant;
            const std::uint64_t packed = e.variants[from].size;
            if (!view.holds(e, from) || (internal && view.holds(e, gzip_variant)) ||
                identity.offset != 0 || identity.size <= packed ||
                identity.size > packed * max_derived_ratio)
                return refuse(where() + " has a bad derived identity");
            if (internal) derived_from_dcz = true;
        }
        if (e.cache >= cache_class_count) return refuse(where() + " has an unknown cache class");
        if (e.status != 200 && e.status != 301 && e.status != 404)
            return refuse(where() + " has an unknown status");
    }

    if (view.entries_.size() >= (std::size_t{1} << 31)) return refuse("too many entries");
    const std::size_t slot_count =
        std::bit_ceil(std::max<std::size_t>(2 * view.entries_.size(), 2));
    view.slots_.assign(slot_count, 0);
    for (std::size_t i = 0; i < view.entries_.size(); ++i) {
        const std::string_view path = view.path(view.entries_[i]);
        std::size_t slot = XXH3_64bits(path.data(), path.size()) & (slot_count - 1);
        while (view.slots_[slot] != 0) slot = (slot + 1) & (slot_count - 1);
        view.slots_[slot] = static_cast<std::uint32_t>(i + 1);
    }

    if (const std::string_view dict = sections[5]; !dict.empty()) {
        if (dict.size() < sizeof(dictionary_record))
            return refuse("dictionary section is too short");
        view.dictionary_ = reinterpret_cast<const dictionary_record*>(dict.data());
        const std::uint64_t path_size = view.dictionary_->path_size;
        if (dict.size() - sizeof(dictionary_record) != path_size + view.dictionary_->bytes_size)
            return refuse("dictionary section has bad sizes");
        view.dictionary_entry_ = view.find(dict.substr(sizeof(dictionary_record), path_size));
        view.dictionary_bytes_ = dict.substr(sizeof(dictionary_record) + path_size);
        if (!view.dictionary_entry_) return refuse("dictionary entry is missing");
        if (view.derives_identity(*view.dictionary_entry_))
            return refuse("dictionary entry is not stored");
        const auto digest = dictionary::sha256(view.dictionary_bytes_);
        if (std::memcmp(digest.data(), view.dictionary_->sha256, digest.size()) != 0)
            return refuse("dictionary SHA-256 mismatch");
        if (view.body(*view.dictionary_entry_, 0) != view.dictionary_bytes_)
            return refuse("dictionary entry differs from the dictionary");
    }
    if (derived_from_dcz && !view.dictionary_)
        return refuse("entries derived from dcz but no dictionary section");

    std::uint64_t high = 0, low = 0;
    for (int i = 0; i < 8; ++i) high = (high << 8) | header.build_id[i];
    for (int i = 8; i < 16; ++i) low = (low << 8) | header.build_id[i];
    view.build_id_ = hex64(high) + hex64(low);
    return view;
}

bool bundle_view::verify_contents(std::string& error, const std::atomic<bool>* cancelled) const {
    return verify_contents(error, cancelled,
                           [this](std::uint64_t offset, std::size_t size, std::string&) {
                               return bytes_.substr(offset, size);
                           });
}

bool bundle_view::verify_contents(std::string& error, const std::atomic<bool>* cancelled,
                                  const block_reader& read) const {
    // The build id is recomputed as the writer computes it (XXH3-128 over every section in
    // order), in the same pass as the checksums, and compared at the end: ETags and purge keys
    // carry it, so a bundle edited after the writer (checksums fixed or not) must not pass.
    XXH3_state_t* id_state = XXH3_createState();
    XXH3_state_t* sum_state = XXH3_createState();
    struct free_states {
        XXH3_state_t* a;
        XXH3_state_t* b;
        ~free_states() {
            XXH3_freeState(a);
            XXH3_freeState(b);
        }
    } freed{id_state, sum_state};
    if (!id_state || !sum_state) {
        error = "out of memory";
        return false;
    }
    XXH3_128bits_reset(id_state);
    for (const section_record& rec : sections_) {
        // Both hashes over one block at a time, while it is in cache.
        XXH3_64bits_reset(sum_state);
        constexpr std::uint64_t block = 256 * 1024;
        for (std::uint64_t at = 0; at < rec.size; at += block) {
            if (cancelled && cancelled->load(std::memory_order_relaxed)) {
                error = "verification cancelled";
                return false;
            }
            const auto size = static_cast<std::size_t>(std::min(block, rec.size - at));
            const std::string_view part = read(rec.offset + at, size, error);
            if (part.size() != size) {
                if (error.empty()) error = "cannot read the bundle";
                return false;
            }
            XXH3_64bits_update(sum_state, part.data(), part.size());
            XXH3_128bits_update(id_state, part.data(), part.size());
        }
        if (XXH3_64bits_digest(sum_state) != rec.checksum) {
            error = "section " + std::to_string(rec.kind) + " (" + section_name(rec.kind) +
                    ") checksum mismatch (corrupt bundle)";
            return false;
        }
    }
    XXH128_canonical_t id;
    XXH128_canonicalFromHash(&id, XXH3_128bits_digest(id_state));
    if (std::memcmp(id.digest, header_id_.data(), header_id_.size()) != 0) {
        error = "build id does not match the contents (edited after kade-index?)";
        return false;
    }
    return true;
}

std::optional<std::string> read_dictionary(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    auto read_at = [fd](std::uint64_t offset, std::uint64_t size) -> std::optional<std::string> {
        std::string out(size, '\0');
        std::uint64_t done = 0;
        while (done < size) {
            const ssize_t n =
                ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            done += static_cast<std::uint64_t>(n);
        }
        return out;
    };
    std::optional<std::string> result;
    const std::size_t head_size = sizeof(file_header) + section_kind_count * sizeof(section_record);
    if (auto head = read_at(0, head_size)) {
        file_header header;
        std::memcpy(&header, head->data(), sizeof header);
        std::memset(head->data() + offsetof(file_header, checksum), 0, sizeof header.checksum);
        section_record rec;
        std::memcpy(&rec, head->data() + sizeof(file_header) + 5 * sizeof(section_record),
                    sizeof rec);
        if (std::memcmp(header.magic, magic, sizeof magic) == 0 &&
            header.version == format_version &&
            XXH3_64bits(head->data(), head->size()) == header.checksum &&
            rec.kind == static_cast<std::uint32_t>(section_kind::dictionary) &&
            rec.size >= sizeof(dictionary_record) && rec.size < (1u << 24)) {
            const auto dict = read_at(rec.offset, rec.size);
            dictionary_record r;
            if (dict && XXH3_64bits(dict->data(), dict->size()) == rec.checksum) {
                std::memcpy(&r, dict->data(), sizeof r);
                if (sizeof r + std::uint64_t{r.path_size} + r.bytes_size == dict->size())
                    result = dict->substr(sizeof r + r.path_size);
            }
        }
    }
    ::close(fd);
    return result;
}

const entry_record* bundle_view::find(std::string_view path) const {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    // At most half the slots are taken, so a probe run ends at an empty slot soon.
    for (std::size_t slot = XXH3_64bits(path.data(), path.size()) & mask;;
         slot = (slot + 1) & mask) {
        const std::uint32_t k = slots_[slot];
        if (k == 0) return nullptr;
        if (this->path(entries_[k - 1]) == path) return &entries_[k - 1];
    }
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("cannot load bundle " + path + ": " + why);
}

std::string os_error() {
    return std::strerror(errno);
}

}  // namespace

std::shared_ptr<const loaded_bundle> loaded_bundle::load(const std::string& path,
                                                         load_options options) {
    std::shared_ptr<loaded_bundle> b(new loaded_bundle());
    b->path_ = path;
    // O_NONBLOCK: opening a FIFO (or a device) put at the bundle path must not wait for a
    // writer, which would hang the reload thread and with it the exit on SIGTERM. It changes
    // nothing for the regular file that is then required.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) fail(path, os_error());
    // Closes the file on every way out but the one that keeps it (fd_).
    struct close_unless_kept {
        int fd;
        bool kept = false;
        ~close_unless_kept() {
            if (!kept) ::close(fd);
        }
    } file{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail(path, os_error());
    if (!S_ISREG(st.st_mode)) fail(path, "not a regular file");
    // The header first: junk (or a bundle of another size than it says) is refused after
    // reading a few hundred bytes, not after copying or mapping all of it.
    {
        char head[head_size];
        ssize_t n;
        do {
            n = ::pread(fd, head, sizeof head, 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0) fail(path, os_error());
        std::string error;
        if (!check_head({head, static_cast<std::size_t>(n)}, static_cast<std::uint64_t>(st.st_size),
                        error))
            fail(path, error);
    }
    b->size_ = static_cast<std::size_t>(st.st_size);  // at least head_size: check_head says so
    if (options.copy) {
        b->copied_ = true;
        b->fd_ = ::memfd_create("kade-bundle", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (b->fd_ < 0 || ::ftruncate(b->fd_, st.st_size) != 0) fail(path, "memfd: " + os_error());
        // Copy the file into the memfd through a writable mapping, then drop it and seal the
        // memfd: from here on the bytes cannot change under the server.
        void* w = ::mmap(nullptr, b->size_, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd_, 0);
        if (w == MAP_FAILED) fail(path, "mmap: " + os_error());
        std::size_t done = 0;
        while (done < b->size_) {
            const ssize_t n = ::read(fd, static_cast<char*>(w) + done, b->size_ - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const std::string why = n == 0 ? "file shrank while reading" : os_error();
                ::munmap(w, b->size_);
                fail(path, why);
            }
            done += static_cast<std::size_t>(n);
        }
        ::munmap(w, b->size_);
        ::fcntl(b->fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        b->map_ = ::mmap(nullptr, b->size_, PROT_READ, MAP_SHARED | MAP_POPULATE, b->fd_, 0);
    } else {
        // The file itself, read-only: pages come in as requests (and the background check)
        // touch them, from the page cache the kernel shares with every other reader. The open
        // descriptor keeps the file alive after a rename or unlink replaces it at the path.
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        b->fd_ = fd;
        file.kept = true;
        b->map_ = ::mmap(nullptr, b->size_, PROT_READ, MAP_SHARED, b->fd_, 0);
    }
    if (b->map_ == MAP_FAILED) {
        b->map_ = nullptr;
        fail(path, "mmap: " + os_error());
    }
    const std::string_view bytes(static_cast<const char*>(b->map_), b->size_);
    std::string error;
    auto view = options.verify ? bundle_view::open(bytes, error)
                               : bundle_view::open_structure(bytes, error);
    if (!view) fail(path, error);
    b->view_ = *view;
    return b;
}

loaded_bundle::~loaded_bundle() {
    if (map_) ::munmap(map_, size_);
    if (fd_ >= 0) ::close(fd_);
}

void loaded_bundle::verify_contents(const std::atomic<bool>* cancelled) const {
    std::string error;
    bool whole;
    if (copied_) {
        whole = view_.verify_contents(error, cancelled);  // in memory already (MAP_POPULATE)
    } else {
        // Read with pread, not through the mapping: the same bytes (the page cache behind the
        // mapping), but the check does not put every page of the file into this process's
        // resident set; only the pages requests touch are mapped.
        std::string buffer;
        whole = view_.verify_contents(
            error, cancelled, [&](std::uint64_t offset, std::size_t size, std::string& why) {
                buffer.resize(size);
                std::size_t done = 0;
                while (done < size) {
                    const ssize_t n = ::pread(fd_, buffer.data() + done, size - done,
                                              static_cast<off_t>(offset + done));
                    if (n < 0 && errno == EINTR) continue;
                    if (n <= 0) {
                        why = n == 0 ? "the file is shorter than it was (rewritten in place?)"
                                     : "read: " + os_error();
                        return std::string_view{};
                    }
                    done += static_cast<std::size_t>(n);
                }
                return std::string_view(buffer);
            });
    }
    if (!whole) throw std::runtime_error("bundle " + path_ + ": " + error);
}

int loaded_bundle::reopen_at(std::uint64_t offset, const char* what) const {
    // Reopening through /proc gives a new open file description with its own file position, so
    // threads can open their databases at the same time; dup() would share one position. It
    // reaches the same file even after a rename or unlink replaced it at its path.
    int fd = ::open(("/proc/self/fd/" + std::to_string(fd_)).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("cannot reopen the bundle descriptor: " + os_error());
    if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
        const std::string why = os_error();
        ::close(fd);
        throw std::runtime_error(std::string("cannot seek to ") + what + ": " + why);
    }
    return fd;
}

int loaded_bundle::open_search_fd() const {
    return reopen_at(view_.search_database_offset(), "the search database");
}

int loaded_bundle::open_shard_fd(std::size_t k) const {
    if (k >= view_.shards().size())
        throw std::runtime_error("the bundle has no shard " + std::to_string(k));
    return reopen_at(view_.shards()[k].offset, "search shard");
}

}  // namespace kade::bundle
