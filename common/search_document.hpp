#pragma once
// What the indexer stores with each Xapian document and the server reads back for a result:
// the fields of a JSON result plus the plain text the snippet is cut from. Also the term
// prefixes and value slots both sides must agree on.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kade::search_document {

// Boolean filter terms and the unique id term (Xapian's conventional prefixes).
inline constexpr std::string_view label_prefix = "K";  // K + folded label
inline constexpr std::string_view year_prefix = "Y";   // Y + "2014"
inline constexpr std::string_view url_prefix = "Q";    // Q + URL path
// Value slot holding the date as "YYYYMMDDhhmmss" (UTC), for sort=date.
inline constexpr unsigned date_slot = 0;
// Value slots for facets: the post's labels as written, separated by '\x1f', and its year.
inline constexpr unsigned labels_slot = 1;
inline constexpr unsigned year_slot = 2;
// Database metadata saying how docids follow site order (newest first, ties by URL), so
// relevance ties break by docid without reading each match's date: "site-reversed" as
// kade-index numbers them now, oldest first (descending docid order is site order; a new post
// is added at the end), "site" in older bundles (ascending docid order is site order).
inline constexpr std::string_view docid_order_key = "kade.docid_order";
inline constexpr std::string_view docid_order_site = "site";
inline constexpr std::string_view docid_order_site_reversed = "site-reversed";

// The plain text of each post is also a bundle entry of its own, "!text" + URL (never
// answerable: request paths start with '/'), so the server cuts snippets from bytes in memory
// instead of reading Xapian's document data for every hit. Documents built
// with store_text off carry an empty text field and are looked up there.
inline constexpr std::string_view text_entry_prefix = "!text";
// Its content type. With a dictionary in the bundle kade-index stores only a dcz variant (zstd
// with the bundle's dictionary: about 0.36 of the bytes) and the identity is derived from it
// (bundle_format.hpp), so the server decompresses the ten texts a result page shows.
inline constexpr std::string_view text_entry_type = "application/x-kade-snippet-text";
inline std::string text_entry_path(std::string_view url) {
    return std::string(text_entry_prefix) + std::string(url);
}

// The "!text" entry's bytes: one line per heading, "OFFSET ID" (OFFSET counts bytes of the
// text), then an empty line, then the text.
std::string encode_text_entry(std::string_view text,
                              const std::vector<std::pair<std::size_t, std::string>>& headings);
struct text_entry {
    std::string_view text;
    std::string_view headings;  // the heading lines, undecoded
};
text_entry decode_text_entry(std::string_view bytes);
// The id of the last heading that starts at or before `offset` of the text; "" when none.
std::string_view heading_before(std::string_view headings, std::size_t offset);

struct fields {
    std::string_view url;
    std::string_view title;
    std::string_view date;    // "YYYY-MM-DD" as the author wrote it
    std::string_view labels;  // labels separated by '\x1f'
    std::string_view text;    // plain text, paragraphs separated by "\n\n"
};

// Fields joined with '\x1e' (record separator; the indexer strips it from the inputs).
std::string encode(const fields& f);
// Splits Xapian document data; false when it is not five fields.
bool decode(std::string_view data, fields& out);

std::vector<std::string_view> split_labels(std::string_view labels);

}  // namespace kade::search_document
