// The search database built in slices on every core and merged equals the one built in one go:
// the same docids, terms, values and ranking, and the same bytes every time.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/dutch.hpp"
#include "common/files.hpp"
#include "indexer/content/site.hpp"
#include "indexer/search/related.hpp"
#include "indexer/search/search_index.hpp"
#include "search_test_support.hpp"

namespace kade::indexer {
namespace {

// 90 posts of words drawn (deterministically) from a small Dutch vocabulary with compounds,
// so terms spread over every slice with different frequencies.
std::vector<std::string> ninety_post_texts() {
    static const char* const words[] = {
        "fiets",       "klant", "klantcontact", "dijk",     "polder", "factuur", "offerte",
        "leverancier", "wind",  "fietspad",     "zomer",    "winter", "e-mail",  "huis",
        "tuin",        "boom",  "bomen",        "tuinhuis", "koffie", "thee",    "gesprek",
        "vergadering", "de",    "het",          "een",      "en",     "van",     "op"};
    constexpr std::size_t vocabulary = sizeof words / sizeof words[0];
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    std::vector<std::string> texts;
    for (int i = 0; i < 90; ++i) {
        std::string body;
        const std::size_t length = 20 + next() % 60;
        for (std::size_t w = 0; w < length; ++w)
            body += std::string(words[next() % vocabulary]) + " ";
        const std::string title =
            std::string(words[next() % vocabulary]) + " " + words[next() % vocabulary];
        char date[16];
        std::snprintf(date, sizeof date, "2014-%02d-%02d", 1 + i % 12, 1 + i % 28);
        texts.push_back("+++\ntitle = \"" + title + " " + std::to_string(i) + "\"\ndate = " + date +
                        "\nlabels = [\"" + words[next() % vocabulary] + "\"]\n+++\n" + body +
                        ".\n");
    }
    return texts;
}

site ninety_posts() {
    return test::site_of(ninety_post_texts());
}

search_index_options one_go() {
    search_index_options o;
    o.parallel_from = SIZE_MAX;
    return o;
}

search_index_options in_slices(std::size_t slices) {
    search_index_options o;
    o.parallel_from = 2;
    o.slices = slices;
    return o;
}

std::vector<std::pair<Xapian::docid, double>> ranked(const Xapian::Database& db,
                                                     const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<std::pair<Xapian::docid, double>> out;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(*it, it.get_weight());
    return out;
}

// `b` holds what `a` holds for the posts of `s` (in `a`, built in one go, post i of n is docid
// n - i; in `b` it may have another, when posts were removed in place): the same data, values,
// terms and wdf, statistics, bounds, spelling data, ranked answers and related posts.
void expect_same_database(const site& s, const std::string& a_path, const std::string& b_path,
                          bool with_term_lists = true) {
    Xapian::Database a(a_path), b(b_path);
    ASSERT_EQ(a.get_doccount(), s.posts.size());
    ASSERT_EQ(a.get_doccount(), b.get_doccount());
    const std::vector<unsigned> ids_a = document_ids(a_path, s), ids_b = document_ids(b_path, s);
    std::map<Xapian::docid, Xapian::docid> a_of_b;  // b's docid → a's, for ranked answers
    for (std::size_t i = 0; i < s.posts.size(); ++i) {
        ASSERT_EQ(ids_a[i], s.posts.size() - i);
        if (i > 0) EXPECT_GT(ids_b[i - 1], ids_b[i]) << "descending docid order is site order";
        a_of_b[ids_b[i]] = ids_a[i];
        const Xapian::docid d = ids_a[i], e = ids_b[i];
        const Xapian::Document da = a.get_document(d), db = b.get_document(e);
        EXPECT_EQ(da.get_data(), db.get_data()) << d;
        EXPECT_EQ(da.get_data().find(s.posts[i].url) != std::string::npos, true) << d;
        for (Xapian::valueno slot = 0; slot < 4; ++slot)
            EXPECT_EQ(da.get_value(slot), db.get_value(slot)) << d;
        if (with_term_lists) {
            std::vector<std::pair<std::string, Xapian::termcount>> ta, tb;
            for (auto t = a.termlist_begin(d); t != a.termlist_end(d); ++t)
                ta.emplace_back(*t, t.get_wdf());
            for (auto t = b.termlist_begin(e); t != b.termlist_end(e); ++t)
                tb.emplace_back(*t, t.get_wdf());
            EXPECT_EQ(ta, tb) << d;
        }
        EXPECT_EQ(a.get_doclength(d), b.get_doclength(e)) << d;
    }
    EXPECT_EQ(a.get_avlength(), b.get_avlength());
    // The database-wide bounds the matcher prunes by.
    EXPECT_EQ(a.get_doclength_lower_bound(), b.get_doclength_lower_bound());
    EXPECT_EQ(a.get_doclength_upper_bound(), b.get_doclength_upper_bound());
    // A value slot's range may be wider after removals and edits in place (no query reads it).
    for (Xapian::valueno slot = 0; slot < 4; ++slot) {
        EXPECT_EQ(a.get_value_freq(slot), b.get_value_freq(slot)) << slot;
        EXPECT_GE(a.get_value_lower_bound(slot), b.get_value_lower_bound(slot)) << slot;
        EXPECT_LE(a.get_value_upper_bound(slot), b.get_value_upper_bound(slot)) << slot;
    }
    // Every term with its frequencies and wdf bound (min(collection frequency, the database's
    // greatest wdf)).
    std::vector<std::tuple<std::string, Xapian::doccount, Xapian::termcount, Xapian::termcount>>
        terms_a, terms_b;
    for (auto t = a.allterms_begin(); t != a.allterms_end(); ++t)
        terms_a.emplace_back(*t, t.get_termfreq(), a.get_collection_freq(*t),
                             a.get_wdf_upper_bound(*t));
    for (auto t = b.allterms_begin(); t != b.allterms_end(); ++t)
        terms_b.emplace_back(*t, t.get_termfreq(), b.get_collection_freq(*t),
                             b.get_wdf_upper_bound(*t));
    EXPECT_EQ(terms_a, terms_b);
    std::vector<std::pair<std::string, Xapian::doccount>> sa, sb;
    for (auto w = a.spellings_begin(); w != a.spellings_end(); ++w)
        sa.emplace_back(*w, w.get_termfreq());
    for (auto w = b.spellings_begin(); w != b.spellings_end(); ++w)
        sb.emplace_back(*w, w.get_termfreq());
    EXPECT_EQ(sa, sb);
    EXPECT_EQ(a.get_spelling_suggestion("klnt"), b.get_spelling_suggestion("klnt"));
    for (const char* key : {"kade.analysis", "kade.docid_order"})
        EXPECT_EQ(a.get_metadata(key), b.get_metadata(key)) << key;

    // The same ranked answers, weights included, to plain, compound, phrase and filtered queries.
    const search_index_options defaults;
    const Xapian::Stem stem = dutch::stemmer(defaults.analysis);
    auto term = [&](const char* word) { return Xapian::Query("Z" + stem(word)); };
    const std::vector<Xapian::Query> queries = {
        term("fiets"),
        Xapian::Query(Xapian::Query::OP_OR, term("klant"), term("dijk")),
        Xapian::Query(Xapian::Query::OP_AND, term("koffie"), term("thee")),
        Xapian::Query(Xapian::Query::OP_PHRASE, Xapian::Query("de"), Xapian::Query("polder")),
        term("contact"),  // only as a part of "klantcontact"
        Xapian::Query(Xapian::Query::OP_FILTER, term("bomen"), Xapian::Query("Y2014")),
    };
    for (const auto& q : queries) {
        const auto ra = ranked(a, q);
        EXPECT_FALSE(ra.empty()) << q.get_description();
        auto rb = ranked(b, q);
        for (auto& [docid, weight] : rb) docid = a_of_b[docid];
        EXPECT_EQ(ra, rb) << q.get_description();
    }
    // Related posts, asked of either database, are the same.
    EXPECT_EQ(related_posts(a_path, ids_a, 5), related_posts(b_path, ids_b, 5));
}

TEST(search_slices, merged_slices_equal_one_database_built_in_one_go) {
    const site s = ninety_posts();
    const scratch_dir a_dir("kade-slices"), b_dir("kade-slices");
    // Seven slices of 12 or 13 posts: uneven, so the renumbering offsets differ per slice.
    expect_same_database(s, build_search_database(s, a_dir.path().string(), one_go()),
                         build_search_database(s, b_dir.path().string(), in_slices(7)));
}

TEST(search_slices, without_term_lists_the_database_answers_the_same) {
    const site s = ninety_posts();
    const scratch_dir a_dir("kade-slices"), b_dir("kade-slices");
    search_index_options lean = in_slices(7);
    lean.term_lists = false;
    const std::string b = build_search_database(s, b_dir.path().string(), lean);
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(b) / "termlist.glass"));
    // Every posting, statistic, value and spelling entry, the answers and the related posts.
    expect_same_database(s, build_search_database(s, a_dir.path().string(), in_slices(7)), b,
                         false);
}

