#pragma once
// Search result snippets: the best passage of a post's text, HTML-escaped, matches in <mark>.
#include <string>
#include <string_view>
#include <unordered_set>

#include <xapian.h>

namespace kade::search {

// What a query matches, in the forms the index holds: folded words as typed ("klanten") and
// Snowball stems of folded words ("klant"), plus prefixes from a trailing '*' or as-you-type.
struct snippet_terms {
    std::unordered_set<std::string> words;
    std::unordered_set<std::string> stems;
    std::unordered_set<std::string> prefixes;
};

// Returns HTML: a window of about `max_words` words from `text` around the densest cluster of
// matching words (a word matches when its folded form is in `words`, its stem in `stems`, or it
// starts with a prefix in `prefixes`), matches wrapped in <mark>…</mark> with the original
// spelling kept, everything else escaped, "… " / " …" where the window cuts the text. With no
// match, the first `max_words` words.
// `window_begin`, when given, receives the byte offset in `text` of the first match shown (or
// of the window's start without one), for a deep link to the heading above it.
std::string make_snippet(std::string_view text, const snippet_terms& terms,
                         const Xapian::Stem& stem, std::size_t max_words = 30,
                         std::size_t* window_begin = nullptr);

}  // namespace kade::search
