#include "indexer/pipeline.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include <xxhash.h>

#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "common/files.hpp"
#include "common/reserved_paths.hpp"
#include "common/search_document.hpp"
#include "common/text.hpp"
#include "indexer/content/comments.hpp"
#include "indexer/content/post.hpp"
#include "indexer/content/site.hpp"
#include "indexer/content/walk.hpp"
#include "indexer/output/assemble.hpp"
#include "indexer/output/dictionary.hpp"
#include "indexer/output/reuse.hpp"
#include "indexer/parallel.hpp"
#include "indexer/render/comment_feeds.hpp"
#include "indexer/render/feeds.hpp"
#include "indexer/render/pages.hpp"
#include "indexer/render/post_styles.hpp"
#include "indexer/render/render.hpp"
#include "indexer/render/template.hpp"
#include "indexer/search/related.hpp"
#include "indexer/search/search_cache.hpp"
#include "indexer/search/search_index.hpp"

namespace kade::indexer {
namespace fs = std::filesystem;

namespace {

std::string read_or_throw(const fs::path& path) {
    std::optional<std::string> bytes = read_file(path);
    if (!bytes) throw std::runtime_error("cannot read " + path.string());
    return std::move(*bytes);
}

// Each file is read and parsed (TOML, Markdown) on its own, on every core; posts and problems
// are gathered in file order, so the result is what parsing one file at a time gives.
std::vector<post> parse_posts(const std::string& content_dir, const content_files& files,
                              std::vector<diagnostic>& errors) {
    const std::size_t n = files.posts.size();
    std::vector<std::optional<post>> parsed(n);
    std::vector<std::vector<diagnostic>> found(n);
    std::vector<std::exception_ptr> failed(n);  // the first in file order is thrown
    parallel_for(n, [&](std::size_t i) {
        try {
            const std::string shown = (fs::path(content_dir) / files.posts[i]).string();
            parsed[i] = parse_post(shown, read_or_throw(shown), found[i]);
            if (parsed[i]) parsed[i]->content_path = files.posts[i];
        } catch (...) {
            failed[i] = std::current_exception();
        }
    });
    std::vector<post> posts;
    posts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (failed[i]) std::rethrow_exception(failed[i]);
        for (auto& d : found[i]) errors.push_back(std::move(d));
        if (parsed[i]) posts.push_back(std::move(*parsed[i]));
    }
    return posts;
}

// "Gerelateerde berichten" under each post.
constexpr std::size_t related_per_post = 5;

// The search shell names its script by the unhashed path; point it at the fingerprinted asset.
std::string with_script_url(std::string page, const std::string& js_url) {
    constexpr std::string_view plain = "/static/search.js";
    if (const auto at = page.find(plain); at != std::string::npos)
        page.replace(at, plain.size(), js_url);
    return page;
}

// Times the phases of a build for the summary and reports each to the progress callback.
class phase_clock {
  public:
    phase_clock(build_summary& summary,
                const std::function<void(const std::string&, double)>& progress)
        : summary_(summary), progress_(progress) {}

    // Ends the phase before (if any) and starts `name`, `done` of the way through the build.
    void next(const char* name, double done) {
        const auto now = std::chrono::steady_clock::now();
        if (current_)
            summary_.phase_seconds.emplace_back(
                current_, std::chrono::duration<double>(now - phase_start_).count());
        current_ = name;
        phase_start_ = now;
        if (progress_) progress_(name, done);
    }

    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

