#include "indexer/search/related.hpp"

#include <gtest/gtest.h>

#include "common/files.hpp"
#include "indexer/content/site.hpp"
#include "indexer/search/search_index.hpp"

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

}  // namespace
}  // namespace kade::indexer
