#pragma once
// Search result snippets: the best passage of a post's text, HTML-escaped, matches in <mark>.
#include <memory>
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

// make_snippet for the hits of one query: the words of the texts that may match a term are
// classified (folded, stemmed) once for all of them rather than once per text. Each snippet is
// the one make_snippet gives. `terms` and `stem` must outlive it; one thread at a time.
class snippet_maker {
  public:
    snippet_maker(const snippet_terms& terms, const Xapian::Stem& stem);
    ~snippet_maker();
    snippet_maker(const snippet_maker&) = delete;
    snippet_maker& operator=(const snippet_maker&) = delete;
    std::string make(std::string_view text, std::size_t max_words = 30,
                     std::size_t* window_begin = nullptr);

  private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace kade::search
