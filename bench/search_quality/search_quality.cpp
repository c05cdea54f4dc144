// Search quality on the judged set: builds the fixture corpus into a Xapian database once per
// analysis variant (the same code the indexer runs, with dutch::analysis_options switched at
// run time), runs every judged query through kade::search::searcher::run — the server's own
// call, with its AND→OR and suggestion fallbacks — and reports nDCG@10, recall@10 and MRR per
// query category, side by side.
//
//   kade-search-quality --corpus tests/search/judged/corpus.txt
//                       --judgements tests/search/judged/queries.tsv
//                       [--variants current,baseline,...] [--check] [--per-query]
//   kade-search-quality --scale CONTENT_DIR [--variants ...]
//
// --scale reads a real content folder (e.g. from bench/gen_corpus.py) through the indexer's own
// walk/parse/site steps and reports, per variant, the seconds to build the search database and
// the size of its single-file form: what compound splitting costs at scale.
//
// Variants: current (what Kade ships), baseline (plain Xapian: "dutch" stemmer, no folding, no
// compounds, no overrides), kp (current with Kraaij-Pohlmann), porter_only (current without the
// overrides), no_compounds (current without compound parts), porter_plain and kp_plain (folding
// and the stemmer alone: no overrides, no compounds).
// --check exits 1 when current scores below baseline overall on any of the three measures.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/files.hpp"
#include "indexer/content/post.hpp"
#include "indexer/content/site.hpp"
#include "indexer/content/walk.hpp"
#include "indexer/search/search_index.hpp"
#include "server/search/searcher.hpp"

namespace {

using kade::dutch::analysis_options;

struct judged_query {
    std::string category;
    std::string text;
    std::map<std::string, int> grades;  // post id → 1 (relevant) or 2 (highly relevant)
};

struct scores {
    double ndcg = 0, recall = 0, mrr = 0;
    int n = 0;
    void add(const scores& s) {
        ndcg += s.ndcg;
        recall += s.recall;
        mrr += s.mrr;
        n += s.n;
    }
};

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "kade-search-quality: %s\n", message.c_str());
    std::exit(1);
}

std::string read_or_fail(const std::string& path) {
    std::optional<std::string> bytes = kade::read_file(path);
    if (!bytes) fail("cannot read " + path);
    return std::move(*bytes);
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

// Records of "key: value" lines, a blank line, the body, then a line "%%".
kade::indexer::site read_corpus(const std::string& path) {
    kade::indexer::site s;
    std::istringstream in(read_or_fail(path));
    std::string line;
    kade::indexer::site_post p;
    bool in_body = false;
    std::string body;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line == "%%") {
            p.body.text = trim(body);
            if (p.url.empty() || p.source.title.empty() || p.source.date.year == 0)
                fail(path + ":" + std::to_string(line_no) + ": record without id, title or date");
            s.posts.push_back(std::move(p));
            p = {};
            body.clear();
            in_body = false;
            continue;
        }
        if (in_body) {
            body += line;
            body += '\n';
            continue;
        }
        if (line.empty()) {
            in_body = true;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) fail(path + ":" + std::to_string(line_no) + ": no key");
        const std::string key = line.substr(0, colon), value = trim(line.substr(colon + 1));
        if (key == "id") {
            p.url = "/" + value;
        } else if (key == "title") {
            p.source.title = value;
        } else if (key == "date") {
            int y = 0, m = 0, d = 0;
            if (std::sscanf(value.c_str(), "%d-%d-%d", &y, &m, &d) != 3)
                fail(path + ":" + std::to_string(line_no) + ": bad date");
            p.source.date.year = y;
            p.source.date.month = m;
            p.source.date.day = d;
            // Days since 1970 by the civil-from-days inverse; enough for ordering.
            const int yy = y - (m <= 2);
            const int era = (yy >= 0 ? yy : yy - 399) / 400;
            const int yoe = yy - era * 400;
            const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
            const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            p.source.date.unix_seconds =
                (static_cast<std::int64_t>(era) * 146097 + doe - 719468) * 86400;
            p.date_iso = value;
        } else if (key == "labels") {
            std::istringstream labels(value);
            for (std::string l; std::getline(labels, l, ',');)
                if (!trim(l).empty()) p.source.labels.push_back(trim(l));
        }
    }
    return s;
}

std::vector<judged_query> read_judgements(const std::string& path) {
    std::vector<judged_query> out;
    std::istringstream in(read_or_fail(path));
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::istringstream fields(line);
        for (std::string c; std::getline(fields, c, '\t');) cols.push_back(c);
        if (cols.size() != 3) fail(path + ":" + std::to_string(line_no) + ": want 3 columns");
        judged_query q{cols[0], cols[1], {}};
        std::istringstream grades(cols[2]);
        for (std::string g; grades >> g;) {
            const auto colon = g.rfind(':');
            if (colon == std::string::npos) fail(path + ":" + std::to_string(line_no) + ": " + g);
            q.grades["/" + g.substr(0, colon)] = std::atoi(g.c_str() + colon + 1);
        }
        out.push_back(std::move(q));
    }
    return out;
}

