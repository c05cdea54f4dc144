// Word splitting for dutch.hpp; a template, so it lives in the header's include chain.
//
// Snippets must see the words the index saw, so this follows Xapian 1.4's TermGenerator
// (termgenerator_internal.cc, parse_terms) as it runs on fold()ed text:
// - a word character is what Xapian::Unicode::is_wordchar says: letters, marks, digits and
//   connector punctuation, so "foo_bar" is one word, as in the index;
// - an apostrophe between two word characters stays inside the word: TermGenerator indexes
//   "z'n", "auto's" and "d'r" as single terms (and reads U+2019 as an apostrophe), which
//   tests/common/dutch_test.cpp checks against a real TermGenerator;
// - '&', '·', U+05F4 and U+2027 between word characters join too ("r&d");
// - between two digits only ',', '.' and ';' join ("1.000,5" is one term, "1'2" two);
// - up to three '+' or '#' after a word belong to it when no word character follows ("c++");
// - zero-width characters and soft hyphens between word characters join (fold() drops them).
// Not followed: the acronym rule ("U.S.A." → "usa") needs ASCII capitals, which folded text
// no longer has; CJK n-grams are off by default; TermGenerator drops words over 64 bytes,
// which are reported here (they simply never match a query).
//
// Run on unfolded text, this finds the same word boundaries as on the folded text, because
// fold() maps letters to letters, curly apostrophes to "'", and only drops characters that
// sit inside words (the one exception: a combining accent with no letter before it).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "common/text.hpp"

namespace kade::dutch {

namespace detail {

// ASCII word characters: letters, digits and '_' (connector punctuation for Xapian).
inline constexpr auto ascii_word = [] {
    std::array<bool, 128> table{};
    for (int c = 0; c < 128; ++c) {
        table[c] =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    return table;
}();

inline char32_t next_code_point(std::string_view text, std::size_t pos, std::size_t& next) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {
        next = pos + 1;
        return b;
    }
    next = pos;
    return decode_utf8(text, next);
}

inline bool is_word_char(char32_t cp) {
    if (cp < 0x80) return ascii_word[cp];
    return Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp));
}

inline bool is_digit(char32_t cp) {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return Xapian::Unicode::get_category(static_cast<unsigned>(cp)) ==
           Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

// Invisible characters inside a word, which fold() drops: TermGenerator skips the zero-width
// ones too; a soft hyphen (a hyphenation hint) is added so it cannot split a compound.
constexpr bool is_ignorable(char32_t cp) {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

// Joins two word characters into one word (TermGenerator's check_infix). U+2018 is not in
// Xapian's list but fold() turns it into "'" before the index sees it.
constexpr bool is_infix(char32_t cp) {
    return cp == '\'' || cp == '&' || cp == 0xB7 || cp == 0x5F4 || cp == 0x2027 || cp == 0x2018 ||
           cp == 0x2019 || cp == 0x201B || is_ignorable(cp);
}

// Joins two digits (TermGenerator's check_infix_digit).
constexpr bool is_digit_infix(char32_t cp) {
    return cp == ',' || cp == '.' || cp == ';' || cp == 0x37E || cp == 0x589 || cp == 0x60D ||
           cp == 0x7F8 || cp == 0x2044 || cp == 0xFE10 || cp == 0xFE13 || cp == 0xFE14 ||
           is_ignorable(cp);
}

}  // namespace detail

template <typename F>
void for_each_word(std::string_view text, F&& on_word) {
    using detail::is_word_char;
    using detail::next_code_point;
    const std::size_t n = text.size();
    std::size_t pos = 0;
    while (pos < n) {
        // Most bytes are ASCII: look them up directly, decode only the rest.
        const auto lead = static_cast<unsigned char>(text[pos]);
        if (lead < 0x80 && !detail::ascii_word[lead]) {
            ++pos;
            continue;
        }
        std::size_t next = 0;
        char32_t ch = next_code_point(text, pos, next);
        if (!is_word_char(ch)) {
            pos = next;
            continue;
        }
        const std::size_t begin = pos;
        char32_t prev = ch;
        pos = next;
        while (pos < n) {
            const auto b = static_cast<unsigned char>(text[pos]);
            if (b < 0x80 && detail::ascii_word[b]) {
                prev = b;
                ++pos;
                continue;
            }
            ch = next_code_point(text, pos, next);
            if (is_word_char(ch)) {
                prev = ch;
                pos = next;
                continue;
            }
            if (next >= n) break;
            std::size_t after = 0;
            const char32_t following = next_code_point(text, next, after);
            if (!is_word_char(following)) break;
            const bool joins = detail::is_digit(prev) && detail::is_digit(following)
                                   ? detail::is_digit_infix(ch)
                                   : detail::is_infix(ch);
            if (!joins) break;
            prev = following;
            pos = after;
        }
        std::size_t end = pos;
        // "c++", "c#": at most three, and not when a word character follows ("c++d" is c, d).
        std::size_t p = pos;
        while (p < n && p - pos < 4 && (text[p] == '+' || text[p] == '#')) ++p;
        if (p > pos && p - pos <= 3) {
            std::size_t unused = 0;
            if (p == n || !is_word_char(next_code_point(text, p, unused))) end = p;
        }
        pos = end;
        if constexpr (std::is_same_v<std::invoke_result_t<F&, std::size_t, std::size_t>, bool>) {
            if (!on_word(begin, end)) return;
        } else {
            on_word(begin, end);
        }
    }
}

}  // namespace kade::dutch
