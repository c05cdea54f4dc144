// kade-serve: flags → config → bundle → workers → signals. Each step is a named unit:
// the TLS context (tls_context.hpp), the worker threads (workers.hpp), the signal handling and
// drain (ops/shutdown.hpp), reloads (ops/reloader.hpp).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "common/bundle_reader.hpp"
#include "common/command_line.hpp"
#include "common/config.hpp"
#include "common/diagnostic.hpp"
#include "server/http/response.hpp"
#include "server/http/session.hpp"
#include "server/ops/access_log.hpp"
#include "server/ops/bundle_slot.hpp"
#include "server/ops/metrics.hpp"
#include "server/ops/observe.hpp"
#include "server/ops/reloader.hpp"
#include "server/ops/shutdown.hpp"
#include "server/search/settings.hpp"
#include "server/tls_context.hpp"
#include "server/workers.hpp"

namespace {

constexpr const char* usage =
    "usage: kade-serve --config FILE [--bundle FILE] [--listen HOST:PORT]\n"
    "\n"
    "Maps a bundle written by kade-index (or copies it, server.copy_bundle) and serves the\n"
    "blog from it. It serves once the bundle's structure is checked; a background check of\n"
    "every byte follows (/healthz says \"verifying\", then \"verified\"), and a bundle that fails\n"
    "it stops the server (exit 1). Replace the bundle by renaming a new file onto its path.\n"
    "SIGHUP, or a new file at the bundle path (server.watch_bundle), reloads the bundle\n"
    "(verified first; a bad one is refused and the old one keeps serving). SIGTERM or SIGINT:\n"
    "stop accepting, close idle connections, finish what is in flight, exit 0.\n"
    "\n"
    "  --config FILE       configuration (see below for every key and its default)\n"
    "  --bundle FILE       bundle to serve, overrides [server].bundle\n"
    "  --listen HOST:PORT  address to listen on, overrides [server].listen\n"
    "  --help              this text;  --version  the version\n"
    "\n"
    "Exit status: 0 stopped cleanly, 1 failure, 2 usage error.\n"
    "\n"
    "Configuration keys:\n";

struct arguments {
    std::string config, bundle, listen;
};

// The arguments and the config they name, flags applied; an exit status when there is nothing
// to serve (--help, --version, a usage error, a bad config).
std::optional<int> read_config(int argc, char** argv, kade::config& cfg) {
    arguments a;
    const kade::option options[] = {kade::value_option("--config", a.config),
                                    kade::value_option("--bundle", a.bundle),
                                    kade::value_option("--listen", a.listen)};
    const kade::program serve{"kade-serve", usage, true};
    if (const auto exit = kade::read_command_line(serve, argc, argv, options, nullptr, [&] {
            if (a.config.empty()) throw kade::usage_error("--config FILE is required");
        }))
        return exit;
    try {
        cfg = kade::load_config(a.config);
    } catch (const kade::diagnostics_error& e) {
        for (const auto& d : e.diagnostics) std::cerr << kade::format_diagnostic(d) << "\n";
        return kade::exit_failure;
    }
    try {
        const kade::config_override flags[] = {{"--bundle", "server.bundle", a.bundle},
                                               {"--listen", "server.listen", a.listen}};
        kade::apply_overrides(cfg, flags);
    } catch (const kade::diagnostics_error& e) {
        for (const auto& d : e.diagnostics) std::cerr << kade::format_diagnostic(d) << "\n";
        return kade::exit_usage;
    }
    return std::nullopt;
}

kade::bundle::load_options load_options_of(const kade::config& cfg) {
    return {.copy = cfg.server.copy_bundle != 0, .verify = true};
}

// The bundle to start with: what is cheap is checked now (header, section table, every bound
// the views rely on, the path table, the dictionary; a searcher opens on it), so serving starts
// at once. The rest of what a reload checks (every checksum, the build id, Xapian's check of
// the search databases) is verify_first's, on the reload thread, while serving.
std::shared_ptr<const kade::bundle::loaded_bundle> load_first_bundle(const kade::config& cfg) {
    auto options = load_options_of(cfg);
    options.verify = false;
    auto first = kade::bundle::loaded_bundle::load(cfg.server.bundle, options);
    kade::search::searcher probe(*first);
    // A "local" shard the bundle lacks is refused here too (a remote one that is down is not:
    // it is retried while serving).
    const auto shards = kade::search::settings_from(cfg.search).shards;
    if (!shards.where.empty()) kade::search::searcher with_shards(*first, 0, shards);
    return first;
}

// Flushes and joins the access log's writer on every way out, a failed bind included.
struct access_log_scope {
    explicit access_log_scope(const std::string& where) { kade::ops::start_access_log(where); }
    ~access_log_scope() { kade::ops::stop_access_log(); }
};

void announce(const kade::config& cfg, const kade::bundle::loaded_bundle& bundle,
              std::size_t threads, bool watching) {
    std::cerr << "kade-serve: serving " << cfg.server.bundle << " (build "
              << bundle.view().build_id() << ", " << (bundle.copied() ? "copied" : "mapped")
              << ", verifying in the background) on http://" << cfg.server.listen << "/ with "
              << threads << " threads"
              << (watching ? "; watching the bundle path for new bundles" : "") << "\n";
}

void report_stop(int left_open, bool failed) {
    const char* why = failed ? " (the bundle failed its check)" : "";
    if (left_open > 0) {
        std::cerr << "kade-serve: stopped" << why << "; " << left_open
                  << " connections still open after server.shutdown_timeout_ms were closed\n";
    } else {
        std::cerr << "kade-serve: stopped" << why << "\n";
    }
}

// KADE_TEST_CHECK_DELAY_MS postpones the background check, so the black-box tests can see the
// server answer before its bundle is verified, on a bundle small enough to check in a blink.
// For tests only; not a setting.
std::chrono::milliseconds check_delay() {
    const char* v = std::getenv("KADE_TEST_CHECK_DELAY_MS");
    return std::chrono::milliseconds(v ? std::clamp(std::atoi(v), 0, 600000) : 0);
}

// Stops the reload thread (and with it the background check) before what its failure callback
// reaches goes, on every way out of main.
struct reloader_stop {
    kade::ops::reloader& reloads;
    ~reloader_stop() { reloads.stop(); }
};

}  // namespace

