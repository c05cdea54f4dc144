#include "indexer/output/assemble.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <span>
#include <thread>

#include "common/bundle_format.hpp"
#include "common/compress.hpp"
#include "common/dictionary.hpp"
#include "common/search_document.hpp"
#include "indexer/output/dictionary.hpp"
#include "indexer/output/reuse.hpp"

namespace kade::indexer {

std::string content_type_for(const std::string& path) {
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".xml", "application/xml; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".avif", "image/avif"},
        {".ico", "image/vnd.microsoft.icon"},
        {".pdf", "application/pdf"},
        {".woff2", "font/woff2"},
        {".mp3", "audio/mpeg"},
        {".mp4", "video/mp4"},
    };
    const auto dot = path.rfind('.');
    if (dot != std::string::npos && path.find('/', dot) == std::string::npos) {
        std::string ext = path.substr(dot);
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (const auto& [e, type] : types)
            if (ext == e) return type;
    }
    return "application/octet-stream";
}

bool is_compressible(const std::string& content_type) {
    return content_type.rfind("text/", 0) == 0 || content_type.find("json") != std::string::npos ||
           content_type.find("xml") != std::string::npos || content_type == dictionary_content_type;
}

bool is_later_listing_page(std::string_view path) {
    if (!path.ends_with('/')) return false;
    path.remove_suffix(1);
    std::size_t digits = 0;
    while (digits < path.size() && path[path.size() - 1 - digits] >= '0' &&
           path[path.size() - 1 - digits] <= '9')
        ++digits;
    return digits > 0 && path.substr(0, path.size() - digits).ends_with("/page/");
}

byte_counts add_pages(bundle::bundle_builder& builder, std::vector<page_input> pages,
                      int gzip_level, std::string_view dictionary, dcz_levels levels,
                      const previous_bundle* previous) {
    page_compressor compressor(builder, gzip_level, dictionary, levels, previous);
    compressor.add(pages);
    return compressor.counts();
}

struct page_compressor::workers {
    // Documents only: the dictionary is announced for match-dest "document".
    std::optional<dictionary::dcz_compressor> with_dict, for_listings, for_texts;
};

page_compressor::page_compressor(bundle::bundle_builder& builder, int gzip_level,
                                 std::string_view dictionary, dcz_levels levels,
                                 const previous_bundle* previous)
    : builder_(builder),
      gzip_level_(gzip_level),
      dictionary_(dictionary),
      previous_(previous),
      workers_(std::max(1u, std::thread::hardware_concurrency())) {
    if (!dictionary.empty())
        for (auto& w : workers_) {
            w.with_dict.emplace(dictionary, levels.pages);
            w.for_listings.emplace(dictionary, levels.listings);
            w.for_texts.emplace(dictionary, snippet_text_level);
        }
}

page_compressor::~page_compressor() = default;

void page_compressor::add(std::vector<page_input>& pages) {
    for (std::size_t from = 0; from < pages.size(); from += batch_pages) {
        const std::size_t to = std::min(pages.size(), from + batch_pages);
        add_batch(std::span(pages).subspan(from, to - from));
    }
    pages.clear();
}

void page_compressor::add_batch(std::span<page_input> pages) {
    std::vector<std::optional<std::string>> gzip(pages.size());
    std::vector<std::optional<std::string>> dcz(pages.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> reused{0};
    const previous_bundle* previous = previous_;
    auto worker = [&](workers& w) {
        for (std::size_t i = next++; i < pages.size(); i = next++) {
            if (pages[i].content_type == search_document::text_entry_type) {
                if (!w.for_texts) continue;  // stored as they are
                if (previous) {
                    if (auto v = previous->find(pages[i].body, pages[i].content_type)) {
                        dcz[i] = std::move((*v)[bundle::dcz_variant]);
                        continue;
                    }
                }
                std::string d = w.for_texts->compress(pages[i].body);
                if (d.size() < pages[i].body.size() &&
                    pages[i].body.size() <= d.size() * bundle::max_derived_ratio)
                    dcz[i] = std::move(d);
                continue;
            }
            if (!is_compressible(pages[i].content_type)) continue;
            if (previous) {
                if (auto v = previous->find(pages[i].body, pages[i].content_type)) {
                    gzip[i] = std::move((*v)[bundle::gzip_variant]);
                    dcz[i] = std::move((*v)[bundle::dcz_variant]);
                    ++reused;
                    continue;
                }
            }
            // No zstd variant (format 4): 2-3 % smaller than gzip, and every client that takes
            // zstd takes gzip too (bench/results/2026-12-05/bundle-size.md).
            std::string g = gzip_compress(pages[i].body, gzip_level_);
            if (g.size() < pages[i].body.size()) gzip[i] = std::move(g);
            if (w.with_dict && pages[i].content_type.starts_with("text/html")) {
                auto& dcz_of = is_later_listing_page(pages[i].path) ? w.for_listings : w.with_dict;
                std::string d = dcz_of->compress(pages[i].body);
                if (d.size() < pages[i].body.size()) dcz[i] = std::move(d);
            }
        }
    };
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 1; t < workers_.size(); ++t)
            pool.emplace_back([&, t] { worker(workers_[t]); });
        worker(workers_[0]);
    }  // joins

    byte_counts& counts = counts_;
    counts.reused_pages += reused;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        page_input& p = pages[i];
        const std::uint64_t raw = p.body.size();
        // Identity is derived from gzip where there is one (bundle_format.hpp), except for
        // internal entries and the dictionary, which are read as stored bytes; a snippet
        // text's from its dcz.
        const bool text = p.content_type == search_document::text_entry_type;
        const bool derive =
            text ? dcz[i].has_value()
                 : gzip[i] && !p.path.starts_with('!') && p.content_type != dictionary_content_type;
        if (text) {
            counts.texts += raw;
            counts.texts_stored += dcz[i] ? dcz[i]->size() : raw;
        } else if (is_compressible(p.content_type)) {
            ++counts.compressible_pages;
            counts.raw += raw;
            counts.gzip += gzip[i] ? gzip[i]->size() : raw;
            counts.dcz += dcz[i] ? dcz[i]->size() : gzip[i] ? gzip[i]->size() : raw;
            counts.stored_identity += derive ? 0 : raw;
        } else {
            counts.other += raw;  // the posts' plain texts for snippets, images
        }
        bundle::entry_input e;
        e.path = std::move(p.path);
        e.content_type = std::move(p.content_type);
        e.status = p.status;
        e.cache = p.cache;
        e.last_modified = p.last_modified;
        e.location = std::move(p.location);
        e.keys = std::move(p.keys);
        e.variants[0] = std::move(p.body);
        e.variants[bundle::gzip_variant] = std::move(gzip[i]);
        e.derive_identity = derive;
        e.variants[bundle::dcz_variant] = std::move(dcz[i]);
        builder_.add(std::move(e));  // the bodies go to the builder's scratch file
        p = page_input{};
    }
    if (previous_) previous_->release_memory();
}

}  // namespace kade::indexer
