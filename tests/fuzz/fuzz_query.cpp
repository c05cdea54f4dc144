// libFuzzer driver: the search query path — folding, Xapian's query parser with our options,
// the plain-words retry, spelling suggestions — against a tiny in-memory database, and the
// resulting query run through Enquire; then snippets with the query's terms, of the input's own
// bytes (the word walk on arbitrary, also malformed, UTF-8) and of a post-like text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include <xapian.h>

#include "common/files.hpp"
#include "server/search/query.hpp"
#include "server/search/snippet.hpp"

namespace {

// A glass database in a temporary folder (the in-memory backend has no spelling table).
Xapian::Database make_database() {
    const kade::scratch_dir dir("kade-fuzz-query");
    const std::string path = (dir.path() / "db").string();
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    Xapian::TermGenerator gen;
    gen.set_stemmer(Xapian::Stem("dutch"));
    gen.set_database(db);
    gen.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    const char* texts[] = {
        "Doen waar je niet goed in bent. Logisch toch? Klanten en leveranciers samenwerken.",
        "Een idee over klantcontact en ondernemen in 2014, écht waar.",
        "Samenwerking met ideeën: één plan, veel klanten.",
    };
    int year = 2014;
    for (const char* text : texts) {
        Xapian::Document doc;
        gen.set_document(doc);
        gen.index_text(text);
        gen.index_text(text, 1, "S");  // title-like prefix
        doc.add_boolean_term("Kondernemen");
        doc.add_boolean_term("Y" + std::to_string(year++));
        doc.add_value(0, Xapian::sortable_serialise(year));
        db.add_document(doc);
    }
    db.commit();
    db.close();
    return Xapian::Database(path);  // the open tables stay readable when `dir` goes
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Xapian::Database db = make_database();
    static kade::search::query_builder builder(db);
    static const Xapian::Stem stem = builder.make_stemmer();
    if (size == 0) return 0;
    const bool prefix = data[0] & 1;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const auto parsed = builder.parse(text, prefix);
        Xapian::Enquire enquire(db);
        enquire.set_query(parsed.query);
        (void)enquire.get_mset(0, 10);
        kade::search::snippet_maker snippets(parsed.terms, stem);
        (void)snippets.make(text, 30);
        (void)snippets.make(
            "Gewerkt met klanten: klantcontact, samenwerking en z'n ideeën (één plan) in 2014.", 8);
    } catch (const Xapian::Error&) {
        // Xapian limits (e.g. too many terms) are reported by the searcher as 503s; what we
        // look for here are crashes, leaks and undefined behaviour.
    }
    return 0;
}