  private:
    build_summary& summary_;
    const std::function<void(const std::string&, double)>& progress_;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point phase_start_ = start_;
    const char* current_ = nullptr;
};

// A template file served under a name with its content hash: cached for a year.
struct fingerprinted {
    std::string url;
    std::string_view text;
};

fingerprinted fingerprint(std::string_view file, std::string_view stem, std::string_view ext) {
    const std::string_view text = template_text(file);
    return {"/static/" + std::string(stem) + "." +
                hex64(XXH3_64bits(text.data(), text.size())).substr(0, 12) + std::string(ext),
            text};
}

page_input render_post_page(const site& s, std::size_t i,
                            const std::vector<std::vector<std::size_t>>& related,
                            const comment_index& comments, const page_context& ctx) {
    const site_post& p = s.posts[i];
    return {p.url,
            "text/html; charset=utf-8",
            with_comments(render_post(s, i, related[i], ctx), comments, p.url),
            bundle::cache_class::html,
            200,
            p.last_modified,
            "",
            post_page_keys(s, i, related[i])};
}

// The post pages [from, to), on every core.
std::vector<page_input> render_post_pages(const site& s, std::size_t from, std::size_t to,
                                          const std::vector<std::vector<std::size_t>>& related,
                                          const comment_index& comments, const page_context& ctx) {
    std::vector<page_input> pages(to - from);
    parallel_for(pages.size(), [&](std::size_t k) {
        pages[k] = render_post_page(s, from + k, related, comments, ctx);
    });
    return pages;
}

// What the sitemap and the alias check know of a post page before it is rendered (the pages
// are rendered a batch at a time as they are compressed, build_bundle).
std::vector<page_input> post_page_stubs(const site& s) {
    std::vector<page_input> pages;
    pages.reserve(s.posts.size());
    for (const auto& p : s.posts)
        pages.push_back({p.url, "text/html; charset=utf-8", "", bundle::cache_class::html, 200,
                         p.last_modified, "", ""});
    return pages;
}

// Posts' own <style> elements as stylesheets the pages link (post_styles.hpp); posts with the
// same styles share one.
std::vector<page_input> move_post_styles(site& s) {
    std::map<std::string, page_input> sheets;
    for (auto& p : s.posts)
        if (auto sheet = move_styles_to_sheet(p.body.html))
            sheets.emplace(sheet->path, std::move(*sheet));
    std::vector<page_input> out;
    for (auto& [path, sheet] : sheets) out.push_back(std::move(sheet));
    return out;
}

// content/static/** under /static/, as they are.
void append_static_files(std::vector<page_input>& pages, const std::string& content_dir,
                         const content_files& files) {
    for (const auto& rel : files.statics) {
        const std::string path = "/static/" + rel;
        pages.push_back({path, content_type_for(path),
                         read_or_throw(fs::path(content_dir) / "static" / rel),
                         bundle::cache_class::html, 200, -1, "", "static"});
    }
}

// Aliases: real 301 redirects to the post, never a page of their own. One that lands on a page
// of the blog, or on a path the server answers itself, could never answer.
void append_alias_redirects(std::vector<page_input>& pages, const site& s) {
    std::vector<diagnostic> errors;
    std::unordered_set<std::string> taken;
    for (const auto path : reserved_path::all) taken.emplace(path);
    for (const auto& pg : pages) taken.insert(pg.path);
    for (const auto& p : s.posts)
        for (std::size_t a = 0; a < p.source.aliases.size(); ++a) {
            const std::string& alias = p.source.aliases[a];
            if (taken.count(alias)) {
                const int line = a < p.source.alias_lines.size() ? p.source.alias_lines[a] : 1;
                errors.push_back(
                    {p.source.file, line, "alias " + alias + " collides with a page of the blog"});
                continue;
            }
            pages.push_back({alias, "text/html; charset=utf-8",
                             "<!DOCTYPE html><title>Verhuisd</title><p><a href=\"" +
                                 html_escape(percent_encode_path(p.url)) +
                                 "\">Dit bericht staat nu hier.</a></p>\n",
                             bundle::cache_class::redirect, 301, p.last_modified,
                             percent_encode_path(p.url), p.key});
        }
    if (!errors.empty()) throw diagnostics_error{std::move(errors)};
}

// Each post's plain text for snippets, read by the server straight from memory (stored as dcz
// when there is a dictionary, add_pages). Not counted as a page. Posts [from, to).
void append_search_texts(std::vector<page_input>& pages, const site& s, std::size_t from,
                         std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
        const site_post& p = s.posts[i];
        std::vector<std::pair<std::size_t, std::string>> headings;
        for (const auto& h : p.body.headings) headings.emplace_back(h.offset, h.id);
        pages.push_back({search_document::text_entry_path(p.url),
                         std::string(search_document::text_entry_type),
                         search_document::encode_text_entry(p.body.text, headings),
                         bundle::cache_class::html, 200, -1, "", p.key});
    }
}

