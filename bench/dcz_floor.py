#!/usr/bin/env python3
"""bench/dcz_floor.py — how small can dcz post pages get on the generated blog? Dictionary
trainers within 128 KiB, an oracle floor, and the dcz level vs bytes vs CPU.

    bench/dcz_floor.py [--posts 1000] [--work DIR] [--bin-dir build] [--bundle FILE]
                       [--trials levels,floor,trainers] [--json FILE]

Without --bundle: generates the blog (bench/gen_corpus.py, seed 1) in WORK/POSTS/content unless
it is there, and indexes it with the defaults (kade-index --new-dictionary) to
WORK/POSTS/dict/site.kade. Reads only that bundle: the post pages (/YYYY/MM/slug.html; identity
inflated from the stored gzip variant), their gzip and dcz variants and the dictionary.

Every figure is an exact byte count of what kade-serve sends: a dcz body is the 40-byte RFC 9842
header plus a zstd frame made as common/dictionary.cpp makes it (libzstd through ctypes: level,
no checksum, content size, windowLog 23, the dictionary loaded as raw content); the script first
checks that it gets the bundle's dcz bytes exactly with the bundle's dictionary. gzip is the
bundle's gzip variant (level 9). The reader is bench/dcz's: 10 posts evenly spaced over the
post pages sorted by path; "returning" holds the dictionary (10 dcz pages vs 10 gzip pages).

Trials:
  levels    the bundle's dictionary at dcz levels 9, 12, 15, 16, 17, 19 (and 22): bytes and
            CPU seconds to compress every post page (process time, this process; indicative).
  floor     oracles no real dictionary can beat: each page compressed with a dictionary made
            of that very page with the post's prose (the text inside div.post-body) removed;
            and the same appended to the bundle's dictionary (chrome known exactly, plus the
            shared phrases), so > 128 KiB.
  trainers  raw-content dictionaries of at most 128 KiB: zstd fastCover (the product's k=2048
            d=8 f=20 on 500 evenly spaced posts, then other k/d/sample counts), cover with k/d
            optimised by zstd (ZDICT_optimizeTrainFromBuffer_cover, what `zstd --train-cover`
            runs), the legacy trainer, and a hand-built one: the common chrome of the post
            pages plus the most frequent phrases of the prose.
"""
from __future__ import annotations

import argparse
import collections
import ctypes
import json
import re
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST = re.compile(r"^/\d{4}/\d\d/[^/]+\.html$")
MARKER = "<!--kade:dictionary-->"
MAX_DICT = 131072

# --- libzstd --------------------------------------------------------------------------------
Z = ctypes.CDLL("libzstd.so.1")
Z.ZSTD_createCCtx.restype = ctypes.c_void_p
Z.ZSTD_freeCCtx.argtypes = [ctypes.c_void_p]
Z.ZSTD_CCtx_setParameter.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
Z.ZSTD_CCtx_setParameter.restype = ctypes.c_size_t
Z.ZSTD_CCtx_loadDictionary_advanced.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
Z.ZSTD_CCtx_loadDictionary_advanced.restype = ctypes.c_size_t
Z.ZSTD_CCtx_reset.argtypes = [ctypes.c_void_p, ctypes.c_int]
Z.ZSTD_CCtx_reset.restype = ctypes.c_size_t
Z.ZSTD_compress2.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                             ctypes.c_char_p, ctypes.c_size_t]
Z.ZSTD_compress2.restype = ctypes.c_size_t
Z.ZSTD_compressBound.argtypes = [ctypes.c_size_t]
Z.ZSTD_compressBound.restype = ctypes.c_size_t
Z.ZSTD_isError.argtypes = [ctypes.c_size_t]
Z.ZDICT_isError.argtypes = [ctypes.c_size_t]
Z.ZDICT_getDictHeaderSize.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
Z.ZDICT_getDictHeaderSize.restype = ctypes.c_size_t
C_LEVEL, C_WINDOWLOG, C_CONTENTSIZE, C_CHECKSUM = 100, 101, 200, 201
DLM_BYREF, DCT_RAWCONTENT, RESET_SESSION = 1, 1, 1
DCZ_HEADER = 40


class ZParams(ctypes.Structure):
    _fields_ = [("compressionLevel", ctypes.c_int), ("notificationLevel", ctypes.c_uint),
                ("dictID", ctypes.c_uint)]


