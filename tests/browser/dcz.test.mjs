// Compression dictionary transport (RFC 9842) in a real browser: Debian's headless Chromium
// reads a post, fetches the dictionary the page announces, then reads a second post and gets
// it as dcz (seen in the headers of the response the browser got) with the same text.
//
//   KADE_BIN_DIR=build KADE_SOURCE_DIR=. node --test tests/browser/dcz.test.mjs
//
// A persistent profile (a fresh folder per run): Chromium keeps dictionaries per profile.
// Dictionaries need a secure context: http://127.0.0.1 is one (potentially trustworthy), and
// Chromium 156 uses them there without TLS or flags.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const BIN = path.resolve(process.env.KADE_BIN_DIR || "build");
const SRC = path.resolve(process.env.KADE_SOURCE_DIR || ".");
const CHROMIUM = process.env.KADE_CHROMIUM || "/usr/bin/chromium";

let work, server, context, base;

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

function get(url, headers = {}) {
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

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "kade-browser-dcz-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const bundle = path.join(work, "site.kade");
  const config = path.join(work, "kade.toml");
  fs.writeFileSync(config, [
    "[site]", 'title = "Kade"', `base_url = "${base}"`,
    "[index]", `content = ${JSON.stringify(path.join(SRC, "tests/fixtures/site/content"))}`,
    `output = ${JSON.stringify(bundle)}`, "zstd_level = 3", "gzip_level = 6",
    "dictionary_bytes = 16384",
    "[server]", `listen = "127.0.0.1:${port}"`, "threads = 1", `bundle = ${JSON.stringify(bundle)}`,
    "",
  ].join("\n"));
  execFileSync(path.join(BIN, "kade-index"), ["--config", config], { stdio: ["ignore", "ignore", "inherit"], timeout: 60000 });
  const log = fs.openSync(path.join(work, "kade-serve.log"), "w");
  server = spawn(path.join(BIN, "kade-serve"), ["--config", config], { stdio: ["ignore", log, log] });
  for (const deadline = Date.now() + 10000; ;) {
    try {
      if ((await get(base + "/healthz")).status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error("kade-serve not healthy in time");
    await new Promise((r) => setTimeout(r, 50));
  }
  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: CHROMIUM,
    timeout: 30000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) {
    process.kill(server.pid, "SIGTERM");
    await new Promise((r) => { server.once("exit", r); setTimeout(r, 5000); });
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("a returning reader gets the second post as dcz, with the same text", async () => {
  const home = (await get(base + "/")).body.toString();
  const posts = [...new Set([...home.matchAll(/<a href="(\/20\d\d\/\d\d\/[^"#]+\.html)"/g)].map((m) => m[1]))];
  assert.ok(posts.length >= 2, "the home page links two posts");
  const dictPath = home.match(/<link rel="compression-dictionary" href="([^"]+)">/)[1];

  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const dictionaryFetched = page.waitForResponse((r) => r.url().endsWith(dictPath));
  const first = await page.goto(base + posts[0]);
  assert.equal(first.status(), 200);
  const dict = await dictionaryFetched;
  assert.equal(dict.status(), 200);
  assert.match((await dict.allHeaders())["use-as-dictionary"], /match="\/\*"/);
  await dict.finished();
  // Chromium stores the dictionary once the response is complete; give the store a moment.
  await page.waitForTimeout(500);

  const second = await page.goto(base + posts[1]);
  const sent = await second.request().allHeaders();
  const got = await second.allHeaders();
  assert.match(sent["accept-encoding"] || "", /\bdcz\b/, JSON.stringify(sent));
  assert.match(sent["available-dictionary"] || "", /^:[A-Za-z0-9+/]+=*:$/);
  assert.equal(got["content-encoding"], "dcz", JSON.stringify(got));

  const plain = (await get(base + posts[1])).body.toString();
  const title = plain.match(/<h1[^>]*>([^<]+)<\/h1>/)[1];
  assert.equal(await page.locator("h1").first().textContent(), title);
  const shown = await page.evaluate(() => document.documentElement.outerHTML.length);
  assert.ok(shown > plain.length * 0.8, "the whole page arrived");
  await page.close();
});
