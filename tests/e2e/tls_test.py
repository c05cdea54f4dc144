"""HTTPS to the origin (server.tls_listen): a test CA made here with the openssl CLI, a server
certificate for 127.0.0.1 and localhost, and curl and Python's ssl module as clients that verify
it, as a CDN in "full strict" mode does.

    python3 tests/e2e/tls_test.py --bin-dir build --source-dir .
"""

import shutil
import socket
import ssl
import subprocess
import unittest

import kade_e2e
from kade_e2e import http_get, parse_response

POST = "/2014/01/doen-waar-je-niet-goed-in-bent.html"
HOST = kade_e2e.HOST


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


@unittest.skipIf(not shutil.which("openssl"), "the openssl CLI is not installed")
class TlsTest(kade_e2e.KadeTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pki = cls.work_dir / "pki"
        pki.mkdir()
        ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
        openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Kade test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=pki)
        openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost",
                cwd=pki)
        (pki / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                     "basicConstraints=CA:FALSE\n"
                                     "keyUsage=critical,digitalSignature\n"
                                     "extendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf", cwd=pki)
        cls.ca = pki / "ca.pem"
        cls.tls_port = kade_e2e.free_port()
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml",
            server={"tls_listen": f"{HOST}:{cls.tls_port}", "tls_certificate": str(pki / "server.pem"),
                    "tls_key": str(pki / "server.key"), "header_timeout_ms": 500})
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)

    def curl(self, *args, check=True):
        result = subprocess.run(["curl", "-sS", "--max-time", "5", *args], capture_output=True,
                                timeout=10)
        if check:
            self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def url(self, path, host=HOST):
        return f"https://{host}:{self.tls_port}{path}"

    def tls_request(self, data):
        context = ssl.create_default_context(cafile=str(self.ca))
        with socket.create_connection((HOST, self.tls_port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as sock:
                sock.sendall(data)
                received = bytearray()
                while True:
                    chunk = sock.recv(65536)  # b"" only after the server's close_notify
                    if not chunk:
                        return bytes(received)
                    received += chunk

    def test_curl_verifies_the_certificate_and_gets_the_page(self):
        out = self.curl("--cacert", str(self.ca), "--compressed", self.url(POST)).stdout.decode()
        self.assertIn("Doen waar je NIET goed in bent", out)
        out = self.curl("--cacert", str(self.ca), "--resolve", f"localhost:{self.tls_port}:{HOST}",
                        self.url("/healthz", "localhost")).stdout
        self.assertTrue(out.startswith(b"ok "))

    def test_an_unknown_ca_is_refused_by_curl(self):
        result = self.curl(self.url("/healthz"), check=False)
        self.assertEqual(result.returncode, 60, result.stderr)  # peer certificate not trusted

    def test_negotiation_and_conditionals_work_over_tls(self):
        head = self.curl("--cacert", str(self.ca), "-D", "-", "-o", "/dev/null",
                         "-H", "Accept-Encoding: gzip", self.url(POST)).stdout.decode()
        self.assertIn("content-encoding: gzip", head.lower())
        etag = next(line.split(":", 1)[1].strip() for line in head.splitlines()
                    if line.lower().startswith("etag:"))
        code = self.curl("--cacert", str(self.ca), "-o", "/dev/null", "-w", "%{http_code}",
                         "-H", "Accept-Encoding: gzip", "-H", f"If-None-Match: {etag}",
                         self.url(POST)).stdout
        self.assertEqual(code, b"304")

    def test_keep_alive_over_tls(self):
        result = self.curl("--cacert", str(self.ca), "-v", "-o", "/dev/null", "-o", "/dev/null",
                           self.url(POST), self.url("/"))
        self.assertIn(b"Re-using existing connection", result.stderr)

    def test_pipelined_requests_and_close_notify(self):
        request = (f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n"
                   f"GET {POST} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n").encode()
        responses = kade_e2e.split_responses(self.tls_request(request))
        self.assertEqual([r.status for r in responses], [200, 200])

    def test_refusals_arrive_over_tls_too(self):
        resp = parse_response(self.tls_request(
            f"DELETE {POST} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()))
        self.assertEqual(resp.status, 405)

    def test_plain_http_on_the_tls_port_is_dropped_quickly(self):
        with socket.create_connection((HOST, self.tls_port), timeout=5) as sock:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
        self.assertFalse(data.startswith(b"HTTP/1.1 200"), data)

    def test_a_missing_key_stops_the_server_with_its_name(self):
        config = kade_e2e.write_config(
            self.work_dir / "bad.toml",
            server={"tls_listen": f"{HOST}:{kade_e2e.free_port()}",
                    "tls_certificate": str(self.ca.parent / "server.pem"),
                    "tls_key": str(self.work_dir / "geen.key")})
        result = subprocess.run([str(kade_e2e.bin_path("kade-serve")), "--config", str(config),
                                 "--listen", f"{HOST}:{kade_e2e.free_port()}"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("server.tls_key", result.stderr)
        self.assertIn("geen.key", result.stderr)

    def test_plain_http_port_keeps_working(self):
        self.assertEqual(http_get(self.server.port, POST).status, 200)


if __name__ == "__main__":
    kade_e2e.main()