class CoverParams(ctypes.Structure):
    _fields_ = [("k", ctypes.c_uint), ("d", ctypes.c_uint), ("steps", ctypes.c_uint),
                ("nbThreads", ctypes.c_uint), ("splitPoint", ctypes.c_double),
                ("shrinkDict", ctypes.c_uint), ("shrinkDictMaxRegression", ctypes.c_uint),
                ("zParams", ZParams)]


class FastCoverParams(ctypes.Structure):
    _fields_ = [("k", ctypes.c_uint), ("d", ctypes.c_uint), ("f", ctypes.c_uint),
                ("steps", ctypes.c_uint), ("nbThreads", ctypes.c_uint),
                ("splitPoint", ctypes.c_double), ("accel", ctypes.c_uint),
                ("shrinkDict", ctypes.c_uint), ("shrinkDictMaxRegression", ctypes.c_uint),
                ("zParams", ZParams)]


class LegacyParams(ctypes.Structure):
    _fields_ = [("selectivityLevel", ctypes.c_uint), ("zParams", ZParams)]


Z.ZDICT_trainFromBuffer_fastCover.argtypes = [
    ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
    ctypes.c_uint, FastCoverParams]
Z.ZDICT_trainFromBuffer_fastCover.restype = ctypes.c_size_t
Z.ZDICT_optimizeTrainFromBuffer_cover.argtypes = [
    ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
    ctypes.c_uint, ctypes.POINTER(CoverParams)]
Z.ZDICT_optimizeTrainFromBuffer_cover.restype = ctypes.c_size_t
Z.ZDICT_trainFromBuffer_cover.argtypes = [
    ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
    ctypes.c_uint, CoverParams]
Z.ZDICT_trainFromBuffer_cover.restype = ctypes.c_size_t
Z.ZDICT_trainFromBuffer_legacy.argtypes = [
    ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
    ctypes.c_uint, LegacyParams]
Z.ZDICT_trainFromBuffer_legacy.restype = ctypes.c_size_t


class Dcz:
    """common/dictionary.cpp's dcz_compressor: the frame's size, header excluded."""

    def __init__(self, dictionary: bytes, level: int):
        self.dictionary = dictionary  # loaded by reference: keep it alive
        self.cctx = Z.ZSTD_createCCtx()
        for param, value in ((C_LEVEL, level), (C_CHECKSUM, 0), (C_CONTENTSIZE, 1),
                             (C_WINDOWLOG, 23)):
            Z.ZSTD_CCtx_setParameter(self.cctx, param, value)
        rc = Z.ZSTD_CCtx_loadDictionary_advanced(self.cctx, dictionary, len(dictionary),
                                                 DLM_BYREF, DCT_RAWCONTENT)
        assert not Z.ZSTD_isError(rc)
        self.out = ctypes.create_string_buffer(1 << 20)

    def frame(self, body: bytes) -> bytes:
        Z.ZSTD_CCtx_reset(self.cctx, RESET_SESSION)
        n = Z.ZSTD_compress2(self.cctx, self.out, len(self.out), body, len(body))
        assert not Z.ZSTD_isError(n)
        return self.out.raw[:n]

    def size(self, body: bytes) -> int:
        return DCZ_HEADER + len(self.frame(body))

    def __del__(self):
        Z.ZSTD_freeCCtx(self.cctx)


def raw_content(buf, n) -> bytes:
    """A trained zstd dictionary without its header, as common/dictionary.cpp keeps it."""
    assert not Z.ZDICT_isError(n), n
    d = buf.raw[:n]
    h = Z.ZDICT_getDictHeaderSize(d, len(d))
    assert not Z.ZDICT_isError(h)
    return d[h:]


def joined(samples):
    data = b"".join(samples)
    sizes = (ctypes.c_size_t * len(samples))(*[len(s) for s in samples])
    return data, sizes


def fastcover(samples, k, d, f=20, accel=1, size=MAX_DICT):
    data, sizes = joined(samples)
    buf = ctypes.create_string_buffer(size)
    p = FastCoverParams(k=k, d=d, f=f, steps=0, nbThreads=1, accel=accel,
                        zParams=ZParams(compressionLevel=3))
    return raw_content(buf, Z.ZDICT_trainFromBuffer_fastCover(buf, size, data, sizes,
                                                              len(samples), p))


def cover(samples, k, d, size=MAX_DICT):
    data, sizes = joined(samples)
    buf = ctypes.create_string_buffer(size)
    p = CoverParams(k=k, d=d, steps=0, nbThreads=1, zParams=ZParams(compressionLevel=3))
    return raw_content(buf, Z.ZDICT_trainFromBuffer_cover(buf, size, data, sizes,
                                                          len(samples), p))


