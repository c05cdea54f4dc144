#pragma once
// One request → one response, without sockets: method and target checks, routing, negotiation,
// conditionals, search, errors. One handler per worker thread; searches run on the search
// threads of the shared search::service, and the connection waits for them (answer_later).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/bundle_reader.hpp"
#include "common/config.hpp"
#include "server/http/accept_encoding.hpp"
#include "server/http/request.hpp"
#include "server/http/request_handler.hpp"
#include "server/http/response.hpp"
#include "server/live_compression.hpp"
#include "server/ops/bundle_slot.hpp"
#include "server/posts_by_date.hpp"
#include "server/search/searcher.hpp"
#include "server/search/service.hpp"
#include "server/search/settings.hpp"

namespace kade {

class handler final : public http::request_handler {
  public:
    handler(const config& cfg, const http::header_policy& policy, ops::bundle_slot& slot,
            search::service& searches);

    // `keep` receives the bundle the response's body views point into.
    void handle(const request& req, http::response& out, std::shared_ptr<const void>& keep,
                http::answer_later& later) override;
    void handle_error(unsigned status, http::response& out) override;

    // The live bundle, taken from the slot when it changed (each request starts with this;
    // workers::take_live_bundle calls it after a reload, on this handler's thread).
    const bundle::loaded_bundle& refresh();

  private:
    struct state;
    void serve_entry(const request& req, const bundle::bundle_view& view,
                     const bundle::entry_record& e, http::response& out);
    void serve_search(const request& req, std::string_view query, bool json, http::response& out,
                      std::shared_ptr<const void>& keep, http::answer_later& later);
    // The results as JSON or as the search page.
    void serve_results(const request& req, bool json, const search::search_request& sr,
                       const search::search_result& result, http::response& out);
    // The search queue is full: 503 with Retry-After.
    void search_busy(const request& req, bool json, http::response& out);
    // Blogger's "Oudere berichten" (/search?updated-max=…, /search/label/NAME?updated-max=…);
    // `label` empty for every post. False when the query asks for something else.
    bool serve_older_posts(const request& req, std::string_view query, std::string_view label,
                           http::response& out);
    // Page N (N >= 2) of the home page or a label when the bundle has it put together per
    // request (server/listing_pages.hpp), with the purge keys of its list's shell (purged with
    // the list: its posts change with every post's title, summary or date); nullopt for any
    // other path.
    struct put_together {
        std::string body;
        std::string_view keys;
    };
    std::optional<put_together> later_listing_page_of(const bundle::bundle_view& view,
                                                      std::string_view path);
    // That page: compressed as the request asks, with an ETag (and a 304 for it).
    void serve_later_listing_page(const request& req, std::string page, std::string_view keys,
                                  http::response& out);
    // This bundle's list of posts (listed_posts_), read at the first call.
    listed_posts& listed_posts_of(const bundle::bundle_view& view);
    // Blogger's feed paging (?start-index=K&max-results=N) on a feed of the bundle. False when
    // the query asks for something else.
    bool serve_feed_window(const request& req, const bundle::bundle_view& view,
                           const std::string& path, std::string_view query, http::response& out);
    // A 200 answer made per request, compressed on the fly as the request asks
    // (live_compression).
    void serve_compressed(const request& req, std::string_view content_type,
                          const std::string& cache_fields, std::string body, http::response& out,
                          std::string_view keys = "search");
    void search_unavailable(const request& req, bool json, const std::string& why,
                            http::response& out);
    void serve_not_found(const request& req, http::response& out);
    void serve_generated(const request& req, unsigned status, std::string_view content_type,
                         const std::string& cache_fields, std::string body, http::response& out,
                         std::string_view extra_fields = {}, std::string_view keys = {});
    void redirect(const request& req, const std::string& location, std::string_view keys,
                  http::response& out);
    void finish_head(const request& req, http::response& out);
    // The request's Available-Dictionary names this bundle's dictionary.
    bool dictionary_available(const request& req) const;
    // An Accept-Encoding field parsed, the last one kept (accept_key_).
    const http::accept_weights& accept_weights_of(std::string_view accept_encoding);
    // The identity body of an entry that derives it (bundle::derive_identity), from the few
    // this thread made last; null when the bundle is corrupt.
    const std::string* derived_identity(const bundle::bundle_view& view,
                                        const bundle::entry_record& e);

    const config& cfg_;
    const search::settings search_;
    const http::header_policy& policy_;
    ops::bundle_slot& slot_;
    std::shared_ptr<const bundle::loaded_bundle> bundle_;
    std::uint64_t generation_ = 0;
    std::string generation_key_;  // "bundle-" + 12 hex digits of the build id: purges everything
    search::service& searches_;
    std::string dictionary_sf_;  // ":BASE64:" of the dictionary's SHA-256; empty: none
    std::string dictionary_id_;
    live_compression live_;  // search answers, with this generation's dictionary  // its
                             // Use-As-Dictionary id: 16 hex digits of the SHA-256
    // Preformatted header fields of entry variants (see serve_entry), for this generation.
    static constexpr std::size_t header_cache_limit = 4096;
    std::unordered_map<std::uint64_t, std::string> header_cache_;
    std::uint64_t header_cache_generation_ = ~std::uint64_t{0};
    // Derived identity bodies, replaced round robin: inflating costs about as much as serving
    // a page, and a client without compression (a monitor, a script) asks for the same few.
    struct derived_body {
        std::uint64_t generation = 0;
        const bundle::entry_record* entry = nullptr;
        std::string bytes;
    };
    static constexpr std::size_t derived_cache_size = 16;
    static constexpr std::size_t derived_cache_max_body = 256 * 1024;
    std::array<derived_body, derived_cache_size> derived_;
    std::size_t derived_next_ = 0;
    // This bundle's list of posts, read at the first request that pages through it.
    std::optional<listed_posts> listed_posts_;
    // The later home pages this thread compressed last, by generation and ETag (the page's
    // bytes and coding), replaced round robin.
    struct compressed_page {
        std::uint64_t generation = 0;
        std::string etag;
        std::string bytes;
    };
    std::array<compressed_page, 16> later_pages_;
    std::size_t later_pages_next_ = 0;
    // The last Accept-Encoding parsed: a client (or a CDN) sends the same one every time.
    std::string accept_key_;
    http::accept_weights accept_weights_;
    bool accept_parsed_ = false;
};

}  // namespace kade
