"""Third-party validators over what feed readers and crawlers read: every feed of the fixture blog
(the blog's Atom and RSS, each label's Atom) through feedparser with zero bozo errors, and the
feeds and the sitemap through xmllint.

    python3 tests/e2e/feed_validators_test.py --bin-dir build --source-dir .

feedparser is Debian's python3-feedparser and xmllint comes with libxml2-utils (scripts/setup.sh
installs both).
"""

import shutil
import subprocess
import sys
import tomllib
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, http_get

try:
    import feedparser
except ImportError:
    # Debian's package lives in the system Python's dist-packages; a python3 of one's own
    # (pyenv, a venv) does not look there.
    sys.path.append("/usr/lib/python3/dist-packages")
    import feedparser

BASE = kade_e2e.BASE_CONFIG["site"]["base_url"]


def fixture_labels() -> set[str]:
    labels = set()
    for path in (kade_e2e.fixture_site() / "posts").rglob("*.md"):
        front = tomllib.loads(path.read_text(encoding="utf-8").split("+++\n")[1])
        if not front.get("draft"):
            labels.update(front.get("labels", []))
    return labels


class FeedValidatorsTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serve_content(kade_e2e.fixture_site())
        labels = sorted(fixture_labels())
        assert labels, "the fixture blog has labels"
        cls.feeds = {"/feeds/posts/default": "atom10", "/feeds/posts/default?alt=rss": "rss20"}
        for label in labels:
            cls.feeds["/feeds/posts/default/-/" + urllib.parse.quote(label)] = "atom10"

    def fetch(self, path):
        resp = http_get(self.server.port, path)
        self.assertEqual(resp.status, 200, path)
        return resp, decode_body(resp)

    def test_feedparser_reads_every_feed_without_a_bozo_error(self):
        for path, version in self.feeds.items():
            with self.subTest(feed=path):
                resp, body = self.fetch(path)
                parsed = feedparser.parse(
                    body, response_headers={"content-type": resp.headers["Content-Type"]})
                self.assertFalse(parsed.bozo, f"{path}: {parsed.get('bozo_exception')!r}")
                self.assertEqual(parsed.version, version)
                self.assertTrue(parsed.feed.get("title"))
                self.assertTrue(parsed.entries)
                for entry in parsed.entries:
                    self.assertTrue(entry.get("title"))
                    self.assertTrue(entry.get("link", "").startswith(BASE + "/"), entry.get("link"))
                    self.assertTrue(entry.get("published_parsed") or entry.get("updated_parsed"))
                    self.assertTrue(entry.get("content") or entry.get("summary"))

    def test_atom_summaries_are_short_descriptions(self):
        _, body = self.fetch("/feeds/posts/default")
        for entry in feedparser.parse(body).entries:
            self.assertLessEqual(len(entry.summary), 155, entry.link)

    def test_xmllint_finds_the_feeds_and_the_sitemap_well_formed(self):
        xmllint = shutil.which("xmllint")
        self.assertIsNotNone(xmllint, "xmllint (libxml2-utils) is not installed")
        for path in [*self.feeds, "/sitemap.xml"]:
            with self.subTest(document=path):
                _, body = self.fetch(path)
                result = subprocess.run([xmllint, "--noout", "--nonet", "-"], input=body,
                                        capture_output=True, timeout=30)
                self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
                self.assertEqual(result.stderr, b"")


if __name__ == "__main__":
    kade_e2e.main()
