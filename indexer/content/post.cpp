#include "indexer/content/post.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <utility>

#include <toml++/toml.h>

#include "common/http_date.hpp"
#include "common/text.hpp"

namespace kade::indexer {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::array<std::string_view, 10> known_keys = {
    "title", "date", "updated", "labels", "author", "slug", "aliases", "draft", "summary", "id"};
constexpr std::string_view date_example = "2014-01-02T10:00:00+01:00";

// One line of the file without its terminator ("\n" or "\r\n").
struct line_view {
    std::string_view text;
    size_t begin = 0;  // offset of the line's first byte
    size_t end = 0;    // offset just past its terminator
};

std::vector<line_view> split_lines(std::string_view text) {
    std::vector<line_view> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        const size_t stop = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, stop - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
        lines.push_back({line, pos, next});
        pos = next;
    }
    return lines;
}

// Editors leave trailing blanks; "+++  " still means "+++".
bool is_fence(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line == "+++";
}

post_time make_time(const toml::date& date, const toml::time& time, int offset_minutes) {
    post_time t;
    t.year = date.year;
    t.month = date.month;
    t.day = date.day;
    t.hour = time.hour;
    t.minute = time.minute;
    t.second = time.second;
    t.offset_minutes = offset_minutes;
    const std::int64_t days = days_from_civil(t.year, date.month, date.day);
    t.unix_seconds =
        days * 86400 + t.hour * 3600 + t.minute * 60 + t.second - std::int64_t{offset_minutes} * 60;
    return t;
}

// Unix seconds of 10000-01-01T00:00:00Z.
constexpr std::int64_t end_of_last_year = 253402300800;
static_assert(last_year == 9999);

bool in_range(const post_time& t) {
    const std::int64_t first = days_from_civil(first_year, 1, 1) * 86400;
    return t.year >= first_year && t.year <= last_year && t.unix_seconds >= first &&
           t.unix_seconds < end_of_last_year;
}

// "10000-01-01T23:58:59Z": what an out-of-range date means, with a year of any width.
std::string rfc3339_utc(std::int64_t unix_seconds) {
    const std::int64_t days =
        unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
    const std::int64_t in_day = unix_seconds - days * 86400;
    const civil_date d = civil_from_days(days);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", d.year, d.month, d.day,
                  static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                  static_cast<int>(in_day % 60));
    return buf;
}

std::string_view type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time of day";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// Levenshtein distance, for "did you mean" on misspelt keys; keys are short.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string quoted(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// Lines within the TOML are counted by toml++ from 1; the file has the "+++" line above them.
class post_checker {
  public:
    post_checker(std::string_view file, int toml_first_line, std::vector<diagnostic>& errors)
        : file_(file), line_offset_(toml_first_line - 1), errors_(errors) {}

    void report(int line, std::string message) {
        errors_.push_back({std::string(file_), line, std::move(message)});
    }
    void report(const toml::source_region& where, std::string message) {
        report(file_line(where), std::move(message));
    }
    int file_line(const toml::source_region& where) const {
        // toml++ leaves line 0 for nodes it did not read from text; blame the opening "+++".
        return where.begin.line > 0 ? static_cast<int>(where.begin.line) + line_offset_ : 1;
    }

    // Strings: title, author, slug, summary.
    const std::string* string_value(const toml::key& key, const toml::node& node,
                                    std::string_view example) {
        if (const auto* s = node.as_string()) return &s->get();
        report(key.source(), quoted(key.str()) + " must be a string such as " +
                                 std::string(key.str()) + " = " + std::string(example) + ", not " +
                                 std::string(type_name(node.type())));
        return nullptr;
    }

    std::optional<post_time> time_value(const toml::key& key, const toml::node& node) {
        std::optional<post_time> t;
        if (const auto* dt = node.as_date_time()) {
            const toml::date_time& v = dt->get();
            t = make_time(v.date, v.time, v.offset ? v.offset->minutes : 0);
        } else if (const auto* d = node.as_date()) {
            t = make_time(d->get(), toml::time{}, 0);
        }
        if (t) {
            if (in_range(*t)) return t;
            report(key.source(), quoted(key.str()) + " " + rfc3339_utc(t->unix_seconds) +
                                     " (UTC) is out of range: dates must fall within the years " +
                                     std::to_string(first_year) + " to " +
                                     std::to_string(last_year) + ", as written and in UTC");
            return std::nullopt;
        }
        std::string message = quoted(key.str()) + " must be a TOML date-time such as " +
                              std::string(date_example) + ", not " +
                              std::string(type_name(node.type()));
        if (node.is_string()) message += " (write it without quotes)";
        report(key.source(), std::move(message));
        return std::nullopt;
    }

