#include "indexer/search/related.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

#include <xapian.h>

#include "indexer/parallel.hpp"

namespace kade::indexer {
namespace {

// Relevance feedback on one post, as Xapian's get_eset and get_mset do it with their default
// weights (TradEWeight with k = 1 for the terms, BM25 with k1 = 1, b = 0.5 for the posts), but
// over arrays read once from the database: asking Xapian per post cost a B-tree look-up per
// term of the post and per posting list of the query, most of the phase (bench/results).

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

// The terms that best tell this post apart, as a query.
constexpr std::size_t expansion_terms = 30;

// log(num / denom) > 0 whenever a term can be an expansion term.
constexpr double no_expansion = -1;

// One occurrence: of a term in a document (`id` is the document's index, docid - 1) in a
// term's list, or of a document's term (`id` is the term's index) in a document's list.
struct occurrence {
    std::uint32_t id;
    std::uint32_t wdf;
};

// The telling stems of the database with their posting lists, and every document's telling
// stems, each as one array sliced by offsets. Term indexes follow the terms' byte order.
struct telling_index {
    double docs = 0;   // every document: posts and static pages
    double avlen = 0;  // average document length
    std::vector<double> doclen;
    // BM25's length part of each document (k1 = 1, b = 0.5): max(doclen / avlen, 0.5) * b +
    // (1 - b).
    std::vector<double> bm25_length;
    std::vector<double> termfreq;
    // TradEWeight's log part of each term, which depends on its frequency alone:
    // no_expansion when the term cannot be an expansion term.
    std::vector<double> expansion_log;
    std::vector<std::size_t> term_begin;  // term t's documents: by_term[term_begin[t] … t+1)
    std::vector<occurrence> by_term;
    // What each occurrence of by_term adds to its document's BM25 score when its term is in a
    // query (weigh_occurrences): it depends on the term and the document alone, so it is worked
    // out once, not for every query that has the term.
    std::vector<double> contribution;
    std::vector<std::size_t> doc_begin;  // document d's terms: by_doc[doc_begin[d] … d+1)
    std::vector<occurrence> by_doc;
};

// One run of terms per core, each with about as many occurrences as the others: worker w takes
// terms [runs[w], runs[w + 1]).
std::vector<std::size_t> term_runs(const telling_index& x) {
    const std::size_t workers = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t terms = x.termfreq.size();
    const std::size_t occurrences = x.term_begin.back();
    std::vector<std::size_t> first_term(workers + 1, terms);
    for (std::size_t w = 0, t = 0; w < workers; ++w) {
        first_term[w] = t;
        while (t < terms && x.term_begin[t] < occurrences * (w + 1) / workers) ++t;
    }
    return first_term;
}

telling_index read_index(const std::string& db_path) {
    telling_index x;
    const Xapian::Database db(db_path);
    const Xapian::doccount docs = db.get_doccount();
    const Xapian::docid last = db.get_lastdocid();
    x.docs = docs;
    x.avlen = db.get_avlength();
    x.doclen.assign(last, 0.0);
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d)
        x.doclen[*d - 1] = static_cast<double>(d.get_doclength());
    x.bm25_length.resize(last);
    for (std::size_t d = 0; x.avlen > 0 && d < last; ++d)
        x.bm25_length[d] = std::max(x.doclen[d] / x.avlen, 0.5) * 0.5 + 0.5;
    // The terms first, so the occurrences are allocated once (at 100,000 posts they are
    // hundreds of megabytes, and a growing vector would briefly hold twice that).
    std::vector<std::string> terms;
    for (auto t = db.allterms_begin("Z"); t != db.allterms_end("Z"); ++t) {
        if (!is_stem(*t) || !is_telling(t.get_termfreq(), docs)) continue;
        terms.push_back(*t);
        x.termfreq.push_back(t.get_termfreq());
    }
    for (const double tf : x.termfreq) {
        // With one relevant document that has the term: r = R = 1.
        const double num = 1.5 * (x.docs - tf + 0.5);
        const double denom = (tf - 0.5) * 0.5;
        x.expansion_log.push_back(num <= denom ? no_expansion : std::log(num / denom));
    }
    std::size_t occurrences = 0;
    for (const double freq : x.termfreq) {
        x.term_begin.push_back(occurrences);
        occurrences += static_cast<std::size_t>(freq);
    }
    x.term_begin.push_back(occurrences);
    x.by_term.resize(occurrences);
    // The posting lists on every core, each worker with its own database (Xapian's are not
    // shared between threads) and a run of terms with about as many occurrences as the others';
    // each fills only its own terms' slots. Reading them was half of the phase at 10,000 posts.
    const std::vector<std::size_t> first_term = term_runs(x);
    parallel_for(first_term.size() - 1, [&](std::size_t w) {
        const Xapian::Database own(db_path);
        for (std::size_t t = first_term[w]; t < first_term[w + 1]; ++t) {
            std::size_t k = x.term_begin[t];
            for (auto p = own.postlist_begin(terms[t]); p != own.postlist_end(terms[t]); ++p) {
                if (k == x.term_begin[t + 1])
                    throw std::runtime_error("related posts: " + terms[t] +
                                             " has more documents "
                                             "than its term frequency");
                x.by_term[k++] = {*p - 1, p.get_wdf()};
            }
            if (k != x.term_begin[t + 1])
                throw std::runtime_error("related posts: " + terms[t] +
                                         " has fewer documents than its term frequency");
        }
    });
    std::vector<std::size_t> terms_of_doc(last + 1, 0);
    for (const occurrence& o : x.by_term) ++terms_of_doc[o.id + 1];
    // The same occurrences by document: a counting sort, so each document's terms stay in term
    // order.
    x.doc_begin.assign(last + 1, 0);
    for (Xapian::docid d = 1; d <= last; ++d) x.doc_begin[d] = x.doc_begin[d - 1] + terms_of_doc[d];
    x.by_doc.resize(x.by_term.size());
    std::vector<std::size_t> fill(x.doc_begin.begin(), x.doc_begin.end() - 1);
    for (std::uint32_t t = 0; t + 1 < x.term_begin.size(); ++t)
        for (std::size_t k = x.term_begin[t]; k < x.term_begin[t + 1]; ++k)
            x.by_doc[fill[x.by_term[k].id]++] = {t, x.by_term[k].wdf};
    return x;
}

// Fills x.contribution: BM25 as Xapian's defaults weigh a posting (k1 = 1, k2 = 0, k3 = 1,
// b = 0.5), by the expression each query used to evaluate per posting, so every score is the
// same sum as when it did (and the lists the same).
void weigh_occurrences(telling_index& x) {
    x.contribution.resize(x.by_term.size());
    const std::vector<std::size_t> first_term = term_runs(x);
    parallel_for(first_term.size() - 1, [&](std::size_t w) {
        for (std::size_t t = first_term[w]; t < first_term[w + 1]; ++t) {
            const double tf = x.termfreq[t];
            double idf = (x.docs - tf + 0.5) / (tf + 0.5);
            if (idf < 2) idf = idf * 0.5 + 1;  // as Xapian: never a negative weight
            const double termweight = 2.0 * std::log(idf);
            for (std::size_t k = x.term_begin[t]; k < x.term_begin[t + 1]; ++k) {
                const double wdf = x.by_term[k].wdf;
                x.contribution[k] = termweight * wdf / (x.bm25_length[x.by_term[k].id] + wdf);
            }
        }
    });
}

struct weighted {
    std::uint32_t id;
    double weight;
};

// Documents, heaviest first; equal weights the newer post first: the higher docid, as the
// server's Enquire ranks them (kade-index numbers the posts oldest first).
bool heavier(const weighted& a, const weighted& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id > b.id;
}

// The expansion terms of document `d` with a relevance set of that one document: TradEWeight,
// the weight Xapian's ESet uses by default (wdf 0, a compound part, counts as 1), chosen as
// Xapian chooses them, so equal weights at the cut end the same way: the terms come in byte
// order, a term must weigh more than the lightest kept once the set is full, and among equal
// weights the one later in byte order stays.
std::vector<weighted> expansion_of(const telling_index& x, std::uint32_t d) {
    const auto worse = [](const weighted& a, const weighted& b) {
        return a.weight != b.weight ? a.weight > b.weight : a.id > b.id;
    };  // as a heap order: the front is the term to drop first
    std::vector<weighted> terms;
    double floor = 0;  // a weight must be above this to enter
    bool heap = false;
    const double length = x.doclen[d] / x.avlen;
    for (std::size_t k = x.doc_begin[d]; k < x.doc_begin[d + 1]; ++k) {
        const occurrence& o = x.by_doc[k];
        const double wdf = std::max<double>(o.wdf, 1.0);
        const double term_log = x.expansion_log[o.id];
        if (term_log == no_expansion) continue;
        const double weight = 2.0 * wdf / (length + wdf) * term_log;
        if (weight <= floor) continue;
        terms.push_back({o.id, weight});
        if (terms.size() <= expansion_terms) continue;
        if (!heap) {
            std::make_heap(terms.begin(), terms.end(), worse);
            heap = true;
        } else {
            std::push_heap(terms.begin(), terms.end(), worse);
        }
        std::pop_heap(terms.begin(), terms.end(), worse);
        terms.pop_back();
        floor = terms.front().weight;
    }
    return terms;
}

// A document's score for one query; below 0 (unseen) until the query reaches it
// (contributions are >= 0, so the first one is added to 0).
constexpr double unseen = -1;

// Scores every document that has one of `terms` with BM25 (Xapian's defaults: k1 = 1, k2 = 0,
// k3 = 1, b = 0.5, normalised length at least 0.5) and returns the best `count`, heaviest
// first, ties by docid as Enquire breaks them. `scores` is every document unseen on entry and
// on return.
std::vector<weighted> best_matches(const telling_index& x, std::span<const std::uint32_t> terms,
                                   std::size_t count, std::vector<double>& scores) {
    std::vector<std::uint32_t> matched;
    // Plain pointers: through the vectors the compiler reloads their data at every posting, as
    // a store to a score might change them.
    const occurrence* const postings = x.by_term.data();
    const double* const contribution = x.contribution.data();
    double* const score_of = scores.data();
    for (const std::uint32_t t : terms) {
        const std::size_t end = x.term_begin[t + 1];
        for (std::size_t k = x.term_begin[t]; k < end; ++k) {
            const std::uint32_t d = postings[k].id;
            double score = score_of[d];
            if (score < 0) {
                score = 0;
                matched.push_back(d);
            }
            score_of[d] = score + contribution[k];
        }
    }
    // The best `count` as they pass, in a heap whose front is the lightest kept: most of the
    // thousands matched are lighter than it and cost one comparison.
    std::vector<weighted> best;
    best.reserve(count);
    for (const std::uint32_t d : matched) {
        const weighted w{d, scores[d]};
        scores[d] = unseen;
        if (best.size() < count) {
            best.push_back(w);
            std::push_heap(best.begin(), best.end(), heavier);
        } else if (count > 0 && heavier(w, best.front())) {
            std::pop_heap(best.begin(), best.end(), heavier);
            best.back() = w;
            std::push_heap(best.begin(), best.end(), heavier);
        }
    }
    std::sort_heap(best.begin(), best.end(), heavier);
    return best;
}

}  // namespace

