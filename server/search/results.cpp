#include "server/search/results.hpp"

#include <cstdio>

#include "common/text.hpp"

namespace kade::search {
namespace {

void append_form_encoded(std::string& url, std::string_view value) {
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            url += static_cast<char>(c);
        } else if (c == ' ') {
            url += '+';
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            url += buf;
        }
    }
}

// The /search URL of another page or a suggestion, with the query form-encoded; the label
// filter and sort order carry over.
std::string search_url(std::string_view query, int page, const search_request& request,
                       std::string_view label) {
    std::string url = "/search?q=";
    append_form_encoded(url, query);
    if (page > 1) url += "&page=" + std::to_string(page);
    if (request.sort_by_date) url += "&sort=date";
    if (!label.empty()) {
        url += "&label=";
        append_form_encoded(url, label);
    }
    return url;
}

std::string search_url(std::string_view query, int page, const search_request& request) {
    return search_url(query, page, request, request.label);
}

void append_counts(std::string& out,
                   const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
    out += '{';
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (i) out += ", ";
        append_json_string(out, counts[i].first);
        out += ": " + std::to_string(counts[i].second);
    }
    out += '}';
}

// "2018-07-19" as readers write it, "19 juli 2018"; anything else stays as it is.
std::string dutch_date(std::string_view iso) {
    static constexpr const char* months[] = {"januari",   "februari", "maart",    "april",
                                             "mei",       "juni",     "juli",     "augustus",
                                             "september", "oktober",  "november", "december"};
    if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
    const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
    if (month < 1 || month > 12 || iso[8] < '0' || iso[8] > '3') return std::string(iso);
    const std::string_view day = iso[8] == '0' ? iso.substr(9, 1) : iso.substr(8, 2);
    return std::string(day) + " " + months[month - 1] + " " + std::string(iso.substr(0, 4));
}

// Facets as filter links: a label narrows with &label=, a year adds jaar:YYYY to the query.
void append_facets_html(std::string& out, const search_request& request,
                        const search_result& result) {
    if (result.facets.labels.empty() && result.facets.years.empty()) return;
    // Chips: one list item per value; the active label is marked for screen readers and CSS.
    out += "<nav class=\"facets\" aria-label=\"Verfijnen\">";
    if (!result.facets.labels.empty()) {
        out += "<h2>Labels</h2><ul class=\"chips\">";
        for (const auto& [label, count] : result.facets.labels) {
            out += label == request.label ? "<li class=\"chip\"><a aria-current=\"true\" href=\""
                                          : "<li class=\"chip\"><a href=\"";
            append_html_escaped(out, search_url(request.query, 1, request, label));
            out += "\">";
            append_html_escaped(out, label);
            out += "</a> (" + std::to_string(count) + ")</li>";
        }
        if (!request.label.empty()) {
            out += "<li class=\"chip\"><a href=\"";
            append_html_escaped(out, search_url(request.query, 1, request, ""));
            out += "\">alle labels</a></li>";
        }
        out += "</ul>";
    }
    if (!result.facets.years.empty()) {
        out += "<h2>Jaren</h2><ul class=\"chips\">";
        for (const auto& [year, count] : result.facets.years) {
            out += "<li class=\"chip\"><a href=\"";
            append_html_escaped(out, search_url(request.query + " jaar:" + year, 1, request));
            out += "\">";
            append_html_escaped(out, year);
            out += "</a> (" + std::to_string(count) + ")</li>";
        }
        out += "</ul>";
    }
    out += "</nav>";
}

}  // namespace

std::string error_json(std::string_view message) {
    std::string out = "{\"error\": ";
    append_json_string(out, message);
    out += "}\n";
    return out;
}

