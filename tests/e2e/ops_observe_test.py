"""Observability: the JSON access log (one line per request, every field, flushed at exit) and
/metrics counting what was asked.

    python3 tests/e2e/ops_observe_test.py --bin-dir build --source-dir .
"""

import json
import re
import time

import kade_e2e
from kade_e2e import http_get, raw_request

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"


def sample(text, series):
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


class ObserveTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.log = cls.work_dir / "access.log"
        cls.config = kade_e2e.write_config(cls.work_dir / "kade.toml",
                                           log={"access": str(cls.log)})
        kade_e2e.check_index(cls.config)

    def test_access_log_has_a_json_line_per_request(self):
        srv = kade_e2e.Server(self.config)
        self.addCleanup(srv.stop)
        srv.start()
        port = srv.port
        http_get(port, POST, {"Accept-Encoding": "gzip", "X-Forwarded-For": "203.0.113.7, 10.0.0.1"})
        http_get(port, "/api/search?q=klanten")
        http_get(port, "/bestaat/niet")
        for _ in range(4):  # the same query again: answered from the result cache, per thread
            http_get(port, "/api/search?q=klanten")
        raw_request(port, b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", until_close=True)
        self.assertEqual(srv.stop(), 0)
        lines = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]
        # Startup polls /healthz; everything else is ours. Each worker thread buffers its own
        # lines, so lines from different threads are ordered by "time", not by position.
        ours = sorted((entry for entry in lines if entry["target"] != "/healthz"),
                      key=lambda entry: entry["time"])
        self.assertEqual([e["target"] for e in ours],
                         [POST, "/api/search?q=klanten", "/bestaat/niet"] +
                         ["/api/search?q=klanten"] * 4 + [""])
        post = ours[0]
        self.assertEqual(set(post), {"time", "remote", "forwarded_for", "method", "target",
                                     "status", "bytes", "encoding", "duration_us",
                                     "search_cache"})
        self.assertRegex(post["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(post["remote"], "127.0.0.1")
        self.assertEqual(post["forwarded_for"], "203.0.113.7, 10.0.0.1")
        self.assertEqual((post["method"], post["status"], post["encoding"]), ("GET", 200, "gzip"))
        self.assertGreater(post["bytes"], 100)
        self.assertIsInstance(post["duration_us"], int)
        self.assertIsNone(ours[1]["forwarded_for"])
        self.assertEqual(ours[2]["status"], 404)
        self.assertEqual(ours[1]["search_cache"], "miss")
        self.assertIsNone(ours[2]["search_cache"], "not a search")
        # Two worker threads, one cache each: at most two misses among the repeats.
        self.assertGreaterEqual([e["search_cache"] for e in ours[3:7]].count("hit"), 3)
        self.assertEqual(ours[-1]["status"], 400, "refused requests are logged too")
        self.assertEqual(ours[-1]["method"], "", "no method when the request did not parse")

    def test_metrics_count_what_was_asked(self):
        config = kade_e2e.write_config(self.work_dir / "quiet.toml")
        srv = kade_e2e.Server(config)
        self.addCleanup(srv.stop)
        srv.start()
        port = srv.port
        before = http_get(port, "/metrics").body.decode()
        for _ in range(3):
            self.assertEqual(http_get(port, POST, {"Accept-Encoding": "gzip"}).status, 200)
        gzip_size = len(http_get(port, POST, {"Accept-Encoding": "gzip"}).body)
        http_get(port, "/api/search?q=klanten")
        http_get(port, "/api/search?page=0&q=x")
        # A request is counted once its last byte is written, just after the client has it.
        time.sleep(0.2)
        resp = http_get(port, "/metrics")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        self.assertEqual(resp.headers["Cache-Control"], "no-store")
        after = resp.body.decode()
        page = 'kade_requests_total{route="page",status="200"}'
        self.assertEqual(sample(after, page) - sample(before, page), 4)
        self.assertEqual(sample(after, 'kade_requests_total{route="search_api",status="200"}'), 1)
        self.assertEqual(sample(after, 'kade_requests_total{route="search_api",status="400"}'), 1)
        self.assertEqual(sample(after, 'kade_response_body_bytes_total{encoding="gzip"}') -
                         sample(before, 'kade_response_body_bytes_total{encoding="gzip"}'),
                         4 * gzip_size)
        self.assertEqual(sample(after, "kade_search_duration_seconds_count"), 1)
        self.assertEqual(
            sample(after, 'kade_request_duration_seconds_bucket{route="search_api",le="+Inf"}'), 2)
        self.assertGreaterEqual(sample(after, "kade_open_connections"), 1)
        self.assertRegex(after, r'kade_bundle_info\{build_id="[0-9a-f]{32}"\} 1')


if __name__ == "__main__":
    kade_e2e.main()
