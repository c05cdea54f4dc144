#include "indexer/render/template.hpp"

#include <stdexcept>
#include <vector>

#include "common/text.hpp"

namespace kade::indexer {

struct embedded_file {
    const char* name;
    std::vector<char> bytes;
};
const std::vector<embedded_file>& embedded_files();  // generated: templates_data.cpp

std::string_view template_text(std::string_view name) {
    for (const auto& f : embedded_files())
        if (name == f.name) return {f.bytes.data(), f.bytes.size() - 1};  // without the final NUL
    throw std::logic_error("no template " + std::string(name));
}

std::string fill_template(std::string_view text, const template_vars& vars) {
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t pos = 0;
    while (true) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        const bool raw = text.substr(open, 3) == "{{{";
        const std::string_view closing = raw ? "}}}" : "}}";
        const auto name_begin = open + (raw ? 3 : 2);
        const auto close = text.find(closing, name_begin);
        if (close == std::string_view::npos)
            throw std::logic_error("unclosed placeholder in template");
        const std::string_view name = text.substr(name_begin, close - name_begin);
        const auto it = vars.find(name);
        if (it == vars.end())
            throw std::logic_error("template placeholder {{" + std::string(name) +
                                   "}} has no value");
        if (raw) {
            out.append(it->second);
        } else {
            append_html_escaped(out, it->second);
        }
        pos = close + closing.size();
    }
    out.append(text.substr(pos));
    return out;
}

std::string render_template(std::string_view name, const template_vars& vars) {
    return fill_template(template_text(name), vars);
}

}  // namespace kade::indexer
