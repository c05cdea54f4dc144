"""Search shards over Xapian's remote backend: kade-index --shards 2 --shards-out, two
xapian-tcpsrv processes on 127.0.0.1, and kade-serve with [search] shards combining them.

    python3 tests/e2e/shards_test.py --bin-dir build --source-dir .

Checks: the combined results equal the whole database's (same URLs, same order, same totals),
for remote shards and for the shards kept in the bundle; with one shard down, searches answer
200 marked partial (JSON and HTML, not cacheable) from the other shard, and once it is back the
results are whole again within the backoff; a shard that accepts connections but never answers
costs its timeout once per backoff, not on every search; a "local" shard the bundle lacks stops
kade-serve at start; bad --shards values and shard addresses are usage and config errors. Skipped when xapian-tcpsrv is not installed (scripts/setup.sh installs xapian-tools).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, decode_text, http_get

POSTS = 160
QUERIES = ["kleur", "gamma apparaat", "fiets", "samenwerken software", "rood inkt printer",
           "klant", "de", "ondernemen", "werk thuis", "boek lezen"]
RETRY_MS = 300
RETRY_MAX_MS = 600


class TcpServer:
    """xapian-tcpsrv over one database on a free port of 127.0.0.1.

    It forks a child per connection, so it runs in a session of its own and stop() signals
    that process group (its id is our child's PID): the children serving kade-serve's open
    connections go too, as they would when a machine goes down.
    """

    def __init__(self, database, log_path, port=None):
        self.database = database
        self.port = port or kade_e2e.free_port()
        self.log_path = log_path
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["xapian-tcpsrv", "--port", str(self.port), "--interface", "127.0.0.1",
                 str(self.database)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"xapian-tcpsrv exited: {self.log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"xapian-tcpsrv not listening on {self.port}")

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        else:
            try:  # the parent is gone; its connection children may not be
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None


@unittest.skipIf(not shutil.which("xapian-tcpsrv"),
                 "xapian-tcpsrv is not installed (apt-get install xapian-tools)")
class ShardsTest(kade_e2e.KadeTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        content = cls.work_dir / "content"
        subprocess.run([sys.executable, str(kade_e2e.source_path("bench", "gen_corpus.py")),
                        "--posts", str(POSTS), "--seed", "10", "--out", str(content)],
                       check=True, capture_output=True, timeout=60)
        fast = {"content": str(content), "zstd_level": 1, "gzip_level": 1}
        cls.whole_config = kade_e2e.write_config(cls.work_dir / "whole.toml", index=fast)
        cls.shards_dir = cls.work_dir / "shards"
        result = kade_e2e.run_index(cls.whole_config,
                                    extra_args=("--shards", "2", "--shards-out", str(cls.shards_dir)))
        if result.returncode != 0:
            raise AssertionError(f"kade-index --shards failed:\n{result.stderr}")
        cls.tcp = [TcpServer(cls.shards_dir / f"shard-{k}", cls.work_dir / f"tcpsrv-{k}.log")
                   for k in range(2)]
        for t in cls.tcp:
            cls.addClassCleanup(t.stop)
            t.start()
        bundle = cls.work_dir / "site.kade"
        remote = ",".join(f"127.0.0.1:{t.port}" for t in cls.tcp)
        cls.remote_config = kade_e2e.write_config(
            cls.work_dir / "remote.toml", index=fast, server={"bundle": str(bundle), "threads": 1},
            # One worker thread: every request sees the same connections and backoff.
            search={"shards": remote, "shard_timeout_ms": 1000, "shard_retry_ms": RETRY_MS,
                    "shard_retry_max_ms": RETRY_MAX_MS})
        cls.local_config = kade_e2e.write_config(
            cls.work_dir / "local.toml", index=fast, server={"bundle": str(bundle)},
            search={"shards": "local, local"})
        cls.whole = cls.start_server(cls.whole_config)
        cls.remote = cls.start_server(cls.remote_config)
        cls.local = cls.start_server(cls.local_config)

    def search(self, server, q, extra="", per_page=50):
        resp = http_get(server.port,
                        f"/api/search?q={urllib.parse.quote(q)}&per_page={per_page}{extra}")
        self.assertEqual(resp.status, 200, decode_body(resp)[:300])
        data = json.loads(decode_body(resp))
        return resp, data

    def summary(self, server, q, extra="", per_page=50):
        _, data = self.search(server, q, extra, per_page)
        return [h["url"] for h in data["results"]], data["total"], data["partial"]

    def test_the_bundle_holds_the_shards(self):
        for k in range(2):
            self.assertTrue((self.shards_dir / f"shard-{k}" / "iamglass").is_file())
        # The shards split the posts evenly: "de" is in every post.
        _, whole = self.search(self.whole, "de")
        self.assertGreater(whole["total"], POSTS // 2)

    def test_combined_results_equal_the_whole_database(self):
        compared = 0
        for q in QUERIES:
            for extra in ("", "&sort=date", "&page=2"):
                per_page = 5 if "page=2" in extra else 50
                want = self.summary(self.whole, q, extra, per_page)
                self.assertFalse(want[2])
                if not want[0]:
                    continue
                compared += 1
                for server in (self.remote, self.local):
                    self.assertEqual(self.summary(server, q, extra, per_page), want, f"{q!r} {extra}")
        self.assertGreaterEqual(compared, 15)  # the queries do find posts

    def test_facet_counts_equal_the_whole_database(self):
        # Relevance order breaks ties by docid, which a remote match spy sees once per document
        # (with a value sort, Xapian 1.4's remote backend counted some twice).
        compared = 0
        for q in QUERIES:
            _, want = self.search(self.whole, q)
            if not want["results"]:
                continue
            compared += 1
            for server in (self.remote, self.local):
                _, got = self.search(server, q)
                self.assertEqual(got["facets"], want["facets"], q)
        self.assertGreaterEqual(compared, 5)

    def test_spelling_suggestions_still_work_with_remote_shards(self):
        # xapian-tcpsrv serves no spelling data: suggestions come from the bundle's database.
        _, want = self.search(self.whole, "ondernemn")
        self.assertTrue(want["suggestion"])
        _, got = self.search(self.remote, "ondernemn")
        self.assertEqual(got["suggestion"], want["suggestion"])
        self.assertEqual([h["url"] for h in got["results"]],
                         [h["url"] for h in want["results"]])

    def test_z_shard_down_gives_partial_results_then_recovers(self):
        # Named to run last: it stops and restarts a shard.
        q = "kleur"
        whole_urls, whole_total, _ = self.summary(self.whole, q)
        self.assertTrue(2 <= whole_total <= 50, whole_total)  # all on one page
        self.assertEqual(self.summary(self.remote, q)[0], whole_urls)

        self.tcp[1].stop()
        # per_page 40: not a request the result cache holds (cached whole results may be served
        # while a shard is down; partial ones are never cached).
        resp, data = self.search(self.remote, q, per_page=40)
        self.assertTrue(data["partial"])
        self.assertIn("no-store", resp.headers["Cache-Control"])
        # Shard 0's posts only: some, not all, and none the whole database does not find.
        urls = [h["url"] for h in data["results"]]
        self.assertTrue(0 < len(urls) < len(whole_urls), (len(urls), len(whole_urls)))
        self.assertLessEqual(set(urls), set(whole_urls))
        html = http_get(self.remote.port, f"/search?q={q}&per_page=30")
        self.assertEqual(html.status, 200)
        self.assertIn('class="partial"', decode_text(html))
        self.tcp[1].start()  # same port
        deadline = time.monotonic() + (RETRY_MAX_MS / 1000) * 4 + 2
        while True:
            urls, total, partial = self.summary(self.remote, q, per_page=40)
            if not partial:
                break
            self.assertLess(time.monotonic(), deadline, "shard not back within the backoff")
            time.sleep(0.1)
        self.assertEqual((urls, total), (whole_urls, whole_total))

    def test_a_silent_shard_costs_its_timeout_once_per_backoff(self):
        # A port that accepts connections and never says a word, as a hung machine would.
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(silent.close)
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        timeout_ms, retry_ms = 400, 60000
        config = kade_e2e.write_config(
            self.work_dir / "silent.toml", server={"bundle": str(self.work_dir / "site.kade"),
                                                   "threads": 1},
            search={"shards": f"127.0.0.1:{self.tcp[0].port},127.0.0.1:{silent.getsockname()[1]}",
                    "shard_timeout_ms": timeout_ms, "shard_retry_ms": retry_ms,
                    "cache_entries": 0, "threads": 1})  # one searcher: one backoff
        server = self.start_server(config)
        timings = []
        for q in ("kleur", "fiets", "klant", "werk"):
            started = time.monotonic()
            resp, data = self.search(server, q)
            timings.append(time.monotonic() - started)
            self.assertTrue(data["partial"], q)
        # The first search connects (and waits out the timeout); the others, within the
        # backoff, do not try the silent shard again.
        self.assertGreater(timings[0], timeout_ms / 1000 * 0.9, timings)
        self.assertLess(max(timings[1:]), timeout_ms / 1000 * 0.75, timings)
        server.stop()

    def test_missing_local_shard_is_refused_at_start(self):
        config = kade_e2e.write_config(
            self.work_dir / "three.toml", server={"bundle": str(self.work_dir / "site.kade")},
            search={"shards": "local,local,local"})
        server = kade_e2e.Server(config)
        with self.assertRaises(RuntimeError) as caught:
            server.start()
        self.assertIn("shard 2", str(caught.exception))

    def test_bad_shards_flags_are_usage_errors(self):
        for args in (("--shards", "0"), ("--shards", "x"), ("--shards-out", "somewhere")):
            result = kade_e2e.run_index(self.whole_config, extra_args=args + ("--check",))
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("--shards", result.stderr)

    def test_bad_shard_address_is_a_config_error(self):
        config = kade_e2e.write_config(self.work_dir / "bad.toml", search={"shards": "local,nohost"})
        result = kade_e2e.run_index(config, extra_args=("--check",))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("search.shards", result.stderr)


if __name__ == "__main__":
    kade_e2e.main()
