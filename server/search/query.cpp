#include "server/search/query.hpp"

#include "common/dutch.hpp"
#include "common/search_document.hpp"

namespace kade::search {

std::string fold_query(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view word = text.substr(pos, end - pos);
        if (word == "AND" || word == "OR" || word == "NOT") {
            out += word;
        } else {
            out += dutch::fold(word);
        }
        if (end < text.size()) out += ' ';
        pos = end + 1;
    }
    return out;
}

std::string normalise_query(std::string_view text, const dutch::analysis_options& options) {
    const std::string folded = options.fold ? fold_query(text) : std::string(text);
    std::string out;
    out.reserve(folded.size());
    for (char c : folded) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::size_t count_query_words(std::string_view text) {
    std::size_t n = 0;
    dutch::for_each_word(text, [&](std::size_t, std::size_t) { ++n; });
    return n;
}

namespace {

dutch::analysis_options options_of(const Xapian::Database& db) {
    // An index without the key predates analysis options; it was built like the defaults
    // minus what they added since, which the defaults still query well.
    return dutch::analysis_options::parse(db.get_metadata(std::string(dutch::analysis_key)));
}

}  // namespace

query_builder::query_builder(const Xapian::Database& db)
    : db_(db), options_(options_of(db)), stem_(dutch::stemmer(options_)) {
    parser_.set_database(db);
    parser_.set_stemmer(stem_);
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_stopper(&dutch::stopper());
    parser_.set_default_op(Xapian::Query::OP_AND);
    parser_.add_boolean_prefix("label", std::string(search_document::label_prefix));
    parser_.add_boolean_prefix("jaar", std::string(search_document::year_prefix));
    // Bound what one prefix may cost: the most frequent expansions, not all of them.
    parser_.set_max_expansion(
        100, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
        Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
}

namespace {

void collect_terms(const Xapian::Query& q, snippet_terms& terms) {
    for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it) {
        const std::string term = *it;
        if (term.empty()) continue;
        if (term[0] == 'Z') {
            terms.stems.insert(term.substr(1));
        } else if (term[0] >= 'a' || static_cast<unsigned char>(term[0]) >= 0x80 ||
                   (term[0] >= '0' && term[0] <= '9')) {
            terms.words.insert(term);
        }
    }
}

// Words that end in '*' (and, in as-you-type mode, the last word) are prefixes to highlight.
void collect_prefixes(std::string_view folded, bool prefix_mode, snippet_terms& terms) {
    std::string last;
    dutch::for_each_word(folded, [&](std::size_t b, std::size_t e) {
        last = std::string(folded.substr(b, e - b));
        if (e < folded.size() && folded[e] == '*') terms.prefixes.insert(last);
    });
    if (prefix_mode && !last.empty()) terms.prefixes.insert(last);
}

}  // namespace

// Xapian's FLAG_SPELLING_CORRECTION also "corrects" words the blog does contain (klanten →
// klant), so each plain word is looked up as an unstemmed term and as its stem, and only words
// the index lacks in both forms are replaced by the nearest known one.
std::string query_builder::suggest(std::string_view folded) const {
    std::string out;
    bool changed = false;
    std::size_t pos = 0;
    while (pos <= folded.size()) {
        auto end = folded.find(' ', pos);
        if (end == std::string_view::npos) end = folded.size();
        const std::string word(folded.substr(pos, end - pos));
        std::string replacement = word;
        // A word longer than any term (dutch::max_word_bytes) has no near neighbour to find.
        const bool plain = !word.empty() && word.size() <= dutch::max_word_bytes &&
                           word.find_first_of(":*\"+-()") == std::string::npos && word != "AND" &&
                           word != "OR" && word != "NOT" && !dutch::is_stop_word(word);
        // A word the index holds in another form (klanten → klant) needs no correction.
        if (plain && !db_.term_exists(word) && !db_.term_exists("Z" + stem_(word))) {
            std::string s = db_.get_spelling_suggestion(word, 2);
            if (!s.empty()) {
                replacement = s;
                changed = true;
            }
        }
        if (!out.empty()) out += ' ';
        out += replacement;
        pos = end + 1;
    }
    return changed ? out : "";
}

parsed_query query_builder::parse(std::string_view text, bool prefix_mode, bool default_or) {
    const std::string folded = options_.fold ? fold_query(text) : std::string(text);
    parser_.set_default_op(default_or ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                     Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT;
    if (prefix_mode) flags |= Xapian::QueryParser::FLAG_PARTIAL;
    parsed_query out;
    try {
        out.query = parser_.parse_query(folded, flags);
    } catch (const Xapian::QueryParserError&) {
        // Malformed syntax degrades to plain words rather than an error.
        try {
            out.query = parser_.parse_query(folded, 0);
        } catch (const Xapian::QueryParserError&) {
            out.query = Xapian::Query::MatchNothing;
        }
    }
    const std::string folded_words = options_.fold ? folded : fold_query(text);
    out.suggestion = suggest(folded_words);
    collect_terms(out.query, out.terms);
    collect_prefixes(folded_words, prefix_mode, out.terms);
    return out;
}

}  // namespace kade::search
