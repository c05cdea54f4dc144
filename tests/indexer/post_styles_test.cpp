#include "indexer/render/post_styles.hpp"

#include <gtest/gtest.h>

namespace kade::indexer {
namespace {

TEST(post_styles, every_style_element_moves_to_one_linked_sheet) {
    std::string html =
        "<p>a</p>\n<STYLE type=\"text/css\">.rood { color: red }</STYLE>\n<p class=\"rood\">b</p>"
        "<style>.groen { color: green }</style>";
    const auto sheet = move_styles_to_sheet(html);
    ASSERT_TRUE(sheet);
    EXPECT_EQ(sheet->body, ".rood { color: red }\n.groen { color: green }\n");
    EXPECT_EQ(sheet->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(sheet->cache, bundle::cache_class::asset);
    EXPECT_TRUE(sheet->path.starts_with("/static/bericht-") && sheet->path.ends_with(".css"));
    EXPECT_EQ(html, "<p>a</p>\n<link rel=\"stylesheet\" href=\"" + sheet->path +
                        "\">\n<p class=\"rood\">b</p>");
    // The same styles, the same sheet: posts share it.
    std::string same = "<style>.rood { color: red }</style><style>.groen { color: green }</style>";
    EXPECT_EQ(move_styles_to_sheet(same)->path, sheet->path);
}

TEST(post_styles, html_without_a_style_element_is_left_alone) {
    for (std::string html : {"<p>styles</p>", "<styled>x</styled>", "<style>unclosed"}) {
        const std::string before = html;
        EXPECT_FALSE(move_styles_to_sheet(html)) << before;
        EXPECT_EQ(html, before);
    }
}

}  // namespace
}  // namespace kade::indexer
