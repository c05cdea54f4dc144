"""A real cache in front: Debian's varnishd with config/varnish.vcl before kade-serve.

    python3 tests/e2e/varnish_test.py --bin-dir build --source-dir .

Checks: a second request is a hit; gzip and identity clients (and zstd-only ones, which get
identity: Kade keeps no zstd copies) each get bytes that decode to the page, in at most two
cached variants; dcz only reaches clients holding its dictionary; Varnish revalidates with Kade and gets 304;
after a re-index and a purge of the keys `kade-index --diff OLD NEW` prints, exactly the pages
whose bytes changed are fetched again; with Kade down, stale copies are served. Skipped when
varnishd or the xkey vmod is not installed (scripts/setup.sh installs both).
"""

import base64
import hashlib
import os
import re
import shutil
import signal
import time
import unittest

import kade_e2e
from kade_e2e import decode_body, http_get
from varnish_runner import Varnish, varnish_missing

POST_A = "/2014/01/doen-waar-je-niet-goed-in-bent.html"
POST_B = "/2014/03/samen-sterk.html"
POST_C = "/2015/06/klein-beginnen.html"

POST_B_TEXT = """+++
title = "Samen sterk"
date = 2014-03-10T09:00:00+01:00
labels = ["samenwerken"]
slug = "samen-sterk"
+++

Samenwerken met andere ondernemers maakt je sterker.

{second}
"""
POST_C_TEXT = """+++
title = "Klein beginnen"
date = 2015-06-01T09:00:00+02:00
labels = ["ondernemen"]
slug = "klein-beginnen"
+++

Begin klein en groei met je klanten mee.
"""

