// In-process search latency for bench/run: opens a bundle, runs a query log (one query a line)
// through kade::search::searcher::run — the same call the server makes, snippets included —
// and prints one JSON object per pass with the latency percentiles in milliseconds.
//
//   kade-bench-search BUNDLE QUERY_FILE [PASSES]
//
// Pass 1 runs on a freshly opened database ("cold": Xapian's block and term caches empty; the
// bundle itself is in memory, as in the server). Later passes repeat the same log ("warm").
// The ten slowest queries of each pass go to stderr, with their match counts and fallbacks.
// A last line, "pass": "raw", times the peer: Xapian's matcher alone, get_mset(0, 10) on each
// query as the searcher parses it (no facets, no tie-break, no snippets, no fallbacks), so the
// searcher's cost over the matcher is one ratio of two figures from the same run.
// Two last lines, "paired-searcher" and "paired-raw", time both on each query in turn (the
// searcher, then the matcher on the same query), so a machine that slows down or speeds up
// during the run moves both alike: their ratio is the searcher's cost over the matcher.
// A line "snippets" times what the searcher adds per hit on each query's top ten: the
// document's data, the post's text from the bundle (decompressed) and the snippet.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "common/bundle_reader.hpp"
#include "common/search_document.hpp"
#include "server/search/post_text.hpp"
#include "server/search/query.hpp"
#include "server/search/searcher.hpp"
#include "server/search/snippet.hpp"

namespace {

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)];
}

double since_ms(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void print_pass(const char* pass, std::vector<double> ms, double open_ms, std::uint64_t hits,
                std::uint64_t empty) {
    double sum = 0;
    for (double v : ms) sum += v;
    std::sort(ms.begin(), ms.end());
    std::printf(
        "{\"pass\": %s, \"queries\": %zu, \"open_ms\": %.2f, \"mean_ms\": %.4f, "
        "\"p50_ms\": %.4f, \"p90_ms\": %.4f, \"p99_ms\": %.4f, \"p999_ms\": %.4f, "
        "\"max_ms\": %.4f, \"hits\": %llu, \"empty\": %llu}\n",
        pass, ms.size(), open_ms, ms.empty() ? 0 : sum / static_cast<double>(ms.size()),
        percentile(ms, 0.5), percentile(ms, 0.9), percentile(ms, 0.99), percentile(ms, 0.999),
        ms.empty() ? 0 : ms.back(), static_cast<unsigned long long>(hits),
        static_cast<unsigned long long>(empty));
    std::fflush(stdout);
}

// One query through the matcher alone, as the searcher parses it (AND, the first pass): its
// time goes to `ms`, its hits to `hits` and `empty`.
void time_matcher(const Xapian::Database& db, kade::search::query_builder& builder,
                  const std::string& q, std::vector<double>& ms, std::uint64_t& hits,
                  std::uint64_t& empty) {
    const Xapian::Query query = builder.parse(q, false).query;
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const auto t0 = std::chrono::steady_clock::now();
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    ms.push_back(since_ms(t0));
    hits += mset.size();
    empty += mset.empty() ? 1 : 0;
}

// One query through searcher::run, as the server calls it: its time goes to `ms`, its hits to
// `hits` and `empty`.
kade::search::search_result time_searcher(kade::search::searcher& searcher, const std::string& q,
                                          std::vector<double>& ms, std::uint64_t& hits,
                                          std::uint64_t& empty) {
    kade::search::search_request r;
    r.query = q;
    const auto t0 = std::chrono::steady_clock::now();
    kade::search::search_result result = searcher.run(r);
    ms.push_back(since_ms(t0));
    hits += result.hits.size();
    empty += result.hits.empty() ? 1 : 0;
    return result;
}

// The matcher alone on every query.
void raw_pass(const kade::bundle::loaded_bundle& bundle, const std::vector<std::string>& queries) {
    const Xapian::Database db(bundle.open_search_fd());
    kade::search::query_builder builder(db);
    std::vector<double> ms;
    std::uint64_t hits = 0, empty = 0;
    for (int round = 0; round < 2; ++round) {  // the first warms Xapian as the passes above did
        ms.clear();
        hits = empty = 0;
        for (const auto& q : queries) time_matcher(db, builder, q, ms, hits, empty);
    }
    print_pass("\"raw\"", std::move(ms), 0, hits, empty);
}

// The searcher's work per hit on the matcher's top ten of each query (see the top of the file).
void snippet_pass(const kade::bundle::loaded_bundle& bundle,
                  const std::vector<std::string>& queries) {
    const Xapian::Database db(bundle.open_search_fd());
    kade::search::query_builder builder(db);
    const Xapian::Stem stem = builder.make_stemmer();
    std::vector<double> ms;
    std::uint64_t hits = 0, empty = 0;
    std::size_t bytes = 0;  // of the snippets, so the work cannot be left out
    for (const auto& q : queries) {
        const kade::search::parsed_query parsed = builder.parse(q, false);
        Xapian::Enquire enquire(db);
        enquire.set_query(parsed.query);
        const Xapian::MSet mset = enquire.get_mset(0, 10);
        const auto t0 = std::chrono::steady_clock::now();
        kade::search::snippet_maker snippets(parsed.terms, stem);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const std::string data = it.get_document().get_data();
            kade::search_document::fields f;
            if (!kade::search_document::decode(data, f)) continue;
            const kade::search::post_text text(bundle.view(), f.url);
            bytes += snippets.make(text.text()).size();
        }
        ms.push_back(since_ms(t0));
        hits += mset.size();
        empty += mset.empty() ? 1 : 0;
    }
    print_pass("\"snippets\"", std::move(ms), 0, hits, empty);
    if (bytes == 0 && hits > 0) std::fprintf(stderr, "kade-bench-search: no snippet text\n");
}

