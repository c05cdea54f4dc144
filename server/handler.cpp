#include "server/handler.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <iostream>
#include <limits>
#include <stdexcept>

#include <xxhash.h>

#include "common/bundle_format.hpp"
#include "common/derived_identity.hpp"
#include "common/dictionary.hpp"
#include "common/http_date.hpp"
#include "common/text.hpp"
#include "server/blogger_paths.hpp"
#include "server/feed_window.hpp"
#include "server/http/accept_encoding.hpp"
#include "server/http/conditional.hpp"
#include "server/http/status.hpp"
#include "server/http/target.hpp"
#include "server/listing_pages.hpp"
#include "server/ops/drain.hpp"
#include "server/ops/metrics.hpp"
#include "server/posts_by_date.hpp"
#include "server/router.hpp"
#include "server/search/results.hpp"

namespace kade {
namespace {

constexpr std::string_view html_type = "text/html; charset=utf-8";
constexpr std::string_view json_type = "application/json; charset=utf-8";
constexpr std::string_view allow_field = "Allow: GET, HEAD, OPTIONS\r\n";

bool is_text_type(std::string_view type) {
    return type.starts_with("text/") || type.find("json") != std::string_view::npos ||
           type.find("xml") != std::string_view::npos;
}

// An entry with a dcz variant differs by the dictionary the client holds as well (RFC 9842 §6.2).
constexpr std::string_view vary_encoding = "Vary: Accept-Encoding\r\n";
constexpr std::string_view vary_encoding_dictionary =
    "Vary: Accept-Encoding, Available-Dictionary\r\n";

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

// The strong tag of a variant, '"' + hex64(hash) + '"', written into `out` without allocating.
std::string_view format_etag(std::uint64_t hash, std::array<char, 18>& out) {
    static constexpr char digits[] = "0123456789abcdef";
    out[0] = '"';
    for (int i = 16; i >= 1; --i) {
        out[static_cast<std::size_t>(i)] = digits[hash & 15];
        hash >>= 4;
    }
    out[17] = '"';
    return {out.data(), out.size()};
}

// Short Dutch error pages for errors that have no page in the bundle.
std::string error_page(unsigned status) {
    const http::status_text& text = http::status_of(status);
    std::string out = "<!DOCTYPE html>\n<html lang=\"nl\"><meta charset=\"utf-8\"><title>";
    out += std::to_string(status) + " " + std::string(text.reason);
    out += "</title><h1>" + std::to_string(status) + " " + std::string(text.reason) + "</h1><p>";
    out += text.dutch;
    out += "</p><p><a href=\"/\">Naar de voorpagina</a></p></html>\n";
    return out;
}

// Parses a positive decimal no larger than `max`; nullopt on anything else.
std::optional<int> parse_positive(std::string_view s, int max) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 1 || v > max) return std::nullopt;
    return v;
}

// Blogger's mobile switch: "?m=0" and "?m=1" (alone or repeated) name the page itself.
bool query_names_the_page(std::string_view query) {
    const auto params = http::parse_query(query);
    if (!params) return false;
    for (const auto& [name, value] : *params)
        if (name != "m" || (value != "0" && value != "1")) return false;
    return true;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

}  // namespace

handler::handler(const config& cfg, const http::header_policy& policy, ops::bundle_slot& slot,
                 search::service& searches)
    : cfg_(cfg),
      search_(search::settings_from(cfg.search)),
      policy_(policy),
      slot_(slot),
      searches_(searches) {}

const bundle::loaded_bundle& handler::refresh() {
    const std::uint64_t g = slot_.generation();
    if (g != generation_ || !bundle_) {
        bundle_ = slot_.current();
        generation_ = g;
        searches_.retire_before(g);  // the search threads let go of the bundle this replaced
        generation_key_ = "bundle-" + bundle_->view().build_id().substr(0, 12);
        listed_posts_.reset();
        // Only this bundle's dictionary is honoured: a client holding the previous one gets
        // gzip or zstd, and the page's link makes it fetch the new one (README, "dcz").
        dictionary_sf_.clear();
        live_.set_dictionary(bundle_->view().dictionary_bytes());
        if (const auto* d = bundle_->view().dictionary()) {
            dictionary::sha256_digest digest;
            std::copy(std::begin(d->sha256), std::end(d->sha256), digest.begin());
            dictionary_sf_ = dictionary::sf_binary(digest);
            dictionary_id_ = dictionary::hex(digest).substr(0, 16);
        }
    }
    return *bundle_;
}

