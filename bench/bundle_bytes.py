#!/usr/bin/env python3
"""bench/bundle_bytes.py — where a bundle's bytes go, by section and by variant.

    bench/bundle_bytes.py BUNDLE [BUNDLE…] [--posts N] [--dump-texts DIR]

Reads the header, section table and entry records (common/bundle_format.hpp, versions 3 to
5) without checking checksums, and prints one table per bundle: bytes (and bytes per post
with --posts) of the sections and, inside the bodies section, of each variant, with the
"!text" entries (snippet texts) and other internal entries apart from pages. A variant whose
identity is derived (format 4, held bit 0 clear) counts its size under "identity, derived"
and takes no bytes. --dump-texts writes each "!text" body to DIR (for dictionary trials).
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

SECTIONS = ["strings", "bodies", "entries", "search", "shards", "dictionary"]
VARIANTS = ["identity", "gzip", "zstd", "dcz"]
ENTRY = struct.Struct("<8I q H B B I Q 12Q")


def read(path: Path, dump: Path | None):
    data = path.read_bytes()
    magic, version, count, size = struct.unpack_from("<8sIIQ", data, 0)
    if magic != b"KADEBNDL":
        sys.exit(f"{path}: not a Kade bundle")
    sections = {}
    for i in range(count):
        kind, _, offset, length, _ = struct.unpack_from("<IIQQQ", data, 128 + 32 * i)
        sections[SECTIONS[kind - 1]] = (offset, length)
    s_off, _ = sections["strings"]
    b_off, _ = sections["bodies"]
    e_off, e_len = sections["entries"]
    rows: dict[str, int] = {}
    for n in range(e_len // ENTRY.size):
        f = ENTRY.unpack_from(data, e_off + n * ENTRY.size)
        path_off, path_len = f[0], f[1]
        held = f[11]
        entry_path = data[s_off + path_off:s_off + path_off + path_len].decode()
        group = ("texts" if entry_path.startswith("!text") else
                 "internal" if entry_path.startswith("!") else "pages")
        for v in range(4):
            off, length = f[14 + 3 * v], f[15 + 3 * v]
            if held >> v & 1:
                key = f"{group} {VARIANTS[v]}"
                rows[key] = rows.get(key, 0) + length
                if dump and group == "texts" and v == 0:  # stored texts (format 5: dcz)
                    dump.mkdir(parents=True, exist_ok=True)
                    (dump / f"{n}.txt").write_bytes(data[b_off + off:b_off + off + length])
            elif v == 0:
                key = f"{group} identity, derived (not stored)"
                rows[key] = rows.get(key, 0) + length
    return version, size, {k: v[1] for k, v in sections.items()}, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundles", nargs="+", type=Path)
    ap.add_argument("--posts", type=int, default=0)
    ap.add_argument("--dump-texts", type=Path)
    args = ap.parse_args()
    mib = 1024 * 1024
    for b in args.bundles:
        version, size, sections, rows = read(b, args.dump_texts)
        print(f"{b} (format {version}): {size / mib:.2f} MiB"
              + (f", {size / args.posts / 1024:.1f} KiB per post" if args.posts else ""))
        for name, length in list(sections.items()) + sorted(rows.items()):
            per = f"{length / args.posts / 1024:9.2f} KiB/post" if args.posts else ""
            indent = "  " if name in sections else "    bodies: "
            print(f"{indent}{name:45s} {length / mib:9.2f} MiB {per}")


if __name__ == "__main__":
    main()
