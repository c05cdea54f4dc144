#!/usr/bin/env python3
"""Builds the corpus part of the judged search fixture (tests/search/judged/corpus.txt) from the
Dutch corpus in tests/fixtures/corpus/: a fixed, deterministic sample of modern-Dutch documents
(UD news and Wikipedia, NTREX news, GNOME help), each cut to its first paragraphs. The hand-written posts in
tests/search/judged/posts.txt are appended as they are.

    python3 bench/search_quality/make_fixture.py --out tests/search/judged/corpus.txt

Record format (also read by bench/search_quality/search_quality.cpp):
    id: <id>
    title: <title>
    date: YYYY-MM-DD
    labels: a, b
    <blank line>
    <body, paragraphs separated by blank lines>
    %%
"""
import argparse
import os

SOURCES = [
    # file, id prefix, label, how many, step
    ("ud-alpino-news-nl.txt", "alpino", "nieuws", 14, 5),
    ("ud-lassysmall-wiki-nl.txt", "wiki", "naslag", 16, 7),
    ("ntrex-news-nl.txt", "ntrex", "nieuws", 14, 8),
    ("gnome-help-nl.txt", "gnome", "handleiding", 24, 10),
]
MAX_WORDS = 220


def title_of(prefix, paragraphs):
    if prefix in ("gnome", "ntrex"):
        return paragraphs[0], paragraphs[1:]
    words = paragraphs[0].split()
    return " ".join(words[:8]).rstrip(",.;:"), paragraphs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "tests", "fixtures", "corpus"))
    ap.add_argument("--posts", default="tests/search/judged/posts.txt")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    records = []
    n = 0
    for name, prefix, label, count, step in SOURCES:
        text = open(os.path.join(args.corpus, name), encoding="utf-8").read()
        docs = text.split("\n\n")
        for k in range(count):
            doc = docs[(k * step) % len(docs)]
            paragraphs = [p for p in doc.split("\n") if p.strip()]
            title, body = title_of(prefix, paragraphs)
            kept, words = [], 0
            for p in body:
                if words >= MAX_WORDS:
                    break
                kept.append(p)
                words += len(p.split())
            year = 2014 + (n % 10)
            date = "%04d-%02d-%02d" % (year, 1 + n % 12, 1 + n % 28)
            n += 1
            records.append("id: %s-%d\ntitle: %s\ndate: %s\nlabels: %s\n\n%s\n%%%%\n"
                           % (prefix, k, title, date, label, "\n\n".join(kept)))
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("".join(records))
        if os.path.exists(args.posts):
            out.write(open(args.posts, encoding="utf-8").read())


if __name__ == "__main__":
    main()
