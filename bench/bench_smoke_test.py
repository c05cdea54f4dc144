#!/usr/bin/env python3
"""Smoke test of the benchmark harness (registered in tests/CMakeLists.txt).

Runs `bench/run --smoke` (30 posts, one-second runs, kade-serve and the epoll ceiling only) into
a temporary folder and checks that every phase produced numbers and the report was written.
No timing is asserted: on a shared CI machine the figures mean nothing.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARGS = argparse.Namespace(bin_dir=None)


class BenchSmokeTest(unittest.TestCase):
    def test_smoke_run_writes_a_report_with_numbers(self):
        with tempfile.TemporaryDirectory(prefix="kade-bench-smoke-") as tmp:
            out, work = Path(tmp) / "out", Path(tmp) / "work"
            p = subprocess.run([sys.executable, HERE / "run", "--smoke", "--bin-dir", ARGS.bin_dir,
                                "--out", out, "--work", work],
                               capture_output=True, text=True, timeout=240)
            self.assertEqual(p.returncode, 0, p.stderr[-3000:])
            pages = json.loads((out / "pages.json").read_text())
            for server in ("kade", "ceiling"):
                r = pages["single"][server]["16"]
                self.assertGreater(r["requests"], 0, server)
                self.assertEqual(r["errors"], 0, server)
                self.assertEqual(r["non2xx"], 0, server)
                self.assertGreater(r["cpu_us_per_req"], 0, server)
            self.assertEqual(pages["mix"]["kade"]["non2xx"], 0)
            search = json.loads((out / "search.json").read_text())
            self.assertEqual(search["in_process"]["warm"]["queries"], search["queries"])
            self.assertEqual(search["raw_matcher"]["queries"], search["queries"])
            self.assertEqual(set(search["paired"]), {"paired-searcher", "paired-raw"})
            self.assertGreater(search["paired_p50_ratio"], 0)
            self.assertEqual(search["snippets"]["queries"], search["queries"])
            self.assertEqual(set(search["http"]), {"one connection, no cache",
                                                   "16 connections, cold", "16 connections, warm"})
            for label, r in search["http"].items():
                self.assertGreater(r["requests"], 0, label)
                self.assertEqual(r["non2xx"], 0, label)
            index = json.loads((out / "index.json").read_text())
            self.assertGreater(index["30"]["kade"]["bundle_bytes"], 0)
            memory = json.loads((out / "memory.json").read_text())
            self.assertGreater(memory["30"]["rss_mib"], 0)
            report = (out / "report.md").read_text()
            for heading in ("## Machine", "## Pages: one hot page", "## Search", "## Indexer",
                            "## Memory and start-up"):
                self.assertIn(heading, report)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--source-dir")
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
