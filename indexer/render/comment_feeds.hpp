#pragma once
// Blogger's comment feeds, for the comments imported with the posts: the blog's newest comments
// at /feeds/comments/default and each post's at /feeds/POSTID/comments/default (POSTID: the
// number in the post's Blogger id), Atom like Blogger's, with Blogger's ids for the comments.
#include <vector>

#include "indexer/content/comments.hpp"
#include "indexer/content/site.hpp"
#include "indexer/render/page.hpp"
#include "indexer/render/render.hpp"

namespace kade::indexer {

// "tag:blogger.com,1999:blog-1.post-456" → "456"; "" for an id that is not Blogger's.
std::string blogger_post_number(std::string_view feed_id);

std::vector<page_input> render_comment_feeds(const site& s, const comments_by_post& comments,
                                             const page_context& ctx);

}  // namespace kade::indexer
