// Every kind of page through the Nu Html Checker (vnu-jar from package.json, run with Java):
// zero errors. The pages are fetched as served and checked in one JVM run.
//
//   KADE_BIN_DIR=build KADE_SOURCE_DIR=. node --test tests/browser/html_validator.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rawGet, startSite, everyPage, missingTool, WITH_STATIC_PAGE } from "./kade_site.mjs";

const VNU = path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules/vnu-jar/build/dist/vnu.jar");

let site;
before(async () => { site = await startSite({ extraFiles: WITH_STATIC_PAGE }); });
after(async () => { if (site) await site.stop(); });

test("the Nu Html Checker finds no error on any kind of page", async (t) => {
  if (missingTool(t, "vnu-jar (tests/browser/package.json)", fs.existsSync(VNU))) return;
  if (missingTool(t, "java", spawnSync("java", ["-version"]).status === 0)) return;
  const urls = await everyPage(site.base);
  assert.ok(urls.includes("/p/over-mij.html"), "the static page is in the sitemap");
  const dir = fs.mkdtempSync(path.join(site.work, "pages-"));
  const files = new Map();
  for (const [i, url] of urls.entries()) {
    const res = await rawGet(site.base + url);
    if (!String(res.headers["content-type"]).startsWith("text/html")) continue;
    assert.ok(res.status === 200 || (res.status === 404 && url.startsWith("/bestaat")), `${url}: ${res.status}`);
    const file = path.join(dir, `${i}.html`);
    fs.writeFileSync(file, res.body);
    files.set("file:" + file, url);
  }
  assert.ok(files.size >= 10, `${files.size} pages`);
  const run = spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "json", ...[...files.keys()].map((f) => f.slice(5))],
    { encoding: "utf8", timeout: 300000, maxBuffer: 64 << 20 });
  assert.equal(run.error, undefined, String(run.error));
  const messages = JSON.parse(run.stderr || run.stdout).messages;
  const errors = messages.map((m) => `${files.get(m.url) || m.url}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, [], "Nu Html Checker errors");
  assert.equal(run.status, 0, run.stderr);
});
