// Chinese site search as a reader uses it, in headless Chromium, on the sample portal built by
// zhen and served by a tiny static server on 127.0.0.1.
// Usage: node search.mjs <built site folder>
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [root] = process.argv.slice(2);

// Queries cut from the middle of sample sentences, and the post each must bring first (for
// 志愿服务, any of the three whose titles name it).
const FIRST = [
  ["新时代文明实践", ["/volunteer/2023/08/practice-station-review/"]],
  ["志愿服务", ["/volunteer/2023/03/lei-feng-month-schedule/", "/volunteer/2023/12/volunteer-open-data/", "/volunteer/2024/07/love-walking-family-education/"]],
  ["乡村旅游", ["/tourism/2023/09/livestream-party-branch/"]],
  ["文明村", ["/civility/2024/01/civilized-villages/"]],
  ["移风易俗", ["/civility/2023/04/village-rules-revision/"]],
  ["采茶", ["/tourism/2024/05/tea-picking/"]],
  ["古桥", ["/tourism/2024/04/stone-bridge-river-walk/"]],
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
};

function serve(dir) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.includes("..")) return res.writeHead(403).end();
    if (path.endsWith("/")) path += "index.html";
    let file = join(dir, path);
    let status = 200;
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
    } catch {
      file = join(dir, "404.html");
      status = 404;
    }
    res.writeHead(status, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Waits for the search page to answer and returns what it shows.
async function answer(page) {
  await page.waitForFunction(() => /找到|不可用/.test(document.getElementById("search-status").textContent));
  await page.waitForFunction(() => !document.getElementById("search-empty").hidden || document.querySelector("#search-results li"));
  return page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    results: [...document.querySelectorAll("#search-results li")].map((li) => ({
      url: new URL(li.querySelector("h2 a").href).pathname,
      title: li.querySelector("h2 a").textContent,
      meta: li.querySelector(".meta")?.textContent || "",
      category: li.querySelector(".meta span")?.textContent || "",
      marks: [...li.querySelectorAll(".excerpt mark")].map((m) => m.textContent),
    })),
    empty: !document.getElementById("search-empty").hidden,
  }));
}

async function main() {
  const server = await serve(root);
  const url = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const requests = [];
  try {
    const page = await browser.newPage();
    page.on("request", (r) => requests.push(r.url()));

    for (const [query, expected] of FIRST) {
      await page.goto(`${url}/search/?q=${encodeURIComponent(query)}`);
      const got = await answer(page);
      check(got.results.length > 0, `${query}: no result (${got.status})`);
      const first = got.results[0];
      check(expected.includes(first.url), `${query}: first result ${first.url} (${first.title}), expected ${expected}\n${got.results.map((r) => r.url).join("\n")}`);
      check(/\d{4}-\d{2}-\d{2}/.test(first.meta) && first.category, `${query}: date and category shown: ${first.meta}`);
      check(first.marks.length > 0 && query.includes(first.marks[0].slice(0, 1)), `${query}: excerpt marks the match: ${first.marks}`);
      console.log(`ok: ${query} finds ${first.title} first (${got.status})`);
    }

    await page.goto(`${url}/search/?q=${encodeURIComponent("志愿服务")}`);
    const all = await answer(page);
    const total = Number(all.status.match(/找到 (\d+) 条/)[1]);
    await page.selectOption("#search-category", "乡村旅游");
    await page.waitForURL(/category=/);
    await page.waitForFunction((before) => {
      const s = document.getElementById("search-status").textContent;
      return /找到/.test(s) && s !== before;
    }, all.status);
    const narrowed = await answer(page);
    const count = Number(narrowed.status.match(/找到 (\d+) 条/)?.[1] || 0);
    check(count > 0 && count < total, `category filter: ${count} of ${total}`);
    check(narrowed.results.every((r) => r.category === "乡村旅游"), `category filter: ${narrowed.results.map((r) => r.category)}`);
    console.log(`ok: the category filter narrows 志愿服务 from ${total} to ${count} results, all 乡村旅游`);

    await page.goto(`${url}/search/?q=${encodeURIComponent("志愿服务")}&year=2023&sort=date`);
    const dated = await answer(page);
    const dates = dated.results.map((r) => r.meta.match(/\d{4}-\d{2}-\d{2}/)?.[0]);
    check(dates.length > 1 && dates.every((d) => d && d.startsWith("2023")), `year filter: ${dates}`);
    check(dates.every((d, i) => i === 0 || dates[i - 1] >= d), `newest first: ${dates}`);
    check((await page.inputValue("#search-year")) === "2023", "the filters are read from the URL");
    console.log(`ok: ?year=2023&sort=date lists ${dates.length} posts of 2023, newest first`);

    await page.goto(`${url}/search/?q=${encodeURIComponent("火星基地")}`);
    const none = await answer(page);
    check(none.results.length === 0 && none.empty && /没有找到/.test(none.status), `empty state: ${JSON.stringify(none)}`);
    check(await page.isVisible('#search-empty a[href="/theory/"]'), "the empty state links to the categories");
    console.log("ok: a query with no match says so and suggests the category pages");

    // From the header box, with the keyboard only.
    await page.goto(`${url}/`);
    await page.focus("#site-search-q");
    await page.keyboard.type("移风易俗");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\/\?q=/);
    const typed = await answer(page);
    check(typed.results[0]?.url === "/civility/2023/04/village-rules-revision/", `header box: ${JSON.stringify(typed.results[0])}`);
    check((await page.inputValue("#search-q")) === "移风易俗", "the query is kept in the search field");
    await page.fill("#search-q", "采茶");
    await page.press("#search-q", "Enter");
    await page.waitForURL(/q=%E9%87%87%E8%8C%B6/);
    const again = await answer(page);
    check(again.results[0]?.url === "/tourism/2024/05/tea-picking/", "a second search from the page");
    console.log("ok: the header box and the page search by keyboard and keep ?q= in the URL");

    // Large text (senior mode, WeChat large font) on a phone: nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll(".site-search, .site-search *, main, main *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.id || e.className || e.tagName));
    check(wide.length === 0, `too wide at 200% text on a phone: ${wide}`);
    console.log("ok: the results hold at 200% text on a phone");

    const foreign = requests.filter((r) => !r.startsWith(url));
    check(foreign.length === 0, `requests to other hosts: ${foreign.join(", ")}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
