// kade-bench-related DB [RUNS] — times related_posts on a search database folder (the search
// cache kade-index keeps beside its bundle: OUT.kade.search/xapian), the phase "gerelateerd" of
// a build alone, and prints a hash over every post's list, so two builds of kade-index can be
// compared for speed and for giving the same lists. Posts are numbered as kade-index numbers a
// blog without static pages: post i of n is docid n - i.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <xapian.h>

#include "indexer/search/related.hpp"

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: kade-bench-related DB [RUNS]\n");
        return 2;
    }
    try {
        const std::string db = argv[1];
        const int runs = argc == 3 ? std::max(1, std::atoi(argv[2])) : 1;
        const std::size_t posts = Xapian::Database(db).get_doccount();
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            const auto lists = kade::indexer::related_posts(db, posts, 5);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over the lists
            for (const auto& list : lists) {
                for (const std::size_t i : list) hash = (hash ^ i) * 1099511628211ULL;
                hash = (hash ^ 0xff) * 1099511628211ULL;
            }
            std::printf("%zu posts %.3f s lists %016llx\n", posts, seconds,
                        static_cast<unsigned long long>(hash));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kade-bench-related: %s\n", e.what());
        return 1;
    } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "kade-bench-related: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
