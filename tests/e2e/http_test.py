"""HTTP rules of docs/http.md, black-box: raw sockets for every rule, curl as a real client for some.

    python3 tests/e2e/http_test.py --bin-dir build --source-dir .

One indexed site (the blog plus a post with a UTF-8 label), one server with short limits and
timeouts for most tests, and a second one with a small connection cap and other header names.
"""

import re
import socket
import subprocess
import threading
import time

import kade_e2e
from kade_e2e import decode_body, http_get, parse_response, raw_request, split_responses

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"
LABEL_POST = "/2014/02/ideeen-delen.html"
HOST = kade_e2e.HOST

EXTRA_POST = """+++
title = "Ideeën delen"
date = 2014-02-03T09:00:00+01:00
labels = ["ideeën", "samenwerken"]
slug = "ideeen-delen"
+++

Een tweede post, met een label dat niet in ASCII past.
"""

# Short limits so the limit tests stay small and fast.
LIMITS = {
    "header_timeout_ms": 400,
    "idle_timeout_ms": 400,
    "max_header_bytes": 2048,
    "max_uri_bytes": 512,
    "max_header_count": 20,
}


def request_bytes(path, headers=(), method="GET", version="HTTP/1.1", close=True):
    lines = [f"{method} {path} {version}", f"Host: {HOST}"]
    if close:
        lines.append("Connection: close")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def read_until_closed(sock, timeout):
    """Everything until the peer closes; (data, seconds until the close, closed?)."""
    start = time.monotonic()
    data = bytearray()
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return bytes(data), time.monotonic() - start, True
            data += chunk
    except ConnectionResetError:
        return bytes(data), time.monotonic() - start, True
    except socket.timeout:
        return bytes(data), time.monotonic() - start, False


