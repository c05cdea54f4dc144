"""Black-box harness for Kade: the real kade-index and kade-serve, over real sockets on 127.0.0.1.

A test script imports this module, subclasses KadeTestCase and ends with `kade_e2e.main()`:

    import kade_e2e

    class FeedTest(kade_e2e.KadeTestCase):
        @classmethod
        def setUpClass(cls):
            super().setUpClass()
            cls.config = kade_e2e.write_config(cls.work_dir / "kade.toml")
            kade_e2e.check_index(cls.config)
            cls.server = cls.start_server(cls.config)

        def test_feed_is_atom(self):
            resp = kade_e2e.http_get(self.server.port, "/feeds/posts/default")
            ...

    if __name__ == "__main__":
        kade_e2e.main()

and runs as `python3 tests/e2e/feed_test.py --bin-dir build --source-dir .`.

HTTP goes over plain sockets on purpose: urllib and http.client decode, merge and normalise
exactly the things these tests must see as sent (paths, repeated headers, encodings, bodies of
HEAD and 304 responses). Every network call and every child process is bounded in time.
"""

from __future__ import annotations

import argparse
import atexit
import collections.abc
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
INDEX_TIMEOUT_S = 120
STARTUP_TIMEOUT_S = 15
STARTUP_POLL_S = 0.05
STOP_GRACE_S = 5
DECODE_TIMEOUT_S = 30

# ---------------------------------------------------------------------------------------------
# Where the binaries and the sources are
# ---------------------------------------------------------------------------------------------

