// kade-bench-widen-bundle IN.kade OUT.kade COPIES — a bundle with COPIES times the entries of IN:
// every entry of IN once with its bodies, then COPIES-1 more times under other paths
// ("/rK/…", "!rK…") with a one-byte body; the same search database and dictionary. For
// measuring how kade-serve's start grows with the number of entries (bench/startup_compare.py)
// without indexing a blog that large: 10 copies of 10,000 posts have the entries of 100,000
// (but the search database of 10,000).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "common/derived_identity.hpp"

using namespace kade::bundle;

int main(int argc, char** argv) {
    if (argc != 4 || std::atoi(argv[3]) < 1) {
        std::fprintf(stderr, "usage: kade-bench-widen-bundle IN.kade OUT.kade COPIES\n");
        return 2;
    }
    try {
        const auto in = loaded_bundle::load(argv[1]);
        const bundle_view& v = in->view();
        const int copies = std::atoi(argv[3]);
        bundle_builder out;
        for (int k = 0; k < copies; ++k) {
            for (const auto& e : v.entries()) {
                entry_input x;
                const std::string path(v.path(e));
                const std::string tag = "r" + std::to_string(k);
                x.path = k == 0                ? path
                         : path.front() == '!' ? "!" + tag + path.substr(1)
                                               : "/" + tag + path;
                x.content_type = v.str(e.content_type);
                x.status = e.status;
                x.cache = static_cast<cache_class>(e.cache);
                x.last_modified = e.last_modified;
                x.location = v.str(e.location);
                x.keys = v.str(e.keys);
                if (k > 0) {
                    x.variants[0] = std::string("x");
                } else {
                    for (std::size_t n = 1; n < variant_count; ++n)
                        if (v.holds(e, n)) x.variants[n] = std::string(v.body(e, n));
                    x.derive_identity = v.derives_identity(e);
                    x.variants[0] = x.derive_identity ? derive_identity(v, e).value()
                                                      : std::string(v.body(e, 0));
                }
                out.add(std::move(x));
            }
        }
        out.set_search_database(std::string(v.search_database()));
        if (v.dictionary())
            out.set_dictionary(v.dictionary_bytes(), std::string(v.path(*v.dictionary_entry())));
        std::printf("%s: %zu entries, build %s\n", argv[2], v.entries().size() * copies,
                    out.write(argv[2]).c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kade-bench-widen-bundle: %s\n", e.what());
        return 1;
    }
}