// The texts without the `count` newest posts of `s`.
std::vector<std::string> without_newest(const std::vector<std::string>& texts, const site& s,
                                        std::size_t count) {
    std::vector<std::string> older;
    for (const auto& text : texts) {
        bool newest = false;
        for (std::size_t i = 0; i < count; ++i)
            newest |= text.find("title = \"" + s.posts[i].source.title + "\"") != std::string::npos;
        if (!newest) older.push_back(text);
    }
    return older;
}

// The text of post `i` of `s` among `texts` (titles end in the post's number, so are unique).
std::string& text_of(std::vector<std::string>& texts, const site& s, std::size_t i) {
    const std::string title = "title = \"" + s.posts[i].source.title + "\"";
    return *std::find_if(texts.begin(), texts.end(),
                         [&](const std::string& t) { return t.find(title) != std::string::npos; });
}

// The body of a post's text (after its front matter) replaced by `body`.
void set_body(std::string& text, const std::string& body) {
    text.resize(text.find("+++\n", 4) + 4);
    text += body + "\n";
}

TEST(search_slices, newest_posts_added_to_a_database_equal_one_built_in_one_go) {
    const std::vector<std::string> texts = ninety_post_texts();
    const site s = test::site_of(texts);
    // The database of the blog before its five newest posts: the texts without them.
    const std::vector<std::string> older = without_newest(texts, s, 5);
    ASSERT_EQ(older.size(), 85u);
    const site before = test::site_of(older);
    const scratch_dir a_dir("kade-newest"), b_dir("kade-newest"), c_dir("kade-newest");
    const std::string previous = build_search_database(before, b_dir.path().string(), in_slices(3));
    const search_index_options defaults;
    std::string why;
    const std::optional<std::string> added =
        update_search_database(s, {5, {}, {}}, previous, c_dir.path().string(), defaults, why);
    ASSERT_TRUE(added) << why;
    expect_same_database(s, build_search_database(s, a_dir.path().string(), in_slices(7)), *added);

    // Indexed with another analysis: never mixed.
    search_index_options unfolded;
    unfolded.analysis.fold = false;
    EXPECT_FALSE(
        update_search_database(s, {5, {}, {}}, previous, c_dir.path().string(), unfolded, why));
    EXPECT_NE(why.find("analysis"), std::string::npos) << why;
}

