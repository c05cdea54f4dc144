#pragma once
// The small template layer: HTML files from indexer/render/templates/ with {{name}} (escaped) and
// {{{name}}} (raw HTML) placeholders. Logic (loops, conditions) stays in C++ (render.cpp).
#include <map>
#include <string>
#include <string_view>

namespace kade::indexer {

using template_vars = std::map<std::string_view, std::string_view>;

// The text of an embedded template, e.g. "layout.html". Throws std::logic_error when unknown.
std::string_view template_text(std::string_view name);

// Fills placeholders. A placeholder whose name is not in `vars` throws std::logic_error, so a
// misspelt name fails the first test that renders it instead of shipping "{{titel}}".
std::string fill_template(std::string_view text, const template_vars& vars);

// template_text + fill_template.
std::string render_template(std::string_view name, const template_vars& vars);

}  // namespace kade::indexer
