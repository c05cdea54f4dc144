#!/usr/bin/env python3
"""bench/incremental_compare.py — incremental builds of two kade-index binaries side by side
(issue 17: one post added to a 10,000-post blog, one post edited).

    python3 bench/incremental_compare.py --old /path/to/old/kade-index [--new build/kade-index]
        [--posts 10000] [--runs 3] [--work /tmp/kade-incremental] [--out FILE.md]

The blog is bench/gen_corpus.py --posts N --seed 1 (WORK/blog, made once) plus two posts of the
newest year, so that adding one more opens no new year. Each binary gets its own bundle and
search cache (WORK/V.kade, WORK/V.kade.search), built once with --full; that pair is kept as
its base. Then, alternating between OLD and NEW, --runs times:

  added   the base restored, a post newer than every other added, the blog built
  edited  the base restored, a sentence appended to a post of 2019, the blog built

Each build runs under /usr/bin/time; the table gives the median wall time (min-max), the median
user + sys CPU, and NEW's ratio to OLD, plus the phase line of NEW's last build of each kind.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

NEWEST = """+++
title = "{title}"
date = {date}
labels = ["reizen"]
+++

Een nieuw bericht over de zandverstuiving bij het waterschap en {title}.

De provinciehoofdplaats is Waver, en de oppervlakte is klein.
"""


def sh(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def build(binary: str, config: Path, full: bool = False) -> dict:
    out = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S", binary, "--config", str(config)]
                         + (["--full"] if full else []), check=True, capture_output=True,
                         text=True)
    wall, user, system = map(float, re.search(r"TIME (\S+) (\S+) (\S+)", out.stderr).groups())
    phases = re.search(r"time +(.*)", out.stdout)
    return {"wall": wall, "cpu": user + system, "phases": phases.group(1) if phases else ""}


def restore(work: Path, tag: str) -> None:
    for suffix in (".kade", ".kade.search"):
        target = work / (tag + suffix)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        source = work / ("base-" + tag + suffix)
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default="build/kade-index")
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/kade-incremental")
    ap.add_argument("--out")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    blog = work / "blog"
    newest = blog / "posts" / "2099" / "01"
    if not blog.exists():
        sh([sys.executable, str(HERE / "gen_corpus.py"), "--posts", str(args.posts), "--seed", "1",
            "--out", str(blog)])
        newest.mkdir(parents=True)
        for day, title in ((2, "Eerste van het jaar"), (3, "Tweede van het jaar")):
            (newest / f"bericht-{day}.md").write_text(
                NEWEST.format(title=title, date=f"2099-01-0{day}T10:00:00+01:00"))
    added = newest / "derde.md"
    edited = sorted((blog / "posts" / "2019").rglob("*.md"))[0]
    original = edited.read_text()
    binaries = {"old": str(Path(args.old).resolve()), "new": str(Path(args.new).resolve())}
    for tag, binary in binaries.items():
        config = work / f"{tag}.toml"
        config.write_text(f'[site]\ntitle = "Bench"\nbase_url = "http://127.0.0.1:8080"\n'
                          f'[index]\ncontent = "{blog}"\noutput = "{work / (tag + ".kade")}"\n')
        if not (work / f"base-{tag}.kade").exists():
            build(binary, config, full=True)
            shutil.copyfile(work / f"{tag}.kade", work / f"base-{tag}.kade")
            shutil.rmtree(work / f"base-{tag}.kade.search", ignore_errors=True)
            shutil.copytree(work / f"{tag}.kade.search", work / f"base-{tag}.kade.search")
    results: dict[tuple[str, str], list[dict]] = {}
    for _ in range(args.runs):
        for kind in ("added", "edited"):
            for tag, binary in binaries.items():
                restore(work, tag)
                try:
                    if kind == "added":
                        added.write_text(
                            NEWEST.format(title="Derde van het jaar", date="2099-01-05T10:00:00+01:00"))
                    else:
                        edited.write_text(original + "\nEen zin die er later bij kwam, over de "
                                          "zandverstuiving bij het waterschap.\n")
                    results.setdefault((kind, tag), []).append(build(binary, work / f"{tag}.toml"))
                finally:
                    added.unlink(missing_ok=True)
                    edited.write_text(original)
    lines = [f"| change, {args.posts} posts | old wall | new wall | new/old | old CPU | new CPU |",
             "|---|---:|---:|---:|---:|---:|"]
    for kind in ("added", "edited"):
        walls = {t: [r["wall"] for r in results[(kind, t)]] for t in binaries}
        cpus = {t: statistics.median(r["cpu"] for r in results[(kind, t)]) for t in binaries}
        med = {t: statistics.median(w) for t, w in walls.items()}
        lines.append(f"| one post {kind} | {med['old']:.2f} s ({min(walls['old']):.2f}-"
                     f"{max(walls['old']):.2f}) | {med['new']:.2f} s ({min(walls['new']):.2f}-"
                     f"{max(walls['new']):.2f}) | {med['new'] / med['old']:.2f} | "
                     f"{cpus['old']:.1f} s | {cpus['new']:.1f} s |")
    lines.append("")
    for kind in ("added", "edited"):
        for tag in binaries:
            lines.append(f"- {tag}, one post {kind}, last run: {results[(kind, tag)][-1]['phases']}")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