    // Arrays of non-empty strings: labels, aliases.
    std::vector<std::string> string_list(const toml::key& key, const toml::node& node,
                                         std::string_view example) {
        std::vector<std::string> out;
        const auto* array = node.as_array();
        if (!array) {
            report(key.source(), quoted(key.str()) + " must be an array of strings such as " +
                                     std::string(key.str()) + " = " + std::string(example) +
                                     ", not " + std::string(type_name(node.type())));
            return out;
        }
        size_t item = 0;
        for (const toml::node& element : *array) {
            ++item;
            const auto* s = element.as_string();
            if (!s) {
                report(element.source(), quoted(key.str()) + " must hold only strings: item " +
                                             std::to_string(item) + " is " +
                                             std::string(type_name(element.type())));
            } else if (s->get().empty()) {
                report(element.source(), quoted(key.str()) + " item " + std::to_string(item) +
                                             " is empty: remove it or fill it in");
            } else {
                out.push_back(s->get());
            }
        }
        return out;
    }

  private:
    std::string_view file_;
    int line_offset_;
    std::vector<diagnostic>& errors_;
};

std::string unknown_key_message(std::string_view name) {
    std::string message = "unknown key " + quoted(name) + " in front matter: ";
    std::string_view best;
    size_t best_distance = 3;  // beyond two edits a suggestion is more likely wrong than helpful
    for (std::string_view known : known_keys) {
        const size_t distance = edit_distance(name, known);
        if (distance < best_distance) best = known, best_distance = distance;
    }
    if (!best.empty()) return message + "did you mean " + quoted(best) + "?";
    message += "the keys are";
    for (std::string_view known : known_keys) {
        message += known == known_keys.front() ? " " : ", ";
        message += known;
    }
    return message;
}

// The line (1-based) holding the first byte that is not well-formed UTF-8, or 0.
int first_invalid_utf8_line(const std::vector<line_view>& lines) {
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!is_valid_utf8(lines[i].text)) return static_cast<int>(i) + 1;
    }
    return 0;
}

}  // namespace

bool is_feed_id(std::string_view id) {
    const size_t colon = id.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size()) return false;
    const char first = id[0];
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
    for (size_t i = 0; i < colon; ++i) {
        const char c = id[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        if (!ok) return false;
    }
    for (char c : id)
        if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '"') return false;
    return true;
}

