"""Start and hot reload. kade-serve serves as soon as the bundle's structure is checked and
verifies the rest in the background (/healthz "verifying", then "verified"); a bundle that fails
that check stops it (exit 1, one log line), a bad header is refused before anything is served.
SIGHUP and a new file at the bundle path swap bundles; bad bundles are refused with one log line
each while the old bundle keeps serving; requests in flight never fail.

    python3 tests/e2e/ops_reload_test.py --bin-dir build --source-dir .
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
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


def healthz(port):
    resp = http_get(port, "/healthz", timeout=2)
    assert resp.status == 200, resp
    return resp.body.decode()


def section(data, kind):
    """(offset, size) of a bundle section (common/bundle_format.hpp: a 128-byte header, then
    32-byte records: kind u32, reserved u32, offset u64, size u64, checksum u64)."""
    at = 128 + (kind - 1) * 32
    found, _, offset, size, _ = struct.unpack_from("<IIQQQ", data, at)
    assert found == kind, (found, kind)
    return offset, size


BODIES = 2  # section kind of the page bodies


def wait_exit(process, timeout):
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"kade-serve still running after {timeout} s")


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

    def start(self, name, env=None, content=None, **server):
        bundle = self.work_dir / f"{name}.kade"
        if content is None:
            shutil.copyfile(self.bundle_a, bundle)
        else:
            bundle.write_bytes(content)
        config = kade_e2e.write_config(self.work_dir / f"{name}.toml",
                                       server={"bundle": str(bundle), **server})
        srv = kade_e2e.Server(config, env=env)
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

    def test_every_thread_lets_go_of_the_replaced_bundle_without_a_request(self):
        # Two network threads, both having served (and searched) the first bundle; after the
        # reload no request arrives, yet the replaced file is neither mapped nor open any more.
        srv, bundle = self.start("idle", watch_bundle=0, threads=2)
        for i in range(40):  # fresh connections: SO_REUSEPORT spreads them over both threads
            self.assertEqual(http_get(srv.port, f"/api/search?q=klanten{i % 4}").status, 200)

        def holds_replaced():
            maps = open(f"/proc/{srv.pid}/maps", encoding="utf-8").read()
            fds = [os.readlink(f"/proc/{srv.pid}/fd/{fd}")
                   for fd in os.listdir(f"/proc/{srv.pid}/fd")]
            replaced = f"{bundle} (deleted)"
            return replaced in maps or replaced in fds

        install(self.bundle_b, bundle)
        self.assertTrue(holds_replaced(), "the bundle being served is mapped or open")
        os.kill(srv.pid, signal.SIGHUP)
        wait_for(lambda: ", reload 1" in srv.stderr_text(), what="the reload's log line")
        wait_for(lambda: not holds_replaced(), timeout=5,
                 what="no thread holding the replaced bundle")

    def test_a_new_file_at_the_bundle_path_reloads(self):
        srv, bundle = self.start("watch", watch_bundle=1)
        first = build_id(srv.port)
        install(self.bundle_b, bundle)
        wait_for(lambda: build_id(srv.port) != first, what="reload after rename into place")
        second = build_id(srv.port)
        install(self.bundle_a, bundle)
        wait_for(lambda: build_id(srv.port) == first, what="reload after the second rename")
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 2)
        self.assertNotEqual(first, second)
        # Other files in the folder are ignored.
        (bundle.parent / "unrelated.txt").write_text("x")
        time.sleep(0.3)
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 2)

    def test_with_copy_bundle_a_copy_over_the_file_reloads(self):
        # Mapped (the default), the bundle may only be replaced by rename; copied into memory
        # (copy_bundle = 1), a copy straight over the file is safe, and reloads (IN_CLOSE_WRITE).
        srv, bundle = self.start("copied", watch_bundle=1, copy_bundle=1)
        first = build_id(srv.port)
        self.assertIn("copied, verifying in the background", srv.stderr_text())
        shutil.copyfile(self.bundle_b, bundle)
        wait_for(lambda: build_id(srv.port) != first, what="reload after copy over the file")
        shutil.copyfile(self.bundle_a, bundle)
        wait_for(lambda: build_id(srv.port) == first, what="reload after a second copy")
        self.assertEqual(metric(srv.port, "kade_reloads_total"), 2)
        self.assertEqual(http_get(srv.port, POST, {"Accept-Encoding": "gzip"}).status, 200)

    def test_start_serves_at_once_and_says_verified_after_the_check(self):
        # The check waits 1.5 s (a test hook), as on a big bundle: the server answers meanwhile.
        srv, bundle = self.start("verifying", env={"KADE_TEST_CHECK_DELAY_MS": "1500"})
        build = build_id(srv.port)
        self.assertEqual(healthz(srv.port), f"ok {build} verifying\n")
        self.assertEqual(metric(srv.port, "kade_bundle_verified"), 0)
        self.assertEqual(http_get(srv.port, POST, {"Accept-Encoding": "gzip"}).status, 200)
        self.assertEqual(http_get(srv.port, "/api/search?q=klanten").status, 200)
        wait_for(lambda: healthz(srv.port).endswith(" verified\n"), timeout=15,
                 what="verified on /healthz")
        self.assertEqual(healthz(srv.port), f"ok {build} verified\n")
        self.assertEqual(metric(srv.port, "kade_bundle_verified"), 1)
        self.assertIn(f"kade-serve: verified {bundle} (build {build})", srv.stderr_text())
        # And without the hook, a small bundle is verified at once.
        srv2, _ = self.start("verified")
        wait_for(lambda: healthz(srv2.port).endswith(" verified\n"), timeout=10,
                 what="verified on /healthz")
        self.assertEqual(srv2.stop(), 0)
        self.assertEqual(srv.stop(), 0)

    def flipped_body_byte(self):
        data = bytearray(self.bundle_a.read_bytes())
        offset, size = section(data, BODIES)
        data[offset + size // 2] ^= 0x01
        return bytes(data)

    def test_a_flipped_body_byte_is_served_at_first_then_stops_the_server(self):
        srv, bundle = self.start("flipped", env={"KADE_TEST_CHECK_DELAY_MS": "1000"},
                                 content=self.flipped_body_byte())
        # The structure is fine, so it serves...
        self.assertTrue(healthz(srv.port).endswith(" verifying\n"))
        self.assertEqual(http_get(srv.port, POST, {"Accept-Encoding": "gzip"}).status, 200)
        # ...until the check finds the byte: one line naming the bundle and the fault, exit 1.
        status = wait_exit(srv.process, timeout=20)
        self.assertEqual(status, 1, srv.stderr_text())
        lines = [line for line in srv.stderr_text().splitlines() if "checksum mismatch" in line]
        self.assertEqual(len(lines), 1, srv.stderr_text())
        self.assertIn("the bundle being served failed its check", lines[0])
        self.assertIn(f"bundle {bundle}: section 2 (page bodies) checksum mismatch", lines[0])
        self.assertIn("stopped (the bundle failed its check)", srv.stderr_text())
        with self.assertRaises(OSError):
            http_get(srv.port, "/healthz", timeout=1)

    def test_a_flipped_body_byte_stops_the_server_without_delay_too(self):
        bundle = self.work_dir / "flipped-now.kade"
        bundle.write_bytes(self.flipped_body_byte())
        config = kade_e2e.write_config(self.work_dir / "flipped-now.toml",
                                       server={"bundle": str(bundle)})
        srv = kade_e2e.Server(config)
        self.addCleanup(srv.stop)
        with open(srv.stderr_path, "wb") as err:
            process = subprocess.Popen(srv.command(), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=err)
        self.assertEqual(wait_exit(process, timeout=20), 1)
        self.assertIn("checksum mismatch", srv.stderr_text())

    def test_a_bad_header_is_refused_at_once_and_nothing_is_served(self):
        data = self.bundle_a.read_bytes()
        wrong_version = bytearray(data)
        wrong_version[8:12] = struct.pack("<I", 99)
        bad_table = bytearray(data)
        bad_table[128 + 32 + 8] ^= 0x10  # the bodies' offset: caught by the header checksum
        cases = {
            "truncated": (data[:100], "too short"),
            "half-written": (data[: len(data) - 100], "truncated or half-written"),
            "wrong version": (bytes(wrong_version), "bundle format version 99"),
            "bad section table": (bytes(bad_table), "header checksum mismatch"),
            "not a bundle": (b"<html>this is not a bundle</html>\n" * 100, "bad magic"),
        }
        for name, (content, why) in cases.items():
            with self.subTest(name):
                bundle = self.work_dir / "bad-start.kade"
                bundle.write_bytes(content)
                config = kade_e2e.write_config(self.work_dir / "bad-start.toml",
                                               server={"bundle": str(bundle)})
                srv = kade_e2e.Server(config)
                with open(srv.stderr_path, "wb") as err:
                    process = subprocess.Popen(srv.command(), stdin=subprocess.DEVNULL,
                                               stdout=subprocess.DEVNULL, stderr=err)
                    started = time.monotonic()
                    self.assertEqual(wait_exit(process, timeout=10), 1)
                self.assertLess(time.monotonic() - started, 5)
                text = srv.stderr_text()
                self.assertIn(f"cannot load bundle {bundle}: ", text)
                self.assertIn(why, text)
                self.assertNotIn("serving", text)  # never listened

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
