"""The Hugo side of the benchmark: hugo.toml and layouts mirroring zhen's default theme.

Written by bench/gen.py --hugo. Hugo >= 0.146 layout names (baseof.html, home.html, page.html,
section.html, taxonomy.html, term.html, _partials/). What maps to what:

  zhen                                   Hugo
  /<category>/ (+ page/N, rss, atom)     section content/<category>/ (+ rss, atom outputs)
  /tags/, /tags/<tag>/ (+ page/N)        taxonomy "tags"
  /columns/, /columns/<key>/ (+ feeds)   taxonomy "columns" (term _index.md sets rss + atom)
  /archive/, /archive/YYYY/, .../MM/     taxonomy "archive", terms "YYYY" and "YYYY-MM"
  / (+ page/N, rss.xml, atom.xml)        home (+ rss, atom outputs)
  /sitemap/ (网站地图 page)                section content/sitemap/ with layout "sitemappage", html only
  sitemap.xml, robots.txt, 404.html      the same, built in
"""

from pathlib import Path


def config(title: str, base_url: str, categories, sections) -> str:
    cats = "".join(f'[[params.categories]]\nkey = "{k}"\nname = "{n}"\n' for k, n, _d in categories)
    perma = "".join(f'{s} = "/:section/:year/:month/:slug/"\n' for s in sections)
    return f'''baseURL = "{base_url}/"
title = "{title}"
locale = "zh-CN"
defaultContentLanguage = "zh"
hasCJKLanguage = true
timeZone = "Asia/Shanghai"
enableRobotsTXT = true
disableKinds = []
summaryLength = 120

[pagination]
pagerSize = 10
disableAliases = true

[permalinks.page]
{perma}
[taxonomies]
tag = "tags"
column = "columns"
archive = "archive"

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.rss]
baseName = "rss"

[outputFormats.atom]
mediaType = "application/atom+xml"
baseName = "atom"
rel = "alternate"

[outputs]
home = ["html", "rss", "atom"]
section = ["html", "rss", "atom"]
taxonomy = ["html"]
term = ["html"]
page = ["html"]

[services.rss]
limit = 20

[markup.highlight]
noClasses = false

[params]
description = "{title}：理论武装、精神文明、志愿服务、乡村旅游"
{cats}'''


def style_css() -> str:
    """zhen's default theme stylesheet when the repository has it, so both sites copy the same file."""
    css = Path(__file__).resolve().parent.parent / "themes" / "township" / "static" / "css" / "style.css"
    try:
        return css.read_text(encoding="utf-8")
    except OSError:
        return "body{font-family:sans-serif;max-width:60rem;margin:auto}\n"


SYNTAX_CSS = """.chroma{background-color:#fff}.chroma .k{color:#a71d5d}.chroma .s,.chroma .s2{color:#183691}
.chroma .c,.chroma .c1{color:#969896;font-style:italic}.chroma .nf{color:#795da3}.chroma .m,.chroma .mi{color:#0086b3}
"""

BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta name="SiteName" content="{{ site.Title }}">
<meta name="description" content="{{ if .IsPage }}{{ .Summary | plainify | truncate 120 }}{{ else }}{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}{{ end }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:locale" content="zh_CN">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<link rel="alternate" type="application/atom+xml" title="{{ site.Title }}" href="{{ "atom.xml" | absURL }}">
{{- if .IsPage }}
<meta name="ColumnName" content="{{ .CurrentSection.Title }}">
<meta name="ArticleTitle" content="{{ .Title }}">
<meta name="PubDate" content="{{ .Date.Format "2006-01-02 15:04" }}">
<meta name="ContentSource" content="{{ .Params.source }}">
<meta name="Keywords" content="{{ delimit (.Params.tags | default slice) "," }}">
<meta property="article:published_time" content="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
{{- end }}
<link rel="stylesheet" href="/css/style.css">
<link rel="stylesheet" href="/syntax.css">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="/">{{ site.Title }}</a>
    <nav aria-label="主导航">
      <ul class="nav">
        <li><a href="/"{{ if .IsHome }} aria-current="page"{{ end }}>首页</a></li>
        {{- $path := .RelPermalink }}
        {{- range site.Params.categories }}
        {{- $p := printf "/%s/" .key }}
        <li><a href="{{ $p }}"{{ if hasPrefix $path $p }} aria-current="page"{{ end }}>{{ .name }}</a></li>
        {{- end }}
        <li><a href="/columns/"{{ if hasPrefix $path "/columns/" }} aria-current="page"{{ end }}>专题</a></li>
        <li><a href="/archive/"{{ if hasPrefix $path "/archive/" }} aria-current="page"{{ end }}>归档</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>主办单位：{{ site.Title }}</p>
    <p><a href="/sitemap.xml">网站地图</a>　<a href="/atom.xml">订阅</a></p>
  </div>
