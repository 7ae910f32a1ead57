#!/usr/bin/env python3
"""Times `zhen serve` rebuilds after edits, as the server itself reports them.

    python3 bench/serve.py ZHEN SITE [--edits K] [--json]

SITE is copied to a scratch folder (the edits must not touch it), `zhen serve` is started on it,
and after the first build K edits of each kind are made, one at a time:

- body:  a paragraph appended to one post (the front matter is untouched);
- title: the title of one post changed (every list, feed and neighbour showing it changes);
- template: a site template (templates/tag.html, a copy of the theme's) changed.

After each edit the script waits until `/__zhen/status` counts one more build, then records
the rebuild's milliseconds (from the change to the site being served, watcher delay excluded),
its stages and how many outputs it rendered. Prints one line per kind with medians, or JSON.
Standard library only.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent


def status(base: str) -> dict:
    with urllib.request.urlopen(base + "/__zhen/status", timeout=30) as r:
        return json.load(r)


def wait_build(base: str, after: int, timeout: float = 300) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            s = status(base)
            if s["builds"] > after:
                return s
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"serve: no rebuild within {timeout} s")


def pick_post(site: Path) -> Path:
    """A post in the middle of the first category's folder, the same on every run."""
    posts = sorted((site / "content").glob("*/*.md"))
    posts = [p for p in posts if p.name != "_index.md"]
    return posts[len(posts) // 2]


@contextlib.contextmanager
def running(zhen: str, fill: Callable[[Path], None], prefix: str) -> Iterator[tuple[Path, str]]:
    """`zhen serve` on a scratch site that `fill(root)` writes: yields the site folder and the
    server's address, then stops the server and removes the folder."""
    work = Path(tempfile.mkdtemp(prefix=prefix, dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    root = work / "site"
    fill(root)
    log = open(work / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([zhen, "serve", "--root", str(root), "--port", "0"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        base = None
        end = time.monotonic() + 600
        while base is None and time.monotonic() < end:
            if proc.poll() is not None:
                raise SystemExit("serve exited:\n" + (work / "serve.log").read_text())
            m = re.search(r"(http://127\.0\.0\.1:\d+)/", (work / "serve.log").read_text())
            base = m and m.group(1)
            time.sleep(0.05)
        if base is None:
            raise SystemExit("serve: no address")
        yield root, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def measure(zhen: str, site: Path, edits: int) -> dict:
    with running(zhen, lambda root: shutil.copytree(site, root), "zhen-serve-") as (root, base):
        first = wait_build(base, 0)
        post = pick_post(root)
        text = post.read_text(encoding="utf-8")
        templates = root / "templates"
        templates.mkdir(exist_ok=True)
        tag = templates / "tag.html"
        tag_text = (ROOT / "themes/township/templates/tag.html").read_text(encoding="utf-8")

        def body(i: int) -> None:
            post.write_text(text + f"\n\n第{i}次修改补充的一段文字。\n", encoding="utf-8")

        def title(i: int) -> None:
            post.write_text(re.sub(r'^title = "(.*)"$', rf'title = "\1（第{i}次修改）"', text,
                                   count=1, flags=re.M), encoding="utf-8")

        def template(i: int) -> None:
            tag.write_text(tag_text + f"\n{{# 第{i}次修改 #}}\n", encoding="utf-8")

        # The new templates/ folder and the template itself, before timing.
        builds = first["builds"]
        template(0)
        builds = wait_build(base, builds)["builds"]
        out = {"first_ms": first["millis"], "outputs": first["outputs"], "kinds": {}}
        for name, edit in (("body", body), ("title", title), ("template", template)):
            rows = []
            for i in range(1, edits + 1):
                time.sleep(0.3)
                edit(i)
                s = wait_build(base, builds)
                builds = s["builds"]
                if s.get("error"):
                    raise SystemExit(f"serve: rebuild failed:\n{s['error']}")
                rows.append(s)
            out["kinds"][name] = {
                "ms": statistics.median(r["millis"] for r in rows),
                "outputs_rendered": statistics.median(r["outputs_rendered"] for r in rows),
                "stages": {k: statistics.median(dict(r["stages"])[k] for r in rows)
                           for k, _ in rows[0]["stages"]},
            }
        return out


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    edits = 5
    if "--edits" in argv:
        edits = int(argv[argv.index("--edits") + 1])
        args.remove(str(edits))
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    r = measure(args[0], Path(args[1]), edits)
    if "--json" in argv:
        print(json.dumps(r, ensure_ascii=False))
        return 0
    print(f"first build {r['first_ms']:.0f} ms, {r['outputs']} outputs")
    for name, k in r["kinds"].items():
        stages = ", ".join(f"{s} {v:.1f}" for s, v in k["stages"].items())
        print(f"{name:8} {k['ms']:8.1f} ms  {k['outputs_rendered']:.0f} rendered  ({stages})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
