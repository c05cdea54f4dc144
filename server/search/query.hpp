#pragma once
// Reader's query text → Xapian query, with the same Dutch analysis as the indexer.
#include <string>
#include <string_view>

#include <xapian.h>

#include "common/dutch.hpp"
#include "server/search/snippet.hpp"

namespace kade::search {

struct parsed_query {
    Xapian::Query query;
    snippet_terms terms;     // what to <mark> in snippets
    std::string suggestion;  // "Bedoelde je …?" text, or "" when the spelling looks right
};

// Lowercases and folds accents ("Écht" → "echt") but keeps the operators AND, OR and NOT
// (uppercase, as whole words) so the parser still sees them. Xapian 1.4's STEM_SOME skips
// capitalised words, which is why folding comes before parsing.
std::string fold_query(std::string_view text);

// The query text as the cache keys it: folded (with the index's analysis), runs of spaces
// collapsed, ends trimmed; AND/OR/NOT kept.
std::string normalise_query(std::string_view text, const dutch::analysis_options& options);

// Words in a query as the index would see them (for the term-count limit).
std::size_t count_query_words(std::string_view text);

// One per thread: a QueryParser is not thread-safe and is bound to one database. The analysis
// (folding, stemmer, overrides) is the one the database records it was built with.
class query_builder {
  public:
    explicit query_builder(const Xapian::Database& db);

    // Phrases, AND/OR/NOT, +/-, label: and jaar: filters, trailing '*'. With `prefix_mode` the
    // last word is also a prefix (as-you-type). Words are joined with AND, or with OR when
    // `default_or` (the fallback when AND finds nothing). Never throws on malformed input: a
    // query Xapian cannot parse is retried as plain words.
    parsed_query parse(std::string_view text, bool prefix_mode, bool default_or = false);

    const dutch::analysis_options& options() const { return options_; }
    // A stemmer of this database's analysis (for snippets).
    Xapian::Stem make_stemmer() const { return dutch::stemmer(options_); }

  private:
    std::string suggest(std::string_view folded) const;

    Xapian::Database db_;
    dutch::analysis_options options_;
    Xapian::Stem stem_;
    Xapian::QueryParser parser_;
};

}  // namespace kade::search
