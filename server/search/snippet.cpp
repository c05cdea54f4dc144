#include "server/search/snippet.hpp"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/dutch.hpp"
#include "common/text.hpp"

namespace kade::search {

namespace {

// Only the first words of a post are read, so a snippet costs the same for a 500-word post and
// a 50,000-word one: a results page makes one per hit within the search latency budget
// (p99 of 5 ms in the server on 100,000 posts). A match further in gets no passage around it; the
// opening words stand in for it.
constexpr std::size_t max_scanned_words = 2000;

// Words of context shown before the first match of the window, at most.
constexpr std::size_t max_lead_words = 4;

constexpr int no_match = -1;

struct word {
    std::size_t begin;
    std::size_t end;
    int term;  // which matched query term, or no_match
};

// Decides which query term a word of the text matches, if any, cheaply for the many words that
// match nothing.
//
// A word can only match a term that starts with the same two bytes: it equals a word, starts
// with a prefix, or stems to a stem, and Xapian's Dutch stemmer keeps the first two bytes of a
// folded word. It strips suffixes only from the third letter on (Snowball's R1), replaces
// "heden" there, and undoubles a vowel or a final consonant no earlier than the second letter
// ("baan" → "ban", "adde" → "ad"). tests/server/search/snippet_test.cpp checks this on the Snowball
// vocabulary. Stemmers that remove a "ge-" prefix (Kraaij-Pohlmann; our override gewerkt →
// werk) are covered by also trying a "ge…" word without its first two bytes, and the forms of
// strong verbs ("liep" → "lop") by the heads dutch::strong_verb_heads adds. So two bytes reject
// most words before any hashing or stemming, and the words that pass are looked up once each:
// stemming is the expensive step.
class matcher {
  public:
    matcher(const snippet_terms& terms, const Xapian::Stem& stem) : terms_(terms), stem_(stem) {
        auto add_head = [&](const std::string& term) {
            if (term.empty()) return;
            std::string head = term.substr(0, 2);
            if (std::find(heads_.begin(), heads_.end(), head) == heads_.end()) {
                heads_.push_back(std::move(head));
            }
        };
        for (const std::string& t : terms.words) add_head(t);
        for (const std::string& t : terms.stems) {
            add_head(t);
            // A strong verb's stem is its infinitive's: "liep" stems to "lop", "kwam" to "kom".
            if (t.size() >= 2)
                for (const std::string& h : dutch::strong_verb_heads(t.substr(0, 2))) add_head(h);
        }
        for (const std::string& t : terms.prefixes) add_head(t);
        for (const auto* set : {&terms.words, &terms.stems}) {
            for (const std::string& t : *set) {
                if (t.size() >= min_part) parts_.push_back(t);
            }
        }
        // The same tests for ASCII words as two-byte tables: most words of a text are ASCII
        // and fail them, so a lookup each instead of a walk over the terms.
        for (const std::string& head : heads_) {
            const auto a = static_cast<unsigned char>(head[0]);
            if (a >= 0x80) continue;  // no ASCII word starts with it
            if (head.size() == 1) {
                one_letter_head_.set(a);
                for (unsigned b = 0; b < 128; ++b) ascii_head_.set(a * 128 + b);
            } else if (static_cast<unsigned char>(head[1]) < 0x80) {
                ascii_head_.set(a * 128 + static_cast<unsigned char>(head[1]));
            }
        }
        for (const std::string& p : parts_) {
            const auto a = static_cast<unsigned char>(p[p.size() - 2]);
            const auto b = static_cast<unsigned char>(p[p.size() - 1]);
            if (a < 0x80 && b < 0x80) ascii_tail_.set(a * 128 + b);
        }
    }

