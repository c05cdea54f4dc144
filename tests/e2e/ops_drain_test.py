"""Graceful drain: SIGTERM/SIGINT stop accepting, close idle keep-alive connections at once,
let requests in flight finish within server.shutdown_timeout_ms, and exit 0.

    python3 tests/e2e/ops_drain_test.py --bin-dir build --source-dir .
"""

import signal
import socket
import time

import kade_e2e
from kade_e2e import http_get

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"


def keep_alive_request(sock, path=POST):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    data = b""
    while kade_e2e._response_length(data, head=False) is None:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole response: {data[:200]!r}")
        data += chunk
    return kade_e2e.parse_response(data)


def wait_exit(server, timeout):
    """Seconds until the server process exits, and its exit status."""
    start = time.monotonic()
    status = server.process.wait(timeout=timeout)
    return time.monotonic() - start, status


class DrainTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml",
            server={"idle_timeout_ms": 60000, "header_timeout_ms": 60000,
                    "shutdown_timeout_ms": 3000})
        kade_e2e.check_index(cls.config)

    def server(self):
        srv = kade_e2e.Server(self.config)
        self.addCleanup(srv.stop)
        return srv.start()

    def test_idle_keep_alive_connections_are_closed_at_once(self):
        srv = self.server()
        socks = []
        for _ in range(40):
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            self.addCleanup(sock.close)
            self.assertEqual(keep_alive_request(sock).status, 200)
            socks.append(sock)
        # All 40 are idle now, with a 60 s idle timeout; a drain must not wait for them.
        srv.process.send_signal(signal.SIGTERM)
        took, status = wait_exit(srv, 10)
        self.assertEqual(status, 0, srv.stderr_text())
        self.assertLess(took, 1.5, "idle connections held the drain")
        for sock in socks:
            sock.settimeout(2)
            try:
                self.assertEqual(sock.recv(100), b"", "an idle connection gets a clean close")
            except ConnectionResetError:
                pass
        self.assertIn("stopped", srv.stderr_text())

    def test_a_request_in_flight_finishes_and_then_the_connection_closes(self):
        srv = self.server()
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        self.addCleanup(sock.close)
        self.assertEqual(keep_alive_request(sock).status, 200)
        # Half a header: this request is in flight when the signal comes.
        sock.sendall(f"GET {POST} HTTP/1.1\r\nHost: x\r\n".encode())
        time.sleep(0.2)
        srv.process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        self.assertIsNone(srv.process.poll(), "exited with a request in flight")
        # New connections are refused while draining.
        with self.assertRaises(OSError):
            http_get(srv.port, "/healthz", timeout=1)
        sock.sendall(b"Accept-Encoding: gzip\r\n\r\n")
        resp = kade_e2e.read_response(sock)
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers.get("Connection"), "close", "draining: no more requests here")
        self.assertEqual(resp.headers.get("Content-Encoding"), "gzip")
        took, status = wait_exit(srv, 10)
        self.assertEqual(status, 0, srv.stderr_text())
        self.assertLess(took, 1.5)

    def test_the_drain_is_bounded_by_shutdown_timeout(self):
        srv = self.server()
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        self.addCleanup(sock.close)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        time.sleep(0.2)
        srv.process.send_signal(signal.SIGTERM)
        took, status = wait_exit(srv, 10)
        self.assertEqual(status, 0, srv.stderr_text())
        self.assertGreater(took, 2.5, "gave up before shutdown_timeout_ms")
        self.assertLess(took, 4.5, "waited past shutdown_timeout_ms")
        self.assertIn("still open", srv.stderr_text())


if __name__ == "__main__":
    kade_e2e.main()