void handler::finish_head(const request& req, http::response& out) {
    if (ops::draining()) out.close = true;  // shutting down: tell keep-alive clients
    if (!req.keep_alive || out.close) {
        out.close = true;
        out.head += "Connection: close\r\n";
    } else if (req.version == 10) {
        out.head += "Connection: keep-alive\r\n";
    }
    out.head += "\r\n";
    if (req.verb == method::head || out.status == 304 || out.status == 204) out.body = {};
}

void handler::serve_generated(const request& req, unsigned status, std::string_view content_type,
                              const std::string& cache_fields, std::string body,
                              http::response& out, std::string_view extra_fields,
                              std::string_view keys) {
    out.status = status;
    out.owned_body = std::move(body);
    out.body = out.owned_body;
    http::append_status_line(out.head, status);
    out.head += policy_.server;
    out.head += http::date_field();
    append_field(out.head, "Content-Type", content_type);
    // RFC 9110 §8.6: a 204 must not carry Content-Length.
    if (status != 204)
        append_field(out.head, "Content-Length", std::to_string(out.owned_body.size()));
    out.head += cache_fields;
    out.head +=
        content_type.starts_with("text/html") ? policy_.html_security : policy_.other_security;
    out.head += extra_fields;
    policy_.append_purge_keys(out.head, keys, generation_key_);
    finish_head(req, out);
}

void handler::handle_error(unsigned status, http::response& out) {
    out.reset();
    out.close = true;
    request req;
    req.keep_alive = false;
    refresh();  // for the generation key
    // 405 (a method no route takes, with a body): Allow, as on a 405 without one (RFC 9110
    // §15.5.6).
    serve_generated(req, status, html_type,
                    policy_.cache_control[static_cast<int>(bundle::cache_class::error)],
                    error_page(status), out, status == 405 ? allow_field : std::string_view{});
}