    int match(std::string_view original) {
        // Most words are ASCII: decide "cannot match" from their first bytes, lowercased in
        // place, without folding (allocating) the word. Same test as the general path below.
        if (original.size() >= 4 && is_ascii4(original)) {
            const bool ge = lower(original[0]) == 'g' && lower(original[1]) == 'e';
            if (!has_head_ascii(original[0], original[1]) &&
                !(ge && original.size() > 4 && has_head_ascii(original[2], original[3]))) {
                // The tail first: it rarely passes, so its branch predicts well; the length's
                // does not.
                if (!has_tail_ascii(original) || original.size() < 2 * min_part) return no_match;
                return part_at_end(dutch::fold(original));
            }
        } else if (original.size() < 4 && is_ascii(original)) {
            // Short words ("de", "het", "een": a third of Dutch text) are too short for the
            // "ge" rule or a compound part, so only a head can match.
            if (original.size() == 1 ? !has_head_ascii(original[0])
                                     : !has_head_ascii(original[0], original[1]))
                return no_match;
        }
        std::string folded = dutch::fold(original);
        auto has_head = [&](std::string_view w) {
            return std::any_of(heads_.begin(), heads_.end(), [&](const auto& head) {
                return w.compare(0, head.size(), head) == 0;
            });
        };
        // "gewerkt" stems to "werk" (override table, and Kraaij-Pohlmann drops "ge-" always).
        const bool may_match = has_head(folded) || (folded.size() > 4 && folded.starts_with("ge") &&
                                                    has_head(std::string_view(folded).substr(2)));
        if (!may_match) return part_at_end(folded);
        auto [it, inserted] = seen_.try_emplace(std::move(folded), no_match);
        if (inserted) it->second = classify(it->first);
        return it->second;
    }

    // Keys interned so far, by every text this matcher has seen.
    std::size_t key_count() const { return keys_.size(); }

  private:
    static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
    static bool is_ascii4(std::string_view w) {
        return ((static_cast<unsigned char>(w[0]) | static_cast<unsigned char>(w[1]) |
                 static_cast<unsigned char>(w[2]) | static_cast<unsigned char>(w[3])) &
                0x80) == 0;
    }
    static bool is_ascii(std::string_view w) {
        for (char c : w)
            if (static_cast<unsigned char>(c) & 0x80) return false;
        return true;
    }
    // Does a word starting with ASCII bytes a, b (any case) start with some term's head?
    bool has_head_ascii(char a, char b) const {
        return ascii_head_.test(static_cast<unsigned char>(lower(a)) * 128u +
                                static_cast<unsigned char>(lower(b)));
    }
    // The same for a one-letter word: only a one-letter head is its prefix.
    bool has_head_ascii(char a) const {
        return one_letter_head_.test(static_cast<unsigned char>(lower(a)));
    }
    // Could an ASCII word end in some compound part? part_at_end's two-byte test, before
    // folding (allocating) the word.
    bool has_tail_ascii(std::string_view w) const {
        const char a = lower(w[w.size() - 2]), b = lower(w[w.size() - 1]);
        if ((static_cast<unsigned char>(a) | static_cast<unsigned char>(b)) & 0x80)
            return true;  // folding may change it ("café" ends in "fe")
        return ascii_tail_.test(static_cast<unsigned char>(a) * 128u +
                                static_cast<unsigned char>(b));
    }

    // Words, then prefixes, then stems: cheapest first. Forms of one query word count as one
    // term ("klant" and "klanten" both as the stem "klant"), so a window is not preferred for
    // repeating one word in two spellings.
    int classify(const std::string& folded) {
        if (terms_.words.contains(folded)) {
            if (!terms_.stems.empty()) {
                std::string stemmed = stem_(folded);
                if (terms_.stems.contains(stemmed)) return intern(stemmed);
            }
            return intern(folded);
        }
        for (const std::string& prefix : terms_.prefixes) {
            if (!prefix.empty() && folded.starts_with(prefix)) return intern(prefix);
        }
        if (!terms_.stems.empty()) {
            std::string stemmed = stem_(folded);
            if (terms_.stems.contains(stemmed)) return intern(stemmed);
        }
        return part_of(folded);
    }

    // A compound whose part matched ("klantcontact" for klant or contact): the index holds its
    // parts, so the whole word is marked. Only long words are tried, against terms of at least
    // a part's length, at the start or the end of the word (a cheap stand-in for the
    // dictionary split the indexer made).
    int part_of(const std::string& folded) {
        if (folded.size() < 2 * min_part || parts_.empty()) return no_match;
        for (const std::string& p : parts_) {
            if (folded.size() >= p.size() + 3 && (folded.starts_with(p) || folded.ends_with(p)))
                return intern(p);
        }
        return no_match;
    }

