"""Moving a blog from Blogger, end to end: each fixture export (the legacy "Back up content"
file and Google Takeout's feed.atom) → kade-import-blogger → kade-index → kade-serve, and then
every original URL, taken from the fixture itself, must answer 200 or 301 to its post.

    python3 tests/e2e/import_test.py --bin-dir build --source-dir .
"""

import hashlib
import html
import re
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import kade_e2e
from kade_e2e import decode_text, http_get

ATOM = "{http://www.w3.org/2005/Atom}"
TAKEOUT = "{http://schemas.google.com/blogger/2018}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
IMPORT_TIMEOUT_S = 60


def fixture_entries(path: Path) -> list[dict]:
    """The fixture's posts and pages as the export states them, read here independently of the
    importer: kind, status, title, labels and the original path."""
    entries = []
    for e in ET.parse(path).getroot().iter(f"{ATOM}entry"):
        kind = status = None
        labels = []
        original = ""
        btype = e.find(f"{TAKEOUT}type")
        if btype is not None:  # Takeout
            kind = {"POST": "post", "PAGE": "page", "COMMENT": "comment"}.get(btype.text)
            status = {"LIVE": "live", "DRAFT": "draft"}.get(e.findtext(f"{TAKEOUT}status"), "gone")
            original = e.findtext(f"{TAKEOUT}filename") or ""
            labels = [c.get("term") for c in e.findall(f"{ATOM}category")]
        else:  # legacy
            for c in e.findall(f"{ATOM}category"):
                if c.get("scheme") == KIND_SCHEME:
                    kind = c.get("term").rsplit("#", 1)[1]
                elif c.get("scheme") == LABEL_SCHEME:
                    labels.append(c.get("term"))
            draft = e.find(".//{http://purl.org/atom/app#}draft")
            status = "draft" if draft is not None and draft.text == "yes" else "live"
            for link in e.findall(f"{ATOM}link"):
                if link.get("rel") == "alternate":
                    original = urllib.parse.urlsplit(link.get("href")).path
        if kind in ("post", "page"):
            entries.append({"kind": kind, "status": status, "title": e.findtext(f"{ATOM}title"),
                            "labels": labels, "path": original})
    return entries


def run_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(kade_e2e.bin_path("kade-import-blogger")), *map(str, args)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=IMPORT_TIMEOUT_S)


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


