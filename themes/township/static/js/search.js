// zhen site search on the static Pagefind index in /pagefind/. The query and the filters live in
// the URL (?q=…&category=…), so a search can be shared; the result count is announced in a live
// region; results are plain links with the title, date, category and an excerpt whose matches
// are marked. Only the index chunks and result fragments a query needs are downloaded.

const PAGE_SIZE = 10;
const FILTERS = ["category", "column", "year"];

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const empty = document.getElementById("search-empty");

let engine = null;
let shown = { results: [], count: 0 };
// Each search takes a number; an answer to an older search is dropped.
let latest = 0;

async function pagefind() {
  if (!engine) {
    const module = await import("/pagefind/pagefind.js");
    await module.options({ excerptLength: 40 });
    await module.init();
    engine = module;
  }
  return engine;
}

function control(name) {
  return form.elements.namedItem(name);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const name of [...FILTERS, "sort"]) {
    const select = control(name);
    if (select) select.value = params.get(name) || "";
  }
}

function writeUrl() {
  const params = new URLSearchParams();
  const q = input.value.trim();
  if (q) params.set("q", q);
  for (const name of [...FILTERS, "sort"]) {
    const select = control(name);
    if (select && select.value) params.set(name, select.value);
  }
  const query = params.toString();
  const url = query ? `${location.pathname}?${query}` : location.pathname;
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Pagefind's excerpt is text with `<` and `>` escaped and each match in <mark>: rebuild it as
// nodes rather than trusting it as HTML. Pagefind ends a heading or paragraph without a stop
// with ". ", which after Chinese reads better as "。".
function excerptNodes(excerpt) {
  const unescape = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return excerpt.replace(/(\p{Script=Han}(?:<\/mark>)?)\. /gu, "$1。").split(/(<mark>[\s\S]*?<\/mark>)/).filter(Boolean).map((part) => {
    const match = part.match(/^<mark>([\s\S]*)<\/mark>$/);
    return match ? element("mark", "", unescape(match[1])) : document.createTextNode(unescape(part));
  });
}

function resultItem(data) {
  const item = element("li", "search-result");
  const heading = element("h2");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  const meta = element("p", "meta");
  if (data.meta.date) {
    const time = element("time", "", data.meta.date);
    time.dateTime = data.meta.date;
    meta.append(time);
  }
  if (data.meta.category) meta.append(element("span", "", data.meta.category));
  if (meta.childNodes.length) item.append(meta);
  const excerpt = element("p", "excerpt");
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(excerpt);
  return item;
}

async function showMore(ticket, focus) {
  const batch = shown.results.slice(shown.count, shown.count + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (ticket !== latest) return;
  const items = data.map(resultItem);
  list.append(...items);
  shown.count += batch.length;
  more.hidden = shown.count >= shown.results.length;
  if (focus && items.length) items[0].querySelector("a").focus();
}

async function search() {
  const ticket = ++latest;
  const q = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  empty.hidden = true;
  if (!q) {
    status.textContent = "请输入要搜索的关键词。";
    return;
  }
  status.textContent = "正在搜索……";
  const filters = {};
  for (const name of FILTERS) {
    const select = control(name);
    if (select && select.value) filters[name] = select.value;
  }
  const options = { filters };
  if (control("sort")?.value === "date") options.sort = { date: "desc" };
  let found;
  try {
    found = await (await pagefind()).search(q, options);
  } catch (e) {
    if (ticket === latest) status.textContent = "搜索暂时不可用：搜索索引没有加载成功，请稍后刷新页面再试。";
    return;
  }
  if (ticket !== latest || !found) return;
  if (found.results.length === 0) {
    status.textContent = `没有找到与“${q}”相关的内容。`;
    empty.hidden = false;
    return;
  }
  status.textContent = `找到 ${found.results.length} 条与“${q}”相关的结果。`;
  shown = { results: found.results, count: 0 };
  await showMore(ticket, false);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  writeUrl();
  search();
});
for (const name of [...FILTERS, "sort"]) {
  control(name)?.addEventListener("change", () => {
    writeUrl();
    search();
  });
}
more.addEventListener("click", () => showMore(latest, true));
window.addEventListener("popstate", () => {
  readUrl();
  search();
});

readUrl();
if (input.value.trim()) search();
