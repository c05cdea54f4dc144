"""Debian's varnishd for the black-box tests: Kade's VCL files with their backend ports set,
varnishd -F on a free 127.0.0.1 port with its own -n folder, stopped by PID. Shared by
varnish_test.py and replicas_test.py."""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import kade_e2e
from kade_e2e import http_get

START_S = 30


def varnish_missing():
    """Why the Varnish tests cannot run here, or None."""
    if not shutil.which("varnishd"):
        return "varnishd is not installed (apt-get install varnish)"
    if not any(Path(d).glob("libvmod_xkey.so") for d in
               ("/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/varnish/vmods")):
        return "the xkey vmod is not installed (apt-get install varnish-modules)"
    return None


class Varnish:
    """varnishd -F in front of kade-serve.

    `backends` maps each VCL file of config/ to the port of the one backend it declares, in
    load order: the last is the one varnishd starts with (it may include the others, which
    are found through vcl_path). Returns once `ready_path` answers 200 through Varnish.
    """

    def __init__(self, work_dir, backends, ready_path="/healthz", storage="malloc,64m"):
        self.dir = Path(work_dir) / "varnish"
        self.dir.mkdir()
        self.port = kade_e2e.free_port()
        for name, backend_port in backends.items():
            template = kade_e2e.source_path("config", name).read_text(encoding="utf-8")
            vcl, count = re.subn(r'\.port = "\d+";', f'.port = "{backend_port}";', template)
            assert count == 1, f"config/{name} must have one backend .port line"
            (self.dir / name).write_text(vcl, encoding="utf-8")
        self.vcl = self.dir / list(backends)[-1]
        self.log = open(self.dir / "varnishd.log", "wb")
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(self.dir / "n"), "-a", f"127.0.0.1:{self.port}",
             "-f", str(self.vcl), "-p", "http_gzip_support=off", "-p", f"vcl_path={self.dir}",
             "-s", storage],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited: {self.log_text()}")
            try:
                if http_get(self.port, ready_path, timeout=2).status == 200:
                    return
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"varnishd not answering: {self.log_text()}")
            time.sleep(0.1)

    def log_text(self):
        return (self.dir / "varnishd.log").read_text(errors="replace")[-4000:]

    def counter(self, name):
        out = subprocess.run(["varnishstat", "-n", str(self.dir / "n"), "-1", "-f", name],
                             capture_output=True, text=True, timeout=10).stdout
        return int(out.split()[1])

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()