TEST(search_slices, posts_edited_in_place_equal_a_database_built_in_one_go) {
    const std::vector<std::string> texts = ninety_post_texts();
    const site s = test::site_of(texts);
    const search_index_options defaults;
    const scratch_dir a_dir("kade-edited"), b_dir("kade-edited"), c_dir("kade-edited");
    // Built before two newest posts were added and three posts were edited: new words (and so
    // new spelling words and terms), words dropped, a label changed, a title word gone.
    std::vector<std::string> older = without_newest(texts, s, 2);
    const site before = test::site_of(older);
    const std::string previous = build_search_database(before, b_dir.path().string(), in_slices(3));
    const std::vector<unsigned> before_ids = document_ids(previous, before);
    const std::vector<std::size_t> edited = {10, 41, 77};
    search_changes changes{2, {}, {}};
    for (const std::size_t i : edited) {
        ASSERT_EQ(before.posts[i - 2].url, s.posts[i].url);
        changes.edited.emplace_back(i, before_ids[i - 2]);  // its docid before the two newest
    }
    std::vector<std::string> after = texts;
    std::string& grown = text_of(after, s, 10);
    grown.insert(grown.rfind(".\n"), " waterschap zandverstuiving");
    std::string& relabelled = text_of(after, s, 41);
    relabelled.insert(relabelled.find("labels = [\"") + 10, "\"zeilboot\", ");
    std::string& shortened = text_of(after, s, 77);
    const std::string body = shortened.substr(shortened.find("+++\n", 4) + 4);
    set_body(shortened, body.substr(0, body.size() / 2) + " kanaal.");
    const site s_after = test::site_of(after);
    for (const std::size_t i : edited) ASSERT_EQ(s_after.posts[i].url, s.posts[i].url);
    std::string why;
    const std::optional<std::string> updated =
        update_search_database(s_after, changes, previous, c_dir.path().string(), defaults, why);
    ASSERT_TRUE(updated) << why;
    const std::string full = build_search_database(s_after, a_dir.path().string(), in_slices(7));
    expect_same_database(s_after, full, *updated);
    Xapian::Database db(*updated);
    bool spelled = false;
    for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
        spelled |= *w == "zandverstuiving";
    EXPECT_TRUE(spelled) << "a new word in the spelling data";
    EXPECT_EQ(db.get_termfreq("Kzeilboot"), 1u) << "the new label's filter term";

    // Edited only, nothing added: the same again.
    const scratch_dir d_dir("kade-edited"), e_dir("kade-edited");
    const std::string same = build_search_database(s, d_dir.path().string(), in_slices(3));
    search_changes only{};
    for (const std::size_t i : edited) only.edited.emplace_back(i, document_ids(same, s)[i]);
    const std::optional<std::string> only_edits =
        update_search_database(s_after, only, same, e_dir.path().string(), defaults, why);
    ASSERT_TRUE(only_edits) << why;
    expect_same_database(s_after, full, *only_edits);
}

