"""Moving from Blogger loses nothing (issue 15): a classic "Back up content" export in miniature
(tests/fixtures/blogger/classic-backup.xml) → kade-import-blogger → kade-index → kade-serve, and
then what a subscriber, an old link and a reader of the old blog expect.

    python3 tests/e2e/blogger_move_test.py --bin-dir build --source-dir .
"""

import json
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

    def test_feeds_page_by_start_index_and_max_results_as_on_blogger(self):
        def entry_ids(path):
            resp = self.get(path)
            self.assertEqual(resp.status, 200, path)
            return [e.findtext(f"{ATOM}id") for e in ET.fromstring(resp.body).iter(f"{ATOM}entry")]
        every = entry_ids("/feeds/posts/default")
        self.assertEqual(entry_ids("/feeds/posts/default?max-results=2"), every[:2])
        self.assertEqual(entry_ids("/feeds/posts/default?start-index=3&max-results=2"), every[2:4])
        self.assertEqual(entry_ids("/feeds/posts/summary?start-index=2"), every[1:])
        self.assertEqual(entry_ids("/feeds/posts/default?start-index=99"), [])
        rss = self.get("/feeds/posts/default/-/winter?alt=rss&max-results=1")
        self.assertEqual(rss.headers["Content-Type"], "application/rss+xml; charset=utf-8")
        self.assertEqual([i.findtext("title") for i in ET.fromstring(rss.body).iter("item")],
                         ["Stamppot met zuurkool"])
        for bad in ("max-results=veel", "start-index=0", "max-results=501"):
            self.assertEqual(self.get("/feeds/posts/default?" + bad).status, 400, bad)

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

    def test_older_posts_link_lists_the_posts_before_the_moment_with_its_own_next_link(self):
        page = self.text("/search?updated-max=2014-09-14T12:00:00%2B02:00&max-results=2")
        titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page)
        self.assertEqual(titles, ["Rode bessen", "Broodrecept in code"])
        nxt = re.search(r'<a class="older" rel="next" href="([^"]+)"', page).group(1)
        self.assertEqual(nxt, "/search?updated-max=2014-07-19T08:00:00%2B02:00&amp;max-results=2")
        page = self.text(nxt.replace("&amp;", "&"))
        titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page)
        self.assertEqual(titles, ["Aardbeien uit de tuin", "Kerstbrood bakken"])
        self.assertNotIn('class="older"', page)
        # A '+' that arrives unencoded is read as a form's space: still the offset.
        plus = self.text("/search?updated-max=2014-09-14T12:00:00.000+02:00&max-results=1")
        self.assertIn(">Rode bessen</a>", plus)
        self.assertEqual(self.get("/search?updated-max=gisteren").status, 400)

    def test_older_posts_show_each_posts_summary_as_the_home_page_does(self):
        page = self.text("/search?updated-max=2014-09-14T12:00:00%2B02:00&max-results=1")
        article = page[page.index('<article class="summary">'):page.index("</article>")]
        self.assertIn(">Rode bessen</a></h2>", article)
        summary = re.findall(r"<p>([^<]+)</p>", article)
        self.assertTrue(summary and len(summary[0]) > 20, article)  # the post's own words
        self.assertIn('class="more" href="/2014/08/', article)

    def test_a_label_pages_older_posts_link_lists_that_labels_older_posts(self):
        # Blogger's label pages link on with /search/label/NAME?updated-max=…; the label's
        # posts older than the moment, not the label page again and not other labels' posts.
        resp = self.get("/search/label/recepten?updated-max=2014-11-20T09:30:00%2B01:00&max-results=1")
        self.assertEqual(resp.status, 200)
        page = decode_text(resp)
        titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page)
        self.assertEqual(titles, ["Broodrecept in code"])
        nxt = re.search(r'<a class="older" rel="next" href="([^"]+)"', page).group(1)
        self.assertEqual(nxt, "/search/label/recepten?updated-max=2014-07-19T08:00:00%2B02:00"
                              "&amp;max-results=1")
        page = self.text(nxt.replace("&amp;", "&"))
        self.assertEqual(re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page),
                         ["Kerstbrood bakken"])
        self.assertNotIn('class="older"', page)
        # Blogger's /search?max-results=N alone: the newest N posts.
        newest = self.text("/search?max-results=2")
        self.assertEqual(re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', newest),
                         ["Na de verhuizing", "Stamppot met zuurkool"])
        # Any other query on a label page is still the one redirect to the page itself.
        self.assertEqual(self.get("/search/label/recepten?utm_source=x").status, 301)

    def test_blogger_date_archives_redirect_to_the_month(self):
        for path in ("/2014_11_20_archive.html", "/2014_11_01_archive.html"):
            resp = self.get(path)
            self.assertEqual(resp.status, 301, path)
            self.assertEqual(resp.headers["Location"], "/2014/11/")
        self.assertEqual(self.get("/2012_01_01_archive.html").status, 404)

    def test_year_archive_lists_its_posts_newest_first_paginated(self):
        first = self.text("/2014/")
        self.assertIn("november 2014", first)  # the months stay on top
        titles = re.findall(r'<h2[^>]*><a href="[^"]+">([^<]+)</a></h2>', first)
        self.assertEqual(titles, ["Stamppot met zuurkool", "Handige links voor de keuken",
                                  "Waar komt de appeltaart vandaan"])
        self.assertIn('href="/2014/page/2/"', first)
        second = self.text("/2014/page/2/")
        titles = re.findall(r'<h2[^>]*><a href="[^"]+">([^<]+)</a></h2>', second)
        self.assertEqual(titles, ["Rode bessen", "Broodrecept in code", "Aardbeien uit de tuin"])

    def test_static_pages_are_linked_from_every_page_and_searchable(self):
        for path in ("/", "/2014/11/stamppot-met-zuurkool.html", "/2014/"):
            self.assertIn('<a href="/p/over-mij.html">Over mij</a>', self.text(path))
        found = json.loads(self.get("/api/search?q=receptenboek").body)
        self.assertIn("/p/over-mij.html", [r["url"] for r in found["results"]])

    def test_post_page_counts_its_comments(self):
        self.assertIn('href="#reacties">2 reacties</a>', self.text("/2014/11/stamppot-met-zuurkool.html"))

    # 3. The whole post survives the import -------------------------------------------------

    def test_words_only_in_a_raw_html_table_are_found(self):
        found = json.loads(self.get("/api/search?q=rookworst").body)
        self.assertEqual([r["url"] for r in found["results"]],
                         ["/2014/11/stamppot-met-zuurkool.html"])

    def test_a_link_whose_text_is_its_url_with_ampersands_is_one_link(self):
        page = self.text("/2014/10/handige-links-voor-de-keuken.html")
        body = page[page.index("<article"):page.index("</article>")]
        self.assertEqual(body.count('href="http://www.example.nl/tabel?van=gram&amp;naar=cups"'), 1)
        self.assertNotRegex(body, r"<a\b[^>]*>[^<]*<a\b")

    def test_footnote_targets_keep_their_ids(self):
        page = self.text("/2014/09/waar-komt-de-appeltaart-vandaan.html")
        for target in ("r1", "r2", "t1", "t2"):
            self.assertIn(f'href="#{target}"', page)
            self.assertIn(f'id="{target}"', page)
        self.assertNotIn('id="layout-blok"', page)  # an id no link points at is not kept

    def test_a_posts_style_and_the_classes_it_styles_stay_together(self):
        page = self.text("/2014/08/rode-bessen.html")
        self.assertIn('<span class="rood">rode bessen</span>', page)
        # The page's Content-Security-Policy allows no inline style: the post's <style> is a
        # stylesheet of its own, which the page links, so the class really is styled.
        self.assertNotIn("<style", page)
        sheet = re.search(r'<link rel="stylesheet" href="(/static/bericht-[0-9a-f]{12}\.css)">',
                          page).group(1)
        resp = self.get(sheet)
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers["Content-Type"], "text/css; charset=utf-8")
        self.assertIn(".rood", decode_text(resp))
        self.assertIn("immutable", resp.headers["Cache-Control"])

    def test_posts_opening_with_code_or_an_image_still_get_a_description(self):
        for path, words in (("/2014/07/broodrecept-in-code.html", "Kneed het deeg"),
                            ("/2014/06/aardbeien-uit-de-tuin.html", "De eerste aardbeien")):
            page = self.text(path)
            description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
            self.assertIn(words, description, path)


