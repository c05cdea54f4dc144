#pragma once
// Messages that name the thing, the place and the fix: FILE:LINE: message.
#include <string>
#include <vector>

namespace kade {

// Exit statuses shared by both programs (docs/command-line.md).
enum exit_status : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

struct diagnostic {
    std::string file;
    int line = 0;  // 1-based; 0 when the message is about the whole file
    std::string message;
};

// "FILE:LINE: message", or "FILE: message" when the line is unknown.
std::string format_diagnostic(const diagnostic& d);

// Thrown where a whole list of problems ends a step (content, configuration).
struct diagnostics_error {
    std::vector<diagnostic> diagnostics;
};

}  // namespace kade
