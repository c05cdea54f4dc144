#pragma once
// Search over the database inside a loaded bundle. Xapian objects are not thread-safe, so each
// worker thread owns one searcher per bundle generation.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/bundle_reader.hpp"
#include "server/search/cache.hpp"
#include "server/search/facets.hpp"
#include "server/search/query.hpp"

namespace kade::search {

struct search_request {
    std::string query;
    int page = 1;  // from 1
    int per_page = 10;
    bool sort_by_date = false;
    std::string label;  // "" for all
    bool prefix = false;
};

struct search_hit {
    std::string url, title, date;
    std::vector<std::string> labels;
    std::string snippet;  // HTML
    std::string anchor;   // id of the heading above the snippet's passage; "" when none
};

// Matches per label and per year, most first (labels as written; years "2014", newest first).
// Exact when the query matches at most `facet_check_limit` posts; beyond that the counts over
// the posts examined are scaled up to the estimated total, as Xapian's matcher samples them.
struct search_facets {
    std::vector<std::pair<std::string, std::uint64_t>> labels;
    std::vector<std::pair<std::string, std::uint64_t>> years;
};

struct search_result {
    std::uint64_t total = 0;  // estimated matches (exact for small result sets)
    std::vector<search_hit> hits;
    std::string suggestion;  // "" when none
    // How the query was widened because it found nothing as typed: "" (not), "or" (any word
    // instead of all), "suggestion" (the suggestion was searched instead; see `suggestion`).
    std::string fallback;
    search_facets facets;
    bool cached = false;
    // A shard was down: these are the results of the others ("partial": true in JSON).
    bool partial = false;
    // The time budget ran out (searcher::set_time_budget): these are the results found by then
    // ("timed_out": true in JSON): facet counts and the total may be estimates, and the passes
    // not yet run (the OR fallback, the suggestion) were left out.
    bool timed_out = false;
    double took_ms = 0;
};

// [search] shards: where each shard lives, in shard order, and how long to wait for them.
struct shard_options {
    std::vector<std::string> where;  // "local" (the bundle's shard k) or "HOST:PORT"
    int timeout_ms = 1000;
    int retry_ms = 1000;
    int retry_max_ms = 30000;
};

// Facet counts are exact up to this many matches and estimates beyond (Xapian's MatchSpy sees
// only the documents the matcher examines; examining every match of a common word in 100,000
// posts would cost the latency budget: at 10,000 posts a limit of 5,000 cost 0.5 ms at p50; at
// 100,000 posts going from 1,000 to 200 took p50 from 2.54 to 1.84 ms, p99 4.42 to 4.15 ms).
inline constexpr unsigned facet_check_limit = 200;

// The result cache's key: the same request spelled differently is one entry.
std::string result_cache_key(const search_request& r, const dutch::analysis_options& options);

class searcher {
  public:
    // Opens the bundle's database from its own descriptor. Throws std::runtime_error.
    // `cache_entries` results are kept in an LRU (0: no cache).
    explicit searcher(const bundle::loaded_bundle& bundle, std::size_t cache_entries = 0);
    // Searches the shards combined (Xapian's multi-database) instead of the whole database,
    // which still supplies what the remote backend lacks: spelling suggestions, the analysis
    // options and term lookups for the query. A remote shard that is down is left out (results
    // marked partial) and reconnected after retry_ms, doubling to retry_max_ms while it stays
    // down. Throws std::runtime_error when a "local" shard is not in the bundle.
    searcher(const bundle::loaded_bundle& bundle, std::size_t cache_entries,
             const shard_options& shards);
    // The same over an open database (tests and bench/search_quality).
    explicit searcher(const Xapian::Database& db, std::size_t cache_entries = 0);
    search_result run(const search_request& request);

    // Time for one run across all its passes (AND, the OR fallback, the suggestion); zero: no
    // limit. Within a pass Xapian stops checking matches beyond the first page once the time is
    // up (Enquire::set_time_limit turns check_at_least off); a pass that has begun is not cut
    // short. Passes not begun by then are skipped and the result says timed_out.
    void set_time_budget(std::chrono::microseconds budget) { budget_ = budget; }

    const dutch::analysis_options& options() const { return builder_.options(); }

    // Shards that are down right now (0 without shards).
    std::size_t shards_down() const;

  private:
    struct shard {
        std::string host;  // "" for a shard in the bundle
        unsigned port = 0;
        std::optional<Xapian::Database> db;  // nullopt while down
        std::chrono::steady_clock::time_point retry_at{};
        int backoff_ms = 0;
    };

    search_result run_uncached(const search_request& request);
    // True (and result.timed_out set) when the budget of this run is spent.
    bool out_of_time(search_result& result) const;
    bool execute(const search_request& request, const parsed_query& parsed, search_result& result);
    bool execute_once(const search_request& request, const parsed_query& parsed,
                      search_result& result);
    // Reconnects shards whose wait is over; rebuilds search_db_ when any came back.
    void refresh_shards();
    void connect(shard& s, std::chrono::steady_clock::time_point now);
    void rebuild();

    const bundle::bundle_view* texts_ = nullptr;  // posts' texts ("!text" entries), if any
    Xapian::Database db_;         // the whole database: spelling, metadata, query terms
    Xapian::Database search_db_;  // what is searched: db_, or the shards that are up
    std::vector<shard> shards_;
    shard_options shard_options_;
    query_builder builder_;
    Xapian::Stem stem_;
    lru_cache<search_result> cache_;
    // Labels and years by docid of db_, for the facets; unset with shards (xapian-tcpsrv runs
    // only the spies it knows, and a multi-database renumbers the documents).
    std::optional<facet_table> facets_;
    // How docid order follows site order (search_document::docid_order_key), if it does.
    std::optional<Xapian::Enquire::docid_order> site_order_;
    std::chrono::microseconds budget_{0};
    std::chrono::steady_clock::time_point deadline_{};  // of the run under way
};

}  // namespace kade::search
