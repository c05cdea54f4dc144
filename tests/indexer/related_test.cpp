#include "indexer/search/related.hpp"

#include <cstdint>
#include <cstdio>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/files.hpp"
#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"
#include "search_test_support.hpp"

namespace kade::indexer {
namespace {

post make(std::string file, std::string title, std::string date, std::string body,
          bool draft = false) {
    std::vector<diagnostic> errors;
    const std::string text = "+++\ntitle = \"" + title + "\"\ndate = " + date +
                             (draft ? "\ndraft = true" : "") + "\n+++\n" + body + "\n";
    auto p = parse_post(file, text, errors);
    EXPECT_TRUE(p);
    return *p;
}

TEST(related, posts_about_the_same_subject_come_first_and_drafts_never) {
    std::vector<post> posts;
    posts.push_back(make("a.md", "Fietsen in de polder", "2014-01-01",
                         "De fietser fietst langs de dijk. Fietsroutes en fietspaden in de "
                         "polder, met wind tegen op de dijk."));
    posts.push_back(make("b.md", "Klanten en leveranciers", "2014-02-01",
                         "Een goede klant vraagt om aandacht. Klanten en leveranciers bellen "
                         "over facturen en offertes."));
    posts.push_back(make("c.md", "Nog meer fietspaden", "2014-03-01",
                         "Nieuwe fietspaden langs de dijk in de polder: de fietser is blij met "
                         "de fietsroutes."));
    posts.push_back(make("d.md", "Over facturen", "2014-04-01",
                         "Facturen voor klanten en offertes voor leveranciers."));
    posts.push_back(make("e.md", "Concept over de dijk", "2014-05-01",
                         "De fietser op de dijk in de polder, fietspaden en fietsroutes.", true));
    std::vector<diagnostic> errors;
    const site s = build_site(std::move(posts), config{}, errors);
    ASSERT_EQ(s.posts.size(), 4u);  // newest first: d, c, b, a
    const scratch_dir scratch("kade-related");
    const std::string db = build_search_database(s, scratch.path().string());
    const auto related = related_posts(db, s.posts.size(), 2);
    ASSERT_EQ(related.size(), 4u);
    auto index_of = [&](const char* title) {
        for (std::size_t i = 0; i < s.posts.size(); ++i)
            if (s.posts[i].source.title == title) return i;
        return s.posts.size();
    };
    const std::size_t fiets = index_of("Fietsen in de polder");
    const std::size_t paden = index_of("Nog meer fietspaden");
    const std::size_t klant = index_of("Klanten en leveranciers");
    const std::size_t facturen = index_of("Over facturen");
    ASSERT_FALSE(related[fiets].empty());
    EXPECT_EQ(related[fiets][0], paden);
    ASSERT_FALSE(related[klant].empty());
    EXPECT_EQ(related[klant][0], facturen);
    for (std::size_t i = 0; i < related.size(); ++i) {
        EXPECT_LE(related[i].size(), 2u);
        for (std::size_t r : related[i]) {
            EXPECT_NE(r, i);
            EXPECT_LT(r, s.posts.size());
        }
    }
    // The same database gives the same answer: pages stay byte-identical.
    EXPECT_EQ(related_posts(db, s.posts.size(), 2), related);
}

// 150 posts of made-up words: a few common ones and many rare ones, so every post has more
// telling stems than the 30 it may expand with, and many of them weigh the same (once in the
// post, in as many posts): the cases where choosing the terms and ranking the posts must break
// ties as Xapian does.
site skewed_posts() {
    static const char* const syllables[] = {"ka", "lo", "mi", "ne", "pu", "ro",
                                            "si", "ta", "vo", "we", "zu", "bi"};
    std::uint64_t state = 2024;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    auto word = [&](std::size_t k) {
        std::string w = "t";
        for (std::size_t n = k + 12; n > 0; n /= 12) w += syllables[n % 12];
        return w + "l";
    };
    std::vector<std::string> texts;
    for (int i = 0; i < 150; ++i) {
        std::string body;
        const std::size_t length = 150 + next() % 150;
        for (std::size_t w = 0; w < length; ++w)
            body += word(next() % 5 == 0 ? next() % 40 : 40 + next() % 2000) + " ";
        char date[16];
        std::snprintf(date, sizeof date, "20%02d-%02d-%02d", 10 + i % 12, 1 + i % 12, 1 + i % 28);
        texts.push_back("+++\ntitle = \"" + word(next() % 400) + " " + std::to_string(i) +
                        "\"\ndate = " + date + "\n+++\n" + body + ".\n");
    }
    return test::site_of(texts);
}

// The stems relevance feedback may use (as related.cpp decides them).
class telling_stems : public Xapian::ExpandDecider {
  public:
    explicit telling_stems(const Xapian::Database& db) : db_(db) {}
    bool operator()(const std::string& term) const override {
        if (term.size() < 2 || term[0] != 'Z' || (term[1] >= 'A' && term[1] <= 'Z')) return false;
        const Xapian::doccount freq = db_.get_termfreq(term), docs = db_.get_doccount();
        return freq > 1 && (docs < 8 || freq * 4 < docs);
    }

  private:
    const Xapian::Database& db_;
};

TEST(related, lists_are_xapians_relevance_feedback_ranked_without_shortcuts) {
    const site s = skewed_posts();
    const scratch_dir scratch("kade-related-xapian");
    const std::string db_path = build_search_database(s, scratch.path().string());
    constexpr std::size_t per_post = 5;
    const auto related = related_posts(db_path, s.posts.size(), per_post);
    ASSERT_EQ(related.size(), s.posts.size());

    // The same question asked of Xapian: the ESet of the post alone, then every match of those
    // terms ranked (all of them: a short MSet may skip a document by its pruning).
    const Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    enquire.set_docid_order(Xapian::Enquire::DESCENDING);  // ties: the newer post, as kade-serve
    const telling_stems decider(db);
    const std::size_t n = s.posts.size();  // post i is docid n - i
    std::size_t lists = 0;
    for (std::size_t i = 0; i < s.posts.size(); ++i) {
        const auto docid = static_cast<Xapian::docid>(n - i);
        Xapian::RSet rset;
        rset.add_document(docid);
        const Xapian::ESet eset =
            enquire.get_eset(30, rset, Xapian::Enquire::INCLUDE_QUERY_TERMS, &decider);
        std::vector<std::size_t> expected;
        if (!eset.empty()) {
            enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, eset.begin(), eset.end()));
            const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
            std::size_t ranked = 0;
            for (auto it = mset.begin(); it != mset.end() && ranked < per_post + 4; ++it, ++ranked)
                if (*it != docid && expected.size() < per_post) expected.push_back(n - *it);
        }
        EXPECT_EQ(related[i], expected) << "post " << i;
        lists += expected.empty() ? 0 : 1;
    }
    EXPECT_GT(lists, s.posts.size() / 2);  // the words overlap enough to relate most posts
}

}  // namespace
}  // namespace kade::indexer