    // The same for a word that shares no head with any term: only a last part can match. Most
    // words fail the two-byte tail check, so this stays cheap on the snippet's hot path.
    int part_at_end(const std::string& folded) {
        if (folded.size() < 2 * min_part || parts_.empty()) return no_match;
        const char* tail = folded.data() + folded.size() - 2;
        for (const std::string& p : parts_) {
            const char* p_tail = p.data() + p.size() - 2;
            if (tail[0] == p_tail[0] && tail[1] == p_tail[1] && folded.size() >= p.size() + 3 &&
                folded.ends_with(p))
                return intern(p);
        }
        return no_match;
    }

    int intern(const std::string& key) {
        auto found = std::find(keys_.begin(), keys_.end(), key);
        if (found == keys_.end()) found = keys_.insert(keys_.end(), key);
        return static_cast<int>(found - keys_.begin());
    }

    static constexpr std::size_t min_part = 4;  // as dutch::compound_splitter's parts

    const snippet_terms& terms_;
    const Xapian::Stem& stem_;
    std::vector<std::string> parts_;             // terms long enough to be a compound's part
    std::vector<std::string> heads_;             // first two bytes of every term
    std::bitset<128 * 128> ascii_head_;          // ASCII byte pairs some head starts
    std::bitset<128> one_letter_head_;           // one-letter heads
    std::bitset<128 * 128> ascii_tail_;          // last two bytes of the ASCII-ended parts
    std::unordered_map<std::string, int> seen_;  // folded word → key, for words that may match
    std::vector<std::string> keys_;
};

constexpr bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Appends the text between two words, escaped, with each run of whitespace as one space.
void append_gap(std::string& out, std::string_view gap) {
    std::size_t i = 0;
    while (i < gap.size()) {
        if (is_space(gap[i])) {
            out += ' ';
            while (i < gap.size() && is_space(gap[i])) ++i;
        } else {
            std::size_t j = i;
            while (j < gap.size() && !is_space(gap[j])) ++j;
            append_html_escaped(out, gap.substr(i, j - i));
            i = j;
        }
    }
}

// The first match of the window with the most distinct terms, then the most matches, among
// windows that start at a match and leave room for the lead; the earliest wins a tie.
std::size_t best_first_match(const std::vector<word>& words, std::size_t term_count,
                             std::size_t span) {
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i].term != no_match) at.push_back(i);
    }
    std::vector<int> count(term_count, 0);
    std::size_t distinct = 0;
    std::size_t best = 0;
    std::size_t best_distinct = 0;
    std::size_t best_total = 0;
    std::size_t j = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
        for (; j < at.size() && at[j] < at[i] + span; ++j) {
            if (count[static_cast<std::size_t>(words[at[j]].term)]++ == 0) ++distinct;
        }
        const std::size_t total = j - i;
        if (distinct > best_distinct || (distinct == best_distinct && total > best_total)) {
            best = at[i];
            best_distinct = distinct;
            best_total = total;
        }
        if (--count[static_cast<std::size_t>(words[at[i]].term)] == 0) --distinct;
    }
    return best;
}

}  // namespace

struct snippet_maker::state {
    state(const snippet_terms& terms, const Xapian::Stem& stem) : m(terms, stem) {
        reachable = terms.stems.size() + terms.prefixes.size();
        for (const std::string& w : terms.words)
            if (terms.stems.empty() || !terms.stems.contains(stem(w))) ++reachable;
    }
    matcher m;
    // The distinct terms a window can hold, as classify() interns them: stems, prefixes, and
    // words whose stem is not itself a searched stem.
    std::size_t reachable = 0;
};

snippet_maker::snippet_maker(const snippet_terms& terms, const Xapian::Stem& stem)
    : state_(std::make_unique<state>(terms, stem)) {}

snippet_maker::~snippet_maker() = default;

std::string make_snippet(std::string_view text, const snippet_terms& terms,
                         const Xapian::Stem& stem, std::size_t max_words,
                         std::size_t* window_begin) {
    return snippet_maker(terms, stem).make(text, max_words, window_begin);
}