class ImportedBlog:
    """Mixed into a test case per fixture: FIXTURE is relative to tests/fixtures/blogger."""

    FIXTURE = ""
    IMAGES: dict[str, bytes] = {}
    EXTRA_ARGS: tuple[str, ...] = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export = kade_e2e.source_path("tests", "fixtures", "blogger", cls.FIXTURE)
        cls.entries = fixture_entries(cls.export)
        cls.content = cls.work_dir / "content"
        args = [cls.export, "--out", cls.content]
        if cls.IMAGES:
            images = cls.work_dir / "downloads"
            images.mkdir()
            for name, data in cls.IMAGES.items():
                (images / name).write_bytes(data)
            args += ["--images", images]
        args += list(cls.EXTRA_ARGS)
        cls.import_args = args
        result = run_import(*args)
        if result.returncode != 0:
            raise AssertionError(f"kade-import-blogger exited {result.returncode}:\n{result.stderr}")
        cls.report = result.stdout
        config = kade_e2e.write_config(cls.work_dir / "kade.toml", index={"content": str(cls.content)})
        kade_e2e.check_index(config)
        cls.server = cls.start_server(config)

    def get(self, path):
        return http_get(self.server.port, path, {"Accept-Encoding": "identity"})

    def resolve(self, path):
        """GET path, following one 301 within the site; returns (first status, final response)."""
        resp = self.get(path)
        if resp.status == 301:
            target = urllib.parse.urlsplit(resp.headers["Location"]).path
            return 301, self.get(target)
        return resp.status, resp

    def live(self, kind):
        return [e for e in self.entries if e["kind"] == kind and e["status"] == "live"]

    def test_every_original_permalink_answers_200_or_301_to_its_post(self):
        posts = self.live("post")
        self.assertGreaterEqual(len(posts), 3)
        for e in posts:
            with self.subTest(path=e["path"]):
                first, resp = self.resolve(urllib.parse.quote(e["path"]))
                self.assertIn(first, (200, 301))
                self.assertEqual(resp.status, 200, resp)
                self.assertIn(f"<h1>{html.escape(e['title'], quote=False)}</h1>", decode_text(resp))

    def test_some_permalinks_stay_and_some_become_aliases(self):
        statuses = {self.get(urllib.parse.quote(e["path"])).status for e in self.live("post")}
        self.assertEqual(statuses, {200, 301})

    def test_static_pages_answer_at_p_name(self):
        pages = self.live("page")
        self.assertTrue(pages)
        for e in pages:
            with self.subTest(path=e["path"]):
                self.assertRegex(e["path"], r"^/p/[^/]+\.html$")
                first, resp = self.resolve(e["path"])
                self.assertEqual((first, resp.status), (200, 200))
                self.assertIn(html.escape(e["title"], quote=False), decode_text(resp))

    def test_drafts_and_trashed_posts_are_not_published(self):
        self.assertRegex(self.report, r"posts\s+\d+ published, 1 drafts")
        for e in self.entries:
            if e["status"] != "live" and e["path"]:
                self.assertEqual(self.get(e["path"]).status, 404, e)
        draft_files = [p for p in (self.content / "posts").rglob("*.md")
                       if "draft = true" in p.read_text(encoding="utf-8")]
        self.assertEqual(len(draft_files), 1)
        resp = self.get(f"/{draft_files[0].relative_to(self.content / 'posts').with_suffix('.html')}")
        self.assertEqual(resp.status, 404)

    def test_label_pages_answer_for_every_label_with_accents(self):
        labels = {label for e in self.live("post") for label in e["labels"]}
        self.assertTrue(any(not label.isascii() for label in labels), labels)
        for label in sorted(labels):
            with self.subTest(label=label):
                resp = self.get("/search/label/" + urllib.parse.quote(label, safe=""))
                self.assertEqual(resp.status, 200, resp)
                body = decode_text(resp)
                for e in self.live("post"):
                    if label in e["labels"]:
                        self.assertIn(html.escape(e["title"], quote=False), body)

    def test_feeds_answer_for_the_blog_and_per_label(self):
        resp = self.get("/feeds/posts/default")
        self.assertEqual(resp.status, 200)
        self.assertIn("<feed", decode_text(resp))
        for label in sorted({label for e in self.live("post") for label in e["labels"]}):
            with self.subTest(label=label):
                resp = self.get("/feeds/posts/default/-/" + urllib.parse.quote(label, safe=""))
                self.assertEqual(resp.status, 200, resp)

    def test_comments_show_threaded_and_escaped_under_their_post(self):
        first, resp = self.resolve("/2014/01/doen-waar-je-niet-goed-in-bent.html")
        body = decode_text(resp)
        self.assertIn('<h2 id="reacties">3 reacties</h2>', body)
        # Sonja's answer sits inside Marieke's comment, in its list of replies.
        marieke = body.index('id="c1001"')
        replies = body.index('<ol class="comment-replies">', marieke)
        self.assertLess(replies, body.index('id="c1002"'))
        self.assertLess(body.index('id="c1002"'), body.index('id="c1003"'))
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
        self.assertNotIn("<script>alert(1)", body)
        self.assertNotIn("Koop nu", body)  # removed and spam comments stay out

    def test_blogger_comment_permalinks_land_on_the_post_at_the_comment(self):
        # Blogger links a comment as POST?showComment=MILLIS#cID; the fragment stays in the
        # browser, so the post must answer and carry id="cID".
        first, resp = self.resolve("/2014/01/doen-waar-je-niet-goed-in-bent.html"
                                   "?showComment=1388667900000")
        self.assertIn(first, (200, 301))
        self.assertEqual(resp.status, 200)
        self.assertIn('id="c1001"', decode_text(resp))

    def test_blogger_html_became_markdown(self):
        post = (self.content / "posts/2014/01/doen-waar-je-niet-goed-in-bent.md").read_text(
            encoding="utf-8")
        self.assertIn("## Drie vragen voor jezelf", post)
        self.assertIn("1. Waar word je **blij** van?", post)
        self.assertIn("   - administratie", post)
        self.assertIn("> Wie alles zelf doet, doet niets goed.", post)
        self.assertIn("[wie ik ben](", post)
        self.assertIn("![Twee handen die elkaar vasthouden](", post)
        self.assertIn("5 \\* 3 = 15 \\[zonder btw\\] \\<geen grap>", post)
        self.assertNotIn("<div", post)
        self.assertNotIn("&nbsp;", post)

    def test_images_on_blogger_hosts_are_reported(self):
        images = re.findall(r"^image (\S+)", self.report, re.M)
        self.assertTrue(images)
        for url in images:
            self.assertRegex(url, r"^https?://(\d\.bp\.blogspot\.com|blogger\.googleusercontent\.com)/")

    def test_reimport_changes_nothing(self):
        before = tree_digest(self.content)
        result = run_import(*self.import_args)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"files\s+0 written, \d+ unchanged")
        self.assertEqual(tree_digest(self.content), before)

    def test_changed_files_are_kept_unless_forced(self):
        victim = self.content / "posts/2014/01/doen-waar-je-niet-goed-in-bent.md"
        original = victim.read_bytes()
        try:
            victim.write_bytes(original + b"\nmijn eigen aanvulling\n")
            result = run_import(*self.import_args)
            self.assertEqual(result.returncode, 1)
            self.assertIn(str(victim), result.stderr)
            self.assertIn("--force", result.stderr)
            self.assertIn(b"mijn eigen aanvulling", victim.read_bytes())
            result = run_import(*self.import_args, "--force")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(victim.read_bytes(), original)
        finally:
            victim.write_bytes(original)


