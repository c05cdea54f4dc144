#pragma once
// For the tests that build search databases in more than one way (search_slices_test,
// shards_test, glass_file_test): a site from post files given as text, and the checks that two
// databases hold the same documents or the same everything.
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "common/config.hpp"
#include "common/diagnostic.hpp"
#include "indexer/content/post.hpp"
#include "indexer/content/site.hpp"

namespace kade::indexer::test {

// The site of these posts (whole files: front matter and body), named p0.md, p1.md, …; each
// must parse, and the site must build without a problem.
inline site site_of(const std::vector<std::string>& texts) {
    std::vector<post> posts;
    std::vector<diagnostic> errors;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        auto p = parse_post("p" + std::to_string(i) + ".md", texts[i], errors);
        EXPECT_TRUE(p);
        if (p) posts.push_back(std::move(*p));
    }
    site s = build_site(std::move(posts), config{}, errors);
    EXPECT_TRUE(errors.empty());
    return s;
}

// Post i is docid i + 1 in both, with the same data and terms.
inline void expect_same_documents(const Xapian::Database& a, const Xapian::Database& b) {
    ASSERT_EQ(a.get_doccount(), b.get_doccount());
    for (Xapian::docid d = 1; d <= a.get_lastdocid(); ++d) {
        EXPECT_EQ(a.get_document(d).get_data(), b.get_document(d).get_data()) << d;
        std::vector<std::string> ta(a.termlist_begin(d), a.termlist_end(d));
        std::vector<std::string> tb(b.termlist_begin(d), b.termlist_end(d));
        EXPECT_EQ(ta, tb) << d;
    }
}

// Everything a reader can ask of a database, in one string: statistics, every term with its
// frequencies, postings (wdf, document length) and positions, every document's data and values,
// the values of slots 0-15 in docid order, the spellings and the metadata.
inline std::string database_contents(const Xapian::Database& db) {
    std::string s;
    auto add = [&](const auto& x) {
        if constexpr (std::is_arithmetic_v<std::decay_t<decltype(x)>>)
            s += std::to_string(x);
        else
            s += x;
        s += '\x1f';
    };
    add(db.get_doccount());
    add(db.get_lastdocid());
    add(db.get_total_length());
    add(db.get_doclength_lower_bound());
    add(db.get_doclength_upper_bound());
    add(db.has_positions() ? 1 : 0);
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        add(*t);
        add(t.get_termfreq());
        add(db.get_collection_freq(*t));
        add(db.get_wdf_upper_bound(*t));
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
            add(*p);
            add(p.get_wdf());
            add(p.get_doclength());
            for (auto at = p.positionlist_begin(); at != p.positionlist_end(); ++at) add(*at);
        }
    }
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
        const Xapian::Document doc = db.get_document(*d);
        add(*d);
        add(doc.get_data());
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
            add(v.get_valueno());
            add(*v);
        }
    }
    // Values by slot: a database without its termlist table cannot list a document's slots.
    for (Xapian::valueno slot = 0; slot < 16; ++slot) {
        add(db.get_value_freq(slot));
        add(db.get_value_lower_bound(slot));
        add(db.get_value_upper_bound(slot));
        for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
            add(v.get_docid());
            add(*v);
        }
    }
    for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
        add(*w);
        add(w.get_termfreq());
    }
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k) {
        add(*k);
        add(db.get_metadata(*k));
    }
    return s;
}

}  // namespace kade::indexer::test
