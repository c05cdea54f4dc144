#include "server/http/accept_encoding.hpp"

#include <cstddef>

#include "common/http_syntax.hpp"

namespace kade::http {
namespace {

// Parsing works on views of the field: nothing is copied or allocated per request.

using http_syntax::iequals_lower;  // content codings are case-insensitive (RFC 9110 §8.4.1)
using http_syntax::is_token;
using http_syntax::trim_ows;

constexpr char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )   (RFC 9110 §12.4.2)
// In thousandths, so "0.5" is 500 and comparisons are exact.
std::optional<int> parse_qvalue(std::string_view s) {
    if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
    const bool one = s[0] == '1';
    int q = one ? 1000 : 0;
    if (s.size() == 1) return q;
    if (s[1] != '.' || s.size() > 5) return std::nullopt;
    int scale = 100;
    for (char c : s.substr(2)) {
        if (c < '0' || c > '9' || (one && c != '0')) return std::nullopt;
        q += (c - '0') * scale;
        scale /= 10;
    }
    return q;
}

// weight = OWS ";" OWS "q=" qvalue, given what follows the ';'. "q" is case-insensitive
// (§12.4.2); no other parameter exists for Accept-Encoding (§12.5.3), so any is malformed.
std::optional<int> parse_weight(std::string_view params) {
    params = trim_ows(params);
    if (params.size() < 2 || ascii_lower(params[0]) != 'q' || params[1] != '=') {
        return std::nullopt;
    }
    return parse_qvalue(params.substr(2));
}

// What the field says, per coding we know. "*" gets a slot of its own.
enum slot : std::size_t {
    identity_slot = 0,
    gzip_slot = 1,
    zstd_slot = 2,
    dcz_slot = 3,
    star_slot = 4
};
static_assert(identity_slot == static_cast<std::size_t>(coding::identity) &&
              gzip_slot == static_cast<std::size_t>(coding::gzip) &&
              zstd_slot == static_cast<std::size_t>(coding::zstd) &&
              dcz_slot == static_cast<std::size_t>(coding::dcz) && star_slot == coding_count);
constexpr int not_listed = -1;

std::optional<slot> slot_for(std::string_view name) {
    if (iequals_lower(name, "identity")) return identity_slot;
    if (iequals_lower(name, "gzip") || iequals_lower(name, "x-gzip")) return gzip_slot;  // §8.4.1.3
    if (iequals_lower(name, "zstd")) return zstd_slot;
    if (iequals_lower(name, "dcz")) return dcz_slot;
    if (name == "*") return star_slot;
    return std::nullopt;  // br, dcb, deflate, compress...: not something a bundle holds
}

}  // namespace

std::string_view coding_token(coding c) {
    switch (c) {
        case coding::gzip:
            return "gzip";
        case coding::zstd:
            return "zstd";
        case coding::dcz:
            return "dcz";
        case coding::identity:
            break;
    }
    return "";
}

accept_weights parse_accept_encoding(std::string_view accept_encoding) {
    accept_weights w;
    std::array<int, coding_count + 1>& q = w.q;
    std::string_view rest = accept_encoding;
    while (!rest.empty()) {
        // Split on ','. Empty members are allowed (§5.6.1) and malformed ones are skipped;
        // neither the grammar nor real clients put a comma inside a member.
        const std::size_t comma = rest.find(',');
        const std::string_view member = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);

        const std::size_t semi = member.find(';');
        const std::string_view name = trim_ows(member.substr(0, semi));
        if (!is_token(name)) continue;
        const auto s = slot_for(name);
        if (!s) continue;
        const auto weight = semi == std::string_view::npos ? std::optional<int>(1000)
                                                           : parse_weight(member.substr(semi + 1));
        if (!weight) continue;
        // A coding listed twice is contradictory; the first mention is kept.
        if (q[*s] == not_listed) q[*s] = *weight;
    }
    return w;
}

std::optional<coding> negotiate(std::optional<std::string_view> accept_encoding,
                                const held_variants& variants) {
    if (!accept_encoding) return coding::identity;
    return choose_coding(parse_accept_encoding(*accept_encoding), variants);
}

std::optional<coding> choose_coding(const accept_weights& weights, const held_variants& variants) {
    const std::array<int, coding_count + 1>& q = weights.q;
    // Ranks are q-values doubled, leaving room for rank 1: identity that the field does not
    // mention is acceptable (§12.5.3) but, having no q of its own, loses to any listed coding
    // with q > 0 — "gzip;q=0.5" still means the client would rather have gzip. Rank 0 is
    // "not acceptable": q=0, or a coding neither listed nor covered by "*".
    const auto rank = [&](std::size_t c) {
        if (q[c] != not_listed) return q[c] * 2;
        if (q[star_slot] != not_listed) return q[star_slot] * 2;  // "*" covers the unlisted
        return c == identity_slot ? 1 : 0;
    };

    std::optional<coding> best;
    int best_rank = 0;
    std::uint64_t best_size = 0;
    // In enum order with strict comparisons, so ties on size go to identity, then gzip.
    for (std::size_t c = 0; c < coding_count; ++c) {
        if (!variants.held[c]) continue;
        const int r = rank(c);
        if (r == 0) continue;
        if (!best || r > best_rank || (r == best_rank && variants.size[c] < best_size)) {
            best = static_cast<coding>(c);
            best_rank = r;
            best_size = variants.size[c];
        }
    }
    return best;
}

}  // namespace kade::http
