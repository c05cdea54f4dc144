"""Compression dictionary transport (RFC 9842), black-box: the fixture blog indexed with a
dictionary, served, and read as Chrome reads it once it holds the dictionary.

    python3 tests/e2e/dcz_test.py --bin-dir build --source-dir .

The dcz bodies are decoded by the zstd tool with the dictionary the server served, as raw
content, exactly as a browser does.
"""

import base64
import hashlib
import re
import subprocess
import tempfile

import kade_e2e
from kade_e2e import http_get

POST_PATTERN = re.compile(r'<a href="(/20\d\d/\d\d/[^"#]+\.html)"')
LINK = re.compile(r'<link rel="compression-dictionary" href="(/static/dict-([0-9a-f]{16})\.dict)">')
CHROME = "gzip, deflate, br, zstd, dcz"


def sf_binary(digest: bytes) -> str:
    return ":" + base64.b64encode(digest).decode() + ":"


def decode_dcz(body: bytes, dictionary: bytes) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".dict") as f:
        f.write(dictionary)
        f.flush()
        result = subprocess.run(["zstd", "-dcq", "-D", f.name], input=body[40:],
                                capture_output=True, timeout=10)
    if result.returncode != 0:
        raise AssertionError(f"zstd cannot decode: {result.stderr.decode(errors='replace')}")
    return result.stdout


class DczTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        content = kade_e2e.fixture_site()
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml",
            index={"content": str(content), "dictionary_bytes": 16384, "dcz_level": 19})
        cls.index = kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)
        cls.port = cls.server.port
        home = http_get(cls.port, "/").body.decode()
        cls.posts = sorted(set(POST_PATTERN.findall(home)))
        link = LINK.search(home)
        assert link, "the home page announces no dictionary"
        cls.dict_path, cls.dict_id = link.group(1), link.group(2)
        cls.dictionary = http_get(cls.port, cls.dict_path).body
        cls.digest = hashlib.sha256(cls.dictionary).digest()

    def get(self, path, accept=CHROME, available=None, **extra):
        headers = {"Accept-Encoding": accept}
        if available is not None:
            headers["Available-Dictionary"] = available
        headers.update(extra)
        return http_get(self.port, path, headers)

    def test_every_page_links_the_dictionary(self):
        for path in ["/", self.posts[0], "/labels/", "/search?q=klant"]:
            body = http_get(self.port, path).body.decode()
            self.assertIn(f'<link rel="compression-dictionary" href="{self.dict_path}">', body,
                          path)

    def test_dictionary_is_named_by_its_hash_and_cached_for_good(self):
        resp = http_get(self.port, self.dict_path, {"Accept-Encoding": "gzip"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(self.digest.hex()[:16], self.dict_id)
        self.assertLessEqual(len(self.dictionary), 16384)
        self.assertEqual(resp.headers["Use-As-Dictionary"],
                         f'match="/*", match-dest=("document"), id="{self.dict_id}"')
        self.assertIn("immutable", resp.headers["Cache-Control"])
        self.assertIn("dictionary", resp.headers["Surrogate-Key"].split())
        self.assertEqual(kade_e2e.decode_body(resp), self.dictionary)

    def test_client_with_the_dictionary_gets_dcz_that_decodes_to_the_page(self):
        ours = sf_binary(self.digest)
        for path in self.posts[:5] + ["/"]:
            plain = self.get(path, accept="identity")
            resp = self.get(path, available=ours)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.headers["Content-Encoding"], "dcz", path)
            self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")
            self.assertEqual(resp.body[:8], bytes([0x5E, 0x2A, 0x4D, 0x18, 0x20, 0, 0, 0]))
            self.assertEqual(resp.body[8:40], self.digest)
            self.assertEqual(decode_dcz(resp.body, self.dictionary), plain.body, path)
            gzip = self.get(path, accept="gzip", available=ours)
            self.assertLess(len(resp.body), len(gzip.body), path)
            self.assertNotEqual(resp.headers["ETag"], gzip.headers["ETag"])

    def test_unknown_dictionary_falls_back_to_gzip_with_the_same_vary(self):
        # Pages have no zstd copy (bundle format 4): Chrome without our dictionary gets gzip.
        other = sf_binary(hashlib.sha256(b"the previous bundle's dictionary").digest())
        for available in [other, None, "not a byte sequence"]:
            resp = self.get(self.posts[0], available=available)
            self.assertEqual(resp.headers["Content-Encoding"], "gzip", available)
            self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")

    def test_dcz_revalidates_and_ranges_on_its_own_bytes(self):
        ours = sf_binary(self.digest)
        full = self.get(self.posts[1], available=ours)
        tag = full.headers["ETag"]
        self.assertEqual(self.get(self.posts[1], available=ours, **{"If-None-Match": tag}).status,
                         304)
        part = self.get(self.posts[1], available=ours, Range="bytes=0-39")
        self.assertEqual(part.status, 206)
        self.assertEqual(part.headers["Content-Encoding"], "dcz")
        self.assertEqual(part.body, full.body[:40])
        self.assertEqual(part.headers["Content-Range"], f"bytes 0-39/{len(full.body)}")

    def test_search_answers_are_compressed_on_the_fly_when_asked(self):
        ours = sf_binary(self.digest)
        plain_html = self.get("/search?q=klant", accept="identity")
        plain_json = self.get("/api/search?q=de&per_page=20", accept="identity")
        self.assertGreater(len(plain_html.body), 1024)
        self.assertGreater(len(plain_json.body), 1024)
        self.assertNotIn("Content-Encoding", plain_html.headers)
        for accept, available, coding in [("gzip", None, "gzip"), ("gzip, zstd", None, "zstd"),
                                          (CHROME, ours, "dcz"), (CHROME, None, "zstd")]:
            for plain, path in [(plain_html, "/search?q=klant"), (plain_json, "/api/search?q=de&per_page=20")]:
                resp = self.get(path, accept=accept, available=available)
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.headers.get("Content-Encoding"), coding, (path, accept))
                self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")
                body = (decode_dcz(resp.body, self.dictionary) if coding == "dcz"
                        else kade_e2e.decode_body(resp))
                # took_ms differs per request (a cached result says so too).
                strip = lambda b: re.sub(rb'"took_ms": [0-9.]+', b"", b)
                self.assertEqual(strip(body), strip(plain.body), (path, accept))
                self.assertEqual(int(resp.headers["Content-Length"]), len(resp.body))
        # Small answers (a 400 here) are not worth the CPU.
        small = self.get("/api/search?page=x", accept="gzip")
        self.assertEqual(small.status, 400)
        self.assertNotIn("Content-Encoding", small.headers)

    def test_same_content_gives_the_same_dictionary(self):
        again = kade_e2e.run_index(self.config, out=self.work_dir / "again.kade")
        self.assertEqual(again.returncode, 0, again.stderr)
        first = re.search(r"build id\s+(\w+)", self.index.stdout).group(1)
        second = re.search(r"build id\s+(\w+)", again.stdout).group(1)
        self.assertEqual(first, second)
        self.assertRegex(self.index.stdout, r"dictionary\s+1[0-6] KiB")

    def test_a_new_build_keeps_the_dictionary_unless_told_otherwise(self):
        content = self.work_dir / "keep" / "content"
        kade_e2e.copy_content(content, kade_e2e.fixture_site())
        config = kade_e2e.write_config(self.work_dir / "keep" / "kade.toml",
                                       index={"content": str(content), "dictionary_bytes": 16384})
        first = kade_e2e.check_index(config)
        self.assertIn("(trained)", first.stdout)
        post = sorted((content / "posts").rglob("*.md"))[3]
        post.write_text(post.read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n",
                        encoding="utf-8")
        kept = kade_e2e.check_index(config)
        self.assertIn("(kept from the previous bundle)", kept.stdout)
        fresh = kade_e2e.run_index(config, extra_args=("--new-dictionary",))
        self.assertEqual(fresh.returncode, 0, fresh.stderr)
        self.assertIn("(trained)", fresh.stdout)
        # Trained afresh over the old bundle = trained for a new path: the same dictionary and
        # pages. The search database differs in layout only: the first was updated in place.
        elsewhere_bundle = self.work_dir / "keep" / "elsewhere.kade"
        elsewhere = kade_e2e.run_index(config, out=elsewhere_bundle)
        self.assertIn("(trained)", elsewhere.stdout)
        diff = kade_e2e.run_index(config, extra_args=(
            "--diff", str(self.work_dir / "keep" / "site.kade"), str(elsewhere_bundle)))
        self.assertEqual(diff.returncode, 0, diff.stderr)
        self.assertLessEqual(set(diff.stdout.split()), {"search"}, diff.stdout)

    def test_without_a_dictionary_pages_have_no_link_and_no_dcz(self):
        config = kade_e2e.write_config(
            self.work_dir / "plain" / "kade.toml",
            index={"dictionary_bytes": 0})
        kade_e2e.check_index(config)
        with kade_e2e.Server(config) as server:
            home = http_get(server.port, "/", {"Accept-Encoding": CHROME,
                                               "Available-Dictionary": sf_binary(self.digest)})
            self.assertNotEqual(home.headers["Content-Encoding"], "dcz")
            self.assertEqual(home.headers["Vary"], "Accept-Encoding")
            self.assertNotIn("compression-dictionary", kade_e2e.decode_text(home))


if __name__ == "__main__":
    kade_e2e.main()
