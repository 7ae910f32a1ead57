// The sample portal with its phone photos (4–5 MB originals) as a reader's phone gets it:
// bytes transferred at 390 px (DPR 3, no compression by the server: not every host gzips) for
// the home page and a photo article, on opening and after scrolling to the end; the photo
// stored sideways shows upright; and Lighthouse (mobile, its default simulated slow 4G) gives
// the article a performance score ≥ 0.95 and a largest contentful paint ≤ 2.5 s.
// Usage: node weight.mjs <built public/ folder> <article path> <report.json>
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [root, article, reportFile] = process.argv.slice(2);
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png", ".ico": "image/x-icon", ".xml": "application/xml" };

let failed = 0;
const report = {};
function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failed++;
}

// A plain static server over the built site, as a host without compression serves it.
function serve() {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Bytes of every response the page made, on opening and after scrolling to the end.
async function weigh(browser, url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const sizes = new Map();
  page.on("requestfinished", async (r) => {
    const s = await r.sizes().catch(() => null);
    if (s) sizes.set(r.url(), s.responseBodySize + s.responseHeadersSize);
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const opened = [...sizes.values()].reduce((a, b) => a + b, 0);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await page.waitForTimeout(60);
  }
  await page.waitForLoadState("networkidle");
  const scrolled = [...sizes.values()].reduce((a, b) => a + b, 0);
  const biggest = [...sizes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([u, s]) => `${new URL(u).pathname} ${(s / 1024).toFixed(0)} KB`);
  return { page, context, opened, scrolled, biggest };
}

async function main() {
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    for (const [name, path, budget] of [["home", "/", 1024 * 1024], ["article", article, 800 * 1024]]) {
      const { page, context, opened, scrolled, biggest } = await weigh(browser, base + path);
      report[name] = { opened, scrolled, biggest };
      check(scrolled <= budget, `${name} ${path}: ${(opened / 1024).toFixed(0)} KB on opening, ${(scrolled / 1024).toFixed(0)} KB scrolled to the end (budget ${budget / 1024} KB); largest: ${biggest.join(", ")}`);
      if (name === "article") {
        const photos = await page.$$eval("main img", (imgs) => imgs.filter((i) => /IMG_|\.webp|\.jpg/.test(i.currentSrc)).map((i) => ({ src: i.currentSrc, w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width })));
        check(photos.length > 0 && photos.every((p) => p.w > p.h), `photos upright (landscape as taken): ${JSON.stringify(photos)}`);
        check(photos.every((p) => !/\/IMG_[^/]*\.jpg$/i.test(p.src)), "no original photo is loaded");
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const chrome = await chromeLauncher.launch({ chromePath: "/usr/bin/chromium", chromeFlags: FLAGS });
  try {
    const result = await lighthouse(base + article, { port: chrome.port, onlyCategories: ["performance"], output: "json", logLevel: "error" });
    const lhr = result.lhr;
    const score = lhr.categories.performance.score;
    const lcp = lhr.audits["largest-contentful-paint"].numericValue;
    const bytes = lhr.audits["total-byte-weight"].numericValue;
    report.lighthouse = { score, lcp, bytes, formFactor: lhr.configSettings.formFactor, throttling: lhr.configSettings.throttlingMethod };
    check(score >= 0.95, `Lighthouse performance ${Math.round(score * 100)} (≥ 95), form factor ${lhr.configSettings.formFactor}`);
    check(lcp <= 2500, `largest contentful paint ${(lcp / 1000).toFixed(2)} s (≤ 2.5 s), page weight ${(bytes / 1024).toFixed(0)} KB`);
  } finally {
    await chrome.kill();
    server.close();
  }
  await writeFile(reportFile, JSON.stringify(report, null, 2));
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