</footer>
</body>
</html>
"""

POST_LIST = """<ul class="post-list">
{{- range . }}
  <li class="post-item">
    <div>
      <h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
      <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time> · <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
      <p class="summary">{{ .Summary | plainify | truncate 120 }}</p>
    </div>
  </li>
{{- else }}
  <li class="empty">暂无文章。</li>
{{- end }}
</ul>
"""

# Every pager is listed, as zhen's partials/pagination.html does.
PAGINATION = """{{- $p := . }}
{{- if gt $p.TotalPages 1 }}
<nav class="pagination" aria-label="分页">
  {{- with $p.Prev }}<a rel="prev" href="{{ .URL }}">上一页</a>{{ end }}
  {{- range $p.Pagers }}
  {{ if eq .PageNumber $p.PageNumber }}<span aria-current="page">{{ .PageNumber }}</span>{{ else }}<a href="{{ .URL }}">{{ .PageNumber }}</a>{{ end }}
  {{- end }}
  {{- with $p.Next }}<a rel="next" href="{{ .URL }}">下一页</a>{{ end }}
</nav>
{{- end }}
"""

HOME = """{{ define "main" }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
{{- $pag := .Paginate site.RegularPages }}
{{- if eq $pag.PageNumber 1 }}
<div class="category-grid">
{{- range site.Params.categories }}
  {{- $s := site.GetPage .key }}
  <section class="category-box">
    <h2><a href="{{ $s.RelPermalink }}">{{ .name }}</a></h2>
    <ul>
    {{- range first 5 $s.Pages }}
      <li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time></li>
    {{- else }}
      <li>暂无文章。</li>
    {{- end }}
    </ul>
  </section>
{{- end }}
</div>
{{- end }}
<section>
  <h2>最新文章</h2>
  {{ partial "post_list.html" $pag.Pages }}
  {{ partial "pagination.html" $pag }}
</section>
{{ end }}
"""

PAGE = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<article class="article">
  <nav class="breadcrumbs" aria-label="当前位置"><a href="/">首页</a> › <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></nav>
  <h1>{{ .Title }}</h1>
  <p class="meta">
    <span>发布时间：<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006年1月2日 15:04" }}</time></span>
    {{ with .Params.source }}<span>来源：{{ . }}</span>{{ end }}
    <span>全文约 {{ .WordCount }} 字，阅读约 {{ .ReadingTime }} 分钟</span>
  </p>
  {{- if gt (len .Fragments.Identifiers) 2 }}
  <nav class="toc" aria-label="目录">{{ .TableOfContents }}</nav>
  {{- end }}
  <div class="prose">{{ .Content }}</div>
  {{- with .GetTerms "tags" }}
  <p class="tags">标签：{{ range $i, $t := . }}{{ if $i }}、{{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>
  {{- end }}
  {{- if or .PrevInSection .NextInSection }}
  <nav class="prev-next" aria-label="上一篇和下一篇">
    {{ with .PrevInSection }}<p>上一篇：<a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
    {{ with .NextInSection }}<p>下一篇：<a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
  </nav>
  {{- end }}
</article>
{{ end }}
"""

SECTION = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ partial "post_list.html" .Paginator.Pages }}
{{ partial "pagination.html" .Paginator }}
{{ end }}
"""

TAXONOMY = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{- if eq .Data.Plural "tags" }}
<h1>全部标签</h1>
<ul class="tag-cloud">
{{- range .Data.Terms.ByCount }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="count">（{{ .Count }}）</span></li>
{{- end }}
</ul>
{{- else if eq .Data.Plural "columns" }}
<h1>专题专栏</h1>
<ul class="column-cards">
{{- range .Data.Terms.Alphabetical }}
  <li class="column-card">
    <h2><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h2>
    <p>{{ .Page.Description }}</p>
    <p class="meta">共 {{ .Count }} 篇</p>
  </li>
{{- end }}
</ul>
{{- else }}
<h1>文章归档</h1>
{{- $terms := .Data.Terms.Alphabetical.Reverse }}
{{- range $terms }}{{ if eq (len .Name) 4 }}
{{- $y := .Name }}
<section class="archive-year">
  <h2><a href="{{ .Page.RelPermalink }}">{{ $y }}年</a> <span class="count">（{{ .Count }} 篇）</span></h2>
  <ul class="archive-months">
  {{- range $terms }}{{ if and (ne (len .Name) 4) (hasPrefix .Name $y) }}<li><a href="{{ .Page.RelPermalink }}">{{ .Name }}</a> <span class="count">（{{ .Count }}）</span></li>{{ end }}{{ end }}
  </ul>
</section>
{{- end }}{{ end }}
{{- end }}
{{ end }}
"""