@unittest.skipIf(varnish_missing(), varnish_missing())
class VarnishTest(kade_e2e.KadeTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = kade_e2e.copy_content(cls.work_dir / "content")
        cls.write_post(POST_B_TEXT.format(second="Eerste versie van de tweede alinea."), "2014/03/b.md")
        cls.write_post(POST_C_TEXT, "2015/06/c.md")
        cls.bundle = cls.work_dir / "site.kade"
        # Assets live one second at the cache, so the revalidation and stale-if-error tests need
        # not wait long; no stale-while-revalidate, so an expired copy is revalidated at once.
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml", index={"content": str(cls.content)},
            http={"asset_cache_control": "public, max-age=1, stale-if-error=600"})
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)
        cls.varnish = Varnish(cls.work_dir, {"varnish.vcl": cls.server.port})
        cls.addClassCleanup(cls.varnish.stop)

    @classmethod
    def write_post(cls, text, name):
        path = cls.content / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def via(self, path, headers=None, method="GET"):
        return http_get(self.varnish.port, path, headers=headers, method=method)

    def direct(self, path, headers=None):
        return http_get(self.server.port, path, headers=headers)

    # Tests run in name order; test_9 changes the bundle and stops Kade, so it runs last.

    def test_1_second_request_is_a_hit(self):
        first = self.via(POST_A, {"Accept-Encoding": "gzip"})
        second = self.via(POST_A, {"Accept-Encoding": "gzip"})
        self.assertEqual(first.status, 200, first)
        self.assertEqual(second.status, 200)
        self.assertEqual(second.headers["X-Cache"], "HIT")
        self.assertEqual(second.body, first.body)
        self.assertNotIn("xkey", second.headers)
        # Varnish answers a range from its copy: the same bytes of the same variant as Kade.
        part = self.via(POST_A, {"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
        self.assertEqual(part.status, 206, part)
        self.assertEqual(part.headers["Content-Encoding"], "gzip")
        self.assertEqual(part.body, first.body[:10])

    def test_2_each_client_gets_its_encoding_and_at_most_two_variants_are_kept(self):
        page = self.direct(POST_C, {"Accept-Encoding": "identity"}).body
        clients = [  # (Accept-Encoding, expected coding) — browsers, curl, bots
            ("gzip, deflate, br, zstd", "gzip"), ("zstd", "identity"), ("br;q=1, zstd;q=0.5, gzip", "gzip"),
            ("gzip, deflate", "gzip"), ("gzip", "gzip"), ("zstd;q=0, gzip", "gzip"), ("x-gzip", "gzip"),
            ("*", "gzip"),
            (None, "identity"), ("identity", "identity"), ("br", "identity"), ("gzip;q=0", "identity"),
        ]
        misses = 0
        for accept, coding in clients:
            resp = self.via(POST_C, {"Accept-Encoding": accept} if accept is not None else None)
            self.assertEqual(resp.status, 200, accept)
            self.assertEqual(resp.headers.get("Content-Encoding", "identity"), coding, accept)
            self.assertEqual(decode_body(resp), page, accept)
            self.assertEqual(resp.headers["Vary"], "Accept-Encoding, Available-Dictionary")
            misses += resp.headers["X-Cache"] == "MISS"
        self.assertEqual(misses, 2, "one fetch per variant: gzip, identity")

    def test_6_dcz_and_other_variants_are_kept_apart(self):
        home = self.direct("/").body.decode()
        dict_path = re.search(r'rel="compression-dictionary" href="([^"]+)"', home).group(1)
        dictionary = self.via(dict_path)
        self.assertEqual(dictionary.status, 200)
        self.assertIn("Use-As-Dictionary", dictionary.headers)
        ours = ":" + base64.b64encode(hashlib.sha256(dictionary.body).digest()).decode() + ":"
        other = ":" + base64.b64encode(hashlib.sha256(b"old").digest()).decode() + ":"
        page = self.direct(POST_A, {"Accept-Encoding": "identity"}).body
        chrome = "gzip, deflate, br, zstd, dcz"
        clients = [  # (Accept-Encoding, Available-Dictionary, expected coding), twice each
            (chrome, ours, "dcz"), ("gzip", None, "gzip"), ("gzip", ours, "gzip"),
            (chrome, other, "gzip"), ("gzip, deflate, br, zstd", ours, "gzip"),
            (chrome, None, "gzip"), ("gzip, dcz", ours, "dcz"), ("dcz;q=0, gzip", ours, "gzip"),
        ] * 2
        for accept, available, coding in clients:
            headers = {"Accept-Encoding": accept}
            if available:
                headers["Available-Dictionary"] = available
            resp = self.via(POST_A, headers)
            self.assertEqual(resp.headers.get("Content-Encoding", "identity"), coding, headers)
            if coding == "dcz":
                self.assertEqual(resp.body[8:40], hashlib.sha256(dictionary.body).digest())
            else:
                self.assertEqual(decode_body(resp), page, headers)
        # The dictionary is purged with its key (after a deploy --diff lists it when it changed).
        self.assertEqual(self.via(dict_path).headers["X-Cache"], "HIT")
        purge = kade_e2e.parse_response(kade_e2e.raw_request(
            self.varnish.port, b"PURGE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               b"xkey-purge: dictionary\r\n\r\n"))
        self.assertEqual(purge.status, 200)
        self.assertEqual(self.via(dict_path).headers["X-Cache"], "MISS")

    def asset(self):
        page = self.direct("/").body.decode()
        return re.search(r'href="(/static/[^"]+\.css)"', page).group(1)

    def backend_counters(self):
        """(backend requests, of which answered 304) so far."""
        return self.varnish.counter("MAIN.backend_req"), self.varnish.counter("MAIN.fetch_304")

    def wait_for_counter(self, name, value):
        deadline = time.monotonic() + 5  # worker threads fold their counters in lazily
        while self.varnish.counter(name) < value and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.varnish.counter(name)

    def test_3_expired_copy_is_revalidated_with_304(self):
        asset = self.asset()
        first = self.via(asset, {"Accept-Encoding": "gzip"})
        self.assertEqual(first.status, 200, first)
        before = self.varnish.counter("MAIN.fetch_304")
        time.sleep(1.3)  # max-age=1 and no stale-while-revalidate: expired, kept to revalidate
        again = self.via(asset, {"Accept-Encoding": "gzip"})
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.body, first.body)
        self.assertEqual(self.wait_for_counter("MAIN.fetch_304", before + 1), before + 1)

    def test_4_errors_and_uncacheable_answers_pass_through(self):
        self.assertEqual(self.via("/healthz").headers["Cache-Control"], "no-store")
        self.assertEqual(self.via("/healthz").headers["X-Cache"], "MISS")
        self.assertEqual(self.via("/bestaat-niet").status, 404)
        self.assertEqual(self.via(POST_A, method="DELETE").status, 405)

    def test_5_purge_needs_keys(self):
        resp = kade_e2e.parse_response(kade_e2e.raw_request(
            self.varnish.port, b"PURGE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        self.assertEqual(resp.status, 400)
        resp = kade_e2e.parse_response(kade_e2e.raw_request(
            self.varnish.port, b"PURGE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               b"xkey-purge: no-such-key\r\n\r\n"))
        self.assertEqual((resp.status, resp.reason), (200, "Purged 0 objects"))

    def test_9_after_reindex_and_purge_exactly_the_changed_pages_are_fetched_again(self):
        paths = ["/", POST_A, POST_B, POST_C, "/2014/", "/2014/01/", "/2014/03/", "/2015/",
                 "/2015/06/", "/feeds/posts/default", "/sitemap.xml", "/robots.txt",
                 "/search/label/samenwerken", "/search/label/ondernemen"]
        paths = [p for p in paths if self.direct(p).status == 200]
        self.assertGreaterEqual(len(paths), 10)
        encodings = ("gzip", None)  # a zstd-only client shares the identity copy

        def fetch_all(get):
            return {(p, e): get(p, {"Accept-Encoding": e} if e else None) for p in paths
                    for e in encodings}

        before = fetch_all(self.direct)
        fetch_all(self.via)  # warm
        for key, resp in fetch_all(self.via).items():
            self.assertEqual(resp.headers["X-Cache"], "HIT", key)

        # A new second paragraph in post B only: its page changes, so may pages that show it.
        old_bundle = self.work_dir / "old.kade"
        shutil.copy(self.bundle, old_bundle)
        self.write_post(POST_B_TEXT.format(second="Tweede versie: nu met een voorbeeld."), "2014/03/b.md")
        build_before = self.direct("/healthz").body.split()[1]
        kade_e2e.check_index(self.config)
        os.kill(self.server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while self.direct("/healthz").body.split()[1] == build_before:
            self.assertLess(time.monotonic(), deadline, "kade-serve did not load the new bundle")
            time.sleep(0.05)

        diff = kade_e2e.run_index(self.config, extra_args=("--diff", str(old_bundle), str(self.bundle)))
        self.assertEqual(diff.returncode, 0, diff.stderr)
        keys = set(diff.stdout.split())
        self.assertTrue(keys, "the edit must change some keys")
        after = fetch_all(self.direct)
        changed = {key for key in before if before[key].body != after[key].body}
        self.assertIn((POST_B, "gzip"), changed)
        tagged = {key for key, resp in before.items()
                  if keys & set(resp.headers["Surrogate-Key"].split())}
        self.assertLessEqual(changed, tagged, "every changed page carries a key --diff printed")
        self.assertTrue(tagged - changed, "some tagged pages are unchanged: the 304 path is tested")

        requests, revalidated = self.backend_counters()
        purge = kade_e2e.parse_response(kade_e2e.raw_request(
            self.varnish.port, ("PURGE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nxkey: "
                                + " ".join(sorted(keys)) + "\r\n\r\n").encode()))
        self.assertEqual(purge.status, 200, purge)
        # At least the tagged copies; earlier tests may have left more with these keys.
        purged = int(re.fullmatch(r"Purged (\d+) objects", purge.reason).group(1))
        self.assertGreaterEqual(purged, len(tagged), purge.reason)

        # The purged copies are revalidated in the background (the stale one may be served
        # meanwhile); then every answer is the new bundle's, untouched copies were not fetched,
        # unchanged ones came back as 304 and only the changed ones with a body.
        fetch_all(self.via)
        deadline = time.monotonic() + 10
        while True:
            via = fetch_all(self.via)
            stale = [key for key, resp in via.items() if resp.body != after[key].body]
            if not stale and self.backend_counters() == (requests + len(tagged),
                                                         revalidated + len(tagged - changed)):
                break
            self.assertLess(time.monotonic(), deadline,
                            f"stale: {stale}; counters {self.backend_counters()} from "
                            f"{(requests, revalidated)}, {len(tagged)} tagged, {len(changed)} changed")
            time.sleep(0.2)

        # Kade down: an expired copy within stale-if-error is served, not a 503.
        asset = self.asset()
        cached = self.via(asset, {"Accept-Encoding": "gzip"})
        self.assertEqual(cached.status, 200)
        self.server.stop()
        time.sleep(3.5)  # the probe needs two failures to call Kade sick; the copy expires
        resp = self.via(asset, {"Accept-Encoding": "gzip"})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body, cached.body)
        self.assertEqual(self.via("/bestaat-nog-steeds-niet").status, 503)


if __name__ == "__main__":
    kade_e2e.main()