# Set by main() (or configure()); read through bin_path() and source_path() so that modules
# which import this one early still see the values given on the command line.
_bin_dir: Path | None = None
_source_dir: Path | None = None


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Take --bin-dir and --source-dir out of argv and leave the rest for unittest.

    The environment variables KADE_BIN_DIR and KADE_SOURCE_DIR are fallbacks, so a test can
    also be run as `python3 -m unittest` from an editor.
    """
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--bin-dir", default=os.environ.get("KADE_BIN_DIR"),
                        help="directory holding kade-index and kade-serve")
    parser.add_argument("--source-dir", default=os.environ.get("KADE_SOURCE_DIR"),
                        help="the repository root (holds content/)")
    return parser.parse_known_args(argv)


def configure(bin_dir: str | os.PathLike, source_dir: str | os.PathLike) -> None:
    """Record the directories as absolute paths: servers run with another working directory."""
    global _bin_dir, _source_dir
    _bin_dir = Path(bin_dir).resolve()
    _source_dir = Path(source_dir).resolve()


def main() -> None:
    """Parse our flags, hand the rest to unittest; unittest exits non-zero when a test fails."""
    args, rest = parse_args(sys.argv[1:])
    if args.bin_dir is None or args.source_dir is None:
        sys.exit(f"usage: {sys.argv[0]} --bin-dir DIR --source-dir DIR [unittest options]")
    configure(args.bin_dir, args.source_dir)
    # A runner's SIGTERM (a ctest timeout, say) unwinds like Ctrl-C, so the atexit hook
    # below still stops the servers instead of leaving them to hold ports.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    unittest.main(argv=[sys.argv[0], *rest])


def bin_path(name: str) -> Path:
    """Path of a Kade program, e.g. bin_path("kade-serve")."""
    if _bin_dir is None:
        raise RuntimeError("no --bin-dir given (or KADE_BIN_DIR set)")
    return _bin_dir / name


def source_path(*parts: str) -> Path:
    """Path inside the source tree, e.g. source_path("content")."""
    if _source_dir is None:
        raise RuntimeError("no --source-dir given (or KADE_SOURCE_DIR set)")
    return _source_dir.joinpath(*parts)


def _configure_from_environment() -> None:
    """Let `python3 -m unittest` work without main(), from the environment alone."""
    if _bin_dir is None and os.environ.get("KADE_BIN_DIR") and os.environ.get("KADE_SOURCE_DIR"):
        configure(os.environ["KADE_BIN_DIR"], os.environ["KADE_SOURCE_DIR"])


# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------

# Every key of kade.toml, with the values tests want: two threads, no access log.
# The paths (index.content, index.output, server.bundle) are filled in by write_config.
BASE_CONFIG: dict[str, dict[str, object]] = {
    "site": {
        "title": "Kade",
        "base_url": "http://127.0.0.1:8080",
        "language": "nl",
        "author": "Sonja van Vuren",
        "description": "Over ondernemen, samenwerken en doen waar je goed in bent.",
    },
    "index": {
        "content": None,
        "output": None,
        "zstd_level": 19,
        "gzip_level": 9,
        "posts_per_page": 10,
    },
    "server": {
        "listen": "127.0.0.1:8080",
        "threads": 2,
        "bundle": None,
        "header_timeout_ms": 10000,
        "idle_timeout_ms": 60000,
        "max_connections": 10000,
        "max_header_bytes": 8192,
        "max_uri_bytes": 4096,
    },
    "http": {
        "server_header": "kade",
    },
    "search": {
        "per_page": 10,
        "max_per_page": 50,
    },
    "log": {
        "access": "off",
    },
}


def fixture_site() -> Path:
    """The fixture blog (tests/fixtures/site/content): every kind of page, drafts, comments."""
    return source_path("tests", "fixtures", "site", "content")


def copy_content(dest: str | os.PathLike, source: str | os.PathLike | None = None) -> Path:
    """A copy of a content folder at dest, for a test to change; the source tree's content/
    unless `source` is given. Returns dest."""
    shutil.copytree(source if source is not None else source_path("content"), dest)
    return Path(dest)


def write_config(path: str | os.PathLike, **overrides: dict[str, object]) -> Path:
    """Write a complete kade.toml at path and return the path.

    Overrides go per section, e.g. `write_config(p, server={"max_uri_bytes": 100})`; a value
    of None leaves the key out, so its built-in default applies. Unless overridden, the content
    is the source tree's content/ and the bundle is site.kade next to the config file, both as
    absolute paths because relative ones depend on the working directory.
    """
    path = Path(path).resolve()
    sections = {name: dict(keys) for name, keys in BASE_CONFIG.items()}
    bundle = str(path.parent / "site.kade")
    sections["index"]["content"] = str(source_path("content"))
    sections["index"]["output"] = bundle
    sections["server"]["bundle"] = bundle
    for name, keys in overrides.items():
        sections.setdefault(name, {}).update(keys)

    lines: list[str] = []
    for name, keys in sections.items():
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in keys.items()
                     if value is not None)
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def toml_value(value: object) -> str:
    """One Python value as TOML: str, Path, bool, int, float, or a list of those."""
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        # JSON's string escapes are TOML basic-string escapes, except that TOML also wants DEL
        # escaped; ensure_ascii=False avoids \ud83d-style surrogates, which TOML rejects.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


# ---------------------------------------------------------------------------------------------
# The indexer
# ---------------------------------------------------------------------------------------------

def run_index(config: str | os.PathLike, content: str | os.PathLike | None = None,
              out: str | os.PathLike | None = None,
              extra_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run kade-index and return its result (stdout and stderr as text); never raises on exit codes.

    It runs in the config file's directory, so relative paths a test puts in a config resolve
    somewhere private to the test.
    """
    config = Path(config).resolve()
    command = [str(bin_path("kade-index")), "--config", str(config)]
    if content is not None:
        command += ["--content", str(content)]
    if out is not None:
        command += ["--out", str(out)]
    command += list(extra_args)
    return subprocess.run(command, cwd=config.parent, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace",
                          timeout=INDEX_TIMEOUT_S)