TEST(search_slices, an_edit_that_would_narrow_a_bound_is_refused) {
    const std::vector<std::string> texts = ninety_post_texts();
    const site s = test::site_of(texts);
    const scratch_dir b_dir("kade-edited"), c_dir("kade-edited");
    const std::string previous = build_search_database(s, b_dir.path().string(), in_slices(3));
    // The longest post loses words: Xapian would keep its length as the upper bound.
    std::size_t longest = 0;
    Xapian::docid longest_id = 0;
    {
        Xapian::Database db(previous);
        for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d)
            if (db.get_doclength(d) == db.get_doclength_upper_bound()) longest_id = d;
        longest = db.get_lastdocid() - longest_id;  // post i of n is docid n - i
    }
    std::vector<std::string> after = texts;
    set_body(text_of(after, s, longest), "Kort.");
    const site s_after = test::site_of(after);
    std::string why;
    const search_changes changes{0, {{longest, longest_id}}, {}};
    EXPECT_FALSE(update_search_database(s_after, changes, previous, c_dir.path().string(),
                                        search_index_options{}, why));
    EXPECT_NE(why.find("longest"), std::string::npos) << why;
}

TEST(search_slices, posts_removed_in_place_equal_a_database_built_in_one_go) {
    const std::vector<std::string> texts = ninety_post_texts();
    const site s = test::site_of(texts);
    // Built before the two newest posts; now posts 20 and 63 are gone and 35 is edited.
    const site before = test::site_of(without_newest(texts, s, 2));
    std::vector<std::string> after = texts;
    std::string& edited = text_of(after, s, 35);
    edited.insert(edited.rfind(".\n"), " waterschap");
    const std::string gone_a = text_of(after, s, 20), gone_b = text_of(after, s, 63);
    std::erase_if(after, [&](const std::string& t) { return t == gone_a || t == gone_b; });
    const site s_after = test::site_of(after);
    ASSERT_EQ(s_after.posts.size(), 88u);
    const scratch_dir a_dir("kade-removed"), b_dir("kade-removed"), c_dir("kade-removed");
    const std::string previous = build_search_database(before, b_dir.path().string(), in_slices(3));
    // Post i of `s` was post i - 2 before the two newest (post 0 and 1) came.
    const std::vector<unsigned> before_ids = document_ids(previous, before);
    search_changes changes{
        2, {{35 - 1, before_ids[35 - 2]}}, {before_ids[20 - 2], before_ids[63 - 2]}};
    ASSERT_EQ(s_after.posts[34].url, s.posts[35].url);
    std::string why;
    const std::optional<std::string> updated = update_search_database(
        s_after, changes, previous, c_dir.path().string(), search_index_options{}, why);
    ASSERT_TRUE(updated) << why;
    const std::string full = build_search_database(s_after, a_dir.path().string(), in_slices(7));
    expect_same_database(s_after, full, *updated);
    // The gaps stay (the kept posts keep their docids; the two new posts come after them).
    EXPECT_EQ(Xapian::Database(*updated).get_lastdocid(), 90u);
    EXPECT_EQ(document_ids(*updated, s_after)[34], before_ids[33]);
    EXPECT_EQ(document_ids(*updated, s_after)[0], 90u);

    // Removed only, nothing added: no compaction, the same again.
    const scratch_dir d_dir("kade-removed"), e_dir("kade-removed");
    const std::string same = build_search_database(s, d_dir.path().string(), in_slices(3));
    const site s_removed = test::site_of([&] {
        std::vector<std::string> t = texts;
        std::erase_if(t, [&](const std::string& x) { return x == gone_a || x == gone_b; });
        return t;
    }());
    const std::vector<unsigned> same_ids = document_ids(same, s);
    const std::optional<std::string> only_removed =
        update_search_database(s_removed, {0, {}, {same_ids[20], same_ids[63]}}, same,
                               e_dir.path().string(), search_index_options{}, why);
    ASSERT_TRUE(only_removed) << why;
    const scratch_dir f_dir("kade-removed");
    expect_same_database(s_removed,
                         build_search_database(s_removed, f_dir.path().string(), in_slices(7)),
                         *only_removed);

    // The newest post removed (it holds the newest date: that value range stays wider).
    const site s_older = test::site_of(without_newest(texts, s, 1));
    const scratch_dir g_dir("kade-removed"), h_dir("kade-removed");
    const std::optional<std::string> newest_removed = update_search_database(
        s_older, {0, {}, {same_ids[0]}}, same, g_dir.path().string(), search_index_options{}, why);
    ASSERT_TRUE(newest_removed) << why;
    expect_same_database(s_older,
                         build_search_database(s_older, h_dir.path().string(), in_slices(7)),
                         *newest_removed);
}

