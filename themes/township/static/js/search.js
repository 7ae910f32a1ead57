// zhen site search on zhen's static index in /search-index/ (see src/search/ for its format).
// The query is cut into terms as the index was: a Chinese run gives its character pairs
// (bigrams), a single character itself, Latin letters and digits whole words. Every content
// term must match (stop characters alone never do); pages that have a run's every pair (the run
// as a phrase) come before pages that have its characters only in scattered pairs; within that,
// BM25 weights with title matches first, then newer pages. Only the shards holding the query's
// terms and the shown results' fragments are downloaded. The query and the filters live in the
// URL (?q=…&category=…), so a search can be shared; the count is announced in a live region.

const INDEX = "/search-index";
const PAGE_SIZE = 10;
const FILTERS = ["category", "column", "year"];
const EXCERPT = 80;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const empty = document.getElementById("search-empty");

let meta = null;
let stop = new Set();
const files = new Map();
let shown = { results: [], count: 0, query: null };
// Each search takes a number; an answer to an older search is dropped.
let latest = 0;

function load(path, read = (r) => r.json()) {
  if (!files.has(path)) {
    const url = `${INDEX}/${path}?v=${meta.hash}`;
    files.set(path, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return read(r);
    }).catch((e) => {
      files.delete(path);
      throw e;
    }));
  }
  return files.get(path);
}

const bytes = (r) => r.arrayBuffer().then((b) => new Uint8Array(b));
const utf8 = new TextDecoder();

// A reader of LEB128 varints (seven bits a byte, low bits first) from `bytes`. The position is
// a field, not a variable a closure changes: Chromium's optimizing compiler was seen to read
// such a variable stale after the calls, so that a shard's postings were taken two bytes early.
class Varints {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }

  get done() {
    return this.at >= this.bytes.length;
  }

  next() {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }

  byte() {
    return this.bytes[this.at++];
  }

  take(length) {
    const part = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return part;
  }
}

// A shard (t/<n>.bin, format in src/search/bundle.rs) as term -> {count, data | file}: the
// postings stay encoded until a query needs them.
function shard(n) {
  return load(`t/${n}.bin`, (r) => bytes(r).then((b) => {
    const terms = new Map();
    const read = new Varints(b);
    while (!read.done) {
      const term = utf8.decode(read.take(read.next()));
      const count = read.next();
      const size = read.next();
      if (size === 0 && count > 0) terms.set(term, { count, file: `t/${n}.${read.next()}.bin` });
      else terms.set(term, { count, data: read.take(size) });
    }
    return terms;
  }));
}

async function index() {
  if (!meta) {
    const r = await fetch(`${INDEX}/meta.json`, { cache: "no-cache" });
    if (!r.ok) throw new Error(`meta.json: ${r.status}`);
    meta = await r.json();
    stop = new Set(meta.stop);
  }
  return meta;
}

// The same rules as src/search/tokens.rs.
function isHan(c) {
  const n = c.codePointAt(0);
  return (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2ffff);
}
function normalize(c) {
  const n = c.codePointAt(0);
  if (n >= 0xff01 && n <= 0xff5e) c = String.fromCodePoint(n - 0xfee0);
  return /[A-Z]/.test(c) ? c.toLowerCase() : c;
}
const isWordChar = (c) => /[a-z0-9]/.test(c);
function shardOf(term) {
  let h = 0x811c9dc5;
  for (const c of term) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
  return h & (meta.shards - 1);
}

// The query's runs: {han: [chars]} or {word}. Stop-only runs carry no content and are dropped.
function parse(q) {
  const runs = [];
  let han = [];
  let word = "";
  const flush = () => {
    if (word) runs.push({ word: word.slice(0, 32) });
    if (han.some((c) => !stop.has(c))) runs.push({ han });
    word = "";
    han = [];
  };
  for (const c of [...q].map(normalize)) {
    if (isWordChar(c)) {
      if (han.length) flush();
      word += c;
    } else if (isHan(c)) {
      if (word) flush();
      han.push(c);
    } else flush();
  }
  flush();
  return runs.map((run) => {
    if (run.word) return { text: run.word, terms: [run.word], strict: [0], cover: [[0]] };
    const chars = run.han;
    if (chars.length === 1) return { text: chars[0], terms: [chars[0]], strict: [0], cover: [[0]] };
    const pairs = [];
    for (let i = 0; i + 1 < chars.length; i++) {
      if (!(stop.has(chars[i]) && stop.has(chars[i + 1]))) pairs.push(i);
    }
    const terms = pairs.map((i) => chars[i] + chars[i + 1]);
    // A phrase needs every pair, less a pair that only adds a stop character at an edge
    // (古桥的 is 古桥 as a phrase).
    const edge = (k) => (pairs[k] === 0 && stop.has(chars[0])) || (pairs[k] === chars.length - 2 && stop.has(chars[chars.length - 1]));
    let strict = terms.map((_, k) => k).filter((k) => !edge(k));
    if (!strict.length) strict = terms.map((_, k) => k);
    // Scattered: every content character in some pair the page has.
    const cover = [];
    chars.forEach((c, i) => {
      if (!stop.has(c)) cover.push(pairs.flatMap((p, k) => (p === i || p + 1 === i ? [k] : [])));
    });
    return { text: chars.join(""), terms, strict, cover };
  });
}

