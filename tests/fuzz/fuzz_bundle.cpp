// libFuzzer driver: the bundle reader on arbitrary bytes. A corrupt bundle must be refused
// with a reason, never crash; one whose structure is accepted (open_structure, all kade-serve
// checks before serving) must hand out views inside its bytes, and open() must accept exactly
// what open_structure and verify_contents both accept.
// The first input byte chooses the mode: odd means "repair the size, checksums and build id
// first", so that mutations get past the checksums to the entry and string validation behind
// them; even means the bytes as they are (what a damaged file on disk looks like).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "../common/bundle_repair.hpp"
#include "common/bundle_format.hpp"
#include "common/bundle_reader.hpp"

namespace {

namespace b = kade::bundle;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() &&
                            part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string owned(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) b::test::repair(owned);
    const std::string_view bytes(owned);
    std::string error;
    // kade-serve serves from a bundle whose structure alone is checked until the background
    // check of its contents is done: everything it hands out must lie inside the bytes already.
    const auto view = b::bundle_view::open_structure(bytes, error);
    if (!view) {
        check(!error.empty());
        check(!b::bundle_view::open(bytes, error));
        return 0;
    }
    check(inside(view->search_database(), bytes));
    for (const auto& shard : view->shards())
        check(shard.offset <= bytes.size() && shard.size <= bytes.size() - shard.offset);
    for (const auto& e : view->entries()) {
        const auto path = view->path(e);
        check(inside(path, bytes));
        check(inside(view->str(e.content_type), bytes));
        check(inside(view->str(e.location), bytes));
        check(inside(view->str(e.keys), bytes));
        for (std::size_t v = 0; v < b::variant_count; ++v)
            if (view->holds(e, v)) check(inside(view->body(e, v), bytes));
        check(view->find(path) == &e);
    }
    (void)view->find("/");
    check(inside(view->dictionary_bytes(), bytes));
    // open() is exactly the two parts.
    std::string contents_error;
    const bool whole = view->verify_contents(contents_error);
    check(whole || !contents_error.empty());
    check(b::bundle_view::open(bytes, error).has_value() == whole);
    return 0;
}
