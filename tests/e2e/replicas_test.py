"""Two kade-serve replicas behind Varnish (config/varnish-replicas.vcl) and a rolling bundle
update under load that fails no request.

    python3 tests/e2e/replicas_test.py --bin-dir build --source-dir .

While two client threads send a bounded load through Varnish (cache misses included, so the
replicas answer too), the new bundle replaces replica 1's file; once replica 1's /healthz
reports the new build id, replica 2's; then the load stops. Checks: no request failed (every
answer 200 with a whole body), both replicas served requests, both run the new bundle, and
Varnish serves the new post. Prints the figures (requests, failures). Skipped without varnishd.
"""

import os
import re
import shutil
import threading
import time
import unittest
from pathlib import Path

import kade_e2e
from kade_e2e import decode_body, http_get
from varnish_runner import Varnish, varnish_missing

NEW_POST = """+++
title = "Tweede versie"
date = 2015-02-02T09:00:00+01:00
labels = ["ondernemen"]
slug = "tweede-versie"
+++

Een nieuw bericht, uitgerold zonder dat een lezer het merkt.
"""
NEW_URL = "/2015/02/tweede-versie.html"
LOAD_THREADS = 2


def build_id(port):
    resp = http_get(port, "/healthz", timeout=2)
    return decode_body(resp).decode().split()[1]  # "ok BUILD_ID verifying|verified"


def requests_served(port):
    text = decode_body(http_get(port, "/metrics", timeout=2)).decode()
    return sum(int(float(m)) for m in re.findall(r'^kade_requests_total\{route="(?:page|search)[^}]*\} (\S+)',
                                                 text, re.M))


class Load:
    """Client threads sending GETs through Varnish until stopped; counts answers and failures."""

    def __init__(self, port):
        self.port = port
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []
        self.threads = [threading.Thread(target=self.run, args=(t,)) for t in range(LOAD_THREADS)]

    def run(self, t):
        i = 0
        while not self.stop_event.is_set():
            i += 1
            # Cached pages, and searches Varnish has not seen (a fresh n): misses.
            path = ("/" if i % 3 == 0 else
                    f"/api/search?q=werk&per_page=1&n={t}-{i}")
            try:
                resp = http_get(self.port, path, timeout=5)
                ok = resp.status == 200 and len(decode_body(resp)) > 0
                problem = None if ok else f"{path}: {resp.status}"
            except (OSError, ValueError) as error:
                problem = f"{path}: {type(error).__name__}: {error}"
            with self.lock:
                self.requests += 1
                if problem:
                    self.failures.append(problem)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=10)


@unittest.skipIf(varnish_missing(), varnish_missing())
class ReplicasTest(kade_e2e.KadeTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.content = kade_e2e.copy_content(cls.work_dir / "content")
        cls.replicas = []
        for r in (1, 2):
            folder = cls.work_dir / f"replica{r}"
            folder.mkdir()
            config = kade_e2e.write_config(
                folder / "kade.toml", index={"content": str(cls.content)},
                server={"bundle": str(folder / "site.kade"), "watch_bundle": 1})
            if r == 1:
                kade_e2e.check_index(config)
            else:
                shutil.copyfile(cls.work_dir / "replica1" / "site.kade", folder / "site.kade")
            cls.replicas.append((config, cls.start_server(config)))
        cls.varnish = cls.start_varnish()

    @classmethod
    def start_varnish(cls):
        # varnish.vcl's backend is replica 1, varnish-replicas.vcl's kade2 replica 2; ready
        # when a search through Varnish reaches a healthy backend (probes).
        (_, first), (_, second) = cls.replicas
        varnish = Varnish(cls.work_dir, {"varnish.vcl": first.port, "varnish-replicas.vcl": second.port},
                          ready_path="/api/search?q=werk&page=1", storage="malloc,32m")
        cls.addClassCleanup(varnish.stop)
        cls.varnish_port = varnish.port
        return varnish

    def wait_for_build(self, port, wanted, timeout=15):
        deadline = time.monotonic() + timeout
        while build_id(port) != wanted:
            self.assertLess(time.monotonic(), deadline, f"replica on {port} did not reload")
            time.sleep(0.05)

    def test_rolling_bundle_update_fails_no_request(self):
        (r1_config, r1), (_, r2) = self.replicas
        old_id = build_id(r1.port)
        self.assertEqual(build_id(r2.port), old_id)
        before = [requests_served(r1.port), requests_served(r2.port)]

        # The new bundle, built beside the replicas (as a deploy would build it elsewhere).
        posts = self.content / "posts" / "2015" / "02"
        posts.mkdir(parents=True)
        (posts / "tweede-versie.md").write_text(NEW_POST, encoding="utf-8")
        staged = self.work_dir / "new.kade"
        kade_e2e.check_index(r1_config, out=staged)

        started = time.monotonic()
        with Load(self.varnish_port) as load:
            time.sleep(1)
            new_id = build_id_of(staged)
            for _, server in self.replicas:
                target = Path(server.config).parent / "site.kade"
                temp = target.with_suffix(".kade.new")
                shutil.copyfile(staged, temp)
                os.replace(temp, target)  # atomic: the replica sees the old file or the new
                self.wait_for_build(server.port, new_id)
                time.sleep(0.5)
            time.sleep(1)
        seconds = time.monotonic() - started
        print(f"\nrolling update under load: {load.requests} requests in {seconds:.1f} s, "
              f"{len(load.failures)} failed", flush=True)

        self.assertEqual(load.failures, [])
        self.assertGreater(load.requests, 100)
        after = [requests_served(r1.port), requests_served(r2.port)]
        self.assertGreater(after[0], before[0] + 10, "replica 1 served no load")
        self.assertGreater(after[1], before[1] + 10, "replica 2 served no load")
        self.assertNotEqual(new_id, old_id)
        self.assertEqual([build_id(r1.port), build_id(r2.port)], [new_id, new_id])
        # Through Varnish: the new post (never cached before) comes from the new bundle.
        self.assertEqual(http_get(self.varnish_port, NEW_URL).status, 200)


def build_id_of(bundle):
    """The build id in a bundle's header (bytes 24..40, in hex), as /healthz reports it."""
    with open(bundle, "rb") as f:
        header = f.read(40)
    return header[24:40].hex()


if __name__ == "__main__":
    kade_e2e.main()
