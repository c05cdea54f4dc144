#include "common/config.hpp"

#include <charconv>
#include <limits>
#include <stdexcept>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "common/diagnostic.hpp"
#include "common/files.hpp"
#include "common/http_syntax.hpp"

namespace kade {
namespace {

using string_field = std::string& (*)(config&);
using int_field = int& (*)(config&);

struct key_spec {
    std::string_view table;
    std::string_view key;
    std::variant<string_field, int_field> field;
    int min = 0;  // for integers
    int max = 0;
    std::string_view doc;
};

#define KADE_STR(T, K, DOC)                                                                \
    key_spec {                                                                             \
#T, #K, string_field{[](config & c) -> std::string& { return c.T.K; } }, 0, 0, DOC \
    }
#define KADE_INT(T, K, MIN, MAX, DOC)                                               \
    key_spec {                                                                      \
#T, #K, int_field{[](config & c) -> int& { return c.T.K; } }, MIN, MAX, DOC \
    }

// The one table of keys: order here is the order of the reference text.
const key_spec keys[] = {
    KADE_STR(site, title, "the blog's name, in every page's title and header"),
    KADE_STR(site, base_url,
             "absolute URL of the blog, for canonical links, feeds and the sitemap"),
    KADE_STR(site, language, "language of the blog (html lang, feeds)"),
    KADE_STR(site, author, "author of posts that name none"),
    KADE_STR(site, description, "one line about the blog, for the home page and feeds"),
    KADE_STR(site, feed_id,
             "Atom id of the blog's feed; empty: the Blogger blog id of imported posts, else "
             "the feed's URL"),
    KADE_STR(index, content, "folder with posts/ and static/"),
    KADE_STR(index, output, "bundle file that kade-index writes"),
    KADE_INT(
        index, zstd_level, 1, 22,
        "unused since bundle format 4 (no zstd copies of pages); accepted so older configs load"),
    KADE_INT(index, gzip_level, 1, 9, "gzip level for precompressed pages"),
    KADE_INT(index, dictionary_bytes, 0, 131072,
             "size of the compression dictionary (RFC 9842) trained on the blog's pages; "
             "0: none, and no dcz variants"),
    KADE_INT(index, dcz_level, 1, 22, "zstd level of the dcz variants (zstd with the dictionary)"),
    KADE_INT(index, dcz_listing_level, 1, 22,
             "zstd level of the dcz variants of listing pages after the first (/page/N/), which "
             "every new post changes"),
    KADE_INT(index, posts_per_page, 1, 100, "posts per page on the home page"),
    KADE_STR(server, listen, "HOST:PORT to listen on"),
    KADE_INT(server, threads, 0, 256,
             "worker threads, each with its own event loop; 0 = one per core"),
    KADE_STR(server, bundle, "bundle file that kade-serve loads"),
    KADE_INT(server, header_timeout_ms, 100, 3600000,
             "time a client has to send a whole request header"),
    KADE_INT(server, idle_timeout_ms, 100, 3600000,
             "time an idle keep-alive connection is kept open"),
    KADE_INT(server, max_connections, 1, 1000000,
             "open connections at most; more are closed at once"),
    KADE_INT(server, max_header_bytes, 1024, 1048576, "request header block limit (431 beyond it)"),
    KADE_INT(server, max_uri_bytes, 256, 1048576, "request-target length limit (414 beyond it)"),
    KADE_INT(server, max_header_count, 1, 10000, "request header fields at most (431 beyond it)"),
    KADE_INT(server, shutdown_timeout_ms, 0, 600000,
             "on SIGTERM, how long open connections may finish"),
    KADE_INT(
        server, watch_bundle, 0, 1,
        "1: reload when a new file appears at the bundle path (as SIGHUP does); 0: only SIGHUP"),
    KADE_INT(server, copy_bundle, 0, 1,
             "0: map the bundle file (replace it only by rename); 1: copy it into sealed memory "
             "(start-up reads it all, but the file may be rewritten in place)"),
    KADE_STR(server, tls_listen,
             "HOST:PORT for HTTPS to the origin (a CDN in full strict mode); empty: none"),
    KADE_STR(server, tls_certificate, "PEM certificate chain for tls_listen"),
    KADE_STR(server, tls_key, "PEM private key for tls_listen"),
    KADE_STR(http, server_header, "value of the Server header; empty: no Server header"),
    KADE_STR(http, html_cache_control, "Cache-Control of pages"),
    KADE_STR(http, html_cdn_cache_control, "CDN-Cache-Control (RFC 9213) of pages; empty: none"),
    KADE_STR(http, asset_cache_control, "Cache-Control of fingerprinted assets"),
    KADE_STR(http, search_cache_control, "Cache-Control of search results"),
    KADE_STR(http, search_cdn_cache_control, "CDN-Cache-Control of search results; empty: none"),
    KADE_STR(http, error_cache_control, "Cache-Control of error responses"),
    KADE_STR(http, surrogate_key_header,
             "header listing purge keys space-separated (Fastly, Varnish); empty: none"),
    KADE_STR(http, cache_tag_header,
             "header listing purge keys comma-separated (Cloudflare); empty: none"),
    KADE_STR(http, hsts,
             "Strict-Transport-Security value, e.g. \"max-age=31536000\"; empty (default): none"),
    KADE_INT(search, per_page, 1, 100, "results per page by default"),
    KADE_INT(search, max_per_page, 1, 1000, "largest per_page a client may ask for"),
    KADE_INT(search, max_query_bytes, 16, 4096, "longest query accepted (400 beyond it)"),
    KADE_INT(search, max_terms, 1, 256, "most words in one query (400 beyond it)"),
    KADE_INT(search, cache_entries, 0, 1000000,
             "search results cached, shared by all threads (LRU, emptied on reload); 0: no cache"),
    KADE_INT(search, threads, 0, 1024,
             "search threads, apart from the network threads ([server] threads); 0: one per core"),
    KADE_INT(search, queue, 1, 1000000,
             "searches waiting for a search thread; beyond it 503 with Retry-After"),
    KADE_INT(search, budget_ms, 0, 600000,
             "time for one search across its passes (all words, any word, the suggestion); "
             "when spent, the results found so far (\"timed_out\": true); 0: no limit"),
    KADE_INT(search, retry_after_s, 0, 3600, "Retry-After (seconds) of the 503 for a full queue"),
    KADE_INT(search, compress_min_bytes, 0, 1 << 30,
             "search HTML and JSON this size and up are compressed when the client asks "
             "(gzip, zstd, dcz)"),
    KADE_STR(search, shards,
             "where each search shard lives, comma-separated in shard order: \"local\" (in the "
             "bundle, kade-index --shards N) or \"HOST:PORT\" (xapian-tcpsrv); empty: the "
             "bundle's whole database"),
    KADE_INT(search, shard_timeout_ms, 10, 600000,
             "per remote shard: time to connect and to answer one search"),
    KADE_INT(search, shard_retry_ms, 10, 600000,
             "first wait before reconnecting a shard that is down (results are partial meanwhile)"),
    KADE_INT(search, shard_retry_max_ms, 10, 3600000,
             "the wait doubles after each failed reconnect, up to this"),
    KADE_STR(log, access, "access log: \"off\", \"stdout\" or a file path"),
};

#undef KADE_STR
#undef KADE_INT

const key_spec* find_key(std::string_view table, std::string_view key) {
    for (const auto& k : keys)
        if (k.table == table && k.key == key) return &k;
    return nullptr;
}

bool table_known(std::string_view table) {
    for (const auto& k : keys)
        if (k.table == table) return true;
    return false;
}

int line_of(const toml::node& n) {
    return static_cast<int>(n.source().begin.line);
}

void apply_key(config& cfg, const key_spec& spec, const toml::node& value,
               const std::string& source, std::vector<diagnostic>& errors) {
    const std::string name = std::string(spec.table) + "." + std::string(spec.key);
    if (auto* sf = std::get_if<string_field>(&spec.field)) {
        if (auto s = value.value_exact<std::string>()) {
            (*sf)(cfg) = *s;
        } else {
            errors.push_back({source, line_of(value), "\"" + name + "\" must be a string"});
        }
        return;
    }
    auto ifield = std::get<int_field>(spec.field);
    auto v = value.value_exact<std::int64_t>();
    if (!v) {
        errors.push_back({source, line_of(value), "\"" + name + "\" must be an integer"});
    } else if (*v < spec.min || *v > spec.max) {
        errors.push_back({source, line_of(value),
                          "\"" + name + "\" must be between " + std::to_string(spec.min) + " and " +
                              std::to_string(spec.max)});
    } else {
        ifield(cfg) = static_cast<int>(*v);
    }
}

void validate(const config& cfg, const std::string& source, std::vector<diagnostic>& errors) {
    std::string host;
    unsigned short port = 0;
    if (!split_host_port(cfg.server.listen, host, port))
        errors.push_back({source, 0, "\"server.listen\" must be HOST:PORT, e.g. 127.0.0.1:8080"});
    if (cfg.search.per_page > cfg.search.max_per_page)
        errors.push_back(
            {source, 0, "\"search.per_page\" must not exceed \"search.max_per_page\""});
    for (const auto& shard : split_shards(cfg.search.shards))
        if (shard != "local" && !split_host_port(shard, host, port))
            errors.push_back(
                {source, 0, "\"search.shards\": \"" + shard + "\" must be \"local\" or HOST:PORT"});
    if (!cfg.server.tls_listen.empty()) {
        if (!split_host_port(cfg.server.tls_listen, host, port))
            errors.push_back({source, 0, "\"server.tls_listen\" must be HOST:PORT or empty"});
        if (cfg.server.tls_certificate.empty() || cfg.server.tls_key.empty())
            errors.push_back({source, 0,
                              "\"server.tls_listen\" needs \"server.tls_certificate\" and "
                              "\"server.tls_key\""});
    }
    // Header names go on the wire as they are: a token (RFC 9110 §5.6.2) or nothing.
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string&>{"http.surrogate_key_header",
                                                     cfg.http.surrogate_key_header},
          {"http.cache_tag_header", cfg.http.cache_tag_header}}) {
        if (!value.empty() && !http_syntax::is_token(value))
            errors.push_back({source, 0,
                              "\"" + std::string(name) +
                                  "\" must be a header name (letters, digits, '-') or empty"});
    }
    const auto& base = cfg.site.base_url;
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
        errors.push_back({source, 0, "\"site.base_url\" must start with http:// or https://"});
}

}  // namespace

