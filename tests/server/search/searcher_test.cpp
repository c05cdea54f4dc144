#include "server/search/searcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/files.hpp"
#include "common/search_document.hpp"
#include "indexer/search/search_index.hpp"
#include "server/search/results.hpp"

namespace {

using kade::search::search_request;
using kade::search::search_result;
using kade::search::searcher;

kade::indexer::site_post make_post(const std::string& id, const std::string& title, int year,
                                   std::vector<std::string> labels, const std::string& text) {
    kade::indexer::site_post p;
    p.url = "/" + id;
    p.source.title = title;
    p.source.date.year = year;
    p.source.date.month = 1;
    p.source.date.day = 1;
    p.source.date.unix_seconds = (static_cast<std::int64_t>(year) - 1970) * 365 * 86400;
    p.source.labels = std::move(labels);
    p.date_iso = std::to_string(year) + "-01-01";
    p.body.text = text;
    return p;
}

// A small blog indexed with the shipped analysis; the compound dictionary is a handful of words
// written next to the database, so the test does not depend on wdutch being installed.
class searcher_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // A folder of its own: ctest runs each test case as its own process, in parallel.
        scratch_ = new kade::scratch_dir("kade-searcher-test");
        const std::string dict = dir() + "/dict";
        {
            std::FILE* f = std::fopen(dict.c_str(), "w");
            std::fputs("klant\ncontact\nfiets\nfietsen\nmaker\nenergie\nrekening\n", f);
            std::fclose(f);
        }
        kade::indexer::site s;
        s.posts.push_back(make_post("compound", "Beter bereikbaar", 2015, {"ondernemen"},
                                    "Goed klantcontact begint bij luisteren naar mensen."));
        s.posts.push_back(make_post("exact", "Over onze klant", 2016, {"ondernemen"},
                                    "De klant is koning. Een tevreden klant komt terug."));
        s.posts.push_back(make_post("fiets", "Met de fiets", 2017, {"fietsen", "wonen"},
                                    "Elke dag fietsen naar het werk, ook in de regen."));
        s.posts.push_back(make_post("maker", "De fietsenmaker", 2017, {"fietsen"},
                                    "Onze fietsenmaker plakt banden terwijl je wacht."));
        s.posts.push_back(make_post("accent", "Eén idee", 2018, {"werk"},
                                    "Dit werkt écht: tien ideeën voor een coöperatie."));
        s.posts.push_back(make_post("stop", "Wat nu", 2019, {"werk"}, "Het is wat het is."));
        // Site order, as build_site gives it: newest first, ties by URL.
        std::sort(s.posts.begin(), s.posts.end(), [](const auto& a, const auto& b) {
            if (a.source.date.unix_seconds != b.source.date.unix_seconds)
                return a.source.date.unix_seconds > b.source.date.unix_seconds;
            return a.url < b.url;
        });
        kade::indexer::search_index_options options;
        options.dictionary = dict;
        db_path_ = new std::string(kade::indexer::build_search_database(s, dir(), options));
    }
    static void TearDownTestSuite() {
        delete scratch_;
        delete db_path_;
    }

    static search_result run(searcher& s, const std::string& q, const std::string& label = "",
                             bool prefix = false) {
        search_request r;
        r.query = q;
        r.label = label;
        r.prefix = prefix;
        return s.run(r);
    }
    static std::vector<std::string> urls(const search_result& r) {
        std::vector<std::string> out;
        for (const auto& h : r.hits) out.push_back(h.url);
        return out;
    }

    static std::string dir() { return scratch_->path().string(); }

    static kade::scratch_dir* scratch_;
    static std::string* db_path_;
};
kade::scratch_dir* searcher_test::scratch_ = nullptr;
std::string* searcher_test::db_path_ = nullptr;

TEST_F(searcher_test, the_database_records_its_analysis) {
    searcher s{Xapian::Database(*db_path_)};
    EXPECT_TRUE(s.options().compounds);
    EXPECT_TRUE(s.options().fold);
    EXPECT_EQ(s.options().stemmer, "dutch");
}

TEST_F(searcher_test, a_compound_is_found_by_its_parts_and_ranks_below_the_word_itself) {
    searcher s{Xapian::Database(*db_path_)};
    EXPECT_EQ(urls(run(s, "klant")), (std::vector<std::string>{"/exact", "/compound"}));
    EXPECT_EQ(urls(run(s, "contact")), std::vector<std::string>{"/compound"});
    EXPECT_EQ(urls(run(s, "klant contact")), std::vector<std::string>{"/compound"});
    EXPECT_EQ(urls(run(s, "klantcontact")), std::vector<std::string>{"/compound"});
    const search_result fiets = run(s, "fiets");
    ASSERT_EQ(fiets.hits.size(), 2u);
    EXPECT_EQ(fiets.hits[0].url, "/fiets");
    EXPECT_NE(fiets.hits[1].snippet.find("<mark>fietsenmaker</mark>"), std::string::npos);
}

