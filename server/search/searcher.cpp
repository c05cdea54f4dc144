#include "server/search/searcher.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>

#include "common/dutch.hpp"
#include "common/search_document.hpp"
#include "server/search/post_text.hpp"

namespace kade::search {
namespace {

// The docid order that is site order, as the database's metadata says; none when it says
// nothing (ties then break by the date value).
std::optional<Xapian::Enquire::docid_order> site_order(const Xapian::Database& db) {
    const std::string order = db.get_metadata(std::string(search_document::docid_order_key));
    if (order == search_document::docid_order_site_reversed) return Xapian::Enquire::DESCENDING;
    if (order == search_document::docid_order_site) return Xapian::Enquire::ASCENDING;
    return std::nullopt;
}

Xapian::Database open_database(const bundle::loaded_bundle& bundle) {
    try {
        return Xapian::Database(bundle.open_search_fd());
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("cannot open the search database: " + e.get_description());
    }
}

// Label counts from a ValueCountMatchSpy over the multi-valued labels slot (values separated by
// '\x1f'): it counts whole values, so each distinct set of labels is split here. A spy of our
// own could split while matching, but xapian-tcpsrv runs only the spies it knows.
std::map<std::string, std::uint64_t> label_counts(const Xapian::ValueCountMatchSpy& spy) {
    std::map<std::string, std::uint64_t> counts;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string value = *it;
        std::string_view v = value;
        while (!v.empty()) {
            const auto sep = v.find('\x1f');
            counts[std::string(v.substr(0, sep))] += it.get_termfreq();
            if (sep == std::string_view::npos) break;
            v.remove_prefix(sep + 1);
        }
    }
    return counts;
}

// Most first, then by name (years: newest first).
std::vector<std::pair<std::string, std::uint64_t>> ranked(
    std::vector<std::pair<std::string, std::uint64_t>> v, bool newest_first) {
    std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
        if (newest_first) return a.first > b.first;
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
    });
    return v;
}

}  // namespace

std::string result_cache_key(const search_request& r, const dutch::analysis_options& options) {
    // Fixed order of the parameters, so the same request spelled differently is one entry.
    std::string key = normalise_query(r.query, options);
    key += '\x1f';
    key += std::to_string(r.page) + '\x1f' + std::to_string(r.per_page) + '\x1f' +
           (r.sort_by_date ? "d" : "r") + (r.prefix ? "p" : "w") + '\x1f' + dutch::fold(r.label);
    return key;
}

searcher::searcher(const bundle::loaded_bundle& bundle, std::size_t cache_entries)
    : searcher(open_database(bundle), cache_entries) {
    texts_ = &bundle.view();
}

searcher::searcher(const Xapian::Database& db, std::size_t cache_entries)
    : db_(db),
      search_db_(db),
      builder_(db_),
      stem_(builder_.make_stemmer()),
      cache_(cache_entries),
      facets_(std::in_place, db_),
      site_order_(site_order(db_)) {}

searcher::searcher(const bundle::loaded_bundle& bundle, std::size_t cache_entries,
                   const shard_options& shards)
    : searcher(open_database(bundle), cache_entries) {
    texts_ = &bundle.view();
    if (shards.where.empty()) return;
    facets_.reset();
    shard_options_ = shards;
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < shards.where.size(); ++k) {
        const std::string& where = shards.where[k];
        shard s;
        if (where == "local") {
            if (k >= bundle.view().shards().size())
                throw std::runtime_error("search shard " + std::to_string(k) +
                                         " is \"local\" but the bundle has " +
                                         std::to_string(bundle.view().shards().size()) +
                                         " shards (kade-index --shards N)");
            try {
                s.db = Xapian::Database(bundle.open_shard_fd(k));
            } catch (const Xapian::Error& e) {
                throw std::runtime_error("cannot open search shard " + std::to_string(k) + ": " +
                                         e.get_description());
            }
        } else {
            const auto colon = where.rfind(':');
            if (colon == std::string::npos) throw std::runtime_error("bad shard " + where);
            s.host = where.substr(0, colon);
            s.port = static_cast<unsigned>(std::stoul(where.substr(colon + 1)));
            connect(s, now);
        }
        shards_.push_back(std::move(s));
    }
    rebuild();
}

