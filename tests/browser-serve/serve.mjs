// Live reload, the error overlay and the review watermark of `zhen serve`, as a user sees them in Chromium.
// Usage: node serve.mjs <zhen binary> <site folder (a copy: it is edited)>
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [zhen, site] = process.argv.slice(2);
const post = join(site, "content/theory/2024-02-03-second.md");

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(zhen, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.on("exit", (code) => reject(new Error(`zhen serve exited ${code}:\n${log}`)));
    setTimeout(() => reject(new Error(`zhen serve did not start:\n${log}`)), 60000);
  });
}

async function main() {
  mkdirSync(join(site, "static/css"), { recursive: true });
  writeFileSync(join(site, "static/css/extra.css"), "p { color: #333; }\n");
  const { child, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${url}/theory/2024/02/second/`);
    await page.waitForSelector("text=正文二。");
    // Wait until the page listens for rebuilds.
    await page.waitForSelector("html[data-zhen-live]", { state: "attached" });

    const good = readFileSync(post, "utf8");
    writeFileSync(post, good.replace("正文二。", "浏览器里看到了新内容。"));
    await page.waitForSelector("text=浏览器里看到了新内容。", { timeout: 20000 });
    await page.waitForSelector("html[data-zhen-live]", { state: "attached" });
    console.log("ok: an edit reloads the page with the new text");

    writeFileSync(post, good.replace("title: 第二篇", "title: [第二篇"));
    const overlay = await page.waitForSelector("#zhen-error-overlay", { timeout: 20000 });
    const text = await overlay.textContent();
    if (!text.includes("2024-02-03-second.md")) throw new Error(`overlay does not name the file: ${text}`);
    if (!(await page.isVisible("text=浏览器里看到了新内容。"))) throw new Error("the last good page should stay under the overlay");
    console.log("ok: broken front matter shows the overlay naming the file");

    // The overlay is an opaque panel whose diagnostics keep their columns on a phone.
    await page.setViewportSize({ width: 390, height: 800 });
    const look = await page.evaluate(() => {
      const overlay = document.getElementById("zhen-error-overlay");
      const pre = overlay.querySelector("pre");
      const panel = pre.parentElement;
      const style = getComputedStyle(pre);
      return {
        title: overlay.querySelector("h2").textContent,
        panelBackground: getComputedStyle(panel).backgroundColor,
        panelRight: panel.getBoundingClientRect().right,
        whiteSpace: style.whiteSpace,
        overflowX: style.overflowX,
        scrolls: pre.scrollWidth > pre.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
        button: !!overlay.querySelector("button"),
      };
    });
    if (look.title !== "网站生成失败") throw new Error(`overlay title: ${look.title}`);
    if (look.panelBackground !== "rgb(255, 255, 255)") throw new Error(`the panel should be opaque: ${look.panelBackground}`);
    if (look.whiteSpace !== "pre" || look.overflowX !== "auto" || !look.scrolls) throw new Error(`long lines should scroll, not wrap: ${JSON.stringify(look)}`);
    if (look.panelRight > 390 || look.pageWidth > 390) throw new Error(`the panel overflows a 390 px screen: ${JSON.stringify(look)}`);
    await page.click("#zhen-error-overlay button");
    if (await page.$("#zhen-error-overlay")) throw new Error("the close button should remove the overlay");
    await page.setViewportSize({ width: 1280, height: 800 });
    // The next failed rebuild shows it again.
    writeFileSync(post, good.replace("title: 第二篇", "title: [第二篇 "));
    await page.waitForSelector("#zhen-error-overlay", { timeout: 20000 });
    console.log("ok: the overlay is an opaque panel that scrolls long lines at 390 px and can be closed");

    writeFileSync(post, good.replace("正文二。", "修好了。"));
    await page.waitForSelector("text=修好了。", { timeout: 20000 });
    await page.waitForSelector("html[data-zhen-live]", { state: "attached" });
    if (await page.$("#zhen-error-overlay")) throw new Error("overlay should be gone after the fix");
    console.log("ok: fixing the file removes the overlay");

    // What zhen build would refuse (an unmasked mobile number, a picture named with the wrong
    // case) shows over the new page, the number masked.
    writeFileSync(post, good.replace("正文二。", "报名电话13957112345。\n\n![现场](../tourism/2024-04-02-peach/Cover.SVG)"));
    const refused = await page.waitForSelector("#zhen-error-overlay", { timeout: 20000 });
    await page.waitForSelector("text=报名电话", { state: "attached" });
    const said = await refused.textContent();
    if (!said.includes("[C4]") || !said.includes("[C1]") || !said.includes("zhen build")) throw new Error(`the overlay should list C1 and C4: ${said}`);
    if (said.includes("13957112345")) throw new Error("the overlay shows the mobile number unmasked");
    writeFileSync(post, good.replace("正文二。", "修好了。"));
    await page.waitForSelector("text=修好了。", { timeout: 20000 });
    await page.waitForSelector("html[data-zhen-live]", { state: "attached" });
    if (await page.$("#zhen-error-overlay")) throw new Error("overlay should be gone after the fix");
    console.log("ok: what zhen build would refuse (C1, C4) shows over the preview, masked, until fixed");

    await page.evaluate(() => { window.zhenMarker = 1; });
    writeFileSync(join(site, "static/css/extra.css"), "p { color: #222; }\n");
    await page.waitForFunction(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.href.includes("zhen=")), null, { timeout: 20000 });
    if (!(await page.evaluate(() => window.zhenMarker === 1))) throw new Error("a CSS change should not reload the page");
    console.log("ok: a stylesheet change swaps the CSS without a reload");

    // With require_review, a post short of three reviewers is watermarked in the preview.
    const toml = join(site, "site.toml");
    const plainToml = readFileSync(toml, "utf8");
    writeFileSync(toml, plainToml + "\n[check]\nrequire_review = true\n");
    const banner = await page.waitForSelector(".zhen-unreviewed-banner", { timeout: 20000 });
    if (!(await banner.isVisible()) || !(await banner.textContent()).includes("没有审核人：未完成三审三校")) {
      throw new Error(`the review banner should say what is missing: ${await banner.textContent()}`);
    }
    // zhen build would refuse the post (C6): the overlay says so; closed, it leaves the page.
    const c6 = await page.waitForSelector("#zhen-error-overlay", { timeout: 20000 });
    if (!(await c6.textContent()).includes("[C6]")) throw new Error(`the overlay should name C6: ${await c6.textContent()}`);
    await page.click("#zhen-error-overlay button");
    // The watermark lies over the page without taking its clicks.
    const link = await page.$("main a[href], header a[href]");
    const box = await link.boundingBox();
    const hit = await page.evaluate(([x, y]) => {
      const el = document.elementFromPoint(x, y);
      return el.closest(".zhen-unreviewed, .zhen-unreviewed-banner") ? "watermark" : el.closest("a") ? "link" : el.tagName;
    }, [box.x + box.width / 2, box.y + box.height / 2]);
    if (hit !== "link") throw new Error(`a click on a link lands on ${hit}`);
    console.log("ok: an unreviewed post is watermarked and its links still take clicks");

    const now = readFileSync(post, "utf8");
    writeFileSync(post, now.replace("title: 第二篇", "title: 第二篇\nreviewed_by: [甲, 乙, 丙]"));
    await page.waitForSelector(".zhen-unreviewed-banner", { state: "detached", timeout: 20000 });
    await page.waitForSelector("html[data-zhen-live]", { state: "attached" });
    if (await page.$(".zhen-unreviewed")) throw new Error("the watermark should go with the third reviewer");
    console.log("ok: the third reviewer lifts the watermark");

    const foreign = requests.filter((r) => !r.startsWith(url));
    if (foreign.length) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);

    // A site broken when serve starts: its errors are the page, and the fix reloads into the site.
    child.kill();
    writeFileSync(toml, plainToml);
    const fixed = readFileSync(post, "utf8");
    writeFileSync(post, fixed.replace("title: 第二篇", "title: [第二篇"));
    const second = await startServer();
    try {
      const answer = await page.goto(`${second.url}/theory/2024/02/second/`);
      if (answer.status() !== 503) throw new Error(`a site never built answers ${answer.status()}`);
      const shown = await page.waitForSelector("#zhen-error-overlay", { timeout: 20000 });
      if (!(await shown.textContent()).includes("2024-02-03-second.md")) throw new Error("the overlay should name the file");
      await page.waitForSelector("html[data-zhen-live]", { state: "attached" });
      writeFileSync(post, fixed.replace("修好了。", "开始时坏了，现在好了。"));
      await page.waitForSelector("text=开始时坏了，现在好了。", { timeout: 20000 });
      if (await page.$("#zhen-error-overlay")) throw new Error("overlay should be gone after the fix");
      console.log("ok: a site broken at start shows its errors and reloads into the site once fixed");
    } finally {
      second.child.kill();
    }
  } finally {
    await browser.close();
    child.kill();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
