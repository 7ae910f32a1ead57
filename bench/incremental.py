#!/usr/bin/env python3
"""Times incremental `zhen build` runs, which reuse `.zhen-cache/build/` from the build before.

    python3 bench/incremental.py ZHEN SITE [--runs K] [--json]

SITE is copied to a scratch folder (the edits must not touch it) and built once in full with
`--fresh` (timed: a build without cache), then once without it (not timed; `--fresh` does not
write the cache, this build saves it). Then, K times each, timed from start to exit:

- noop:  `zhen build` again with nothing changed;
- body:  a paragraph appended to one post, then `zhen build`;
- title: the title of one post changed, then `zhen build`.

Each build runs with `--timings`; the stage times of the last build of each kind are kept.
Prints one line per kind with the median wall time, or JSON. Standard library only.
"""
from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGE_RE = re.compile(r"^.*?\s([\d.]+)\s*ms\s+(\w+)\s*$")


def build(zhen: str, site: Path, *args: str) -> tuple[float, dict, str]:
    start = time.perf_counter()
    p = subprocess.run([zhen, "build", "--timings", *args], cwd=site,
                       capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if p.returncode != 0:
        sys.exit(f"incremental: zhen build failed:\n{p.stderr}")
    stages = {m.group(2): float(m.group(1))
              for m in map(STAGE_RE.match, p.stderr.splitlines()) if m}
    line = next((l for l in p.stderr.splitlines() if l.startswith("缓存：")), "")
    return wall, stages, line


def posts(site: Path) -> list[Path]:
    found = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    if not found:
        sys.exit(f"incremental: no posts in {site}/content")
    return found


def measure(zhen: str, site: str, runs: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="zhen-incr-"))
    work = scratch / "site"
    try:
        shutil.copytree(site, work, ignore=shutil.ignore_patterns("public", ".zhen-cache", ".public.*"))
        full, full_stages, _ = build(zhen, work, "--fresh")
        build(zhen, work)
        kinds: dict[str, dict] = {}
        candidates = posts(work)
        for kind in ["noop", "body", "title"]:
            walls, stages, line = [], {}, ""
            for i in range(runs):
                post = candidates[(i * 7919) % len(candidates)]
                text = post.read_text(encoding="utf-8")
                if kind == "body":
                    post.write_text(text + f"\n\n第{i}次补充的一段文字。\n", encoding="utf-8")
                elif kind == "title":
                    post.write_text(re.sub(r'^title = ".*"$', f'title = "第{i}次改的标题"', text,
                                           count=1, flags=re.M), encoding="utf-8")
                wall, stages, line = build(zhen, work)
                walls.append(wall)
            kinds[kind] = {"median_ms": statistics.median(walls), "runs": len(walls),
                           "stages": stages, "reused": line}
        return {"full_ms": full, "full_stages": full_stages, "kinds": kinds,
                "cache_bytes": sum(f.stat().st_size for f in (work / ".zhen-cache/build").iterdir())}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(results: list[dict]) -> list[str]:
    """Markdown lines for bench/run: one row per N."""
    L = ["", "## Incremental zhen build (median ms, from start to exit)", "",
         "A full build saves `.zhen-cache/build/`; the next builds reuse it. "
         "Checks on, search as configured.", "",
         "| N | full (--fresh) | no-op | one post's text | one post's title | cache |",
         "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        i = r["incremental"]
        k = i["kinds"]
        L.append(f"| {r['n']} | {i['full_ms']:.0f} | {k['noop']['median_ms']:.0f} | "
                 f"{k['body']['median_ms']:.0f} | {k['title']['median_ms']:.0f} | "
                 f"{i['cache_bytes'] / 1e6:.1f} MB |")
    return L


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    result = measure(argv[0], argv[1], runs)
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    full_stages = ", ".join(f"{s} {t:.0f}" for s, t in result["full_stages"].items())
    print(f"full build {result['full_ms']:.0f} ms ({full_stages}), "
          f"cache {result['cache_bytes'] / 1e6:.1f} MB")
    for kind, k in result["kinds"].items():
        stages = ", ".join(f"{s} {t:.0f}" for s, t in k["stages"].items())
        print(f"{kind:6} {k['median_ms']:7.0f} ms  ({stages}) {k['reused']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
