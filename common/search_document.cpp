#include "common/search_document.hpp"

#include "common/text.hpp"

namespace kade::search_document {

std::string encode(const fields& f) {
    std::string out;
    out.reserve(f.url.size() + f.title.size() + f.date.size() + f.labels.size() + f.text.size() +
                4);
    for (std::string_view part : {f.url, f.title, f.date, f.labels}) {
        out += part;
        out += '\x1e';
    }
    out += f.text;
    return out;
}

bool decode(std::string_view data, fields& out) {
    std::string_view* parts[] = {&out.url, &out.title, &out.date, &out.labels};
    for (std::string_view* part : parts) {
        const auto sep = data.find('\x1e');
        if (sep == std::string_view::npos) return false;
        *part = data.substr(0, sep);
        data.remove_prefix(sep + 1);
    }
    out.text = data;
    return true;
}

std::string encode_text_entry(std::string_view text,
                              const std::vector<std::pair<std::size_t, std::string>>& headings) {
    std::string out;
    for (const auto& [offset, id] : headings) out += std::to_string(offset) + " " + id + "\n";
    out += '\n';
    out += text;
    return out;
}

text_entry decode_text_entry(std::string_view bytes) {
    const auto end = bytes.starts_with('\n') ? 0 : bytes.find("\n\n");
    if (end == std::string_view::npos) return {bytes, {}};
    const std::size_t text_begin = end == 0 ? 1 : end + 2;
    return {bytes.substr(text_begin), bytes.substr(0, end == 0 ? 0 : end + 1)};
}

std::string_view heading_before(std::string_view headings, std::size_t offset) {
    std::string_view found;
    while (!headings.empty()) {
        const auto line_end = headings.find('\n');
        const std::string_view line = headings.substr(0, line_end);
        headings.remove_prefix(line_end == std::string_view::npos ? headings.size() : line_end + 1);
        const auto space = line.find(' ');
        if (space == std::string_view::npos) continue;
        std::size_t at = 0;
        for (char c : line.substr(0, space)) at = at * 10 + static_cast<std::size_t>(c - '0');
        if (at > offset) break;  // headings are in text order
        found = line.substr(space + 1);
    }
    return found;
}

std::vector<std::string_view> split_labels(std::string_view labels) {
    return split_views(labels, '\x1f');
}

}  // namespace kade::search_document
