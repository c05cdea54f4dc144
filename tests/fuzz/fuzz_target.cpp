// libFuzzer driver: request-target normalisation, query strings and routing.
// Invariants checked beyond "no crash": an accepted path starts with '/', is valid UTF-8, has
// no "..", "." or empty segments and no NUL or control bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/text.hpp"
#include "server/http/target.hpp"
#include "server/router.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto target = kade::http::parse_target(input);
    if (target) {
        const std::string& path = target->path;
        if (!path.empty()) {
            check(path.front() == '/');
            check(kade::is_valid_utf8(path));
            check(path.find("/../") == std::string::npos && !path.ends_with("/.."));
            check(path.find("/./") == std::string::npos && !path.ends_with("/."));
            check(path.find("//") == std::string::npos);
            for (unsigned char c : path) check(c >= 0x20 && c != 0x7f);
            (void)kade::route(path);
        }
        if (const auto params = kade::http::parse_query(target->query)) {
            for (const auto& [name, value] : *params) {
                check(kade::is_valid_utf8(name) && kade::is_valid_utf8(value));
                check(name.find('\0') == std::string::npos);
            }
            (void)kade::http::query_value(*params, "q");
        }
    }
    (void)kade::http::parse_query(input);
    return 0;
}
