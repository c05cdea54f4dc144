#include "server/search/service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "common/bundle_writer.hpp"
#include "indexer/search/search_index.hpp"

// After a reload the search threads let go of the bundle it replaced at once, idle or not: a
// replaced bundle (gigabytes at scale) is not kept alive by a thread that has not searched
// since.

namespace kade::search {
namespace {

indexer::site_post post(const std::string& id, const std::string& text) {
    indexer::site_post p;
    p.url = "/" + id;
    p.source.title = "Over " + id;
    p.source.date.year = 2014;
    p.source.date.month = 1;
    p.source.date.day = 2;
    p.source.date.unix_seconds = 1388653200;
    p.source.labels = {"werk"};
    p.date_iso = "2014-01-02";
    p.body.text = text;
    return p;
}

class service_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new std::string(::testing::TempDir() + "kade-service-test-" +
                               std::to_string(::getpid()));
        std::filesystem::remove_all(*dir_);
        std::filesystem::create_directories(*dir_);
        indexer::site s;
        for (int i = 0; i < 20; ++i)
            s.posts.push_back(post("post-" + std::to_string(i),
                                   "Klanten en leveranciers, bericht " + std::to_string(i)));
        indexer::search_index_options options;
        options.dictionary = "";  // no compounds: the test needs no word list
        const std::string db = indexer::build_search_database(s, *dir_, options);
        database_ = new std::string(indexer::single_file_database(db, *dir_));
    }
    static void TearDownTestSuite() {
        std::filesystem::remove_all(*dir_);
        delete dir_;
        delete database_;
    }

    static std::shared_ptr<const bundle::loaded_bundle> bundle_named(const std::string& name) {
        bundle::bundle_builder b;
        bundle::entry_input home;
        home.path = "/";
        home.content_type = "text/html; charset=utf-8";
        home.variants[0] = std::string("<p>" + name + "</p>");
        b.add(home);
        b.set_search_database(*database_);
        const std::string file = *dir_ + "/" + name + ".kade";
        b.write(file);
        return bundle::loaded_bundle::load(file);
    }

    // Runs "klanten" on `b` as bundle generation `generation`; the number of hits.
    static std::size_t search(service& s, std::shared_ptr<const bundle::loaded_bundle> b,
                              std::uint64_t generation) {
        search_request r;
        r.query = "klanten";
        std::promise<search_outcome> done;
        auto outcome = done.get_future();
        EXPECT_TRUE(s.submit(std::move(b), generation, r,
                             [&done](search_outcome o) { done.set_value(std::move(o)); }));
        EXPECT_EQ(outcome.wait_for(std::chrono::seconds(10)), std::future_status::ready);
        const search_outcome o = outcome.get();
        EXPECT_EQ(o.error, "");
        return o.result.total;
    }

    static bool expires_within_10s(const std::weak_ptr<const bundle::loaded_bundle>& b) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!b.expired() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return b.expired();
    }

    static std::string* dir_;
    static std::string* database_;
};
std::string* service_test::dir_ = nullptr;
std::string* service_test::database_ = nullptr;

settings two_threads_no_cache() {
    settings s;
    s.threads = 2;
    s.cache_entries = 0;
    return s;
}

TEST_F(service_test, an_idle_search_thread_lets_go_of_a_replaced_bundle) {
    service searches(two_threads_no_cache());
    auto old_bundle = bundle_named("old");
    const std::weak_ptr<const bundle::loaded_bundle> watched = old_bundle;
    EXPECT_EQ(search(searches, std::move(old_bundle), 1), 20u);
    EXPECT_FALSE(watched.expired());  // the thread that searched keeps its searcher on it

    searches.retire_before(2);
    EXPECT_TRUE(expires_within_10s(watched));
    EXPECT_EQ(search(searches, bundle_named("new"), 2), 20u);  // and the new one searches
}

TEST_F(service_test, a_search_of_the_live_bundle_keeps_its_searcher) {
    service searches(two_threads_no_cache());
    auto live = bundle_named("live");
    const std::weak_ptr<const bundle::loaded_bundle> watched = live;
    searches.retire_before(1);
    EXPECT_EQ(search(searches, std::move(live), 1), 20u);
    searches.retire_before(1);  // told again: nothing older to drop
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(watched.expired());
}

TEST_F(service_test, a_search_queued_before_a_reload_lets_go_of_its_bundle_when_done) {
    service searches(two_threads_no_cache());
    auto old_bundle = bundle_named("queued");
    const std::weak_ptr<const bundle::loaded_bundle> watched = old_bundle;
    searches.retire_before(2);  // generation 2 is live; a late search of generation 1 runs
    EXPECT_EQ(search(searches, std::move(old_bundle), 1), 20u);
    EXPECT_TRUE(expires_within_10s(watched));
}

}  // namespace
}  // namespace kade::search
