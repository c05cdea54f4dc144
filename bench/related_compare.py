#!/usr/bin/env python3
"""Related posts of two bundles of the same content, post by post (issue 17: related posts
worked out in memory must give Xapian's lists). Serves both bundles with kade-serve on
127.0.0.1, reads every post URL from the sitemap and compares the links of each post's
"Gerelateerde berichten" block.

    python3 bench/related_compare.py --serve build/kade-serve OLD.kade NEW.kade

Prints the first differing posts and a count: identical lists, different lists, posts with none.
"""

import argparse
import re
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

BLOCK = re.compile(r'<(aside|section|nav)[^>]*class="related".*?</\1>', re.S)


def serve(binary, bundle, port, work):
    config = Path(work) / f"serve-{port}.toml"
    config.write_text(f'[site]\ntitle = "Bench"\nbase_url = "http://127.0.0.1:{port}"\n'
                      f'[server]\nlisten = "127.0.0.1:{port}"\nbundle = "{bundle}"\n')
    proc = subprocess.Popen([binary, "--config", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"kade-serve did not start on {bundle}")


def related(port, path):
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read().decode()
    block = BLOCK.search(page)
    return re.findall(r'href="([^"]+)"', block.group(0)) if block else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", default="build/kade-serve")
    ap.add_argument("--port", type=int, default=18181)
    ap.add_argument("old")
    ap.add_argument("new")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        a = serve(args.serve, args.old, args.port, work)
        b = serve(args.serve, args.new, args.port + 1, work)
        try:
            def locs(path):
                body = urllib.request.urlopen(f"http://127.0.0.1:{args.port}{path}").read().decode()
                found = [re.sub(r"^https?://[^/]+", "", u)
                         for u in re.findall(r"<loc>([^<]+)</loc>", body)]
                # Past 50,000 URLs /sitemap.xml is an index of sitemaps.
                return [p for f in found for p in locs(f)] if "<sitemapindex" in body else found

            paths = locs("/sitemap.xml")
            posts = [p for p in paths if re.match(r"/\d{4}/\d{2}/[^/]+\.html$", p)]
            same = different = none = 0
            for path in posts:
                la, lb = related(args.port, path), related(args.port + 1, path)
                none += not la and not lb
                if la == lb:
                    same += 1
                else:
                    different += 1
                    if different <= 5:
                        print(f"{path}\n  old {la}\n  new {lb}")
            print(f"{len(posts)} posts: {same} identical lists, {different} different, "
                  f"{none} without related posts")
        finally:
            a.terminate()
            b.terminate()
            a.wait(10)
            b.wait(10)


if __name__ == "__main__":
    main()
