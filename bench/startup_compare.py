#!/usr/bin/env python3
"""bench/startup_compare.py — start-up of two kade-serve builds side by side (issue 18).

    python3 bench/startup_compare.py --old /path/to/old/kade-serve [--new build/kade-serve]
        [--index build/kade-index] [--sizes 200,4000,10000] [--runs 5] [--work /tmp/kade-startup]
        [--copy] [--out bench/results/DATE/startup.md]

For each blog size it takes the bundle WORK/site-N.kade, or builds it first (bench/gen_corpus.py
--posts N --seed 1, then kade-index with the configuration bench/run writes: one thread, no
access log). Then it starts the OLD and the NEW kade-serve alternately, --runs times each, on a
free 127.0.0.1 port, and measures:

  first answer  exec to the first 200 on "/" (a fresh connection every 2 ms until one answers)
  verified      exec to the bundle being verified completely: for a build that verifies before
                it serves, the first answer; for one that serves first, /healthz saying
                "verified" (polled every 5 ms)
  RSS           VmRSS of the process (/proc/PID/status) right after the first answer
  reload        SIGHUP (once verified) until kade_reloads_total in /metrics goes up (every 5 ms)

With --copy, the NEW server also runs with [server] copy_bundle = 1 ("new-copy": the bundle
copied into memory, as before, but verified in the background). It prints medians (and
min-max) per size and server, with ratios to OLD, and with --out writes the same as Markdown. The page cache is warm for both (the bundle was just written or read):
this compares the servers' own work, not the disk.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent
HOST = "127.0.0.1"


def log(*a):
    print("startup:", *a, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 2.0) -> tuple[int, bytes] | None:
    """(status, body) of one GET over a fresh connection; None when nothing listens yet."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except (ConnectionRefusedError, ConnectionResetError):
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    if not head:
        return None
    return int(head.split(b" ", 2)[1]), body


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def reloads(port: int) -> int | None:
    r = get(port, "/metrics")
    if not r or r[0] != 200:
        return None
    m = re.search(rb"^kade_reloads_total (\d+)", r[1], re.M)
    return int(m.group(1)) if m else None


def write_config(work: Path, posts: int, port: int = 8080, server_extra: str = "") -> Path:
    """The configuration bench/run writes (Ctx.config): only what the benchmark sets."""
    content, bundle = work / f"blog-{posts}", work / f"site-{posts}.kade"
    path = work / f"site-{posts}-{port}.toml"
    path.write_text(
        f'[site]\ntitle = "Bench"\nbase_url = "http://{HOST}:{port}"\n\n'
        f'[index]\ncontent = "{content}"\noutput = "{bundle}"\n\n'
        f'[server]\nlisten = "{HOST}:{port}"\nthreads = 1\nbundle = "{bundle}"\n{server_extra}\n'
        f'[log]\naccess = "off"\n')
    return path


def ensure_bundle(args, posts: int) -> Path:
    bundle = args.work / f"site-{posts}.kade"
    if bundle.exists():
        return bundle
    content = args.work / f"blog-{posts}"
    if not content.exists():
        log(f"generating {posts} posts")
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--posts", str(posts),
                        "--seed", "1", "--out", str(content)], check=True)
    log(f"indexing {posts} posts (this can take minutes)")
    subprocess.run([str(args.index), "--config", str(write_config(args.work, posts))], check=True,
                   stdout=subprocess.DEVNULL)
    return bundle


