#pragma once
// The one table of the statuses Kade sends: code, reason phrase (RFC 9110 §15) and the Dutch
// sentence of the error page that goes with it.
#include <string_view>

namespace kade::http {

struct status_text {
    unsigned code;
    std::string_view reason;  // for the status line and the error page's title
    std::string_view dutch;   // for the error page; empty for statuses that never have one
};

// The entry for `code`; a status missing from the table gets "Unknown" and a general sentence.
const status_text& status_of(unsigned code);

}  // namespace kade::http