// page -> weight, for one term.
async function postings(term) {
  const entry = (await shard(shardOf(term))).get(term);
  const map = new Map();
  if (!entry) return map;
  const read = new Varints(entry.data || (await load(entry.file, bytes)));
  let page = 0;
  while (!read.done) {
    page += read.next();
    map.set(page, read.byte());
  }
  return map;
}

async function filterPages(name, value) {
  const at = meta.filters.findIndex(([key]) => key === name);
  if (at < 0) return new Set();
  const values = await load(`f/${at}.json`);
  const pages = new Set();
  let page = 0;
  for (const gap of values[value] || []) pages.add((page += gap));
  return pages;
}

// The matching pages, best first: [{page, phrase, score}].
async function find(runs, filters, byDate) {
  const groups = await Promise.all(runs.map(async (run) => ({ run, lists: await Promise.all(run.terms.map(postings)) })));
  const idf = (n) => Math.log(1 + (meta.pages - n + 0.5) / (n + 0.5));
  // Candidates: the pages of the rarest content character's pairs; each is then checked.
  let candidates = null;
  for (const { run, lists } of groups) {
    for (const ks of run.cover) {
      const own = new Set();
      for (const k of ks) for (const p of lists[k].keys()) own.add(p);
      if (candidates === null || own.size < candidates.size) candidates = own;
    }
  }
  const found = [];
  for (const page of candidates || []) {
    let phrase = true;
    let score = 0;
    let all = true;
    for (const { run, lists } of groups) {
      if (!run.cover.every((ks) => ks.some((k) => lists[k].has(page)))) {
        all = false;
        break;
      }
      if (!run.strict.every((k) => lists[k].has(page))) phrase = false;
      run.terms.forEach((_, k) => {
        const w = lists[k].get(page);
        if (w) score += idf(lists[k].size) * w;
      });
    }
    if (all) found.push({ page, phrase, score });
  }
  let kept = found;
  for (const [name, value] of Object.entries(filters)) {
    const pages = await filterPages(name, value);
    kept = kept.filter((r) => pages.has(r.page));
  }
  // Pages are numbered newest first.
  if (byDate) return kept.sort((a, b) => a.page - b.page);
  return kept.sort((a, b) => b.phrase - a.phrase || b.score - a.score || a.page - b.page);
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

// The stretch of `text` around the query's best match, with its matches in <mark>: a whole run
// if the text has it, else its pairs, single characters and words.
function excerptNodes(text, runs) {
  const chars = [...text];
  const folded = chars.map(normalize);
  const patterns = [];
  for (const run of runs) {
    patterns.push([...run.text]);
    if (run.terms.length > 1) for (const t of run.terms) patterns.push([...t]);
  }
  patterns.sort((a, b) => b.length - a.length);
  const at = (i, p) => p.every((c, j) => folded[i + j] === c);
  let center = -1;
  for (const p of patterns) {
    for (let i = 0; i + p.length <= folded.length && center < 0; i++) if (at(i, p)) center = i;
    if (center >= 0) break;
  }
  const start = Math.max(0, Math.min(center - EXCERPT / 4, chars.length - EXCERPT));
  const end = Math.min(chars.length, start + EXCERPT);
  const nodes = [];
  let plain = start > 0 ? "…" : "";
  for (let i = start; i < end; ) {
    const p = patterns.find((p) => i + p.length <= end && at(i, p));
    if (p) {
      if (plain) nodes.push(document.createTextNode(plain));
      plain = "";
      nodes.push(element("mark", "", chars.slice(i, i + p.length).join("")));
      i += p.length;
    } else plain += chars[i++];
  }
  if (end < chars.length) plain += "…";
  if (plain) nodes.push(document.createTextNode(plain));
  return nodes;
}

function resultItem(data, runs) {
  const item = element("li", "search-result");
  const heading = element("h2");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  const info = element("p", "meta");
  if (data.meta.date) {
    const time = element("time", "", data.meta.date);
    time.dateTime = data.meta.date;
    info.append(time);
  }
  if (data.meta.category) info.append(element("span", "", data.meta.category));
  if (info.childNodes.length) item.append(info);
  const excerpt = element("p", "excerpt");
  excerpt.append(...excerptNodes(data.content || "", runs));
  item.append(excerpt);
  return item;
}

async function showMore(ticket, focus) {
  const batch = shown.results.slice(shown.count, shown.count + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => load(`d/${r.page}.json`)));
  if (ticket !== latest) return;
  const items = data.map((d) => resultItem(d, shown.runs));
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
  let found;
  let runs;
  try {
    await index();
    runs = parse(q);
    found = runs.length ? await find(runs, filters, control("sort")?.value === "date") : [];
  } catch (e) {
    if (ticket === latest) status.textContent = "搜索暂时不可用：搜索索引没有加载成功，请稍后刷新页面再试。";
    return;
  }
  if (ticket !== latest) return;
  if (found.length === 0) {
    status.textContent = `没有找到与“${q}”相关的内容。`;
    empty.hidden = false;
    return;
  }
  status.textContent = `找到 ${found.length} 条与“${q}”相关的结果。`;
  shown = { results: found, count: 0, runs };
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
