#pragma once
// Content negotiation over the variants a bundle entry holds (RFC 9110 §12.5.3). Pure function.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kade::http {

// The content codings a bundle can hold, in the order of the bundle's variant records.
// dcz (RFC 9842) is zstd with the bundle's dictionary: held only when the request's
// Available-Dictionary names that dictionary, which the caller checks.
enum class coding : std::uint8_t { identity = 0, gzip = 1, zstd = 2, dcz = 3 };
inline constexpr std::size_t coding_count = 4;

// Token for Content-Encoding ("" for identity, which is never sent as a header).
std::string_view coding_token(coding c);

// What one entry holds: identity always; gzip and zstd only where smaller than identity.
struct held_variants {
    std::array<bool, coding_count> held{true, false, false, false};
    std::array<std::uint64_t, coding_count> size{0, 0, 0, 0};
};

// Picks the variant to send, or nullopt for 406 (identity refused and nothing else acceptable).
// `accept_encoding` is nullopt when the request has no Accept-Encoding field: then identity is
// sent (any coding is acceptable, but clients such as curl without --compressed expect plain
// bytes, as nginx and h2o assume). Several fields are passed joined with ", ".
// Rules: q-values (0 to 1, three decimals); "q=0" excludes; "*" covers codings not listed;
// "x-gzip" is gzip; identity is acceptable unless excluded by "identity;q=0" or by "*;q=0"
// without an identity entry; the acceptable coding with the highest q wins, and among equal q
// the smallest variant (ties on size: identity, then gzip, zstd, dcz). Malformed members are
// ignored, never an error.
std::optional<coding> negotiate(std::optional<std::string_view> accept_encoding,
                                const held_variants& variants);

// negotiate() in two steps, for a caller that sees the same field again and again (a worker
// thread keeps the last one parsed): what the field says per coding, then the choice.
struct accept_weights {
    // Thousandths; [coding_count] is "*"; -1: absent.
    std::array<int, coding_count + 1> q{-1, -1, -1, -1, -1};
};
accept_weights parse_accept_encoding(std::string_view accept_encoding);
std::optional<coding> choose_coding(const accept_weights& weights, const held_variants& variants);

}  // namespace kade::http
