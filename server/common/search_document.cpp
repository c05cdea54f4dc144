#include "server/common/search_document.hpp"

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

std::vector<std::string_view> split_labels(std::string_view labels) {
    std::vector<std::string_view> out;
    while (!labels.empty()) {
        const auto sep = labels.find('\x1f');
        out.push_back(labels.substr(0, sep));
        if (sep == std::string_view::npos) break;
        labels.remove_prefix(sep + 1);
    }
    return out;
}

}  // namespace kade::search_document