TEST_F(searcher_test, accents_fold_both_ways) {
    searcher s{Xapian::Database(*db_path_)};
    for (const char* q : {"echt", "écht", "ideeen", "ideeën", "cooperatie", "een idee"})
        EXPECT_EQ(urls(run(s, q)), std::vector<std::string>{"/accent"}) << q;
}

TEST_F(searcher_test, and_falls_back_to_or_when_nothing_has_all_words) {
    searcher s{Xapian::Database(*db_path_)};
    const search_result all = run(s, "klant koning");
    EXPECT_EQ(all.fallback, "");
    EXPECT_EQ(urls(all), std::vector<std::string>{"/exact"});
    const search_result any = run(s, "koning fietsen");
    EXPECT_EQ(any.fallback, "or");
    EXPECT_EQ(any.hits.size(), 3u);  // koning; fietsen; the fietsenmaker (a part)
}

TEST_F(searcher_test, a_misspelt_query_that_finds_nothing_searches_the_suggestion) {
    searcher s{Xapian::Database(*db_path_)};
    const search_result r = run(s, "fietsenmakr");
    EXPECT_EQ(r.suggestion, "fietsenmaker");
    EXPECT_EQ(r.fallback, "suggestion");
    EXPECT_EQ(urls(r), std::vector<std::string>{"/maker"});
    // A word the blog does contain is not "corrected".
    EXPECT_EQ(run(s, "klanten").suggestion, "");
}

TEST_F(searcher_test, a_query_of_only_stop_words_still_searches_them) {
    searcher s{Xapian::Database(*db_path_)};
    EXPECT_EQ(urls(run(s, "het is wat")), std::vector<std::string>{"/stop"});
}

TEST_F(searcher_test, facets_count_labels_and_years_of_all_matches) {
    searcher s{Xapian::Database(*db_path_)};
    const search_result r = run(s, "fiets OR klant");
    using counts = std::vector<std::pair<std::string, std::uint64_t>>;
    EXPECT_EQ(r.facets.labels, (counts{{"fietsen", 2}, {"ondernemen", 2}, {"wonen", 1}}));
    EXPECT_EQ(r.facets.years, (counts{{"2017", 2}, {"2016", 1}, {"2015", 1}}));
    search_request request;
    request.query = "fiets OR klant";
    const std::string json = kade::search::results_json(request, r);
    EXPECT_NE(json.find("\"facets\": {\"labels\": {\"fietsen\": 2, \"ondernemen\": 2, "
                        "\"wonen\": 1}, \"years\": {\"2017\": 2, \"2016\": 1, \"2015\": 1}}"),
              std::string::npos)
        << json;
}

TEST_F(searcher_test, equal_scores_come_newest_first_then_by_url) {
    searcher s{Xapian::Database(*db_path_)};
    // A filter alone scores every match the same.
    EXPECT_EQ(urls(run(s, "label:werk")), (std::vector<std::string>{"/stop", "/accent"}));
    EXPECT_EQ(urls(run(s, "label:ondernemen")), (std::vector<std::string>{"/exact", "/compound"}));
    // Same date (2017-01-01): by URL.
    EXPECT_EQ(urls(run(s, "label:fietsen")), (std::vector<std::string>{"/fiets", "/maker"}));
}

TEST_F(searcher_test, the_index_says_its_docids_are_in_site_order_backwards) {
    EXPECT_EQ(Xapian::Database(*db_path_).get_metadata(
                  std::string(kade::search_document::docid_order_key)),
              "site-reversed");
}

// Two posts labelled "werk", of 2018 and 2019, in a database whose metadata says its docid order
// is `order`. `newest_docid_first`: the 2019 post is docid 1 (as kade-index numbered posts
// before); otherwise the 2018 one is. A filter alone scores both the same, so the tie-break
// decides.
std::string werk_database(const kade::scratch_dir& dir, bool newest_docid_first,
                          const std::string& order) {
    kade::indexer::site s;
    auto older = make_post("accent", "Eén idee", 2018, {"werk"}, "Tien ideeën.");
    auto newer = make_post("stop", "Wat nu", 2019, {"werk"}, "Het is wat het is.");
    // Searched document i of n is docid n - i.
    s.posts.push_back(newest_docid_first ? std::move(older) : std::move(newer));
    s.posts.push_back(newest_docid_first ? std::move(newer) : std::move(older));
    const std::string path = kade::indexer::build_search_database(s, dir.path().string());
    Xapian::WritableDatabase w(path);
    w.set_metadata(std::string(kade::search_document::docid_order_key), order);
    w.commit();
    return path;
}

