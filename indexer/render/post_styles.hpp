#pragma once
// A post's own <style> (kept by the Blogger import with the classes it styles) as a stylesheet
// of its own: the site's Content-Security-Policy allows no inline style, so a <style> left in
// the page would style nothing. The page links the sheet where the first <style> stood (a
// stylesheet <link> may stand in the body); feeds and search never saw the styles anyway.
#include <optional>
#include <string>

#include "indexer/render/page.hpp"

namespace kade::indexer {

// Takes every <style>…</style> out of `html` and returns them as one fingerprinted CSS asset
// (/static/bericht-HASH.css, cached for a year), `html` linking it; nullopt, `html` untouched,
// when it has none.
std::optional<page_input> move_styles_to_sheet(std::string& html);

}  // namespace kade::indexer
