#pragma once
// The bundle file format, written down once for both the writer and the reader.
//
// Layout (all integers little-endian, every section 64-byte aligned):
//   file_header                      128 bytes at offset 0
//   section_record[section_count]    32 bytes each, right after the header
//   sections                         in section_kind order
// header.checksum is XXH3-64 over the header (checksum field zeroed) and the section table;
// each section_record.checksum is XXH3-64 over that section's bytes; the build id is XXH3-128
// over every section's bytes in order, so the same content gives the same id.
//
// Sections:
//   strings   UTF-8 bytes referenced by (offset, size) pairs of 32 bits
//   bodies    response bodies, every variant of every entry, referenced by 64-bit offsets
//   entries   entry_record[], sorted by path (bytewise), no duplicates: one per answerable URL
//   search    a Xapian single-file glass database (opened from a file descriptor at its offset)
//   shards    the same posts split into N databases (kade-index --shards N; empty when N is 0):
//             shard_table, then shard_record[count], then each database (single-file glass)
//             at a 64-byte aligned offset from the section's start
//   dictionary the compression dictionary (RFC 9842) every `dcz` variant was made with:
//             dictionary_record, the URL path of the entry that serves it, then its bytes
//             (also here, so the next kade-index can keep it without reading the whole
//             file); empty when the bundle has no dictionary (format version 3)
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace kade::bundle {

// Records are written and read as they lie in memory; the format is little-endian.
static_assert(std::endian::native == std::endian::little);

inline constexpr char magic[8] = {'K', 'A', 'D', 'E', 'B', 'N', 'D', 'L'};
// 2: the shards section; 3: the dictionary section and a fourth variant slot (dcz);
// 4: identity bodies derived from gzip (entry_record.held bit 0 clear), pages without a zstd
//    variant; 5: the identity of "!text" entries (snippet texts) derived from their dcz variant
inline constexpr std::uint32_t format_version = 5;
inline constexpr std::uint64_t section_alignment = 64;

enum class section_kind : std::uint32_t {
    strings = 1,
    bodies = 2,
    entries = 3,
    search = 4,
    shards = 5,
    dictionary = 6
};
inline constexpr std::uint32_t section_kind_count = 6;

struct file_header {
    char magic[8];
    std::uint32_t version;
    std::uint32_t section_count;
    std::uint64_t file_size;
    std::uint8_t build_id[16];
    std::uint8_t reserved[80];
    std::uint64_t checksum;
};
static_assert(sizeof(file_header) == 128);
static_assert(std::is_trivially_copyable_v<file_header>);

struct section_record {
    std::uint32_t kind;
    std::uint32_t reserved;
    std::uint64_t offset;
    std::uint64_t size;
    std::uint64_t checksum;
};
static_assert(sizeof(section_record) == 32);

// Head of the shards section. Shard k holds posts k, k + N, k + 2N, … of the whole database
// (round robin by docid), so a multi-database over shards 0..N-1 numbers documents as it does.
struct shard_table {
    std::uint32_t count;
    std::uint32_t reserved;
};
static_assert(sizeof(shard_table) == 8);

// One shard database: offset from the start of the shards section, and size.
struct shard_record {
    std::uint64_t offset;
    std::uint64_t size;
};
static_assert(sizeof(shard_record) == 16);

// Head of the dictionary section: the SHA-256 of the dictionary's bytes (its name in
// Available-Dictionary and in every dcz body's header), then path_size bytes of the path of
// the entry whose identity body is the dictionary, then its bytes_size bytes.
struct dictionary_record {
    std::uint8_t sha256[32];
    std::uint32_t path_size;
    std::uint32_t bytes_size;
};
static_assert(sizeof(dictionary_record) == 40);

// A slice of the strings section.
struct string_ref {
    std::uint32_t offset;
    std::uint32_t size;
};
static_assert(sizeof(string_ref) == 8);

// One encoding of one entry's body: a slice of the bodies section and its content hash.
// The strong ETag is the hash in hex, quoted; variants with different bytes differ in ETag.
struct variant_record {
    std::uint64_t offset;
    std::uint64_t size;
    std::uint64_t hash;
};
static_assert(sizeof(variant_record) == 24);

// How a response may be cached; the server maps each class to headers from [http].
enum class cache_class : std::uint8_t {
    html = 0,      // pages: short-lived, stale-while-revalidate
    asset = 1,     // fingerprinted assets: immutable
    feed = 2,      // feeds, sitemap, robots.txt: like pages
    redirect = 3,  // 301 from aliases and Blogger's URLs: like pages
    error = 4,     // the 404 page
};
inline constexpr std::uint8_t cache_class_count = 5;

// Variant slots, in http::coding order: identity, gzip, zstd, dcz (zstd with the bundle's
// dictionary, header included; HTML pages only). kade-index writes no zstd variants since
// format 4 (2.7 % smaller than gzip for 12 % of the bundle; every zstd client also takes gzip),
// but the reader and server still take them.
//
// Identity is always there, stored or derived. Stored: held bit 0 set, variants[0] a slice of
// the bodies like any other. Derived: bit 0 clear, variants[0] = {0, size, hash} of the
// identity bytes, which are either the gzip variant decompressed (a page: not internal, bit 1
// set) or the dcz variant decompressed with the bundle's dictionary (an internal entry that
// holds no gzip: the snippet texts; bit 3 set, at most 1032 times the dcz variant's size).
// The size and hash are the stored body's, so ETag, Content-Length and validators are the same
// as if it were stored; the server inflates a page only for a client that takes neither gzip
// nor dcz, and checks size and hash whenever it derives.
inline constexpr std::uint64_t max_derived_ratio = 1032;  // deflate's own bound
inline constexpr std::size_t variant_count = 4;
inline constexpr std::size_t gzip_variant = 1;
inline constexpr std::size_t zstd_variant = 2;
inline constexpr std::size_t dcz_variant = 3;

struct entry_record {
    string_ref path;             // decoded URL path, e.g. "/2014/01/slug.html"; "!…" for internal
    string_ref content_type;     // e.g. "text/html; charset=utf-8"
    string_ref location;         // redirect target for status 301, else empty
    string_ref keys;             // purge keys, space-separated
    std::int64_t last_modified;  // Unix seconds; -1 when none
    std::uint16_t status;        // 200, 301 or 404
    std::uint8_t cache;          // cache_class
    std::uint8_t held;           // bit i set: variants[i]'s bytes are in the bodies section
    std::uint32_t reserved;
    std::uint64_t reserved2;
    variant_record variants[variant_count];
};
static_assert(sizeof(entry_record) == 152);
static_assert(std::is_trivially_copyable_v<entry_record>);

// Entries that are not URLs: the blog's 404 page and the search page shell, whose markers the
// server replaces with the query and the results.
inline constexpr std::string_view not_found_path = "!404";
inline constexpr std::string_view search_shell_path = "!search";
// Every published post, newest first, one line each:
// "UNIX\tURL\tTITLE\tDATE\tRFC3339\tLABELS\tAUTHOR\tSUMMARY" (labels separated by U+001F), for
// Blogger's /search?updated-max=TIME&max-results=N and its label form (server/blogger_paths.hpp).
inline constexpr std::string_view posts_by_date_path = "!posts-by-date";
// The later pages (N >= 2) of the home page (/page/N/) and of each label
// (/search/label/NAME/page/N/), which kade-serve puts together from the list above: the page
// with its markers (the page's number, the number of pages, the posts in shell_results_marker
// and the pager), one for the home page and one per label with more than one page ("!label-pages/"
// + the label's name). A new post moves every post one place down them, so stored they would
// all be compressed again (server/listing_pages.hpp).
inline constexpr std::string_view home_pages_shell_path = "!home-pages";
inline constexpr std::string_view label_pages_shell_prefix = "!label-pages/";
inline constexpr std::string_view shell_page_marker = "<!--kade:page-->";
inline constexpr std::string_view shell_pages_marker = "<!--kade:pages-->";
inline constexpr std::string_view shell_pager_marker = "<!--kade:pager-->";
inline constexpr std::string_view shell_query_marker = "<!--kade:query-->";
inline constexpr std::string_view shell_title_marker = "<!--kade:title-->";
inline constexpr std::string_view shell_results_marker = "<!--kade:results-->";
// In the shell's head: kade-serve puts robots noindex there when a query is given; the bare
// /search page may be indexed, result pages (an endless space of thin pages) not.
inline constexpr std::string_view shell_robots_marker = "<!--kade:robots-->";

}  // namespace kade::bundle