TEST_F(searcher_test, an_older_bundles_docids_in_site_order_break_ties_newest_first) {
    kade::scratch_dir other("kade-searcher-test-order");
    const std::string path = werk_database(other, true, "site");
    ASSERT_NE(Xapian::Database(path).get_document(1).get_data().find("/stop"), std::string::npos);
    searcher older{Xapian::Database(path)};
    EXPECT_EQ(urls(run(older, "label:werk")), (std::vector<std::string>{"/stop", "/accent"}));
}

TEST_F(searcher_test, a_database_numbered_otherwise_breaks_ties_by_date) {
    // Oldest first, and without the key that says otherwise.
    kade::scratch_dir other("kade-searcher-test-order");
    const std::string path = werk_database(other, false, "");
    ASSERT_NE(Xapian::Database(path).get_document(1).get_data().find("/accent"), std::string::npos);
    searcher by_date{Xapian::Database(path)};
    EXPECT_EQ(urls(run(by_date, "label:werk")), (std::vector<std::string>{"/stop", "/accent"}));
}

TEST_F(searcher_test, filters_and_prefix_mode) {
    searcher s{Xapian::Database(*db_path_)};
    EXPECT_EQ(urls(run(s, "fiets", "wonen")), std::vector<std::string>{"/fiets"});
    EXPECT_EQ(urls(run(s, "klant jaar:2016")), std::vector<std::string>{"/exact"});
    EXPECT_TRUE(run(s, "fietsenm").hits.empty() || run(s, "fietsenm").fallback != "");
    EXPECT_EQ(urls(run(s, "fietsenm", "", true)), std::vector<std::string>{"/maker"});
    EXPECT_EQ(urls(run(s, "fietsenm*")), std::vector<std::string>{"/maker"});
}

TEST_F(searcher_test, malformed_queries_degrade_to_words) {
    searcher s{Xapian::Database(*db_path_)};
    for (const char* q :
         {"\"klant", "klant AND", "(klant", "NOT", "label:", "-", "*", "\"\"", "klant))) OR OR"}) {
        EXPECT_NO_THROW(run(s, q)) << q;
    }
    EXPECT_FALSE(run(s, "\"klant").hits.empty());
}

TEST_F(searcher_test, a_spent_time_budget_skips_the_fallbacks_and_says_so) {
    searcher s{Xapian::Database(*db_path_)};
    s.set_time_budget(std::chrono::microseconds(1));   // spent before the first pass ends
    const search_result r = run(s, "koning fietsen");  // all words: nothing; any word: 3
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.fallback, "");
    EXPECT_TRUE(r.hits.empty());
    EXPECT_NE(
        kade::search::results_json(search_request{"koning fietsen"}, r).find("\"timed_out\": true"),
        std::string::npos);
}

TEST_F(searcher_test, a_time_budget_left_over_changes_nothing) {
    searcher s{Xapian::Database(*db_path_)};
    s.set_time_budget(std::chrono::seconds(60));
    const search_result r = run(s, "koning fietsen");
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.fallback, "or");
    EXPECT_EQ(r.hits.size(), 3u);
    EXPECT_EQ(run(s, "fietsenmakr").fallback, "suggestion");
}

TEST_F(searcher_test, the_cache_returns_the_same_result_for_the_same_normalised_query) {
    searcher s{Xapian::Database(*db_path_), 2};
    const search_result first = run(s, "Klant");
    EXPECT_FALSE(first.cached);
    const search_result again = run(s, "  klant ");
    EXPECT_TRUE(again.cached);
    EXPECT_EQ(urls(again), urls(first));
    EXPECT_FALSE(run(s, "klant", "ondernemen").cached);  // other parameters, other entry
    run(s, "fiets");                                     // evicts "klant" (capacity 2)
    EXPECT_FALSE(run(s, "klant").cached);
}

TEST(lru_cache, evicts_the_least_recently_used) {
    kade::search::lru_cache<int> c(2);
    c.put("a", 1);
    c.put("b", 2);
    ASSERT_NE(c.find("a"), nullptr);  // a is now the most recent
    c.put("c", 3);
    EXPECT_EQ(c.find("b"), nullptr);
    EXPECT_EQ(*c.find("a"), 1);
    EXPECT_EQ(*c.find("c"), 3);
    kade::search::lru_cache<int> none(0);
    none.put("a", 1);
    EXPECT_EQ(none.find("a"), nullptr);
}

}  // namespace