void handler::serve_entry(const request& req, const bundle::bundle_view& view,
                          const bundle::entry_record& e, http::response& out) {
    http::held_variants held;
    for (std::size_t i = 0; i < bundle::variant_count; ++i) {
        held.held[i] = view.holds(e, i);
        held.size[i] = e.variants[i].size;
    }
    held.held[0] = true;  // stored or derived from gzip (bundle_format.hpp)
    const bool has_dcz = held.held[bundle::dcz_variant];
    held.held[bundle::dcz_variant] = has_dcz && dictionary_available(req);
    std::optional<http::coding> chosen = http::coding::identity;  // no field: identity
    if (req.accept_encoding)
        chosen = http::choose_coding(accept_weights_of(*req.accept_encoding), held);
    const std::string_view type = view.str(e.content_type);
    const bool negotiable = e.held != 1 || is_text_type(type);
    if (!chosen) {
        serve_generated(req, 406, html_type,
                        policy_.cache_control[static_cast<int>(bundle::cache_class::error)],
                        error_page(406), out,
                        !negotiable ? std::string_view{}
                        : has_dcz   ? vary_encoding_dictionary
                                    : vary_encoding,
                        view.str(e.keys));
        return;
    }
    const auto v = static_cast<std::size_t>(*chosen);
    out.coding = static_cast<std::uint8_t>(v);
    // Formatted on the stack: a heap string per request for the tag showed in the profile.
    std::array<char, 18> etag_buf;
    const std::string_view etag = format_etag(e.variants[v].hash, etag_buf);
    // The selected variant's size, whether its bytes are stored or derived (identity from gzip,
    // made below only when a body is sent: never for HEAD, 304 or 416).
    const std::uint64_t size = e.variants[v].size;
    std::string_view body = view.body(e, v);
    const http::validators validators{etag, e.last_modified};
    unsigned status = e.status;
    http::range_decision range;
    // RFC 9110 §13.2.2: preconditions only for a 2xx answer to GET or HEAD; If-None-Match and
    // If-Modified-Since (step 3, 4) before Range and If-Range (step 5). Range is defined for
    // GET only (§14.2), so HEAD ignores it and still mirrors GET without Range.
    if (status == 200) {
        if (http::is_not_modified(req.if_none_match, req.if_modified_since, validators)) {
            status = 304;
        } else if (req.verb == method::get && req.range) {
            range = http::evaluate_range(req.range, req.if_range, validators, size);
            if (range.what == http::range_decision::kind::partial) status = 206;
            if (range.what == http::range_decision::kind::unsatisfiable) status = 416;
        }
    }

    const bool sends_body = req.verb != method::head && status != 304 && status != 416;
    if (sends_body && view.derives_identity(e) && v == 0) {
        const std::string* derived = derived_identity(view, e);
        if (!derived) {
            // Only a bundle edited after kade-index with its checksums and build id repaired.
            std::cerr << "kade-serve: cannot derive the identity body of " << view.path(e) << "\n";
            serve_generated(req, 500, html_type, policy_.no_store, error_page(500), out);
            return;
        }
        out.owned_body = *derived;
        body = out.owned_body;
    }
    out.status = status;
    out.body = status == 206   ? body.substr(range.first, range.length)
               : status == 416 ? std::string_view{}
                               : body;
    http::append_status_line(out.head, status);
    out.head += policy_.server;
    out.head += http::date_field();
    // Everything after Date depends only on the entry, the variant and the bundle generation
    // when no conditional changed the status, so that block is formatted once per thread and
    // reused: it was most of serve_entry's cost (callgrind, bench/). Bounded; cleared on reload.
    std::string* block = nullptr;
    if (status == e.status) {
        if (header_cache_generation_ != generation_ || header_cache_.size() >= header_cache_limit) {
            header_cache_.clear();
            header_cache_generation_ = generation_;
        }
        const auto index = static_cast<std::uint64_t>(&e - view.entries().data());
        block = &header_cache_[index * bundle::variant_count + v];
    }
    if (!block || block->empty()) {
        std::string& h = block ? *block : out.head;
        if (status == 416) {
            // §15.5.17: the current length, so the client can ask again; no representation sent.
            append_field(h, "Content-Range", "bytes */" + std::to_string(size));
            append_field(h, "Content-Length", "0");
        } else if (status != 304) {
            append_field(h, "Content-Type", type);
            append_field(h, "Content-Length", std::to_string(status == 206 ? range.length : size));
            // The range is of the selected variant's bytes: Content-Encoding stays (§14.4).
            if (*chosen != http::coding::identity)
                append_field(h, "Content-Encoding", http::coding_token(*chosen));
            if (status == 206)
                append_field(h, "Content-Range",
                             "bytes " + std::to_string(range.first) + "-" +
                                 std::to_string(range.first + range.length - 1) + "/" +
                                 std::to_string(size));
        }
        if (e.status == 200) h += "Accept-Ranges: bytes\r\n";
        if (negotiable) h += has_dcz ? vary_encoding_dictionary : vary_encoding;
        if (&e == view.dictionary_entry())
            append_field(h, "Use-As-Dictionary",
                         "match=\"/*\", match-dest=(\"document\"), id=\"" + dictionary_id_ + "\"");
        append_field(h, "ETag", etag);
        if (e.last_modified >= 0) {
            std::array<char, http_date_length> date;
            format_http_date(e.last_modified, date);
            append_field(h, "Last-Modified", std::string_view(date.data(), date.size()));
        }
        if (e.location.size) append_field(h, "Location", view.str(e.location));
        h += status == 416
                 ? policy_.cache_control[static_cast<int>(bundle::cache_class::error)]
                 : policy_.cache_control[e.cache < bundle::cache_class_count ? e.cache : 0];
        h += type.starts_with("text/html") ? policy_.html_security : policy_.other_security;
        policy_.append_purge_keys(h, view.str(e.keys), generation_key_);
    }
    if (block) out.head += *block;
    finish_head(req, out);
}

const std::string* handler::derived_identity(const bundle::bundle_view& view,
                                             const bundle::entry_record& e) {
    for (const auto& d : derived_)
        if (d.entry == &e && d.generation == generation_) return &d.bytes;
    auto bytes = bundle::derive_identity(view, e);
    if (!bytes) return nullptr;
    derived_body& slot = derived_[derived_next_];
    if (bytes->size() > derived_cache_max_body) {
        // Too large to keep: held in the slot only until the next derivation replaces it.
        slot = {~std::uint64_t{0}, nullptr, std::move(*bytes)};
        return &slot.bytes;
    }
    derived_next_ = (derived_next_ + 1) % derived_cache_size;
    slot = {generation_, &e, std::move(*bytes)};
    return &slot.bytes;
}

