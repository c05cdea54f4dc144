-- wrk script for the soak: a mix of pages, negotiated encodings, 304s and searches.
local requests = {}
local paths = {
  {"/", "gzip"},
  {"/2014/01/doen-waar-je-niet-goed-in-bent.html", "zstd"},
  {"/2014/01/doen-waar-je-niet-goed-in-bent.html", "gzip, deflate"},
  {"/2014/01/doen-waar-je-niet-goed-in-bent.html", "identity"},
  {"/api/search?q=klanten", "gzip"},
  {"/search?q=samenwerken", "gzip"},
  {"/robots.txt", "gzip"},
  {"/healthz", "identity"},
}
local n = 0

init = function(args)
  for i, p in ipairs(paths) do
    requests[i] = wrk.format("GET", p[1], {["Accept-Encoding"] = p[2], ["Host"] = "127.0.0.1"})
  end
end

request = function()
  n = n + 1
  return requests[(n % #requests) + 1]
end
