// Dutch strong and irregular verbs: every form in common/dutch_verbs.ipp, plus the present
// forms and prefixed compounds derived here, mapped to the infinitive.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/dutch.hpp"

namespace kade::dutch {

namespace {

#include "common/dutch_verbs.ipp"

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// The present stem ("ik"-form) by the spelling rules: drop "-en"; a double consonant becomes
// single (zitten → zit), a single vowel in an open syllable doubles (lopen → loop), a final v/z
// becomes f/s (geven → geef). "gaan", "zien", "doen" lose only the n (gaan → ga).
std::string present_stem(std::string_view inf) {
    if (inf.ends_with("aan")) return std::string(inf.substr(0, inf.size() - 2));
    if (inf.size() == 4 && (inf.ends_with("ien") || inf.ends_with("oen")))
        return std::string(inf.substr(0, 3));  // zien → zie, doen → doe
    if (!inf.ends_with("en") || inf.size() < 4) return "";
    std::string r(inf.substr(0, inf.size() - 2));
    const std::size_t n = r.size();
    if (n >= 2 && r[n - 1] == r[n - 2] && !is_vowel(r[n - 1])) {
        r.pop_back();
    } else if (n >= 2 && !is_vowel(r[n - 1]) && r[n - 2] != 'i' && is_vowel(r[n - 2]) &&
               (n == 2 || !is_vowel(r[n - 3]))) {
        r.insert(r.begin() + static_cast<std::ptrdiff_t>(n - 1), r[n - 2]);
    }
    if (r.back() == 'v') r.back() = 'f';
    if (r.back() == 'z') r.back() = 's';
    return r;
}

// Prefixes of compound verbs, separable (opgelopen, aankwam) and not (verkocht, bekeken).
constexpr std::array<std::string_view, 38> prefixes = {
    "aan",   "achter", "af",   "be",    "bij",   "binnen", "dicht", "door",  "her", "in",
    "kwijt", "los",    "mee",  "mis",   "na",    "neer",   "om",    "onder", "ont", "op",
    "open",  "over",   "rond", "samen", "tegen", "terug",  "thuis", "toe",   "uit", "vast",
    "ver",   "vol",    "voor", "vrij",  "weer",  "weg",    "goed",  "tussen"};

// Words that look like prefix + verb form but are not that verb: "aandacht" is attention, not
// a form of "aandenken"; "aangezien" is "since"; "bedrijf" is a company; "ontleed" is of
// "ontleden".
constexpr std::array<std::string_view, 5> not_verbs = {"aandacht", "aangezien", "bedrijf",
                                                       "ontleed", "ontleedt"};

struct verb_index {
    std::unordered_map<std::string, std::string> forms;  // "liep" → "lopen"
    std::unordered_map<std::string, std::string> tails;  // "lopen" (gelopen without ge-) → "lopen"
};

// The table's rows, split into their fields ("-" where a form is left out).
std::vector<std::array<std::string_view, 5>> table_rows() {
    std::vector<std::array<std::string_view, 5>> rows;
    std::string_view table = strong_verbs_table;
    while (!table.empty()) {
        const auto eol = table.find('\n');
        std::string_view line = table.substr(0, eol);
        table = eol == std::string_view::npos ? std::string_view{} : table.substr(eol + 1);
        std::array<std::string_view, 5> f{};
        std::size_t count = 0;
        while (!line.empty() && count < f.size()) {
            const auto sp = line.find(' ');
            f[count++] = line.substr(0, sp);
            line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
        }
        if (count >= 4) rows.push_back(f);
    }
    return rows;
}

// First come first served: infinitives map to themselves (so a prefixed infinitive is left as
// it is), then the table's forms, then the derived present forms, so "beval" stays "bevelen"
// and is not taken for the present of "bevallen".
verb_index build_index() {
    verb_index index;
    const auto rows = table_rows();
    for (const auto& f : rows) index.forms.emplace(std::string(f[0]), std::string(f[0]));
    for (const auto& f : rows) {
        for (std::size_t i = 1; i < 4; ++i)
            if (f[i] != "-") index.forms.emplace(std::string(f[i]), std::string(f[0]));
        if (f[3].starts_with("ge") && f[3].size() >= 6)
            index.tails.emplace(std::string(f[3].substr(2)), std::string(f[0]));
    }
    for (const auto& f : rows) {
        const std::string stem = f[4].empty() ? present_stem(f[0]) : std::string(f[4]);
        if (stem.empty()) continue;
        index.forms.emplace(stem, std::string(f[0]));
        // "-t" for he/she; "ga" → "gaat", "zit" stays "zit".
        index.forms.emplace(stem.back() == 't'   ? stem
                            : stem.back() == 'a' ? stem + "at"
                                                 : stem + "t",
                            std::string(f[0]));
    }
    return index;
}

const verb_index& verbs() {
    static const verb_index index = build_index();
    return index;
}

}  // namespace

std::string strong_verb_infinitive(std::string_view word) {
    const verb_index& v = verbs();
    if (const auto it = v.forms.find(std::string(word)); it != v.forms.end())
        return it->second == word ? "" : it->second;
    for (const std::string_view n : not_verbs)
        if (word == n) return "";
    for (const std::string_view p : prefixes) {
        if (!word.starts_with(p) || word.size() < p.size() + 3) continue;
        const std::string rest(word.substr(p.size()));
        const std::string* inf = nullptr;
        if (const auto it = v.forms.find(rest); it != v.forms.end())
            inf = &it->second;
        else if (const auto tail = v.tails.find(rest); tail != v.tails.end())
            inf = &tail->second;
        if (!inf) continue;
        if (*inf == rest) return "";  // prefix + infinitive: the word is an infinitive
        return std::string(p) + *inf;
    }
    return "";
}

const std::vector<std::string>& strong_verb_heads(std::string_view head) {
    static const auto index = [] {
        std::unordered_map<std::string, std::vector<std::string>> m;
        for (const auto& [form, inf] : verbs().forms) {
            // A "ge-" form is tried without "ge" by the snippet anyway ("gezongen" as "zongen").
            const std::string_view f = form.size() > 4 && form.starts_with("ge")
                                           ? std::string_view(form).substr(2)
                                           : std::string_view(form);
            if (f.size() < 2 || inf.compare(0, 2, f, 0, 2) == 0) continue;
            auto& heads = m[inf.substr(0, 2)];
            if (std::find(heads.begin(), heads.end(), f.substr(0, 2)) == heads.end())
                heads.emplace_back(f.substr(0, 2));
        }
        return m;
    }();
    static const std::vector<std::string> none;
    const auto it = index.find(std::string(head));
    return it == index.end() ? none : it->second;
}

}  // namespace kade::dutch
