#include "server/search/snippet.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>

#include "common/dutch.hpp"
#include "common/files.hpp"

namespace {

using kade::search::make_snippet;
using kade::search::snippet_terms;

std::string snippet(std::string_view text, const snippet_terms& terms, std::size_t max_words = 30) {
    return make_snippet(text, terms, kade::dutch::stemmer(), max_words);
}

snippet_terms words(std::initializer_list<std::string> list) {
    snippet_terms terms;
    terms.words = list;
    return terms;
}

snippet_terms stems(std::initializer_list<std::string> list) {
    snippet_terms terms;
    terms.stems = list;
    return terms;
}

snippet_terms prefixes(std::initializer_list<std::string> list) {
    snippet_terms terms;
    terms.prefixes = list;
    return terms;
}

// "wFROM … wTO-1 ": filler words, each followed by a space.
std::string filler(std::size_t from, std::size_t to) {
    std::string text;
    for (std::size_t i = from; i < to; ++i) text += "w" + std::to_string(i) + " ";
    return text;
}

std::size_t count(const std::string& haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

TEST(snippet, marks_a_word_whose_stem_is_searched) {
    EXPECT_EQ(snippet("Onze klanten zijn tevreden.", stems({"klant"})),
              "Onze <mark>klanten</mark> zijn tevreden.");
}

TEST(snippet, marks_an_accented_word_when_its_folded_form_is_searched) {
    EXPECT_EQ(snippet("Dit is écht goed.", words({"echt"})), "Dit is <mark>écht</mark> goed.");
}

TEST(snippet, keeps_the_original_spelling_inside_the_mark) {
    EXPECT_EQ(snippet("KLANTEN eerst", stems({"klant"})), "<mark>KLANTEN</mark> eerst");
    EXPECT_EQ(snippet("Ĳs en ijs", words({"ijs"})), "<mark>Ĳs</mark> en <mark>ijs</mark>");
}

TEST(snippet, marks_a_word_that_starts_with_a_searched_prefix) {
    EXPECT_EQ(snippet("Het klantcontact verbetert.", prefixes({"klantc"})),
              "Het <mark>klantcontact</mark> verbetert.");
}

TEST(snippet, escapes_html_in_the_text) {
    const std::string out =
        snippet("<script>alert('klant')</script> & \"klanten\"", stems({"klant"}));
    EXPECT_EQ(out,
              "&lt;script&gt;alert(&#39;<mark>klant</mark>&#39;)&lt;/script&gt; &amp; "
              "&quot;<mark>klanten</mark>&quot;");
    EXPECT_EQ(out.find("<script"), std::string::npos);
}

TEST(snippet, marks_a_word_with_an_apostrophe_as_one_word) {
    EXPECT_EQ(snippet("Hij deed z’n best.", words({"z'n"})), "Hij deed <mark>z’n</mark> best.");
}

TEST(snippet, collapses_whitespace_and_paragraph_breaks_to_single_spaces) {
    EXPECT_EQ(snippet("Eerste alinea.\n\nTweede\t\t alinea.  ", words({"tweede"})),
              "Eerste alinea. <mark>Tweede</mark> alinea.");
}

TEST(snippet, shows_a_window_around_the_match_starting_a_few_words_before_it) {
    const std::string text = filler(0, 100) + "de klant belt " + filler(100, 200);
    EXPECT_EQ(snippet(text, words({"klant"})),
              "… w97 w98 w99 de <mark>klant</mark> belt " + filler(100, 124) + "…");
    // A narrow window keeps less before the match: a quarter of it.
    EXPECT_EQ(snippet(text, words({"klant"}), 8),
              "… w99 de <mark>klant</mark> belt w100 w101 w102 w103 …");
}

TEST(snippet, shows_the_end_of_the_text_when_the_match_is_near_it) {
    const std::string text = filler(0, 100) + "klant.";
    EXPECT_EQ(snippet(text, words({"klant"}), 5), "… w96 w97 w98 w99 <mark>klant</mark>.");
}

TEST(snippet, prefers_the_window_with_the_most_distinct_terms) {
    const std::string text =
        "klant klant klant " + filler(0, 50) + "klant en contact " + filler(50, 100);
    const std::string out = snippet(text, words({"klant", "contact"}), 8);
    EXPECT_EQ(out, "… w48 w49 <mark>klant</mark> en <mark>contact</mark> w50 w51 w52 …");
}

TEST(snippet, counts_forms_of_one_word_as_one_term) {
    // "klanten" in words and "klant" in stems: "klant klanten" is one term twice, so the
    // window with both query words wins.
    const std::string text =
        "klant klanten " + filler(0, 50) + "klanten en contact " + filler(50, 100);
    snippet_terms terms = words({"klanten", "contact"});
    terms.stems = {"klant", "contact"};
    const std::string out = snippet(text, terms, 8);
    EXPECT_NE(out.find("<mark>contact</mark>"), std::string::npos) << out;
}

TEST(snippet, without_a_match_shows_the_first_words) {
    EXPECT_EQ(snippet(filler(0, 100), words({"klant"}), 5), "w0 w1 w2 w3 w4 …");
    EXPECT_EQ(snippet("Kort bericht.", words({"klant"})), "Kort bericht.");
    EXPECT_EQ(snippet("Kort bericht.", {}), "Kort bericht.");
}

TEST(snippet, keeps_punctuation_attached_to_the_words_at_its_edges) {
    const std::string text = filler(0, 20) + "(\"klant\"), " + filler(20, 40);
    EXPECT_EQ(snippet(text, words({"klant"}), 4),
              "… w19 (&quot;<mark>klant</mark>&quot;), w20 w21 …");
    EXPECT_EQ(snippet(text, words({"klant"}), 2), "… (&quot;<mark>klant</mark>&quot;), w20 …");
}

TEST(snippet, marks_every_match_in_the_window) {
    const std::string out = snippet("klant, klanten en klantje", stems({"klant"}));
    EXPECT_EQ(count(out, "<mark>"), 2u) << out;  // "klantje" stems to "klantj"
}

TEST(snippet, reads_only_the_first_two_thousand_words) {
    const std::string text = filler(0, 3000) + "klant " + filler(3000, 3010);
    EXPECT_EQ(snippet(text, words({"klant"}), 3), "w0 w1 w2 …");
}

TEST(snippet, is_empty_for_text_without_words_or_for_no_words_wanted) {
    EXPECT_EQ(snippet("", words({"klant"})), "");
    EXPECT_EQ(snippet(" ... ", words({"klant"})), "");
    EXPECT_EQ(snippet("klant", words({"klant"}), 0), "");
}

TEST(snippet, marks_one_letter_words) {
    EXPECT_EQ(snippet("Dank u wel", words({"u"})), "Dank <mark>u</mark> wel");
}

TEST(snippet, survives_malformed_utf8) {
    const std::string out = snippet("caf\xE9 klant \xC3", words({"klant"}));
    EXPECT_NE(out.find("<mark>klant</mark>"), std::string::npos);
}

// make_snippet skips words that do not share their first two bytes with a term, or, for a word
// starting "ge", the two bytes after it; for stems that is only right while the stemmer keeps
// those bytes. Checked for the stemmer Kade ships (Porter with our overrides, where "gewerkt" →
// "werk"). Kraaij-Pohlmann would fail it beyond "ge-" (it respells vowels: "aderige" → "aad"),
// one reason it was not chosen; switching needs a different filter.
TEST(snippet, the_stemmers_keep_the_first_two_bytes_of_a_word_or_of_its_ge_stem) {
    std::set<std::string> vocabulary = {
        "baan",   "adde",    "aal", "ee", "uu",      "mogelijkheden", "gebakken", "ideeën",
        "ijzers", "yoghurt", "a",   "ge", "gewerkt", "auto's",        "huizen",   "bedrijven"};
    // Plus every word of the Snowball vocabulary and of two corpus files (tests/fixtures/corpus/).
    for (const char* file :
         {"snowball-dutch-voc-output.tsv", "ud-lassysmall-wiki-nl.txt", "gnome-help-nl.txt"}) {
        const auto text = kade::read_file(std::string(KADE_CORPUS_DIR) + "/" + file);
        ASSERT_TRUE(text) << "cannot read " << KADE_CORPUS_DIR << "/" << file;
        const std::string folded = kade::dutch::fold(*text);
        kade::dutch::for_each_word(
            folded, [&](size_t b, size_t e) { vocabulary.insert(folded.substr(b, e - b)); });
    }
    for (const auto& options : {kade::dutch::analysis_options{}}) {
        const Xapian::Stem stem = kade::dutch::stemmer(options);
        for (const std::string& word : vocabulary) {
            const std::string folded = kade::dutch::fold(word);
            const std::string s = stem(folded);
            // The matcher compares a term's first two bytes (fewer for a shorter stem).
            const std::size_t n = std::min<std::size_t>(2, s.size());
            const bool keeps = s.compare(0, n, folded, 0, n) == 0;
            const bool keeps_after_ge =
                folded.size() > 4 && folded.starts_with("ge") && s.compare(0, n, folded, 2, n) == 0;
            // A strong verb's form stems as its infinitive; the matcher adds the form's head.
            const std::string_view f = folded.size() > 4 && folded.starts_with("ge")
                                           ? std::string_view(folded).substr(2)
                                           : std::string_view(folded);
            const auto& verb_heads = kade::dutch::strong_verb_heads(s.substr(0, 2));
            const bool verb_form =
                !kade::dutch::strong_verb_infinitive(folded).empty() &&
                std::find(verb_heads.begin(), verb_heads.end(), f.substr(0, 2)) != verb_heads.end();
            ASSERT_TRUE(keeps || keeps_after_ge || verb_form)
                << folded << " stems to " << s << " with " << options.stemmer;
        }
    }
}

TEST(snippet, marks_the_forms_of_a_strong_verb) {
    EXPECT_EQ(snippet("Ik liep naar huis.", stems({"lop"})), "Ik <mark>liep</mark> naar huis.");
    EXPECT_EQ(snippet("We hebben gezongen.", stems({"zing"})), "We hebben <mark>gezongen</mark>.");
    EXPECT_EQ(snippet("Hij kwam laat.", stems({"kom"})), "Hij <mark>kwam</mark> laat.");
}

TEST(snippet, marks_a_ge_form_of_a_stem) {
    EXPECT_EQ(snippet("Ik heb thuis gewerkt.", stems({"werk"})),
              "Ik heb thuis <mark>gewerkt</mark>.");
}

TEST(snippet, marks_a_compound_that_holds_a_query_term) {
    EXPECT_EQ(snippet("Goed klantcontact begint hier.", stems({"contact"})),
              "Goed <mark>klantcontact</mark> begint hier.");
    EXPECT_EQ(snippet("Goed klantcontact begint hier.", stems({"klant"})),
              "Goed <mark>klantcontact</mark> begint hier.");
    EXPECT_EQ(snippet("De klantenservice.", stems({"kla"})), "De klantenservice.");
    // A part at the end of a word whose last letter folds ("café" → "cafe").
    EXPECT_EQ(snippet("Ons buurtcafé gaat open.", stems({"cafe"})),
              "Ons <mark>buurtcafé</mark> gaat open.");
    EXPECT_EQ(snippet("Ons BUURTCAFE gaat open.", stems({"cafe"})),
              "Ons <mark>BUURTCAFE</mark> gaat open.");
}

TEST(snippet, short_words_match_one_and_two_letter_terms) {
    EXPECT_EQ(snippet("Zo is het: A of B.", words({"a"})), "Zo is het: <mark>A</mark> of B.");
    EXPECT_EQ(snippet("Zo is het: A of B.", words({"of"})), "Zo is het: A <mark>of</mark> B.");
    EXPECT_EQ(snippet("Zo is het: A of B.", words({"ab"})), "Zo is het: A of B.");
}

}  // namespace

// One maker for all the hits of a query gives each text the snippet (and window) make_snippet
// gives it alone, whichever texts came before: terms are numbered per text, in the order they
// occur in it, and the early stop sees only the terms of the text at hand.
TEST(snippet, a_maker_for_many_texts_gives_each_its_own_snippet) {
    const std::vector<std::string> texts = {
        filler(0, 40) + "klantcontact en service " + filler(40, 80) + "klanten contact",
        "Contact met de klant: " + filler(0, 60) + "klant " + filler(60, 70) + "contact",
        filler(0, 100) + "klanten " + filler(100, 110) + "Klant contacten servicedesk",
        "Geen van de woorden staat hier. " + filler(0, 50),
        "Servicecontact, klantenservice en contactpersonen " + filler(0, 30) + "klant",
    };
    snippet_terms terms;
    terms.words = {"klanten", "contact"};
    terms.stems = {"klant", "contact", "servic"};
    terms.prefixes = {"servicede"};
    const Xapian::Stem stem = kade::dutch::stemmer();
    for (bool reversed : {false, true}) {
        std::vector<std::string> order = texts;
        if (reversed) std::reverse(order.begin(), order.end());
        kade::search::snippet_maker maker(terms, stem);
        for (const std::string& text : order) {
            std::size_t alone_window = 0, shared_window = 0;
            const std::string alone = make_snippet(text, terms, stem, 12, &alone_window);
            EXPECT_EQ(maker.make(text, 12, &shared_window), alone) << text;
            EXPECT_EQ(shared_window, alone_window) << text;
        }
    }
}

// A term seen in an earlier text ("klanten" as the end of a compound) must not keep a later
// text's scan from stopping at its first window with every term: a full scan would prefer the
// later window with more matches.
TEST(snippet, a_maker_stops_early_as_make_snippet_does) {
    snippet_terms terms;
    terms.words = {"klanten"};
    terms.stems = {"klant", "contact"};
    const Xapian::Stem stem = kade::dutch::stemmer();
    const std::string first = "Onze trouwklanten " + filler(0, 20);
    const std::string second =
        "klant contact " + filler(0, 40) + "klant contact klant contact " + filler(40, 60);
    const std::string alone = make_snippet(second, terms, stem, 12);
    EXPECT_TRUE(alone.starts_with("<mark>klant</mark> <mark>contact</mark> w0")) << alone;
    kade::search::snippet_maker maker(terms, stem);
    EXPECT_NE(maker.make(first, 12).find("<mark>trouwklanten</mark>"), std::string::npos);
    EXPECT_EQ(maker.make(second, 12), alone);
}
