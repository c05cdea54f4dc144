"""The Debian package: `cpack -G DEB` builds it from the install rules, and the programs it
holds index the fixture blog and serve it, run from the unpacked package.

    python3 tests/e2e/package_test.py --bin-dir build --source-dir .
"""

import subprocess

import kade_e2e
from kade_e2e import http_get


class PackageTest(kade_e2e.KadeTestCase):
    """Built once per run into the class's work folder, unpacked with dpkg-deb -x."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        build_dir = kade_e2e.bin_path("kade-serve").parent
        out = cls.work_dir / "package"
        subprocess.run(["cpack", "-G", "DEB", "--config", str(build_dir / "CPackConfig.cmake"),
                        "-B", str(out)], check=True, capture_output=True, text=True, timeout=240)
        debs = sorted(out.glob("kade_*.deb"))
        assert len(debs) == 1, f"cpack wrote {debs}"
        cls.deb = debs[0]
        cls.root = cls.work_dir / "root"
        subprocess.run(["dpkg-deb", "-x", str(cls.deb), str(cls.root)], check=True, timeout=60)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", str(self.deb), name], check=True,
                              capture_output=True, text=True).stdout.strip()

    def test_holds_the_programs_config_unit_and_docs(self):
        for path in ("usr/bin/kade-serve", "usr/bin/kade-index", "usr/bin/kade-import-blogger",
                     "etc/kade/kade.toml", "lib/systemd/system/kade.service",
                     "usr/share/doc/kade/varnish.vcl", "usr/share/doc/kade/varnish-replicas.vcl",
                     "usr/share/doc/kade/README.md", "usr/share/doc/kade/docs/configuration.md"):
            self.assertTrue((self.root / path).is_file(), path)
        unit = (self.root / "lib/systemd/system/kade.service").read_text()
        self.assertIn("ExecStart=/usr/bin/kade-serve --config /etc/kade/kade.toml", unit)
        config = (self.root / "etc/kade/kade.toml").read_text()
        self.assertIn('bundle = "/var/lib/kade/site.kade"', config)
        self.assertNotIn("build/", config)

    def test_depends_on_the_shared_libraries_it_links(self):
        depends = self.field("Depends")
        for library in ("libxapian", "libzstd", "libssl", "libtomlplusplus", "libmd4c",
                        "libxxhash", "libexpat", "libc6", "wdutch"):
            self.assertIn(library, depends)
        self.assertEqual(self.field("Package"), "kade")

    def test_the_config_is_a_conffile(self):
        control = self.work_dir / "control"
        subprocess.run(["dpkg-deb", "-e", str(self.deb), str(control)], check=True, timeout=60)
        self.assertIn("/etc/kade/kade.toml", (control / "conffiles").read_text().split())

    def test_packaged_programs_index_and_serve_the_fixture_blog(self):
        bin_dir = self.root / "usr" / "bin"
        config = self.root / "etc" / "kade" / "kade.toml"
        version = subprocess.run([str(bin_dir / "kade-serve"), "--version"], check=True,
                                 capture_output=True, text=True, timeout=30).stdout
        self.assertTrue(version.startswith("kade-serve "), version)
        kade_e2e.configure(bin_dir, kade_e2e.source_path())
        bundle = self.work_dir / "site.kade"
        result = kade_e2e.check_index(config, content=kade_e2e.fixture_site(), out=bundle)
        build_id = next(line.split()[-1] for line in result.stdout.splitlines()
                        if line.strip().startswith("build id"))
        server = self.start_server(config, bundle=bundle, work_dir=self.work_dir)
        health = http_get(server.port, "/healthz")
        self.assertEqual(health.status, 200)
        self.assertRegex(health.body.decode(), rf"^ok {build_id} (verifying|verified)\n$")
        self.assertEqual(http_get(server.port, "/").status, 200)


if __name__ == "__main__":
    kade_e2e.main()