std::vector<std::string> split_shards(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

bool split_host_port(std::string_view listen, std::string& host, unsigned short& port) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view h = listen.substr(0, colon);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    const std::string_view p = listen.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc{} || end != p.data() + p.size() || value == 0 || value > 65535)
        return false;
    host = std::string(h);
    port = static_cast<unsigned short>(value);
    return !host.empty();
}

config parse_config(std::string_view text, const std::string& source) {
    config cfg;
    std::vector<diagnostic> errors;
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        throw diagnostics_error{
            {{source, static_cast<int>(e.source().begin.line), std::string(e.description())}}};
    }
    for (const auto& [table_key, table_node] : root) {
        const std::string_view table = table_key.str();
        if (!table_known(table)) {
            errors.push_back(
                {source, line_of(table_node), "unknown table [" + std::string(table) + "]"});
            continue;
        }
        const auto* tbl = table_node.as_table();
        if (!tbl) {
            errors.push_back(
                {source, line_of(table_node), "\"" + std::string(table) + "\" must be a table"});
            continue;
        }
        for (const auto& [key, value] : *tbl) {
            const key_spec* spec = find_key(table, key.str());
            if (!spec) {
                errors.push_back({source, line_of(value),
                                  "unknown key \"" + std::string(table) + "." +
                                      std::string(key.str()) +
                                      "\" (see kade-serve --help for the keys)"});
                continue;
            }
            apply_key(cfg, *spec, value, source, errors);
        }
    }
    validate(cfg, source, errors);
    if (!errors.empty()) throw diagnostics_error{std::move(errors)};
    return cfg;
}

