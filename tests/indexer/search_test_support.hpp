#pragma once
// For the tests that build search databases in more than one way (search_slices_test,
// shards_test): a site from post files given as text, and the check that two databases hold
// the same documents.
#include <string>
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

}  // namespace kade::indexer::test
