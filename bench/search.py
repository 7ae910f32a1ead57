#!/usr/bin/env python3
"""What zhen's search index costs on a generated site (issue 13's targets).

    python3 bench/search.py ZHEN [N ...] [--runs R] [--phrases P] [--edits K] [--no-serve]

For each N (default 10000) on the generated site of bench/gen.py (kept in
$BENCH_DIR/search-sites/N):

1. build: R clean builds with `[search] enabled = false` and R with it on, alternating, each
   into a fresh output folder: wall (monotonic clock), CPU (user + system) and peak RSS from
   GNU time, the search stage from `--timings`; medians, and on ÷ off (target: at most 2 for
   wall and CPU, peak RSS at most 1 GB at 10 000 posts); the index's files and bytes.
2. first query: P phrases cut from the posts' Chinese text (2 to 12 characters, from random
   places in random posts) and a few fixed ones, each searched as search.js does on the built
   index: the bytes a first query downloads, uncompressed (meta.json, the shards of its
   terms, the files of its common terms, the fragments of the first 10 results); max, 95th
   percentile and median (target: at most 300 KB). Also the time to decode every shard and
   common-term file with the same loops as search.js, in node.
3. serve: `zhen serve` on a copy of the site with search on; K edits of one post's body; for
   each, the time from saving the file to the new index being served (polling
   `/__zhen/status`, so the watcher's debounce and the page rebuild are included) and the
   indexer's own `index_millis` (target: within 1 s at 10 000 posts).

Standard library only (node for the decode timing, when installed). Progress on stderr, the
tables on stdout.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import serve  # noqa: E402  (bench/serve.py: running, status, pick_post)

STOP = set()
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
FIXED = ["新时代文明实践", "志愿服务", "乡村旅游", "桥", "茶", "2024", "5a", "移风易俗", "文明实践站"]


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def work_dir() -> Path:
    env = os.environ.get("BENCH_DIR")
    if env:
        return Path(env)
    shm = Path("/dev/shm")
    return shm / "zhen-bench" if shm.is_dir() else Path("/tmp/zhen-bench")


def site_for(n: int) -> Path:
    d = work_dir() / "search-sites" / str(n)
    if not (d / ".done").exists():
        shutil.rmtree(d, ignore_errors=True)
        log(f"search bench: generating {n} posts into {d}")
        subprocess.run([sys.executable, str(BENCH / "gen.py"), str(n), str(d / "site")], check=True,
                       stdout=subprocess.DEVNULL)
        (d / ".done").touch()
    return d / "site"


def with_search(site: Path, on: bool) -> Path:
    """A sibling of `site` sharing its content, with search on or off."""
    d = site.parent / ("search-on" if on else "search-off")
    if not d.exists():
        d.mkdir()
        # gen.py puts the posts' pictures in static/: without them every fourth post's
        # picture is a dead link and the build is refused.
        for part in ("content", "static"):
            if (site / part).exists():
                (d / part).symlink_to(site / part, target_is_directory=True)
    toml = (site / "site.toml").read_text(encoding="utf-8")
    toml = re.sub(r"enabled = (true|false)", f"enabled = {'true' if on else 'false'}", toml)
    (d / "site.toml").write_text(toml, encoding="utf-8")
    return d


def timed(cmd: list[str], log_file: Path) -> dict:
    tfile = log_file.with_suffix(".time")
    with open(log_file, "wb") as out:
        t0 = time.perf_counter()
        rc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", str(tfile)] + cmd,
                            stdout=out, stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - t0
    if rc != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}; log: {log_file}")
    user, sys_, rss = tfile.read_text().split()[-3:]
    search_ms = 0.0
    for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"^.*?\s([\d.]+)\s*(ms|s)\s+search\s*$", line)
        if m:
            search_ms = float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
    return {"wall": wall, "cpu": float(user) + float(sys_), "rss": int(rss) / 1024, "search_ms": search_ms}


def builds(zhen: str, site: Path, runs: int) -> dict:
    rows = {"off": [], "on": []}
    out_root = site.parent / "out"
    for i in range(runs + 1):
        for kind in (("off", "on") if i % 2 == 0 else ("on", "off")):
            out = out_root / kind
            shutil.rmtree(out, ignore_errors=True)
            src = with_search(site, kind == "on")
            r = timed([zhen, "build", "--root", str(src), "--output", str(out), "--timings"],
                      site.parent / f"build-{kind}.log")
            if i == 0:
                continue  # warm-up
            rows[kind].append(r)
            log(f"search bench: {kind}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss']:.0f} MB, "
                f"search {r['search_ms']:.0f} ms")
    idx = out_root / "on" / "search-index"
    files = [f for f in idx.rglob("*") if f.is_file()]
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("wall", "cpu", "rss", "search_ms")}
           for k, v in rows.items()}
    med["index"] = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return med


# -- the index as search.js reads it ---------------------------------------------------------
def varint(b: bytes, at: int) -> tuple[int, int]:
    v = shift = 0
    while True:
        byte = b[at]
        at += 1
        v |= (byte & 0x7F) << shift
        if byte < 0x80:
            return v, at
        shift += 7


def fnv(term: str) -> int:
    h = 0x811C9DC5
    for c in term:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return h


class Index:
    def __init__(self, root: Path):
        self.root = root
        self.meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        self.stop = set(self.meta["stop"])
        self.shards: dict[int, dict] = {}

    def shard(self, n: int) -> dict:
        if n not in self.shards:
            b = (self.root / "t" / f"{n}.bin").read_bytes()
            terms, at = {}, 0
            while at < len(b):
                length, at = varint(b, at)
                term = b[at:at + length].decode()
                at += length
                count, at = varint(b, at)
                size, at = varint(b, at)
                if size == 0 and count > 0:
                    k, at = varint(b, at)
                    terms[term] = ("file", f"t/{n}.{k}.bin")
                else:
                    terms[term] = ("data", b[at:at + size])
                at += size
            self.shards[n] = terms
        return self.shards[n]

    def postings(self, term: str, files: set) -> dict[int, int]:
        n = fnv(term) & (self.meta["shards"] - 1)
        files.add(f"t/{n}.bin")
        entry = self.shard(n).get(term)
        if not entry:
            return {}
        if entry[0] == "file":
            files.add(entry[1])
            b = (self.root / entry[1]).read_bytes()
        else:
            b = entry[1]
        out, page, at = {}, 0, 0
        while at < len(b):
            gap, at = varint(b, at)
            page += gap
            out[page] = b[at]
            at += 1
        return out

    def parse(self, q: str) -> list[dict]:
        """search.js's parse(): runs of the query with their terms, phrase and cover sets."""
        runs = []
        for m in re.finditer(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", q.lower()):
            t = m.group(0)
            if t[0].isascii():
                runs.append({"terms": [t[:32]], "strict": [0], "cover": [[0]]})
                continue
            chars = list(t)
            if all(c in self.stop for c in chars):
                continue
            if len(chars) == 1:
                runs.append({"terms": chars, "strict": [0], "cover": [[0]]})
                continue
            pairs = [i for i in range(len(chars) - 1) if not (chars[i] in self.stop and chars[i + 1] in self.stop)]
            terms = [chars[i] + chars[i + 1] for i in pairs]

            def edge(k: int) -> bool:
                return (pairs[k] == 0 and chars[0] in self.stop) or \
                    (pairs[k] == len(chars) - 2 and chars[-1] in self.stop)
            strict = [k for k in range(len(terms)) if not edge(k)] or list(range(len(terms)))
            cover = [[k for k, p in enumerate(pairs) if p == i or p + 1 == i]
                     for i, c in enumerate(chars) if c not in self.stop]
            runs.append({"terms": terms, "strict": strict, "cover": cover})
        return runs

    def first_query(self, q: str) -> tuple[int, int]:
        """Bytes search.js downloads for `q` as the first query of a visit, and the results."""
        import math
        files = {"meta.json"}
        runs = self.parse(q)
        groups = [(run, [self.postings(t, files) for t in run["terms"]]) for run in runs]
        candidates = None
        for run, lists in groups:
            for ks in run["cover"]:
                own = set().union(*(lists[k].keys() for k in ks))
                if candidates is None or len(own) < len(candidates):
                    candidates = own
        pages = self.meta["pages"]
        found = []
        for page in candidates or ():
            phrase, score, ok = True, 0.0, True
            for run, lists in groups:
                if not all(any(page in lists[k] for k in ks) for ks in run["cover"]):
                    ok = False
                    break
                if not all(page in lists[k] for k in run["strict"]):
                    phrase = False
                for lst in lists:
                    w = lst.get(page)
                    if w:
                        n = len(lst)
                        score += math.log(1 + (pages - n + 0.5) / (n + 0.5)) * w
            if ok:
                found.append((not phrase, -score, page))
        found.sort()
        for _p, _s, page in found[:10]:
            files.add(f"d/{page}.json")
        return sum((self.root / f).stat().st_size for f in files), len(found)


def phrases(site: Path, count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    posts = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    out = list(FIXED)
    while len(out) < count + len(FIXED):
        body = rng.choice(posts).read_text(encoding="utf-8").split("+++")[-1]
        runs = [r for r in HAN.findall(body) if len(r) >= 2]
        if not runs:
            continue
        run = rng.choice(runs)
        length = rng.randint(2, min(12, len(run)))
        start = rng.randint(0, len(run) - length)
        out.append(run[start:start + length])
    return out


def first_queries(index_root: Path, site: Path, count: int) -> dict:
    idx = Index(index_root)
    rows = []
    for q in phrases(site, count):
        size, found = idx.first_query(q)
        rows.append((size, q, found))
    sizes = sorted(r[0] for r in rows)
    worst = max(rows)
    return {"queries": len(rows), "max": sizes[-1], "p95": sizes[int(0.95 * (len(sizes) - 1))],
            "median": statistics.median(sizes), "worst": worst[1], "worst_found": worst[2],
            "none_found": sum(1 for r in rows if r[2] == 0)}


# The decoding loops, with search.js's own varint reader (its `class Varints`, cut from the theme
# file so that the benchmark times the code readers run).
SEARCH_JS = Path(__file__).resolve().parent.parent / "themes/township/static/js/search.js"
DECODE_JS = r"""
const fs = require("fs"), path = require("path");
const root = process.argv[1];
const utf8 = new TextDecoder();
const names = fs.readdirSync(path.join(root, "t"));
const bufs = names.map((n) => new Uint8Array(fs.readFileSync(path.join(root, "t", n))));
let bytes = 0, postings = 0;
const pages = (read) => { const map = new Map(); let page = 0; while (!read.done) { page += read.next(); map.set(page, read.byte()); } return map; };
const t0 = process.hrtime.bigint();
for (let i = 0; i < bufs.length; i++) {
  const b = bufs[i];
  bytes += b.length;
  const read = new Varints(b);
  if (names[i].split(".").length === 3) {  // a common term's postings
    postings += pages(read).size;
    continue;
  }
  const terms = new Map();
  while (!read.done) {
    const term = utf8.decode(read.take(read.next()));
    const count = read.next(); const size = read.next();
    if (size === 0 && count > 0) terms.set(term, { count, file: read.next() });
    else {
      const map = pages(new Varints(read.take(size)));
      postings += map.size;
      terms.set(term, { count, map });
    }
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ files: bufs.length, bytes, postings, ms }));
"""


def decode_js() -> str:
    """DECODE_JS preceded by search.js's `class Varints`."""
    text = SEARCH_JS.read_text(encoding="utf-8")
    start = text.index("class Varints {")
    return text[start : text.index("\n}\n", start) + 3] + DECODE_JS


def decode_cost(index_root: Path) -> dict | None:
    if not shutil.which("node"):
        return None
    r = subprocess.run(["node", "-e", decode_js(), str(index_root)], capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else None


def serve_updates(zhen: str, site: Path, edits: int) -> dict:
    def fill(root: Path) -> None:
        root.mkdir()
        for part in ("content", "static"):
            if (site / part).exists():
                shutil.copytree(site / part, root / part)
        (root / "site.toml").write_text((with_search(site, True) / "site.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")

    with serve.running(zhen, fill, "zhen-search-serve-") as (root, base):
        def indexed(after: int) -> dict:
            end = time.monotonic() + 300
            while time.monotonic() < end:
                try:
                    s = serve.status(base)
                    if s["index_builds"] > after and not s["index_pending"]:
                        return s
                except OSError:
                    pass
                time.sleep(0.005)
            raise SystemExit("serve: no index within 300 s")

        s = indexed(0)
        first = s["index_millis"]
        post = serve.pick_post(root)
        text = post.read_text(encoding="utf-8")
        rows = []
        for i in range(1, edits + 1):
            time.sleep(0.5)
            before = s["index_builds"]
            t0 = time.perf_counter()
            post.write_text(text + f"\n\n第{i}次修改补充的一段文字：石拱桥第{i}号。\n", encoding="utf-8")
            s = indexed(before)
            rows.append({"saved_to_served": (time.perf_counter() - t0) * 1000, "index_ms": s["index_millis"],
                         "page_ms": s["millis"]})
            log(f"search bench: serve edit {i}: {rows[-1]['saved_to_served']:.0f} ms from save to index, "
                f"indexer {s['index_millis']:.0f} ms, pages {s['millis']:.0f} ms")
        return {"first_index_ms": first,
                **{k: statistics.median(r[k] for r in rows) for k in rows[0]},
                "max_saved_to_served": max(r["saved_to_served"] for r in rows)}


def main(argv: list[str]) -> int:
    opts = {"--runs": 3, "--phrases": 400, "--edits": 5}
    ns, no_serve, zhen = [], False, None
    it = iter(argv)
    for a in it:
        if a in opts:
            opts[a] = int(next(it))
        elif a == "--no-serve":
            no_serve = True
        elif a.isdigit():
            ns.append(int(a))
        elif zhen is None:
            zhen = a
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if zhen is None:
        print(__doc__, file=sys.stderr)
        return 2
    lines = [f"# zhen search index: {', '.join(map(str, ns or [10000]))} posts",
             "", f"- load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
                 "(compare the on ÷ off ratios, measured in one run)"]
    for n in ns or [10000]:
        site = site_for(n)
        b = builds(zhen, site, opts["--runs"])
        off, on = b["off"], b["on"]
        lines += ["", f"## {n} posts: builds (median of {opts['--runs']})", "",
                  "| search | wall s | CPU s | peak RSS MB | search stage ms |", "|---|---:|---:|---:|---:|",
                  f"| off | {off['wall']:.2f} | {off['cpu']:.2f} | {off['rss']:.0f} | – |",
                  f"| on | {on['wall']:.2f} | {on['cpu']:.2f} | {on['rss']:.0f} | {on['search_ms']:.0f} |",
                  f"| on ÷ off | {on['wall'] / off['wall']:.2f} | {on['cpu'] / off['cpu']:.2f} | "
                  f"{on['rss'] / off['rss']:.2f} | |",
                  "", f"Index: {b['index']['files']} files, {b['index']['bytes'] / 1e6:.1f} MB."]
        root = site.parent / "out" / "on" / "search-index"
        q = first_queries(root, site, opts["--phrases"])
        lines += ["", f"First query, bytes downloaded uncompressed over {q['queries']} phrases "
                      f"({q['none_found']} found nothing): max {q['max'] / 1024:.0f} KB "
                      f"(“{q['worst']}”, {q['worst_found']} results), 95th percentile {q['p95'] / 1024:.0f} KB, "
                      f"median {q['median'] / 1024:.0f} KB."]
        d = decode_cost(root)
        if d:
            lines += ["", f"Decoding every shard and common-term file in node (search.js's loops): "
                          f"{d['files']} files, {d['bytes'] / 1e6:.1f} MB, {d['postings']} postings in "
                          f"{d['ms']:.0f} ms ({d['bytes'] / 1e3 / max(d['ms'], 1e-3):.0f} KB/ms)."]
        if not no_serve:
            s = serve_updates(zhen, site, opts["--edits"])
            lines += ["", f"zhen serve, one post's body edited ({opts['--edits']} times): from save to the new "
                          f"index served median {s['saved_to_served']:.0f} ms (max {s['max_saved_to_served']:.0f}); "
                          f"the indexer's own time median {s['index_ms']:.0f} ms (first full index "
                          f"{s['first_index_ms']:.0f} ms); the pages' rebuild {s['page_ms']:.0f} ms."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
