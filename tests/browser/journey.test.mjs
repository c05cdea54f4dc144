// A reader's journeys in a real browser: Debian's headless Chromium driven by playwright-core,
// against the real kade-index and kade-serve on 127.0.0.1 with the fixture blog.
//
//   KADE_BIN_DIR=build KADE_SOURCE_DIR=. node --test tests/browser/
//
// Screenshots (390 px and 1280 px, light and dark) go to $KADE_ARTIFACT_DIR, by default
// <bin dir>/browser-artifacts; they are test artefacts, not committed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { BIN, rawGet, startSite, launchChromium } from "./kade_site.mjs";

const ARTIFACTS = path.resolve(process.env.KADE_ARTIFACT_DIR || path.join(BIN, "browser-artifacts"));
const BUDGET_BYTES = 30 * 1024; // CSS + JS per page, compressed

let site, browser, base;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  site = await startSite();
  base = site.base;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

// A page that records every request, so a test can prove nothing left 127.0.0.1.
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.requests = [];
  page.errors = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) page.errors.push(`${r.status()} ${r.url()}`); });
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  return page;
}

async function shoot(page, name) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${name} at ${width} px is ${wide} px wide`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

function onlyLocal(page) {
  const foreign = page.requests.filter((u) => !u.startsWith(base) && !u.startsWith("data:"));
  assert.deepEqual(foreign, [], "requests outside the blog");
  assert.deepEqual(page.errors, [], "console errors (CSP violations show up here)");
}

test("with JavaScript: home, a post, the header search, search as you type, keys, a label, a result", async () => {
  const page = await open();
  await page.goto(base + "/");
  assert.equal(await page.locator("main#inhoud").count(), 1);
  assert.equal(await page.getByRole("banner").count(), 1);
  assert.equal(await page.getByRole("contentinfo").count(), 1);
  await shoot(page, "home");

  // Follow the first post from the home page.
  const first = page.locator("article.summary h2 a").first();
  const title = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/\d{4}\/\d{2}\/.+\.html$/);
  assert.equal((await page.locator("article.post h1").textContent()).trim(), title);
  await shoot(page, "post");

  // The header search box on every page leads to /search.
  await page.getByRole("searchbox", { name: "Zoeken in Kade" }).fill("samenwerken");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=samenwerken$/);
  assert.ok(await page.locator(".results li").count() > 0);

  // Type a query one key at a time: the last word is a prefix, requests are debounced and the
  // address follows the query.
  const box = page.locator("#zoekopdracht");
  await box.fill("");
  await page.waitForURL(/\/search$/);
  const apiCalls = [];
  page.on("request", (r) => { if (r.url().includes("/api/search")) apiCalls.push(r.url()); });
  await box.pressSequentially("reserveko", { delay: 40 });
  await page.waitForURL(/\/search\?q=reserveko$/);
  await page.locator(".results li").first().waitFor();
  assert.match(await page.locator(".count").textContent(), /1 bericht gevonden voor reserveko/);
  assert.match(await page.locator(".results h2 a").first().textContent(), /reservekopie/i);
  assert.ok(await page.locator(".results mark").count() > 0, "the snippet highlights the hits");
  assert.ok(apiCalls.length >= 1 && apiCalls.length < "reserveko".length, `debounced: ${apiCalls.length} calls`);
  assert.ok(apiCalls.every((u) => u.includes("prefix=1")), "the last word is a prefix");
  assert.equal(await page.title(), "reserveko — Zoeken | Kade");
  assert.equal(await page.locator(".results time").first().textContent(), "25 april 2017");

  // A typo: the results of the likely word, and "Bedoelde je" style suggestion as a link.
  await box.fill("");
  await box.pressSequentially("reservekopy", { delay: 40 });
  await page.waitForURL(/q=reservekopy$/);
  const suggestion = page.locator(".suggestion a");
  await suggestion.waitFor();
  assert.equal(await suggestion.textContent(), "reservekopie");
  assert.equal(await suggestion.getAttribute("href"), "/search?q=reservekopie");

  // More results: type on, then walk them with the arrow keys and open one with Enter.
  await box.fill("");
  await box.pressSequentially("samenwerk", { delay: 40 });
  await page.waitForURL(/q=samenwerk$/);
  await page.waitForFunction(() => document.querySelectorAll(".results li").length > 1);
  await shoot(page, "search-as-you-type");
  const titles = await page.locator(".results h2 a").allTextContents();
  await box.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), titles[0]);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), titles[1]);
  const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(focusRing, "solid", "the focused result shows a focus ring");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "zoekopdracht");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\.html$/);
  assert.equal((await page.locator("article.post h1").textContent()).trim(), titles[1]);
  await page.goBack();
  await page.waitForURL(/q=samenwerk$/);

  // A label chip narrows the results; the chosen chip says so.
  await page.locator(".chips a", { hasText: "techniek" }).click();
  await page.waitForURL(/label=techniek/);
  assert.equal(await page.locator('.chips a[aria-current="true"]').textContent(), "techniek");
  const narrowed = await page.locator(".results li").count();
  assert.ok(narrowed > 0 && narrowed < titles.length, `${narrowed} of ${titles.length}`);
  // Typing on keeps the label.
  await page.locator("#zoekopdracht").press("End");
  await page.keyboard.press("Backspace");
  await page.waitForURL(/q=samenwer&label=techniek$/);
  await shoot(page, "search-label");

  // Open a result.
  const pick = page.locator(".results h2 a").first();
  const pickTitle = await pick.textContent();
  await pick.click();
  await page.waitForURL(/\.html$/);
  assert.equal((await page.locator("article.post h1").textContent()).trim(), pickTitle);
  onlyLocal(page);
  await page.context().close();
});

test("search as you type from the header box of any page; the script comes on first focus", async () => {
  const page = await open();
  const scripts = () => page.requests.filter((u) => /\/static\/search\.[0-9a-f]{12}\.js$/.test(u));
  await page.goto(base + "/");
  await page.locator("article.summary h2 a").first().click();
  await page.waitForURL(/\.html$/);
  const postUrl = page.url();
  await page.waitForLoadState("load");
  assert.deepEqual(scripts(), [], "no search script before the box is used");
  const loader = page.requests.filter((u) => /\/static\/search_loader\.[0-9a-f]{12}\.js$/.test(u));
  assert.ok(loader.length >= 1, "every page carries the small loader");
  const loaderBytes = (await rawGet(loader[0], { "Accept-Encoding": "gzip" })).body.length;
  assert.ok(loaderBytes < 1024, `loader is ${loaderBytes} bytes`);

  const box = page.getByRole("searchbox", { name: "Zoeken in Kade" });
  await box.click();
  await box.pressSequentially("reserveko", { delay: 40 });
  await page.locator("#zoekpaneel [role=status]", { hasText: /voor reserveko\.$/ }).waitFor();
  assert.match(await page.locator("#zoekpaneel [role=status]").textContent(), /1 bericht gevonden voor reserveko/);
  assert.match(await page.locator("#zoekpaneel li a").first().textContent(), /reservekopie/i);
  assert.equal(page.url(), postUrl, "the page stays where it is");
  assert.equal(scripts().length, 1, "the search script is fetched once");
  await shoot(page, "header-search");

  // Escape closes the panel; typing on opens it again; the arrow keys reach the results.
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#zoekpaneel").isVisible(), false);
  await box.press("End");
  await box.pressSequentially("pie", { delay: 40 });
  await page.locator("#zoekpaneel").waitFor({ state: "visible" });
  await page.locator("#zoekpaneel [role=status]", { hasText: /voor reservekopie\.$/ }).waitFor();
  await box.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.match(focused, /reservekopie/i);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.href !== postUrl && /\.html/.test(u.href));
  assert.match(await page.locator("article.post h1").textContent(), /reservekopie/i);

  // "Alle resultaten" and Enter in the box lead to /search.
  await page.getByRole("searchbox", { name: "Zoeken in Kade" }).pressSequentially("samenwerk", { delay: 40 });
  // The panel answers the whole query before its link is followed: a click while an earlier
  // (debounced) answer is shown would open /search for a shorter prefix.
  await page.locator("#zoekpaneel [role=status]", { hasText: /voor samenwerk\.$/ }).waitFor();
  await page.locator("#zoekpaneel .all a").click();
  await page.waitForURL(/\/search\?q=samenwerk$/);
  assert.ok(await page.locator(".results li").count() > 1);
  onlyLocal(page);
  await page.context().close();
});

test("without JavaScript: the same journey on server-rendered pages", async () => {
  const page = await open({ javaScriptEnabled: false });
  await page.goto(base + "/");
  await page.locator("article.summary h2 a").first().click();
  await page.waitForURL(/\.html$/);
  await page.getByRole("searchbox", { name: "Zoeken in Kade" }).fill("samenwerk");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=samenwerk$/);
  assert.match(await page.locator(".count").textContent(), /6 berichten gevonden voor samenwerk/);
  assert.equal(await page.locator("#zoekhulp").isVisible(), false, "no promise of as-you-type");
  await shoot(page, "search-nojs");
  // The search page's own form works too.
  await page.locator("#zoekopdracht").fill("reservekopie");
  await page.locator("#zoekopdracht").press("Enter");
  await page.waitForURL(/q=reservekopie$/);
  assert.match(await page.locator(".count").textContent(), /1 bericht gevonden/);
  assert.equal(await page.locator(".results time").first().textContent(), "25 april 2017");
  await page.goBack();
  await page.locator(".chips a", { hasText: "techniek" }).click();
  await page.waitForURL(/q=samenwerk&label=techniek$/);
  const pick = page.locator(".results h2 a").first();
  const pickTitle = await pick.textContent();
  await pick.click();
  await page.waitForURL(/\.html$/);
  assert.equal((await page.locator("article.post h1").textContent()).trim(), pickTitle);
  onlyLocal(page);
  await page.context().close();
});

// Contrast of text against the page background, computed in the page (WCAG 2.1 formula).
async function contrasts(page) {
  return page.evaluate(() => {
    const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const bg = getComputedStyle(document.body).backgroundColor;
    const out = {};
    for (const sel of ["body", ".meta", "main a", ".site-footer", ".count", ".chips", "mark"]) {
      const el = document.querySelector(sel);
      if (!el) continue;
      const own = getComputedStyle(el).backgroundColor;
      const back = own === "rgba(0, 0, 0, 0)" ? bg : own;
      out[sel] = Math.round(ratio(getComputedStyle(el).color, back) * 100) / 100;
    }
    const button = getComputedStyle(document.querySelector("button"));
    out.button = Math.round(ratio(button.color, button.backgroundColor) * 100) / 100;
    return { bg, out };
  });
}

test("light and dark, contrast, labels, reduced motion and print", async () => {
  const page = await open();
  await page.goto(base + "/search?q=samenwerk");
  const light = await contrasts(page);
  for (const [sel, r] of Object.entries(light.out)) assert.ok(r >= 4.5, `light ${sel}: ${r}`);
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await contrasts(page);
  assert.notEqual(dark.bg, light.bg, "prefers-color-scheme: dark changes the page");
  for (const [sel, r] of Object.entries(dark.out)) assert.ok(r >= 4.5, `dark ${sel}: ${r}`);
  await shoot(page, "search-dark");
  await page.goto(base + "/");
  await shoot(page, "home-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Every field has a label; the search forms are search landmarks.
  for (const url of ["/", "/search?q=samenwerk"]) {
    await page.goto(base + url);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input")]
      .filter((i) => !i.labels.length && !i.getAttribute("aria-label")).map((i) => i.outerHTML));
    assert.deepEqual(unlabelled, [], url);
    assert.ok(await page.getByRole("search").count() >= 1, url);
    assert.equal(await page.getByRole("main").count(), 1, url);
  }
  // The skip link appears when focused.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  assert.ok((await page.locator(".skip").boundingBox()).x >= 0, "skip link visible on focus");

  await page.emulateMedia({ reducedMotion: "reduce" });
  assert.equal(await page.evaluate(() => matchMedia("(prefers-reduced-motion: reduce)").matches), true);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header form").isVisible(), false, "print hides the search box");
  assert.equal(await page.locator(".site-footer").isVisible(), false, "print hides the footer");
  await page.context().close();
});

test("CSS plus JS per page stays under 30 KB compressed", async () => {
  const home = (await rawGet(base + "/")).body.toString("utf8");
  const post = home.match(/<h2><a href="(\/\d{4}\/\d{2}\/[^"]+\.html)"/)[1];
  for (const url of ["/", post, "/search?q=samenwerk", "/labels/"]) {
    const html = (await rawGet(base + url)).body.toString("utf8");
    const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith(".css")), url);
    let total = 0;
    for (const a of assets) {
      const res = await rawGet(base + a, { "Accept-Encoding": "gzip" });
      assert.equal(res.status, 200, a);
      assert.equal(res.headers["content-encoding"], "gzip", a);
      assert.match(res.headers["cache-control"], /immutable/, a);
      total += res.body.length;
    }
    assert.ok(total < BUDGET_BYTES, `${url}: ${total} bytes`);
  }
  // The search page carries the script, fingerprinted.
  const search = (await rawGet(base + "/search")).body.toString("utf8");
  assert.match(search, /<script src="\/static\/search\.[0-9a-f]{12}\.js" defer><\/script>/);
});

test("the bare search page may be indexed, result pages not", async () => {
  const bare = (await rawGet(base + "/search")).body.toString("utf8");
  assert.doesNotMatch(bare, /name="robots"/);
  assert.match(bare, /<meta name="description" content="Zoeken in alle berichten van Kade">/);
  assert.doesNotMatch(bare, /<!--kade:/, "every shell marker is filled");
  const results = (await rawGet(base + "/search?q=samenwerk")).body.toString("utf8");
  assert.match(results, /<meta name="robots" content="noindex">/);
});
