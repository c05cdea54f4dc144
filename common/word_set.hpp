#pragma once
// A set of short strings kept in one buffer, with an open-addressing table of their offsets.
// kade-index loads the 350,000 words of the compound dictionary on every run, an incremental one
// too: std::unordered_set spent ~200 ms there on a node allocation and a bucket miss per word.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kade {

class word_set {
  public:
    // Room for `n` words without growing the table.
    void reserve(std::size_t n);
    // False when `w` was in the set already. Words are at most 65,535 bytes (std::length_error).
    bool insert(std::string_view w);
    bool contains(std::string_view w) const;
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

  private:
    struct slot {
        std::uint32_t offset = 0;  // into bytes_, plus one: 0 is an empty slot
        std::uint16_t length = 0;
        std::uint16_t tag = 0;  // more bits of the hash: most other words are told apart
                                // without reading their bytes (a cache miss each)
    };
    std::string_view word_at(const slot& s) const {
        return std::string_view(bytes_).substr(s.offset - 1, s.length);
    }
    // The slot holding `w` (hash `h`), or the empty slot where it would go.
    std::size_t find(std::string_view w, std::size_t h) const;
    static std::uint16_t tag_of(std::size_t h) { return static_cast<std::uint16_t>(h >> 48); }
    void grow(std::size_t slots);

    std::string bytes_;
    std::vector<slot> slots_;  // a power of two, at most half full
    std::size_t size_ = 0;
};

}  // namespace kade