int main(int argc, char** argv) {
    kade::config cfg;
    if (const auto exit = read_config(argc, argv, cfg)) return *exit;
    try {
        auto first = load_first_bundle(cfg);
        kade::ops::bundle_slot slot(first, false, load_options_of(cfg));
        const kade::http::header_policy policy(cfg.http);
        kade::http::connection_limits limits;
        kade::ops::set_open_connections_source(&limits.open);
        const access_log_scope access_log(cfg.log.access);
        // Declared after the slot so it stops (joins) before the slot goes.
        kade::ops::reloader reloads(slot, cfg.server.bundle, cfg.server.watch_bundle != 0);
        const auto tls = kade::make_tls_context(cfg.server);
        kade::ops::observer observer;
        kade::workers workers(cfg, policy, slot, limits, observer, tls.get());
        kade::ops::shutdown_controller shutdown(
            workers.first_loop(), reloads,
            std::chrono::milliseconds(cfg.server.shutdown_timeout_ms),
            {[&] { workers.stop_accepting(); }, [&] { return limits.open.load(); },
             [&] { workers.stop(); }});
        const reloader_stop stop_reloads{reloads};
        // An idle worker would otherwise hold the replaced bundle until its next request.
        reloads.after_swap([&] { workers.take_live_bundle(); });
        announce(cfg, *first, workers.count(), reloads.watching());
        first.reset();
        // A corrupt bundle must not go on serving: drain and exit 1 (the reloader logs why).
        reloads.verify_first([&](const std::string&) { shutdown.fail(); }, check_delay());
        workers.run();
        reloads.stop();
        kade::ops::stop_access_log();
        report_stop(limits.open.load(), shutdown.failed());
        return shutdown.failed() ? kade::exit_failure : kade::exit_ok;
    } catch (const std::exception& e) {
        std::cerr << "kade-serve: " << e.what() << "\n";
        return kade::exit_failure;
    }
}
