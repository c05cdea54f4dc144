#pragma once
// All a connection needs from the layer above it, as h2o's core reaches its handlers only
// through on_req: one response per request, and a response for a request that never parsed.
// server/handler implements it; nothing in http/ knows what is served.
#include <functional>
#include <memory>

#include "server/http/request.hpp"
#include "server/http/response.hpp"

namespace kade::http {

// A response that comes later: the connection waits (without blocking its thread) while the
// handler's work runs elsewhere, as a search does on the search threads.
class answer_later {
  public:
    // Call at most once per request, during handle(). The connection sends nothing until the
    // returned function has been called, once, from any thread; the function it is given then
    // runs on the connection's own thread, fills the response (and `keep`), and is sent. The
    // request and the response stay valid until then.
    using finish = std::function<void(std::function<void()> fill)>;
    virtual finish defer() = 0;

  protected:
    ~answer_later() = default;
};

class request_handler {
  public:
    virtual ~request_handler() = default;

    // Fills `out` (reset first), or takes `later.defer()` and fills it later. `keep` receives
    // whatever the response's body views point into; the connection holds it until the
    // response is written.
    virtual void handle(const request& req, response& out, std::shared_ptr<const void>& keep,
                        answer_later& later) = 0;

    // An error response that has no request to go with it (parse errors, limits): 400, 405,
    // 413, 414, 431, 505. Always closes the connection.
    virtual void handle_error(unsigned status, response& out) = 0;
};

}  // namespace kade::http