class BloggerInputsTest(kade_e2e.KadeTestCase):
    """Every input gets a clear answer."""

    def fixture(self, *parts):
        return kade_e2e.source_path("tests", "fixtures", "blogger", *parts)

    def test_a_public_feed_imports_its_posts_and_says_what_it_lacks(self):
        out = self.work_dir / "feed-content"
        result = run_import(self.fixture("public-feed.xml"), "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("the blog's public feed", result.stdout)
        self.assertRegex(result.stdout, r"posts\s+3 published")
        self.assertIn("the feed holds 3 of the blog's 5 posts", result.stdout)
        md = (out / "posts" / "2015" / "05" / "tulpen-in-mei.md").read_text()
        self.assertIn('id = "tag:blogger.com,1999:blog-7770001.post-3003"', md)

    def test_an_undeclared_prefix_is_read_with_a_warning(self):
        out = self.work_dir / "prefix-content"
        result = run_import(self.fixture("undeclared-prefix.xml"), "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('the prefix "app:" is used but never declared', result.stdout)
        self.assertIn("draft = true",
                      (out / "posts" / "2013" / "12" / "kerstbrood-bakken.md").read_text())

    def test_a_truncated_export_says_so_with_file_and_line(self):
        data = self.fixture("classic-backup.xml").read_bytes()
        cut = self.work_dir / "blog-cut.xml"
        cut.write_bytes(data[: len(data) * 2 // 3])
        result = run_import(cut, "--out", self.work_dir / "cut-content")
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, re.escape(str(cut)) + r":\d+:\d+: ")
        self.assertIn("the file ends early — truncated download?", result.stderr)
        self.assertFalse((self.work_dir / "cut-content").exists())

    def test_a_wordpress_export_is_named_as_one(self):
        wxr = self.work_dir / "wordpress.xml"
        wxr.write_text(WXR, encoding="utf-8")
        result = run_import(wxr, "--out", self.work_dir / "wp-content")
        self.assertEqual(result.returncode, 1)
        self.assertIn("WordPress export (WXR)", result.stderr)
        broken = self.work_dir / "wordpress-cut.xml"
        broken.write_text(WXR[: len(WXR) // 2], encoding="utf-8")
        result = run_import(broken, "--out", self.work_dir / "wp-content")
        self.assertEqual(result.returncode, 1)
        self.assertIn("WordPress export (WXR)", result.stderr)
        self.assertIn("truncated download?", result.stderr)

    def test_takeout_without_a_timezone_warns_which_zone_it_used(self):
        takeout = self.fixture("takeout", "Blogger", "Blogs", "Sonja van Vuren", "feed.atom")
        result = run_import(takeout, "--out", self.work_dir / "takeout-content")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning: no --timezone: Takeout's dates are UTC", result.stdout)
        with_zone = run_import(takeout, "--out", self.work_dir / "takeout-zone",
                               "--timezone", "Europe/Amsterdam")
        self.assertNotIn("no --timezone", with_zone.stdout)

    def test_kade_index_makes_the_folder_of_out(self):
        config = kade_e2e.write_config(self.work_dir / "index" / "kade.toml")
        out = self.work_dir / "nieuw" / "diep" / "site.kade"
        result = kade_e2e.run_index(config, out=out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(out.is_file())


WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Mijn WordPress</title>
<link>https://mijnblog.example.nl</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item>
<title>Hallo wereld</title>
<link>https://mijnblog.example.nl/2015/01/hallo-wereld/</link>
<dc:creator><![CDATA[admin]]></dc:creator>
<content:encoded><![CDATA[<p>Welkom bij WordPress. Dit is je eerste bericht.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id>
<wp:post_date><![CDATA[2015-01-01 10:00:00]]></wp:post_date>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
</item>
</channel>
</rss>
"""


if __name__ == "__main__":
    kade_e2e.main()