const http::accept_weights& handler::accept_weights_of(std::string_view accept_encoding) {
    if (!accept_parsed_ || accept_encoding != accept_key_) {
        accept_key_.assign(accept_encoding);
        accept_weights_ = http::parse_accept_encoding(accept_key_);
        accept_parsed_ = true;
    }
    return accept_weights_;
}

bool handler::dictionary_available(const request& req) const {
    return req.available_dictionary && !dictionary_sf_.empty() &&
           trim_spaces(*req.available_dictionary) == dictionary_sf_;
}

void handler::redirect(const request& req, const std::string& location, std::string_view keys,
                       http::response& out) {
    serve_generated(req, 301, html_type,
                    policy_.cache_control[static_cast<int>(bundle::cache_class::redirect)],
                    "<!DOCTYPE html><title>Verhuisd</title><p><a href=\"" + html_escape(location) +
                        "\">Verder</a></p>\n",
                    out, "Location: " + location + "\r\n", keys);
}

void handler::serve_not_found(const request& req, http::response& out) {
    const bundle::bundle_view& view = bundle_->view();
    if (const auto* e = view.find(bundle::not_found_path)) {
        serve_entry(req, view, *e, out);
    } else {
        serve_generated(req, 404, html_type,
                        policy_.cache_control[static_cast<int>(bundle::cache_class::error)],
                        error_page(404), out);
    }
}

// The search database failed (not the client's fault, and not fatal): say so on stderr and
// answer 503 so caches retry (the search thread reopens the database for the next search).
void handler::search_unavailable(const request& req, bool json, const std::string& why,
                                 http::response& out) {
    std::cerr << "kade-serve: search failed: " << why << "\n";
    serve_generated(
        req, 503, json ? json_type : html_type, policy_.no_store,
        json ? search::error_json("zoeken is tijdelijk niet beschikbaar") : error_page(503), out);
}

void handler::search_busy(const request& req, bool json, http::response& out) {
    const std::string retry = "Retry-After: " + std::to_string(search_.retry_after_s) + "\r\n";
    serve_generated(req, 503, json ? json_type : html_type, policy_.no_store,
                    json ? search::error_json("het is even te druk om te zoeken; probeer het zo "
                                              "opnieuw")
                         : error_page(503),
                    out, retry);
}

void handler::serve_compressed(const request& req, std::string_view content_type,
                               const std::string& cache_fields, std::string body,
                               http::response& out, std::string_view keys) {
    http::coding coding = http::coding::identity;
    if (req.accept_encoding)
        coding = live_.apply(accept_weights_of(*req.accept_encoding), dictionary_available(req),
                             static_cast<std::size_t>(cfg_.search.compress_min_bytes), body);
    std::string fields(dictionary_sf_.empty() ? vary_encoding : vary_encoding_dictionary);
    if (coding != http::coding::identity)
        append_field(fields, "Content-Encoding", http::coding_token(coding));
    serve_generated(req, 200, content_type, cache_fields, std::move(body), out, fields, keys);
    out.coding = static_cast<std::uint8_t>(coding);
}

bool handler::serve_older_posts(const request& req, std::string_view query, std::string_view label,
                                http::response& out) {
    const auto params = http::parse_query(query);
    if (!params) return false;
    const auto updated_max = http::query_value(*params, "updated-max");
    const auto max_results = http::query_value(*params, "max-results");
    // /search?max-results=N alone is Blogger's newest N; on a label page it is only a length.
    if (!updated_max && (!max_results || !label.empty())) return false;
    auto bad = [&] {
        serve_generated(req, 400, html_type,
                        policy_.cache_control[static_cast<int>(bundle::cache_class::error)],
                        error_page(400), out, {}, "search");
        return true;
    };
    older_posts_query older;
    older.before = std::numeric_limits<std::int64_t>::max();
    older.label = label;
    if (updated_max) {
        const auto before = parse_blogger_time(*updated_max);
        if (!before) return bad();
        older.before = *before;
    }
    older.max = static_cast<std::size_t>(std::max(1, cfg_.index.posts_per_page));
    if (max_results) {
        const auto n = parse_positive(*max_results, search_.max_per_page);
        if (!n) return bad();
        older.max = static_cast<std::size_t>(*n);
    }
    const bundle::bundle_view& view = bundle_->view();
    listed_posts& posts = listed_posts_of(view);
    const auto* shell = view.find(bundle::search_shell_path);
    std::string page =
        shell ? std::string(view.body(*shell, 0)) : std::string(bundle::shell_results_marker);
    replace_all(page, bundle::shell_title_marker,
                "Oudere berichten | " + html_escape(cfg_.site.title));
    replace_all(page, bundle::shell_robots_marker, "");
    replace_all(page, bundle::shell_query_marker, "");
    replace_all(page, bundle::shell_results_marker,
                older_posts_html(label.empty() ? posts.all() : posts.with_label(label), older));
    // Purged with the home page: a new post moves every list of older ones.
    serve_generated(req, 200, html_type, policy_.search_cache, std::move(page), out, {},
                    "home search");
    return true;
}