// Blogger's "Oudere berichten" links ask for posts older than a moment, of every label or of
// one, and the later pages of the home page and the labels show a page of posts each: the server
// reads them from this list (bundle::posts_by_date_path), with the summaries the home page shows.
void append_posts_by_date(std::vector<page_input>& pages, const site& s) {
    auto clean = [](std::string_view text) {
        std::string out(text);
        for (char& c : out)
            if (c == '\t' || c == '\n' || c == '\r' || c == '\x1f') c = ' ';
        return out;
    };
    // Each post's labels as their label pages name them.
    std::vector<std::string> labels(s.posts.size());
    for (const auto& group : s.labels)
        for (const std::size_t i : group.posts)
            labels[i] += (labels[i].empty() ? "" : "\x1f") + clean(group.name);
    std::string by_date;
    for (std::size_t i = 0; i < s.posts.size(); ++i) {
        const site_post& p = s.posts[i];
        by_date += std::to_string(p.source.date.unix_seconds) + "\t" + clean(p.url) + "\t" +
                   clean(p.source.title) + "\t" + p.date_dutch + "\t" + p.published_rfc3339 + "\t" +
                   labels[i] + "\t" + clean(p.author) + "\t" + clean(p.summary) + "\n";
    }
    pages.push_back({std::string(bundle::posts_by_date_path), "application/x-kade-text",
                     std::move(by_date), bundle::cache_class::html, 200, -1, "", "home"});
}

// The search database (`single_file`: made from the folder database at `db_path`), and with
// --shards the same posts split into N databases (also copied as folder databases to
// --shards-out, for xapian-tcpsrv on other machines).
void add_search_databases(bundle::bundle_builder& builder, const std::string& db_path,
                          std::future<std::string>& single_file, const scratch_dir& scratch,
                          const build_options& options, build_summary& summary) {
    // Copied from its file when the bundle is written, never held in memory.
    const std::string db = single_file.get();
    builder.set_search_database_file(db);
    summary.index_bytes = fs::file_size(db);
    if (options.shards == 0) return;
    std::vector<std::string> shard_bytes;
    for (const auto& dir :
         build_shard_databases(db_path, options.shards, scratch.path().string())) {
        shard_bytes.push_back(single_file_database(dir, scratch.path().string()));
        if (!options.shards_out.empty() && options.write) {
            const fs::path to = fs::path(options.shards_out) / fs::path(dir).filename();
            fs::create_directories(options.shards_out);
            fs::remove_all(to);
            fs::copy(dir, to, fs::copy_options::recursive);
        }
        fs::remove_all(dir);
    }
    builder.set_shard_databases(shard_bytes);
}

// What an incremental build may change in the search database kept by the last build
// (search_cache): nullopt when every post is to be indexed, with the reason in the summary.
std::optional<search_changes> planned_search_changes(const search_cache& cache,
                                                     std::string_view documents,
                                                     const build_options& options,
                                                     const search_index_options& index_options,
                                                     build_summary& summary) {
    if (options.full) {
        summary.search_full_reason = "--full";
        return std::nullopt;
    }
    std::optional<search_changes> changes = cache.reusable(documents, summary.search_full_reason);
    // Many changes: the full build indexes every post on every core.
    if (changes && changes->added + changes->edited.size() + changes->removed.size() >
                       index_options.parallel_from) {
        summary.search_full_reason = "more than " + std::to_string(index_options.parallel_from) +
                                     " new, edited or removed posts";
        return std::nullopt;
    }
    return changes;
}

// The search database of `docs` (searched_document): the one kept by the last build with
// `changes` made (the new posts added ahead of the rest, the edited ones indexed anew and the
// removed ones deleted); without changes, or when they cannot be made, indexed in full.
std::string search_database(const site& docs, const std::optional<search_changes>& changes,
                            const search_cache& cache, const search_index_options& index_options,
                            const scratch_dir& scratch, build_summary& summary) {
    if (changes) {
        // A cache Xapian cannot read costs a full index here, not the build.
        try {
            if (const std::optional<std::string> db = update_search_database(
                    docs, *changes, cache.database(), scratch.path().string(), index_options,
                    summary.search_full_reason)) {
                summary.search_added = changes->added;
                summary.search_edited = changes->edited.size();
                summary.search_removed = changes->removed.size();
                summary.search_kept =
                    searched_count(docs) - changes->added - changes->edited.size();
                return *db;
            }
        } catch (const std::exception& e) {
            summary.search_full_reason =
                std::string("the search cache cannot be read: ") + e.what();
        }
    }
    return build_search_database(docs, scratch.path().string(), index_options);
}

