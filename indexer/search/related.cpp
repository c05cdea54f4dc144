#include "indexer/search/related.hpp"

#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <xapian.h>

#include "indexer/parallel.hpp"

namespace kade::indexer {
namespace {

// Expansion terms: the stems of words ("Z…"), not the boolean filter terms (label, year,
// URL), whose upper-case prefixes would make "same year" look like "same subject". A term only
// this post has finds nothing else, yet relevance feedback ranks such terms highest, so they
// are skipped too, and so are the very common ones.
bool is_stem(const std::string& term) {
    // Stems only: every word is also indexed as "Z" + stem, and the unstemmed form would
    // count the same word twice.
    return term.size() >= 2 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
}

bool is_telling(Xapian::doccount freq, Xapian::doccount docs) {
    // Words in a quarter of all posts or more ("de", "een") say little about a subject
    // and have the longest posting lists: skipping them keeps the queries cheap.
    return freq > 1 && (docs < 8 || freq * 4 < docs);
}

// The stems that may expand a post, found once by walking the "Z" terms with their
// frequencies: get_eset asks the decider about every term of the post, and a get_termfreq
// per term (a posting-table look-up each) was most of the phase's time.
std::unordered_set<std::string> telling_stems(const Xapian::Database& db) {
    const Xapian::doccount docs = db.get_doccount();
    std::unordered_set<std::string> stems;
    for (auto t = db.allterms_begin("Z"); t != db.allterms_end("Z"); ++t) {
        const std::string& term = *t;
        if (is_stem(term) && is_telling(t.get_termfreq(), docs)) stems.insert(term);
    }
    return stems;
}

class content_terms : public Xapian::ExpandDecider {
  public:
    explicit content_terms(const std::unordered_set<std::string>& stems) : stems_(stems) {}
    bool operator()(const std::string& term) const override {
        return is_stem(term) && stems_.contains(term);
    }

  private:
    const std::unordered_set<std::string>& stems_;  // shared read-only by every thread
};

// The terms that best tell this post apart, as a query.
constexpr Xapian::termcount expansion_terms = 30;

}  // namespace

std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::size_t post_count, std::size_t per_post) {
    std::vector<std::vector<std::size_t>> related(post_count);
    if (post_count < 2 || per_post == 0) return related;
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    // One database per worker (Xapian objects are not thread-safe); worker t takes every
    // threads-th post, and each post writes only its own slot.
    try {
        const std::unordered_set<std::string> stems = telling_stems(Xapian::Database(db_path));
        parallel_for(threads, [&](std::size_t slice) {
            Xapian::Database db(db_path);
            Xapian::Enquire enquire(db);
            const content_terms decider(stems);
            for (std::size_t i = slice; i < post_count; i += threads) {
                const auto docid = static_cast<Xapian::docid>(i + 1);
                Xapian::RSet rset;
                rset.add_document(docid);
                // Without INCLUDE_QUERY_TERMS, get_eset leaves out the terms of the query still
                // set from the previous post, and the answer would depend on which post this
                // thread did before.
                const Xapian::ESet eset = enquire.get_eset(
                    expansion_terms, rset, Xapian::Enquire::INCLUDE_QUERY_TERMS, &decider);
                if (eset.empty()) continue;
                enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, eset.begin(), eset.end()));
                const Xapian::MSet mset =
                    enquire.get_mset(0, static_cast<Xapian::doccount>(per_post + 4));
                for (auto it = mset.begin(); it != mset.end(); ++it) {
                    // Documents after the posts are static pages: never a related post.
                    if (*it == docid || *it > post_count) continue;
                    if (related[i].size() == per_post) break;
                    related[i].push_back(static_cast<std::size_t>(*it) - 1);
                }
            }
        });
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("related posts: " + e.get_description());
    }
    return related;
}

}  // namespace kade::indexer
