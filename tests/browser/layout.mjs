// The township theme on sites unlike the sample, as readers of county portals see them: in
// headless Chromium at 390 px and 1280 px, in 关怀模式 and at 200 % text, every label (the
// navigation, box headings, buttons, furniture links) on one line — never broken inside a
// word —, no row of a grid or bar ending half empty, no sideways scrolling, axe clean, no
// request leaving the site, valid HTML, and the reader-facing details of issue 20 (one home
// page without /page/N/, 订阅 instead of RSS/Atom, no QR code on phones, 复制链接, the police
// badge). Screenshots of every page in every mode go to the screenshot folder.
//
// Usage: node layout.mjs <screenshot folder> <name>=<built site folder> ...
// Prints "ok: …" and "FAIL: …" lines and a closing "N passed, N failed"; exits 1 on a failure.
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BIG_TEXT, axe, check, describe, finish, launch, loadImages, newContext, overflow, serve, validate } from "./lib.mjs";

const [shotsArg, ...siteArgs] = process.argv.slice(2);
if (!shotsArg || siteArgs.length === 0) {
  console.error("usage: node layout.mjs <screenshot dir> <name>=<public dir> ...");
  process.exit(2);
}
const shots = resolve(shotsArg);
mkdirSync(shots, { recursive: true });

// Elements whose text is a label: one word, never broken.
const LABELS = [
  ".nav-list a", ".nav-more summary", ".panel-title", ".more", ".care-toggle", ".topbar-link",
  ".section-head h2", ".footer-links a", ".pagination a", ".share-button", ".print-button",
  ".article-tools a", ".pn-label", ".breadcrumbs li", ".tags a", ".button",
].join(", ");
// Containers laid out in rows of tiles: each row must reach both edges.
const ROWS = ".nav-list, .nav-more-list, .home-top, .category-grid, .card-grid, .photo-grid";

// Labels drawn on more than one line: the line count of every visible text in them.
function brokenLabels(selector) {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1).sort((a, b) => a.top - b.top);
      if (!rects.length) continue;
      // A text's box can be taller than its line (CJK fonts at line-height 1.3), so a new
      // line is a box whose top is half a box below the last line's top.
      let lines = 1;
      let top = rects[0].top;
      for (const r of rects.slice(1)) {
        if (r.top - top > r.height / 2) {
          lines++;
          top = r.top;
        }
      }
      if (lines > 1) out.push(`“${node.data.trim()}” on ${lines} lines (${el.tagName.toLowerCase()}.${[...el.classList].join(".")})`);
    }
  }
  return out;
}

// Rows of tiles that stop short of an edge of their container (an empty track, a half row).
function halfRows(selector) {
  const out = [];
  for (const box of document.querySelectorAll(selector)) {
    if (!box.getClientRects().length) continue;
    const style = getComputedStyle(box);
    const outer = box.getBoundingClientRect();
    const left = outer.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
    const right = outer.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
    const tiles = [...box.children]
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .sort((a, b) => a.top - b.top || a.left - b.left);
    const rows = [];
    for (const r of tiles) {
      const row = rows.find((x) => Math.abs(x.top - r.top) < 2);
      if (row) {
        row.left = Math.min(row.left, r.left);
        row.right = Math.max(row.right, r.right);
      } else rows.push({ top: r.top, left: r.left, right: r.right });
    }
    rows.forEach((row, i) => {
      if (row.left > left + 2 || row.right < right - 2) {
        out.push(`.${[...box.classList].join(".")} row ${i + 1}: ${Math.round(row.left)}–${Math.round(row.right)} px of ${Math.round(left)}–${Math.round(right)} px`);
      }
    });
  }
  return out;
}

const MODES = [
  // name, viewport width, senior, 200 % text, run axe
  ["1280", 1280, false, false, true],
  ["1280-senior", 1280, true, false, false],
  ["390", 390, false, false, true],
  ["390-senior", 390, true, false, true],
  ["390-200", 390, false, true, false],
  ["390-senior-200", 390, true, true, false],
];

