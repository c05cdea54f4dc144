#pragma once
// All a connection needs from the layer above it, as h2o's core reaches its handlers only
// through on_req: one response per request, and a response for a request that never parsed.
// server/handler implements it; nothing in http/ knows what is served.
#include <memory>

#include "server/http/request.hpp"
#include "server/http/response.hpp"

namespace kade::http {

class request_handler {
  public:
    virtual ~request_handler() = default;

    // Fills `out` (reset first). `keep` receives whatever the response's body views point
    // into; the connection holds it until the response is written.
    virtual void handle(const request& req, response& out, std::shared_ptr<const void>& keep) = 0;

    // An error response that has no request to go with it (parse errors, limits): 400, 405,
    // 413, 414, 431, 505. Always closes the connection.
    virtual void handle_error(unsigned status, response& out) = 0;
};

}  // namespace kade::http
