"""Moving from Blogger loses nothing (issue 15): a classic "Back up content" export in miniature
(tests/fixtures/blogger/classic-backup.xml) → kade-import-blogger → kade-index → kade-serve, and
then what a subscriber, an old link and a reader of the old blog expect.

    python3 tests/e2e/blogger_move_test.py --bin-dir build --source-dir .
"""

import re
import subprocess
import xml.etree.ElementTree as ET

import kade_e2e
from kade_e2e import decode_text, http_get

ATOM = "{http://www.w3.org/2005/Atom}"
BLOG_ID = "tag:blogger.com,1999:blog-5550001112223334445"
IMPORT_TIMEOUT_S = 60
# A post written after the move: no id of its own in the front matter.
NEW_POST = """+++
title = "Na de verhuizing"
date = 2015-01-10T10:00:00+01:00
labels = ["recepten"]
+++

Het eerste bericht op de nieuwe plek.
"""


def run_import(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(kade_e2e.bin_path("kade-import-blogger")), *map(str, args)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=IMPORT_TIMEOUT_S)


def fixture_post_ids() -> set[str]:
    root = ET.parse(kade_e2e.source_path("tests", "fixtures", "blogger", "classic-backup.xml"))
    ids = set()
    for e in root.getroot().iter(f"{ATOM}entry"):
        kinds = [c.get("term") for c in e.findall(f"{ATOM}category")]
        if any(k.endswith("#post") for k in kinds):
            ids.add(e.findtext(f"{ATOM}id"))
    return ids


class BloggerMoveTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = cls.work_dir / "content"
        export = kade_e2e.source_path("tests", "fixtures", "blogger", "classic-backup.xml")
        result = run_import(export, "--out", cls.content)
        if result.returncode != 0:
            raise AssertionError(f"kade-import-blogger exited {result.returncode}:\n{result.stderr}")
        cls.report = result.stdout
        new = cls.content / "posts" / "2015" / "01" / "na-de-verhuizing.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(NEW_POST, encoding="utf-8")
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml", index={"content": str(cls.content), "posts_per_page": 3},
            site={"base_url": "https://keukenpraat.example.nl"})
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)

    def get(self, path):
        return http_get(self.server.port, path, {"Accept-Encoding": "identity"})

    def text(self, path, status=200):
        resp = self.get(path)
        self.assertEqual(resp.status, status, path)
        return decode_text(resp)

    # 1. Feed identity --------------------------------------------------------------------

    def test_imported_posts_keep_their_blogger_id_in_the_front_matter(self):
        md = (self.content / "posts" / "2014" / "11" / "stamppot-met-zuurkool.md").read_text()
        self.assertIn(f'id = "{BLOG_ID}.post-7001"', md)

    def test_atom_keeps_bloggers_feed_id_and_entry_ids(self):
        feed = ET.fromstring(self.get("/feeds/posts/default").body)
        self.assertEqual(feed.findtext(f"{ATOM}id"), BLOG_ID)
        ids = {e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")}
        imported = {i for i in ids if i.startswith(BLOG_ID)}
        self.assertEqual(imported, fixture_post_ids())
        new = ids - imported
        self.assertEqual(len(new), 1)
        self.assertRegex(new.pop(), r"^tag:keukenpraat\.example\.nl,2014:posts/2015/01/na-de-verhuizing$")

    def test_rss_guids_are_the_same_ids_and_not_permalinks(self):
        rss = ET.fromstring(self.get("/feeds/posts/default?alt=rss").body)
        guids = rss.findall("./channel/item/guid")
        self.assertEqual(len(guids), len(fixture_post_ids()) + 1)
        for g in guids:
            self.assertEqual(g.get("isPermaLink"), "false")
        self.assertTrue(fixture_post_ids() <= {g.text for g in guids})

    def test_label_feed_entries_carry_the_same_ids(self):
        feed = ET.fromstring(self.get("/feeds/posts/default/-/winter").body)
        ids = {e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")}
        self.assertEqual(ids, {f"{BLOG_ID}.post-7001", f"{BLOG_ID}.post-7007"})

    # 2. Every URL family keeps answering ---------------------------------------------------

    def test_short_feed_addresses_redirect_as_on_blogger(self):
        for path, to in (("/atom.xml", "/feeds/posts/default"),
                         ("/rss.xml", "/feeds/posts/default?alt=rss")):
            resp = self.get(path)
            self.assertEqual(resp.status, 301, path)
            self.assertEqual(resp.headers["Location"], to)

    def test_summary_feeds_have_summaries_and_rss_where_rss_was_asked(self):
        atom = self.get("/feeds/posts/summary")
        self.assertEqual(atom.headers["Content-Type"], "application/atom+xml; charset=utf-8")
        feed = ET.fromstring(atom.body)
        entries = feed.findall(f"{ATOM}entry")
        self.assertTrue(entries)
        for e in entries:
            self.assertIsNone(e.find(f"{ATOM}content"))
            self.assertIsNotNone(e.find(f"{ATOM}summary"))
        for path in ("/feeds/posts/summary?alt=rss", "/feeds/posts/default/-/winter?alt=rss",
                     "/feeds/posts/summary/-/winter?alt=rss"):
            resp = self.get(path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.headers["Content-Type"], "application/rss+xml; charset=utf-8")
            self.assertEqual(ET.fromstring(resp.body).tag, "rss")
        titles = [i.findtext("title") for i in
                  ET.fromstring(self.get("/feeds/posts/default/-/winter?alt=rss").body)
                  .iter("item")]
        self.assertEqual(titles, ["Stamppot met zuurkool", "Kerstbrood bakken"])

    def test_comment_feeds_carry_the_imported_comments(self):
        feed = ET.fromstring(self.get("/feeds/comments/default").body)
        self.assertEqual(feed.findtext(f"{ATOM}id"), BLOG_ID + ".comments")
        ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
        self.assertEqual(ids, [f"{BLOG_ID}.post-{n}" for n in ("8102", "8101", "8103")])
        own = ET.fromstring(self.get("/feeds/7001/comments/default").body)
        entries = own.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 2)
        link = entries[-1].find(f"{ATOM}link").get("href")
        self.assertEqual(link, "https://keukenpraat.example.nl/2014/11/stamppot-met-zuurkool.html#c8101")
        self.assertIn("joke.example.nl/stamppot", entries[-1].findtext(f"{ATOM}content"))
        self.assertEqual(self.get("/feeds/7007/comments/default").status, 404)  # no comments

    def test_links_in_comments_stay_links_marked_as_the_commenters(self):
        page = self.text("/2014/11/stamppot-met-zuurkool.html")
        self.assertIn('<a href="http://joke.example.nl/stamppot" rel="nofollow ugc">'
                      'http://joke.example.nl/stamppot</a>', page)


if __name__ == "__main__":
    kade_e2e.main()
