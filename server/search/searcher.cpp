#include "server/search/searcher.hpp"

#include <chrono>
#include <stdexcept>

#include "server/common/dutch.hpp"
#include "server/common/search_document.hpp"

namespace kade::search {
namespace {

Xapian::Database open_database(const bundle::loaded_bundle& bundle) {
    try {
        return Xapian::Database(bundle.open_search_fd());
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("cannot open the search database: " + e.get_description());
    }
}

}  // namespace

searcher::searcher(const bundle::loaded_bundle& bundle)
    : db_(open_database(bundle)), builder_(db_), stem_(dutch::stemmer()) {}

search_result searcher::run(const search_request& request) {
    const auto start = std::chrono::steady_clock::now();
    search_result result;
    parsed_query parsed = builder_.parse(request.query, request.prefix);
    Xapian::Query query = parsed.query;
    if (!request.label.empty())
        query = Xapian::Query(
            Xapian::Query::OP_FILTER, query,
            Xapian::Query(std::string(search_document::label_prefix) + dutch::fold(request.label)));

    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    if (request.sort_by_date) {
        enquire.set_sort_by_value_then_relevance(search_document::date_slot, true);
    } else {
        // Relevance first; among equal scores the newer post (higher docid is not newer, so
        // the date value breaks ties).
        enquire.set_sort_by_relevance_then_value(search_document::date_slot, true);
    }
    const auto first = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
    const Xapian::MSet mset =
        enquire.get_mset(first, static_cast<Xapian::doccount>(request.per_page), 100);
    result.total = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const std::string data = it.get_document().get_data();
        search_document::fields f;
        if (!search_document::decode(data, f)) continue;
        search_hit hit{std::string(f.url), std::string(f.title), std::string(f.date), {}, ""};
        for (auto label : search_document::split_labels(f.labels)) hit.labels.emplace_back(label);
        hit.snippet = make_snippet(f.text, parsed.terms, stem_);
        result.hits.push_back(std::move(hit));
    }
    result.suggestion = parsed.suggestion;
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace kade::search