void searcher::connect(shard& s, std::chrono::steady_clock::time_point now) {
    try {
        const auto t = static_cast<useconds_t>(shard_options_.timeout_ms);
        // Xapian 1.4 takes these in milliseconds, whatever the type says.
        s.db = Xapian::Remote::open(s.host, s.port, t, t);
        s.backoff_ms = 0;
    } catch (const Xapian::Error&) {
        s.db.reset();
        s.backoff_ms = s.backoff_ms == 0 ? shard_options_.retry_ms
                                         : std::min(2 * s.backoff_ms, shard_options_.retry_max_ms);
        s.retry_at = now + std::chrono::milliseconds(s.backoff_ms);
    }
}

void searcher::rebuild() {
    // Shards in order, so with all of them up docids (and so ties) are the whole database's.
    Xapian::Database combined;
    for (const auto& s : shards_)
        if (s.db) combined.add_database(*s.db);
    search_db_ = combined;
}

void searcher::refresh_shards() {
    if (shards_.empty()) return;
    const auto now = std::chrono::steady_clock::now();
    bool changed = false;
    for (auto& s : shards_)
        if (!s.db && now >= s.retry_at) {
            connect(s, now);
            changed |= s.db.has_value();
        }
    if (changed) rebuild();
}

std::size_t searcher::shards_down() const {
    std::size_t n = 0;
    for (const auto& s : shards_) n += s.db ? 0 : 1;
    return n;
}

search_result searcher::run(const search_request& request) {
    const auto start = std::chrono::steady_clock::now();
    refresh_shards();
    search_result result;
    if (cache_.capacity() == 0) {
        result = run_uncached(request);
    } else {
        const std::string key = result_cache_key(request, builder_.options());
        if (const search_result* hit = cache_.find(key)) {
            result = *hit;
            result.cached = true;
        } else {
            result = run_uncached(request);
            // Partial results would outlive the shard's recovery.
            if (!result.partial) cache_.put(key, result);
        }
    }
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
}

bool searcher::out_of_time(search_result& result) const {
    if (budget_.count() > 0 && std::chrono::steady_clock::now() >= deadline_)
        result.timed_out = true;
    return result.timed_out;
}

search_result searcher::run_uncached(const search_request& request) {
    deadline_ = std::chrono::steady_clock::now() + budget_;
    search_result result;
    parsed_query parsed = builder_.parse(request.query, request.prefix);
    result.suggestion = parsed.suggestion;
    if (execute(request, parsed, result) || out_of_time(result)) return result;
    // Nothing for all words: any of them, ranked by how many match (BM25 does that).
    parsed_query widened = builder_.parse(request.query, request.prefix, true);
    if (widened.query.serialise() != parsed.query.serialise() &&
        execute(request, widened, result)) {
        result.fallback = "or";
        return result;
    }
    if (out_of_time(result)) return result;
    // Still nothing: the spelling suggestion, when it finds something.
    if (!parsed.suggestion.empty()) {
        parsed_query suggested = builder_.parse(parsed.suggestion, request.prefix);
        if (execute(request, suggested, result)) {
            result.fallback = "suggestion";
            return result;
        }
    }
    return result;
}

bool searcher::execute(const search_request& request, const parsed_query& parsed,
                       search_result& result) {
    result.partial = shards_down() > 0;
    if (shards_.empty()) return execute_once(request, parsed, result);
    try {
        return execute_once(request, parsed, result);
    } catch (const Xapian::Error&) {
        // A remote shard failed (down, or slower than its timeout) and Xapian does not say
        // which: reconnect each remote shard once, leave out the ones that do not answer, and
        // search again. The ones left out are retried after their backoff.
        const auto now = std::chrono::steady_clock::now();
        for (auto& s : shards_)
            if (!s.host.empty()) connect(s, now);
        rebuild();
        result.partial = shards_down() > 0;
        return execute_once(request, parsed, result);
    }
}

