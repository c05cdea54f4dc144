"""Searches run on the search threads, not the network threads (issue 18): while clients hammer
worst-case searches, /healthz and a page keep answering; a full search queue answers 503 with
Retry-After and nothing else goes wrong; a spent time budget still answers 200, saying so.

    python3 tests/e2e/search_pool_test.py --bin-dir build --source-dir .
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, http_get

POSTS = 100
# Fifteen prefixes (each expanded to up to 100 words) and a word no post has: all words find
# nothing, so the OR fallback runs over nearly every post. The last word differs per request,
# so nothing comes from the cache.
WORST = "a* b* c* d* e* f* g* h* i* j* k* l* m* n* o* "
CLIENTS = 6
HAMMER_S = 3.0
# Generous: without the search threads one such search blocks a network thread for longer.
LIMIT_S = 3.0 if os.environ.get("KADE_SANITIZED") == "1" else 1.0

_counter = 0
_counter_lock = threading.Lock()


def worst_path(api=True):
    global _counter
    with _counter_lock:
        _counter += 1
        n = _counter
    q = urllib.parse.quote(WORST + f"zq{n}x")
    return f"/api/search?q={q}" if api else f"/search?q={q}"


class SearchPoolTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = cls.work_dir / "content"
        subprocess.run([sys.executable, str(kade_e2e.source_path("bench", "gen_corpus.py")),
                        "--posts", str(POSTS), "--seed", "18", "--out", str(cls.content),
                        "--min-words", "300", "--max-words", "800"],
                       check=True, capture_output=True, timeout=60)
        cls.index = {"content": str(cls.content), "zstd_level": 1, "gzip_level": 1}
        config = kade_e2e.write_config(cls.work_dir / "index.toml", index=cls.index)
        kade_e2e.check_index(config)
        cls.bundle = cls.work_dir / "site.kade"

    def server(self, name, server=None, search=None):
        config = kade_e2e.write_config(self.work_dir / f"{name}.toml", index=self.index,
                                       server=server or {}, search=search or {})
        return self.start_server(config, bundle=self.bundle)

    def test_healthz_and_pages_answer_while_clients_hammer_worst_case_searches(self):
        # One network thread: before the search threads, each search held it, and /healthz
        # waited behind every search its connections had sent.
        server = self.server("hammer", server={"threads": 1},
                             search={"threads": 1, "queue": 64, "cache_entries": 0,
                                     "budget_ms": 0})
        stop = threading.Event()
        searches = []  # (status, seconds, headers)
        lock = threading.Lock()

        def client():
            while not stop.is_set():
                start = time.monotonic()
                resp = http_get(server.port, worst_path(), timeout=120)
                with lock:
                    searches.append((resp.status, time.monotonic() - start, resp.headers))

        threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(0.2)  # the searches are under way
        probes = []  # (path, status, seconds)
        end = time.monotonic() + HAMMER_S
        while time.monotonic() < end:
            for path in ("/healthz", "/"):
                start = time.monotonic()
                resp = http_get(server.port, path, timeout=30)
                probes.append((path, resp.status, time.monotonic() - start))
            time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a search never answered")
        self.assertIsNone(server.process.poll(), server.stderr_text())

        slowest = max(p[2] for p in probes)
        done = sorted(s[1] for s in searches if s[0] == 200)
        print(f"\n  {len(probes)} probes, slowest {slowest * 1000:.0f} ms; {len(searches)} "
              f"searches, median {done[len(done) // 2] * 1000 if done else 0:.0f} ms",
              file=sys.stderr)
        for path, status, seconds in probes:
            self.assertEqual(status, 200, path)
            self.assertLess(seconds, LIMIT_S, f"{path} took {seconds:.2f} s under search load")
        self.assertTrue(done, "no search answered 200")
        for status, _, headers in searches:
            self.assertIn(status, (200, 503))
            if status == 503:
                self.assertIn("Retry-After", headers)

    def test_a_full_queue_answers_503_with_retry_after(self):
        # One search thread and room for one search waiting: of eight at once, most are refused.
        server = self.server("full", search={"threads": 1, "queue": 1, "cache_entries": 0,
                                             "budget_ms": 0, "retry_after_s": 2})
        results = []
        lock = threading.Lock()
        barrier = threading.Barrier(8)

        def client(api):
            path = worst_path(api)
            barrier.wait(timeout=30)
            resp = http_get(server.port, path, timeout=120)
            with lock:
                results.append((api, resp))

        threads = [threading.Thread(target=client, args=(i % 2 == 0,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=150)
        self.assertEqual(len(results), 8)
        statuses = sorted(resp.status for _, resp in results)
        self.assertIn(200, statuses)
        self.assertIn(503, statuses)
        self.assertEqual(set(statuses), {200, 503}, statuses)
        for api, resp in results:
            if resp.status != 503:
                continue
            self.assertEqual(resp.headers["Retry-After"], "2")
            self.assertIn("no-store", resp.headers["Cache-Control"])
            if api:
                self.assertEqual(json.loads(decode_body(resp)),
                                 {"error": "het is even te druk om te zoeken; probeer het zo "
                                           "opnieuw"})
            else:
                self.assertTrue(resp.headers["Content-Type"].startswith("text/html"))
                self.assertIn("503", decode_body(resp).decode())
        # The queue drained: searching works again, and the server is alive.
        self.assertEqual(http_get(server.port, worst_path(), timeout=120).status, 200)
        self.assertIsNone(server.process.poll(), server.stderr_text())

    def test_a_spent_time_budget_answers_200_with_the_results_so_far(self):
        server = self.server("budget", search={"cache_entries": 0, "budget_ms": 1})
        resp = http_get(server.port, worst_path(), timeout=120)
        self.assertEqual(resp.status, 200)
        data = json.loads(decode_body(resp))
        self.assertTrue(data["timed_out"])  # all words took longer than 1 ms: no OR fallback
        self.assertIsNone(data["fallback"])
        page = http_get(server.port, worst_path(api=False), timeout=120)
        self.assertEqual(page.status, 200)
        self.assertIn('class="timed-out"', decode_body(page).decode())

        roomy = self.server("roomy", search={"cache_entries": 0, "budget_ms": 60000})
        data = json.loads(decode_body(http_get(roomy.port, worst_path(), timeout=120)))
        self.assertFalse(data["timed_out"])
        self.assertEqual(data["fallback"], "or")


if __name__ == "__main__":
    kade_e2e.main()
