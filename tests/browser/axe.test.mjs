// Every kind of page through axe-core (from package.json) in headless Chromium: zero
// violations (light; dark on one page of each main kind). The page's Content-Security-Policy allows no injected script,
// so the context bypasses it; the pages themselves run as served.
//
//   KADE_BIN_DIR=build KADE_SOURCE_DIR=. node --test tests/browser/axe.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { startSite, everyPage, launchChromium, missingTool, WITH_STATIC_PAGE } from "./kade_site.mjs";

let AXE = null;
try {
  AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
} catch {}

const DARK_TOO = new Set(["/", "/labels/", "/search?q=samenwerken", "/bestaat/niet.html", "/p/over-mij.html"]);

let site, browser;
before(async () => {
  site = await startSite({ extraFiles: WITH_STATIC_PAGE });
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
  return found;
}

test("axe-core finds no violation on any kind of page, light and dark", async (t) => {
  if (missingTool(t, "axe-core (tests/browser/package.json)", AXE)) return;
  const urls = await everyPage(site.base);
  assert.ok(urls.includes("/p/over-mij.html"));
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  let checked = 0;
  const dark = new Set([...DARK_TOO, urls.find((u) => /^\/\d{4}\/\d{2}\/.+\.html$/.test(u))]);
  for (const url of urls) {
    // Dark mode changes only colours: checked on one page of each main kind.
    for (const colorScheme of dark.has(url) ? ["light", "dark"] : ["light"]) {
      await page.emulateMedia({ colorScheme });
      const res = await page.goto(site.base + url);
      if (!String(res.headers()["content-type"]).startsWith("text/html")) break;
      for (const v of await violations(page)) problems.push(`${url} (${colorScheme}): ${v}`);
      if (colorScheme === "light") checked++;
    }
  }
  // The header box's results panel (search.js, fetched on focus), open.
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(site.base + "/labels/");
  await page.locator("#zoekveld").pressSequentially("samenwerk", { delay: 30 });
  await page.locator("#zoekpaneel li a").first().waitFor();
  for (const v of await violations(page)) problems.push(`/labels/ with the header results open: ${v}`);
  assert.ok(checked >= 10, `${checked} pages`);
  assert.deepEqual(problems, [], "axe-core violations");
  await context.close();
});
