// Chinese site search as a reader uses it, in headless Chromium, on the sample portal built by
// zhen and served by a tiny static server on 127.0.0.1.
// Usage: node search.mjs <built site folder>
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [root] = process.argv.slice(2);

// The relevance set: [query, kind, expected URLs]. "first": the first result is one of them;
// "top3": one of them is among the first three; "none": nothing is found (没有找到). Queries are
// words cut from the middle of sentences, place and people's names, numbers, single characters,
// two words at once and nonsense. The script prints precision@1 (share of "first" queries whose
// first result is right) and recall@3 (share of "first"/"top3" queries with a right result in
// the first three) and fails on any miss.
const P = (s) => `/${s}/`;
const RELEVANCE = [
  ["新时代文明实践", "first", ["volunteer/2023/08/practice-station-review"]],
  ["志愿服务", "first", ["volunteer/2023/03/lei-feng-month-schedule", "volunteer/2023/12/volunteer-open-data", "volunteer/2024/07/love-walking-family-education"]],
  ["乡村旅游", "top3", ["tourism/2023/09/livestream-party-branch"]],
  ["文明村", "first", ["civility/2024/01/civilized-villages"]],
  ["移风易俗", "first", ["civility/2023/04/village-rules-revision"]],
  ["采茶", "first", ["tourism/2024/05/tea-picking"]],
  ["古桥", "first", ["tourism/2024/04/stone-bridge-river-walk"]],
  ["桥", "top3", ["tourism/2024/04/stone-bridge-river-walk"]],
  ["茶", "top3", ["tourism/2024/05/tea-picking"]],
  ["桃花节", "first", ["tourism/2024/04/peach-blossom-festival"]],
  ["油菜花", "first", ["tourism/2024/03/rape-flower-season"]],
  ["周建国", "first", ["civility/2023/05/model-households"]],
  ["石桥村", "top3", ["tourism/2024/04/stone-bridge-river-walk"]],
  ["竹山村", "top3", ["tourism/2024/05/tea-picking"]],
  ["桃源村", "top3", ["tourism/2024/04/peach-blossom-festival"]],
  ["枫林集市", "first", ["civility/2024/06/anti-drug-gambling"]],
  ["禁毒", "first", ["civility/2024/06/anti-drug-gambling"]],
  ["好婆媳", "top3", ["civility/2024/05/hao-po-xi-ping-xuan"]],
  ["村规民约", "first", ["civility/2023/04/village-rules-revision"]],
  ["红白理事会", "first", ["civility/2023/04/village-rules-revision"]],
  ["学习强国", "first", ["theory/2023/06/xuexi-qiangguo-notice"]],
  ["意识形态", "first", ["theory/2023/05/ideology-training"]],
  ["网评员", "first", ["theory/2023/05/ideology-training"]],
  ["第一议题", "first", ["theory/2023/01/first-agenda-system"]],
  ["中心组", "top3", ["theory/2023/03/central-group-study", "theory/2024/01/2024-study-plan"]],
  ["二十大精神", "top3", ["theory/2023/04/er-shi-da-jing-shen-xuan-jiang-jin-cun", "theory/2023/01/first-agenda-system"]],
  ["社科普及", "first", ["theory/2024/09/social-science-week"]],
  ["雷锋", "first", ["volunteer/2023/03/lei-feng-month-schedule"]],
  ["留守儿童", "first", ["volunteer/2023/06/children-growth"]],
  ["独居老人", "first", ["volunteer/2023/01/spring-festival-visits"]],
  ["重阳节", "first", ["volunteer/2023/10/elderly-chat"]],
  ["爱心超市", "first", ["volunteer/2024/01/ai-xin-chao-shi-xin-chun-kai-fang"]],
  ["家庭教育", "first", ["volunteer/2024/07/love-walking-family-education"]],
  ["国际志愿者日", "first", ["volunteer/2023/12/volunteer-open-data"]],
  ["民宿", "top3", ["tourism/2023/06/farm-stay-routes", "tourism/2023/10/golden-week-farm-stay", "tourism/2024/08/summer-homestay-guide", "columns/farm-stay"]],
  ["避暑", "first", ["tourism/2024/08/summer-homestay-guide"]],
  ["网络主播", "first", ["tourism/2023/09/livestream-party-branch"]],
  ["国庆假期", "first", ["tourism/2023/10/golden-week-farm-stay"]],
  ["适老化", "first", ["civility/2023/06/civilized-city-convenience"]],
  ["大排查", "first", ["civility/2023/07/civilized-city-inspection"]],
  ["2023年第一次集中学习", "first", ["theory/2023/03/central-group-study"]],
  ["美丽庭院", "first", ["civility/2023/05/model-households"]],
  ["古桥 绿道", "first", ["tourism/2024/04/stone-bridge-river-walk"]],
  ["农家乐 民宿", "top3", ["tourism/2023/06/farm-stay-routes", "tourism/2023/10/golden-week-farm-stay", "columns/farm-stay"]],
  ["金黄的油菜花", "first", ["tourism/2024/03/rape-flower-season"]],
  ["三千亩油菜花", "first", ["tourism/2024/03/rape-flower-season"]],
  ["xyzzy不存在的词", "none", []],
  ["火星基地", "none", []],
  ["量子计算机", "none", []],
  ["的", "none", []],
  ["的了是在", "none", []],
  ["qwertyuiop", "none", []],
].map(([q, kind, urls]) => [q, kind, urls.map(P)]);

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
  if (/没有找到|不可用/.test(await page.textContent("#search-status"))) {
    return { status: await page.textContent("#search-status"), results: [], empty: await page.isVisible("#search-empty") };
  }
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

    const misses = [];
    let firstRight = 0;
    let firstAsked = 0;
    let top3Right = 0;
    let top3Asked = 0;
    for (const [query, kind, expected] of RELEVANCE) {
      await page.goto(`${url}/search/?q=${encodeURIComponent(query)}`);
      const got = await answer(page);
      const urls = got.results.map((r) => r.url);
      if (kind === "none") {
        const ok = got.results.length === 0 && got.empty && /没有找到/.test(got.status);
        if (!ok) misses.push(`${query}: expected nothing, got ${got.status} ${urls.slice(0, 3)}`);
        continue;
      }
      const inTop3 = urls.slice(0, 3).some((u) => expected.includes(u));
      top3Asked++;
      if (inTop3) top3Right++;
      if (kind === "first") {
        firstAsked++;
        if (expected.includes(urls[0])) firstRight++;
        else misses.push(`${query}: first ${urls[0]}, expected ${expected}`);
      } else if (!inTop3) misses.push(`${query}: top 3 ${urls.slice(0, 3)}, expected one of ${expected}`);
      const first = got.results[0];
      if (first && expected.includes(first.url)) {
        if (/\d{4}-\d{2}-\d{2}/.test(first.meta)) check(first.category, `${query}: date and category shown: ${first.meta}`);
        check(first.marks.length > 0 && first.marks.every((m) => query.toLowerCase().includes(m.toLowerCase())), `${query}: excerpt marks the match: ${first.marks}`);
      }
    }
    console.log(`ok: relevance: ${RELEVANCE.length} queries; precision@1 ${firstRight}/${firstAsked} = ${(firstRight / firstAsked).toFixed(3)}; recall@3 ${top3Right}/${top3Asked} = ${(top3Right / top3Asked).toFixed(3)}; nothing found for all ${RELEVANCE.filter((r) => r[1] === "none").length} nonsense queries: ${!misses.some((m) => m.includes("expected nothing"))}`);
    check(misses.length === 0, `relevance misses:\n${misses.join("\n")}`);

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
