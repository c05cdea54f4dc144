#pragma once
// A request as the handler sees it: views into the session's read buffer (or into the joined
// copies of repeated fields), valid until the response has been written.
#include <optional>
#include <string_view>

namespace kade {

enum class method { get, head, options, other };

struct request {
    method verb = method::get;
    std::string_view method_name;  // as sent, for the access log
    std::string_view target;
    unsigned version = 11;  // 10 or 11
    bool keep_alive = true;
    std::optional<std::string_view> accept_encoding;
    std::optional<std::string_view> if_none_match;
    std::optional<std::string_view> if_modified_since;
    std::optional<std::string_view> range;
    std::optional<std::string_view> if_range;
    std::optional<std::string_view> forwarded_for;  // X-Forwarded-For, for the access log
    // RFC 9842: ":BASE64:" of the SHA-256 of the dictionary the client holds for this URL.
    std::optional<std::string_view> available_dictionary;
};

}  // namespace kade
