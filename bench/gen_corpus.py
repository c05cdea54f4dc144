#!/usr/bin/env python3
"""Generate a synthetic Dutch blog for benchmarks and scale tests.

    python3 bench/gen_corpus.py --posts N --seed S --out DIR

writes DIR/posts/YYYY/MM/<slug>.md: TOML front matter between +++ lines (title, date with a
+01:00/+02:00 offset, labels from a fixed Dutch list with accents, sometimes author, summary,
updated, aliases, draft), then 300-2,000 words of Markdown prose sampled from the Dutch corpus
in tests/fixtures/corpus/ (paragraphs of the modern files first, the Project Gutenberg files
for volume; --corpus DIR reads files of the same names from DIR instead). The same
--posts/--seed give the same bytes. The output is scratch data: never commit it.

Dates spread over 15 years (2011-2025). URLs are unique per month: when two titles would
derive the same slug, the later post gets an explicit `slug` with a number.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import unicodedata
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus"

# Modern Dutch first; the pg- files add volume (older spelling). Weights are per paragraph run.
SOURCES = [
    ("ud-lassysmall-wiki-nl.txt", 0.20),
    ("ud-alpino-news-nl.txt", 0.08),
    ("ntrex-news-nl.txt", 0.14),
    ("gnome-help-nl.txt", 0.13),
    ("pg-literature-nl.txt", 0.35),
    ("pg-aarde-en-haar-volken-1877-nl.txt", 0.10),
]

LABELS = [
    "ondernemen", "samenwerken", "klanten", "marketing", "café", "ideeën", "één-op-één",
    "financiën", "privé", "coöperatie", "gezondheid", "reizen", "natuur", "geschiedenis",
    "techniek", "software", "cultuur", "boeken", "politiek", "onderwijs", "zorg", "sport",
    "muziek", "eten en drinken", "crèche", "vakantie", "communicatie", "creativiteit",
    "leiderschap", "duurzaamheid", "België", "Nederland", "économie", "recensie", "naïef",
]

AUTHORS = ["Sonja van Vuren", "Pieter de Vries", "Anouk Jansen", "Daan Bakker", "Eline Visser"]

FIRST_YEAR = 2011
YEARS = 15


def slugify(title: str) -> str:
    """Mirror of the indexer's derive_slug closely enough to detect collisions."""
    special = {"æ": "ae", "ß": "ss", "ø": "o", "ĳ": "ij", "œ": "oe", "ð": "d", "þ": "th",
               "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŋ": "n", "ŧ": "t", "ſ": "s"}
    out = []
    for ch in title:
        low = ch.lower()
        if low in special:
            out.append(special[low])
            continue
        base = unicodedata.normalize("NFKD", low)
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.append(base if ord(ch) < 0x180 else "\x00")
    slug = ""
    for c in "".join(out):
        if ("a" <= c <= "z") or ("0" <= c <= "9"):
            slug += c
        elif slug and slug[-1] != "-":
            slug += "-"
    slug = slug.rstrip("-")
    if len(slug) > 40:
        cut = slug.rfind("-", 0, 41)
        slug = slug[: cut if cut > 0 else 40]
    return slug or "bericht"


def load_paragraphs(corpus: Path):
    """Per source: a list of usable paragraphs (runs of consecutive ones read as one text)."""
    pools = []
    for name, weight in SOURCES:
        text = (corpus / name).read_text(encoding="utf-8")
        paras = []
        for line in text.splitlines():
            words = line.split()
            # Skip lines Markdown would read as markup, or that are too short to be prose.
            if len(words) < 6 or "<" in line or "`" in line or "|" in line:
                continue
            if line[0] in "#>-*+=_0123456789[!":
                continue
            paras.append(line.replace("\\", "/").replace("*", "").replace("_", " "))
        pools.append((paras, weight))
    return pools


def dst_offset(d: dt.datetime) -> str:
    """Central European time: +02:00 from the last Sunday of March to the last of October."""
    def last_sunday(year, month):
        day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    start, end = last_sunday(d.year, 3), last_sunday(d.year, 10)
    return "+02:00" if start <= d.date() < end else "+01:00"


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def make_title(rng: random.Random, pools) -> str:
    paras = pick_pool(rng, pools)
    words = rng.choice(paras).split()
    start = rng.randrange(0, max(1, len(words) - 8))
    n = rng.randint(3, 8)
    chosen = [w.strip(".,;:!?()\"'‘’“”") for w in words[start:start + n]]
    chosen = [w for w in chosen if w]
    if not chosen:
        chosen = ["Bericht"]
    title = " ".join(chosen)
    title = title[0].upper() + title[1:]
    if rng.random() < 0.15:
        title += rng.choice(["?", "!", "...", "?!"])
    return title