// The searcher and the matcher on each query in turn (see the top of the file).
void paired_pass(const kade::bundle::loaded_bundle& bundle, kade::search::searcher& searcher,
                 const std::vector<std::string>& queries) {
    const Xapian::Database db(bundle.open_search_fd());
    kade::search::query_builder builder(db);
    std::vector<double> ours, raw;
    std::uint64_t hits = 0, empty = 0, raw_hits = 0, raw_empty = 0;
    for (const auto& q : queries) {
        time_searcher(searcher, q, ours, hits, empty);
        time_matcher(db, builder, q, raw, raw_hits, raw_empty);
    }
    print_pass("\"paired-searcher\"", std::move(ours), 0, hits, empty);
    print_pass("\"paired-raw\"", std::move(raw), 0, raw_hits, raw_empty);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: kade-bench-search BUNDLE QUERY_FILE [PASSES]\n");
        return 2;
    }
    try {
        const auto load_start = std::chrono::steady_clock::now();
        const auto bundle = kade::bundle::loaded_bundle::load(argv[1]);
        kade::search::searcher searcher(*bundle);
        const double open_ms = since_ms(load_start);
        std::vector<std::string> queries;
        std::ifstream in(argv[2]);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) queries.push_back(line);
        const int passes = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
        for (int pass = 1; pass <= passes; ++pass) {
            std::vector<double> ms;
            ms.reserve(queries.size());
            std::vector<std::pair<double, std::string>> slowest;  // what the tail is made of
            std::uint64_t hits = 0, empty = 0;
            for (const auto& q : queries) {
                const auto result = time_searcher(searcher, q, ms, hits, empty);
                slowest.emplace_back(
                    ms.back(), q + " [" + std::to_string(result.total) + " matches" +
                                   (result.fallback.empty() ? "" : ", ") + result.fallback + "]");
            }
            print_pass(std::to_string(pass).c_str(), std::move(ms), open_ms, hits, empty);
            std::sort(slowest.rbegin(), slowest.rend());
            for (std::size_t i = 0; i < std::min<std::size_t>(10, slowest.size()); ++i)
                std::fprintf(stderr, "slow %.3f ms: %s\n", slowest[i].first,
                             slowest[i].second.c_str());
        }
        raw_pass(*bundle, queries);
        paired_pass(*bundle, searcher, queries);
        snippet_pass(*bundle, queries);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kade-bench-search: %s\n", e.what());
        return 1;
    }
    return 0;
}
