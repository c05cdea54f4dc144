#include "common/word_set.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <stdexcept>

namespace kade {

void word_set::reserve(std::size_t n) {
    const std::size_t wanted = std::bit_ceil(std::max<std::size_t>(16, 2 * n));
    if (wanted > slots_.size()) grow(wanted);
}

std::size_t word_set::find(std::string_view w, std::size_t h) const {
    const std::size_t mask = slots_.size() - 1;
    const std::uint16_t tag = tag_of(h);
    std::size_t i = h & mask;
    // Linear probing: the table is at most half full, so runs stay short.
    while (slots_[i].offset != 0 &&
           (slots_[i].tag != tag || slots_[i].length != w.size() || word_at(slots_[i]) != w))
        i = (i + 1) & mask;
    return i;
}

bool word_set::contains(std::string_view w) const {
    return !slots_.empty() && slots_[find(w, std::hash<std::string_view>{}(w))].offset != 0;
}

bool word_set::insert(std::string_view w) {
    if (w.size() > std::numeric_limits<std::uint16_t>::max())
        throw std::length_error("word_set: a word over 65,535 bytes");
    if (2 * (size_ + 1) > slots_.size()) grow(std::max<std::size_t>(16, 2 * slots_.size()));
    const std::size_t h = std::hash<std::string_view>{}(w);
    const std::size_t i = find(w, h);
    if (slots_[i].offset != 0) return false;
    if (bytes_.size() + w.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("word_set: more than 4 GiB of words");
    slots_[i] = {static_cast<std::uint32_t>(bytes_.size() + 1),
                 static_cast<std::uint16_t>(w.size()), tag_of(h)};
    bytes_ += w;
    ++size_;
    return true;
}

void word_set::grow(std::size_t slots) {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(slots, slot{});
    const std::size_t mask = slots - 1;
    for (const slot& s : old) {
        if (s.offset == 0) continue;
        std::size_t i = std::hash<std::string_view>{}(word_at(s)) & mask;
        while (slots_[i].offset != 0) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

}  // namespace kade