class HttpTest(kade_e2e.KadeTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        content = cls.work_dir / "content"
        kade_e2e.copy_content(content)
        extra = content / "posts" / "2014" / "02" / "ideeen-delen.md"
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_text(EXTRA_POST, encoding="utf-8")
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml", index={"content": str(content)}, server=dict(LIMITS))
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)
        cls.port = cls.server.port
        # Same bundle; a connection cap of 3, renamed purge-key headers, no Server, HSTS on.
        other = kade_e2e.write_config(
            cls.work_dir / "other.toml", index={"content": str(content)},
            server={"max_connections": 3, "idle_timeout_ms": 5000},
            http={"server_header": "", "surrogate_key_header": "Edge-Key", "cache_tag_header": "",
                  "hsts": "max-age=31536000"})
        cls.other = cls.start_server(other, bundle=cls.work_dir / "site.kade")

    def get(self, path, headers=None, method="GET", port=None):
        return http_get(port or self.port, path, headers=headers, method=method)

    def raw(self, data, **kwargs):
        return parse_response(raw_request(self.port, data, **kwargs))

    def variant(self, accept_encoding):
        resp = self.get(POST, {"Accept-Encoding": accept_encoding})
        self.assertEqual(resp.status, 200, resp)
        return resp.headers.get("Content-Encoding", "identity")

    def sizes(self):
        return {enc: int(self.get(POST, {"Accept-Encoding": enc}).headers["Content-Length"])
                for enc in ("gzip", "identity")}

    # --- 1. representations: negotiation (RFC 9110 §12.5.3) ------------------------------

    def test_highest_q_wins(self):
        self.assertEqual(self.variant("identity;q=0.5, gzip;q=1"), "gzip")
        self.assertEqual(self.variant("gzip;q=0.2, identity;q=0.3"), "identity")
        self.assertEqual(self.variant("identity;q=1, gzip;q=0.9, zstd;q=0.8"), "identity")

    def test_equal_q_gives_the_smallest_variant(self):
        sizes = self.sizes()
        self.assertLess(sizes["gzip"], sizes["identity"])
        self.assertEqual(self.variant("gzip, identity"), "gzip")
        self.assertEqual(self.variant("identity;q=0.7, gzip;q=0.7"), "gzip")

    def test_pages_have_no_zstd_copy_so_zstd_clients_get_gzip_or_identity(self):
        # Every client that takes zstd takes gzip too (browsers, curl --compressed); one that
        # names only zstd gets identity, made from the gzip copy (bundle format 4).
        self.assertEqual(self.variant("gzip, deflate, br, zstd"), "gzip")
        self.assertEqual(self.variant("zstd;q=1, gzip;q=0.5"), "gzip")
        only = self.get(POST, {"Accept-Encoding": "zstd"})
        self.assertNotIn("Content-Encoding", only.headers)
        self.assertEqual(only.body, decode_body(self.get(POST, {"Accept-Encoding": "gzip"})))
        self.assertEqual(only.headers["ETag"], self.get(POST).headers["ETag"])

    def test_q_zero_excludes(self):
        self.assertEqual(self.variant("zstd;q=0, gzip"), "gzip")
        self.assertEqual(self.variant("zstd;q=0.000, gzip;q=0"), "identity")

    def test_star_covers_unlisted_codings(self):
        sizes = self.sizes()
        self.assertEqual(self.variant("*"), min(sizes, key=sizes.get))
        self.assertEqual(self.variant("gzip;q=0.5, *;q=0"), "gzip")
        self.assertEqual(self.variant("*;q=0, identity"), "identity")

    def test_no_or_empty_accept_encoding_gives_identity(self):
        self.assertEqual(self.variant(""), "identity")
        resp = raw_request(self.port, request_bytes(POST))
        self.assertNotIn("Content-Encoding", parse_response(resp).headers)

    def test_unknown_codings_fall_back_to_identity(self):
        self.assertEqual(self.variant("br, compress"), "identity")
        self.assertEqual(self.variant("x-gzip"), "gzip")

    def test_406_only_when_identity_is_refused_and_nothing_else_fits(self):
        for value in ("br, identity;q=0", "*;q=0", "gzip;q=0, zstd;q=0, identity;q=0"):
            resp = self.get(POST, {"Accept-Encoding": value})
            self.assertEqual(resp.status, 406, (value, resp))
            self.assertEqual(resp.headers.get("Vary"), "Accept-Encoding, Available-Dictionary")

    def test_repeated_accept_encoding_fields_form_one_list(self):
        data = request_bytes(POST, [("Accept-Encoding", "identity;q=0.1"), ("Accept-Encoding", "gzip")])
        self.assertEqual(parse_response(raw_request(self.port, data)).headers["Content-Encoding"], "gzip")

    def test_vary_and_distinct_strong_etags_on_every_variant(self):
        etags = set()
        for enc in ("gzip", "identity"):
            resp = self.get(POST, {"Accept-Encoding": enc})
            self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")
            self.assertRegex(resp.headers["ETag"], r'^"[0-9a-f]+"$')
            self.assertTrue(resp.headers["Last-Modified"].endswith(" GMT"))
            etags.add(resp.headers["ETag"])
        self.assertEqual(len(etags), 2)

    # --- 1. conditionals (RFC 9110 §13) -----------------------------------------------------

    def test_if_none_match_list_star_and_weak_give_304_with_vary(self):
        etag = self.get(POST, {"Accept-Encoding": "gzip"}).headers["ETag"]
        for value in (etag, f'"x", {etag}', "*", "W/" + etag):
            resp = self.get(POST, {"Accept-Encoding": "gzip", "If-None-Match": value})
            self.assertEqual(resp.status, 304, (value, resp))
            self.assertEqual(resp.body, b"")
            self.assertEqual(resp.headers["ETag"], etag)
            self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")
            self.assertIn("Cache-Control", resp.headers)

    def test_etag_of_another_encoding_does_not_match(self):
        gzip_etag = self.get(POST, {"Accept-Encoding": "gzip"}).headers["ETag"]
        resp = self.get(POST, {"Accept-Encoding": "identity", "If-None-Match": gzip_etag})
        self.assertEqual(resp.status, 200, resp)

    def test_if_modified_since_gives_304(self):
        last = self.get(POST).headers["Last-Modified"]
        self.assertEqual(self.get(POST, {"If-Modified-Since": last}).status, 304)
        self.assertEqual(self.get(POST, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status, 200)

    def test_if_none_match_decides_before_if_modified_since(self):
        last = self.get(POST).headers["Last-Modified"]
        resp = self.get(POST, {"If-None-Match": '"other"', "If-Modified-Since": last})
        self.assertEqual(resp.status, 200, resp)

    def test_head_equals_get_without_body(self):
        for path, headers in ((POST, {"Accept-Encoding": "identity"}), (POST, {}),
                              (POST, {"Accept-Encoding": "gzip"}), ("/bestaat-niet", {}),
                              ("/api/search?q=klant", {})):
            get = self.get(path, headers)
            head = self.get(path, headers, method="HEAD")
            self.assertEqual(head.status, get.status)
            self.assertEqual(head.body, b"")
            strip = lambda r: [(n, v) for n, v in r.headers.fields() if n.lower() != "date"]
            if path.startswith("/api/"):  # took_ms differs, so does the length
                strip = lambda r: [(n, v) for n, v in r.headers.fields()
                                   if n.lower() not in ("date", "content-length")]
            self.assertEqual(strip(head), strip(get), path)

    # --- 1. Range (RFC 9110 §14) ------------------------------------------------------------

    def test_single_range_gives_206_on_the_selected_variants_bytes(self):
        full = self.get(POST, {"Accept-Encoding": "gzip"})
        part = self.get(POST, {"Accept-Encoding": "gzip", "Range": "bytes=10-109"})
        self.assertEqual(part.status, 206, part)
        self.assertEqual(part.body, full.body[10:110])
        self.assertEqual(part.headers["Content-Range"], f"bytes 10-109/{len(full.body)}")
        self.assertEqual(part.headers["Content-Encoding"], "gzip")
        self.assertEqual(part.headers["ETag"], full.headers["ETag"])
        self.assertEqual(part.headers["Vary"], "Accept-Encoding, Available-Dictionary")
        self.assertEqual(full.headers["Accept-Ranges"], "bytes")

    def test_suffix_and_open_ranges(self):
        full = self.get(POST, {"Accept-Encoding": "identity"}).body
        self.assertEqual(self.get(POST, {"Accept-Encoding": "identity", "Range": "bytes=-7"}).body, full[-7:])
        self.assertEqual(self.get(POST, {"Accept-Encoding": "identity", "Range": "bytes=100-"}).body, full[100:])

    def test_if_range_with_current_etag_or_date_gives_206_else_200(self):
        full = self.get(POST, {"Accept-Encoding": "identity"})
        etag, date = full.headers["ETag"], full.headers["Last-Modified"]
        for value, status in ((etag, 206), (date, 206), ('"stale"', 200), ("W/" + etag, 200),
                              ("Sat, 01 Jan 2000 00:00:00 GMT", 200)):
            resp = self.get(POST, {"Accept-Encoding": "identity", "Range": "bytes=0-3", "If-Range": value})
            self.assertEqual(resp.status, status, value)
            self.assertEqual(len(resp.body), 4 if status == 206 else len(full.body))

    def test_unsatisfiable_range_gives_416_with_the_length(self):
        length = len(self.get(POST, {"Accept-Encoding": "gzip"}).body)
        resp = self.get(POST, {"Accept-Encoding": "gzip", "Range": f"bytes={length}-"})
        self.assertEqual(resp.status, 416, resp)
        self.assertEqual(resp.headers["Content-Range"], f"bytes */{length}")
        self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")

    def test_several_ranges_or_bad_ranges_give_the_whole_page(self):
        for value in ("bytes=0-1,5-6", "bytes=5-1", "lines=1-2", "bytes=x"):
            resp = self.get(POST, {"Range": value})
            self.assertEqual(resp.status, 200, value)
            self.assertNotIn("Content-Range", resp.headers)

    def test_range_is_ignored_on_head_and_after_a_304(self):
        head = self.get(POST, {"Range": "bytes=0-3"}, method="HEAD")
        self.assertEqual(head.status, 200)
        etag = self.get(POST).headers["ETag"]
        self.assertEqual(self.get(POST, {"Range": "bytes=0-3", "If-None-Match": etag}).status, 304)

    # --- 2. methods and connections ----------------------------------------------------------

    def test_options_gives_204_with_allow(self):
        for target in (POST, "*"):
            resp = self.raw(request_bytes(target, method="OPTIONS"))
            self.assertEqual(resp.status, 204, resp)
            self.assertEqual(resp.headers["Allow"], "GET, HEAD, OPTIONS")
            self.assertEqual(resp.body, b"")
            self.assertNotIn("Content-Length", resp.headers)  # RFC 9110 §8.6

    def test_other_methods_give_405_with_allow(self):
        for method in ("DELETE", "PUT", "PATCH", "TRACE", "BREW"):
            resp = self.raw(request_bytes(POST, method=method))
            self.assertEqual(resp.status, 405, method)
            self.assertEqual(resp.headers["Allow"], "GET, HEAD, OPTIONS")

    def test_http_1_0_closes_unless_keep_alive_is_asked(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(request_bytes(POST, version="HTTP/1.0", close=False))
            data, _, closed = read_until_closed(sock, 3)
        self.assertTrue(closed)
        self.assertEqual(parse_response(data).status, 200)
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(request_bytes("/healthz", [("Connection", "keep-alive")], version="HTTP/1.0",
                                       close=False))
            first = sock.recv(65536)
            self.assertIn(b"Connection: keep-alive", first)
            sock.sendall(request_bytes("/healthz", version="HTTP/1.0", close=False))
            data, _, closed = read_until_closed(sock, 3)
        self.assertTrue(closed)
        self.assertEqual(parse_response(data).status, 200)

    def test_pipelined_requests_are_answered_in_order(self):
        paths = [POST, "/healthz", "/bestaat-niet", "/", "/api/search?q=klant"]
        data = b"".join(request_bytes(p, close=False) for p in paths) + request_bytes("/robots.txt")
        responses = split_responses(raw_request(self.port, data, until_close=True))
        self.assertEqual([r.status for r in responses], [200, 200, 404, 200, 200, 200])
        self.assertIn(b"Doen waar je NIET", decode_body(responses[0]))
        self.assertTrue(responses[1].body.startswith(b"ok"))
        self.assertIn(b"User-agent", responses[5].body)

    def test_keep_alive_serves_several_requests_and_connection_close_ends_it(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            for _ in range(3):
                sock.sendall(request_bytes("/healthz", close=False))
                self.assertEqual(parse_response(sock.recv(65536)).status, 200)
            sock.sendall(request_bytes("/healthz"))
            data, seconds, closed = read_until_closed(sock, 3)
        self.assertTrue(closed)
        self.assertLess(seconds, 1)
        self.assertEqual(parse_response(data).headers["Connection"], "close")

    def test_body_is_refused_with_413_without_being_read(self):
        # A large body sent in full: the 413 must still arrive intact (lingering close).
        body = b"x" * 300_000
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(request_bytes(POST, [("Content-Length", str(len(body)))], method="GET",
                                       close=False))
            sender = threading.Thread(target=lambda: _send_quietly(sock, body))
            sender.start()
            data, _, closed = read_until_closed(sock, 5)
            sender.join(5)
        self.assertTrue(closed)
        self.assertEqual(parse_response(data).status, 413)

    def test_refused_body_sent_after_the_413_is_drained_not_reset(self):
        # Lingering close: the server half-closes and reads what still comes, so a client
        # that goes on sending its body sees no reset (which could destroy the 413 in flight).
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(request_bytes(POST, [("Content-Length", "131072")], close=False))
            data, _, closed = read_until_closed(sock, 3)
            self.assertTrue(closed)
            self.assertEqual(parse_response(data).status, 413)
            for _ in range(8):
                time.sleep(0.02)
                sock.sendall(b"x" * 16384)  # raises on a reset

    def test_chunked_or_announced_body_is_413_and_the_connection_closes(self):
        for headers in ([("Transfer-Encoding", "chunked")], [("Content-Length", "10")]):
            with socket.create_connection((HOST, self.port), timeout=5) as sock:
                sock.sendall(request_bytes(POST, headers, method="GET", close=False))
                data, seconds, closed = read_until_closed(sock, 3)
            self.assertTrue(closed, headers)
            self.assertLess(seconds, 2.5)
            resp = parse_response(data)
            self.assertEqual(resp.status, 413, headers)
            self.assertEqual(resp.headers["Connection"], "close")

    def test_post_with_a_body_is_405_with_allow_like_one_without(self):
        for headers in ([("Transfer-Encoding", "chunked")], [("Content-Length", "10")], []):
            with socket.create_connection((HOST, self.port), timeout=5) as sock:
                sock.sendall(request_bytes(POST, headers, method="POST", close=not headers))
                data, _, closed = read_until_closed(sock, 3)
            self.assertTrue(closed, headers)
            resp = parse_response(data)
            self.assertEqual(resp.status, 405, headers)
            self.assertEqual(resp.headers["Allow"], "GET, HEAD, OPTIONS", headers)

    def test_transfer_encoding_not_ending_in_chunked_is_400_and_nothing_more_is_read(self):
        # Request smuggling (RFC 9112 §6.3): were such a head taken as a request without a body,
        # the bytes after it would be answered as a second request; a proxy in front that reads
        # them as the body would then pair the wrong responses with its clients' requests.
        smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        for version in (b"HTTP/1.1", b"HTTP/1.0"):
            for value in (b"gzip", b"identity", b"xchunked", b"chunked, gzip", b'"chunked"', b"",
                          b","):
                head = (b"GET / " + version + b"\r\nHost: x\r\nTransfer-Encoding: " + value +
                        b"\r\n\r\n")
                responses = split_responses(raw_request(self.port, head + smuggled,
                                                        until_close=True))
                self.assertEqual([r.status for r in responses], [400], (version, value))
                self.assertEqual(responses[0].headers["Connection"], "close", (version, value))
        # HTTP/1.0 knows no transfer codings, so even chunked is faulty framing there (§6.1).
        resp = self.raw(b"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", until_close=True)
        self.assertEqual(resp.status, 400)

    def test_invalid_host_is_400(self):
        # RFC 9112 §3.2: host [":" port] of RFC 3986; an empty Host is valid.
        for host in ("a b", "a, b", "a/b", "a:b", "[::1"):
            resp = self.raw(request_bytes(POST, method="GET").replace(
                f"Host: {HOST}".encode(), f"Host: {host}".encode()), until_close=True)
            self.assertEqual(resp.status, 400, host)
        for host in ("", "example.org:8080", "[::1]:80"):
            resp = self.raw(request_bytes(POST, method="GET").replace(
                f"Host: {HOST}".encode(), f"Host: {host}".encode()), until_close=True)
            self.assertEqual(resp.status, 200, host)

    # --- 3. targets ---------------------------------------------------------------------------

    def test_percent_decoding_happens_once(self):
        self.assertEqual(self.get(POST.replace(".html", "%252Ehtml")).status, 404)

    def test_non_canonical_paths_redirect_to_the_canonical_one(self):
        # Each spelling would be a cache entry of its own at the CDN (issue 20, item 6).
        for path in ("//2014//01//doen-waar-je-niet-goed-in-bent.html",
                     "/2014/./01/doen-waar-je-niet-goed-in-bent.html",
                     "/%2e/2014/01/doen-waar-je-niet-goed-in-bent.html",
                     "/2014%2f01/doen-waar-je-niet-goed-in-bent.html",
                     POST.replace(".html", "%2Ehtml")):
            resp = self.get(path)
            self.assertEqual(resp.status, 301, path)
            self.assertEqual(resp.headers["Location"], POST, path)
            self.assertIn("post-", resp.headers["Surrogate-Key"])
        resp = self.get("//feeds/posts/default?alt=rss")
        self.assertEqual(resp.status, 301)
        self.assertEqual(resp.headers["Location"], "/feeds/posts/default?alt=rss")
        self.assertEqual(self.get(resp.headers["Location"]).status, 200)

    def test_dot_dot_nul_and_bad_utf8_are_400(self):
        for path in ("/2014/../2014/01/", "/2014/%2e%2E/x", "/a%00b", "/a%C3%28", "/a%FF", "/%zz"):
            self.assertEqual(self.get(path).status, 400, path)
        resp = self.raw(b"GET /a\x00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(resp.status, 400)

    def test_malformed_or_ambiguous_heads_are_refused_and_the_connection_closed(self):
        # What a proxy in front could read differently: bare LF, obs-fold, space before the
        # colon, a second Host, both body framings; and HTTP/1.1 without Host.
        for head in (b"GET / HTTP/1.1\nHost: x\n\n",
                     b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n",
                     b"GET / HTTP/1.1\r\n\r\n"):
            resp = self.raw(head, until_close=True)
            self.assertEqual(resp.status, 400, head)
            self.assertEqual(resp.headers.get("Connection"), "close", head)

    def test_other_http_versions_are_505_and_empty_lines_before_a_request_are_skipped(self):
        self.assertEqual(self.raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", until_close=True).status,
                         505)
        resp = self.raw(b"\r\n\r\nGET " + POST.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                        b"Connection: close\r\n\r\n", until_close=True)
        self.assertEqual(resp.status, 200)

    def test_archive_without_slash_redirects_301(self):
        resp = self.get("/2014/01")
        self.assertEqual(resp.status, 301, resp)
        self.assertEqual(resp.headers["Location"], "/2014/01/")
        self.assertIn("Cache-Control", resp.headers)

    def test_blogger_mobile_switch_serves_the_same_page(self):
        plain = self.get(POST, {"Accept-Encoding": "gzip"})
        for query in ("?m=0", "?m=1", "?m=1&m=0"):
            resp = self.get(POST + query, {"Accept-Encoding": "gzip"})
            self.assertEqual(resp.status, 200, query)
            self.assertEqual(resp.body, plain.body, query)
            self.assertEqual(resp.headers["ETag"], plain.headers["ETag"])

    def test_unknown_query_redirects_to_the_canonical_url(self):
        for query in ("?utm_source=x", "?m=2", "?m=1&fbclid=abc", "?%zz"):
            resp = self.get(POST + query)
            self.assertEqual(resp.status, 301, query)
            self.assertEqual(resp.headers["Location"], POST)
            self.assertIn("post-", resp.headers["Surrogate-Key"])

    def test_label_urls_take_utf8(self):
        resp = self.get("/search/label/idee%C3%ABn")
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(LABEL_POST, decode_body(resp).decode())
        self.assertIn("label-", resp.headers["Surrogate-Key"])

    # --- 4. limits ----------------------------------------------------------------------------

    def test_header_block_over_the_limit_is_431(self):
        resp = self.raw(request_bytes(POST, [("X-Big", "a" * 3000)]))
        self.assertEqual(resp.status, 431, resp)

    def test_too_many_header_fields_is_431(self):
        headers = [(f"X-Field-{i}", "1") for i in range(25)]
        self.assertEqual(self.raw(request_bytes(POST, headers)).status, 431)
        headers = [(f"X-Field-{i}", "1") for i in range(15)]
        self.assertEqual(self.raw(request_bytes(POST, headers)).status, 200)

    def test_long_uri_is_414(self):
        self.assertEqual(self.raw(request_bytes("/" + "a" * 600)).status, 414)
        self.assertEqual(self.raw(request_bytes("/" + "a" * 3000)).status, 414)

    def test_slow_header_is_cut_off_by_the_header_timeout(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            for _ in range(3):  # trickling does not extend the deadline
                time.sleep(0.1)
                sock.sendall(b"X-A: b\r\n")
            _, seconds, closed = read_until_closed(sock, 3)
        self.assertTrue(closed)
        self.assertLess(seconds, 1.5)

    def test_idle_keep_alive_connection_is_closed_after_the_idle_timeout(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(request_bytes("/healthz", close=False))
            self.assertEqual(parse_response(sock.recv(65536)).status, 200)
            _, seconds, closed = read_until_closed(sock, 3)
        self.assertTrue(closed)
        self.assertGreater(seconds, 0.2)
        self.assertLess(seconds, 1.5)

    def test_excess_connections_are_refused_quickly_and_the_others_keep_working(self):
        port = self.other.port
        held = [socket.create_connection((HOST, port), timeout=5) for _ in range(3)]
        try:
            for sock in held:  # each one is a live session now
                sock.sendall(request_bytes("/healthz", close=False))
                self.assertEqual(parse_response(sock.recv(65536)).status, 200)
            with socket.create_connection((HOST, port), timeout=5) as extra:
                extra.sendall(request_bytes("/healthz"))
                data, seconds, closed = read_until_closed(extra, 3)
            self.assertTrue(closed)
            self.assertEqual(data, b"")
            self.assertLess(seconds, 1)
            for sock in held:
                sock.sendall(request_bytes("/healthz", close=False))
                self.assertEqual(parse_response(sock.recv(65536)).status, 200)
        finally:
            for sock in held:
                sock.close()
        # Once they are gone, new connections are served again.
        deadline = time.monotonic() + 3
        while True:
            try:
                if http_get(port, "/healthz", timeout=1).status == 200:
                    break
            except (OSError, ValueError):
                pass
            self.assertLess(time.monotonic(), deadline, "still refused after the others closed")
            time.sleep(0.05)

    # --- 5. cache policy and purge keys -----------------------------------------------------

    def test_pages_are_short_lived_for_browsers_and_longer_for_cdns(self):
        resp = self.get(POST)
        cc, cdn = resp.headers["Cache-Control"], resp.headers["CDN-Cache-Control"]
        self.assertRegex(cc, r"max-age=\d+")
        for directive in ("stale-while-revalidate=", "stale-if-error="):
            self.assertIn(directive, cc)
            self.assertIn(directive, cdn)
        self.assertNotIn("s-maxage", cc)  # it implies proxy-revalidate (RFC 9111 §5.2.2.10)

    def test_fingerprinted_assets_are_immutable_for_a_year(self):
        page = decode_body(self.get("/")).decode()
        asset = re.search(r'href="(/static/[^"]+\.[0-9a-f]{8,}\.css)"', page).group(1)
        resp = self.get(asset)
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers["Cache-Control"], "public, max-age=31536000, immutable")

    def test_search_errors_health_and_metrics_have_their_own_policy(self):
        self.assertEqual(self.get("/api/search?q=klant").headers["Cache-Control"], "public, max-age=60")
        self.assertEqual(self.get("/bestaat-niet").headers["Cache-Control"], "public, max-age=10")
        self.assertEqual(self.get("/healthz").headers["Cache-Control"], "no-store")
        self.assertEqual(self.get("/metrics").headers["Cache-Control"], "no-store")

    def test_purge_keys_name_the_content_and_the_bundle_generation(self):
        build = decode_body(self.get("/healthz")).decode().split()[1]
        generation = "bundle-" + build[:12]
        expected = {POST: "post-", "/": "home", "/feeds/posts/default": "feed", "/2014/": "archive-",
                    "/search/label/samenwerken": "label-", "/api/search?q=klant": "search",
                    "/search?q=klant": "search", "/bestaat-niet": generation}
        for path, key in expected.items():
            resp = self.get(path)
            keys = resp.headers["Surrogate-Key"].split(" ")
            self.assertIn(generation, keys, path)
            self.assertTrue(any(k.startswith(key) for k in keys), (path, keys))
            self.assertEqual(resp.headers["Cache-Tag"].split(","), keys, path)

    def test_post_keys_reach_every_page_that_shows_the_post(self):
        post_key = next(k for k in self.get(POST).headers["Surrogate-Key"].split() if k.startswith("post-"))
        for path in ("/", "/feeds/posts/default", "/2014/01/", "/search/label/ondernemen"):
            self.assertIn(post_key, self.get(path).headers["Surrogate-Key"].split(), path)

    def test_purge_key_header_names_are_configurable(self):
        resp = self.get(POST, port=self.other.port)
        self.assertIn("post-", resp.headers["Edge-Key"])
        self.assertNotIn("Surrogate-Key", resp.headers)
        self.assertNotIn("Cache-Tag", resp.headers)

    # --- 6. security headers ------------------------------------------------------------------

    def test_html_has_csp_without_unsafe_inline_nosniff_and_referrer_policy(self):
        for path in (POST, "/", "/bestaat-niet", "/search?q=klant"):
            resp = self.get(path)
            csp = resp.headers["Content-Security-Policy"]
            self.assertIn("default-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertEqual(resp.headers["X-Content-Type-Options"], "nosniff")
            self.assertIn("Referrer-Policy", resp.headers)

    def test_server_header_and_hsts_follow_the_config(self):
        resp = self.get(POST)
        self.assertEqual(resp.headers["Server"], "kade")
        self.assertNotIn("Strict-Transport-Security", resp.headers)
        resp = self.get(POST, port=self.other.port)
        self.assertNotIn("Server", resp.headers)
        self.assertEqual(resp.headers["Strict-Transport-Security"], "max-age=31536000")

    # --- curl, a real client ------------------------------------------------------------------

    def curl(self, *args):
        result = subprocess.run(["curl", "-sS", "--max-time", "5", *args], capture_output=True,
                                timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def test_curl_compressed_gets_the_page(self):
        out = self.curl("--compressed", self.url(POST)).stdout.decode()
        self.assertIn("Doen waar je NIET goed in bent", out)

    def test_curl_range_and_resume(self):
        full = self.curl(self.url(POST)).stdout
        self.assertEqual(self.curl("-r", "0-99", self.url(POST)).stdout, full[:100])
        part = self.work_dir / "partial.html"
        part.write_bytes(full[:1000])
        self.curl("-C", "-", "-o", str(part), self.url(POST))
        self.assertEqual(part.read_bytes(), full)

    def test_curl_if_modified_since_and_http_1_0(self):
        code = self.curl("-o", "/dev/null", "-w", "%{http_code}", "-z",
                         "Fri, 01 Jan 2100 00:00:00 GMT", self.url(POST)).stdout
        self.assertEqual(code, b"304")
        code = self.curl("-0", "-o", "/dev/null", "-w", "%{http_code}", self.url(POST)).stdout
        self.assertEqual(code, b"200")

    def test_curl_reuses_the_connection(self):
        result = self.curl("-v", "-o", "/dev/null", "-o", "/dev/null", self.url(POST), self.url("/"))
        self.assertIn(b"Re-using existing connection", result.stderr)


def _send_quietly(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass  # the server may stop reading, as it should


if __name__ == "__main__":
    kade_e2e.main()
