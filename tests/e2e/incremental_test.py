"""Incremental builds, black-box: after each change to the content, kade-index builds once from
the previous bundle (reusing compressed bytes) and once with --full from the same previous
bundle (same dictionary, nothing reused); `kade-index --diff` between the two must print
nothing but the search key, both must give the same search answers, and the summary must say
how much was reused.

    python3 tests/e2e/incremental_test.py --bin-dir build --source-dir .
"""

import json
import re
import shutil
import subprocess
import urllib.parse

import kade_e2e

REUSED = re.compile(r"build +incremental: (\d+) of (\d+) compressed bodies reused")
SEARCH_KEPT = re.compile(r"search index .*\((\d+) documents from the search cache, "
                         r"(\d+) posts? added, (\d+) edited, (\d+) removed\)")
# Words of the fixture and of the posts the tests add or edit, a phrase, a compound part, a
# typo (the suggestion) and a filter: the answers, snippets, facets and totals must agree.
QUERIES = ["schelde", "kade", "haven winter", "\"de kade\"", "oudenaarde", "later zin",
           "antwerpen", "ondernemerschap", "schelde&label=reizen", "veerpont", "kaade",
           "water&sort=date", "de"]
NEWEST_POST = """+++
title = "Het nieuwste bericht: de kade in de winter"
date = 2031-01-15T08:00:00+01:00
labels = ["ondernemen"]
+++

De kade ligt er in de winter stil bij; alleen de veerpont vaart nog.
"""
NEW_POST = """+++
title = "Een nieuw bericht over de haven"
date = 2019-12-01T09:00:00+01:00
labels = ["ondernemen"]
+++

Vandaag schrijf ik over de haven, de kade en de schepen die er aanleggen.
"""


class IncrementalTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = cls.work_dir / "content"
        kade_e2e.copy_content(cls.content, kade_e2e.fixture_site())
        cls.bundle = cls.work_dir / "site.kade"
        cls.config = cls.write_config()
        first = cls.index(cls.config)
        assert "build        full (no bundle at" in first.stdout, first.stdout

    @classmethod
    def write_config(cls, name="kade.toml", **index):
        return kade_e2e.write_config(
            cls.work_dir / name, site={"title": index.pop("title", "Kade")},
            index={"content": str(cls.content), "output": str(cls.bundle),
                   "dictionary_bytes": 16384, **index})

    @staticmethod
    def index(config, out=None, *args):
        result = kade_e2e.run_index(config, out=out, extra_args=args)
        if result.returncode != 0:
            raise AssertionError(f"kade-index exited {result.returncode}:\n{result.stderr}")
        return result

    def rebuild(self, config=None):
        """Incremental and --full builds from the current bundle; asserts they serve the same.
        Returns (reused, compressible) of the incremental one, which becomes the bundle."""
        config = config or self.config
        full = self.work_dir / "full.kade"
        shutil.copyfile(self.bundle, full)
        full_run = self.index(config, full, "--full")
        self.assertIn("build        full (--full)", full_run.stdout)
        inc_run = self.index(config)
        diff = subprocess.run([str(kade_e2e.bin_path("kade-index")), "--diff", str(self.bundle),
                               str(full)], capture_output=True, text=True, timeout=60)
        self.assertEqual(diff.returncode, 0, diff.stderr)
        self.assertLessEqual(set(diff.stdout.split()), {"search"}, diff.stdout)
        found = REUSED.search(inc_run.stdout)
        self.assertIsNotNone(found, inc_run.stdout)
        self.summary = inc_run.stdout
        self.assertEqual(self.answers(config, self.bundle), self.answers(config, full))
        return int(found.group(1)), int(found.group(2))

    def answers(self, config, bundle):
        """The JSON search answers to QUERIES from `bundle`, without the time taken."""
        out = {}
        with kade_e2e.Server(config, bundle=bundle, work_dir=self.work_dir) as server:
            for q in QUERIES:
                word, _, rest = q.partition("&")
                path = "/api/search?q=" + urllib.parse.quote(word) + ("&" + rest if rest else "")
                resp = kade_e2e.http_get(server.port, path)
                self.assertEqual(resp.status, 200, path)
                answer = json.loads(resp.body)
                answer.pop("took_ms")
                out[q] = answer
        return out

    def post(self, name):
        return next(self.content.glob(f"posts/*/{name}*.md"))

    # Each test changes the content the previous one left; they run in name order.
    def test_01_unchanged_reuses_every_body(self):
        reused, total = self.rebuild()
        self.assertEqual(reused, total)
        self.assertGreater(total, 50)
        kept = SEARCH_KEPT.search(self.summary)  # the search database too
        self.assertIsNotNone(kept, self.summary)
        self.assertEqual(kept.group(2), "0")

    def test_02_edited_post(self):
        p = self.post("13-oudenaarde")
        p.write_text(p.read_text() + "\nEen zin die er later bij kwam over de Schelde.\n")
        reused, total = self.rebuild()
        kept = SEARCH_KEPT.search(self.summary)  # indexed anew in place
        self.assertIsNotNone(kept, self.summary)
        self.assertEqual((kept.group(2), kept.group(3)), ("0", "1"))
        self.assertGreater(reused, total // 2)
        self.assertLess(reused, total)

    def test_03_new_post(self):
        (self.content / "posts" / "2019" / "24-nieuw.md").write_text(NEW_POST)
        reused, total = self.rebuild()
        self.assertGreater(reused, 0)
        self.assertLess(reused, total)

    def test_03b_newest_post_is_added_to_the_search_cache(self):
        (self.content / "posts" / "2031").mkdir(exist_ok=True)
        (self.content / "posts" / "2031" / "01-nieuwste.md").write_text(NEWEST_POST)
        self.rebuild()
        kept = SEARCH_KEPT.search(self.summary)
        self.assertIsNotNone(kept, self.summary)
        self.assertEqual(kept.group(2), "1")
        self.assertGreater(int(kept.group(1)), 20)

    def test_03c_damaged_search_cache_costs_a_full_index_not_the_build(self):
        cache = self.bundle.with_name(self.bundle.name + ".search")
        postlist = cache / "xapian" / "postlist.glass"
        postlist.write_bytes(postlist.read_bytes()[: postlist.stat().st_size // 3])
        self.rebuild()
        self.assertIn("every post indexed: the search cache is damaged", self.summary)
        self.rebuild()  # the build kept a whole cache again
        self.assertIsNotNone(SEARCH_KEPT.search(self.summary), self.summary)

    def test_04_deleted_post(self):
        self.post("05-bestudeer").unlink()
        reused, total = self.rebuild()
        kept = SEARCH_KEPT.search(self.summary)  # deleted in place
        self.assertIsNotNone(kept, self.summary)
        self.assertEqual(kept.group(4), "1")
        self.assertGreater(reused, 0)
        self.assertLess(reused, total)
        self.rebuild()  # the cache with a gap in its docids is used again
        kept = SEARCH_KEPT.search(self.summary)
        self.assertIsNotNone(kept, self.summary)
        self.assertEqual(kept.group(2, 3, 4), ("0", "0", "0"))

    def test_05_label_renamed(self):
        for p in self.content.glob("posts/*/*.md"):
            p.write_text(p.read_text().replace('"ondernemen"', '"ondernemerschap"'))
        reused, total = self.rebuild()
        self.assertGreater(reused, 0)
        self.assertLess(reused, total)

    def test_06_draft_published_and_unpublished(self):
        p = self.post("09-antwerpen")
        p.write_text(p.read_text().replace("draft = true\n", ""))
        reused, total = self.rebuild()
        self.assertLess(reused, total)
        p.write_text(p.read_text().replace('slug = "geheim-concept"\n',
                                           'slug = "geheim-concept"\ndraft = true\n'))
        reused, total = self.rebuild()
        self.assertLess(reused, total)

    def test_07_config_change_changes_every_page(self):
        config = self.write_config("retitled.toml", title="Kade aan het water")
        reused, total = self.rebuild(config)
        # Every HTML page and feed shows the title; the stylesheet, scripts and files do not.
        self.assertGreater(reused, 0)
        self.assertLess(reused, total // 4)

    def test_08_other_compression_settings_build_fully(self):
        config = self.write_config("gzip6.toml", gzip_level=6)
        result = self.index(config)
        self.assertIn("other compression settings", result.stdout)
        self.assertIn("build        full (", result.stdout)
        reused, total = self.rebuild(config)  # and from then on reuses all again
        self.assertEqual(reused, total)

    def test_09_bad_or_foreign_previous_bundle_builds_fully(self):
        # A bundle of these settings (test_08 left one of others, which alone builds fully).
        self.index(self.config)
        reused, total = self.rebuild()
        self.assertEqual(reused, total)
        good = self.bundle.read_bytes()
        foreign = bytearray(good)
        foreign[8] = 2  # format version 2
        # One byte inside a page's gzip body changed: the structure is sound and the page's
        # identity hash still matches, only the checksums tell.
        flipped = bytearray(good)
        at = good.index(b"\x1f\x8b\x08", len(good) // 4) + 40
        flipped[at] ^= 0x20
        for name, damaged in [("truncated", good[: len(good) // 2]), ("foreign", bytes(foreign)),
                              ("junk", b"not a bundle at all\n"), ("empty", b""),
                              ("flipped", bytes(flipped))]:
            with self.subTest(name):
                self.bundle.write_bytes(damaged)
                result = self.index(self.config)
                self.assertIn("build        full (", result.stdout)
                reused, total = self.rebuild()
                self.assertEqual(reused, total)


if __name__ == "__main__":
    kade_e2e.main()
