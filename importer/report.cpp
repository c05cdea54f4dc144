#include "importer/report.hpp"

#include <sstream>

namespace kade::blogger {

std::string format_report(const blog_export& blog, const import_result& result,
                          const import_report& run) {
    std::size_t mapped = 0;
    for (const auto& img : result.images) mapped += img.local_url.empty() ? 0 : 1;
    std::ostringstream r;
    r << "kade-import-blogger: " << run.export_path << " ("
      << (blog.format == export_format::takeout ? "Google Takeout feed.atom"
          : blog.format == export_format::feed  ? "the blog's public feed"
                                                : "Blogger backup")
      << ")\n";
    r << "  posts     " << result.posts << " published, " << result.drafts << " drafts, "
      << result.trashed << " trashed (left out)\n";
    r << "  pages     " << result.pages << "\n";
    r << "  comments  " << result.comments << " (" << result.comments_skipped
      << " removed, spam or without a post: left out)\n";
    r << "  skipped   " << result.settings << " settings, " << result.layouts << " template, "
      << result.others << " other entries\n";
    r << "  aliases   " << result.aliases.size() << " old URLs answer 301 to the new one\n";
    r << "  images    " << result.images.size() << " on Blogger's hosts, " << mapped
      << " copied to static/blogger/\n";
    r << "  files     " << run.written << " written, " << run.unchanged << " unchanged → "
      << run.out_dir << "\n";
    for (const auto& [from, to] : result.aliases) r << "alias " << from << " → " << to << "\n";
    for (const auto& img : result.images) {
        r << "image " << img.url;
        if (!img.local_url.empty())
            r << " → " << img.local_url;
        else if (!img.note.empty())
            r << " (" << img.note << ")";
        r << "\n";
    }
    for (const auto& w : blog.warnings) r << "warning: " << w << "\n";
    for (const auto& w : result.warnings) r << "warning: " << w << "\n";
    if (blog.format == export_format::takeout && !run.timezone_given)
        r << "warning: no --timezone: Takeout's dates are UTC, so the posts were dated in UTC; "
             "pass the blog's zone (Blogger: Settings → Formatting), such as --timezone "
             "Europe/Amsterdam, or a post written near midnight at a month's end moves to "
             "the other month\n";
    if (blog.format == export_format::feed) {
        const std::size_t in_feed = result.posts + result.drafts;
        if (blog.total_results > static_cast<long>(in_feed))
            r << "warning: the feed holds " << in_feed << " of the blog's " << blog.total_results
              << " posts; ask for all (/feeds/posts/default?max-results=500, more pages with "
                 "start-index) or use Blogger's Back up content\n";
        r << "warning: a public feed has no drafts, pages' settings or comments of its own; "
             "Back up content has them all\n";
    }
    return r.str();
}

}  // namespace kade::blogger
