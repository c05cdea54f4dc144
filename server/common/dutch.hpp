#pragma once
// The Dutch analysis that the indexer and the query side must share, so that what is indexed
// is what a query looks for: case and accent folding, stop words, the stemmer.
#include <string>
#include <string_view>

#include <xapian.h>

namespace kade::dutch {

// Lowercases and removes diacritics from UTF-8 text: "Écht" → "echt", "ideeën" → "ideeen",
// "één" → "een", "coöperatie" → "cooperatie", "ĳ" (U+0133) → "ij", "ß" → "ss", "æ" → "ae".
// Covers Latin-1 Supplement and Latin Extended-A; curly apostrophes (U+2018, U+2019, U+201B)
// become "'" so "z’n" matches "z'n". Combining accents (U+0300–U+036F, decomposed text), soft
// hyphens and zero-width characters are dropped. Other characters are lowercased where ASCII
// and otherwise kept as they are (Greek or Cyrillic capitals stay capitals); a malformed UTF-8
// byte becomes U+FFFD, so the result is always valid UTF-8. Word boundaries are kept (see
// for_each_word), so positions do not move.
std::string fold(std::string_view text);

// True for the Snowball Dutch stop words (folded forms: "een", "zijn", ...).
bool is_stop_word(std::string_view folded_word);

// A stopper holding the Snowball Dutch stop words, for Xapian::QueryParser and TermGenerator.
// Built once; safe to share between threads.
const Xapian::Stopper& stopper();

// The Xapian stemmer used on both sides (Snowball "dutch", the Porter-style Dutch stemmer in
// Xapian 1.4). A new one per call: a Xapian::Stem and its copies share state, so one must not be
// used by two threads at once; keep one per thread.
Xapian::Stem stemmer();

// Splits folded text into words the way the index (Xapian's TermGenerator on folded text), the
// snippet and the query side see them: maximal runs of word characters (ASCII letters, digits
// and '_', and any non-ASCII code point Xapian counts as a letter, mark or digit), where an
// apostrophe between word characters stays inside ("z'n", "auto's"), as do '&' ("r&d"),
// separators between digits ("1.000,5") and a "++"/"#" suffix ("c++"). Gives the same
// boundaries on unfolded text, so callers can keep the original spelling. Calls
// `on_word(begin_byte, end_byte)` for each word of `text`; if `on_word` returns bool, false
// stops the walk.
template <typename F>
void for_each_word(std::string_view text, F&& on_word);

}  // namespace kade::dutch

#include "server/common/dutch_words.ipp"