def check_index(config: str | os.PathLike, content: str | os.PathLike | None = None,
                out: str | os.PathLike | None = None) -> subprocess.CompletedProcess:
    """run_index, but a failure stops the test with the indexer's own stderr in the message."""
    result = run_index(config, content=content, out=out)
    if result.returncode != 0:
        raise AssertionError(f"kade-index exited with {result.returncode}:\n{result.stderr}")
    return result


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    """A port that was free a moment ago (the kernel picks it; the race is small enough)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# Servers not yet stopped and work dirs not yet removed: an interrupted run skips the class
# cleanups, so these are also dealt with at interpreter exit; no kade-serve outlives its test.
_running_servers: set["Server"] = set()
_work_dirs: list[Path] = []


@atexit.register
def _clean_up_leftovers() -> None:
    for server in list(_running_servers):
        server.stop()
    for work_dir in _work_dirs:
        shutil.rmtree(work_dir, ignore_errors=True)


class Server:
    """kade-serve on a free port of 127.0.0.1, for the length of a `with` block.

        with Server(config) as server:
            http_get(server.port, "/")

    start() returns once /healthz answers 200. stop() sends SIGTERM to the PID, then SIGKILL
    after 5 s, and records the exit status in `returncode`; it runs on leaving the block
    whether or not the test failed. stdout and stderr go to files in the work directory (a
    pipe nobody reads would block a chatty server); stderr_text() reads them back.
    """

    def __init__(self, config: str | os.PathLike, bundle: str | os.PathLike | None = None,
                 port: int | None = None, extra_args: tuple[str, ...] = (),
                 work_dir: str | os.PathLike | None = None, env: dict[str, str] | None = None):
        self.config = Path(config).resolve()
        self.env = {**os.environ, **env} if env else None  # added to this process's environment
        self.bundle = bundle
        self.port = port if port is not None else free_port()
        self.extra_args = tuple(extra_args)
        self.work_dir = Path(work_dir) if work_dir is not None else self.config.parent
        self.stdout_path = self.work_dir / f"kade-serve-{self.port}.stdout"
        self.stderr_path = self.work_dir / f"kade-serve-{self.port}.stderr"
        self.process: subprocess.Popen | None = None
        self.returncode: int | None = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.process is not None, "server not started"
        return self.process.pid

    def command(self) -> list[str]:
        command = [str(bin_path("kade-serve")), "--config", str(self.config),
                   "--listen", f"{HOST}:{self.port}"]
        if self.bundle is not None:
            command += ["--bundle", str(self.bundle)]
        return command + list(self.extra_args)

    def start(self) -> "Server":
        """Start the server and wait until it is healthy; on failure, stop it and show stderr."""
        with open(self.stdout_path, "wb") as stdout, open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(self.command(), cwd=self.work_dir,
                                            stdin=subprocess.DEVNULL, stdout=stdout,
                                            stderr=stderr, env=self.env)
        _running_servers.add(self)
        try:
            self.wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_healthy(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Poll GET /healthz every 50 ms until it answers 200, the process dies, or time runs out."""
        deadline = time.monotonic() + timeout
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kade-serve exited with {self.process.returncode} "
                                   f"before it was healthy:\n{self.stderr_text()}")
            try:
                resp = http_get(self.port, "/healthz", timeout=1)
                if resp.status == 200:
                    return
                last_problem = f"/healthz answered {resp.status}"
            except (OSError, ValueError) as error:  # refused while starting, or a garbled answer
                last_problem = f"{type(error).__name__}: {error}"
            time.sleep(STARTUP_POLL_S)
        raise RuntimeError(f"kade-serve on port {self.port} not healthy after {timeout} s "
                           f"({last_problem}); its stderr:\n{self.stderr_text()}")

    def stop(self) -> int | None:
        """SIGTERM, wait up to 5 s, then SIGKILL. Safe to call twice; returns the exit status."""
        process = self.process
        if process is None:
            return self.returncode
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_GRACE_S)
        self.returncode = process.returncode
        self.process = None
        _running_servers.discard(self)
        return self.returncode

    def stderr_text(self, limit: int = 8000) -> str:
        """The server's stderr so far (its last `limit` characters), for failure messages."""
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            return f"(cannot read {self.stderr_path}: {error})"
        return text[-limit:] if text else "(empty)"


# ---------------------------------------------------------------------------------------------
# Test case base
# ---------------------------------------------------------------------------------------------

class KadeTestCase(unittest.TestCase):
    """Base for black-box tests: a fresh temporary `work_dir` per test class.

    The directory and any server started with start_server() are cleaned up after the class,
    also when a test or setUpClass fails. Set KADE_KEEP_TMP=1 to keep the directory.
    """

    work_dir: Path

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        _configure_from_environment()
        for program in ("kade-index", "kade-serve"):
            if not bin_path(program).is_file():
                raise FileNotFoundError(f"{bin_path(program)} not found: build it first, "
                                        "or pass the right --bin-dir")
        cls.work_dir = Path(tempfile.mkdtemp(prefix=f"kade-{cls.__name__}-"))
        if not os.environ.get("KADE_KEEP_TMP"):
            _work_dirs.append(cls.work_dir)
            cls.addClassCleanup(shutil.rmtree, cls.work_dir, ignore_errors=True)

    @classmethod
    def serve_content(cls, content: str | os.PathLike,
                      **overrides: dict[str, object]) -> subprocess.CompletedProcess:
        """Index `content` into work_dir/site.kade, with a config at work_dir/kade.toml
        (`overrides` as for write_config), and serve it: sets cls.config, cls.bundle and
        cls.server, and returns kade-index's result."""
        index = {"content": str(content), **overrides.pop("index", {})}
        cls.config = write_config(cls.work_dir / "kade.toml", index=index, **overrides)
        cls.bundle = cls.work_dir / "site.kade"
        result = check_index(cls.config, out=cls.bundle)
        cls.server = cls.start_server(cls.config, bundle=cls.bundle)
        return result

    @classmethod
    def start_server(cls, config: str | os.PathLike, **kwargs) -> Server:
        """Start a Server that is stopped when the class is done (before work_dir goes)."""
        server = Server(config, **kwargs)
        cls.addClassCleanup(server.stop)
        return server.start()


