// kade-index: content/ → one bundle. A thin main: flags, config, pipeline, summary.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/command_line.hpp"
#include "common/config.hpp"
#include "common/diagnostic.hpp"
#include "indexer/output/diff.hpp"
#include "indexer/pipeline.hpp"

namespace {

constexpr const char* usage =
    "usage: kade-index --config FILE [--content DIR] [--out FILE] [--check]\n"
    "                  [--shards N [--shards-out DIR]] [--new-dictionary] [--full]\n"
    "       kade-index --diff OLD.kade NEW.kade\n"
    "\n"
    "Renders every page of the blog in DIR (default: [index].content), precompresses it,\n"
    "builds the Dutch search index and writes one bundle atomically to FILE (default:\n"
    "[index].output). Bad content is reported as FILE:LINE: message; then nothing is written.\n"
    "\n"
    "  --config FILE   configuration (see below for every key and its default)\n"
    "  --content DIR   content folder, overrides [index].content\n"
    "  --out FILE      bundle to write, overrides [index].output\n"
    "  --check         validate the content, write nothing\n"
    "  --shards N      also split the search index into N databases by post (round\n"
    "                  robin), kept in the bundle for [search] shards = \"local,…\"\n"
    "  --shards-out DIR  write the N shards to DIR/shard-0 … as folder databases for\n"
    "                  xapian-tcpsrv (Debian's xapian-tools) on other machines\n"
    "  --new-dictionary  train a new compression dictionary; by default the one of the\n"
    "                  bundle at FILE is kept, so a deploy does not change every page\n"
    "  --full          compress every page again; by default a page whose bytes are\n"
    "                  unchanged keeps its compressed bytes from the bundle at FILE\n"
    "                  (when it was built by this version with the same settings)\n"
    "  --diff OLD NEW  print the purge keys of every entry that differs between two\n"
    "                  bundles (added, removed, other bytes, status or location), and\n"
    "                  `search` when the search database differs, sorted, one per line:\n"
    "                  what a CDN must purge after deploying NEW over OLD\n"
    "  --help          this text;  --version  the version\n"
    "\n"
    "Exit status: 0 done, 1 bad content or failure, 2 usage error.\n"
    "\n"
    "Configuration keys:\n";

struct arguments {
    std::string config, content, out;
    bool check = false;
    bool new_dictionary = false;
    bool full = false;
    unsigned shards = 0;
    std::string shards_out;
    std::string diff_old, diff_new;  // --diff
};

// The arguments of a run; an exit status when there is nothing to run (--help, --version, a
// usage error).
std::optional<int> parse_arguments(int argc, char** argv, arguments& a) {
    const kade::option options[] = {
        kade::value_option("--config", a.config),
        kade::value_option("--content", a.content),
        kade::value_option("--out", a.out),
        kade::switch_option("--check", a.check),
        kade::switch_option("--new-dictionary", a.new_dictionary),
        kade::switch_option("--full", a.full),
        {"--shards", 1,
         [&](std::span<const std::string> v) {
             const std::string& n = v[0];
             if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != n.npos ||
                 std::stoi(n) < 1 || std::stoi(n) > 256)
                 throw kade::usage_error("--shards needs a number from 1 to 256");
             a.shards = static_cast<unsigned>(std::stoi(n));
         }},
        kade::value_option("--shards-out", a.shards_out),
        {"--diff", 2,
         [&](std::span<const std::string> v) {
             a.diff_old = v[0];
             a.diff_new = v[1];
         },
         "two bundles"},
    };
    const kade::program index{"kade-index", usage, true};
    return kade::read_command_line(index, argc, argv, options, nullptr, [&] {
        if (!a.diff_old.empty()) {
            // --config is allowed (and unused) so scripts can pass it always.
            if (!a.content.empty() || !a.out.empty() || a.check)
                throw kade::usage_error("--diff takes no --content, --out or --check");
            return;
        }
        if (a.config.empty()) throw kade::usage_error("--config FILE is required");
        if (!a.shards_out.empty() && a.shards == 0)
            throw kade::usage_error("--shards-out needs --shards N");
    });
}

// A one-line progress bar on a terminal; nothing when stderr is a file or a pipe.
void show_progress(const std::string& phase, double done) {
    static const bool tty = ::isatty(STDERR_FILENO);
    if (!tty) return;
    constexpr int width = 30;
    const int filled = static_cast<int>(done * width);
    std::fprintf(stderr, "\r[%-*s] %3.0f%% %-24s", width,
                 std::string(static_cast<std::size_t>(filled), '#').c_str(), done * 100.0,
                 phase.c_str());
    if (done >= 1.0) std::fprintf(stderr, "\r%*s\r", width + 32, "");
    std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    if (const auto exit = parse_arguments(argc, argv, args)) return *exit;
    if (!args.diff_old.empty()) {
        try {
            for (const auto& key : kade::indexer::changed_keys(args.diff_old, args.diff_new))
                std::cout << key << "\n";
            return kade::exit_ok;
        } catch (const std::exception& e) {
            std::cerr << "kade-index: " << e.what() << "\n";
            return kade::exit_failure;
        }
    }
    try {
        kade::config cfg = kade::load_config(args.config);
        const kade::config_override flags[] = {{"--content", "index.content", args.content},
                                               {"--out", "index.output", args.out}};
        kade::apply_overrides(cfg, flags);
        kade::indexer::build_options options;
        options.content_dir = cfg.index.content;
        options.output = cfg.index.output;
        options.write = !args.check;
        options.shards = args.shards;
        options.shards_out = args.shards_out;
        options.new_dictionary = args.new_dictionary;
        options.full = args.full;
        options.progress = show_progress;
        const auto summary = kade::indexer::build_bundle(cfg, options);
        std::cout << kade::indexer::format_summary(summary, options.output, options.write);
        return kade::exit_ok;
    } catch (const kade::diagnostics_error& e) {
        show_progress("", 1.0);
        for (const auto& d : e.diagnostics) std::cerr << kade::format_diagnostic(d) << "\n";
        std::cerr << "kade-index: " << e.diagnostics.size()
                  << (e.diagnostics.size() == 1 ? " problem" : " problems")
                  << "; no bundle written\n";
        return kade::exit_failure;
    } catch (const std::exception& e) {
        show_progress("", 1.0);
        std::cerr << "kade-index: " << e.what() << "\n";
        return kade::exit_failure;
    }
}
