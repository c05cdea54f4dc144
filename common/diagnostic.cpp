#include "common/diagnostic.hpp"

namespace kade {

std::string format_diagnostic(const diagnostic& d) {
    std::string out = d.file;
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += ": ";
    out += d.message;
    return out;
}

}  // namespace kade