def cover_optimised(samples, threads, size=MAX_DICT):
    """zstd --train-cover without k/d: zstd tries d in {6, 8} and 40 values of k (its test
    split compresses at level 3 with the full zstd dictionary, not at 19 raw)."""
    data, sizes = joined(samples)
    buf = ctypes.create_string_buffer(size)
    p = CoverParams(k=0, d=0, steps=0, nbThreads=threads, zParams=ZParams(compressionLevel=3))
    n = Z.ZDICT_optimizeTrainFromBuffer_cover(buf, size, data, sizes, len(samples),
                                              ctypes.byref(p))
    return raw_content(buf, n), {"k": p.k, "d": p.d}


def legacy(samples, size=MAX_DICT):
    data, sizes = joined(samples)
    buf = ctypes.create_string_buffer(size)
    p = LegacyParams(selectivityLevel=0, zParams=ZParams(compressionLevel=3))
    return raw_content(buf, Z.ZDICT_trainFromBuffer_legacy(buf, size, data, sizes,
                                                           len(samples), p))


# --- the bundle -----------------------------------------------------------------------------
ENTRY = struct.Struct("<8I q H B B I Q 12Q")
SECTIONS = ["strings", "bodies", "entries", "search", "shards", "dictionary"]


def bundle_entries(data: bytes):
    """(path, bodies) for each entry of the bundle bytes `data`, and its compression dictionary.
    bodies() gives the stored bytes of each variant (identity, gzip, zstd, dcz), None where the
    bundle stores none; identity() the page itself (derived from gzip when not stored)."""
    magic, _, count, _ = struct.unpack_from("<8sIIQ", data, 0)
    assert magic == b"KADEBNDL"
    sections = {}
    for i in range(count):
        kind, _, offset, length, _ = struct.unpack_from("<IIQQQ", data, 128 + 32 * i)
        sections[SECTIONS[kind - 1]] = (offset, length)
    s_off, b_off = sections["strings"][0], sections["bodies"][0]
    e_off, e_len = sections["entries"]
    d_off, d_len = sections["dictionary"]

    def entries():
        for n in range(e_len // ENTRY.size):
            f = ENTRY.unpack_from(data, e_off + n * ENTRY.size)
            name = data[s_off + f[0]:s_off + f[0] + f[1]].decode()
            # f[11]: which variants are stored; f[14 + 3v], f[15 + 3v]: variant v's offset, size.
            yield name, lambda f=f: [
                data[b_off + f[14 + 3 * v]:b_off + f[14 + 3 * v] + f[15 + 3 * v]]
                if f[11] >> v & 1 else None for v in range(4)]

    # dictionary_record: SHA-256, path_size, bytes_size, then the path and the bytes.
    path_size, bytes_size = struct.unpack_from("<II", data, d_off + 32)
    dictionary = data[d_off + 40 + path_size:d_off + 40 + path_size + bytes_size]
    assert len(dictionary) == bytes_size and d_len >= 40 + path_size + bytes_size
    return entries(), dictionary


def identity(bodies) -> bytes:
    """A page's bytes from its stored variants: identity, else gzip decompressed."""
    return bodies[0] if bodies[0] is not None else zlib.decompress(bodies[1], 31)


def read_bundle(path: Path):
    """{path: {"identity", "gzip", "dcz"}} for the post pages, the dictionary, and the post
    paths newest first (from !posts-by-date: kade-index's order of the post pages)."""
    entries, dictionary = bundle_entries(path.read_bytes())
    pages, by_date = {}, None
    for name, bodies in entries:
        if not (POST.match(name) or name == "!posts-by-date"):
            continue
        body = bodies()
        if name == "!posts-by-date":
            by_date = [line.split("\t")[1] for line in identity(body).decode().splitlines()
                       if line]
            continue
        pages[name] = {"identity": identity(body), "gzip": body[1], "dcz": body[3]}
    newest_first = [re.sub(r"^https?://[^/]+", "", u) for u in by_date]
    newest_first = [p for p in newest_first if p in pages]
    return pages, dictionary, newest_first


def make_bundle(args) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    import kade_e2e  # noqa: E402
    kade_e2e.configure(args.bin_dir.resolve(), ROOT)
    work = args.work / str(args.posts)
    content = work / "content"
    if not (content / "posts").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--posts",
                        str(args.posts), "--seed", "1", "--out", str(content)], check=True,
                       stdout=subprocess.DEVNULL)
    config = kade_e2e.write_config(work / "dict" / "kade.toml", index={"content": str(content)},
                                   server={"threads": 1})
    bundle = config.parent / "site.kade"
    if not bundle.exists():
        subprocess.run([str(args.bin_dir.resolve() / "kade-index"), "--config", str(config),
                        "--new-dictionary"], check=True, stdout=subprocess.DEVNULL)
    return bundle


