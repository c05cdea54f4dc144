#include "server/http/accept_encoding.hpp"

#include <gtest/gtest.h>

namespace kade::http {
namespace {

// A typical page: zstd smallest, then gzip, then identity.
held_variants all_three() {
    held_variants v;
    v.held = {true, true, true};
    v.size = {10000, 3000, 2500};
    return v;
}

held_variants identity_only() {
    held_variants v;
    v.size = {10000, 0, 0};
    return v;
}

std::optional<coding> pick(std::string_view field, const held_variants& v = all_three()) {
    return negotiate(field, v);
}

TEST(accept_encoding, coding_tokens_name_the_content_encoding) {
    EXPECT_EQ(coding_token(coding::identity), "");
    EXPECT_EQ(coding_token(coding::gzip), "gzip");
    EXPECT_EQ(coding_token(coding::zstd), "zstd");
}

TEST(accept_encoding, absent_header_gives_identity) {
    EXPECT_EQ(negotiate(std::nullopt, all_three()), coding::identity);
}

TEST(accept_encoding, empty_header_gives_identity) {
    // §12.5.3: an empty field value means the client wants no content coding.
    EXPECT_EQ(pick(""), coding::identity);
    EXPECT_EQ(pick("  "), coding::identity);
    EXPECT_EQ(pick(" , ,"), coding::identity);
}

TEST(accept_encoding, smallest_variant_wins_among_equal_q_values) {
    EXPECT_EQ(pick("gzip, deflate, br, zstd"), coding::zstd);
    EXPECT_EQ(pick("zstd, gzip"), coding::zstd);
}

TEST(accept_encoding, smaller_gzip_beats_zstd_at_equal_q) {
    held_variants v = all_three();
    v.size = {10000, 2000, 2500};
    EXPECT_EQ(pick("gzip, zstd", v), coding::gzip);
}

TEST(accept_encoding, highest_q_value_wins_over_smaller_variant) {
    EXPECT_EQ(pick("zstd;q=0.5, gzip;q=0.8"), coding::gzip);
    EXPECT_EQ(pick("zstd;q=0.5, gzip;q=0.501"), coding::gzip);
    EXPECT_EQ(pick("zstd;q=0.5, gzip;q=0.8, identity"), coding::identity);
}

TEST(accept_encoding, size_ties_go_to_identity_then_gzip) {
    held_variants v = all_three();
    v.size = {3000, 3000, 3000};
    EXPECT_EQ(pick("gzip, zstd, identity", v), coding::identity);
    EXPECT_EQ(pick("zstd, gzip", v), coding::gzip);
}

TEST(accept_encoding, only_held_variants_are_chosen) {
    EXPECT_EQ(pick("zstd", identity_only()), coding::identity);
    held_variants v = all_three();
    v.held[2] = false;
    EXPECT_EQ(pick("zstd, gzip", v), coding::gzip);
    EXPECT_EQ(pick("zstd", v), coding::identity);
}

TEST(accept_encoding, unlisted_identity_is_acceptable) {
    EXPECT_EQ(pick("br", all_three()), coding::identity);
    EXPECT_EQ(pick("gzip", identity_only()), coding::identity);
}

TEST(accept_encoding, unlisted_identity_loses_to_any_listed_coding) {
    // "gzip;q=0.001" still says the client would rather have gzip than the unmentioned identity.
    EXPECT_EQ(pick("gzip;q=0.001"), coding::gzip);
}

TEST(accept_encoding, listed_identity_competes_on_q_value) {
    EXPECT_EQ(pick("identity, gzip;q=0.5"), coding::identity);
    EXPECT_EQ(pick("identity;q=0.4, gzip;q=0.5"), coding::gzip);
}

TEST(accept_encoding, q_zero_excludes_a_coding) {
    EXPECT_EQ(pick("zstd;q=0, gzip"), coding::gzip);
    EXPECT_EQ(pick("zstd;q=0.000, gzip"), coding::gzip);
    EXPECT_EQ(pick("zstd;q=0, gzip;q=0"), coding::identity);
}

TEST(accept_encoding, identity_q_zero_alone_is_not_acceptable) {
    EXPECT_EQ(pick("identity;q=0"), std::nullopt);
    EXPECT_EQ(pick("identity;q=0", identity_only()), std::nullopt);
}

TEST(accept_encoding, identity_q_zero_leaves_listed_codings) {
    EXPECT_EQ(pick("identity;q=0, gzip"), coding::gzip);
    EXPECT_EQ(pick("identity;q=0, gzip", identity_only()), std::nullopt);
}

TEST(accept_encoding, star_q_zero_without_identity_entry_refuses_everything) {
    EXPECT_EQ(pick("*;q=0"), std::nullopt);
    EXPECT_EQ(pick("*;q=0", identity_only()), std::nullopt);
}

TEST(accept_encoding, star_q_zero_keeps_listed_codings) {
    EXPECT_EQ(pick("gzip, *;q=0"), coding::gzip);
    EXPECT_EQ(pick("*;q=0, identity"), coding::identity);
    EXPECT_EQ(pick("*;q=0, identity;q=0.1, gzip;q=0.2"), coding::gzip);
}

TEST(accept_encoding, star_covers_unlisted_codings) {
    EXPECT_EQ(pick("*"), coding::zstd);
    EXPECT_EQ(pick("gzip;q=0.5, *;q=0.6"), coding::zstd);
    EXPECT_EQ(pick("zstd;q=0, *"), coding::gzip);
}

TEST(accept_encoding, star_covers_unlisted_identity) {
    EXPECT_EQ(pick("*;q=0.9, gzip;q=0.5, zstd;q=0.5"), coding::identity);
    EXPECT_EQ(pick("*", identity_only()), coding::identity);
}

TEST(accept_encoding, x_gzip_means_gzip) {
    held_variants v = all_three();
    v.held[2] = false;
    EXPECT_EQ(pick("x-gzip", v), coding::gzip);
    EXPECT_EQ(pick("X-GZIP;q=0.5, identity;q=0.4", v), coding::gzip);
}

TEST(accept_encoding, coding_names_and_q_are_case_insensitive) {
    EXPECT_EQ(pick("GZIP;Q=0.9, Zstd;q=0.8"), coding::gzip);
    EXPECT_EQ(pick("IDENTITY;Q=0"), std::nullopt);
}

TEST(accept_encoding, whitespace_around_separators_is_tolerated) {
    EXPECT_EQ(pick("  zstd ; q=0.5 ,\tgzip\t;\tq=0.8  "), coding::gzip);
    EXPECT_EQ(pick("gzip,zstd;q=0"), coding::gzip);
}

TEST(accept_encoding, unknown_codings_are_ignored) {
    EXPECT_EQ(pick("br;q=1, gzip;q=0.5"), coding::gzip);
    EXPECT_EQ(pick("br, deflate, compress", identity_only()), coding::identity);
}

TEST(accept_encoding, first_of_repeated_codings_counts) {
    EXPECT_EQ(pick("zstd;q=0, zstd;q=1, gzip;q=0.5"), coding::gzip);
    EXPECT_EQ(pick("gzip;q=0.9, x-gzip;q=0, zstd;q=0.8"), coding::gzip);
    EXPECT_EQ(pick("identity;q=0, identity"), std::nullopt);
}

TEST(accept_encoding, q_values_take_up_to_three_decimals) {
    EXPECT_EQ(pick("zstd;q=0.999, gzip;q=1.000"), coding::gzip);
    EXPECT_EQ(pick("zstd;q=0.002, gzip;q=0.001"), coding::zstd);
    EXPECT_EQ(pick("zstd;q=1., gzip;q=1.0"), coding::zstd);
    EXPECT_EQ(pick("zstd;q=0., gzip"), coding::gzip);  // "0." is zero
}

TEST(accept_encoding, malformed_q_values_drop_the_member) {
    // Dropped, so zstd is unlisted and (without "*") not acceptable: gzip wins.
    for (std::string_view bad :
         {"q=2", "q=1.5", "q=1.001", "q=0.1234", "q=-0", "q=.5", "q=", "q=0.5x", "q=abc", "q = 0.5",
          "q=0 .5", "p=0.5", "q", "", "q=0.5;q=0.6", "level=1"}) {
        const std::string field = "zstd;" + std::string(bad) + ", gzip;q=0.1";
        EXPECT_EQ(pick(field), coding::gzip) << field;
    }
}

TEST(accept_encoding, malformed_q_zero_does_not_exclude) {
    // "identity;q=00" is malformed, so identity stays acceptable rather than refused.
    EXPECT_EQ(pick("identity;q=00", identity_only()), coding::identity);
}

TEST(accept_encoding, malformed_members_are_ignored) {
    EXPECT_EQ(pick("gz ip, zstd"), coding::zstd);
    EXPECT_EQ(pick("\"gzip\", zstd;q=0.5"), coding::zstd);
    EXPECT_EQ(pick(";q=1, gzip"), coding::gzip);
    EXPECT_EQ(pick("gzip zstd", identity_only()), coding::identity);
    EXPECT_EQ(pick("identity;;q=0"), coding::identity);
    EXPECT_EQ(pick("*;q=0;q=1"), coding::identity);
}

TEST(accept_encoding, several_fields_joined_with_commas) {
    EXPECT_EQ(pick("identity;q=0, *;q=0, gzip;q=0.3"), coding::gzip);
    EXPECT_EQ(pick("gzip;q=0.3, zstd;q=0.2"), coding::gzip);
}

TEST(accept_encoding, browser_headers_pick_the_smallest) {
    EXPECT_EQ(pick("gzip, deflate, br, zstd"), coding::zstd);  // Chrome 123+
    EXPECT_EQ(pick("gzip, deflate, br"), coding::gzip);        // Firefox, Safari
    EXPECT_EQ(pick("deflate, gzip;q=1.0, *;q=0.5"), coding::gzip);
}

TEST(accept_encoding, odd_bytes_never_crash) {
    static constexpr char raw[] = "\0gzip\xff;q=\x80,,;;,=,*;,q=1";
    const std::string_view nasty(raw, sizeof raw - 1);
    EXPECT_EQ(pick(nasty), coding::identity);
}

}  // namespace
}  // namespace kade::http

namespace kade::http {
namespace {

held_variants with_dcz() {
    held_variants v;
    v.held = {true, true, true, true};
    v.size = {10000, 3000, 2900, 1500};
    return v;
}

TEST(accept_encoding, dcz_is_a_coding_of_its_own) {
    EXPECT_EQ(coding_token(coding::dcz), "dcz");
    EXPECT_EQ(negotiate("gzip, deflate, br, zstd, dcz", with_dcz()), coding::dcz);
    EXPECT_EQ(negotiate("gzip, DCZ", with_dcz()), coding::dcz);
    EXPECT_EQ(negotiate("gzip, zstd", with_dcz()), coding::zstd);
    EXPECT_EQ(negotiate("gzip, dcz;q=0.5", with_dcz()), coding::gzip);
}

TEST(accept_encoding, dcz_not_held_is_never_chosen) {
    held_variants v = with_dcz();
    v.held[3] = false;  // the client does not hold the dictionary
    EXPECT_EQ(negotiate("dcz", v), coding::identity);
    EXPECT_EQ(negotiate("dcz, gzip", v), coding::gzip);
}

}  // namespace
}  // namespace kade::http
