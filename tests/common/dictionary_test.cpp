#include "common/dictionary.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#define ZSTD_STATIC_LINKING_ONLY  // rawContent dictionaries (exported by libzstd.so)
#include <zstd.h>

#include "common/compress.hpp"

namespace kade::dictionary {
namespace {

// A page of the blog: the same chrome around different prose.
std::string page(int i) {
    std::string body =
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Bericht " +
        std::to_string(i) +
        "</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
        "<header class=\"site-header\"><a class=\"site-title\" href=\"/\">Sonja</a>"
        "<nav><ul><li><a href=\"/labels/\">Labels</a></li></ul></nav></header><main>";
    for (int k = 0; k < 40; ++k)
        body += "<p>Alinea " + std::to_string(i * 131 + k * 17) + " over ondernemen en " +
                std::to_string(i ^ k) + " klanten.</p>";
    body +=
        "</main><footer>Gemaakt met Kade. Over ondernemen, samenwerken en doen waar je goed "
        "in bent.</footer></body></html>";
    return body;
}

std::string decode(std::string_view dcz, std::string_view dict) {
    ZSTD_DCtx* d = ZSTD_createDCtx();
    ZSTD_DCtx_loadDictionary_advanced(d, dict.data(), dict.size(), ZSTD_dlm_byRef,
                                      ZSTD_dct_rawContent);
    dcz.remove_prefix(dcz_header_size);
    std::string out(1 << 20, '\0');
    const std::size_t n = ZSTD_decompressDCtx(d, out.data(), out.size(), dcz.data(), dcz.size());
    ZSTD_freeDCtx(d);
    EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
    out.resize(ZSTD_isError(n) ? 0 : n);
    return out;
}

TEST(dictionary, sha256_of_abc_is_the_fips_vector) {
    EXPECT_EQ(hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(dictionary, available_dictionary_form_is_a_structured_field_byte_sequence) {
    EXPECT_EQ(sf_binary(sha256("abc")), ":ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:");
}

TEST(dictionary, dcz_header_is_a_skippable_frame_holding_the_hash) {
    const auto d = sha256("abc");
    const std::string h = dcz_header(d);
    ASSERT_EQ(h.size(), dcz_header_size);
    EXPECT_EQ(h.substr(0, 8), std::string("\x5e\x2a\x4d\x18\x20\x00\x00\x00", 8));
    EXPECT_EQ(h.substr(8), std::string(reinterpret_cast<const char*>(d.data()), 32));
}

TEST(dictionary, training_is_reproducible_and_bounded) {
    std::vector<std::string> pages;
    for (int i = 0; i < 64; ++i) pages.push_back(page(i));
    const std::vector<std::string_view> samples(pages.begin(), pages.end());
    const std::string a = train(samples, 16384);
    const std::string b = train(samples, 16384);
    EXPECT_FALSE(a.empty());
    EXPECT_LE(a.size(), 16384u);
    EXPECT_EQ(a, b);
}

TEST(dictionary, few_pages_give_their_tail_as_the_dictionary) {
    const std::string p = page(1);
    EXPECT_EQ(train({p}, 100), p.substr(p.size() - 100));
    EXPECT_EQ(train({p}, 1 << 20), p);
    EXPECT_EQ(train({}, 100), "");
}

TEST(dictionary, dcz_decodes_with_the_raw_dictionary_and_beats_plain_zstd) {
    std::vector<std::string> pages;
    for (int i = 0; i < 64; ++i) pages.push_back(page(i));
    const std::vector<std::string_view> samples(pages.begin(), pages.end());
    const std::string dict = train(samples, 16384);
    dcz_compressor c(dict, 19);
    const std::string unseen = page(1000);
    const std::string body = c.compress(unseen);
    EXPECT_EQ(body.substr(0, dcz_header_size), dcz_header(sha256(dict)));
    EXPECT_EQ(decode(body, dict), unseen);
    EXPECT_LT(body.size(), zstd_compress(unseen, 19).size());
    // The compressor is reused for many pages: each body stands alone.
    EXPECT_EQ(decode(c.compress(pages[3]), dict), pages[3]);
}

}  // namespace
}  // namespace kade::dictionary