scores score(const judged_query& q, const std::vector<std::string>& ranked) {
    scores s;
    s.n = 1;
    double dcg = 0;
    int found = 0;
    for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) {
        const auto it = q.grades.find(ranked[i]);
        const int g = it == q.grades.end() ? 0 : it->second;
        if (g > 0) {
            dcg += (std::pow(2.0, g) - 1) / std::log2(static_cast<double>(i) + 2);
            ++found;
            if (s.mrr == 0) s.mrr = 1.0 / static_cast<double>(i + 1);
        }
    }
    std::vector<int> ideal;
    for (const auto& [id, g] : q.grades)
        if (g > 0) ideal.push_back(g);
    std::sort(ideal.rbegin(), ideal.rend());
    double idcg = 0;
    for (std::size_t i = 0; i < ideal.size() && i < 10; ++i)
        idcg += (std::pow(2.0, ideal[i]) - 1) / std::log2(static_cast<double>(i) + 2);
    s.ndcg = idcg > 0 ? dcg / idcg : 0;
    s.recall = ideal.empty() ? 0
                             : static_cast<double>(found) /
                                   static_cast<double>(std::min<std::size_t>(ideal.size(), 10));
    return s;
}

// "title3", "labels1", …: the current analysis with other field weights (weight tuning).
void apply_weights(const std::string& name, kade::indexer::search_index_options& options) {
    if (name.starts_with("title"))
        options.title = static_cast<unsigned>(std::atoi(name.c_str() + 5));
    if (name.starts_with("labels"))
        options.labels = static_cast<unsigned>(std::atoi(name.c_str() + 6));
}

analysis_options variant_options(const std::string& name) {
    analysis_options o;
    if (name == "current" || name.starts_with("title") || name.starts_with("labels")) return o;
    if (name == "baseline") return analysis_options::baseline();
    if (name == "kp") {
        o.stemmer = "kraaij_pohlmann";
        return o;
    }
    if (name == "porter_only") {
        o.overrides = false;
        return o;
    }
    if (name == "no_compounds") {
        o.compounds = false;
        return o;
    }
    if (name == "porter_plain") {
        o.overrides = false;
        o.compounds = false;
        return o;
    }
    if (name == "kp_plain") {
        o.stemmer = "kraaij_pohlmann";
        o.overrides = false;
        o.compounds = false;
        return o;
    }
    fail("unknown variant " + name);
}

struct variant_result {
    std::string name;
    std::map<std::string, scores> by_category;
    scores overall;
    std::size_t index_bytes = 0;
    std::vector<std::vector<std::string>> rankings;
};

variant_result evaluate(const std::string& name, const kade::indexer::site& corpus,
                        const std::vector<judged_query>& queries, const std::string& scratch) {
    variant_result r;
    r.name = name;
    kade::indexer::search_index_options options;
    options.analysis = variant_options(name);
    apply_weights(name, options);
    const std::string dir = scratch + "/" + name;
    std::filesystem::create_directories(dir);
    const std::string db_path = kade::indexer::build_search_database(corpus, dir, options);
    r.index_bytes = kade::indexer::single_file_database(db_path, dir).size();
    Xapian::Database db(db_path);
    kade::search::searcher searcher(db);
    for (const judged_query& q : queries) {
        kade::search::search_request request;
        request.query = q.text;
        request.per_page = 10;
        const kade::search::search_result result = searcher.run(request);
        std::vector<std::string> ranked;
        for (const auto& hit : result.hits) ranked.push_back(hit.url);
        const scores s = score(q, ranked);
        r.by_category[q.category].add(s);
        r.overall.add(s);
        r.rankings.push_back(std::move(ranked));
    }
    return r;
}

void print_row(const std::string& label, const std::vector<variant_result>& results,
               const std::string& category) {
    std::printf("| %-14s |", label.c_str());
    int n = 0;
    for (const auto& r : results) {
        const scores& s = category.empty() ? r.overall : r.by_category.at(category);
        n = s.n;
        std::printf(" %.3f | %.3f | %.3f |", s.ndcg / s.n, s.recall / s.n, s.mrr / s.n);
    }
    std::printf(" %d |\n", n);
}

