#include "server/search/facets.hpp"

#include <string_view>
#include <unordered_map>

#include "common/search_document.hpp"

namespace kade::search {
namespace {

std::uint32_t id_of(std::string_view name, std::unordered_map<std::string, std::uint32_t>& ids,
                    std::vector<std::string>& names) {
    const auto [it, added] = ids.try_emplace(std::string(name), names.size());
    if (added) names.emplace_back(name);
    return it->second;
}

}  // namespace

facet_table::facet_table(const Xapian::Database& db) {
    const Xapian::docid last = db.get_lastdocid();
    year_of_.assign(last + 1, no_year);
    std::unordered_map<std::string, std::uint32_t> ids;
    for (auto it = db.valuestream_begin(search_document::year_slot);
         it != db.valuestream_end(search_document::year_slot); ++it) {
        const std::uint32_t id = id_of(*it, ids, years_);
        if (id < no_year) year_of_[it.get_docid()] = static_cast<std::uint16_t>(id);
    }
    // Labels: '\x1f'-separated in one value. The stream is in docid order, so the ids are laid
    // out by docid as they come; label_begin_[d + 1] is where document d's end.
    ids.clear();
    label_begin_.assign(last + 2, 0);
    Xapian::docid next = 1;  // the first docid whose begin is not yet set
    for (auto it = db.valuestream_begin(search_document::labels_slot);
         it != db.valuestream_end(search_document::labels_slot); ++it) {
        const Xapian::docid d = it.get_docid();
        for (; next <= d; ++next)
            label_begin_[next] = static_cast<std::uint32_t>(label_ids_.size());
        const std::string value = *it;
        std::string_view v = value;
        while (!v.empty()) {
            const auto sep = v.find('\x1f');
            label_ids_.push_back(id_of(v.substr(0, sep), ids, labels_));
            if (sep == std::string_view::npos) break;
            v.remove_prefix(sep + 1);
        }
    }
    for (; next <= last + 1; ++next)
        label_begin_[next] = static_cast<std::uint32_t>(label_ids_.size());
}

facet_spy::facet_spy(const facet_table& table)
    : table_(table), label_n_(table.labels_.size()), year_n_(table.years_.size()) {}

void facet_spy::operator()(const Xapian::Document& doc, double) {
    ++seen_;
    const Xapian::docid d = doc.get_docid();
    if (d + 1 >= table_.label_begin_.size()) return;  // added after the table was read
    if (const auto y = table_.year_of_[d]; y != facet_table::no_year) ++year_n_[y];
    for (auto i = table_.label_begin_[d]; i < table_.label_begin_[d + 1]; ++i)
        ++label_n_[table_.label_ids_[i]];
}

std::vector<std::pair<std::string, std::uint64_t>> facet_spy::labels() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < label_n_.size(); ++i)
        if (label_n_[i] > 0) out.emplace_back(table_.labels_[i], label_n_[i]);
    return out;
}

std::vector<std::pair<std::string, std::uint64_t>> facet_spy::years() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < year_n_.size(); ++i)
        if (year_n_[i] > 0) out.emplace_back(table_.years_[i], year_n_[i]);
    return out;
}

}  // namespace kade::search
