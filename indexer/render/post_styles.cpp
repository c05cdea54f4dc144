#include "indexer/render/post_styles.hpp"

#include <xxhash.h>

#include "common/text.hpp"

namespace kade::indexer {
namespace {

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive find of an ASCII needle that starts with a character that has no case ('<'),
// so the candidates are found with find() (memchr) rather than tried at every byte.
std::size_t find_tag(std::string_view s, std::string_view needle, std::size_t from) {
    for (std::size_t i = s.find(needle[0], from); i != std::string_view::npos;
         i = s.find(needle[0], i + 1)) {
        if (s.size() - i < needle.size()) return std::string_view::npos;
        std::size_t k = 1;
        while (k < needle.size() && lower(s[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<page_input> move_styles_to_sheet(std::string& html) {
    std::string css, rest;
    std::size_t at = 0, link_at = std::string::npos;
    for (std::size_t open = find_tag(html, "<style", 0); open != std::string::npos;
         open = find_tag(html, "<style", at)) {
        const std::size_t after = open + 6;
        // "<styles>" or "<style-x>" is another element.
        if (after < html.size() && html[after] != '>' && html[after] != ' ' &&
            html[after] != '\t' && html[after] != '\n') {
            rest.append(html, at, after - at);
            at = after;
            continue;
        }
        const std::size_t body = html.find('>', after);
        const std::size_t close =
            body == std::string::npos ? std::string::npos : find_tag(html, "</style>", body + 1);
        if (close == std::string::npos) break;  // unclosed: left as it is
        rest.append(html, at, open - at);
        if (link_at == std::string::npos) link_at = rest.size();
        css.append(html, body + 1, close - body - 1);
        css += '\n';
        at = close + 8;
    }
    if (link_at == std::string::npos) return std::nullopt;
    rest.append(html, at);
    const std::string path =
        "/static/bericht-" + hex64(XXH3_64bits(css.data(), css.size())).substr(0, 12) + ".css";
    rest.insert(link_at, "<link rel=\"stylesheet\" href=\"" + path + "\">");
    html = std::move(rest);
    return page_input{
        path,    "text/css; charset=utf-8", std::move(css), bundle::cache_class::asset, 200, -1, "",
        "static"};
}

}  // namespace kade::indexer