int run_scale(const std::string& content_dir, const std::vector<std::string>& names) {
    namespace fs = std::filesystem;
    const auto files = kade::indexer::walk_content(content_dir);
    std::vector<kade::indexer::post> posts;
    std::vector<kade::diagnostic> errors;
    for (const auto& rel : files.posts) {
        const std::string path = (fs::path(content_dir) / rel).string();
        if (auto p = kade::indexer::parse_post(path, read_or_fail(path), errors))
            posts.push_back(std::move(*p));
    }
    const kade::config cfg;
    const kade::indexer::site site = kade::indexer::build_site(std::move(posts), cfg, errors);
    if (!errors.empty()) fail(std::to_string(errors.size()) + " content errors");
    std::printf(
        "%zu posts\n| variant | build s | build CPU s | compact s | index bytes "
        "|\n|---|---:|---:|---:|---:|\n",
        site.posts.size());
    const kade::scratch_dir scratch("kade-search-scale");
    for (const auto& name : names) {
        kade::indexer::search_index_options options;
        options.analysis = variant_options(name);
        apply_weights(name, options);
        const std::string dir = (scratch.path() / name).string();
        fs::create_directories(dir);
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        const std::string db = kade::indexer::build_search_database(site, dir, options);
        const std::clock_t c1 = std::clock();
        const auto t1 = std::chrono::steady_clock::now();
        const std::size_t bytes = kade::indexer::single_file_database(db, dir).size();
        const auto t2 = std::chrono::steady_clock::now();
        std::printf("| %s | %.2f | %.2f | %.2f | %zu |\n", name.c_str(),
                    std::chrono::duration<double>(t1 - t0).count(),
                    static_cast<double>(c1 - c0) / CLOCKS_PER_SEC,
                    std::chrono::duration<double>(t2 - t1).count(), bytes);
        std::fflush(stdout);
        fs::remove_all(dir);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string corpus_path, judgements_path, scale_dir, variants = "current,baseline";
    bool check = false, per_query = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) fail(a + " needs a value");
            return argv[++i];
        };
        if (a == "--corpus")
            corpus_path = value();
        else if (a == "--judgements")
            judgements_path = value();
        else if (a == "--variants")
            variants = value();
        else if (a == "--scale")
            scale_dir = value();
        else if (a == "--check")
            check = true;
        else if (a == "--per-query")
            per_query = true;
        else {
            std::fprintf(stderr,
                         "usage: kade-search-quality --corpus FILE --judgements FILE "
                         "[--variants current,baseline,...] [--check] [--per-query]\n");
            return 2;
        }
    }
    if (!scale_dir.empty()) {
        std::vector<std::string> scale_names;
        std::istringstream vs(variants);
        for (std::string v; std::getline(vs, v, ',');) scale_names.push_back(v);
        try {
            return run_scale(scale_dir, scale_names);
        } catch (const std::exception& e) {
            fail(e.what());
        }
    }
    if (corpus_path.empty() || judgements_path.empty())
        fail("--corpus and --judgements are required");
    const kade::indexer::site corpus = read_corpus(corpus_path);
    const std::vector<judged_query> queries = read_judgements(judgements_path);
    std::vector<std::string> names;
    std::istringstream vs(variants);
    for (std::string v; std::getline(vs, v, ',');) names.push_back(v);
    if (check && std::find(names.begin(), names.end(), "baseline") == names.end())
        names.push_back("baseline");
    if (check && std::find(names.begin(), names.end(), "current") == names.end())
        names.insert(names.begin(), "current");

    std::vector<variant_result> results;
    try {
        const kade::scratch_dir scratch("kade-search-quality");
        for (const auto& n : names)
            results.push_back(evaluate(n, corpus, queries, scratch.path().string()));
    } catch (const std::exception& e) {
        fail(e.what());
    }

    std::printf("%zu posts, %zu judged queries\n\n", corpus.posts.size(), queries.size());
    std::printf("| %-14s |", "category");
    for (const auto& r : results) std::printf(" %s nDCG@10 | R@10 | MRR |", r.name.c_str());
    std::printf(" queries |\n|---|");
    for (std::size_t i = 0; i < results.size(); ++i) std::printf("---:|---:|---:|");
    std::printf("---:|\n");
    for (const auto& [category, s] : results.front().by_category)
        print_row(category, results, category);
    print_row("**overall**", results, "");
    std::printf("\nindex size (single-file glass, bytes):");
    for (const auto& r : results) std::printf(" %s %zu;", r.name.c_str(), r.index_bytes);
    std::printf("\n");

    if (per_query) {
        std::printf("\nper query (nDCG@10 per variant, then the first variant's top 3):\n");
        for (std::size_t qi = 0; qi < queries.size(); ++qi) {
            std::printf("%-12s %-32s", queries[qi].category.c_str(), queries[qi].text.c_str());
            for (const auto& r : results)
                std::printf(" %.2f", score(queries[qi], r.rankings[qi]).ndcg);
            std::printf("  ");
            for (std::size_t k = 0; k < 3 && k < results.front().rankings[qi].size(); ++k)
                std::printf(" %s", results.front().rankings[qi][k].c_str());
            std::printf("\n");
        }
    }

    if (check) {
        const auto find = [&](const std::string& n) {
            return *std::find_if(results.begin(), results.end(),
                                 [&](const auto& r) { return r.name == n; });
        };
        const variant_result& cur = find("current");
        const variant_result& base = find("baseline");
        const bool worse = cur.overall.ndcg < base.overall.ndcg - 1e-9 ||
                           cur.overall.recall < base.overall.recall - 1e-9 ||
                           cur.overall.mrr < base.overall.mrr - 1e-9;
        if (worse) {
            std::fprintf(stderr, "FAIL: the current analysis scores below the baseline overall\n");
            return 1;
        }
        std::printf("\nOK: current ≥ baseline on nDCG@10, recall@10 and MRR overall\n");
    }
    return 0;
}
