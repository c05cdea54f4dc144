// libFuzzer driver: Accept-Encoding negotiation, If-None-Match / If-Modified-Since and
// HTTP-date parsing. The input is split at newlines into Accept-Encoding, If-None-Match and
// If-Modified-Since; the first byte also says which variants an entry holds and their sizes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/http_date.hpp"
#include "server/http/accept_encoding.hpp"
#include "server/http/conditional.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

std::string_view next_line(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t flags = data[0];
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto accept = next_line(rest);
    const auto inm = next_line(rest);
    const auto ims = next_line(rest);

    kade::http::held_variants held;
    held.held = {true, (flags & 1) != 0, (flags & 2) != 0};
    held.size = {1000, 400u + (flags >> 4) * 50u, 300u + ((flags >> 2) & 3) * 200u};
    const auto chosen =
        kade::http::negotiate((flags & 0x80) ? std::optional(accept) : std::nullopt, held);
    if (chosen) check(held.held[static_cast<std::size_t>(*chosen)]);
    if (!(flags & 0x80)) check(chosen == kade::http::coding::identity);

    const kade::http::validators v{"\"0123456789abcdef\"", 1388656800};
    (void)kade::http::if_none_match_matches(inm, v.etag);
    (void)kade::http::is_not_modified(inm.empty() ? std::nullopt : std::optional(inm),
                                      ims.empty() ? std::nullopt : std::optional(ims), v);

    // A parsed date formats back to an IMF-fixdate that parses to the same instant.
    for (const auto text : {ims, accept}) {
        if (const auto t = kade::parse_http_date(text)) {
            const auto formatted = kade::format_http_date(*t);
            check(formatted.size() == kade::http_date_length);
            const auto again = kade::parse_http_date(formatted);
            check(again && *again == *t);
        }
    }
    return 0;
}
