#include "server/search/post_text.hpp"

#include "common/derived_identity.hpp"
#include "common/search_document.hpp"

namespace kade::search {

post_text::post_text(const bundle::bundle_view& texts, std::string_view url) {
    const auto* e = texts.find(search_document::text_entry_path(url));
    if (!e) return;
    std::string_view bytes = texts.body(*e, 0);
    if (texts.derives_identity(*e)) {
        unpacked_ = bundle::derive_identity(texts, *e);
        bytes = unpacked_ ? std::string_view(*unpacked_) : std::string_view();
    }
    const auto entry = search_document::decode_text_entry(bytes);
    text_ = entry.text;
    headings_ = entry.headings;
}

}  // namespace kade::search
