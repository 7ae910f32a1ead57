#!/usr/bin/env python3
"""Generate a deterministic zhen benchmark site (and optionally the equivalent Hugo site).

    python3 bench/gen.py N OUT_DIR [--hugo HUGO_DIR] [--plain ZHEN_PLAIN HUGO_PLAIN] [--seed S]
                       [--hugo-links ref|url]

The zhen site is OUT_DIR/site.toml + OUT_DIR/content/. N posts spread over 2020-2024 in the
four categories (theory, civility, volunteer, tourism), ~40 tags, five feature columns, bodies of
1-6 KB of township-news Chinese with ## headings, lists, bold, quotes, links to 1-3 earlier posts
(a third of the posts write them as `@/` paths, a third as plain root-relative URLs
`/tourism/2021/03/x/`, a third as paths relative to the Markdown file `../tourism/2021-03-04-x.md`:
`LINK_STYLES`), a picture from static/images/ by its root-relative URL in every fourth post, a
GFM table in ~1/8 of the posts and a fenced code block in ~1/10.

With --hugo, HUGO_DIR gets the same posts as a Hugo project (hugo.toml, content/, layouts/,
static/) whose templates mirror zhen's default theme. With --plain, two more sites share those
contents: ZHEN_PLAIN with the minimal templates of bench/plain/templates/ and HUGO_PLAIN with
the same minimal pages as Hugo layouts (hugo_layouts.PLAIN_LAYOUTS). Standard library only; the
same N and seed always give byte-identical output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, str(Path(__file__).resolve().parent))
import vocab as V  # noqa: E402
import hugo_layouts  # noqa: E402

CATEGORIES = [
    ("theory", "理论武装", "党委理论学习中心组学习、“第一议题”、理论宣讲与研讨"),
    ("civility", "精神文明", "文明村镇创建、移风易俗、道德模范与身边好人"),
    ("volunteer", "志愿服务", "新时代文明实践所（站）与各类志愿服务项目"),
    ("tourism", "乡村旅游", "赏花季、农家乐与民宿、文旅融合"),
]
CAT_WEIGHTS = [3, 3, 3, 4]
SITE_TITLE = "基准测试镇"
BASE_URL = "https://bench.example"
START = dt.datetime(2020, 1, 1, 0, 0)
END = dt.datetime(2024, 12, 31, 23, 59)
SLOT = re.compile(r"\{(village|unit|n|m|d|pct|person|place|spot|topic)(:[^}]*)?\}")


def q(s: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(s, ensure_ascii=False)


class Post:
    __slots__ = ("idx", "date", "cat", "slug", "title", "tags", "column", "source", "body")

    @property
    def rel(self) -> str:
        return f"{self.cat}/{self.date:%Y-%m-%d}-{self.slug}.md"

    @property
    def url(self) -> str:
        return f"/{self.cat}/{self.date:%Y}/{self.date:%m}/{self.slug}/"


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    # -- text ---------------------------------------------------------------------------
    def fill(self, text: str, cat: str) -> str:
        r = self.rng

        def sub(m: re.Match) -> str:
            name, spec = m.group(1), m.group(2) or ""
            if name == "village":
                return r.choice(V.VILLAGES)
            if name == "unit":
                return r.choice(V.UNITS)
            if name == "person":
                return r.choice(V.PEOPLE)
            if name == "place":
                return r.choice(V.PLACES)
            if name == "spot":
                return r.choice(V.SPOTS)
            if name == "topic":
                return r.choice(V.TOPICS[cat])
            if name == "n":
                return str(r.choice([3, 5, 8, 12, 20, 36, 50, 80, 120, 200, 350, 1200]))
            if name == "pct":
                return str(r.randint(60, 99))
            if name == "m":
                return format(r.randint(1, 12), spec[1:]) if spec else str(r.randint(1, 12))
            if name == "d":
                return format(r.randint(1, 28), spec[1:]) if spec else str(r.randint(1, 28))
            return m.group(0)

        return SLOT.sub(sub, text)

    def sentence(self, cat: str, bold: bool = False) -> str:
        r = self.rng
        frags = r.sample(V.FRAGMENTS[cat], r.choice([1, 2, 2, 3]))
        if bold:
            i = r.randrange(len(frags))
            frags[i] = f"**{frags[i]}**" if r.random() < 0.6 else frags[i] + f"，**{r.choice(V.BOLD)}**"
        return self.fill(r.choice(V.OPENERS) + "，".join(frags) + "。", cat)

    def paragraph(self, cat: str) -> str:
        r = self.rng
        n = r.randint(2, 5)
        bold_at = r.randrange(n) if r.random() < 0.45 else -1
        return "".join(self.sentence(cat, i == bold_at) for i in range(n))

    def bullet_list(self, cat: str) -> str:
        r = self.rng
        items = r.sample(V.LIST_ITEMS[cat], r.randint(3, 6))
        if r.random() < 0.3:
            return "\n".join(f"{i + 1}. {self.fill(t, cat)}；" for i, t in enumerate(items))
        return "\n".join(f"- {self.fill(t, cat)}" for t in items)

    def table(self, cat: str) -> str:
        head, row = V.TABLE_SPECS[cat]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * (len(head) - 1) + "---:|"]
        for _ in range(self.rng.randint(3, 8)):
            lines.append("| " + " | ".join(self.fill(c, cat) for c in row) + " |")
        return "\n".join(lines)

    def code(self, cat: str) -> str:
        if self.rng.random() < 0.5:
            return "积分换算规则可以用下面几行代码说明：\n\n```python\n" + self.fill(V.CODE_PY, cat) + "```"
        return "活动数据以 JSON 格式向市平台报送，示例如下：\n\n```json\n" + self.fill(V.CODE_JSON, cat) + "```"

    def body(self, cat: str, links: list[Post], table: bool, code: bool) -> str:
        r = self.rng
        target = r.randint(1000, 5600)
        blocks: list[str] = [self.paragraph(cat)]
        kinds: list[str] = ["p"]
        size = len(blocks[0].encode())
        headings = r.sample(V.HEADINGS[cat], len(V.HEADINGS[cat]))
        extras: list[str] = []
        if table:
            extras.append(self.table(cat))
        if code:
            extras.append(self.code(cat))
        size += sum(len(e.encode()) for e in extras)
        h = 0
        since_heading = 0
        while size < target:
            roll = r.random()
            if since_heading >= 2 and h < len(headings) and roll < 0.45:
                b, k = "## " + headings[h], "h"
                h += 1
                since_heading = -1
            elif roll < 0.6 and kinds[-1] != "l":
                b, k = self.bullet_list(cat), "l"
            elif roll < 0.66 and kinds[-1] != "q":
                b, k = "> " + r.choice(V.QUOTES), "q"
            else:
                b, k = self.paragraph(cat), "p"
            since_heading += 1
            blocks.append(b)
            kinds.append(k)
            size += len(b.encode()) + 2
        if kinds[-1] == "h":
            blocks.append(self.paragraph(cat))
            kinds.append("p")
        # Links: each to an earlier post, inside a paragraph or as 相关阅读 at the end.
        paras = [i for i, k in enumerate(kinds) if k == "p"]
        related = []
        for p in links:
            if r.random() < 0.6:
                i = r.choice(paras)
                blocks[i] += f"（相关报道：[{p.title}](@/{p.rel})）"
            else:
                related.append(f"- [{p.title}](@/{p.rel})")
        # Tables and code go after the lead paragraph.
        for e in extras:
            blocks.insert(r.randint(1, len(blocks)), e)
        if related:
            blocks.append("## 相关阅读")
            blocks.append("\n".join(related))
        return "\n\n".join(blocks) + "\n"

    # -- posts --------------------------------------------------------------------------
    def posts(self, n: int) -> list[Post]:
        r = self.rng
        span = int((END - START).total_seconds() // 60)
        dates = sorted(START + dt.timedelta(minutes=r.randrange(span)) for _ in range(n))
        columns_by_cat: dict[str, list[str]] = {}
        for key, _t, _d, cat in V.COLUMNS:
            columns_by_cat.setdefault(cat, []).append(key)
        cat_keys = [c[0] for c in CATEGORIES]
        out: list[Post] = []
        for i, date in enumerate(dates):
            p = Post()
            p.idx = i
            p.date = date
            p.cat = r.choices(cat_keys, CAT_WEIGHTS)[0]
            p.slug = f"{r.choice(V.SLUG_WORDS[p.cat])}-{r.choice(V.SLUG_WORDS[p.cat])}-{i + 1:05d}"
            p.title = self.fill(r.choice(V.TITLES[p.cat]), p.cat)
            tags = r.sample(V.TAGS[p.cat], r.randint(1, 3))
            if len(tags) < 3 and r.random() < 0.2:
                other = r.choice([c for c in cat_keys if c != p.cat])
                t = r.choice(V.TAGS[other])
                if t not in tags:
                    tags.append(t)
            p.tags = tags
            cols = columns_by_cat.get(p.cat, [])
            p.column = r.choice(cols) if cols and r.random() < 0.2 else None
            p.source = r.choice(V.SOURCES)
            k = min(i, r.randint(1, 3))
            links = [out[j] for j in sorted(r.sample(range(i), k))] if k else []
            p.body = self.body(p.cat, links, table=r.random() < 1 / 8, code=r.random() < 1 / 10)
            out.append(p)
        return out


# -- writers ------------------------------------------------------------------------------
def clean_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


LINK = re.compile(r"\]\(@/([^)]+\.md)\)")
# How post i writes its links to other posts in the zhen site: LINK_STYLES[i % 3]. Real sites
# mix them (imports keep root-relative URLs; editors copy a page's address; GitHub-style
# relative paths), and each is a different path through zhen's Markdown stage and its checks.
LINK_STYLES = ("at", "url", "rel")


PHOTOS = 20


def photo_svg(i: int) -> str:
    """A small picture for static/images/ (SVG: its size is read, nothing is converted)."""
    hue = i * 360 // PHOTOS
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450">'
            f'<rect width="800" height="450" fill="hsl({hue},40%,70%)"/>'
            f'<circle cx="{200 + 20 * i}" cy="200" r="90" fill="hsl({hue},50%,45%)"/></svg>\n')


def with_photo(p: Post, body: str) -> str:
    """Every fourth post shows a site picture by its root-relative URL after its lead
    paragraph, as imported sites do (`/images/photo-07.svg` in static/)."""
    if p.idx % 4:
        return body
    lead, sep, rest = body.partition("\n\n")
    return f"{lead}\n\n![活动现场照片](/images/photo-{p.idx % PHOTOS:02d}.svg){sep}{rest}"


def write_photos(site: Path) -> None:
    for i in range(PHOTOS):
        write(site / "static" / "images" / f"photo-{i:02d}.svg", photo_svg(i))


def zhen_links(p: Post, by_rel: dict[str, Post]) -> str:
    """p's body with its links in p's style (bodies are generated with `@/` links)."""
    style = LINK_STYLES[p.idx % len(LINK_STYLES)]

    def conv(m: re.Match) -> str:
        rel = m.group(1)
        if style == "url":
            return f"]({by_rel[rel].url})"
        if style == "rel":
            same_dir = rel.split("/")[0] == p.cat
            return f"]({rel.split('/', 1)[1] if same_dir else '../' + rel})"
        return m.group(0)

    return with_photo(p, LINK.sub(conv, p.body))


def write_zhen(out: Path, posts: list[Post]) -> None:
    clean_dir(out)
    by_rel = {p.rel: p for p in posts}
    cats = "".join(f'\n[[categories]]\nkey = "{k}"\nname = "{n}"\ndescription = {q(d)}\n'
                   for k, n, d in CATEGORIES)
    write(out / "site.toml",
          f'title = "{SITE_TITLE}"\nbase_url = "{BASE_URL}"\npaginate_by = 10\n'
          f'permalink = "/{{category}}/{{year}}/{{month}}/{{slug}}/"\n'
          # Hugo builds no search index; compare like with like (bench/README.md).
          f'[search]\nenabled = false\n{cats}')
    for key, title, desc, _cat in V.COLUMNS:
        write(out / "content" / "columns" / key / "_index.md",
              f"+++\ntitle = {q(title)}\ndescription = {q(desc)}\n+++\n\n{desc}\n")
    for p in posts:
        fm = [f"title = {q(p.title)}", f"date = {p.date:%Y-%m-%dT%H:%M:00}", f'category = "{p.cat}"',
              "tags = [" + ", ".join(q(t) for t in p.tags) + "]"]
        if p.column:
            fm.append(f'column = "{p.column}"')
        fm.append(f"source = {q(p.source)}")
        write(out / "content" / p.rel, "+++\n" + "\n".join(fm) + "\n+++\n\n" + zhen_links(p, by_rel))
    write_photos(out)



def write_hugo(out: Path, posts: list[Post], links: str) -> None:
    clean_dir(out)
    by_rel = {p.rel: p for p in posts}
    write(out / "hugo.toml", hugo_layouts.config(SITE_TITLE, BASE_URL, CATEGORIES,
                                                   [c[0] for c in CATEGORIES]))
    for rel, text in hugo_layouts.LAYOUTS.items():
        write(out / "layouts" / rel, text)
    write(out / "static" / "css" / "style.css", hugo_layouts.style_css())
    write(out / "static" / "syntax.css", hugo_layouts.SYNTAX_CSS)
    for key, name, desc in CATEGORIES:
        write(out / "content" / key / "_index.md", f"+++\ntitle = {q(name)}\ndescription = {q(desc)}\n+++\n")
    write(out / "content" / "sitemap" / "_index.md",
          '+++\ntitle = "网站地图"\nlayout = "sitemappage"\noutputs = ["html"]\n+++\n')
    for key, title, desc, _cat in V.COLUMNS:
        write(out / "content" / "columns" / key / "_index.md",
              f"+++\ntitle = {q(title)}\ndescription = {q(desc)}\n"
              f'outputs = ["html", "rss", "atom"]\n+++\n\n{desc}\n')

    def conv(m: re.Match) -> str:
        rel = m.group(1)
        if links == "ref":
            return f']({{{{< ref "/{rel}" >}}}})'
        return f"]({by_rel[rel].url})"

    for p in posts:
        fm = [f"title = {q(p.title)}", f"date = {p.date:%Y-%m-%dT%H:%M:00}", f'slug = "{p.slug}"',
              "tags = [" + ", ".join(q(t) for t in p.tags) + "]"]
        if p.column:
            fm.append(f'columns = ["{p.column}"]')
        fm.append(f'archive = ["{p.date:%Y}", "{p.date:%Y-%m}"]')
        fm.append(f"[params]\nsource = {q(p.source)}")
        write(out / "content" / p.rel, "+++\n" + "\n".join(fm) + "\n+++\n\n" + with_photo(p, LINK.sub(conv, p.body)))
    write_photos(out)


def write_plain(zsite: Path, hsite: Path, zplain: Path, hplain: Path) -> None:
    """The plain comparison: the same content (a link to the zhen site's content/, Hugo's
    contentDir pointing at the Hugo site's) rendered by minimal templates in both tools."""
    clean_dir(zplain)
    shutil.copy(zsite / "site.toml", zplain / "site.toml")
    (zplain / "content").symlink_to((zsite / "content").resolve(), target_is_directory=True)
    shutil.copytree(Path(__file__).resolve().parent / "plain" / "templates", zplain / "templates")
    write_photos(zplain)
    clean_dir(hplain)
    toml = (hsite / "hugo.toml").read_text(encoding="utf-8")
    write(hplain / "hugo.toml", f"contentDir = {q(str((hsite / 'content').resolve()))}\n" + toml)
    for rel, text in hugo_layouts.PLAIN_LAYOUTS.items():
        write(hplain / "layouts" / rel, text)
    write(hplain / "static" / "css" / "style.css", hugo_layouts.style_css())
    write_photos(hplain)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of posts")
    ap.add_argument("out", type=Path, help="zhen site folder to (re)create")
    ap.add_argument("--hugo", type=Path, help="also write the equivalent Hugo site here")
    ap.add_argument("--plain", nargs=2, type=Path, metavar=("ZHEN_PLAIN", "HUGO_PLAIN"),
                    help="also write the plain-template sites (needs --hugo)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--hugo-links", choices=["ref", "url"], default="url",
                    help="how @/ links become Hugo links: ref shortcode or plain root-relative URL")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be at least 1")
    posts = Gen(a.seed).posts(a.n)
    write_zhen(a.out, posts)
    if a.plain and not a.hugo:
        ap.error("--plain needs --hugo")
    if a.hugo:
        write_hugo(a.hugo, posts, a.hugo_links)
    if a.plain:
        write_plain(a.out, a.hugo, *a.plain)
    total = sum(len(p.body.encode()) for p in posts)
    print(f"gen: {a.n} posts, {total / 1024 / 1024:.1f} MiB of Markdown -> {a.out}"
          + (f" and {a.hugo}" if a.hugo else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