std::optional<handler::put_together> handler::later_listing_page_of(const bundle::bundle_view& view,
                                                                    std::string_view path) {
    const auto later = later_page_of(path);
    if (!later) return std::nullopt;
    const bool home = later->label.empty();
    const auto* shell =
        home ? view.find(bundle::home_pages_shell_path)
             : view.find(std::string(bundle::label_pages_shell_prefix) + std::string(later->label));
    // None: a bundle that stores these pages, a list of one page, or no such label.
    if (!shell) return std::nullopt;
    listed_posts& posts = listed_posts_of(view);
    auto page = later_listing_page(
        view.body(*shell, 0), home ? posts.all() : posts.with_label(later->label), later->first,
        later->page, static_cast<std::size_t>(std::max(1, cfg_.index.posts_per_page)));
    if (!page) return std::nullopt;
    return put_together{std::move(*page), view.str(shell->keys)};
}

listed_posts& handler::listed_posts_of(const bundle::bundle_view& view) {
    if (!listed_posts_) {
        // Once per bundle and thread: a few ms at 100,000 posts.
        const auto* list = view.find(bundle::posts_by_date_path);
        listed_posts_.emplace(list ? view.body(*list, 0) : std::string_view());
    }
    return *listed_posts_;
}

void handler::serve_later_listing_page(const request& req, std::string page, std::string_view keys,
                                       http::response& out) {
    http::coding coding = http::coding::identity;
    if (req.accept_encoding)
        coding =
            live_.choose(accept_weights_of(*req.accept_encoding), dictionary_available(req),
                         static_cast<std::size_t>(cfg_.search.compress_min_bytes), page.size());
    // A strong tag per representation (RFC 9110 §8.8.3): the page's bytes and their coding. A
    // CDN revalidates the page as it does a stored one, and a 304 costs no compression.
    std::array<char, 18> etag_buf;
    const std::string_view etag = format_etag(
        XXH3_64bits_withSeed(page.data(), page.size(), static_cast<std::uint64_t>(coding)),
        etag_buf);
    std::string fields(dictionary_sf_.empty() ? vary_encoding : vary_encoding_dictionary);
    append_field(fields, "ETag", etag);
    const std::string& cache = policy_.cache_control[static_cast<int>(bundle::cache_class::html)];
    if (http::is_not_modified(req.if_none_match, req.if_modified_since, {etag, -1})) {
        out.status = 304;
        http::append_status_line(out.head, 304);
        out.head += policy_.server;
        out.head += http::date_field();
        out.head += cache;
        out.head += fields;
        policy_.append_purge_keys(out.head, keys, generation_key_);
        finish_head(req, out);
        return;
    }
    if (coding != http::coding::identity) {
        // Compressing costs ~10x serving a stored page (gzip 6 of 11 KB, about 0.15 ms): the
        // few pages asked for again (page 2, a crawler's retry) come from this thread's last ones.
        auto hit = std::find_if(later_pages_.begin(), later_pages_.end(), [&](const auto& c) {
            return c.generation == generation_ && c.etag == etag;
        });
        if (hit != later_pages_.end()) {
            page = hit->bytes;
        } else {
            live_.compress(coding, page);
            later_pages_[later_pages_next_] = {generation_, std::string(etag), page};
            later_pages_next_ = (later_pages_next_ + 1) % later_pages_.size();
        }
        append_field(fields, "Content-Encoding", http::coding_token(coding));
    }
    serve_generated(req, 200, html_type, cache, std::move(page), out, fields, keys);
    out.coding = static_cast<std::uint8_t>(coding);
}

