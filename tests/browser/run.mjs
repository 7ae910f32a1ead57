// The default theme as readers meet it, in headless Chromium: accessibility (axe-core) in
// normal and senior mode, no sideways scrolling at 360 px and at 200 % text size, the 关怀模式
// switch and its memory, no request leaving the site, valid HTML (Nu Html Checker), and
// screenshots of every page type at 390 px and 1280 px.
//
// Usage: node run.mjs <built site folder> [<screenshot folder>]
// Prints "ok: …" and "FAIL: …" lines and a closing "N passed, N failed"; exits 1 on a failure.
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BIG_TEXT, axe, check, describe, finish, htmlFiles, launch, loadImages, newContext as contextFor, overflow, serve, urlOf as urlIn, validate } from "./lib.mjs";

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node run.mjs <public dir> [<screenshot dir>]");
  process.exit(2);
}
const site = resolve(siteArg);
const shots = resolve(shotsArg ?? "target/screenshots");

const { origin, fileFor, close } = await serve(site);

// ---------- which pages to look at ----------
const urlOf = (file) => urlIn(site, file);
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
const browser = await launch();
const outside = new Set();
const newContext = (options = {}, senior = false) => contextFor(browser, origin, outside, options, senior);

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
  close();
}

// ---------- valid HTML: the Nu Html Checker ----------
validate(tested.map(([, path]) => fileFor(path) ?? join(site, "404.html")), "");

finish();
