"""The per-thread cache of preformatted page header fields (handler::serve_entry): cached
headers must be byte-for-byte what a fresh formatting gives, per encoding, around 304s and
ranges, and must never outlive a bundle reload.

    python3 tests/e2e/header_cache_test.py --bin-dir build --source-dir .
"""

import hashlib
import os
import signal
import time

import kade_e2e
from kade_e2e import http_get

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"
VOLATILE = {"date"}  # the only field that may differ between two identical requests


def fields(resp):
    return [(k.lower(), v) for k, v in resp.headers.fields() if k.lower() not in VOLATILE]


class HeaderCacheTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content_b = cls.work_dir / "content_b"
        kade_e2e.copy_content(cls.content_b)
        post = next((cls.content_b / "posts").rglob("doen-waar-je-niet-goed-in-bent.md"))
        post.write_text(post.read_text(encoding="utf-8") + "\nEen extra alinea.\n",
                        encoding="utf-8")

    def start(self, name):
        config = kade_e2e.write_config(self.work_dir / f"{name}.toml",
                                       server={"bundle": str(self.work_dir / f"{name}.kade"),
                                               "threads": 1})
        kade_e2e.check_index(config, out=self.work_dir / f"{name}.kade")
        srv = kade_e2e.Server(config)
        self.addCleanup(srv.stop)
        srv.start()
        return srv, config

    def test_repeated_requests_get_identical_headers_per_encoding(self):
        srv, _ = self.start("same")
        for coding in ("gzip", "identity"):
            first = http_get(srv.port, POST, {"Accept-Encoding": coding})
            second = http_get(srv.port, POST, {"Accept-Encoding": coding})
            self.assertEqual(first.status, 200, first)
            self.assertEqual(fields(first), fields(second), coding)
            self.assertEqual(int(first.headers["Content-Length"]), len(first.body))
            self.assertEqual(first.body, second.body)

    def test_a_304_and_a_range_in_between_do_not_disturb_the_full_response(self):
        srv, _ = self.start("mixed")
        full = http_get(srv.port, POST, {"Accept-Encoding": "gzip"})
        etag = full.headers["ETag"]
        not_modified = http_get(srv.port, POST, {"Accept-Encoding": "gzip", "If-None-Match": etag})
        self.assertEqual(not_modified.status, 304)
        self.assertNotIn("Content-Length", not_modified.headers)
        partial = http_get(srv.port, POST, {"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
        self.assertEqual(partial.status, 206)
        self.assertEqual(partial.headers["Content-Length"], "10")
        again = http_get(srv.port, POST, {"Accept-Encoding": "gzip"})
        self.assertEqual(again.status, 200)
        self.assertEqual(fields(full), fields(again))
        head = http_get(srv.port, POST, {"Accept-Encoding": "gzip"}, method="HEAD")
        self.assertEqual(fields(full), fields(head))
        self.assertEqual(head.body, b"")

    def test_a_reload_replaces_the_cached_headers(self):
        srv, config = self.start("reload")
        before = http_get(srv.port, POST, {"Accept-Encoding": "gzip"})
        old_id = http_get(srv.port, "/healthz").body.decode().split()[1]
        # A changed post, indexed to a temporary file and renamed over the bundle.
        bundle = self.work_dir / "reload.kade"
        tmp = self.work_dir / "reload-new.kade"
        kade_e2e.check_index(config, content=self.content_b, out=tmp)
        os.replace(tmp, bundle)
        os.kill(srv.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while http_get(srv.port, "/healthz").body.decode().split()[1] == old_id:
            self.assertLess(time.monotonic(), deadline, "no reload within 10 s")
            time.sleep(0.05)
        new_id = http_get(srv.port, "/healthz").body.decode().split()[1]
        after = http_get(srv.port, POST, {"Accept-Encoding": "gzip"})
        self.assertEqual(after.status, 200)
        self.assertNotEqual(before.body, after.body)
        self.assertNotEqual(before.headers["ETag"], after.headers["ETag"])
        self.assertEqual(int(after.headers["Content-Length"]), len(after.body))
        self.assertIn("bundle-" + new_id[:12], after.headers["Surrogate-Key"])
        self.assertNotIn("bundle-" + old_id[:12], after.headers["Surrogate-Key"])


if __name__ == "__main__":
    kade_e2e.main()
