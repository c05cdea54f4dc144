"""Soak: wrk at many connections while the bundle is reloaded again and again (and a bad bundle
is refused in between): no non-2xx/3xx answers, no socket errors, resident memory steady.

The suite runs a short version (KADE_SOAK_SECONDS, default 5 s at 128 connections with 4
reloads); bench/soak runs the long one (60 s, 256 connections, 10 reloads).

    python3 tests/e2e/ops_soak_test.py --bin-dir build --source-dir .
"""

import os
import re
import shutil
import signal
import subprocess
import time
import unittest

import kade_e2e
from kade_e2e import http_get

HERE = os.path.dirname(os.path.abspath(__file__))
SECONDS = float(os.environ.get("KADE_SOAK_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("KADE_SOAK_CONNECTIONS", "128"))
RELOADS = int(os.environ.get("KADE_SOAK_RELOADS", "4"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))


def metrics(port):
    return http_get(port, "/metrics").body.decode()


def metric_sum(text, name, **labels):
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def run_wrk(port, seconds, connections, threads=2):
    """wrk's summary: requests, non-2xx/3xx, socket errors (all ints), and its raw text."""
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "5s",
         "-s", os.path.join(HERE, "ops_soak.lua"), f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, timeout=seconds + 60)
    out = result.stdout
    if result.returncode != 0:
        raise AssertionError(f"wrk failed ({result.returncode}): {out}{result.stderr}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": requests,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "text": out,
    }


@unittest.skipUnless(shutil.which("wrk"), "wrk is not installed (scripts/setup.sh installs it)")
class SoakTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bundle = cls.work_dir / "site.kade"
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml", server={"watch_bundle": 0, "max_connections": 10000})
        kade_e2e.check_index(cls.config)
        # A second, different bundle to alternate with.
        content_b = cls.work_dir / "content_b"
        kade_e2e.copy_content(content_b)
        (content_b / "posts" / "soak.md").write_text(
            '+++\ntitle = "Soak"\ndate = 2015-01-01T00:00:00Z\n+++\n\nNog een bericht.\n',
            encoding="utf-8")
        cls.bundle_a = cls.work_dir / "a.kade"
        cls.bundle_b = cls.work_dir / "b.kade"
        shutil.copyfile(cls.bundle, cls.bundle_a)
        kade_e2e.check_index(cls.config, content=content_b, out=cls.bundle_b)
        cls.server = cls.start_server(cls.config)

    def install(self, source):
        tmp = self.work_dir / "incoming.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, self.bundle)

    def test_reloads_under_load_fail_no_request(self):
        port, pid = self.server.port, self.server.pid
        # Warm up (thread slots, searchers, allocator arenas, a reload there and back), then
        # take the baseline.
        for source in (self.bundle_b, self.bundle_a):
            self.install(source)
            os.kill(pid, signal.SIGHUP)
            run_wrk(port, 1, CONNECTIONS)
        rss_before = rss_kib(pid)
        before = metrics(port)

        wrk = subprocess.Popen(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS:g}s", "--timeout", "5s",
             "-s", os.path.join(HERE, "ops_soak.lua"), f"http://127.0.0.1:{port}/"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            interval = SECONDS / (RELOADS + 2)
            time.sleep(interval)
            for i in range(RELOADS):
                self.install(self.bundle_b if i % 2 == 0 else self.bundle_a)
                os.kill(pid, signal.SIGHUP)
                time.sleep(interval / 2)
                if i == RELOADS // 2:  # a bad bundle in the middle: refused, old one serves
                    tmp = self.work_dir / "bad.tmp"
                    tmp.write_bytes(self.bundle_a.read_bytes()[:5000])
                    os.replace(tmp, self.bundle)
                    os.kill(pid, signal.SIGHUP)
                time.sleep(interval / 2)
            out, err = wrk.communicate(timeout=SECONDS + 60)
        finally:
            if wrk.poll() is None:
                wrk.kill()
                wrk.wait()
        self.assertEqual(wrk.returncode, 0, err)
        after = metrics(port)
        rss_after = rss_kib(pid)

        requests = int(re.search(r"(\d+) requests in", out).group(1))
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                           out)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        unexpected = {f"{r} {st}": v for r, st, v in re.findall(
            r'kade_requests_total\{route="([^"]+)",status="(\d+)"\} (\d+)', after)
            if not st.startswith(("2", "3"))}
        reloads = metric_sum(after, "kade_reloads_total")
        refused = metric_sum(after, "kade_reloads_refused_total")
        print(f"\nsoak: {requests} requests in {SECONDS:g} s at {CONNECTIONS} connections, "
              f"{int(reloads)} reloads, {int(refused)} refused; non-2xx/3xx "
              f"{non_2xx.group(1) if non_2xx else 0}; "
              f"socket errors {errors.groups() if errors else 0}; RSS {rss_before} KiB → "
              f"{rss_after} KiB")

        self.assertIsNone(errors, out)
        self.assertIsNone(non_2xx, out)
        self.assertEqual(unexpected, {}, after)
        self.assertEqual(reloads, RELOADS + 2)
        self.assertEqual(refused, 1)
        self.assertGreater(requests, 1000)
        # Under AddressSanitizer freed memory waits in a quarantine (256 MiB) before reuse, so
        # resident memory says nothing there.
        if os.environ.get("KADE_SANITIZED") != "1":
            self.assertLess(abs(rss_after - rss_before) / rss_before, 0.10,
                            f"RSS {rss_before} KiB → {rss_after} KiB")
        self.assertEqual(http_get(port, "/healthz").status, 200)


if __name__ == "__main__":
    kade_e2e.main()
