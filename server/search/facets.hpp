#pragma once
// Labels and year of every post by docid, read once from the database's value slots when a
// searcher opens it. Counting a match's facets then reads two small arrays per document the
// matcher examines, instead of each document's values into a map of strings per slot (Xapian's
// ValueCountMatchSpy: about 40 % of a search at 10k posts; bench/results/2026-12-04).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

namespace kade::search {

class facet_table {
  public:
    explicit facet_table(const Xapian::Database& db);

  private:
    friend class facet_spy;
    static constexpr std::uint16_t no_year = 0xffff;

    std::vector<std::string> labels_;         // by label id, as written
    std::vector<std::string> years_;          // by year id: "2014"
    std::vector<std::uint16_t> year_of_;      // by docid
    std::vector<std::uint32_t> label_begin_;  // by docid: first of its ids in label_ids_
    std::vector<std::uint32_t> label_ids_;    // every post's label ids, in docid order
};

// Counts the labels and years of the documents the matcher examines (add it to an Enquire).
class facet_spy : public Xapian::MatchSpy {
  public:
    explicit facet_spy(const facet_table& table);
    void operator()(const Xapian::Document& doc, double weight) override;

    Xapian::doccount seen() const { return seen_; }
    // (name, count) of each label and year seen at least once, unordered.
    std::vector<std::pair<std::string, std::uint64_t>> labels() const;
    std::vector<std::pair<std::string, std::uint64_t>> years() const;

  private:
    const facet_table& table_;
    std::vector<std::uint32_t> label_n_;
    std::vector<std::uint32_t> year_n_;
    Xapian::doccount seen_ = 0;
};

}  // namespace kade::search
