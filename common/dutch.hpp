#pragma once
// The Dutch analysis that the indexer and the query side must share, so that what is indexed
// is what a query looks for: case and accent folding, stop words, the stemmer.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "common/word_set.hpp"

namespace kade::dutch {

// Lowercases and removes diacritics from UTF-8 text: "Écht" → "echt", "ideeën" → "ideeen",
// "één" → "een", "coöperatie" → "cooperatie", "ĳ" (U+0133) → "ij", "ß" → "ss", "æ" → "ae".
// Covers Latin-1 Supplement and Latin Extended-A, plus the NFKC compatibility forms pasted text
// brings (ligatures U+FB00–FB06, fullwidth letters and digits); curly apostrophes (U+2018, U+2019,
// U+201B) become "'" so "z’n" matches "z'n". Combining accents (U+0300–U+036F, decomposed text),
// soft hyphens and zero-width characters are dropped. Other characters are lowercased where ASCII
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

// The knobs of the analysis, so one binary can build and query both our analysis and the plain
// baseline that bench/search_quality scores it against. The indexer stores them in the database
// (metadata key `analysis_key`) and the query side reads them back, so a query is always
// analysed like the index it runs on. The defaults are the analysis Kade ships.
struct analysis_options {
    bool fold = true;       // accent folding + lowercasing before Xapian (baseline: raw text)
    bool overrides = true;  // override table and apostrophe/-eeën rules around the stemmer
    bool compounds = true;  // compound parts indexed (needs a dictionary at index time)
    std::string stemmer = "dutch";  // Snowball algorithm: "dutch" or "kraaij_pohlmann"

    // Plain Xapian: "dutch" stemmer, no folding, no compounds, no overrides.
    static analysis_options baseline();
    // "fold=1 overrides=1 compounds=1 stemmer=dutch"; parse() takes defaults for missing keys.
    std::string serialise() const;
    static analysis_options parse(std::string_view text);
};
inline constexpr std::string_view analysis_key = "kade.analysis";

// The text Xapian sees: fold(text) with `fold`, else the text unchanged (TermGenerator and
// QueryParser lowercase by themselves, but keep accents).
std::string normalise(std::string_view text, const analysis_options& options);

// The stemmer of `options`: Snowball, wrapped with the override table when `overrides` is set.
// The same wrapped stemmer runs in TermGenerator and QueryParser, so overrides apply alike on
// both sides. Throws Xapian::InvalidArgumentError for an unknown algorithm.
Xapian::Stem stemmer(const analysis_options& options);

// The override step alone: the word the Snowball stemmer is given, or the final stem when
// `is_final` is set (table entries). Exposed for tests.
std::string apply_overrides(const std::string& folded_word, bool& is_final);

// The longest word, in bytes of folded UTF-8, that compound splitting and spelling suggestions
// look at. Xapian's TermGenerator indexes no longer word (its max_word_length), so a longer
// one is never a term anyway; without the cap, splitting a 320 KB "word" tried every head of it
// (quadratic: 40 s for one post).
inline constexpr std::size_t max_word_bytes = 64;

// The infinitive of a form of a Dutch strong, mixed or irregular verb (common/dutch_verbs.ipp):
// "liep", "liepen", "gelopen", "loopt" → "lopen"; with a prefix, "opgelopen" → "oplopen",
// "verkocht" → "verkopen". Empty for an infinitive and for any other word. Takes a folded,
// lowercase word. The stemmer (with `overrides`) stems the infinitive instead of the form.
std::string strong_verb_infinitive(std::string_view folded_word);

// The first two bytes a form of a strong verb can start with when its infinitive (and so its
// stem) starts with `head` and the form does not: "lo" (lopen) → {"li"} (liep), "zi" (zingen)
// → {"zo"} (zong, gezongen without "ge"). The snippet's cheap filter lets these through too.
const std::vector<std::string>& strong_verb_heads(std::string_view head);

// Splits Dutch compounds into dictionary words, with the linking morphemes "s", "en" and "e"
// between parts: "klantcontact" → {klant, contact}, "samenwerkingsverband" →
// {samenwerking, verband}, "fietsenmaker" → {fietsen, maker}. Parts have at least four letters,
// are not stop words and not suffix-like words ("lijk", "heid"); the longest first part wins.
// Memoises every word it sees, so a corpus costs one split per distinct word. Not thread-safe.
class compound_splitter {
  public:
    // Reads a word list, one word a line (wdutch's /usr/share/dict/dutch); lines with capitals,
    // digits or fewer than four letters are skipped. False when the file cannot be read.
    bool load(const std::string& path);
    void add_word(std::string_view folded_word);
    bool empty() const { return words_.empty(); }
    std::size_t size() const { return words_.size(); }
    // Parts of a folded, lowercase word; empty when it is not a compound of known words or is
    // longer than max_word_bytes.
    const std::vector<std::string>& split(const std::string& folded_word);

  private:
    bool split_into(std::string_view w, std::vector<std::string>& parts, int depth) const;
    word_set words_;
    std::unordered_map<std::string, std::vector<std::string>> memo_;
};

// Where the indexer looks for the compound dictionary (Debian's wdutch).
inline constexpr const char* default_compound_dictionary = "/usr/share/dict/dutch";

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

#include "common/dutch_words.ipp"