bool searcher::execute_once(const search_request& request, const parsed_query& parsed,
                            search_result& result) {
    Xapian::Query query = parsed.query;
    if (!request.label.empty())
        query = Xapian::Query(
            Xapian::Query::OP_FILTER, query,
            Xapian::Query(std::string(search_document::label_prefix) + dutch::fold(request.label)));

    Xapian::Enquire enquire(search_db_);
    enquire.set_query(query);
    if (request.sort_by_date) {
        enquire.set_sort_by_value_then_relevance(search_document::date_slot, true);
    } else if (site_order_) {
        // Relevance first; among equal scores the newer post, then the URL: docid order, as
        // kade-index numbers the posts (shards interleave them without reordering). Reading
        // each match's date to break ties cost 12 % of the matcher at 100,000 posts.
        enquire.set_docid_order(*site_order_);
    } else {
        // A database numbered otherwise: the date value breaks ties.
        enquire.set_sort_by_relevance_then_value(search_document::date_slot, true);
    }
    if (budget_.count() > 0) {
        // What is left of the run's budget (at least a millisecond: 0 would mean no limit).
        const auto left =
            std::chrono::duration<double>(deadline_ - std::chrono::steady_clock::now());
        enquire.set_time_limit(std::max(left.count(), 0.001));
    }
    Xapian::ValueCountMatchSpy label_spy(search_document::labels_slot);
    Xapian::ValueCountMatchSpy year_spy(search_document::year_slot);
    std::optional<facet_spy> spy;
    if (facets_) {
        spy.emplace(*facets_);
        enquire.add_matchspy(&*spy);
    } else {
        enquire.add_matchspy(&label_spy);
        enquire.add_matchspy(&year_spy);
    }
    const auto first = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
    const Xapian::MSet mset =
        enquire.get_mset(first, static_cast<Xapian::doccount>(request.per_page), facet_check_limit);
    out_of_time(result);
    result.total = mset.get_matches_estimated();
    result.hits.clear();
    result.facets = {};
    if (result.total == 0) return false;
    snippet_maker snippets(parsed.terms, stem_);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const std::string data = it.get_document().get_data();
        search_document::fields f;
        if (!search_document::decode(data, f)) continue;
        search_hit hit{std::string(f.url), std::string(f.title), std::string(f.date), {}, ""};
        for (auto label : search_document::split_labels(f.labels)) hit.labels.emplace_back(label);
        std::string_view text = f.text;
        std::string_view headings;
        std::optional<post_text> stored;
        if (text.empty() && texts_) {
            stored.emplace(*texts_, f.url);
            text = stored->text();
            headings = stored->headings();
        }
        std::size_t window = 0;
        hit.snippet = snippets.make(text, 30, &window);
        if (!headings.empty()) hit.anchor = search_document::heading_before(headings, window);
        result.hits.push_back(std::move(hit));
    }
    // Scaled to the estimated total when the matcher did not examine every match.
    const Xapian::doccount seen = spy ? spy->seen() : year_spy.get_total();
    const double scale = seen > 0 && seen < result.total
                             ? static_cast<double>(result.total) / static_cast<double>(seen)
                             : 1.0;
    auto scaled = [&](std::uint64_t n) {
        return scale == 1.0 ? n : static_cast<std::uint64_t>(static_cast<double>(n) * scale + 0.5);
    };
    std::vector<std::pair<std::string, std::uint64_t>> labels;
    std::vector<std::pair<std::string, std::uint64_t>> years;
    if (spy) {
        labels = spy->labels();
        years = spy->years();
    } else {
        for (const auto& [label, n] : label_counts(label_spy)) labels.emplace_back(label, n);
        for (auto it = year_spy.values_begin(); it != year_spy.values_end(); ++it)
            years.emplace_back(*it, it.get_termfreq());
    }
    for (auto& [name, n] : labels) n = scaled(n);
    for (auto& [name, n] : years) n = scaled(n);
    result.facets.labels = ranked(std::move(labels), false);
    result.facets.years = ranked(std::move(years), true);
    return true;
}

}  // namespace kade::search