def wait_until(predicate, timeout: float, poll: float, proc: subprocess.Popen, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kade-serve exited ({proc.returncode}) waiting for {what}")
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise RuntimeError(f"{what}: nothing within {timeout} s")


def one_run(binary: Path, server_extra: str, args, posts: int) -> dict[str, float]:
    port = free_port()
    config = write_config(args.work, posts, port, server_extra)
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([str(binary), "--config", str(config)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            def answered():
                r = get(port, "/")
                return r if r and r[0] == 200 else None

            wait_until(answered, args.timeout, 0.002, proc, "first answer")
            first = time.monotonic() - started
            rss = rss_kib(proc.pid)
            health = get(port, "/healthz")
            serves_first = health is not None and health[1].split()[2:3] in ([b"verifying"],
                                                                            [b"verified"])
            if serves_first:
                wait_until(lambda: get(port, "/healthz")[1].endswith(b" verified\n"),
                           args.timeout, 0.005, proc, "verified")
                verified = time.monotonic() - started
            else:
                verified = first  # it verified everything before it answered
            before = reloads(port)
            t = time.monotonic()
            os.kill(proc.pid, signal.SIGHUP)
            wait_until(lambda: (reloads(port) or 0) > before, args.timeout, 0.005, proc, "reload")
            reload = time.monotonic() - t
        except Exception:
            err.seek(0)
            log(err.read().decode(errors="replace"))
            raise
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    config.unlink()
    return {"first_ms": first * 1000, "verified_ms": verified * 1000, "rss_mib": rss / 1024,
            "reload_ms": reload * 1000}


COLUMNS = [("first_ms", "first answer (ms)", "{:.0f}"), ("verified_ms", "verified (ms)", "{:.0f}"),
           ("rss_mib", "RSS at first answer (MiB)", "{:.1f}"), ("reload_ms", "reload (ms)", "{:.0f}")]


def table(results: dict[int, dict[str, list[dict[str, float]]]], sizes: dict[int, int]) -> str:
    lines = ["| posts | bundle | server | " + " | ".join(c[1] for c in COLUMNS) + " |",
             "|---|---|---|" + "---|" * len(COLUMNS)]
    for posts, by_server in results.items():
        med = {s: {k: statistics.median(r[k] for r in runs) for k, _, _ in COLUMNS}
               for s, runs in by_server.items()}
        for server, runs in by_server.items():
            cells = []
            for key, _, fmt in COLUMNS:
                values = [r[key] for r in runs]
                cells.append(fmt.format(med[server][key]) +
                             f" ({fmt.format(min(values))}–{fmt.format(max(values))})")
            lines.append(f"| {posts:,} | {sizes[posts] / 2**20:.0f} MiB | {server} | "
                         + " | ".join(cells) + " |")
        for server in by_server:
            if server == "old":
                continue
            cells = [f"{med[server][k] / med['old'][k]:.3f}×" if med["old"][k] else "–"
                     for k, _, _ in COLUMNS]
            lines.append(f"| {posts:,} | | {server}/old | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Medians of the runs, (min–max) after them.")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", type=Path, required=True, help="the kade-serve to compare against")
    ap.add_argument("--new", type=Path, default=SOURCE / "build" / "kade-serve")
    ap.add_argument("--index", type=Path, default=SOURCE / "build" / "kade-index",
                    help="kade-index to build missing bundles with")
    ap.add_argument("--sizes", default="200,4000,10000", help="posts per blog, comma-separated")
    ap.add_argument("--runs", type=int, default=5, help="starts per server and size")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kade-startup"),
                    help="corpora and bundles (never in the repository)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds for any one wait")
    ap.add_argument("--copy", action="store_true",
                    help="also run NEW with [server] copy_bundle = 1")
    ap.add_argument("--out", type=Path, help="also write the table as Markdown here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for name, path in (("old", args.old), ("new", args.new)):
        if not os.access(path, os.X_OK):
            ap.error(f"--{name} {path}: not an executable")
    servers = {"old": (args.old.resolve(), ""), "new": (args.new.resolve(), "")}
    if args.copy:
        servers["new-copy"] = (args.new.resolve(), "copy_bundle = 1\n")

    results: dict[int, dict[str, list[dict[str, float]]]] = {}
    sizes: dict[int, int] = {}
    for posts in (int(s) for s in args.sizes.split(",")):
        bundle = ensure_bundle(args, posts)
        sizes[posts] = bundle.stat().st_size
        bundle.read_bytes()  # warm the page cache the same for both
        results[posts] = {name: [] for name in servers}
        for run in range(args.runs):
            order = list(servers) if run % 2 == 0 else list(reversed(servers))  # alternate
            for server in order:
                r = one_run(*servers[server], args, posts)
                results[posts][server].append(r)
                log(f"{posts} posts, {server}, run {run + 1}: " +
                    ", ".join(f"{k} {v:.1f}" for k, v in r.items()))
    text = table(results, sizes)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = " ".join(shlex.quote(a) for a in ["python3"] + sys.argv)
        args.out.write_text(f"Command: `{command}`\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