# ---------------------------------------------------------------------------------------------
# HTTP over a plain socket
# ---------------------------------------------------------------------------------------------

class Headers(collections.abc.Mapping):
    """Response header fields as received; names are case-insensitive.

    `headers["ETag"]` is the value as a string when the field came once, and a list of strings
    when it came more than once, so an accidental duplicate fails an equality check instead of
    hiding. get_all() always gives a list (empty when absent); items() keeps the order and the
    spelling of the wire.
    """

    def __init__(self, fields: list[tuple[str, str]]):
        self._fields = list(fields)

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for field, value in self._fields if field.lower() == name]

    def __getitem__(self, name: str) -> str | list[str]:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return values[0] if len(values) == 1 else values

    def __iter__(self):
        seen = []
        for field, _ in self._fields:
            if field.lower() not in seen:
                seen.append(field.lower())
        return iter(seen)

    def __len__(self) -> int:
        return len({field.lower() for field, _ in self._fields})

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_all(name))

    def fields(self) -> list[tuple[str, str]]:
        """(name, value) pairs in wire order and spelling."""
        return list(self._fields)

    def __repr__(self) -> str:
        return f"Headers({self._fields!r})"


@dataclass
class Response:
    status: int
    reason: str
    headers: Headers
    body: bytes
    raw: bytes  # the whole response as received, for failure messages

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.reason} {self.headers!r} body={self.body[:200]!r}>"


