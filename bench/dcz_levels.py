#!/usr/bin/env python3
"""dcz bytes and CPU per zstd level for a bundle's pages whose path matches a pattern.

    python3 bench/dcz_levels.py BUNDLE --match '/page/[0-9]+/$' --count 400 --levels 19,15,12,9

Compresses each page's identity bytes with the bundle's dictionary exactly as kade-index does
(bench/dcz_floor.py's Dcz, libzstd through ctypes), and with gzip -9 for reference, in two
rounds; prints bytes and process CPU seconds per level for the second round.
"""
import argparse
import re
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dcz_floor  # noqa: E402


def pages_and_dictionary(path: Path, pattern: re.Pattern, count: int):
    entries, dictionary = dcz_floor.bundle_entries(path.read_bytes())
    pages = []
    for name, bodies in entries:
        if pattern.search(name):
            pages.append(dcz_floor.identity(bodies()))
            if len(pages) == count:
                break
    return pages, dictionary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--match", default=r"/page/[0-9]+/$")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--levels", default="19,15,12,9")
    args = ap.parse_args()
    pages, dictionary = pages_and_dictionary(args.bundle, re.compile(args.match), args.count)
    if not pages:
        sys.exit("no page matches " + args.match)
    print(f"{len(pages)} pages, {sum(map(len, pages)) // len(pages)} bytes on average")
    rows = {}
    for _ in range(2):  # the first round warms caches up; the second is reported
        start = time.process_time()
        rows["gzip -9"] = (sum(len(zlib.compress(p, 9)) for p in pages),
                           time.process_time() - start)
        for level in map(int, args.levels.split(",")):
            dcz = dcz_floor.Dcz(dictionary, level)
            start = time.process_time()
            rows[f"dcz {level}"] = (sum(dcz.size(p) for p in pages), time.process_time() - start)
    first = rows[f"dcz {args.levels.split(',')[0]}"]
    print("| compression | bytes | vs first level | CPU s | vs first level |")
    print("|---|---:|---:|---:|---:|")
    for name, (size, cpu) in rows.items():
        print(f"| {name} | {size:,} | {size / first[0]:.3f} | {cpu:.2f} | {cpu / first[1]:.2f}× |")


if __name__ == "__main__":
    main()
