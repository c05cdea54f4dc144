"""The whole blog, end to end: the fixture blog in tests/fixtures/site/ indexed and served, then
read as a browser, a feed reader, a search engine and a CDN would.

    python3 tests/e2e/site_test.py --bin-dir build --source-dir .
"""

import datetime
import email.utils
import gzip
import html.parser
import json
import re
import shutil
import struct
import subprocess
import tempfile
import tomllib
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import kade_e2e
from kade_e2e import decode_text, http_get

BASE = kade_e2e.BASE_CONFIG["site"]["base_url"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DRAFT_WORD = "zeppelinfabriek"
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def read_posts(content: Path) -> list[dict]:
    """Front matter of every post, with its expected URL, newest first."""
    posts = []
    for path in sorted((content / "posts").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = tomllib.loads(text.split("+++\n")[1])
        date = front["date"]
        if not isinstance(date, datetime.datetime):
            date = datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.timezone.utc)
        front["date"] = date
        front["url"] = f"/{date.year}/{date.month:02d}/{front['slug']}.html"
        front["file"] = path
        posts.append(front)
    posts.sort(key=lambda p: (-p["date"].timestamp(), p["url"]))
    return posts


def undcz(body: bytes, dictionary_section: bytes) -> bytes:
    """A dcz body decoded with the zstd command and the bundle's raw-content dictionary."""
    path_size, bytes_size = struct.unpack_from("<II", dictionary_section, 32)
    dictionary = dictionary_section[40 + path_size:40 + path_size + bytes_size]
    with tempfile.NamedTemporaryFile() as d:
        d.write(dictionary)
        d.flush()
        return subprocess.run(["zstd", "-d", "-q", "-c", "-D", d.name], input=body[40:],
                              capture_output=True, check=True, timeout=30).stdout


def read_bundle(path: Path) -> dict[str, dict]:
    """The entries of a bundle (common/bundle_format.hpp): path → status, keys, body."""
    data = path.read_bytes()
    assert data[:8] == b"KADEBNDL"
    (count,) = struct.unpack_from("<I", data, 12)
    sections = {}
    for i in range(count):
        kind, _, offset, size, _ = struct.unpack_from("<IIQQQ", data, 128 + 32 * i)
        sections[kind] = data[offset:offset + size]
    strings, bodies, entries = sections[1], sections[2], sections[3]

    def s(off: int, size: int) -> str:
        return strings[off:off + size].decode("utf-8")

    out = {}
    record = 152  # entry_record: four variant slots (identity, gzip, zstd, dcz)
    for i in range(len(entries) // record):
        rec = entries[record * i:record * (i + 1)]
        refs = struct.unpack_from("<8I", rec, 0)
        _, status, cache, held = struct.unpack_from("<qHBB", rec, 32)
        v_off, v_size, _ = struct.unpack_from("<QQQ", rec, 56)
        body = bodies[v_off:v_off + v_size]
        if not held & 1 and held & 2:  # identity derived: the gzip variant inflated
            g_off, g_size, _ = struct.unpack_from("<QQQ", rec, 80)
            body = gzip.decompress(bodies[g_off:g_off + g_size])
            assert len(body) == v_size
        elif not held & 1:  # a snippet text: its dcz variant with the dictionary (format 5)
            d_off, d_size, _ = struct.unpack_from("<QQQ", rec, 128)
            body = undcz(bodies[d_off:d_off + d_size], sections[6])
            assert len(body) == v_size
        out[s(refs[0], refs[1])] = {
            "content_type": s(refs[2], refs[3]), "location": s(refs[4], refs[5]),
            "keys": s(refs[6], refs[7]).split(), "status": status, "cache": cache,
            "body": body}
    return out


class LinkParser(html.parser.HTMLParser):
    """href and src values, plus what CSP forbids: style attributes and inline scripts."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.csp_problems: list[str] = []
        self._script_type = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if "style" in attrs:
            self.csp_problems.append(f"style attribute on <{tag}>")
        if tag == "style":
            self.csp_problems.append("<style> element")
        if tag == "script":
            self._script_type = attrs.get("type", "")
            if "src" not in attrs and self._script_type != "application/ld+json":
                self.csp_problems.append("inline <script>")


def links_of(text: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(text)
    return parser


def internal_path(link: str) -> str | None:
    """The request-target of an internal link, or None for an external one."""
    link = link.split("#", 1)[0]
    if link.startswith(BASE):
        link = link[len(BASE):] or "/"
    if not link.startswith("/") or link.startswith("//"):
        return None
    return link


class SiteTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.index_result = cls.serve_content(kade_e2e.fixture_site())
        everything = read_posts(kade_e2e.fixture_site())
        cls.posts = [p for p in everything if not p.get("draft")]
        cls.drafts = [p for p in everything if p.get("draft")]
        cls.entries = read_bundle(cls.bundle)

    def get(self, path, headers=None):
        return http_get(self.server.port, path, headers=headers)

    def page(self, path) -> str:
        resp = self.get(path)
        self.assertEqual(resp.status, 200, f"{path}: {resp!r}")
        return decode_text(resp)

    def xml(self, path, content_type):
        resp = self.get(path)
        self.assertEqual(resp.status, 200, f"{path}: {resp!r}")
        self.assertEqual(resp.headers["Content-Type"], content_type)
        return ET.fromstring(resp.body)

    def post(self, **match) -> dict:
        return next(p for p in self.posts if all(p.get(k) == v for k, v in match.items()))

    # --- the fixture is what the issue asks for ----------------------------------------------

    def test_fixture_has_20_posts_a_draft_an_alias_an_update_and_accented_labels(self):
        self.assertGreaterEqual(len(self.posts), 20)
        self.assertEqual(len(self.drafts), 1)
        self.assertTrue(any(p.get("aliases") for p in self.posts))
        self.assertTrue(any(p.get("updated") for p in self.posts))
        labels = {label for p in self.posts for label in p.get("labels", [])}
        self.assertTrue({"café", "coöperatie"} <= labels)
        self.assertGreaterEqual(len({p["date"].year for p in self.posts}), 5)

    def test_summary_counts_published_posts_and_drafts(self):
        self.assertIn(f"{len(self.posts)} published, 1 drafts", self.index_result.stdout)

    # --- home and pagination ---------------------------------------------------------------

    def test_home_lists_the_ten_newest_posts_and_links_to_older_posts(self):
        text = self.page("/")
        self.assertIn('<html lang="nl">', text)
        for p in self.posts[:10]:
            self.assertIn(f'href="{urllib.parse.quote(p["url"])}"', text)
        self.assertNotIn(self.posts[10]["url"], text)
        self.assertRegex(text, r'<a class="older" rel="next" href="/page/2/">Oudere berichten</a>')
        self.assertNotIn("Nieuwere berichten", text)

    def test_last_home_page_links_back_but_not_further(self):
        pages = (len(self.posts) + 9) // 10
        text = self.page(f"/page/{pages}/")
        self.assertIn("Nieuwere berichten", text)
        self.assertIn("Startpagina", text)
        self.assertNotIn("Oudere berichten", text)
        self.assertIn(self.posts[-1]["url"], text)
        self.assertEqual(self.get(f"/page/{pages + 1}/").status, 404)

    # --- post pages ------------------------------------------------------------------------

    def test_post_page_has_canonical_opengraph_and_json_ld(self):
        p = self.posts[3]
        text = self.page(p["url"])
        self.assertIn(f'<link rel="canonical" href="{BASE}{p["url"]}">', text)
        self.assertIn('<meta property="og:type" content="article">', text)
        self.assertIn(f'<meta property="og:url" content="{BASE}{p["url"]}">', text)
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        data = json.loads(block.group(1))
        self.assertEqual(data["@type"], "BlogPosting")
        self.assertEqual(data["headline"], p["title"])
        self.assertEqual(data["url"], BASE + p["url"])
        self.assertTrue(data["datePublished"].startswith(p["date"].strftime("%Y-%m-%d")))
        self.assertEqual(data["author"]["name"], p.get("author", "Sonja van Vuren"))

    def test_post_page_has_dutch_date_reading_time_and_author(self):
        p = self.post(author="Gastauteur Ana Ćosić")
        d = p["date"]
        dutch = f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
        text = self.page(p["url"])
        self.assertIn(f">{dutch}</time>", text)
        self.assertRegex(text, r"\d+ (minuut|minuten) leestijd")
        self.assertIn("Gastauteur Ana Ćosić", text)

    def test_post_page_links_its_labels_percent_encoded(self):
        p = next(p for p in self.posts if "café" in p.get("labels", []))
        text = self.page(p["url"])
        self.assertIn('<a href="/search/label/caf%C3%A9" rel="tag">café</a>', text)

    def test_post_page_links_newer_and_older_posts(self):
        i = 5
        text = self.page(self.posts[i]["url"])
        self.assertIn(f'class="newer" rel="prev" href="{self.posts[i - 1]["url"]}"', text)
        self.assertIn(f'class="older" rel="next" href="{self.posts[i + 1]["url"]}"', text)

    def test_post_page_has_related_posts_that_are_published(self):
        published = {p["url"] for p in self.posts}
        seen = 0
        for p in self.posts:
            text = self.page(p["url"])
            section = re.search(r'<section class="related".*?</section>', text, re.S)
            if not section:
                continue
            self.assertIn("Gerelateerde berichten", section.group(0))
            urls = re.findall(r'href="([^"]+)"', section.group(0))
            self.assertTrue(urls)
            self.assertNotIn(p["url"], urls, "a post is not related to itself")
            self.assertLessEqual(set(urls), published)
            seen += 1
        self.assertGreaterEqual(seen, len(self.posts) - 2)

    def test_updated_date_gives_last_modified_and_feed_updated(self):
        p = next(p for p in self.posts if p.get("updated"))
        resp = self.get(p["url"])
        self.assertEqual(resp.headers["Last-Modified"],
                         email.utils.format_datetime(p["updated"].astimezone(
                             datetime.timezone.utc), usegmt=True))
        self.assertIn("bijgewerkt op", decode_text(resp))

    # --- aliases and drafts ----------------------------------------------------------------

    def test_aliases_answer_301_to_the_post(self):
        p = next(p for p in self.posts if p.get("aliases"))
        for alias in p["aliases"]:
            resp = self.get(alias)
            self.assertEqual(resp.status, 301, alias)
            self.assertEqual(resp.headers["Location"], p["url"])

    def test_draft_is_absent_from_every_entry_and_from_search(self):
        draft = self.drafts[0]
        self.assertEqual(self.get(draft["url"]).status, 404)
        for path, entry in self.entries.items():
            self.assertNotIn(draft["url"], path)
            self.assertNotIn(DRAFT_WORD.encode(), entry["body"], path)
            self.assertNotIn(draft["url"].encode(), entry["body"], path)
            self.assertNotIn(draft["title"].encode("utf-8"), entry["body"], path)
        resp = self.get(f"/api/search?q={DRAFT_WORD}")
        self.assertEqual(json.loads(decode_text(resp))["total"], 0)

    # --- archives and labels ---------------------------------------------------------------

    def test_year_archive_lists_its_months_with_counts(self):
        year = 2015
        text = self.page(f"/{year}/")
        by_month = {}
        for p in self.posts:
            if p["date"].year == year:
                by_month[p["date"].month] = by_month.get(p["date"].month, 0) + 1
        for month, n in by_month.items():
            self.assertIn(f'<a href="/{year}/{month:02d}/">{MONTHS[month - 1]} {year}</a> '
                          f'<span class="count">({n})</span>', text)
        self.assertIn(f"{sum(by_month.values())} berichten", text)

    def test_month_archive_lists_its_posts_and_the_slashless_form_redirects(self):
        months = {}
        for p in self.posts:
            months.setdefault((p["date"].year, p["date"].month), []).append(p)
        (year, month), members = max(months.items(), key=lambda kv: len(kv[1]))
        self.assertGreaterEqual(len(members), 2, "the fixture has a month with two posts")
        text = self.page(f"/{year}/{month:02d}/")
        self.assertIn(f"{len(members)} berichten", text)
        for p in members:
            self.assertIn(p["url"], text)
        resp = self.get(f"/{year}/{month:02d}")
        self.assertEqual(resp.status, 301)
        self.assertEqual(resp.headers["Location"], f"/{year}/{month:02d}/")

    def test_label_page_lists_exactly_the_posts_with_that_label(self):
        text = self.page("/search/label/co%C3%B6peratie")
        expected = {p["url"] for p in self.posts if "coöperatie" in p.get("labels", [])}
        listed = set(re.findall(r'<h2><a href="([^"]+)"', text))
        self.assertEqual(listed, expected)
        self.assertIn("coöperatie", text)

    def test_label_overview_links_every_label_with_its_count(self):
        text = self.page("/labels/")
        counts = {}
        for p in self.posts:
            for label in p.get("labels", []):
                counts[label] = counts.get(label, 0) + 1
        for label, n in counts.items():
            href = urllib.parse.quote("/search/label/" + label)
            self.assertIn(f'<a href="{href}" rel="tag">{label}</a> <span class="count">({n})',
                          text)

    # --- feeds, sitemap, robots ----------------------------------------------------------------

    def check_atom(self, feed, expected_urls):
        self.assertEqual(feed.tag, ATOM + "feed")
        for name in ("id", "title", "updated", "author"):
            self.assertIsNotNone(feed.find(ATOM + name), name)
        self.assertTrue(any(link.get("rel") == "self" for link in feed.findall(ATOM + "link")))
        entries = feed.findall(ATOM + "entry")
        urls = []
        for entry in entries:
            for name in ("id", "title", "updated", "published", "content", "author"):
                self.assertIsNotNone(entry.find(ATOM + name), name)
            datetime.datetime.fromisoformat(entry.find(ATOM + "updated").text)
            urls.append(entry.find(ATOM + "link").get("href"))
        self.assertEqual(urls, [BASE + u for u in expected_urls])
        return entries

    def test_atom_feed_has_the_newest_25_published_posts_with_full_content(self):
        feed = self.xml("/feeds/posts/default", "application/atom+xml; charset=utf-8")
        entries = self.check_atom(feed, [p["url"] for p in self.posts[:25]])
        content = entries[0].find(ATOM + "content")
        self.assertEqual(content.get("type"), "html")
        self.assertIn("<p>", content.text)

    def test_atom_feed_entry_updated_follows_the_updated_date(self):
        p = next(p for p in self.posts if p.get("updated"))
        feed = self.xml("/feeds/posts/default", "application/atom+xml; charset=utf-8")
        entry = next(e for e in feed.findall(ATOM + "entry")
                     if e.find(ATOM + "link").get("href") == BASE + p["url"])
        self.assertEqual(datetime.datetime.fromisoformat(entry.find(ATOM + "updated").text),
                         p["updated"])

    def test_rss_feed_is_rss_2(self):
        rss = self.xml("/feeds/posts/default?alt=rss", "application/rss+xml; charset=utf-8")
        self.assertEqual(rss.tag, "rss")
        self.assertEqual(rss.get("version"), "2.0")
        channel = rss.find("channel")
        for name in ("title", "link", "description"):
            self.assertTrue(channel.find(name).text, name)
        items = channel.findall("item")
        self.assertEqual([i.find("link").text for i in items],
                         [BASE + p["url"] for p in self.posts[:25]])
        for item in items:
            email.utils.parsedate_to_datetime(item.find("pubDate").text)
            self.assertTrue(item.find("guid").text)
            self.assertTrue(item.find("description").text)

    def test_label_feed_lists_the_posts_of_the_label(self):
        feed = self.xml("/feeds/posts/default/-/caf%C3%A9", "application/atom+xml; charset=utf-8")
        self.check_atom(feed, [p["url"] for p in self.posts if "café" in p.get("labels", [])])

    def test_sitemap_lists_every_published_post_with_lastmod(self):
        urlset = self.xml("/sitemap.xml", "application/xml; charset=utf-8")
        urls = urlset.findall(SITEMAP + "url")
        locs = {u.find(SITEMAP + "loc").text for u in urls}
        posts = {loc for loc in locs if loc.endswith(".html")}
        self.assertEqual(posts, {BASE + p["url"] for p in self.posts})
        self.assertIn(BASE + "/", locs)
        for u in urls:
            datetime.datetime.fromisoformat(u.find(SITEMAP + "lastmod").text)

    def test_robots_txt_points_at_the_sitemap(self):
        resp = self.get("/robots.txt")
        self.assertEqual(resp.status, 200)
        self.assertIn(f"Sitemap: {BASE}/sitemap.xml", decode_text(resp))

    def test_unknown_page_is_the_dutch_404(self):
        resp = self.get("/2014/01/bestaat-niet.html")
        self.assertEqual(resp.status, 404)
        self.assertIn("Pagina niet gevonden", decode_text(resp))

    def test_stylesheet_is_fingerprinted_and_immutable(self):
        css = next(p for p in self.entries if p.startswith("/static/style."))
        self.assertRegex(css, r"^/static/style\.[0-9a-f]{12}\.css$")
        resp = self.get(css)
        self.assertIn("immutable", resp.headers["Cache-Control"])

    def test_static_files_have_their_content_type(self):
        resp = self.get("/static/logo.svg")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers["Content-Type"], "image/svg+xml")

    # --- purge keys ----------------------------------------------------------------------------

    def test_every_entry_has_purge_keys_of_the_posts_it_shows(self):
        for path, entry in self.entries.items():
            self.assertTrue(entry["keys"], f"{path} has no purge keys")
        home = self.entries["/"]["keys"]
        self.assertIn("home", home)
        self.assertEqual(len([k for k in home if k.startswith("post-")]), 10)
        post_key = self.entries[self.posts[0]["url"]]["keys"][0]
        self.assertIn(post_key, home)
        self.assertIn(post_key, self.entries["/feeds/posts/default"]["keys"])
        self.assertIn("feed", self.entries["/feeds/posts/default?alt=rss"]["keys"])
        self.assertIn("archive-2015", self.entries["/2015/"]["keys"])
        self.assertTrue(any(k.startswith("label-")
                            for k in self.entries["/search/label/café"]["keys"]))
        self.assertEqual(self.entries["/sitemap.xml"]["keys"], ["sitemap"])

    # --- the crawl ----------------------------------------------------------------------------

    def test_crawl_from_home_finds_no_broken_internal_link(self):
        sitemap = ET.fromstring(self.get("/sitemap.xml").body)
        queue = ["/"] + [internal_path(u.find(SITEMAP + "loc").text)
                         for u in sitemap.findall(SITEMAP + "url")]
        seen, broken, pages = set(), [], 0
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            resp = self.get(path)
            if resp.status >= 400:
                broken.append(f"{path}: {resp.status}")
                continue
            if resp.status == 301:
                queue.append(internal_path(resp.headers["Location"]))
                continue
            pages += 1
            if resp.headers["Content-Type"].startswith("text/html"):
                parser = links_of(decode_text(resp))
                self.assertEqual(parser.csp_problems, [], path)
                for link in parser.links:
                    target = internal_path(link)
                    if target is not None and target not in seen:
                        queue.append(target)
        self.assertEqual(broken, [])
        # Posts, home pages, archives, labels, feeds, sitemap, assets: the whole blog.
        self.assertGreater(pages, len(self.posts) + 20)
        print(f"\ncrawl: {pages} pages answered 200, {len(seen)} URLs in all", flush=True)


class ReproducibleTest(kade_e2e.KadeTestCase):
    def test_indexing_twice_gives_byte_identical_bundles(self):
        config = kade_e2e.write_config(self.work_dir / "kade.toml",
                                       index={"content": str(kade_e2e.fixture_site())})
        kade_e2e.check_index(config, out=self.work_dir / "a.kade")
        kade_e2e.check_index(config, out=self.work_dir / "b.kade")
        self.assertEqual((self.work_dir / "a.kade").read_bytes(),
                         (self.work_dir / "b.kade").read_bytes())

    def test_check_validates_without_writing(self):
        config = kade_e2e.write_config(self.work_dir / "kade.toml",
                                       index={"content": str(kade_e2e.fixture_site())})
        out = self.work_dir / "check.kade"
        result = kade_e2e.run_index(config, out=out, extra_args=("--check",))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("nothing written", result.stdout)
        self.assertFalse(out.exists())

    def test_diff_names_exactly_the_keys_of_what_changed(self):
        config = kade_e2e.write_config(self.work_dir / "kade.toml",
                                       index={"content": str(kade_e2e.fixture_site())})
        old, new = self.work_dir / "old.kade", self.work_dir / "new.kade"
        kade_e2e.check_index(config, out=old)
        content = self.work_dir / "changed"
        kade_e2e.copy_content(content, kade_e2e.fixture_site())
        posts = [p for p in read_posts(content) if not p.get("draft")]
        changed = posts[1]
        text = changed["file"].read_text(encoding="utf-8")
        changed["file"].write_text(text.replace(f'title = "{changed["title"]}"',
                                                'title = "Een nieuwe titel"', 1), encoding="utf-8")
        # Built over a copy of the old bundle, as a deploy does: kade-index keeps the bundle's
        # compression dictionary, or every page would change with a new one.
        shutil.copy(old, new)
        kade_e2e.check_index(config, content=content, out=new)

        same = kade_e2e.run_index(config, extra_args=("--diff", str(old), str(old)))
        self.assertEqual((same.returncode, same.stdout), (0, ""), same.stderr)

        result = kade_e2e.run_index(config, extra_args=("--diff", str(old), str(new)))
        self.assertEqual(result.returncode, 0, result.stderr)
        keys = result.stdout.splitlines()
        self.assertEqual(keys, sorted(set(keys)))
        entries = read_bundle(new)
        own = entries[changed["url"]]["keys"][0]
        self.assertIn(own, keys)
        self.assertIn("home", keys)
        self.assertIn("feed", keys)
        self.assertIn(f"archive-{changed['date'].year}-{changed['date'].month:02d}", keys)
        # What does not show the title did not change, and is not purged.
        self.assertNotIn("static", keys)
        self.assertNotIn("sitemap", keys)
        # Label pages and feeds of labels the post does not have did not change.
        other_labels = {label for p in posts for label in p.get("labels", [])} - set(
            changed.get("labels", []))
        self.assertTrue(other_labels)
        for label in other_labels:
            for key in entries["/search/label/" + label]["keys"]:
                if key.startswith("label-"):
                    self.assertNotIn(key, keys, label)
        # Year pages list the year's posts, as Blogger's year archive does: purged too.
        self.assertIn(f"archive-{changed['date'].year}", keys)


class BadContentTest(kade_e2e.KadeTestCase):
    """One test per bad-content rule of docs/content.md: FILE:LINE: message, exit 1, no bundle."""

    GOOD = '+++\ntitle = "Goed"\ndate = 2014-01-02T10:00:00+01:00\nslug = "goed"\n+++\n\nTekst.\n'

    def index(self, files: dict[str, str]):
        content = self.work_dir / self.id().rsplit(".", 1)[-1]
        for name, text in {"goed.md": self.GOOD, **files}.items():
            path = content / "posts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = kade_e2e.write_config(content / "kade.toml", index={"content": str(content)})
        out = content / "site.kade"
        return kade_e2e.run_index(config, out=out), content, out

    def assert_reported(self, files, name, line, words):
        result, content, out = self.index(files)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stderr,
                         re.escape(f"{content / 'posts' / name}:{line}: ") + ".*" + words)
        self.assertFalse(out.exists(), "no bundle is written for bad content")

    def test_malformed_toml(self):
        self.assert_reported({"kapot.md": '+++\ntitle = "Kapot\ndate = 2014-01-02\n+++\n'},
                             "kapot.md", 2, "malformed TOML")

    def test_missing_title(self):
        self.assert_reported({"zonder.md": "+++\ndate = 2014-01-02\n+++\nTekst\n"},
                             "zonder.md", 1, "title")

    def test_missing_date(self):
        self.assert_reported({"zonder.md": '+++\ntitle = "Geen datum"\n+++\nTekst\n'},
                             "zonder.md", 1, "date")

    def test_date_that_is_not_a_date(self):
        self.assert_reported(
            {"datum.md": '+++\ntitle = "Datum"\ndate = "gisteren"\n+++\nTekst\n'},
            "datum.md", 3, "date")

    def test_two_posts_with_the_same_url(self):
        twin = self.GOOD.replace('title = "Goed"', 'title = "Tweeling"')
        self.assert_reported({"zz-tweeling.md": twin}, "zz-tweeling.md", 4,
                             "/2014/01/goed.html is already the URL of")

    def test_two_posts_with_the_same_derived_url(self):
        a = '+++\ntitle = "Zelfde titel"\ndate = 2014-01-05\n+++\nA\n'
        b = '+++\ndate = 2014-01-09\ntitle = "Zelfde titel"\n+++\nB\n'
        self.assert_reported({"a.md": a, "b.md": b}, "b.md", 3, "already the URL of")

    def test_alias_that_collides_with_a_page(self):
        post = ('+++\ntitle = "Verhuisd"\ndate = 2015-03-01\n'
                'aliases = ["/oud.html",\n  "/labels/"]\n+++\nTekst\n')
        self.assert_reported({"alias.md": post}, "alias.md", 5, "collides with a page")

    def test_alias_that_collides_with_a_post(self):
        post = ('+++\ntitle = "Verhuisd"\ndate = 2015-03-01\n'
                'aliases = ["/2014/01/goed.html"]\n+++\nTekst\n')
        self.assert_reported({"alias.md": post}, "alias.md", 4, "already the URL of")

    def test_every_problem_is_reported_at_once(self):
        result, _, _ = self.index({"a.md": "+++\ndate = 2014-01-02\n+++\n",
                                   "b.md": '+++\ntitle = "B"\n+++\n'})
        self.assertEqual(result.returncode, 1)
        self.assertIn("2 problems", result.stderr)


if __name__ == "__main__":
    kade_e2e.main()
