#pragma once
// Graceful drain: once draining, a connection that goes idle closes instead of waiting for
// another request (http::connection_observer::draining, through ops/observe.hpp), the handler
// tells keep-alive clients to close, and each worker closes the connections already idle
// (http::close_idle_connections).

namespace kade::ops {

// Process-wide: set once by begin_drain(), never cleared.
bool draining();
void begin_drain();

}  // namespace kade::ops