// What the search phases give the pages: the database, each searched document's docid in it
// (document_ids) and each post's related posts.
struct search_outcome {
    std::string db_path;
    std::vector<unsigned> docids;
    std::vector<std::vector<std::size_t>> related;
};

}  // namespace

build_summary build_bundle(const config& cfg, const build_options& options) {
    build_summary summary;
    phase_clock phase(summary, options.progress);

    // The fractions follow where the time goes on a 10,000-post blog.
    phase.next("lezen", 0.0);
    const content_files files = walk_content(options.content_dir);
    std::vector<diagnostic> errors;
    std::vector<post> posts = parse_posts(options.content_dir, files, errors);
    for (const auto& p : posts) summary.drafts += p.draft ? 1 : 0;

    phase.next("site", 0.01);
    const std::set<std::string> draft_urls = urls_of_drafts(posts);
    site s = build_site(std::move(posts), cfg, errors);
    // Blogger's static pages (/p/NAME.html) and read-only comments under posts.
    const std::vector<static_page> static_pages = load_pages(options.content_dir, errors);
    comments_by_post comment_lists;
    const comment_index comments =
        load_comments(options.content_dir, s, draft_urls, errors, &comment_lists);
    if (!errors.empty()) throw diagnostics_error{std::move(errors)};
    summary.posts = s.posts.size();
    std::vector<page_input> post_sheets = move_post_styles(s);

    // The search database, then the related posts asked of it (post pages show them).
    const scratch_dir scratch("kade-index");  // Xapian's temporary databases
    search_index_options index_options;
    index_options.store_text = false;  // the texts go into the bundle as entries, below
    // Kept: edits in place read the old document's terms from the cached database.
    index_options.term_lists = true;
    s.searched_pages = searchable_pages(static_pages, cfg);
    const search_cache cache(options.output, index_options);
    const std::string documents = search_cache::documents(s);
    const std::optional<search_changes> changes =
        planned_search_changes(cache, documents, options, index_options, summary);
    // The bundle's single-file copy of the database is made on its own core as soon as the
    // database is there, beside the phases after it (0.1 s at 10,000 posts).
    std::future<std::string> single_file;
    auto search = [&](phase_clock& clock) {
        search_outcome out;
        clock.next("zoekindex", 0.02);
        out.db_path = search_database(s, changes, cache, index_options, scratch, summary);
        // Of n searched documents, document i is docid n - i unless posts were removed in place
        // (gaps until a full build).
        out.docids = document_ids(out.db_path, s);
        single_file = std::async(std::launch::async, [&scratch, db = out.db_path] {
            return single_file_database_file(db, scratch.path().string());
        });
        clock.next("gerelateerd", 0.65);
        out.related = related_posts(out.db_path, std::span(out.docids).first(s.posts.size()),
                                    related_per_post);
        return out;
    };
    // A change to the cached database takes one core for a second or two and little memory:
    // the pages that show no related posts are rendered and compressed beside it, on the
    // other core. Indexing every post takes every core and most of the build's memory (the
    // 3 GiB at 100,000 posts), so nothing runs beside that.
    search_outcome found;
    build_summary beside_summary;
    // The progress bar is the main thread's.
    const std::function<void(const std::string&, double)> quiet;
    phase_clock beside_clock(beside_summary, quiet);
    std::future<search_outcome> searching;
    if (changes)
        searching = std::async(std::launch::async, [&] {
            search_outcome out = search(beside_clock);
            beside_clock.next("klaar", 1.0);  // ends the last phase's time here, not at the wait
            return out;
        });
    else
        found = search(phase);
    // Waits for the search phases when they ran beside, and adds their times to the summary.
    auto await_search = [&] {
        if (!searching.valid()) return;
        phase.next("wachten op zoekindex", 0.8);
        found = searching.get();
        for (auto& [name, seconds] : beside_summary.phase_seconds)
            summary.phase_seconds.emplace_back(name + " (ernaast)", seconds);
    };

    phase.next("woordenboek", 0.8);
    // search.html names its script /static/search.js; the shell below gets the hashed URL, so
    // only the search page loads it with the page. Every page carries search_loader.js, which
    // fetches it when the header box is first focused.
    const fingerprinted css = fingerprint("style.css", "style", ".css");
    const fingerprinted js = fingerprint("search.js", "search", ".js");
    const fingerprinted loader = fingerprint("search_loader.js", "search_loader", ".js");
    const page_context ctx{cfg,        css.url, s.years.empty() ? 0 : s.years.front().year,
                           loader.url, js.url,  pages_links(static_pages)};
    const std::size_t post_pages = s.posts.size();
    // The bundle being replaced keeps its dictionary: a new one changes every page's link and
    // dcz bytes, so every deploy would purge the whole CDN and send each returning reader the
    // dictionary again. --new-dictionary (a new theme) trains afresh.
    std::optional<std::string> previous;
    if (!options.new_dictionary && options.write)
        previous = bundle::read_dictionary(options.output);
    const auto dictionary_bytes = static_cast<std::size_t>(cfg.index.dictionary_bytes);
    std::vector<page_input> samples;  // rendered only when there is something to train
    if (dictionary_bytes > 0 &&
        !(previous && !previous->empty() && previous->size() <= dictionary_bytes)) {
        await_search();  // the sample post pages show their related posts
        const std::vector<std::size_t> at = dictionary_sample_indices(post_pages);
        samples.resize(at.size());
        parallel_for(at.size(), [&](std::size_t k) {
            samples[k] = render_post_page(s, at[k], found.related, comments, ctx);
        });
    }
    std::vector<std::string_view> sample_bodies;
    for (const auto& pg : samples) sample_bodies.push_back(pg.body);
    const built_dictionary dict =
        make_dictionary(sample_bodies, dictionary_bytes, std::move(previous));
    std::vector<page_input>().swap(samples);
    summary.dictionary_bytes = dict.bytes.size();
    summary.dictionary_kept = dict.kept;
    const std::string link = dictionary_link(dict);
    // What the compressed bytes depend on, for the next build to judge whether it may reuse them.
    const std::string settings = compression_settings(cfg);

    // Incremental: pages whose bytes did not change keep their compressed variants from the
    // bundle being replaced (indexer/output/reuse.hpp). Opening it verifies every byte (a
    // third of a second at 10,000 posts, on one core): that runs beside the rendering below.
    std::string no_reuse;
    std::future<std::unique_ptr<previous_bundle>> opening;
    if (options.full)
        summary.full_reason = "--full";
    else if (!options.write)
        summary.full_reason = "--check";
    else
        opening = std::async(std::launch::async, [&] {
            return previous_bundle::open(options.output, settings, dict.bytes, no_reuse);
        });

    phase.next("pagina's", 0.805);
    // The post pages (most of the bytes) are rendered a batch at a time as they are
    // compressed, below; every other page is rendered here, the posts' only stand in for the
    // sitemap and the alias check.
    std::vector<page_input> pages = post_page_stubs(s);  // pages[0, post_pages) are the posts
    for (auto& pg : render_listings(s, ctx)) pages.push_back(std::move(pg));
    for (auto& pg : render_feeds(s, ctx)) pages.push_back(std::move(pg));
    for (auto& pg : render_comment_feeds(s, comment_lists, ctx)) pages.push_back(std::move(pg));
    append_static_pages(pages, static_pages, ctx);
    pages.push_back({css.url, "text/css; charset=utf-8", std::string(css.text),
                     bundle::cache_class::asset, 200, -1, "", "static"});
    pages.push_back({js.url, "text/javascript; charset=utf-8", std::string(js.text),
                     bundle::cache_class::asset, 200, -1, "", "static"});
    pages.push_back({loader.url, "text/javascript; charset=utf-8", std::string(loader.text),
                     bundle::cache_class::asset, 200, -1, "", "static"});
    append_static_files(pages, options.content_dir, files);
    for (auto& sheet : post_sheets) pages.push_back(std::move(sheet));
    for (auto& pg : render_sitemaps(pages, later_listing_pages(s, ctx), ctx))
        pages.push_back(std::move(pg));
    pages.push_back(render_robots(ctx));
    append_alias_redirects(pages, s);
    summary.pages = pages.size();
    pages.erase(pages.begin(), pages.begin() + static_cast<std::ptrdiff_t>(post_pages));

    phase.next("vorige bundel", 0.81);
    std::unique_ptr<previous_bundle> before;
    if (opening.valid()) {
        before = opening.get();
        if (!before) summary.full_reason = no_reuse;
    }

    // Every page but the posts' own: they show related posts, so they come last.
    phase.next("comprimeren", 0.82);
    bundle::bundle_builder builder(scratch.path().string());  // bodies go to a scratch file
    if (!dict.bytes.empty()) builder.set_dictionary(dict.bytes, dict.path);
    page_compressor compressor(builder, cfg.index.gzip_level, dict.bytes,
                               {cfg.index.dcz_level, cfg.index.dcz_listing_level}, before.get());
    for (auto& pg : pages) link_dictionary(pg, link);
    compressor.add(pages);
    constexpr std::size_t batch = 4 * page_compressor::batch_pages;
    for (std::size_t from = 0; from < post_pages; from += batch) {
        std::vector<page_input> texts;
        append_search_texts(texts, s, from, std::min(post_pages, from + batch));
        compressor.add(texts);
    }
    for (const auto& p : s.searched_pages)
        pages.push_back({search_document::text_entry_path(p.url),
                         std::string(search_document::text_entry_type),
                         search_document::encode_text_entry(p.body.text, {}),
                         bundle::cache_class::html, 200, -1, "", "pages"});
    append_posts_by_date(pages, s);
    pages.push_back({std::string(bundle::not_found_path), "text/html; charset=utf-8",
                     render_not_found(ctx), bundle::cache_class::error, 404, -1, "", "notfound"});
    pages.push_back({std::string(bundle::search_shell_path), "text/html; charset=utf-8",
                     with_script_url(render_search_shell(ctx), js.url), bundle::cache_class::html,
                     200, -1, "", "search"});
    pages.push_back({std::string(index_settings_path), "application/x-kade-text", settings,
                     bundle::cache_class::html, 200, -1, "", "index-settings"});
    if (auto page = dictionary_page(dict)) pages.push_back(std::move(*page));
    for (auto& pg : pages) link_dictionary(pg, link);
    compressor.add(pages);

    await_search();
    // The posts' plain texts are in the bundle (above) and the search phases are done with
    // them: at 100,000 posts they are 0.6 GB that the post pages' compression can use.
    for (auto& p : s.posts) {
        std::string().swap(p.body.text);
        std::vector<heading>().swap(p.body.headings);
    }
    phase.next("berichtpagina's", 0.86);
    // The post pages, a batch at a time: rendered, linked to the dictionary, compressed and
    // added (to the builder's scratch file), so only one batch is ever in memory.
    for (std::size_t from = 0; from < post_pages; from += batch) {
        const std::size_t to = std::min(post_pages, from + batch);
        std::vector<page_input> rendered =
            render_post_pages(s, from, to, found.related, comments, ctx);
        for (auto& pg : rendered) link_dictionary(pg, link);
        // Its page is the last thing that needs a post's HTML (feeds are rendered).
        for (std::size_t i = from; i < to; ++i) std::string().swap(s.posts[i].body.html);
        compressor.add(rendered);
    }
    std::vector<site_post>().swap(s.posts);
    before.reset();
    const byte_counts& counts = compressor.counts();
    summary.compressible_pages = counts.compressible_pages;
    summary.reused_pages = counts.reused_pages;
    summary.dcz_bytes = counts.dcz;
    summary.raw_bytes = counts.raw;
    summary.gzip_bytes = counts.gzip;
    summary.stored_identity_bytes = counts.stored_identity;
    summary.other_bytes = counts.other;
    summary.text_bytes = counts.texts;
    summary.text_stored_bytes = counts.texts_stored;

    phase.next("zoekindex in de bundel", 0.96);
    add_search_databases(builder, found.db_path, single_file, scratch, options, summary);

    phase.next("schrijven", 0.98);
    if (options.write) {
        // --out build/x/site.kade: the folder is made, as any build tool would.
        if (const fs::path folder = fs::path(options.output).parent_path(); !folder.empty())
            fs::create_directories(folder);
        summary.build_id = builder.write(options.output);
        summary.bundle_bytes = fs::file_size(options.output);
        // Only now: the cache always describes the bundle at the output path. Not keeping it
        // only makes the next build index every post.
        cache.keep(found.db_path, documents, found.docids);
    } else {
        summary.bundle_bytes = builder.serialize().size();
    }
    phase.next("klaar", 1.0);
    summary.seconds = phase.seconds();
    return summary;
}