std::string results_json(const search_request& request, const search_result& result) {
    std::string out;
    out.reserve(512 + result.hits.size() * 512);
    out += "{\"query\": ";
    append_json_string(out, request.query);
    out += ", \"page\": " + std::to_string(request.page);
    out += ", \"per_page\": " + std::to_string(request.per_page);
    out += ", \"total\": " + std::to_string(result.total);
    char took[32];
    std::snprintf(took, sizeof took, "%.3f", result.took_ms);
    out += ", \"took_ms\": ";
    out += took;
    out += ", \"suggestion\": ";
    if (result.suggestion.empty()) {
        out += "null";
    } else {
        append_json_string(out, result.suggestion);
    }
    out += ", \"fallback\": ";
    if (result.fallback.empty()) {
        out += "null";
    } else {
        append_json_string(out, result.fallback);
    }
    out += result.partial ? ", \"partial\": true" : ", \"partial\": false";
    out += result.timed_out ? ", \"timed_out\": true" : ", \"timed_out\": false";
    out += ", \"sort\": ";
    out += request.sort_by_date ? "\"date\"" : "\"relevance\"";
    out += ", \"facets\": {\"labels\": ";
    append_counts(out, result.facets.labels);
    out += ", \"years\": ";
    append_counts(out, result.facets.years);
    out += "}";
    out += ", \"results\": [";
    for (std::size_t i = 0; i < result.hits.size(); ++i) {
        const search_hit& h = result.hits[i];
        if (i) out += ", ";
        out += "{\"url\": ";
        append_json_string(out, percent_encode_path(h.url));
        out += ", \"title\": ";
        append_json_string(out, h.title);
        out += ", \"date\": ";
        append_json_string(out, h.date);
        out += ", \"labels\": [";
        for (std::size_t j = 0; j < h.labels.size(); ++j) {
            if (j) out += ", ";
            append_json_string(out, h.labels[j]);
        }
        out += "], \"snippet\": ";
        append_json_string(out, h.snippet);
        // The heading above the passage: link to url#anchor to land on it.
        out += ", \"anchor\": ";
        if (h.anchor.empty()) {
            out += "null";
        } else {
            append_json_string(out, h.anchor);
        }
        out += "}";
    }
    out += "]}\n";
    return out;
}

std::string results_html(const search_request& request, const search_result& result) {
    std::string out;
    if (request.query.empty())
        return "<p>Typ een of meer woorden om in de berichten te zoeken.</p>";
    if (result.fallback == "suggestion") {
        out += "<p class=\"suggestion\">Niets gevonden voor <strong>";
        append_html_escaped(out, request.query);
        out += "</strong>; resultaten voor <a href=\"";
        append_html_escaped(out, search_url(result.suggestion, 1, request));
        out += "\">";
        append_html_escaped(out, result.suggestion);
        out += "</a>.</p>";
    } else if (!result.suggestion.empty()) {
        out += "<p class=\"suggestion\">Bedoelde je <a href=\"";
        append_html_escaped(out, search_url(result.suggestion, 1, request));
        out += "\">";
        append_html_escaped(out, result.suggestion);
        out += "</a>?</p>";
    }
    if (result.fallback == "or") {
        out +=
            "<p class=\"fallback\">Geen bericht bevat alle woorden; dit zijn berichten met "
            "een of meer ervan.</p>";
    }
    if (result.partial) {
        out +=
            "<p class=\"partial\" role=\"status\">Een deel van de zoekindex is even niet "
            "bereikbaar; er kunnen resultaten ontbreken.</p>";
    }
    if (result.timed_out) {
        out +=
            "<p class=\"timed-out\" role=\"status\">Deze zoekopdracht kostte te veel tijd; "
            "dit zijn de resultaten die tot dan toe gevonden zijn.</p>";
    }
    out += "<p class=\"count\" role=\"status\">";
    if (result.total == 0) {
        out += "Geen berichten gevonden voor <strong>";
        append_html_escaped(out, request.query);
        out += "</strong>.</p>";
        return out;
    }
    out += std::to_string(result.total) + (result.total == 1 ? " bericht" : " berichten") +
           " gevonden voor <strong>";
    append_html_escaped(out, request.query);
    out += "</strong>.</p>";
    append_facets_html(out, request, result);
    out += "<ol class=\"results\" start=\"" +
           std::to_string((request.page - 1) * request.per_page + 1) + "\">";
    for (const search_hit& h : result.hits) {
        out += "<li><h2><a href=\"";
        append_html_escaped(out, percent_encode_path(h.url));
        if (!h.anchor.empty()) append_html_escaped(out, "#" + h.anchor);
        out += "\">";
        append_html_escaped(out, h.title);
        out += "</a></h2><p class=\"meta\"><time datetime=\"";
        append_html_escaped(out, h.date);
        out += "\">";
        append_html_escaped(out, dutch_date(h.date));
        out += "</time></p><p>" + h.snippet + "</p></li>";
    }
    out += "</ol>";
    const bool has_older =
        static_cast<std::uint64_t>(request.page) * static_cast<std::uint64_t>(request.per_page) <
        result.total;
    if (request.page > 1 || has_older) {
        out += "<nav class=\"pager\" aria-label=\"Resultaatpagina's\">";
        if (request.page > 1) {
            out += "<a rel=\"prev\" href=\"";
            append_html_escaped(out, search_url(request.query, request.page - 1, request));
            out += "\">Vorige</a>";
        } else {
            out += "<span></span>";
        }
        if (has_older) {
            out += "<a rel=\"next\" href=\"";
            append_html_escaped(out, search_url(request.query, request.page + 1, request));
            out += "\">Volgende</a>";
        }
        out += "</nav>";
    }
    return out;
}

}  // namespace kade::search