std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::span<const unsigned> docids,
                                                    std::size_t per_post) {
    const std::size_t post_count = docids.size();
    std::vector<std::vector<std::size_t>> related(post_count);
    if (post_count < 2 || per_post == 0) return related;
    telling_index x;
    try {
        x = read_index(db_path);
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("related posts: " + e.get_description());
    }
    if (x.avlen <= 0) return related;
    // Document index (docid - 1) → post index; static pages and gaps are no post.
    constexpr std::size_t no_post = SIZE_MAX;
    std::vector<std::size_t> post_of(x.doclen.size(), no_post);
    for (std::size_t i = 0; i < post_count; ++i) {
        if (docids[i] == 0 || docids[i] > x.doclen.size())
            throw std::runtime_error("related posts: no document " + std::to_string(docids[i]));
        post_of[docids[i] - 1] = i;
    }
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    // Every post's expansion terms first (in the order expansion_of gives them: the scores are
    // summed in it), so the occurrences by document can go before the contributions come: at
    // 100,000 posts each array is about 280 MB. Worker t takes every threads-th post, and each
    // post writes only its own slot.
    std::vector<std::vector<std::uint32_t>> expansion(post_count);
    parallel_for(threads, [&](std::size_t slice) {
        for (std::size_t i = slice; i < post_count; i += threads)
            for (const weighted& t : expansion_of(x, static_cast<std::uint32_t>(docids[i] - 1)))
                expansion[i].push_back(t.id);
    });
    std::vector<occurrence>().swap(x.by_doc);
    std::vector<std::size_t>().swap(x.doc_begin);
    weigh_occurrences(x);
    parallel_for(threads, [&](std::size_t slice) {
        std::vector<double> scores(x.doclen.size(), unseen);
        for (std::size_t i = slice; i < post_count; i += threads) {
            const auto self = static_cast<std::uint32_t>(docids[i] - 1);
            if (expansion[i].empty()) continue;
            for (const weighted& m : best_matches(x, expansion[i], per_post + 4, scores)) {
                const std::size_t other = post_of[m.id];
                if (m.id == self || other == no_post) continue;
                if (related[i].size() == per_post) break;
                related[i].push_back(other);
            }
        }
    });
    return related;
}

std::vector<std::vector<std::size_t>> related_posts(const std::string& db_path,
                                                    std::size_t post_count, std::size_t per_post) {
    std::vector<unsigned> docids(post_count);
    for (std::size_t i = 0; i < post_count; ++i) docids[i] = static_cast<unsigned>(post_count - i);
    return related_posts(db_path, docids, per_post);
}

}  // namespace kade::indexer