void apply_overrides(config& cfg, std::span<const config_override> overrides) {
    const std::string source = "command line";
    std::vector<diagnostic> errors;
    for (const auto& o : overrides) {
        if (o.value.empty()) continue;
        const auto dot = o.key.find('.');
        const key_spec* spec = find_key(o.key.substr(0, dot), o.key.substr(dot + 1));
        const auto* field = spec ? std::get_if<string_field>(&spec->field) : nullptr;
        if (!field) throw std::logic_error("no string key " + std::string(o.key));
        (*field)(cfg) = o.value;
    }
    validate(cfg, source, errors);
    if (!errors.empty()) throw diagnostics_error{std::move(errors)};
}

config load_config(const std::string& path) {
    const std::optional<std::string> text = read_file(path);
    if (!text) throw diagnostics_error{{{path, 0, "cannot open config file"}}};
    return parse_config(*text, path);
}

std::string config_reference() {
    config defaults;
    std::string out;
    std::string_view current;
    for (const auto& k : keys) {
        if (k.table != current) {
            if (!current.empty()) out += "\n";
            out += "[" + std::string(k.table) + "]\n";
            current = k.table;
        }
        std::string value;
        if (auto* sf = std::get_if<string_field>(&k.field)) {
            value = "\"" + (*sf)(defaults) + "\"";
        } else {
            value = std::to_string(std::get<int_field>(k.field)(defaults));
        }
        out += std::string(k.key) + " = " + value + "  # " + std::string(k.doc) + "\n";
    }
    return out;
}

}  // namespace kade
