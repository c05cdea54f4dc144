#pragma once
// For the tests that need a real search database inside a real bundle (service_test,
// verify_test): posts of a small blog, its single-file database built without compounds (no
// word list needed), and a one-page bundle around a database.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "indexer/search/search_index.hpp"

namespace kade::search::test {

// "/ID", titled "Over ID", of 2 January 2014, labelled "werk".
inline indexer::site_post post(const std::string& id, const std::string& text) {
    indexer::site_post p;
    p.url = "/" + id;
    p.source.title = "Over " + id;
    p.source.date.year = 2014;
    p.source.date.month = 1;
    p.source.date.day = 2;
    p.source.date.unix_seconds = 1388653200;
    p.source.labels = {"werk"};
    p.date_iso = "2014-01-02";
    p.body.text = text;
    return p;
}

// The single-file database (as a bundle holds it) of posts "post-0" … "post-N-1", post i with
// the text `text(i)`; built in `dir`.
inline std::string single_file_database(const std::filesystem::path& dir, int count,
                                        const std::function<std::string(int)>& text) {
    indexer::site s;
    for (int i = 0; i < count; ++i) s.posts.push_back(post("post-" + std::to_string(i), text(i)));
    indexer::search_index_options options;
    options.dictionary = "";  // no compounds: the test needs no word list
    const std::string db = indexer::build_search_database(s, dir.string(), options);
    return indexer::single_file_database(db, dir.string());
}

// Damages `database` the way a writer's bug could: the header of the block in the middle of
// the file, which Xapian's check reads (a block's payload it may not decode: positions are
// only read by phrase queries, and without term lists nothing cross-checks them).
inline void damage_middle_block(std::string& database) {
    constexpr std::size_t block = 8192;  // glass's default block size
    const std::size_t middle = database.size() / 2 / block * block;
    for (std::size_t i = middle; i < middle + 64 && i < database.size(); ++i)
        database[i] = static_cast<char>(database[i] ^ 0x5a);
}

// A bundle (checksums and build id right) of the page "/" reading NAME and `database`, written
// to DIR/NAME.kade and loaded.
inline std::shared_ptr<const bundle::loaded_bundle> bundle_with(const std::filesystem::path& dir,
                                                                const std::string& database,
                                                                const std::string& name) {
    bundle::bundle_builder b;
    bundle::entry_input home;
    home.path = "/";
    home.content_type = "text/html; charset=utf-8";
    home.variants[0] = "<p>" + name + "</p>";
    b.add(home);
    b.set_search_database(database);
    const std::string file = (dir / (name + ".kade")).string();
    b.write(file);
    return bundle::loaded_bundle::load(file);
}

}  // namespace kade::search::test
