#pragma once
// A response as the session sends it: one header block and one body view, written in one call.
// Builders for the header block; nothing here knows about sockets.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/bundle_format.hpp"
#include "common/config.hpp"

namespace kade::http {

struct response {
    unsigned status = 200;
    std::string head;        // status line and header fields, ending in an empty line
    std::string_view body;   // into the bundle or into owned_body; empty for HEAD and 304
    std::string owned_body;  // for generated bodies (search, errors, health)
    bool close = false;      // close the connection after this response
    // For metrics and the access log (server/ops): the route_kind (255: refused before
    // routing), the http::coding of the body, and -1/0/1 for no search cache/miss/hit.
    std::uint8_t route = 255;
    std::uint8_t coding = 0;
    std::int8_t search_cache = -1;

    void reset() {
        status = 200;
        head.clear();
        body = {};
        owned_body.clear();
        close = false;
        route = 255;
        coding = 0;
        search_cache = -1;
    }
};

// Preformatted header values per cache class, built once from [http] at start-up.
struct header_policy {
    std::string server;  // "Server: kade\r\n" or ""
    std::string
        cache_control[bundle::cache_class_count];  // "Cache-Control: …\r\nCDN-Cache-Control: …\r\n"
    std::string search_cache;                      // for search results
    std::string no_store;                          // for /healthz and /metrics
    std::string html_security;                     // CSP, nosniff, Referrer-Policy for HTML
    std::string other_security;                    // nosniff for everything else
    std::string surrogate_key_name;                // "Surrogate-Key" or "" (none)
    std::string cache_tag_name;                    // "Cache-Tag" or "" (none)

    explicit header_policy(const http_config& cfg);

    // Appends the purge-key fields: `keys` (space-separated, may be empty) plus `generation`
    // (the bundle's own key), as "Surrogate-Key: a b\r\n" and "Cache-Tag: a,b\r\n".
    void append_purge_keys(std::string& head, std::string_view keys,
                           std::string_view generation) const;
};

// "Date: …\r\n", formatted at most once a second per thread.
std::string_view date_field();

// Appends "HTTP/1.1 404 Not Found\r\n".
void append_status_line(std::string& out, unsigned status);

}  // namespace kade::http
