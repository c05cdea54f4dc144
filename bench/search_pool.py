#!/usr/bin/env python3
"""Search over HTTP, old build against new, side by side (issue 18: search off the network
threads). For each bundle: searches/s with 1, 4 and 16 connections (bench/run's Zipf query
log, no result cache), and /healthz latency while 16 connections search and while 4 hammer
worst-case wildcard queries. Both servers get the same bundle and [server] threads.

    nice python3 bench/search_pool.py --old /work/base/kade-serve --new build/kade-serve \\
        --bundle /tmp/kade-NAME/s1000.kade --bundle /tmp/kade-NAME/s10000.kade --seconds 5

Prints a Markdown table per bundle. Scratch files go to a temporary folder.
"""

import argparse
import importlib.machinery
import os
import subprocess
import tempfile
import time
import types
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
_loader = importlib.machinery.SourceFileLoader("bench_run", str(HERE / "run"))
run = types.ModuleType(_loader.name)
run.__file__ = str(HERE / "run")
_loader.exec_module(run)  # bench/run's query log, wrk wrapper and Lua script

WORST = "a* b* c* d* e* f* g* h* i* j* k* l* m* n* o* "


def start(binary: Path, bundle: Path, work: Path, threads: int, new: bool):
    port = run.free_port()
    extra = "threads = 0\nqueue = 1024\n" if new else ""
    config = work / f"serve-{port}.toml"
    config.write_text(f"""[site]
title = "Bench"
base_url = "http://{run.HOST}:{port}"
[server]
listen = "{run.HOST}:{port}"
threads = {threads}
bundle = "{bundle}"
[search]
cache_entries = 0
{extra}""")
    proc = subprocess.Popen([str(binary), "--config", str(config)], stdout=subprocess.DEVNULL,
                            stderr=open(work / f"serve-{port}.log", "wb"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if run.raw_get(port, "/healthz", timeout=1)[0] == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{binary} did not start")


def under_load(port, lua, load_paths, conns, seconds, pid):
    """/healthz over one connection while `conns` connections search."""
    env = dict(os.environ, KADE_WRK_PATHS=str(load_paths))
    load = subprocess.Popen(["wrk", "-t1", f"-c{conns}", f"-d{seconds + 2}s", "--timeout", "30s",
                             "-s", str(lua), f"http://{run.HOST}:{port}/"], env=env,
                            stdout=subprocess.PIPE, text=True)
    time.sleep(1)
    health = run.wrk(port, "/healthz", 1, seconds, {}, lua)
    out, _ = load.communicate(timeout=seconds + 120)
    searches = run.json.loads(run.re.search(r"^JSON (.*)$", out, run.re.M).group(1))
    return health, searches


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    ap.add_argument("--bundle", type=Path, action="append", required=True)
    ap.add_argument("--threads", type=int, default=2, help="[server] threads of both")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=2000)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kade-search-pool-"))
    lua = work / "wrk.lua"
    lua.write_text(run.WRK_LUA)
    paths = work / "paths.txt"
    paths.write_text("".join(f"/api/search?q={quote(q)}\n" for q in run.query_log(a.queries, 1)))
    worst = work / "worst.txt"
    worst.write_text("".join(f"/api/search?q={quote(WORST + f'zq{i}x')}\n" for i in range(5000)))
    for bundle in a.bundle:
        rows = []
        for name, binary in (("old", a.old), ("new", a.new)):
            proc, port = start(binary, bundle, work, a.threads, name == "new")
            try:
                row = {"build": name}
                for c in (1, 4, 16):
                    r = run.wrk(port, "/", c, a.seconds, {}, lua, paths)
                    row[f"c{c}"] = f"{r['rps']:.0f} (p99 {r['p99_us'] / 1000:.1f} ms)"
                    row[f"rps{c}"] = r["rps"]
                h, s = under_load(port, lua, paths, 16, a.seconds, proc.pid)
                row["health16"] = (f"p50 {h['p50_us'] / 1000:.2f} / p99 {h['p99_us'] / 1000:.2f}"
                                   f" / max {h['max_us'] / 1000:.1f} ms")
                h, s = under_load(port, lua, worst, 4, a.seconds, proc.pid)
                row["healthworst"] = (f"p50 {h['p50_us'] / 1000:.2f} / p99 "
                                      f"{h['p99_us'] / 1000:.2f} / max {h['max_us'] / 1000:.1f} ms"
                                      f" ({s['requests']} worst searches, p50 "
                                      f"{s['p50_us'] / 1000:.0f} ms)")
                rows.append(row)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        print(f"\n### {bundle.name}\n")
        print("| build | searches/s c=1 | c=4 | c=16 | c=4 ÷ c=1 | /healthz under 16 searching "
              "| /healthz under 4 worst-case |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['build']} | {r['c1']} | {r['c4']} | {r['c16']} | "
                  f"{r['rps4'] / max(r['rps1'], 1):.2f}× | {r['health16']} | {r['healthworst']} |")


if __name__ == "__main__":
    main()
