"""Deep links from search results to the heading above the matched passage: headings get ids in
the post's HTML, results carry the nearest heading as `anchor` (JSON) and link to url#anchor
(HTML).

    python3 tests/e2e/deep_links_test.py --bin-dir build --source-dir .
"""

import json
import re
import urllib.parse

import kade_e2e
from kade_e2e import decode_body, decode_text, http_get

POST = """+++
title = "Een bericht met koppen"
date = 2020-05-01T10:00:00+02:00
+++

Inleiding over de bakfiets.

## Wat kost een fiets?

Een fiets kost geld. De prijs van een nieuwe bakfiets is hoog.

## Onderhoud

Het onderhoud van de ketting is belangrijk voor elke fietser die veel rijdt.

## Onderhoud

Een tweede kop met dezelfde tekst krijgt een eigen id: remblokken.
"""
URL = "/2020/05/een-bericht-met-koppen.html"


class DeepLinksTest(kade_e2e.KadeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        posts = cls.work_dir / "content" / "posts"
        posts.mkdir(parents=True)
        (posts / "koppen.md").write_text(POST, encoding="utf-8")
        cls.config = kade_e2e.write_config(cls.work_dir / "kade.toml",
                                           index={"content": str(cls.work_dir / "content")})
        kade_e2e.check_index(cls.config)
        cls.server = cls.start_server(cls.config)

    def anchors(self, q):
        resp = http_get(self.server.port, "/api/search?q=" + urllib.parse.quote(q))
        self.assertEqual(resp.status, 200, resp)
        return [(r["url"], r["anchor"]) for r in json.loads(decode_body(resp))["results"]]

    def test_headings_in_the_post_have_unique_ids(self):
        html = decode_text(http_get(self.server.port, URL))
        self.assertEqual(re.findall(r'<h2 id="([^"]+)">', html),
                         ["wat-kost-een-fiets", "onderhoud", "onderhoud-2"])

    def test_a_match_under_a_heading_links_to_that_heading(self):
        self.assertEqual(self.anchors("ketting"), [(URL, "onderhoud")])
        self.assertEqual(self.anchors("prijs"), [(URL, "wat-kost-een-fiets")])
        self.assertEqual(self.anchors("remblokken"), [(URL, "onderhoud-2")])

    def test_a_match_before_the_first_heading_has_no_anchor(self):
        self.assertEqual(self.anchors("inleiding"), [(URL, None)])

    def test_the_html_results_link_to_the_heading(self):
        page = decode_text(http_get(self.server.port, "/search?q=ketting"))
        self.assertIn(f'href="{URL}#onderhoud"', page)


if __name__ == "__main__":
    kade_e2e.main()
