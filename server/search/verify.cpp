#include "server/search/verify.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

#include <xapian.h>

namespace kade::search {
namespace {

// `open_fd` gives a new descriptor at the database each time: check() closes the one it takes.
template <class OpenFd>
void verify_one(const std::string& name, OpenFd open_fd) {
    std::ostringstream report;
    try {
        const std::size_t errors = Xapian::Database::check(open_fd(), 0, &report);
        if (errors > 0) {
            std::string first = report.str();
            first = first.substr(0, first.find('\n'));
            throw std::runtime_error(name + " is damaged: " + std::to_string(errors) +
                                     " error(s) found by Xapian's check" +
                                     (first.empty() ? "" : " (" + first + ")"));
        }
        const Xapian::Database db(open_fd());
        Xapian::Enquire enquire(db);
        const auto term = db.allterms_begin();
        enquire.set_query(term == db.allterms_end() ? Xapian::Query::MatchAll
                                                    : Xapian::Query(*term));
        const Xapian::MSet top = enquire.get_mset(0, 1);
        if (top.size() > 0) (void)top.begin().get_document().get_data();
    } catch (const Xapian::Error& e) {
        throw std::runtime_error(name + " is damaged: " + e.get_description());
    }
}

}  // namespace

void verify_databases(const bundle::loaded_bundle& bundle) {
    verify_one("the search database", [&] { return bundle.open_search_fd(); });
    for (std::size_t k = 0; k < bundle.view().shards().size(); ++k)
        verify_one("search shard " + std::to_string(k), [&] { return bundle.open_shard_fd(k); });
}

}  // namespace kade::search
