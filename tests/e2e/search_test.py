"""Dutch search over HTTP: compounds, the AND→OR and suggestion fallbacks, facets, limits, the
result cache and its reset on reload — the JSON API and the HTML page alike.

    python3 tests/e2e/search_test.py --bin-dir build --source-dir .
"""

import json
import os
import signal
import time
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, decode_text, http_get

POSTS = {
    "klantcontact.md": ("Beter bereikbaar", "2015-03-10", ["ondernemen"],
                        "Goed klantcontact begint bij luisteren naar mensen."),
    "klant.md": ("Over onze klant", "2016-06-02", ["ondernemen"],
                 "De klant is koning. Een tevreden klant komt terug."),
    "fiets.md": ("Met de fiets", "2017-05-06", ["fietsen", "wonen"],
                 "Elke dag fietsen naar het werk, ook in de regen."),
    "fietsenmaker.md": ("De fietsenmaker", "2017-09-21", ["fietsen"],
                        "Onze fietsenmaker plakt banden terwijl je wacht."),
    "idee.md": ("Eén idee", "2018-01-01", ["werk"],
                "Dit werkt écht: tien ideeën voor een coöperatie."),
}
EXTRA = ("fietsroute.md", ("Een fietsroute langs de rivier", "2019-04-04", ["fietsen"],
                           "De mooiste fiets route van de provincie."))


def write_post(folder, name, post):
    title, date, labels, body = post
    labels_toml = ", ".join(json.dumps(label) for label in labels)
    (folder / name).write_text(
        f'+++\ntitle = {json.dumps(title)}\ndate = {date}\nlabels = [{labels_toml}]\n+++\n\n'
        f"{body}\n", encoding="utf-8")


class SearchTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = cls.work_dir / "content"
        posts = cls.content / "posts"
        posts.mkdir(parents=True)
        for name, post in POSTS.items():
            write_post(posts, name, post)
        cls.config = kade_e2e.write_config(
            cls.work_dir / "kade.toml", index={"content": str(cls.content)},
            search={"max_terms": 4, "cache_entries": 16})
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)

    def api(self, query_string):
        resp = http_get(self.server.port, f"/api/search?{query_string}")
        return resp, json.loads(decode_body(resp))

    def urls(self, q, extra=""):
        resp, data = self.api(f"q={urllib.parse.quote(q)}{extra}")
        self.assertEqual(resp.status, 200, resp)
        return [r["url"] for r in data["results"]]

    def page(self, query_string):
        resp = http_get(self.server.port, f"/search?{query_string}")
        self.assertEqual(resp.status, 200, resp)
        return decode_text(resp)

    def test_a_compound_is_found_by_its_parts_below_the_word_itself(self):
        self.assertEqual(self.urls("klant"), ["/2016/06/over-onze-klant.html",
                                              "/2015/03/beter-bereikbaar.html"])
        self.assertEqual(self.urls("contact"), ["/2015/03/beter-bereikbaar.html"])
        self.assertEqual(self.urls("klant contact"), ["/2015/03/beter-bereikbaar.html"])

    def test_accents_fold_both_ways(self):
        for q in ("echt", "écht", "ideeen", "ideeën", "cooperatie"):
            self.assertEqual(self.urls(q), ["/2018/01/een-idee.html"], q)

    def test_and_falls_back_to_or_and_says_so(self):
        _, data = self.api("q=koning+regen")
        self.assertEqual(data["fallback"], "or")
        self.assertEqual(len(data["results"]), 2)
        self.assertIn("Geen bericht bevat alle woorden", self.page("q=koning+regen"))
        _, plain = self.api("q=klant+koning")
        self.assertIsNone(plain["fallback"])

    def test_a_misspelling_that_finds_nothing_searches_the_suggestion(self):
        _, data = self.api("q=fietsenmakr")
        self.assertEqual(data["suggestion"], "fietsenmaker")
        self.assertEqual(data["fallback"], "suggestion")
        self.assertEqual([r["url"] for r in data["results"]],
                         ["/2017/09/de-fietsenmaker.html"])
        html = self.page("q=fietsenmakr")
        self.assertIn("resultaten voor <a href=\"/search?q=fietsenmaker\">fietsenmaker</a>", html)

    def test_facets_count_labels_and_years_in_json_and_link_them_in_html(self):
        _, data = self.api("q=fiets")
        self.assertEqual(data["facets"], {"labels": {"fietsen": 2, "wonen": 1},
                                          "years": {"2017": 2}})
        html = self.page("q=fiets")
        self.assertIn('href="/search?q=fiets&amp;label=wonen">wonen</a> (1)', html)
        self.assertIn('href="/search?q=fiets+jaar%3A2017">2017</a> (2)', html)
        self.assertEqual(self.urls("fiets", "&label=wonen"), ["/2017/05/met-de-fiets.html"])

    def test_html_and_json_list_the_same_results(self):
        html = self.page("q=fiets")
        urls = self.urls("fiets")
        positions = [html.find(f'href="{u}"') for u in urls]
        self.assertTrue(all(p >= 0 for p in positions), positions)
        self.assertEqual(positions, sorted(positions))

    def test_too_many_words_is_a_clear_400(self):
        resp, data = self.api("q=een+twee+drie+vier+vijf")
        self.assertEqual(resp.status, 400)
        self.assertIn("meer dan 4 woorden", data["error"])
        self.assertEqual(http_get(self.server.port, "/search?q=a+b+c+d+e").status, 400)

    def test_malformed_queries_never_fail(self):
        for q in ('"klant', "klant AND", "(((", "NOT", "label:", "-", "*", "jaar:abc", "AND OR"):
            resp, _ = self.api(f"q={urllib.parse.quote(q)}")
            self.assertEqual(resp.status, 200, q)


class SearchCacheReloadTest(kade_e2e.KadeTestCase):
    """A cached result must not outlive the bundle it came from."""

    def test_reload_empties_the_result_cache(self):
        content = self.work_dir / "content"
        posts = content / "posts"
        posts.mkdir(parents=True)
        for name, post in POSTS.items():
            write_post(posts, name, post)
        config = kade_e2e.write_config(self.work_dir / "kade.toml",
                                       index={"content": str(content)},
                                       search={"cache_entries": 16})
        kade_e2e.check_index(config)
        server = self.start_server(config)

        def count():
            resp = http_get(server.port, "/api/search?q=fiets")
            return json.loads(decode_body(resp))["total"]

        self.assertEqual(count(), 2)
        self.assertEqual(count(), 2)  # now cached
        first_id = http_get(server.port, "/healthz").body.decode().split()[1]
        write_post(posts, *EXTRA)
        kade_e2e.check_index(config)
        os.kill(server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while http_get(server.port, "/healthz").body.decode().split()[1] == first_id:
            self.assertLess(time.monotonic(), deadline, "no reload within 10 s")
            time.sleep(0.05)
        self.assertEqual(count(), 3)


if __name__ == "__main__":
    kade_e2e.main()