std::string snippet_maker::make(std::string_view text, std::size_t max_words,
                                std::size_t* window_begin) {
    std::string out;
    if (max_words == 0) return out;

    matcher& m = state_->m;
    // The matcher numbers keys across texts; each text numbers its terms in the order they
    // first occur in it, as a matcher of its own would.
    std::vector<int> term_of_key(m.key_count(), no_match);
    int term_count = 0;
    std::vector<word> words;
    words.reserve(std::min(max_scanned_words, text.size() / 4 + 1));
    bool more_text = false;
    bool any_match = false;
    // Once one window holds every query term no later window can beat it on distinct terms, so
    // the scan stops a snippet's length after it: most hits are cut after a few dozen words
    // instead of folding and stemming up to max_scanned_words of each.
    const std::size_t span = max_words - std::min(max_lead_words, max_words / 4);
    const std::size_t reachable = state_->reachable;
    std::vector<std::size_t> last_seen;
    std::size_t stop_at = max_scanned_words;
    dutch::for_each_word(text, [&](std::size_t b, std::size_t e) {
        if (words.size() == stop_at) {
            more_text = true;
            return false;
        }
        int term = m.match(text.substr(b, e - b));
        if (term != no_match) {
            const auto key = static_cast<std::size_t>(term);
            if (term_of_key.size() <= key) term_of_key.resize(key + 1, no_match);
            if (term_of_key[key] == no_match) term_of_key[key] = term_count++;
            term = term_of_key[key];
            any_match = true;
            const std::size_t here = words.size();
            const auto index = static_cast<std::size_t>(term);
            if (last_seen.size() <= index) last_seen.resize(index + 1, SIZE_MAX);
            last_seen[index] = here;
            if (stop_at == max_scanned_words && last_seen.size() >= reachable &&
                std::all_of(last_seen.begin(), last_seen.end(), [&](std::size_t seen) {
                    return seen != SIZE_MAX && here - seen < span;
                }))
                stop_at = std::min(max_scanned_words, here + max_words + 1);
        }
        words.push_back({b, e, term});
        return true;
    });
    if (words.empty()) return out;

    std::size_t start = 0;
    if (any_match) {
        const std::size_t lead = std::min(max_lead_words, max_words / 4);
        const std::size_t first =
            best_first_match(words, static_cast<std::size_t>(term_count), max_words - lead);
        start = first - std::min(first, lead);
    }
    std::size_t end = std::min(start + max_words, words.size());
    // Near the end of the text, show more of what comes before instead of a short snippet.
    start = end > max_words ? std::min(start, end - max_words) : 0;
    const bool cut_after = end < words.size() || more_text;
    if (window_begin) {
        // The first match shown decides the heading, not the context before it.
        *window_begin = words[start].begin;
        for (std::size_t i = start; i < end; ++i)
            if (words[i].term != no_match) {
                *window_begin = words[i].begin;
                break;
            }
    }

    out.reserve((words[end - 1].end - words[start].begin) * 11 / 10 + 64);
    // Punctuation attached to the first word ("(" or an opening quote), not a joiner such as
    // the hyphen of a word cut in two.
    const std::size_t gap_begin = start > 0 ? words[start - 1].end : 0;
    std::size_t lead_begin = words[start].begin;
    while (lead_begin > gap_begin && !is_space(text[lead_begin - 1])) --lead_begin;
    if (start > 0 && lead_begin == gap_begin) lead_begin = words[start].begin;  // "e-|mail"
    if (start > 0) out += "… ";
    append_html_escaped(out, text.substr(lead_begin, words[start].begin - lead_begin));

    for (std::size_t i = start; i < end; ++i) {
        if (i > start) {
            append_gap(out, text.substr(words[i - 1].end, words[i].begin - words[i - 1].end));
        }
        const std::string_view spelling =
            text.substr(words[i].begin, words[i].end - words[i].begin);
        if (words[i].term != no_match) {
            out += "<mark>";
            append_html_escaped(out, spelling);
            out += "</mark>";
        } else {
            append_html_escaped(out, spelling);
        }
    }

    // Punctuation attached to the last word ("." or a closing quote), likewise.
    const std::size_t gap_end = end < words.size() ? words[end].begin : text.size();
    std::size_t tail_end = words[end - 1].end;
    while (tail_end < gap_end && !is_space(text[tail_end])) ++tail_end;
    if (end < words.size() && tail_end == gap_end) tail_end = words[end - 1].end;  // "e|-mail"
    append_html_escaped(out, text.substr(words[end - 1].end, tail_end - words[end - 1].end));
    if (cut_after) out += " …";
    return out;
}

}  // namespace kade::search
