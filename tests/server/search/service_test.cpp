#include "server/search/service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "common/files.hpp"
#include "search_bundle_fixture.hpp"

// After a reload the search threads let go of the bundle it replaced at once, idle or not: a
// replaced bundle (gigabytes at scale) is not kept alive by a thread that has not searched
// since.

namespace kade::search {
namespace {

class service_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        scratch_ = new scratch_dir("kade-service-test");
        database_ = new std::string(test::single_file_database(scratch_->path(), 20, [](int i) {
            return "Klanten en leveranciers, bericht " + std::to_string(i);
        }));
    }
    static void TearDownTestSuite() {
        delete scratch_;
        delete database_;
    }

    static std::shared_ptr<const bundle::loaded_bundle> bundle_named(const std::string& name) {
        return test::bundle_with(scratch_->path(), *database_, name);
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

    static scratch_dir* scratch_;
    static std::string* database_;
};
scratch_dir* service_test::scratch_ = nullptr;
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
