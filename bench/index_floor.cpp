// kade-bench-index-floor CONTENT [THREADS [SHAPES]] — what Xapian's writer alone costs for a
// blog's posts: the floor under kade-index's "zoekindex" phase. The posts' plain texts (as the
// indexer makes them: parse_post, render_markdown) are indexed with nothing of ours (no title,
// labels, compound parts, spellings, document data, values or merge) in THREADS databases at once,
// each with its own TermGenerator, committing as often as kade-index does, in four shapes:
//   stemmed    Xapian's Dutch stemmer, STEM_SOME, positions: what every searched post needs
//              (each word unstemmed with its positions for phrases, and stemmed)
//   memo       the same with kade-index's own stemmer (the Dutch analysis's, remembering
//              the stems it made: indexer/search/search_index.hpp's worker_stemmer)
//   words      no stemming, positions: one term per word, the least that phrases need
//   bare       no stemming, no positions
// SHAPES: some of them, comma-separated (default: all four); THREADS: default one per core.
// Prints wall and CPU seconds per shape; the databases go to scratch folders, removed after each.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <xapian.h>

#include "common/files.hpp"
#include "common/text.hpp"
#include "indexer/content/markdown.hpp"
#include "indexer/content/post.hpp"
#include "indexer/content/walk.hpp"
#include "indexer/search/search_index.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> post_texts(const std::string& content) {
    std::vector<std::string> texts;
    for (const std::string& name : kade::indexer::walk_content(content).posts) {
        const std::string path = (fs::path(content) / name).string();
        const std::optional<std::string> bytes = kade::read_file(path);
        if (!bytes) throw std::runtime_error("cannot read " + path);
        std::vector<kade::diagnostic> errors;
        if (auto p = kade::indexer::parse_post(path, *bytes, errors))
            texts.push_back(kade::indexer::render_markdown(p->markdown).text);
    }
    return texts;
}

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void index_slice(const std::vector<std::string>& texts, std::size_t begin, std::size_t end,
                 const std::string& dir, const std::string& shape) {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                         Xapian::DB_NO_SYNC | Xapian::DB_NO_TERMLIST);
    Xapian::TermGenerator indexer;
    if (shape == "stemmed" || shape == "memo")
        indexer = kade::indexer::term_generator(shape == "memo" ? kade::indexer::worker_stemmer({})
                                                                : Xapian::Stem("dutch"));
    for (std::size_t i = begin; i < end; ++i) {
        Xapian::Document doc;
        indexer.set_document(doc);
        if (shape == "bare")
            indexer.index_text_without_positions(texts[i]);
        else
            indexer.index_text(texts[i]);
        db.add_document(doc);
        if ((i - begin + 1) % kade::indexer::posts_per_commit == 0) db.commit();
    }
    db.commit();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: kade-bench-index-floor CONTENT [THREADS [SHAPES]]\n");
        return 2;
    }
    try {
        const std::vector<std::string> texts = post_texts(argv[1]);
        const std::size_t threads = argc >= 3
                                        ? static_cast<std::size_t>(std::max(1, std::atoi(argv[2])))
                                        : std::max(1u, std::thread::hardware_concurrency());
        std::size_t bytes = 0;
        for (const auto& t : texts) bytes += t.size();
        std::printf("%zu posts, %.1f MB of text, %zu threads\n", texts.size(), bytes / 1e6,
                    threads);
        for (const std::string_view name :
             kade::split_views(argc == 4 ? argv[3] : "stemmed,memo,words,bare", ',')) {
            const std::string shape(name);
            if (shape != "stemmed" && shape != "memo" && shape != "words" && shape != "bare")
                throw std::runtime_error("unknown shape " + shape);
            const kade::scratch_dir scratch("kade-index-floor");
            const auto start = std::chrono::steady_clock::now();
            const double cpu_start = cpu_seconds();
            std::vector<std::thread> workers;
            for (std::size_t k = 0; k < threads; ++k)
                workers.emplace_back([&, k] {
                    index_slice(texts, texts.size() * k / threads, texts.size() * (k + 1) / threads,
                                (scratch.path() / std::to_string(k)).string(), shape);
                });
            for (auto& w : workers) w.join();
            const double wall =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("%-8s wall %7.2f s  cpu %7.2f s\n", shape.c_str(), wall,
                        cpu_seconds() - cpu_start);
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kade-bench-index-floor: %s\n", e.what());
        return 1;
    }
}