# --- figures --------------------------------------------------------------------------------
class Corpus:
    def __init__(self, pages, order_by_path, newest_first):
        self.pages = pages
        self.paths = order_by_path
        self.newest_first = newest_first
        n = len(order_by_path)
        self.reader = [order_by_path[k * n // 10] for k in range(10)]
        self.gzip = {p: len(pages[p]["gzip"]) for p in order_by_path}

    def evaluate(self, dictionary: bytes, level=19, per_page_dict=None):
        """dcz sizes of every post page with `dictionary` (or per_page_dict(path) -> bytes)."""
        sizes, cpu = {}, 0.0
        dcz = None if per_page_dict else Dcz(dictionary, level)
        for p in self.paths:
            body = self.pages[p]["identity"]
            if per_page_dict:
                dcz = Dcz(per_page_dict(p), level)
            start = time.process_time()
            sizes[p] = dcz.size(body)
            cpu += time.process_time() - start
        return self.summary(sizes, cpu)

    def summary(self, sizes, cpu=None):
        total = sum(sizes.values())
        gzip = sum(self.gzip.values())
        ratios = sorted(sizes[p] / self.gzip[p] for p in self.paths)
        reader = sum(sizes[p] for p in self.reader)
        reader_gzip = sum(self.gzip[p] for p in self.reader)
        out = {"dcz": total, "gzip": gzip, "dcz_over_gzip": round(total / gzip, 4),
               "median_page": round(ratios[len(ratios) // 2], 4),
               "reader_dcz": reader, "reader_gzip": reader_gzip,
               "reader_over_gzip": round(reader / reader_gzip, 4)}
        if cpu is not None:
            out["cpu_s"] = round(cpu, 2)
        return out


def strip_prose(html: bytes) -> bytes:
    """The page without the post's prose: inside div.post-body, tags stay, text goes."""
    start = html.index(b'<div class="post-body">')
    end = html.index(b"</div>", start)
    inner = re.sub(rb">[^<]+<", b"><", html[start:end] + b"<")[:-1]
    inner = re.sub(rb'(href=")[^"]*"', rb'\1"', inner)
    return html[:start] + inner + html[end:]


def evenly(paths, n):
    n = min(n, len(paths))
    return [paths[k * len(paths) // n] for k in range(n)]


def chrome_and_phrases(corpus, samples_paths, size=MAX_DICT):
    """Hand-built: (1) the chrome: every line of the post pages found in >= 5 % of them, and of
    the other lines their skeleton (attribute values and text emptied; the prefix up to a
    value is what zstd can match), in page order; (2) the prose's most frequent word n-grams
    (2..12 words, found in >= 3 pages), by bytes saved (count x length), longest first so a
    phrase inside a chosen one is skipped. zstd finds near matches cheaper, so the chrome goes
    last (nearest the page) and the best phrases just before it."""
    pages = [corpus.pages[p]["identity"].replace(b"\r", b"") for p in samples_paths]
    df = collections.Counter()
    skel_df = collections.Counter()
    order = {}
    for html in pages:
        head = html[:html.index(b'<div class="post-body">')]
        tail = html[html.index(b"</div>", html.index(b'<div class="post-body">')):]
        lines = (head + b'<div class="post-body">\n' + tail).split(b"\n")
        for line in set(lines):
            df[line] += 1
            skel = re.sub(rb'="[^"]*"', b'=""', re.sub(rb">[^<]+<", b"><", line))
            skel_df[skel] += 1
        for i, line in enumerate(lines):
            order.setdefault(line, i)
            skel = re.sub(rb'="[^"]*"', b'=""', re.sub(rb">[^<]+<", b"><", line))
            order.setdefault(skel, i)
    limit = max(2, len(pages) // 20)
    chrome_lines = [ln for ln, c in df.items() if c >= limit]
    chrome_lines += [s for s, c in skel_df.items() if c >= limit and s not in df]
    chrome_lines.sort(key=lambda ln: order.get(ln, 0))
    chrome = b"\n".join(chrome_lines) + b"\n"

    # Prose phrases.
    counts = collections.Counter()
    docs = collections.Counter()
    for html in pages:
        start = html.index(b'<div class="post-body">')
        body = html[start:html.index(b"</div>", start)]
        seen = set()
        for para in re.findall(rb"<p>(.*?)</p>", body, re.S):
            words = para.split(b" ")
            for n in (2, 3, 4, 6, 8, 12):
                for i in range(0, len(words) - n + 1):
                    g = b" ".join(words[i:i + n])
                    counts[g] += 1
                    seen.add(g)
        for g in seen:
            docs[g] += 1
    scored = [(c * (len(g) - 3), g) for g, c in counts.items() if docs[g] >= 3 and len(g) > 8]
    scored.sort(reverse=True)
    budget = size - len(chrome)
    chosen, used = [], 0
    text = b""
    for _, g in scored:
        if used + len(g) + 1 > budget:
            continue
        if g in text:
            continue
        chosen.append(g)
        used += len(g) + 1
        if len(chosen) % 200 == 0:
            text = b" ".join(chosen)
        if used > budget - 16:
            break
    phrases = b" ".join(reversed(chosen))  # the best nearest the chrome
    return (phrases + b"\n" + chrome)[-size:]


def trial_levels(corpus, dictionary, rounds=3):
    """Interleaved rounds (a busy neighbour hits every level alike); CPU: the least of them."""
    rows = {}
    for _ in range(rounds):
        for level in (9, 12, 15, 16, 17, 19, 22):
            row = corpus.evaluate(dictionary, level)
            if level in rows:
                assert rows[level]["dcz"] == row["dcz"]
                rows[level]["cpu_runs"].append(row["cpu_s"])
                rows[level]["cpu_s"] = min(rows[level]["cpu_runs"])
            else:
                rows[level] = {**row, "cpu_runs": [row["cpu_s"]]}
    for level, row in rows.items():
        print(f"  level {level}: {row}", file=sys.stderr)
    return rows


def skeleton(html: bytes, shared) -> bytes:
    """The page without prose, each line kept when `shared` holds it (found in >= 5 % of the
    post pages), else emptied of text and attribute values: what every post page's template
    has in common, i.e. the most any shared dictionary can know of this page's chrome."""
    return b"\n".join(line if line in shared else skel(line)
                      for line in strip_prose(html).split(b"\n"))


def skel(line: bytes) -> bytes:
    return re.sub(rb'="[^"]*"', b'=""', re.sub(rb">[^<]+<", b"><", line))


def trial_floor(corpus, dictionary):
    stripped = {p: strip_prose(corpus.pages[p]["identity"]) for p in corpus.paths}
    df = collections.Counter(line for p in corpus.paths for line in set(stripped[p].split(b"\n")))
    shared = {line for line, c in df.items() if c >= len(corpus.paths) // 20}
    skeletons = {p: skeleton(corpus.pages[p]["identity"], shared) for p in corpus.paths}
    rows = {"page_without_prose": corpus.evaluate(b"", per_page_dict=lambda p: stripped[p]),
            "bundle_dictionary_plus_page_without_prose":
                corpus.evaluate(b"", per_page_dict=lambda p: dictionary + stripped[p]),
            "bundle_dictionary_plus_page_skeleton":
                corpus.evaluate(b"", per_page_dict=lambda p: dictionary + skeletons[p])}
    for k, v in rows.items():
        print(f"  {k}: {v}", file=sys.stderr)
    # The reader's post bodies alone (div.post-body, markup and prose), as dcz with the
    # bundle's dictionary: what the prose costs before any chrome.
    # And the rest of the page alone (the page without prose), for comparison with the whole.
    dcz = Dcz(dictionary, 19)
    rows["reader_post_bodies_only_dcz"] = sum(
        dcz.size(strip_body(corpus.pages[p]["identity"])) for p in corpus.reader)
    rows["reader_page_without_prose_only_dcz"] = sum(
        dcz.size(stripped[p]) for p in corpus.reader)
    rows["reader_identity"] = {
        "post_bodies": sum(len(strip_body(corpus.pages[p]["identity"])) for p in corpus.reader),
        "page_without_prose": sum(len(stripped[p]) for p in corpus.reader),
        "whole": sum(len(corpus.pages[p]["identity"]) for p in corpus.reader)}
    print(f"  {rows}", file=sys.stderr)
    return rows


def strip_body(html: bytes) -> bytes:
    start = html.index(b'<div class="post-body">')
    return html[start:html.index(b"</div>", start)]


def trial_trainers(corpus, dictionary, threads):
    rows = {}

    def run(name, make):
        start = time.monotonic()
        d = make()
        seconds = time.monotonic() - start
        rows[name] = {"dict_bytes": len(d), "train_s": round(seconds, 1), **corpus.evaluate(d)}
        print(f"  {name}: {rows[name]}", file=sys.stderr)
        return d

    def samples(n):
        return [corpus.pages[p]["identity"].replace(b'<link rel="compression-dictionary" href="'
                                                    + dict_path + b'">', MARKER.encode())
                for p in evenly(corpus.newest_first, n)]

    page = corpus.pages[corpus.paths[0]]["identity"]
    dict_path = re.search(rb'rel="compression-dictionary" href="([^"]+)"', page).group(1)
    rows["bundle"] = {"dict_bytes": len(dictionary), **corpus.evaluate(dictionary)}
    print(f"  bundle: {rows['bundle']}", file=sys.stderr)
    s500, s_all = samples(500), samples(len(corpus.paths))
    product = run("fastCover k=2048 d=8 500 (product)", lambda: fastcover(s500, 2048, 8))
    rows["fastCover k=2048 d=8 500 (product)"]["same_as_bundle"] = product == dictionary
    for k, d, s in ((1024, 8, s500), (4096, 8, s500), (2048, 6, s500), (1024, 6, s500),
                    (512, 8, s500), (8192, 8, s500), (2048, 8, s_all), (1024, 8, s_all),
                    (4096, 8, s_all)):
        run(f"fastCover k={k} d={d} {len(s)}", lambda: fastcover(s, k, d))
    run("fastCover k=2048 d=8 500 accel=10", lambda: fastcover(s500, 2048, 8, accel=10))
    run("cover k=2048 d=8 500", lambda: cover(s500, 2048, 8))
    chosen = {}

    def optimised():
        d, kd = cover_optimised(samples(200), threads)
        chosen.update(kd)
        return d
    run("cover optimised (k, d by zstd) 200", optimised)
    if chosen:
        rows["cover optimised (k, d by zstd) 200"].update(chosen)
        run(f"cover k={chosen['k']} d={chosen['d']} 500",
            lambda: cover(s500, chosen["k"], chosen["d"]))
    run("legacy 500", lambda: legacy(s500))
    hand = run("chrome + phrases (500)",
               lambda: chrome_and_phrases(corpus, evenly(corpus.newest_first, 500)))
    chrome = hand[hand.rfind(b"<!DOCTYPE"):]
    run("chrome only", lambda: chrome)
    run("fastCover k=2048 d=8 500, its last 128 KiB - chrome, then the chrome",
        lambda: (product + chrome)[-MAX_DICT:])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kade-bench-dcz-floor"))
    ap.add_argument("--bin-dir", type=Path, default=ROOT / "build")
    ap.add_argument("--bundle", type=Path)
    ap.add_argument("--trials", default="levels,floor,trainers")
    ap.add_argument("--threads", type=int, default=1, help="for zstd's k/d optimisation")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    bundle = args.bundle or make_bundle(args)
    pages, dictionary, newest_first = read_bundle(bundle)
    corpus = Corpus(pages, sorted(pages), newest_first)

    # The script's dcz is kade-index's dcz: same bytes with the bundle's dictionary.
    dcz = Dcz(dictionary, 19)
    mismatched = [p for p in corpus.paths if pages[p]["dcz"][DCZ_HEADER:] != dcz.frame(
        pages[p]["identity"])]
    figures = {"bundle": str(bundle), "post_pages": len(corpus.paths),
               "dictionary_bytes": len(dictionary), "reader": corpus.reader,
               "bundle_dcz": corpus.summary({p: len(pages[p]["dcz"]) for p in corpus.paths}),
               "frames_differing_from_bundle": len(mismatched)}
    print(json.dumps({k: v for k, v in figures.items() if k != "reader"}), file=sys.stderr)
    for name in args.trials.split(","):
        print(f"{name}:", file=sys.stderr)
        if name == "levels":
            figures["levels"] = trial_levels(corpus, dictionary)
        elif name == "floor":
            figures["floor"] = trial_floor(corpus, dictionary)
        elif name == "trainers":
            figures["trainers"] = trial_trainers(corpus, dictionary, args.threads)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