std::optional<post> parse_post(std::string_view file, std::string_view text,
                               std::vector<diagnostic>& errors) {
    const size_t errors_before = errors.size();
    auto report = [&](int line, std::string message) {
        errors.push_back({std::string(file), line, std::move(message)});
    };

    if (text.starts_with(utf8_bom)) text.remove_prefix(utf8_bom.size());
    const std::vector<line_view> lines = split_lines(text);

    // Nothing else is worth reporting about bytes that are not text.
    if (const int bad = first_invalid_utf8_line(lines); bad > 0) {
        report(bad, "the file is not valid UTF-8: save it as UTF-8");
        return std::nullopt;
    }
    if (lines.empty() || !is_fence(lines[0].text)) {
        report(1,
               "a post must start with a \"+++\" line, then TOML front matter, then a closing "
               "\"+++\" line");
        return std::nullopt;
    }
    size_t close = 1;
    while (close < lines.size() && !is_fence(lines[close].text)) ++close;
    if (close == lines.size()) {
        report(1, "the front matter opened here is never closed: add a \"+++\" line after it");
        return std::nullopt;
    }

    post p;
    p.file = std::string(file);
    p.body_line = static_cast<int>(close) + 2;
    p.markdown = std::string(text.substr(lines[close].end));

    const std::string_view front = text.substr(lines[0].end, lines[close].begin - lines[0].end);
    const int toml_first_line = 2;
    toml::table table;
    try {
        table = toml::parse(front, std::string(file));
    } catch (const toml::parse_error& err) {
        std::string description(err.description());
        if (!description.empty() && description[0] >= 'A' && description[0] <= 'Z') {
            description[0] = static_cast<char>(description[0] - 'A' + 'a');
        }
        const auto line = static_cast<int>(err.source().begin.line);
        report(line > 0 ? line + toml_first_line - 1 : 1,
               "malformed TOML in front matter: " + description);
        return std::nullopt;
    }

    post_checker check(file, toml_first_line, errors);
    bool has_title = false;
    bool has_date = false;
    for (const auto& [key, node] : table) {
        const std::string_view name = key.str();
        if (name == "title") {
            has_title = true;
            if (const auto* s = check.string_value(key, node, "\"…\"")) {
                if (s->find_first_not_of(" \t\r\n") == std::string::npos) {
                    check.report(key.source(),
                                 "\"title\" is empty: every post needs a title = \"…\"");
                }
                p.title = *s;
            }
            if (p.slug.empty()) p.url_line = check.file_line(key.source());
        } else if (name == "date") {
            has_date = true;
            if (auto t = check.time_value(key, node)) p.date = *t;
        } else if (name == "updated") {
            p.updated = check.time_value(key, node);
        } else if (name == "labels") {
            p.labels = check.string_list(key, node, "[\"ondernemen\", \"samenwerken\"]");
            std::size_t characters = p.labels.empty() ? 0 : p.labels.size() - 1;  // commas
            for (const auto& label : p.labels) characters += count_code_points(label);
            if (characters > max_label_characters) {
                check.report(key.source(),
                             "\"labels\" hold " + std::to_string(p.labels.size()) + " labels of " +
                                 std::to_string(characters) + " characters (joined by commas); " +
                                 "at most " + std::to_string(max_label_characters) +
                                 " are allowed, as on Blogger: keep the few that say what the "
                                 "post is about");
            }
        } else if (name == "aliases") {
            p.aliases = check.string_list(key, node, "[\"/2014/01/oud-adres.html\"]");
            // Checked here, not in string_list, to keep each alias's own line.
            if (const auto* array = node.as_array()) {
                for (const toml::node& element : *array) {
                    p.alias_lines.push_back(check.file_line(element.source()));
                    const auto* s = element.as_string();
                    if (s && !s->get().empty() && s->get().front() != '/') {
                        check.report(element.source(), "alias " + quoted(s->get()) +
                                                           " must start with \"/\", such as " +
                                                           quoted("/" + s->get()));
                    }
                }
            }
        } else if (name == "author") {
            if (const auto* s = check.string_value(key, node, "\"Sonja van Vuren\"")) {
                p.author = *s;
            }
        } else if (name == "slug") {
            if (const auto* s =
                    check.string_value(key, node, "\"doen-waar-je-niet-goed-in-bent\"")) {
                const size_t bad = s->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-");
                if (s->empty()) {
                    check.report(key.source(),
                                 "\"slug\" is empty: remove it to derive the slug from the title");
                } else if (bad != std::string::npos) {
                    // Show the whole UTF-8 sequence, not a lone lead byte.
                    size_t end = bad;
                    decode_utf8(*s, end);
                    check.report(key.source(), "\"slug\" may only use a-z, 0-9 and \"-\", but " +
                                                   quoted(*s) + " has " +
                                                   quoted(s->substr(bad, end - bad)));
                }
                p.slug = *s;
                p.url_line = check.file_line(key.source());
            }
        } else if (name == "draft") {
            if (const auto* b = node.as_boolean()) {
                p.draft = b->get();
            } else {
                check.report(key.source(), "\"draft\" must be true or false, not " +
                                               std::string(type_name(node.type())));
            }
        } else if (name == "summary") {
            if (const auto* s = check.string_value(key, node, "\"…\"")) p.summary = *s;
        } else if (name == "id") {
            if (const auto* s =
                    check.string_value(key, node, "\"tag:blogger.com,1999:blog-123.post-456\"")) {
                p.id_line = check.file_line(key.source());
                if (!is_feed_id(*s))
                    check.report(key.source(),
                                 "\"id\" must be a URI such as "
                                 "\"tag:blogger.com,1999:blog-123.post-456\", without blanks, "
                                 "but is " +
                                     quoted(*s));
                p.id = *s;
            }
        } else {
            check.report(key.source(), unknown_key_message(name));
        }
    }
    // A missing key has no line of its own; the opening "+++" is where it belongs.
    if (!has_title) report(1, "missing \"title\": every post needs a title = \"…\"");
    if (!has_date) {
        report(1, "missing \"date\": every post needs a date such as date = " +
                      std::string(date_example));
    }

    if (errors.size() == errors_before) return p;
    // The table iterates keys alphabetically; report in the order a reader meets them.
    std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(errors_before), errors.end(),
                     [](const diagnostic& a, const diagnostic& b) { return a.line < b.line; });
    return std::nullopt;
}

}  // namespace kade::indexer
