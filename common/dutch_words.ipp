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

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Bit i of `word` is set when p[i] is an ASCII word byte, bit i of `high` when p[i] is not
// ASCII, for 64 bytes. The portable version, and the one the SSE2 version must agree with.
inline void ascii_word_bits_scalar(const char* p, std::uint64_t& word, std::uint64_t& high) {
    word = 0;
    high = 0;
    for (unsigned i = 0; i < 64; ++i) {
        const auto b = static_cast<unsigned char>(p[i]);
        word |= static_cast<std::uint64_t>(b < 0x80 && ascii_word[b]) << i;
        high |= static_cast<std::uint64_t>(b >> 7) << i;
    }
}

inline void ascii_word_bits(const char* p, std::uint64_t& word, std::uint64_t& high) {
#if defined(__SSE2__)
    // An unsigned range test lo <= b < lo + len as a signed compare of b - lo - 128.
    auto in_range = [](__m128i v, char lo, char len) {
        const __m128i t = _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(lo)), _mm_set1_epi8('\x80'));
        return _mm_cmplt_epi8(t, _mm_set1_epi8(static_cast<char>(len - 128)));
    };
    word = 0;
    high = 0;
    for (unsigned k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
        const __m128i digit = in_range(v, '0', 10);
        const __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
        const auto w = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under));
        word |= static_cast<std::uint64_t>(static_cast<unsigned>(w)) << (16 * k);
        high |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v))) << (16 * k);
    }
#else
    ascii_word_bits_scalar(p, word, high);
#endif
}

// Finds the next word start and word end in 64-byte blocks of bits (ascii_word_bits) rather
// than byte by byte: a branch per byte mispredicted at the end of every word and every gap,
// which made the walk most of a search snippet's cost.
class ascii_word_scanner {
  public:
    explicit ascii_word_scanner(std::string_view text) : text_(text) {}

    // The first position from `pos` that may start a word (an ASCII word byte or a non-ASCII
    // byte), or the text's size.
    std::size_t next_start(std::size_t pos) {
        while (pos < text_.size()) {
            const std::size_t at = load(pos);
            if (const std::uint64_t m = (word_ | high_) >> at) return pos + std::countr_zero(m);
            pos += 64 - at;
        }
        return text_.size();
    }

    // The first position from `pos` that is not an ASCII word byte, or the text's size.
    std::size_t run_end(std::size_t pos) {
        while (pos < text_.size()) {
            const std::size_t at = load(pos);
            if (const std::uint64_t m = ~word_ >> at)
                return std::min(pos + std::countr_zero(m), text_.size());
            pos += 64 - at;
        }
        return text_.size();
    }

  private:
    // Loads the block holding `pos`; returns `pos`'s bit in it.
    std::size_t load(std::size_t pos) {
        const std::size_t base = pos & ~std::size_t{63};
        if (base != base_) {
            base_ = base;
            if (base + 64 <= text_.size()) {
                ascii_word_bits(text_.data() + base, word_, high_);
            } else {
                char tail[64] = {};  // zeros: ASCII, not word bytes
                std::memcpy(tail, text_.data() + base, text_.size() - base);
                ascii_word_bits(tail, word_, high_);
            }
        }
        return pos - base;
    }

    std::string_view text_;
    std::size_t base_ = SIZE_MAX;
    std::uint64_t word_ = 0;
    std::uint64_t high_ = 0;
};

}  // namespace detail

template <typename F>
void for_each_word(std::string_view text, F&& on_word) {
    using detail::is_word_char;
    using detail::next_code_point;
    const std::size_t n = text.size();
    detail::ascii_word_scanner scan(text);
    std::size_t pos = 0;
    while (pos < n) {
        // ASCII bytes that are not word bytes are skipped a block at a time; others decoded.
        pos = scan.next_start(pos);
        if (pos >= n) break;
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
            if (const std::size_t run = scan.run_end(pos); run > pos) {
                prev = static_cast<unsigned char>(text[run - 1]);
                pos = run;
                if (pos >= n) break;
            }
            ch = next_code_point(text, pos, next);
            if (is_word_char(ch)) {
                prev = ch;
                pos = next;
                continue;
            }
            // An ASCII byte that joins nothing ends the word without a look at the next one
            // (a space, most often).
            if (ch < 0x80 && !detail::is_infix(ch) && !detail::is_digit_infix(ch)) break;
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
