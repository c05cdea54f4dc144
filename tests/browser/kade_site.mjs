// The fixture blog served by the real kade-index and kade-serve on 127.0.0.1, for the tests in
// this folder, and headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const BIN = path.resolve(process.env.KADE_BIN_DIR || "build");
export const SRC = path.resolve(process.env.KADE_SOURCE_DIR || ".");
const CHROMIUM = process.env.KADE_CHROMIUM || "/usr/bin/chromium";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Raw bytes as sent (no decoding), with the headers, so sizes are what travels.
export function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(5000, () => req.destroy(new Error("timeout " + url)));
    req.on("error", reject);
  });
}

// Indexes the fixture blog (plus `extraFiles`: {"pages/over-mij.md": "…"}, relative to the
// content folder) and starts kade-serve. Returns {base, work, stop()}.
export async function startSite({ extraFiles = {} } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kade-browser-"));
  let content = path.join(SRC, "tests/fixtures/site/content");
  if (Object.keys(extraFiles).length) {
    const copy = path.join(work, "content");
    fs.cpSync(content, copy, { recursive: true });
    for (const [rel, text] of Object.entries(extraFiles)) {
      fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
      fs.writeFileSync(path.join(copy, rel), text);
    }
    content = copy;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bundle = path.join(work, "site.kade");
  const config = path.join(work, "kade.toml");
  fs.writeFileSync(config, [
    "[site]", 'title = "Kade"', `base_url = "${base}"`, 'language = "nl"',
    'author = "Sonja van Vuren"',
    'description = "Over ondernemen, samenwerken en doen waar je goed in bent."',
    "[index]", `content = ${JSON.stringify(content)}`,
    `output = ${JSON.stringify(bundle)}`, "zstd_level = 3", "gzip_level = 6",
    "[server]", `listen = "127.0.0.1:${port}"`, "threads = 1", `bundle = ${JSON.stringify(bundle)}`,
    "[log]", 'access = "off"', "",
  ].join("\n"));
  execFileSync(path.join(BIN, "kade-index"), ["--config", config], { stdio: ["ignore", "ignore", "inherit"], timeout: 60000 });
  const log = fs.openSync(path.join(work, "kade-serve.log"), "w");
  const server = spawn(path.join(BIN, "kade-serve"), ["--config", config], { stdio: ["ignore", log, log] });
  const deadline = Date.now() + 10000;
  for (;;) {
    if (server.exitCode !== null) throw new Error("kade-serve exited with " + server.exitCode);
    try {
      if ((await rawGet(base + "/healthz")).status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error("kade-serve not healthy in time");
    await new Promise((r) => setTimeout(r, 50));
  }
  async function stop() {
    if (server.exitCode === null) {
      process.kill(server.pid, "SIGTERM");
      await new Promise((r) => { server.once("exit", r); setTimeout(r, 5000); });
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { base, work, stop };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    // playwright passes a fresh --user-data-dir of its own (a temporary folder it removes on
    // close) and refuses one in args; that is the fresh profile each run gets.
  });
}

// A static page (/p/…), which the fixture blog does not have, for the tests that need every kind.
export const WITH_STATIC_PAGE = {
  "pages/over-mij.md": '+++\ntitle = "Over mij"\ndate = 2014-01-01T00:00:00Z\n+++\n\nIk schrijf over **ondernemen**.\n',
};

// One URL of every kind of page the blog has: every page in the sitemap (home, posts, page N,
// archives, labels, static pages), the search page bare, with results, with none and with a
// suggestion, and the 404 page.
export async function everyPage(base) {
  const sitemap = (await rawGet(base + "/sitemap.xml")).body.toString("utf8");
  const urls = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, "&"))
    .map((u) => u.slice(u.indexOf("/", "http://".length)));
  return [...urls, "/search", "/search?q=samenwerken", "/search?q=reservekopy",
    "/search?q=qqqxyzzy", "/bestaat/niet.html"];
}

// A tool from package.json or Debian that a work tree set up before it was added may lack:
// skipped there with the fix named, a failure under CI (CI=true), where scripts/setup.sh ran.
export function missingTool(t, what, present) {
  if (present) return false;
  const message = `${what} is missing: run scripts/setup.sh`;
  if (process.env.CI === "true") throw new Error(message);
  t.skip(message);
  return true;
}