bool handler::serve_feed_window(const request& req, const bundle::bundle_view& view,
                                const std::string& path, std::string_view query,
                                http::response& out) {
    if (!path.starts_with("/feeds/")) return false;
    const auto params = http::parse_query(query);
    if (!params) return false;
    for (const auto& [name, value] : *params)
        if (name != "alt" && name != "max-results" && name != "start-index") return false;
    const auto start = http::query_value(*params, "start-index");
    const auto max = http::query_value(*params, "max-results");
    if (!start && !max) return false;
    const auto alt = http::query_value(*params, "alt");
    const auto* e = view.find(alt && *alt == "rss" ? path + "?alt=rss" : path);
    if (!e || e->status != 200 || e->cache != static_cast<std::uint8_t>(bundle::cache_class::feed))
        return false;
    feed_window_query window;
    // Blogger's limits: start-index from 1, at most 500 entries a request.
    constexpr int max_start = 1'000'000, max_entries = 500;
    const auto start_index = start ? parse_positive(*start, max_start) : std::optional<int>(1);
    const auto max_results = max ? parse_positive(*max, max_entries) : std::optional<int>(0);
    // A feed's identity is derived from its gzip copy (bundle format 4).
    const std::string* derived = view.derives_identity(*e) ? derived_identity(view, *e) : nullptr;
    const std::string_view whole = derived ? std::string_view(*derived) : view.body(*e, 0);
    auto feed = start_index && max_results
                    ? feed_window(whole, {static_cast<std::size_t>(*start_index),
                                          static_cast<std::size_t>(*max_results)})
                    : std::nullopt;
    if (!feed) {
        serve_generated(req, 400, html_type,
                        policy_.cache_control[static_cast<int>(bundle::cache_class::error)],
                        error_page(400), out);
        return true;
    }
    serve_compressed(req, view.str(e->content_type),
                     policy_.cache_control[static_cast<int>(bundle::cache_class::feed)],
                     std::move(*feed), out, view.str(e->keys));
    return true;
}

void handler::serve_search(const request& req, std::string_view query, bool json,
                           http::response& out, std::shared_ptr<const void>& keep,
                           http::answer_later& later) {
    const std::string& error_cache =
        policy_.cache_control[static_cast<int>(bundle::cache_class::error)];
    auto bad = [&](std::string_view message) {
        if (json) {
            serve_generated(req, 400, json_type, error_cache, search::error_json(message), out, {},
                            "search");
        } else {
            serve_generated(req, 400, html_type, error_cache, error_page(400), out, {}, "search");
        }
    };
    const auto params = http::parse_query(query);
    if (!params) return bad("de zoekopdracht is geen geldige URL-codering");

    const auto q = http::query_value(*params, "q");
    if (!json && !q && serve_older_posts(req, query, {}, out)) return;
    search::search_request sr;
    sr.per_page = search_.per_page;
    if (q) sr.query = std::string(*q);
    if (json && !q) return bad("parameter q ontbreekt");
    if (sr.query.size() > search_.max_query_bytes)
        return bad("de zoekopdracht is langer dan " + std::to_string(search_.max_query_bytes) +
                   " bytes");
    if (search::count_query_words(sr.query) > search_.max_terms)
        return bad("de zoekopdracht heeft meer dan " + std::to_string(search_.max_terms) +
                   " woorden");
    if (auto page = http::query_value(*params, "page")) {
        const auto p = parse_positive(*page, 100000);
        if (!p) return bad("page moet een geheel getal vanaf 1 zijn");
        sr.page = *p;
    }
    if (auto per_page = http::query_value(*params, "per_page")) {
        const auto p = parse_positive(*per_page, search_.max_per_page);
        if (!p)
            return bad("per_page moet tussen 1 en " + std::to_string(search_.max_per_page) +
                       " liggen");
        sr.per_page = *p;
    }
    if (auto sort = http::query_value(*params, "sort")) {
        if (*sort == "date") {
            sr.sort_by_date = true;
        } else if (*sort != "relevance") {
            return bad("sort moet relevance of date zijn");
        }
    }
    if (auto label = http::query_value(*params, "label")) sr.label = std::string(*label);
    if (auto prefix = http::query_value(*params, "prefix")) {
        if (*prefix != "0" && *prefix != "1") return bad("prefix moet 0 of 1 zijn");
        sr.prefix = *prefix == "1";
    }

    if (sr.query.empty()) return serve_results(req, json, sr, {}, out);
    // A cached result is answered here and now; the rest waits for a search thread, and this
    // network thread serves other connections meanwhile.
    if (auto hit = searches_.cached(generation_, sr)) {
        out.search_cache = 1;
        ops::record_search(0, out.search_cache);
        return serve_results(req, json, sr, *hit, out);
    }
    const http::answer_later::finish finish = later.defer();
    auto done = [this, finish, &req, &out, &keep, json, sr](search::search_outcome o) {
        // On the search thread: hand the outcome to the connection's thread.
        finish([this, &req, &out, &keep, json, sr, o = std::move(o)] {
            keep = bundle_;
            if (!o.error.empty()) return search_unavailable(req, json, o.error, out);
            out.search_cache = search_.cache_entries > 0 ? 0 : -1;
            ops::record_search(static_cast<std::uint64_t>(o.result.took_ms * 1e6), out.search_cache,
                               o.result.timed_out);
            serve_results(req, json, sr, o.result, out);
        });
    };
    if (!searches_.submit(bundle_, generation_, sr, std::move(done)))
        finish([this, &req, &out, &keep, json] {
            keep = bundle_;
            ops::record_search_refused();
            search_busy(req, json, out);
        });
}