class LegacyBackupTest(ImportedBlog, kade_e2e.KadeTestCase):
    FIXTURE = "legacy-backup.xml"

    def test_settings_and_template_are_skipped(self):
        self.assertRegex(self.report, r"skipped\s+2 settings, 1 template")

    def test_comments_of_a_post_made_draft_wait_but_stray_ones_are_errors(self):
        import shutil
        content = self.work_dir / "content-draft"
        shutil.copytree(self.content, content)
        post = content / "posts/2014/03/lente-in-de-winkel.md"
        post.write_text(post.read_text(encoding="utf-8").replace("+++\n\n", "draft = true\n+++\n\n", 1),
                        encoding="utf-8")
        config = self.work_dir / "kade.toml"
        result = kade_e2e.run_index(config, content=content, out=self.work_dir / "draft.kade")
        self.assertEqual(result.returncode, 0, result.stderr)
        stray = content / "comments/2014/03/lente-in-de-winkel.toml"
        stray.write_text(stray.read_text(encoding="utf-8").replace("/2014/03/lente", "/2014/03/zomer"),
                         encoding="utf-8")
        result = kade_e2e.run_index(config, content=content, out=self.work_dir / "draft.kade")
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{stray}:1: \"post\" /2014/03/zomer-in-de-winkel.html is not the URL", result.stderr)


class TakeoutTest(ImportedBlog, kade_e2e.KadeTestCase):
    FIXTURE = "takeout/Blogger/Blogs/Sonja van Vuren/feed.atom"
    IMAGES = {"koffie.png": b"\x89PNG\r\n\x1a\n-koffie-"}

    def test_trashed_post_is_left_out_everywhere(self):
        self.assertRegex(self.report, r"1 trashed")
        self.assertEqual(self.get("/2014/03/weggegooid.html").status, 404)
        for path in self.content.rglob("*"):
            if path.is_file():
                self.assertNotIn(b"VERWIJDERDEPOST", path.read_bytes(), path)

    def test_downloaded_images_are_served_from_static(self):
        self.assertIn("→ /static/blogger/koffie.png", self.report)
        resp = self.get("/static/blogger/koffie.png")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.body, self.IMAGES["koffie.png"])
        first, post = self.resolve("/2014/02/koffie-in-de-winter.html")
        self.assertEqual(first, 301)  # 31 January in UTC, February in the blog's time zone
        self.assertIn('src="/static/blogger/koffie.png" alt="Een kop koffie &amp; een koekje"',
                      decode_text(post))
        self.assertRegex(self.report, r"samenwerken\.jpg \(not in the images folder\)")


class TakeoutInTheBlogsTimeZoneTest(ImportedBlog, kade_e2e.KadeTestCase):
    FIXTURE = "takeout/Blogger/Blogs/Sonja van Vuren/feed.atom"
    EXTRA_ARGS = ("--timezone", "Europe/Amsterdam", "--blog-url", "https://sonjavanvuren.blogspot.com/")

    def test_dates_in_the_blogs_zone_keep_blogger_urls_as_they_were(self):
        resp = self.get("/2014/02/koffie-in-de-winter.html")
        self.assertEqual(resp.status, 200)
        self.assertIn('datetime="2014-02-01T00:30:00+01:00"', decode_text(resp))

    def test_links_to_the_old_blog_stay_on_the_site(self):
        first, resp = self.resolve("/2014/01/doen-waar-je-niet-goed-in-bent.html")
        body = decode_text(resp)
        self.assertIn('<a href="/p/over-mij.html">wie ik ben</a>', body)
        self.assertNotIn('href="http://sonjavanvuren.blogspot.com', body)


class ImportErrorsTest(kade_e2e.KadeTestCase):
    def test_malformed_xml_is_reported_with_line_and_column(self):
        bad = self.work_dir / "kapot.xml"
        text = kade_e2e.source_path("tests/fixtures/blogger/legacy-backup.xml").read_text(
            encoding="utf-8")
        bad.write_text(text.replace("</title>", "</titel>", 3), encoding="utf-8")
        result = run_import(bad, "--out", self.work_dir / "out")
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, rf"^{re.escape(str(bad))}:\d+:\d+: mismatched tag")
        self.assertFalse((self.work_dir / "out").exists())

    def test_usage_errors_exit_2(self):
        self.assertEqual(run_import("export.xml").returncode, 2)
        self.assertEqual(run_import("export.xml", "--out", self.work_dir / "o", "--timezone",
                                    "Nergens/Niets").returncode, 2)
        self.assertEqual(run_import("--bogus").returncode, 2)
        self.assertEqual(run_import("--help").returncode, 0)


if __name__ == "__main__":
    kade_e2e.main()
