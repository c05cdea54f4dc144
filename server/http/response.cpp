#include "server/http/response.hpp"

#include <ctime>

#include "common/http_date.hpp"
#include "server/http/status.hpp"

namespace kade::http {
namespace {

std::string cache_fields(const std::string& browser, const std::string& cdn) {
    std::string out;
    if (!browser.empty()) out += "Cache-Control: " + browser + "\r\n";
    if (!cdn.empty()) out += "CDN-Cache-Control: " + cdn + "\r\n";
    return out;
}

}  // namespace

header_policy::header_policy(const http_config& cfg) {
    if (!cfg.server_header.empty()) server = "Server: " + cfg.server_header + "\r\n";
    using bundle::cache_class;
    cache_control[static_cast<int>(cache_class::html)] =
        cache_fields(cfg.html_cache_control, cfg.html_cdn_cache_control);
    cache_control[static_cast<int>(cache_class::asset)] = cache_fields(cfg.asset_cache_control, "");
    cache_control[static_cast<int>(cache_class::feed)] =
        cache_fields(cfg.html_cache_control, cfg.html_cdn_cache_control);
    cache_control[static_cast<int>(cache_class::redirect)] =
        cache_fields(cfg.html_cache_control, cfg.html_cdn_cache_control);
    cache_control[static_cast<int>(cache_class::error)] = cache_fields(cfg.error_cache_control, "");
    search_cache = cache_fields(cfg.search_cache_control, cfg.search_cdn_cache_control);
    no_store = "Cache-Control: no-store\r\n";
    // No inline script or style anywhere in the theme, so no 'unsafe-inline'.
    html_security =
        "Content-Security-Policy: default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Referrer-Policy: strict-origin-when-cross-origin\r\n";
    other_security = "X-Content-Type-Options: nosniff\r\n";
    // Off by default: the CDN terminates TLS and owns HSTS. Browsers honour it on any response.
    if (!cfg.hsts.empty()) {
        const std::string hsts = "Strict-Transport-Security: " + cfg.hsts + "\r\n";
        html_security += hsts;
        other_security += hsts;
    }
    surrogate_key_name = cfg.surrogate_key_header;
    cache_tag_name = cfg.cache_tag_header;
}

void header_policy::append_purge_keys(std::string& head, std::string_view keys,
                                      std::string_view generation) const {
    // Keys never contain spaces or commas themselves (the indexer makes them from slugs).
    if (!surrogate_key_name.empty()) {
        head += surrogate_key_name;
        head += ": ";
        if (!keys.empty()) {
            head += keys;
            head += ' ';
        }
        head += generation;
        head += "\r\n";
    }
    if (!cache_tag_name.empty()) {
        head += cache_tag_name;
        head += ": ";
        // Appended whole, then the separators swapped in place: a character at a time this
        // loop was the most expensive line of a page response (callgrind, bench/).
        const std::size_t start = head.size();
        head += keys;
        // find() is memchr: a jump per separator, not a compare per character.
        for (auto at = head.find(' ', start); at != std::string::npos; at = head.find(' ', at + 1))
            head[at] = ',';
        if (!keys.empty()) head += ',';
        head += generation;
        head += "\r\n";
    }
}

std::string_view date_field() {
    thread_local std::time_t cached_second = -1;
    thread_local std::string cached;
    const std::time_t now = std::time(nullptr);
    if (now != cached_second) {
        cached_second = now;
        cached = "Date: " + format_http_date(now) + "\r\n";
    }
    return cached;
}

void append_status_line(std::string& out, unsigned status) {
    if (status == 200) {  // nearly every response: one copy of a constant
        out += "HTTP/1.1 200 OK\r\n";
        return;
    }
    out += "HTTP/1.1 ";
    out += std::to_string(status);
    out += ' ';
    out += status_of(status).reason;
    out += "\r\n";
}

}  // namespace kade::http