TEST(search_slices, slices_build_the_same_bytes_every_time) {
    const site s = ninety_posts();
    const scratch_dir a_dir("kade-slices"), b_dir("kade-slices");
    const std::string a = single_file_database(
        build_search_database(s, a_dir.path().string(), in_slices(8)), a_dir.path().string());
    const std::string b = single_file_database(
        build_search_database(s, b_dir.path().string(), in_slices(8)), b_dir.path().string());
    EXPECT_GT(a.size(), 0u);
    EXPECT_TRUE(a == b);
}

TEST(search_slices, the_database_file_holds_the_same_bytes_and_outlives_its_shards) {
    const site s = ninety_posts();
    const scratch_dir dir("kade-slices"), other("kade-slices");
    const std::string folder = build_search_database(s, dir.path().string(), in_slices(3));
    const std::string file = single_file_database_file(folder, dir.path().string());
    const std::optional<std::string> written = kade::read_file(file);
    ASSERT_TRUE(written);
    // The shards' files are made in the same scratch folder, after it.
    for (const auto& shard : build_shard_databases(folder, 2, dir.path().string()))
        EXPECT_GT(single_file_database(shard, dir.path().string()).size(), 0u);
    EXPECT_TRUE(kade::read_file(file) == written);
    // The same bytes as in memory (the UUID made from a hash of the rest either way).
    EXPECT_TRUE(*written ==
                single_file_database(build_search_database(s, other.path().string(), in_slices(3)),
                                     other.path().string()));
}

TEST(search_slices, bundle_database_has_no_termlist_and_answers_the_same) {
    const site s = ninety_posts();
    const scratch_dir dir("kade-slices");
    const std::string folder = build_search_database(s, dir.path().string(), in_slices(3));
    const std::string bytes = single_file_database(folder, dir.path().string());
    const std::filesystem::path single = dir.path() / "bundle.glass";
    std::ofstream(single, std::ios::binary) << bytes;
    Xapian::Database a(folder), b(single.string());
    EXPECT_NO_THROW(Xapian::Database::check(single.string()));
    ASSERT_EQ(a.get_doccount(), b.get_doccount());
    // The folder database keeps its term lists here (shards read them) ...
    EXPECT_NE(a.termlist_begin(1), a.termlist_end(1));
    // ... the bundle's has none: a reader asking for one is refused.
    EXPECT_THROW(b.termlist_begin(1), Xapian::DocNotFoundError);
    EXPECT_EQ(a.get_document(5).get_data(), b.get_document(5).get_data());
    EXPECT_EQ(a.get_document(5).get_value(0), b.get_document(5).get_value(0));
    EXPECT_EQ(a.get_doclength(5), b.get_doclength(5));
    EXPECT_EQ(a.get_spelling_suggestion("klnt"), b.get_spelling_suggestion("klnt"));
    const search_index_options defaults;
    const Xapian::Stem stem = dutch::stemmer(defaults.analysis);
    const Xapian::Query phrase(Xapian::Query::OP_PHRASE, Xapian::Query("de"),
                               Xapian::Query("polder"));
    for (const auto& q : {Xapian::Query("Z" + stem("fiets")), phrase}) {
        EXPECT_FALSE(ranked(a, q).empty()) << q.get_description();
        EXPECT_EQ(ranked(a, q), ranked(b, q)) << q.get_description();
    }
}

}  // namespace
}  // namespace kade::indexer