def pick_pool(rng: random.Random, pools):
    r = rng.random() * sum(w for _, w in pools)
    for paras, w in pools:
        r -= w
        if r <= 0:
            return paras
    return pools[-1][0]


def make_body(rng: random.Random, pools, target_words: int):
    paras = pick_pool(rng, pools)
    i = rng.randrange(len(paras))
    out, words, since_heading = [], 0, 0
    while words < target_words:
        if i >= len(paras) or rng.random() < 0.08:  # jump to another text now and then
            paras = pick_pool(rng, pools)
            i = rng.randrange(len(paras))
        p = paras[i]
        i += 1
        w = p.split()
        words += len(w)
        roll = rng.random()
        if since_heading >= 3 and roll < 0.15:
            out.append("## " + " ".join(x.strip(".,;:") for x in w[: rng.randint(2, 5)]))
            since_heading = 0
        if roll > 0.97:
            out.append("> *" + p.strip() + "*")
        elif roll > 0.94:
            sentences = [s.strip() for s in p.split(". ") if s.strip()]
            out.append("\n".join("- " + s for s in sentences[:6]))
        else:
            if len(w) > 10 and rng.random() < 0.3:  # some emphasis and a link
                k = rng.randrange(len(w))
                if rng.random() < 0.5:
                    w[k] = "**" + w[k] + "**"
                else:
                    w[k] = "[" + w[k] + "](https://voorbeeld.nl/" + str(rng.randrange(1000)) + ")"
            out.append(" ".join(w))
        since_heading += 1
    return "\n\n".join(out) + "\n", words


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--min-words", type=int, default=300)
    ap.add_argument("--max-words", type=int, default=2000)
    args = ap.parse_args(argv)
    if args.posts < 0 or args.min_words > args.max_words:
        ap.error("need --posts >= 0 and --min-words <= --max-words")

    rng = random.Random(args.seed)
    pools = load_paragraphs(args.corpus)
    posts_dir = args.out / "posts"
    start = dt.datetime(FIRST_YEAR, 1, 1, 6, 0, 0)
    span = int((dt.datetime(FIRST_YEAR + YEARS, 1, 1) - start).total_seconds()) - 86400
    # Sorted dates so the numbering reads like a blog's history.
    stamps = sorted(rng.randrange(span // 60) * 60 for _ in range(args.posts))
    used = set()
    total_words = 0
    label_weights = [1.0 / (k + 1) ** 0.8 for k in range(len(LABELS))]
    for n, stamp in enumerate(stamps):
        when = start + dt.timedelta(seconds=stamp)
        title = make_title(rng, pools)
        # Lengths skew short, like a real blog: triangular with the mode near 600 words.
        target = int(rng.triangular(args.min_words, args.max_words, 600))
        body, words = make_body(rng, pools, target)
        total_words += words
        slug = slugify(title)
        key = (when.year, when.month, slug)
        explicit_slug = None
        if key in used:
            explicit_slug = f"{slug}-{n}"
            key = (when.year, when.month, explicit_slug)
        used.add(key)
        labels = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 4])):
            lab = rng.choices(LABELS, weights=label_weights)[0]
            if lab not in labels:
                labels.append(lab)
        fm = ["+++", f"title = {toml_str(title)}",
              f"date = {when.strftime('%Y-%m-%dT%H:%M:%S')}{dst_offset(when)}"]
        if labels:
            fm.append("labels = [" + ", ".join(toml_str(x) for x in labels) + "]")
        if rng.random() < 0.2:
            fm.append(f"author = {toml_str(rng.choice(AUTHORS))}")
        if explicit_slug:
            fm.append(f"slug = {toml_str(explicit_slug)}")
        if rng.random() < 0.01:
            fm.append(f'aliases = ["/oud/p{n}.html"]')
        if rng.random() < 0.005:
            fm.append("draft = true")
        if rng.random() < 0.05:
            later = when + dt.timedelta(days=rng.randint(1, 400))
            fm.append(f"updated = {later.strftime('%Y-%m-%dT%H:%M:%S')}{dst_offset(later)}")
        if rng.random() < 0.1:
            fm.append(f"summary = {toml_str(' '.join(body.split()[:25]).lstrip('#> -*'))}")
        fm.append("+++")
        path = posts_dir / f"{when.year:04d}" / f"{when.month:02d}" / f"{explicit_slug or slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(fm) + "\n\n" + body, encoding="utf-8")
    print(f"{args.posts} posts, {total_words} words -> {posts_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
