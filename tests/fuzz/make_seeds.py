#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/ (committed; rerun after format changes).

    python3 tests/fuzz/make_seeds.py --bin-dir build
The bundle seeds are a tiny bundle built by kade-index from one post, and some damaged copies
(each after a mode byte, see fuzz_bundle.cpp).
"""
import argparse
import hashlib
import pathlib
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent

TARGETS = [
    "/", "/2014/01/doen-waar-je-niet-goed-in-bent.html", "/2014/01", "/2014/", "/?m=1",
    "/search?q=klanten&page=2", "/api/search?q=%22klant+contact%22&per_page=5&sort=date&prefix=1",
    "/search/label/samenwerken", "/search/label/%C3%A9%C3%A9n", "/feeds/posts/default?alt=rss",
    "/static/style.0123abcd.css", "/healthz", "/metrics", "*", "http://example.org/a/b?x=1",
    "https://h", "/a/./b//c/", "/a/../b", "/%2e%2e/etc", "/%252e", "/a%2Fb", "/%00", "/%ff",
    "/%C3%28", "/caf%C3%A9", "/a?b=%zz", "/a?q=a+b&q=c&&x", "/#frag", "/a b",
]
ACCEPT = [
    (0x83, "gzip, deflate, br, zstd\n\"0123456789abcdef\"\nThu, 02 Jan 2014 10:00:00 GMT"),
    (0x83, "zstd;q=0.5, gzip;q=0.5, identity;q=0.1\nW/\"0123456789abcdef\", \"x\"\n"),
    (0x81, "*;q=0, identity;q=0\n*\nSunday, 06-Nov-94 08:49:37 GMT"),
    (0x82, "x-gzip;q=1.000, *;q=0.001\n\n Sun Nov  6 08:49:37 1994 "),
    (0x03, "\n\"a\",,\"b\"\nMon, 31 Feb 2014 10:00:00 GMT"),
    (0x83, "gzip;q=1.0001, zstd;q=-1, identity;q=\n\"unterminated\nThu, 02 Jan 2014 10:00:00 XYZ"),
]
QUERIES = [
    (0, "klanten"), (1, "klantc"), (0, "\"doen waar je\""), (0, "klant AND NOT leverancier"),
    (0, "+samenwerken -idee"), (0, "label:ondernemen jaar:2014"), (0, "ide*"), (0, "Écht één"),
    (0, "OR AND NOT"), (0, "((((\"\""), (1, "a b c d e f g h i j k l m n o p"), (0, "ideeen"),
    (0, "klantcontact"), (0, "label:\"met spatie\""), (0, "\xff\xfe"),
]


def write(folder, items):
    folder.mkdir(parents=True, exist_ok=True)
    for data in items:
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    args = parser.parse_args()
    corpus = HERE / "corpus"
    write(corpus / "fuzz_target", [t.encode() for t in TARGETS])
    write(corpus / "fuzz_negotiate", [bytes([f]) + s.encode() for f, s in ACCEPT])
    write(corpus / "fuzz_query", [bytes([p]) + q.encode("utf-8", "surrogateescape")
                                  for p, q in QUERIES])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "content" / "posts").mkdir(parents=True)
        (tmp / "content" / "static").mkdir()
        (tmp / "content" / "posts" / "een.md").write_text(
            '+++\ntitle = "Eén klant"\ndate = 2014-01-02T10:00:00+01:00\nlabels = ["a"]\n+++\n\n'
            "Klanten en leveranciers.\n", encoding="utf-8")
        (tmp / "kade.toml").write_text(
            f'[index]\ncontent = "{tmp}/content"\noutput = "{tmp}/seed.kade"\n'
            "zstd_level = 1\ngzip_level = 1\n", encoding="utf-8")
        subprocess.run([str(pathlib.Path(args.bin_dir).resolve() / "kade-index"), "--config",
                        str(tmp / "kade.toml")], check=True, capture_output=True)
        good = (tmp / "seed.kade").read_bytes()
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 1
    # First byte: 1 = the driver repairs size and checksums first, 0 = bytes as they are.
    write(corpus / "fuzz_bundle", [b"\x01" + good, b"\x00" + good, b"\x00" + good[:len(good) // 2],
                                   b"\x00" + bytes(flipped), b"\x01" + good[:len(good) // 2],
                                   b"\x00" + good[:128]])


if __name__ == "__main__":
    main()
