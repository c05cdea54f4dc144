#!/usr/bin/env python3
"""Times kade-import-blogger (and kade-index after it) on a generated Blogger "Back up content"
export: POSTS posts (default 5,000) with COMMENTS comments each, labels, tables, links and
images, shaped like tests/fixtures/blogger/classic-backup.xml. A benchmark, run by hand; never
a timed test in CI.

    python3 bench/blogger_import.py --bin-dir build [--posts 5000] [--comments 3] [--keep DIR]

Prints one JSON object: the export's size and the seconds of the import and of the index.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

BLOG = "4440001112223334445"
HOST = "http://bankje.blogspot.com"
KIND = "http://schemas.google.com/g/2005#kind"
K = "http://schemas.google.com/blogger/2008/kind#"
WORDS = ("tuin keuken fiets markt buurman regen zomer winter boek trein koffie school werk "
         "klant winkel idee vergadering plan wandeling hond kat brood soep taart vriend").split()
LABELS = ["recepten", "tuin", "reizen", "werk", "boeken", "familie", "fietsen", "muziek"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def post_html(rng: random.Random, i: int) -> str:
    parts = [f"<div>{sentence(rng, 14)} {sentence(rng, 10)}</div>"]
    if i % 5 == 0:
        parts.append("<table><tr><td>" + rng.choice(WORDS) + "</td><td>" + str(i) +
                     "</td></tr></table>")
    if i % 3 == 0:
        url = f"http://www.example.nl/zoek?q={rng.choice(WORDS)}&amp;p={i}"
        parts.append(f'<div>Zie <a href="{url}">{url}</a> en <b>meer</b>.</div>')
    if i % 4 == 0:
        parts.append(f'<div class="separator"><a href="https://blogger.googleusercontent.com/img/b/X/s1600/foto{i}.jpg">'
                     f'<img src="https://blogger.googleusercontent.com/img/b/X/s320/foto{i}.jpg" /></a></div>')
    parts.append("<br /><br />" + sentence(rng, 20))
    return "".join(parts)


def generate(path: Path, posts: int, comments: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
                  "xmlns:gd='http://schemas.google.com/g/2005' "
                  "xmlns:thr='http://purl.org/syndication/thread/1.0'>"
                  f"<id>tag:blogger.com,1999:blog-{BLOG}.archive</id><title type='text'>Bankje</title>"
                  f"<link rel='alternate' type='text/html' href='{HOST}/'/>\n")
        for i in range(posts):
            year = 2006 + i * 14 // posts
            month = 1 + (i * 7) % 12
            day = 1 + (i * 13) % 28
            date = f"{year:04d}-{month:02d}-{day:02d}T{8 + i % 12:02d}:{i % 60:02d}:00.000+01:00"
            title = sentence(rng, 5)[:-1] + f" {i}"
            slug = "-".join(title.lower().split())[:40].rstrip("-")
            path_ = f"/{year:04d}/{month:02d}/{slug}.html"
            labels = "".join(f"<category scheme='http://www.blogger.com/atom/ns#' term='{l}'/>"
                             for l in rng.sample(LABELS, 2))
            out.write(f"<entry><id>tag:blogger.com,1999:blog-{BLOG}.post-{100000 + i}</id>"
                      f"<published>{date}</published><updated>{date}</updated>"
                      f"<category scheme='{KIND}' term='{K}post'/>{labels}"
                      f"<title type='text'>{escape(title)}</title>"
                      f"<content type='html'>{escape(post_html(rng, i))}</content>"
                      f"<link rel='alternate' type='text/html' href='{HOST}{path_}'/>"
                      f"<author><name>Anna</name></author></entry>\n")
            for c in range(comments):
                cid = 900000 + i * comments + c
                text = escape(f"{sentence(rng, 12)} <a href=\"http://lezer{c}.example.nl/\">mijn blog</a>")
                out.write(f"<entry><id>tag:blogger.com,1999:blog-{BLOG}.post-{cid}</id>"
                          f"<published>{date}</published><updated>{date}</updated>"
                          f"<category scheme='{KIND}' term='{K}comment'/>"
                          f"<title type='text'>reactie</title><content type='html'>{text}</content>"
                          f"<author><name>Lezer {c}</name></author>"
                          f"<thr:in-reply-to ref='tag:blogger.com,1999:blog-{BLOG}.post-{100000 + i}' "
                          f"href='{HOST}{path_}' type='text/html'/></entry>\n")
        out.write("</feed>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", default="build")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=3)
    parser.add_argument("--keep", help="write the export and the content here instead of a temporary folder")
    args = parser.parse_args()
    bin_dir = Path(args.bin_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="kade-bench-blogger.") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        export = work / "blog.xml"
        generate(export, args.posts, args.comments)
        content = work / "content"
        start = time.monotonic()
        imported = subprocess.run([str(bin_dir / "kade-import-blogger"), str(export), "--out",
                                   str(content), "--force"], capture_output=True, text=True)
        import_s = time.monotonic() - start
        if imported.returncode != 0:
            sys.exit(f"import failed:\n{imported.stderr}")
        config = work / "kade.toml"
        config.write_text(f'[index]\ncontent = "{content}"\noutput = "{work / "site.kade"}"\n')
        start = time.monotonic()
        indexed = subprocess.run([str(bin_dir / "kade-index"), "--config", str(config)],
                                 capture_output=True, text=True)
        index_s = time.monotonic() - start
        if indexed.returncode != 0:
            sys.exit(f"index failed:\n{indexed.stderr}")
        print(json.dumps({"posts": args.posts, "comments": args.posts * args.comments,
                          "export_bytes": export.stat().st_size,
                          "import_seconds": round(import_s, 2),
                          "index_seconds": round(index_s, 2),
                          "report": imported.stdout.splitlines()[1:5]}, indent=2))


if __name__ == "__main__":
    main()
