"""Walking skeleton, end to end: index the real blog, serve it, and ask what a browser, a CDN
and the search box would ask.

    python3 tests/e2e/skeleton_test.py --bin-dir build --source-dir .
"""

import json
import re
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, decode_text, http_get, raw_request

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"

# Accept-Encoding values that each select exactly one variant. "identity" rather than no
# header at all: without Accept-Encoding any coding is acceptable (RFC 9110 §12.5.3).
ENCODINGS = ("gzip", "identity")


class ServedBlogTest(kade_e2e.KadeTestCase):
    """The blog in content/, indexed into a bundle in a temp dir and served on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = kade_e2e.write_config(cls.work_dir / "kade.toml")
        kade_e2e.check_index(cls.config, content=kade_e2e.source_path("content"),
                             out=cls.work_dir / "site.kade")
        cls.server = cls.start_server(cls.config)

    def get(self, path, headers=None, method="GET"):
        return http_get(self.server.port, path, headers=headers, method=method)

    def get_post(self, encoding, headers=None):
        """The post page requested with Accept-Encoding: encoding (plus any extra headers)."""
        return self.get(POST, {"Accept-Encoding": encoding, **(headers or {})})

    def post_variants(self):
        """The post page in each encoding, all checked to be 200 first."""
        variants = {encoding: self.get_post(encoding) for encoding in ENCODINGS}
        for name, resp in variants.items():
            self.assertEqual(resp.status, 200, f"{name}: {resp!r}")
        return variants

    def search(self, query_string):
        """GET /api/search?query_string → (response, parsed JSON)."""
        resp = self.get(f"/api/search?{query_string}")
        return resp, json.loads(decode_body(resp))

    def assert_search_finds_the_post(self, q):
        resp, data = self.search(f"q={q}")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(data["query"], urllib.parse.unquote(q))
        self.assertEqual(data["page"], 1)
        self.assertIsInstance(data["per_page"], int)
        self.assertGreaterEqual(data["total"], 1)
        self.assertIsInstance(data["took_ms"], (int, float))
        self.assertNotIsInstance(data["took_ms"], bool)
        self.assertIn("suggestion", data)
        self.assertIsInstance(data["results"], list)
        self.assertGreaterEqual(len(data["results"]), 1, data)
        first = data["results"][0]
        self.assertEqual(first["url"], POST)
        self.assertIn("title", first)
        self.assertEqual(first["date"], "2014-01-02")
        self.assertIsInstance(first["labels"], list)
        self.assertIn("<mark>", first["snippet"])
        return first

    def assert_strong_etag(self, etag):
        self.assertRegex(etag, r'^"[^"]*"$', "a strong ETag is quoted and has no W/")

    # --- the post page -------------------------------------------------------------------

    def test_post_page_is_html_in_utf8(self):
        resp = self.get_post("identity")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.headers["Content-Type"], "text/html; charset=utf-8")

    def test_post_page_comes_as_gzip_or_identity_as_asked(self):
        variants = self.post_variants()
        self.assertEqual(variants["gzip"].headers["Content-Encoding"], "gzip")
        self.assertNotIn("Content-Encoding", variants["identity"].headers)

    def test_post_page_decodes_to_the_same_bytes_in_every_encoding(self):
        variants = self.post_variants()
        identity = variants["identity"].body
        self.assertEqual(decode_body(variants["gzip"]), identity)

    def test_post_page_contains_its_title(self):
        page = decode_text(self.get_post("identity"))
        self.assertIn("Doen waar je NIET goed in bent", page)
        self.assertIn("Logisch toch?!", page)

    def test_every_variant_varies_on_accept_encoding_and_the_dictionary(self):
        for name, resp in self.post_variants().items():
            self.assertEqual(resp.headers.get("Vary"), "Accept-Encoding, Available-Dictionary", name)

    def test_every_variant_has_its_own_strong_etag(self):
        etags = {name: resp.headers["ETag"] for name, resp in self.post_variants().items()}
        for etag in etags.values():
            self.assert_strong_etag(etag)
        self.assertEqual(len(set(etags.values())), 2, etags)

    def test_every_variant_has_last_modified_and_cache_control(self):
        for name, resp in self.post_variants().items():
            self.assertTrue(resp.headers.get("Last-Modified"), name)
            self.assertTrue(resp.headers.get("Cache-Control"), name)

    def test_matching_if_none_match_gives_304_without_body(self):
        etag = self.get_post("gzip").headers["ETag"]
        resp = self.get_post("gzip", {"If-None-Match": etag})
        self.assertEqual(resp.status, 304, resp)
        self.assertEqual(resp.body, b"")
        self.assertEqual(resp.headers.get("ETag"), etag)

    def test_non_matching_if_none_match_gives_200(self):
        resp = self.get_post("gzip", {"If-None-Match": '"not-this-one"'})
        self.assertEqual(resp.status, 200, resp)

    def test_head_has_the_same_headers_as_get_and_no_body(self):
        get = self.get_post("gzip")
        head = self.get(POST, {"Accept-Encoding": "gzip"}, method="HEAD")
        self.assertEqual(head.status, 200, head)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers["Content-Length"], get.headers["Content-Length"])
        # Date may tick over between the two requests; every other field must match.
        self.assertEqual({name: head.headers.get_all(name) for name in head.headers if name != "date"},
                         {name: get.headers.get_all(name) for name in get.headers if name != "date"})

    # --- errors --------------------------------------------------------------------------

    def test_unknown_path_gives_the_blogs_dutch_404_page(self):
        resp = self.get("/2014/01/bestaat-niet.html")
        self.assertEqual(resp.status, 404, resp)
        self.assertTrue(resp.headers["Content-Type"].startswith("text/html"))
        self.assertIn("Pagina niet gevonden", decode_text(resp))

    def test_post_method_is_refused_with_405_and_allow(self):
        resp = self.get(POST, {"Content-Length": "0"}, method="POST")
        self.assertEqual(resp.status, 405, resp)
        allowed = {method.strip() for method in resp.headers["Allow"].split(",")}
        self.assertLessEqual({"GET", "HEAD"}, allowed)

    def test_dot_dot_segment_is_refused_with_400(self):
        data = "GET /a/../b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        resp = kade_e2e.parse_response(raw_request(self.server.port, data))
        self.assertEqual(resp.status, 400, resp)

    def test_a_header_block_larger_than_the_first_read_buffer_is_read_whole(self):
        # 6,000 bytes of header: more than a connection's first buffer (4 KiB), less than
        # server.max_header_bytes (8 KiB); a small request pipelined right behind it.
        big = (f"GET {POST} HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 6000}\r\n\r\n").encode()
        small = f"GET {POST} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        data = raw_request(self.server.port, big + small, until_close=True)
        self.assertEqual(data.count(b"HTTP/1.1 200 OK\r\n"), 2, data[:300])

    def test_percent_encoded_nul_is_refused_with_400(self):
        resp = self.get("/2014/01/doen%00.html")
        self.assertEqual(resp.status, 400, resp)

    # --- search --------------------------------------------------------------------------

    def test_api_search_finds_leveranciers_by_its_stem(self):
        self.assert_search_finds_the_post("leveranciers")

    def test_api_search_finds_klanten_by_its_stem(self):
        self.assert_search_finds_the_post("klanten")

    def test_api_search_finds_echt_without_its_accent(self):
        self.assert_search_finds_the_post("echt")

    def test_api_search_takes_percent_encoded_utf8(self):
        self.assert_search_finds_the_post("%C3%A9cht")

    def test_api_search_snippet_escapes_everything_but_mark(self):
        snippet = self.assert_search_finds_the_post("klanten")["snippet"]
        self.assertNotIn("<", snippet.replace("<mark>", "").replace("</mark>", ""))

    def test_api_search_without_matches_is_empty(self):
        resp, data = self.search("q=zzzzqqq")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(data["total"], 0)
        self.assertEqual(data["results"], [])

    def test_api_search_refuses_page_zero_with_a_json_error(self):
        resp, data = self.search("page=0&q=x")
        self.assertEqual(resp.status, 400, resp)
        self.assertIn("error", data)

    def test_search_page_lists_the_post_in_html(self):
        resp = self.get("/search?q=klanten")
        self.assertEqual(resp.status, 200, resp)
        self.assertTrue(resp.headers["Content-Type"].startswith("text/html"))
        self.assertIn(POST, decode_text(resp))

    # --- other pages ---------------------------------------------------------------------

    def test_healthz_is_ok_and_never_cached(self):
        resp = self.get("/healthz")
        self.assertEqual(resp.status, 200, resp)
        self.assertRegex(decode_body(resp).decode(), r"^ok [0-9a-f]{32} (verifying|verified)\n$")
        self.assertEqual(resp.headers.get("Cache-Control"), "no-store")

    def test_home_page_links_to_the_post(self):
        resp = self.get("/")
        self.assertEqual(resp.status, 200, resp)
        self.assertTrue(resp.headers["Content-Type"].startswith("text/html"))
        self.assertRegex(decode_text(resp), r"""href=["']?[^"'>\s]*""" + re.escape(POST))


class BadContentTest(kade_e2e.KadeTestCase):
    """kade-index on a post without a title: a FILE:LINE: diagnostic, and the old bundle stays."""

    GOOD_POST = ('+++\ntitle = "Een goede post"\ndate = 2014-01-02T10:00:00+01:00\n+++\n\n'
                 "Gewoon een alinea tekst.\n")
    UNTITLED_POST = "+++\ndate = 2014-01-03T10:00:00+01:00\n+++\n\nGeen titel hier.\n"

    def write_post(self, content, name, text):
        path = content / "posts" / "2014" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def test_post_without_title_fails_with_file_and_line_and_keeps_the_old_bundle(self):
        content = self.work_dir / "content"
        (content / "static").mkdir(parents=True)
        self.write_post(content, "goed.md", self.GOOD_POST)
        config = kade_e2e.write_config(self.work_dir / "kade.toml")
        bundle = self.work_dir / "site.kade"
        kade_e2e.check_index(config, content=content, out=bundle)
        before = bundle.read_bytes()

        self.write_post(content, "zonder-titel.md", self.UNTITLED_POST)
        result = kade_e2e.run_index(config, content=content, out=bundle)

        self.assertGreater(result.returncode, 0, result)
        self.assertRegex(result.stderr, r"zonder-titel\.md:\d+: ")
        self.assertEqual(bundle.read_bytes(), before, "the previous bundle must stay untouched")


if __name__ == "__main__":
    kade_e2e.main()
