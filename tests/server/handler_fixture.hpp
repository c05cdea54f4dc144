#pragma once
// The handler without sockets, for handler_test, handler_dcz_test and handler_derived_test: a
// bundle built in the test, the handler over it (default config unless a test gives one), and
// one request at a time.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "common/bundle_reader.hpp"
#include "common/bundle_writer.hpp"
#include "common/config.hpp"
#include "common/files.hpp"
#include "server/handler.hpp"
#include "server/http/request.hpp"
#include "server/http/response.hpp"
#include "server/ops/bundle_slot.hpp"
#include "server/search/service.hpp"

namespace kade::test {

// The bundle `b` describes, written to a scratch folder and loaded.
inline std::shared_ptr<const bundle::loaded_bundle> load_built(const bundle::bundle_builder& b) {
    const scratch_dir dir("kade-handler-test");
    const std::string file = (dir.path() / "test.kade").string();
    b.write(file);
    return bundle::loaded_bundle::load(file);
}

class handler_fixture : public ::testing::Test {
  protected:
    explicit handler_fixture(std::shared_ptr<const bundle::loaded_bundle> bundle, config c = {})
        : cfg_(std::move(c)), slot_(std::move(bundle)) {}

    // The handler's answer to `req`.
    http::response send(const request& req) {
        http::response out;
        std::shared_ptr<const void> keep;
        handler_.handle(req, out, keep, no_later_);
        return out;
    }

    // True when the response head has this whole line.
    static bool has(const http::response& r, std::string_view line) {
        return r.head.find(std::string(line) + "\r\n") != std::string::npos;
    }

    config cfg_;
    http::header_policy policy_{cfg_.http};
    ops::bundle_slot slot_;
    // These tests send no search: nothing is answered later.
    struct no_later final : http::answer_later {
        finish defer() override {
            ADD_FAILURE() << "deferred";
            return [](std::function<void()> fill) { fill(); };
        }
    } no_later_;
    static search::settings one_search_thread() {
        search::settings s;
        s.threads = 1;
        return s;
    }
    search::service searches_{one_search_thread()};
    handler handler_{cfg_, policy_, slot_, searches_};
};

}  // namespace kade::test
