"""Hot reload: SIGHUP and a new file at the bundle path swap bundles; bad bundles are refused
with one log line each while the old bundle keeps serving; requests in flight never fail.

    python3 tests/e2e/ops_reload_test.py --bin-dir build --source-dir .
"""

import os
import re
import shutil
import signal
import socket
import struct
import threading
import time

import kade_e2e
from kade_e2e import http_get

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"
EXTRA_POST = """+++
title = "Een tweede bericht over herladen"
date = 2014-02-03T10:00:00+01:00
labels = ["beheer"]
+++

Dit bericht bestaat alleen in de tweede bundel.
"""


def build_id(port):
    resp = http_get(port, "/healthz")
    assert resp.status == 200, resp
    return resp.body.decode().split()[1]


def metric(port, name):
    text = http_get(port, "/metrics").body.decode()
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def wait_for(predicate, timeout=10, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")


def install(src, dst):
    """Put src at dst the way kade-index does: a temporary file in the same folder, renamed."""
    tmp = f"{dst}.tmp-{os.getpid()}"
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


class ReloadTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Two different bundles: the blog, and the blog plus one post.
        cls.bundle_a = cls.work_dir / "a.kade"
        cls.bundle_b = cls.work_dir / "b.kade"
        content_b = cls.work_dir / "content_b"
        kade_e2e.copy_content(content_b)
        (content_b / "posts" / "ops-extra.md").write_text(EXTRA_POST, encoding="utf-8")
        cls.config = kade_e2e.write_config(cls.work_dir / "kade.toml")
        kade_e2e.check_index(cls.config, out=cls.bundle_a)
        kade_e2e.check_index(cls.config, content=content_b, out=cls.bundle_b)
        assert cls.bundle_a.read_bytes() != cls.bundle_b.read_bytes()

    def start(self, name, **server):
        bundle = self.work_dir / f"{name}.kade"
        shutil.copyfile(self.bundle_a, bundle)
        config = kade_e2e.write_config(self.work_dir / f"{name}.toml",
                                       server={"bundle": str(bundle), **server})
        srv = kade_e2e.Server(config)
        self.addCleanup(srv.stop)
        srv.start()
        return srv, bundle

    def refusals(self, srv):
        return [line for line in srv.stderr_text(100000).splitlines() if "refused" in line]

    def test_sighup_swaps_in_the_new_bundle(self):
        srv, bundle = self.start("sighup", watch_bundle=0)
        first = build_id(srv.port)
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 0)
        install(self.bundle_b, bundle)
        time.sleep(0.3)
        self.assertEqual(build_id(srv.port), first, "watch_bundle = 0: no reload without SIGHUP")
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: build_id(srv.port) != first, what="new build id on /healthz")
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 1)
        self.assertEqual(http_get(srv.port, "/metrics").body.decode().count(build_id(srv.port)), 1)
        self.assertIn(f'kade_bundle_info{{build_id="{build_id(srv.port)}"}} 1',
                      http_get(srv.port, "/metrics").body.decode())
        # The new post is served: it exists only in bundle b.
        resp = http_get(srv.port, "/api/search?q=herladen")
        self.assertEqual(resp.status, 200)
        self.assertIn(b"tweede bericht", resp.body)

    def test_a_new_file_at_the_bundle_path_reloads(self):
        srv, bundle = self.start("watch", watch_bundle=1)
        first = build_id(srv.port)
        install(self.bundle_b, bundle)
        wait_for(lambda: build_id(srv.port) != first, what="reload after rename into place")
        second = build_id(srv.port)
        # A copy straight over the file (IN_CLOSE_WRITE) reloads too.
        shutil.copyfile(self.bundle_a, bundle)
        wait_for(lambda: build_id(srv.port) == first, what="reload after copy over the file")
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 2)
        self.assertNotEqual(first, second)
        # Other files in the folder are ignored.
        (bundle.parent / "unrelated.txt").write_text("x")
        time.sleep(0.3)
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 2)

    def test_bad_bundles_are_refused_and_the_old_keeps_serving(self):
        srv, bundle = self.start("bad", watch_bundle=0)
        good = build_id(srv.port)
        data = self.bundle_a.read_bytes()
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0xFF
        wrong_version = bytearray(data)
        wrong_version[8:12] = struct.pack("<I", 99)
        bad = {
            "truncated": data[: len(data) // 3],
            "half-written": data[: len(data) - 100],
            "bytes flipped": bytes(flipped),
            "wrong version": bytes(wrong_version),
            "not a bundle": b"<html>this is not a bundle</html>\n" * 100,
            "empty": b"",
        }
        for n, (name, content) in enumerate(bad.items(), start=1):
            with self.subTest(name):
                tmp = bundle.with_suffix(".tmp")
                tmp.write_bytes(content)
                os.replace(tmp, bundle)
                os.kill(srv.pid, signal.SIGHUP)
                wait_for(lambda: len(self.refusals(srv)) >= n, what=f"refusal of {name}")
                self.assertEqual(len(self.refusals(srv)), n, "one log line per refusal")
                self.assertIn("still serving build " + good, self.refusals(srv)[-1])
                self.assertEqual(build_id(srv.port), good)
                resp = http_get(srv.port, POST, {"Accept-Encoding": "gzip"})
                self.assertEqual(resp.status, 200)
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 0)
        self.assertEqual(metric(srv.port, "kade_reloads_refused_total"), len(bad))
        # And a good one after all that is taken.
        install(self.bundle_b, bundle)
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: build_id(srv.port) != good, what="reload of a good bundle")

    def test_what_is_no_regular_file_or_only_junk_is_refused_at_once(self):
        # A FIFO at the bundle path blocked the reload in open() for good, and SIGTERM then
        # never ended the server; a 2 GiB junk file cost 2 GiB of reading and memory.
        srv, bundle = self.start("fifo", watch_bundle=0)
        good = build_id(srv.port)
        bundle.unlink()
        os.mkfifo(bundle)
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: len(self.refusals(srv)) >= 1, what="refusal of a FIFO")
        self.assertIn("not a regular file", self.refusals(srv)[-1])
        self.assertEqual(build_id(srv.port), good)
        bundle.unlink()
        with open(bundle, "wb") as junk:  # sparse: no disk, but 2 GiB to a reader
            junk.write(b"junk")
            junk.truncate(2 << 30)
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: len(self.refusals(srv)) >= 2, what="refusal of 2 GiB of junk")
        self.assertIn("bad magic", self.refusals(srv)[-1])
        self.assertEqual(build_id(srv.port), good)
        bundle.unlink()
        os.mkfifo(bundle)
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: len(self.refusals(srv)) >= 3, what="refusal of a FIFO again")
        self.assertEqual(srv.stop(), 0, "SIGTERM ends the server")

    def test_requests_in_flight_never_fail_across_reloads(self):
        srv, bundle = self.start("busy", watch_bundle=0)
        stop = threading.Event()
        failures, counts = [], [0]

        def client():
            # Keep-alive: a connection that lives across swaps.
            request = (f"GET {POST} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n").encode()
            with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
                buffer = b""
                while not stop.is_set():
                    sock.sendall(request)
                    while True:
                        length = kade_e2e._response_length(buffer, head=False)
                        if length is not None:
                            break
                        chunk = sock.recv(65536)
                        if not chunk:
                            failures.append("closed")
                            return
                        buffer += chunk
                    resp = kade_e2e.parse_response(buffer[:length])
                    buffer = buffer[length:]
                    if resp.status != 200:
                        failures.append(resp.status)
                    counts[0] += 1

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            for i in range(6):
                install(self.bundle_b if i % 2 == 0 else self.bundle_a, bundle)
                os.kill(srv.pid, signal.SIGHUP)
                expected = i + 1
                wait_for(lambda: metric(srv.port, "kade_reloads_total") == expected,
                         what=f"reload {expected}")
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=10)
        self.assertEqual(failures, [])
        self.assertGreater(counts[0], 50)


if __name__ == "__main__":
    kade_e2e.main()
