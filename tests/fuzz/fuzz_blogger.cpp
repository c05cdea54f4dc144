// kade-import-blogger's parsers on arbitrary bytes: as an export (XML → model → files) and as
// post HTML (→ Markdown, → comment text). Any input must end in a result or an exception the
// importer reports, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "importer/convert.hpp"
#include "importer/export.hpp"
#include "importer/html_to_markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const kade::blogger::blog_export blog = kade::blogger::read_export(input);
        kade::blogger::convert_export(blog);
    } catch (const std::runtime_error&) {
        // Not well-formed, or not a Blogger export: reported to the user.
    }
    kade::blogger::html_to_markdown(input);
    kade::blogger::html_to_text(input);
    return 0;
}