std::string format_summary(const build_summary& s, const std::string& output, bool written) {
    auto mib = [](std::uint64_t b) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(b) / (1024.0 * 1024.0));
        return std::string(buf);
    };
    auto pct = [&](std::uint64_t part) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.0f%%",
                      s.raw_bytes
                          ? 100.0 * static_cast<double>(part) / static_cast<double>(s.raw_bytes)
                          : 0.0);
        return std::string(buf);
    };
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f s", s.seconds);
    std::string out;
    out += "kade-index: " +
           std::string(written ? "bundle written" : "content checked, nothing written") + "\n";
    out += "  posts        " + std::to_string(s.posts) + " published, " + std::to_string(s.drafts) +
           " drafts\n";
    out += "  pages        " + std::to_string(s.pages) + "\n";
    if (s.full_reason.empty())
        out += "  build        incremental: " + std::to_string(s.reused_pages) + " of " +
               std::to_string(s.compressible_pages) +
               " compressed bodies reused from the previous bundle\n";
    else
        out += "  build        full (" + s.full_reason + ")\n";
    out += "  pages, raw   " + mib(s.raw_bytes) + " (" + mib(s.stored_identity_bytes) +
           " stored, the rest derived from gzip)\n";
    out += "  gzip         " + mib(s.gzip_bytes) + " (" + pct(s.gzip_bytes) + ")\n";
    if (s.dictionary_bytes) {
        out += "  dcz          " + mib(s.dcz_bytes) + " (" + pct(s.dcz_bytes) +
               "; HTML with the dictionary, the rest gzip)\n";
        out += "  dictionary   " + std::to_string(s.dictionary_bytes / 1024) + " KiB" +
               (s.dictionary_kept ? " (kept from the previous bundle)" : " (trained)") + "\n";
    }
    out += "  texts        " + mib(s.text_bytes) + " (" + mib(s.text_stored_bytes) +
           (s.text_stored_bytes < s.text_bytes ? " stored: zstd with the dictionary)\n"
                                               : " stored: no dictionary)\n");
    out += "  files        " + mib(s.other_bytes) + " (not compressed)\n";
    out += "  search index " + mib(s.index_bytes) +
           (s.search_full_reason.empty()
                ? " (" + std::to_string(s.search_kept) + " documents from the search cache, " +
                      std::to_string(s.search_added) +
                      (s.search_added == 1 ? " post added, " : " posts added, ") +
                      std::to_string(s.search_edited) + " edited, " +
                      std::to_string(s.search_removed) + " removed)"
                : " (every post indexed: " + s.search_full_reason + ")") +
           "\n";
    out += "  bundle       " + mib(s.bundle_bytes) + (written ? " → " + output : "") + "\n";
    if (written) out += "  build id     " + s.build_id + "\n";
    out += "  time         " + std::string(seconds);
    if (!s.phase_seconds.empty()) {
        out += " (";
        for (std::size_t i = 0; i < s.phase_seconds.size(); ++i) {
            char part[64];
            std::snprintf(part, sizeof part, "%s%s %.1f", i ? ", " : "",
                          s.phase_seconds[i].first.c_str(), s.phase_seconds[i].second);
            out += part;
        }
        out += ")";
    }
    out += "\n";
    return out;
}

}  // namespace kade::indexer