def raw_request(port: int, data: bytes, timeout: float = 5, until_close: bool = False) -> bytes:
    """Send bytes as they are to 127.0.0.1:port and return what comes back.

    Reads until the server closes, or (unless until_close) until one complete response has
    arrived: headers plus Content-Length bytes or a final chunk; a HEAD request or a 1xx/204/304
    status has no body. Use until_close=True for pipelined requests, and parse them with
    split_responses(). A reset after the server has answered is taken as a close: servers
    often reset when they refuse a request they did not read to its end. Raises TimeoutError
    if neither happens within `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    head = data.startswith(b"HEAD ")
    received = bytearray()
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading, e.g. after an oversized header; read its answer
        while until_close or _response_length(received, head) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(_timeout_message(timeout, received))
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                raise TimeoutError(_timeout_message(timeout, received)) from None
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    return bytes(received)


def _timeout_message(timeout: float, received: bytes) -> str:
    return f"no complete response within {timeout} s; received {bytes(received)[:500]!r}"


def http_get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET",
             timeout: float = 5) -> Response:
    """One HTTP/1.1 request with `Connection: close`; the path goes out exactly as given.

    Host and Connection are added unless `headers` has them. A HEAD response is read until the
    server closes, so a body sent by mistake shows up in `body`.
    """
    headers = dict(headers or {})
    names = {name.lower() for name in headers}
    lines = [f"{method} {path} HTTP/1.1"]
    if "host" not in names:
        lines.append(f"Host: {HOST}:{port}")
    if "connection" not in names:
        lines.append("Connection: close")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    head = method == "HEAD"
    return parse_response(raw_request(port, data, timeout=timeout, until_close=head), head=head)


def read_response(sock: socket.socket) -> Response:
    """One whole response from an open keep-alive connection (the socket's timeout bounds it)."""
    data = b""
    while _response_length(data, head=False) is None:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole response: {data[:200]!r}")
        data += chunk
    return parse_response(data)


def parse_response(data: bytes, head: bool = False) -> Response:
    """The first response in data; for HEAD, every byte after the header block counts as body,
    so that a body sent by mistake is seen."""
    if head:
        if _split_head(data) is None:
            raise ValueError(f"incomplete HTTP response: {data[:500]!r}")
        return _parse_one(data, head=True)
    length = _response_length(data, head=False, closed=True)
    if length is None:
        raise ValueError(f"incomplete HTTP response: {data[:500]!r}")
    return _parse_one(data[:length], head=False)


def split_responses(data: bytes) -> list[Response]:
    """Every response in data, in order, as read until the server closed (pipelining).

    No HEAD requests among them, please: a HEAD response's length cannot be told from its
    headers. A response framed by neither Content-Length nor chunked runs to the end of data.
    """
    responses = []
    while data:
        length = _response_length(data, head=False, closed=True)
        if length is None:
            raise ValueError(f"incomplete HTTP response: {data[:500]!r}")
        responses.append(_parse_one(data[:length], head=False))
        data = data[length:]
    return responses


def _split_head(data: bytes) -> tuple[int, str, list[tuple[str, str]], int] | None:
    """Status, reason, header fields and where the body starts; None while incomplete."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    status_line, *field_lines = data[:end].decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"bad status line {status_line!r}")
    fields = []
    for line in field_lines:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise ValueError(f"bad header line {line!r}")
        fields.append((name, value.strip(" \t")))
    return int(parts[1]), parts[2] if len(parts) == 3 else "", fields, end + 4


def _response_length(data: bytes, head: bool, closed: bool = False) -> int | None:
    """Byte length of the first response in data, or None if it has not fully arrived.

    A response without Content-Length or chunked framing is delimited by the close (RFC 9112
    §6.3): it is complete only once the connection is `closed`, and then takes all of data.
    """
    split = _split_head(data)
    if split is None:
        return None
    status, _, fields, body_start = split
    if head or 100 <= status < 200 or status in (204, 304):
        return body_start
    headers = Headers(fields)
    if "chunked" in ",".join(headers.get_all("Transfer-Encoding")).lower():
        return _chunked_end(data, body_start)
    lengths = headers.get_all("Content-Length")
    if not lengths:
        return len(data) if closed else None
    total = body_start + int(lengths[0])
    return total if len(data) >= total else None


def _chunked_end(data: bytes, pos: int) -> int | None:
    """Where a chunked body starting at pos ends (after the trailers), or None if incomplete."""
    while True:
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(data[pos:line_end].split(b";")[0].strip(), 16)
        pos = line_end + 2
        if size == 0:
            trailer_end = data.find(b"\r\n\r\n", pos - 2)
            return None if trailer_end < 0 else trailer_end + 4
        if len(data) < pos + size + 2:
            return None
        pos += size + 2


def _dechunk(data: bytes) -> bytes:
    body = bytearray()
    pos = 0
    while True:
        line_end = data.index(b"\r\n", pos)
        size = int(data[pos:line_end].split(b";")[0].strip(), 16)
        if size == 0:
            return bytes(body)
        body += data[line_end + 2:line_end + 2 + size]
        pos = line_end + 2 + size + 2


def _parse_one(data: bytes, head: bool) -> Response:
    status, reason, fields, body_start = _split_head(data)
    headers = Headers(fields)
    body = data[body_start:]
    if not head and "chunked" in ",".join(headers.get_all("Transfer-Encoding")).lower():
        body = _dechunk(body)
    return Response(status, reason, headers, body, data)


def decode_body(resp: Response) -> bytes:
    """The body with its Content-Encoding undone: zstd (by the zstd tool), gzip, or none."""
    codings = [coding.strip().lower() for value in resp.headers.get_all("Content-Encoding")
               for coding in value.split(",") if coding.strip()]
    if not codings or codings == ["identity"]:
        return resp.body
    if codings == ["gzip"]:
        return gzip.decompress(resp.body)
    if codings == ["zstd"]:
        result = subprocess.run(["zstd", "-dcq"], input=resp.body, capture_output=True,
                                timeout=DECODE_TIMEOUT_S)
        if result.returncode != 0:
            raise ValueError(f"zstd cannot decode the body: {result.stderr.decode(errors='replace')}")
        return result.stdout
    raise ValueError(f"unexpected Content-Encoding {codings}")


def decode_text(resp: Response) -> str:
    """decode_body as UTF-8 text (Kade serves all text as UTF-8)."""
    return decode_body(resp).decode("utf-8")
