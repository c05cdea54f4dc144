#pragma once
// config/kade.toml → typed configuration for both programs (docs/configuration.md). One key table
// drives parsing, unknown-key and wrong-type errors (with line numbers), defaults and the reference
// text printed by --help. No key is required.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

struct site_config {
    std::string title = "Kade";
    std::string base_url = "http://127.0.0.1:8080";
    std::string language = "nl";
    std::string author = "";
    std::string description = "";
    // The Atom <id> of the blog's feed. Empty: the Blogger blog id the imported posts carry
    // ("tag:blogger.com,1999:blog-N"), else the feed's URL.
    std::string feed_id = "";
};

struct index_config {
    std::string content = "content";
    std::string output = "site.kade";
    int zstd_level = 6;
    int gzip_level = 9;
    int dictionary_bytes = 131072;  // compression dictionary (RFC 9842) size; 0: none, no dcz
    int dcz_level = 19;             // zstd level of the dcz variants
    int dcz_listing_level = 12;     // the same for listing pages after the first (/page/N/)
    int posts_per_page = 10;
};

struct server_config {
    std::string listen = "127.0.0.1:8080";
    int threads = 0;  // 0: one per core
    std::string bundle = "site.kade";
    int header_timeout_ms = 10000;
    int idle_timeout_ms = 60000;
    int max_connections = 10000;
    int max_header_bytes = 8192;
    int max_uri_bytes = 4096;
    int max_header_count = 100;
    int shutdown_timeout_ms = 5000;
    int watch_bundle = 1;              // 1: reload when a new file appears at `bundle`
    int copy_bundle = 0;               // 1: copy the bundle into memory instead of mapping it
    std::string tls_listen = "";       // HOST:PORT for HTTPS; empty: none
    std::string tls_certificate = "";  // PEM certificate chain
    std::string tls_key = "";          // PEM private key
};

struct http_config {
    std::string server_header = "kade";
    std::string html_cache_control =
        "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400";
    std::string html_cdn_cache_control =
        "max-age=3600, stale-while-revalidate=86400, stale-if-error=604800";
    std::string asset_cache_control = "public, max-age=31536000, immutable";
    std::string search_cache_control = "public, max-age=60";
    std::string search_cdn_cache_control = "max-age=300, stale-while-revalidate=600";
    std::string error_cache_control = "public, max-age=10";
    std::string surrogate_key_header = "Surrogate-Key";
    std::string cache_tag_header = "Cache-Tag";
    std::string hsts = "";
};

struct search_config {
    int per_page = 10;
    int max_per_page = 50;
    int max_query_bytes = 256;
    int max_terms = 16;        // words in one query (400 beyond it)
    int cache_entries = 1024;  // search results cached, shared by all threads (LRU); 0: none
    int threads = 0;           // search threads, apart from the network threads; 0: one per core
    int queue = 512;           // searches waiting for a search thread; beyond it 503 + Retry-After
    int budget_ms = 200;       // time for one search across its passes; then the results so far
    int retry_after_s = 1;     // Retry-After of the 503 for a full queue
    int compress_min_bytes = 1024;  // search answers this size and up are compressed if asked
    // Where each search shard lives, comma-separated, in shard order: "local" (in the bundle,
    // kade-index --shards N) or "HOST:PORT" (xapian-tcpsrv). Empty: the bundle's whole database.
    std::string shards;
    int shard_timeout_ms = 1000;     // per remote shard: connecting and each search
    int shard_retry_ms = 1000;       // first wait before reconnecting a shard that is down
    int shard_retry_max_ms = 30000;  // the wait doubles up to this
};

struct log_config {
    std::string access = "off";  // "off", "stdout", or a file path
};

struct config {
    site_config site;
    index_config index;
    server_config server;
    http_config http;
    search_config search;
    log_config log;
};

// Reads and validates a config file. Throws diagnostics_error listing every problem as
// FILE:LINE: message (unknown key, wrong type, value out of range, malformed TOML);
// an unreadable file is one diagnostic without a line.
config load_config(const std::string& path);

// Parses config text; `source` names it in diagnostics.
config parse_config(std::string_view text, const std::string& source);

// A command-line flag that stands in for a string key: {"--listen", "server.listen", value}.
struct config_override {
    std::string_view flag;
    std::string_view key;
    std::string value;  // empty: the flag was not given, the key keeps its value
};

// Applies the given flags to a loaded config and checks the result as a file is checked, so
// that everything after reads the config alone. Throws diagnostics_error (source "command
// line") for a value the key does not allow.
void apply_overrides(config& cfg, std::span<const config_override> overrides);

// Every key with its default and a one-line description, as TOML (for --help and the docs).
std::string config_reference();

// "HOST:PORT" → parts; false when malformed (no colon, empty host, port not 1..65535).
bool split_host_port(std::string_view listen, std::string& host, unsigned short& port);

// [search] shards as items, spaces trimmed ("" → none; "a,,b" keeps the empty item to refuse).
std::vector<std::string> split_shards(std::string_view list);

}  // namespace kade