void handler::serve_results(const request& req, bool json, const search::search_request& sr,
                            const search::search_result& result, http::response& out) {
    if (json) {
        // Partial results (a shard down) are not for caches to keep.
        serve_compressed(req, json_type, result.partial ? policy_.no_store : policy_.search_cache,
                         search::results_json(sr, result), out);
        return;
    }
    const bundle::bundle_view& view = bundle_->view();
    const auto* shell = view.find(bundle::search_shell_path);
    std::string page =
        shell ? std::string(view.body(*shell, 0)) : std::string(bundle::shell_results_marker);
    const std::string escaped = html_escape(sr.query);
    replace_all(page, bundle::shell_title_marker,
                sr.query.empty() ? "Zoeken | " + html_escape(cfg_.site.title)
                                 : escaped + " — Zoeken | " + html_escape(cfg_.site.title));
    replace_all(page, bundle::shell_robots_marker,
                sr.query.empty() ? "" : "<meta name=\"robots\" content=\"noindex\">");
    replace_all(page, bundle::shell_query_marker, escaped);
    replace_all(page, bundle::shell_results_marker, search::results_html(sr, result));
    serve_compressed(req, html_type, result.partial ? policy_.no_store : policy_.search_cache,
                     std::move(page), out);
}

void handler::handle(const request& req, http::response& out, std::shared_ptr<const void>& keep,
                     http::answer_later& later) {
    out.reset();
    const bundle::loaded_bundle& loaded = refresh();
    keep = bundle_;
    const std::string& error_cache =
        policy_.cache_control[static_cast<int>(bundle::cache_class::error)];

    if (req.verb == method::other) {
        serve_generated(req, 405, html_type, error_cache, error_page(405), out, allow_field);
        return;
    }
    const auto target = http::parse_target(req.target);
    if (!target) {
        serve_generated(req, 400, html_type, error_cache, error_page(400), out);
        return;
    }
    if (req.verb == method::options) {
        serve_generated(req, 204, "text/plain; charset=utf-8", policy_.no_store, "", out,
                        allow_field);
        return;
    }
    if (target->path.empty()) {  // "*" is for OPTIONS only
        serve_generated(req, 400, html_type, error_cache, error_page(400), out);
        return;
    }

    const route_kind kind = route(target->path);
    out.route = static_cast<std::uint8_t>(kind);
    // "//2014//01//x.html", "/2014/./01/x.html", "/%2e/…", "/2014%2f01/…": the page under a
    // URL of its own would be a cache entry of its own at the CDN. One redirect to the URL the
    // site links to; the query stays (search reads it, feeds pick RSS by it; a query nothing
    // reads is dropped by the redirect that follows).
    if (!target->canonical) {
        const auto* e = loaded.view().find(target->path);
        std::string location = percent_encode_path(target->path);
        if (!target->query.empty()) location += "?" + target->query;
        redirect(req, location, e ? loaded.view().str(e->keys) : std::string_view{}, out);
        return;
    }
    switch (kind) {
        case route_kind::healthz:
            // The build id stays the second word: deploy checks and tests read it.
            serve_generated(req, 200, "text/plain; charset=utf-8", policy_.no_store,
                            "ok " + loaded.view().build_id() +
                                (slot_.verified() ? " verified\n" : " verifying\n"),
                            out);
            return;
        case route_kind::metrics: {
            ops::live_state live;
            live.build_id = loaded.view().build_id();
            live.reloads = slot_.reloads();
            live.reloads_refused = slot_.refused();
            live.verified = slot_.verified();
            live.search_threads = searches_.threads();
            live.search_waiting = searches_.waiting();
            live.search_queue_limit = searches_.queue_limit();
            serve_generated(req, 200, "text/plain; version=0.0.4; charset=utf-8", policy_.no_store,
                            ops::render_metrics(live), out);
            return;
        }
        case route_kind::search_page:
            serve_search(req, target->query, false, out, keep, later);
            return;
        case route_kind::search_api:
            serve_search(req, target->query, true, out, keep, later);
            return;
        case route_kind::page:
            break;
    }

    const bundle::bundle_view& view = loaded.view();
    // Blogger's feeds switch format by query (?alt=rss); such variants are stored under the path
    // with that query appended, the only query that selects a different entry.
    if (!target->query.empty() && serve_feed_window(req, view, target->path, target->query, out))
        return;
    if (target->query.find("alt=rss") != std::string::npos) {
        const auto params = http::parse_query(target->query);
        const auto alt = params ? http::query_value(*params, "alt") : std::nullopt;
        if (alt && *alt == "rss") {
            if (const auto* e = view.find(target->path + "?alt=rss")) {
                serve_entry(req, view, *e, out);
                return;
            }
        }
    }
    if (const auto* e = view.find(target->path)) {
        // A query nothing reads (utm_source=…, fbclid=…, ?v=2) on a page: 301 to the URL
        // without it, rather than the page with Link: rel=canonical. A CDN keys its cache on
        // the whole URL, so serving the page would store one full copy per tracking link, each
        // one a miss to this origin and each one a copy a purge must reach; the redirect is a
        // few hundred bytes, and every visitor then shares the one cached canonical page.
        // Blogger's ?m=0 / ?m=1 stay 200: old links carry them everywhere, and the redirect
        // would cost those visitors a round trip for nothing.
        constexpr std::string_view label_prefix = "/search/label/";
        if (!target->query.empty() && target->path.starts_with(label_prefix) &&
            target->path.find('/', label_prefix.size()) == std::string::npos &&
            serve_older_posts(req, target->query, target->path.substr(label_prefix.size()), out))
            return;
        if (!target->query.empty() && e->status == 200 && !query_names_the_page(target->query)) {
            redirect(req, percent_encode_path(target->path), view.str(e->keys), out);
            return;
        }
        serve_entry(req, view, *e, out);
        return;
    }
    if (auto page = later_listing_page_of(view, target->path)) {
        // As a stored page: a query nothing reads is redirected away.
        if (!target->query.empty() && !query_names_the_page(target->query)) {
            redirect(req, percent_encode_path(target->path), page->keys, out);
            return;
        }
        serve_later_listing_page(req, std::move(page->body), page->keys, out);
        return;
    }
    // "/2014/01" → "/2014/01/", as a file server redirects a folder without its slash. The
    // query goes: nothing reads it on an archive, and keeping it would only redirect again.
    if (target->path.back() != '/') {
        if (const auto* e = view.find(target->path + "/")) {
            redirect(req, percent_encode_path(target->path + "/"), view.str(e->keys), out);
            return;
        }
        if (const auto page = later_listing_page_of(view, target->path + "/")) {
            redirect(req, percent_encode_path(target->path + "/"), page->keys, out);
            return;
        }
    }
    // Blogger's date archives, "/2014_11_20_archive.html": the month they fall in.
    if (const auto month = archive_month_path(target->path)) {
        if (const auto* e = view.find(*month)) {
            redirect(req, *month, view.str(e->keys), out);
            return;
        }
    }
    serve_not_found(req, out);
}

}  // namespace kade
