"""Content written to hurt: what kade-index refuses (FILE:LINE, no bundle, the old one kept) and
what it tames (huge words, raw HTML in feeds, root-relative links in RSS).

    python3 tests/e2e/hostile_content_test.py --bin-dir build --source-dir .
"""

import re
import time
import xml.etree.ElementTree as ET

import kade_e2e
from kade_e2e import decode_text, http_get

BASE = kade_e2e.BASE_CONFIG["site"]["base_url"]
ATOM = "{http://www.w3.org/2005/Atom}"
GOOD = '+++\ntitle = "Goed"\ndate = 2014-01-02T10:00:00+01:00\nslug = "goed"\n+++\n\nTekst.\n'


class HostileContentTest(kade_e2e.KadeTestCase):
    def content(self, files: dict[str, str]):
        """A content folder of its own for this test: the good post plus `files`."""
        content = self.work_dir / self.id().rsplit(".", 1)[-1]
        for name, text in {"goed.md": GOOD, **files}.items():
            path = content / "posts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = kade_e2e.write_config(content / "kade.toml", index={"content": str(content)})
        return content, config, content / "site.kade"

    def assert_refused_keeping_the_old_bundle(self, files, name, line, words):
        content, config, out = self.content({})
        kade_e2e.check_index(config, out=out)
        before = out.read_bytes()
        for file, text in files.items():
            (content / "posts" / file).write_text(text, encoding="utf-8")
        result = kade_e2e.run_index(config, out=out)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stderr,
                         re.escape(f"{content / 'posts' / name}:{line}: ") + ".*" + words)
        self.assertEqual(out.read_bytes(), before, "the previous bundle stays untouched")

    # --- refused ---------------------------------------------------------------------------

    def test_two_thousand_labels_are_refused_at_the_labels_line(self):
        labels = ", ".join(f'"label {i}"' for i in range(2000))
        post = f'+++\ntitle = "Veel"\ndate = 2015-01-01\n\nlabels = [{labels}]\n+++\nTekst\n'
        self.assert_refused_keeping_the_old_bundle({"veel.md": post}, "veel.md", 5,
                                                   "at most 200 are allowed")

    def test_year_zero_is_refused(self):
        post = '+++\ntitle = "Oud"\ndate = 0000-01-01\n+++\nTekst\n'
        self.assert_refused_keeping_the_old_bundle({"oud.md": post}, "oud.md", 3,
                                                   "years 1970 to 9999")

    def test_a_negative_offset_cannot_push_a_date_into_year_10000(self):
        post = '+++\ntitle = "Laat"\ndate = 9999-12-31T23:59:59-23:59\n+++\nTekst\n'
        self.assert_refused_keeping_the_old_bundle({"laat.md": post}, "laat.md", 3,
                                                   "10000-01-01T23:58:59Z")

    # --- tamed -----------------------------------------------------------------------------

    def test_a_320_kb_word_indexes_quickly_and_the_rest_stays_searchable(self):
        # Compound splitting was quadratic in a word's length: 40 s for this post. The bound is
        # far above the few hundred milliseconds it takes now; only the quadratic walk misses it.
        word = "klant" * (320 * 1024 // 5)
        post = ('+++\ntitle = "Lang woord"\ndate = 2015-01-01\nslug = "lang"\n+++\n'
                f"Een zeldzaam zoekwoord: vuurtorenwachter.\n\n{word}\n")
        _, config, out = self.content({"lang.md": post})
        start = time.monotonic()
        kade_e2e.check_index(config, out=out)
        self.assertLess(time.monotonic() - start, 20)
        server = self.start_server(config, bundle=out)
        found = decode_text(http_get(server.port, "/api/search?q=vuurtorenwachter"))
        self.assertIn("/2015/01/lang.html", found)

    def test_feeds_carry_no_script_and_rss_links_are_absolute(self):
        post = ('+++\ntitle = "Gevaarlijk"\ndate = 2015-01-01\nslug = "gevaarlijk"\n+++\n'
                "Een alinea met [een link](/2014/01/goed.html) en ![foto](/static/foto.png).\n\n"
                '<script>alert("feed")</script>\n\n'
                '<p onclick="steel()">Klik <a href="javascript:steel()">hier</a>'
                '<img src="x.png" onerror="steel()"></p>\n\n'
                '<iframe src="https://video.example/"></iframe>\n')
        _, config, out = self.content({"gevaarlijk.md": post})
        kade_e2e.check_index(config, out=out)
        server = self.start_server(config, bundle=out)
        atom = ET.fromstring(decode_text(http_get(server.port, "/feeds/posts/default")))
        rss = ET.fromstring(decode_text(http_get(server.port, "/feeds/posts/default?alt=rss")))
        bodies = {
            "atom": [e.find(ATOM + "content").text for e in atom.findall(ATOM + "entry")],
            "rss": [i.find("description").text for i in rss.iter("item")],
        }
        for kind, texts in bodies.items():
            body = next(t for t in texts if "Klik" in t)
            for bad in ("<script", "alert(", "onclick", "onerror", "javascript:", "<iframe"):
                self.assertNotIn(bad, body.lower(), kind)
            # Links and images are absolute: RSS has no xml:base to resolve them with.
            self.assertIn(f'href="{BASE}/2014/01/goed.html"', body, kind)
            self.assertIn(f'src="{BASE}/static/foto.png"', body, kind)
            self.assertIn(f'src="{BASE}/2015/01/x.png"', body, kind)
            self.assertNotRegex(body, r'(href|src)="/', kind)
        # The page itself keeps the author's HTML: the site's CSP guards it there.
        page = decode_text(http_get(server.port, "/2015/01/gevaarlijk.html"))
        self.assertIn("<script>", page)


if __name__ == "__main__":
    kade_e2e.main()