TERM = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{- $plural := .Data.Plural }}
{{- if eq $plural "tags" }}
<h1>标签：{{ .Title }}</h1>
<p class="lead">共 {{ len .Pages }} 篇文章</p>
{{- else if eq $plural "columns" }}
<nav class="breadcrumbs" aria-label="当前位置"><a href="/">首页</a> › <a href="/columns/">专题</a></nav>
<h1>{{ .Title }}</h1>
<div class="prose">{{ .Content }}</div>
{{- else }}
<h1>{{ .Title }}文章</h1>
<p class="lead">共 {{ len .Pages }} 篇 · <a href="/archive/">全部归档</a></p>
{{- end }}
{{ partial "post_list.html" .Paginator.Pages }}
{{ partial "pagination.html" .Paginator }}
{{ end }}
"""

NOT_FOUND = """{{ define "title" }}页面不存在 - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>页面不存在</h1>
<p>您访问的页面不存在或已被移动。您可以返回<a href="/">首页</a>。</p>
{{ end }}
"""

ROBOTS = """User-agent: *
Allow: /

Sitemap: {{ "sitemap.xml" | absURL }}
"""

# Feeds carry the 20 newest posts with full content, like zhen's defaults
# (feed_limit = 20, feed_full_content = true).
RSS = """{{- $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end -}}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }}{{ end }}</title>
    <link>{{ .Permalink }}</link>
    <description>{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}</description>
    <language>zh-CN</language>
    <generator>Hugo</generator>
    {{- with .OutputFormats.Get "rss" }}
    <atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>
    {{- end }}
    {{- range first site.Config.Services.RSS.Limit $pages }}
    <item>
      <title>{{ .Title }}</title>
      <link>{{ .Permalink }}</link>
      <guid isPermaLink="true">{{ .Permalink }}</guid>
      <pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
      <category>{{ .CurrentSection.Title }}</category>
      <description>{{ .Content | transform.XMLEscape | safeHTML }}</description>
    </item>
    {{- end }}
  </channel>
</rss>
"""

ATOM = """{{- $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end -}}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }}{{ end }}</title>
  <subtitle>{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}</subtitle>
  {{- with .OutputFormats.Get "atom" }}
  <link rel="self" type="application/atom+xml" href="{{ .Permalink }}"/>
  <id>{{ .Permalink }}</id>
  {{- end }}
  <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
  <updated>{{ with first 1 $pages }}{{ (index . 0).Date.Format "2006-01-02T15:04:05-07:00" }}{{ else }}1970-01-01T00:00:00Z{{ end }}</updated>
  <generator>Hugo</generator>
  {{- range first site.Config.Services.RSS.Limit $pages }}
  <entry>
    <title>{{ .Title }}</title>
    <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
    <id>{{ .Permalink }}</id>
    <published>{{ .Date.Format "2006-01-02T15:04:05-07:00" }}</published>
    <updated>{{ .Lastmod.Format "2006-01-02T15:04:05-07:00" }}</updated>
    <author><name>{{ with .Params.source }}{{ . }}{{ else }}{{ site.Title }}{{ end }}</name></author>
    <category term="{{ .Section }}" label="{{ .CurrentSection.Title }}"/>
    {{- range .Params.tags }}<category term="{{ . }}"/>{{ end }}
    <summary>{{ .Summary | plainify | truncate 120 }}</summary>
    <content type="html">{{ .Content | transform.XMLEscape | safeHTML }}</content>
  </entry>
  {{- end }}
</feed>
"""

# zhen's /sitemap/ (网站地图) page: content/sitemap/_index.md with layout = "sitemappage".
SITEMAP_PAGE = """{{ define "title" }}网站地图 - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>网站地图</h1>
<section>
  <h2>栏目</h2>
  <ul>
    <li><a href="/">首页</a></li>
    {{- range site.Params.categories }}{{ $s := site.GetPage .key }}<li><a href="{{ $s.RelPermalink }}">{{ .name }}</a>（{{ len $s.Pages }} 篇）</li>{{ end }}
    <li><a href="/tags/">全部标签</a>（{{ len site.Taxonomies.tags }} 个）</li>
  </ul>
</section>
<section>
  <h2>专题专栏</h2>
  <ul>
    {{- range $k, $v := site.Taxonomies.columns }}<li><a href="{{ $v.Page.RelPermalink }}">{{ $v.Page.Title }}</a></li>{{ end }}
  </ul>
</section>
<section>
  <h2>文章归档</h2>
  <ul>
    {{- range $k, $v := site.Taxonomies.archive }}{{ if eq (len $k) 4 }}<li><a href="{{ $v.Page.RelPermalink }}">{{ $k }}年</a>（{{ $v.Count }} 篇）</li>{{ end }}{{ end }}
  </ul>
</section>
{{ end }}
"""

LAYOUTS = {
    "sitemappage.html": SITEMAP_PAGE,
    "baseof.html": BASEOF,
    "home.html": HOME,
    "page.html": PAGE,
    "section.html": SECTION,
    "taxonomy.html": TAXONOMY,
    "term.html": TERM,
    "404.html": NOT_FOUND,
    "robots.txt": ROBOTS,
    "list.rss.xml": RSS,
    "list.atom.xml": ATOM,
    "_partials/post_list.html": POST_LIST,
    "_partials/pagination.html": PAGINATION,
}