const browser = await launch();
const files = [];
try {
  for (const arg of siteArgs) {
    const [name, dir] = arg.split("=");
    const site = resolve(dir);
    const { origin, fileFor, close } = await serve(site);
    const outside = new Set();
    const home = readFileSync(join(site, "index.html"), "utf8");
    const nav = home.match(/<nav class="main-nav"[\s\S]*?<\/nav>/)?.[0] ?? "";
    const navLinks = [...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    const category = navLinks.find((p) => !["/", "/columns/", "/archive/", "/search/"].includes(p));
    const article = home.match(/<ul class="title-list">\s*<li><a href="([^"]+)"/)?.[1];
    const pages = [
      ["home", "/"],
      ["category", category],
      ["article", article],
      ["sitemap", "/sitemap/"],
    ];
    for (const [page, path] of pages) check(Boolean(path), `${name}: has a ${page} page to test`);
    const tested = pages.filter(([, path]) => path);
    files.push(...tested.map(([, path]) => fileFor(path)));

    // One home page, as portals have: the category lists and the archive, no /page/N/.
    check(!/href="\/page\/\d+\/"/.test(home) && !/第 \d+ \/ \d+ 页/.test(home), `${name}: the home page is not paginated`);
    check(home.includes('href="/archive/"'), `${name}: the home page links to the archive`);

    for (const [mode, width, senior, big, runAxe] of MODES) {
      const context = await newContext(browser, origin, outside, { viewport: { width, height: 900 } }, senior);
      for (const [page, path] of tested) {
        const tab = await context.newPage();
        await tab.goto(origin + path);
        if (big) await tab.addStyleTag({ content: BIG_TEXT });
        // 更多栏目 open, so the categories under it are measured too.
        await tab.evaluate(() => document.querySelectorAll(".nav-more details").forEach((d) => { d.open = true; }));
        const where = `${name} ${page} at ${mode}`;
        const broken = await tab.evaluate(brokenLabels, LABELS);
        check(broken.length === 0, `${where}: no label broken inside a word`, broken.join("\n"));
        const half = await tab.evaluate(halfRows, ROWS);
        check(half.length === 0, `${where}: no row half empty`, half.join("\n"));
        const wide = await overflow(tab);
        check(wide === null, `${where}: no sideways scrolling`, wide ?? "");
        if (senior) {
          const small = await tab.evaluate(() =>
            [...document.querySelectorAll(".care-toggle, .main-nav a, .nav-more summary, .more, .share-button:not([hidden])")]
              .filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 59.5)
              .map((e) => `${e.textContent.trim()} ${Math.round(e.getBoundingClientRect().height)}px`),
          );
          check(small.length === 0, `${where}: tap targets at least 60 px tall in 关怀模式`, small.join(", "));
        }
        if (runAxe) {
          const bad = await axe(tab);
          check(bad.length === 0, `${where}: no serious or critical axe violations`, describe(bad));
        }
        const text = await tab.evaluate(() => document.body.innerText);
        check(!/\bRSS\b|\bAtom\b/.test(text), `${where}: no RSS or Atom jargon in what readers see`);
        if (page === "article") {
          const share = await tab.evaluate(() => {
            const shown = (s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0);
            const p = document.querySelector(".prose > p");
            return { qr: shown(".share-qr .qr, .share-qr svg"), copy: shown("[data-copy]"), align: p && getComputedStyle(p).textAlign };
          });
          if (width < 768) {
            check(!share.qr && share.copy, `${where}: no QR code on a phone, 复制链接 instead`, JSON.stringify(share));
            check(share.align !== "justify", `${where}: article text is not justified on a phone`, JSON.stringify(share));
          } else {
            check(share.qr, `${where}: the QR code shows on a computer`, JSON.stringify(share));
          }
        }
        await tab.evaluate(() => document.querySelectorAll(".nav-more details").forEach((d) => { d.open = false; }));
        await loadImages(tab);
        await tab.screenshot({ path: join(shots, `${name}-${page}-${mode}.png`), fullPage: true });
        await tab.close();
      }
      await context.close();
    }

    // 复制链接 puts the article's address on the clipboard.
    if (article) {
      const context = await newContext(browser, origin, outside, { viewport: { width: 390, height: 844 } });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
      const tab = await context.newPage();
      await tab.goto(origin + article);
      const button = tab.getByRole("button", { name: "复制链接" });
      if (await button.isVisible()) {
        await button.click();
        await tab.waitForFunction(() => document.querySelector(".share-status")?.textContent);
        const copied = await tab.evaluate(() => navigator.clipboard.readText());
        const status = await tab.textContent(".share-status");
        check(copied.endsWith(article) && status.includes("已复制"), `${name}: 复制链接 copies the article's address`, `${copied} / ${status}`);
      } else {
        check(false, `${name}: the article offers 复制链接`);
      }
      await context.close();
    }

    // The police badge beside a 公安备案 number is the theme's own picture, and it loads.
    if (home.includes('class="police-filing"')) {
      const context = await newContext(browser, origin, outside, { viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      await tab.goto(origin + "/");
      const badge = await tab.evaluate(() => {
        const img = document.querySelector(".police-filing img");
        return img && { src: img.getAttribute("src"), width: img.naturalWidth, shown: img.getBoundingClientRect().width };
      });
      check(badge && badge.width > 0 && badge.shown >= 14, `${name}: the 公安备案 line shows the police badge`, JSON.stringify(badge));
      await context.close();
    }

    check(outside.size === 0, `${name}: every request goes to the local server`, [...outside].join("\n"));
    close();
  }
} finally {
  await browser.close();
}
check(true, `screenshots written to ${shots}`);

validate(files, ` of ${siteArgs.length} sites`);
finish();
