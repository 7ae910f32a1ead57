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

# -- the township layouts (bench/run's first comparison) ---------------------------------
# What an experienced Hugo user writes for zhen's township theme, after
# `hugo --templateMetrics --templateMetricsHints`: everything that does not vary per page is a
# `partialCached` keyed by what does vary (the header and navigation by the current section,
# the footer once, a list page's side column by its section, the home page's category boxes
# and column strip once), lists use Hugo's own paginator with a window of page numbers (as
# zhen's pagination partial has), and the home page is one page, as zhen's is.

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
<script>try{if(localStorage.getItem("zhen-care")==="1")document.documentElement.classList.add("care")}catch(e){}</script>
<link rel="stylesheet" href="/css/style.css">
<link rel="stylesheet" href="/syntax.css">
</head>
<body class="{{ block "body_class" . }}{{ end }}">
<a class="skip-link" href="#main">跳到正文</a>
<input type="checkbox" id="care" class="care-input">
{{- /* The header varies only by which navigation item is current. */}}
{{ partialCached "header.html" . (.Section | default "home") }}
<main id="main" class="wrap site-main">
{{ block "main" . }}{{ end }}
</main>
{{ partialCached "footer.html" . }}
</body>
</html>
"""

HEADER = """{{- $key := .Section | default "home" }}
<header class="site-header">
  <div class="topbar">
    <div class="wrap topbar-inner">
      <p class="topbar-welcome">欢迎访问{{ site.Title }}</p>
      <div class="topbar-tools">
        <label class="care-toggle" for="care"><span class="care-track" aria-hidden="true"><span class="care-knob"></span></span>关怀模式</label>
        <a class="topbar-link" href="/sitemap/">网站地图</a>
      </div>
    </div>
  </div>
  <div class="brand-band">
    <div class="wrap brand-inner">
      <a class="site-brand" href="/"><span class="site-name">{{ site.Title }}</span></a>
      <p class="site-motto">{{ site.Params.description }}</p>
    </div>
  </div>
  <nav class="main-nav" aria-label="主导航">
    <ul class="wrap nav-list">
      <li><a href="/"{{ if eq $key "home" }} aria-current="page"{{ end }}>首页</a></li>
      {{- range site.Params.categories }}
      <li><a href="/{{ .key }}/"{{ if eq $key .key }} aria-current="page"{{ end }}>{{ .name }}</a></li>
      {{- end }}
      <li><a href="/columns/"{{ if eq $key "columns" }} aria-current="page"{{ end }}>专题</a></li>
      <li><a href="/archive/"{{ if eq $key "archive" }} aria-current="page"{{ end }}>归档</a></li>
    </ul>
  </nav>
</header>
"""

FOOTER = """<footer class="site-footer">
  <div class="wrap footer-inner">
    <div class="footer-info">
      <ul class="footer-links">
        <li><a href="/sitemap/">网站地图</a></li>
        <li><a href="/columns/">专题专栏</a></li>
        <li><a href="/sitemap/#subscribe">订阅</a></li>
      </ul>
      <p>主办单位：{{ site.Title }}</p>
    </div>
  </div>
</footer>
"""

# The side column of list pages: the same for every pager of a list, keyed by its section.
ASIDE = """{{- $key := .Section }}
<aside class="side" aria-label="栏目导航">
  <section class="panel">
    <h2 class="panel-title">新闻栏目</h2>
    <ul class="side-nav">
      {{- range site.Params.categories }}
      <li><a href="/{{ .key }}/"{{ if eq $key .key }} aria-current="page"{{ end }}>{{ .name }}</a></li>
      {{- end }}
    </ul>
  </section>
  <section class="panel">
    <h2 class="panel-title">专题专栏</h2>
    <ul class="side-columns">
      {{- range first 3 site.Taxonomies.columns.Alphabetical }}
      <li><a href="{{ .Page.RelPermalink }}"><span>{{ .Page.Title }}</span></a></li>
      {{- end }}
    </ul>
  </section>
</aside>
"""

# A post's entry in a list is the same in every list that shows it (its category, tags,
# archive year and month, column): cached per post.
POST_LIST = """<ul class="post-list">
{{- range . }}
{{ partialCached "post_item.html" . .RelPermalink }}
{{- else }}
  <li class="empty">暂无文章。</li>
{{- end }}
</ul>
"""

POST_ITEM = """  <li class="post-item">
    <div class="post-body">
      <h2 class="post-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
      <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
      <p class="summary">{{ .Summary | plainify | truncate 120 }}</p>
    </div>
  </li>"""

# The first, the last and two numbers on each side of the current one, as zhen's
# partials/pagination.html: a pager's cost does not grow with the length of the list.
PAGINATION = """{{- $p := . }}
{{- if gt $p.TotalPages 1 }}
{{- $cur := $p.PageNumber }}{{ $last := $p.TotalPages }}
{{- $lo := sub $cur 2 }}{{ if lt $lo 1 }}{{ $lo = 1 }}{{ end }}
{{- $hi := add $cur 2 }}{{ if gt $hi $last }}{{ $hi = $last }}{{ end }}
{{- $shown := slice 1 }}{{ range seq $lo $hi }}{{ $shown = $shown | append . }}{{ end }}{{ $shown = ($shown | append $last) | uniq }}
<nav class="pagination" aria-label="分页">
  <ul>
    {{- with $p.Prev }}<li><a rel="prev" href="{{ .URL }}">上一页</a></li>{{ end }}
    {{- $prev := 0 }}
    {{- range $shown }}
    {{- if gt . (add $prev 1) }}<li class="gap" aria-hidden="true">…</li>{{ end }}
    {{- $pg := index $p.Pagers (sub . 1) }}
    {{- if eq . $cur }}<li><a aria-current="page" href="{{ $pg.URL }}">{{ . }}</a></li>{{ else }}<li><a href="{{ $pg.URL }}">{{ . }}</a></li>{{ end }}
    {{- $prev = . }}
    {{- end }}
    {{- with $p.Next }}<li><a rel="next" href="{{ .URL }}">下一页</a></li>{{ end }}
  </ul>
  <p class="pagination-note">第 {{ $cur }} / {{ $last }} 页，共 {{ $p.TotalNumberOfElements }} 篇</p>
</nav>
{{- end }}
"""

# zhen's home is one page: 头条, 要闻 (8 newest), a box per category (6 newest each) and the
# column strip; the boxes and the strip do not vary, so they are cached.
HOME = """{{ define "body_class" }}home{{ end }}
{{ define "main" }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
{{- $news := first 40 site.RegularPages }}
{{- with index $news 0 }}
<section class="headline" aria-labelledby="headline-title">
  <p class="headline-kicker">头条</p>
  <h2 id="headline-title" class="headline-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
</section>
{{- end }}
<div class="home-top">
  <section class="panel news" aria-labelledby="news-title">
    <div class="panel-head">
      <h2 id="news-title" class="panel-title">要闻</h2>
      <a class="more" href="/archive/">全部文章<span class="visually-hidden">（按年月归档）</span></a>
    </div>
    <ul class="title-list">
      {{- range first 8 $news }}
      <li><a href="{{ .RelPermalink }}">{{ .Title }}</a><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time></li>
      {{- end }}
    </ul>
  </section>
</div>
{{ partialCached "home_boxes.html" . }}
{{ partialCached "home_columns.html" . }}
{{ end }}
"""

HOME_BOXES = """<div class="category-grid">
{{- range site.Params.categories }}
  {{- $s := site.GetPage .key }}
  <section class="panel category-box" aria-labelledby="cat-{{ .key }}">
    <div class="panel-head">
      <h2 id="cat-{{ .key }}" class="panel-title">{{ .name }}</h2>
      <a class="more" href="{{ $s.RelPermalink }}">更多<span class="visually-hidden">{{ .name }}文章</span></a>
    </div>
    <ul class="title-list">
    {{- range first 6 $s.Pages }}
      <li><a href="{{ .RelPermalink }}">{{ .Title }}</a><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time></li>
    {{- else }}
      <li>暂无文章。</li>
    {{- end }}
    </ul>
  </section>
{{- end }}
</div>
"""

HOME_COLUMNS = """<section class="home-columns" aria-labelledby="columns-title">
  <div class="section-head">
    <h2 id="columns-title">专题专栏</h2>
    <a class="more" href="/columns/">全部专题</a>
  </div>
  <ul class="card-grid">
    {{- range first 4 site.Taxonomies.columns.Alphabetical }}
    <li class="card">
      <span class="card-placeholder" aria-hidden="true">{{ .Page.Title }}</span>
      <div class="card-body">
        <h3 class="card-title"><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h3>
        <p>{{ .Page.Description }}</p>
        <p class="meta">共 {{ .Count }} 篇</p>
      </div>
    </li>
    {{- end }}
  </ul>
</section>
"""

PAGE = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "body_class" }}article-page{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></li><li aria-current="page">正文</li></ol></nav>
<article class="article">
  <header class="article-head">
    <h1>{{ .Title }}</h1>
    <p class="article-meta">
      <span>发布时间：<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006年1月2日 15:04" }}</time></span>
      {{ with .Params.source }}<span>来源：{{ . }}</span>{{ end }}
      {{ with .GetTerms "columns" }}{{ range . }}<span>专题：<a href="{{ .RelPermalink }}">{{ .Title }}</a></span>{{ end }}{{ end }}
      <span>全文约 {{ .WordCount }} 字，阅读约 {{ .ReadingTime }} 分钟</span>
    </p>
  </header>
  {{- if ge (len .Fragments.Headings) 1 }}{{ if ge (len .Fragments.Identifiers) 3 }}
  <nav class="toc" aria-labelledby="toc-title">
    <h2 id="toc-title" class="toc-title">本文目录</h2>
    {{ .TableOfContents }}
  </nav>
  {{- end }}{{ end }}
  <div class="prose">{{ .Content }}</div>
  {{- with .GetTerms "tags" }}
  <p class="tags"><span class="tags-label">标签：</span>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
  {{- end }}
  <footer class="article-foot">
    <p class="article-tools"><button type="button" class="print-button" data-print hidden>打印本页</button><a href="#main">返回顶部</a></p>
  </footer>
  {{- if or .Prev .Next }}
  <nav class="prev-next" aria-label="上一篇和下一篇">
    <ul>
    {{ with .Next }}<li><span class="pn-label">上一篇</span><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
    {{ with .Prev }}<li><span class="pn-label">下一篇</span><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
    </ul>
  </nav>
  {{- end }}
</article>
{{ end }}
"""

SECTION = """{{ define "title" }}{{ .Title }}{{ if gt .Paginator.PageNumber 1 }}（第 {{ .Paginator.PageNumber }} 页）{{ end }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li aria-current="page">{{ .Title }}</li></ol></nav>
<div class="with-side">
  <div class="primary">
    <header class="list-head">
      <h1 class="page-title">{{ .Title }}{{ if gt .Paginator.PageNumber 1 }}<span class="page-no">（第 {{ .Paginator.PageNumber }} 页）</span>{{ end }}</h1>
      {{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
      <p class="list-count">共 {{ .Paginator.TotalNumberOfElements }} 篇 · <a href="/sitemap/#subscribe">订阅本栏目</a></p>
    </header>
    {{ partial "post_list.html" .Paginator.Pages }}
    {{ partial "pagination.html" .Paginator }}
  </div>
  {{ partialCached "aside.html" . .Section }}
</div>
{{ end }}
"""

TAXONOMY = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{- if eq .Data.Plural "tags" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li aria-current="page">标签</li></ol></nav>
<h1 class="page-title">全部标签</h1>
<ul class="tag-cloud">
{{- range .Data.Terms.ByCount }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="count">（{{ .Count }}）</span></li>
{{- end }}
</ul>
{{- else if eq .Data.Plural "columns" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li aria-current="page">专题专栏</li></ol></nav>
<h1 class="page-title">专题专栏</h1>
<ul class="card-grid">
{{- range .Data.Terms.Alphabetical }}
  <li class="card">
    <span class="card-placeholder" aria-hidden="true">{{ .Page.Title }}</span>
    <div class="card-body">
      <h2 class="card-title"><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h2>
      <p>{{ .Page.Description }}</p>
      <p class="meta"><span>共 {{ .Count }} 篇</span></p>
    </div>
  </li>
{{- end }}
</ul>
{{- else }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li aria-current="page">归档</li></ol></nav>
<h1 class="page-title">文章归档</h1>
<div class="archive-years">
{{ partialCached "archive_years.html" . }}
</div>
{{- end }}
{{ end }}
"""

# The years and their months: the archive index shows them, and so does every archive
# list's side column (zhen's archive.html), so they are cached.
ARCHIVE_YEARS = """{{- $terms := site.Taxonomies.archive.Alphabetical.Reverse }}
{{- range $terms }}{{ if eq (len .Name) 4 }}
{{- $y := .Name }}
<section class="panel archive-year" aria-labelledby="y{{ $y }}">
  <h2 id="y{{ $y }}" class="panel-title"><a href="{{ .Page.RelPermalink }}">{{ $y }}年</a> <span class="count">（{{ .Count }} 篇）</span></h2>
  <ul class="month-grid">
  {{- range $terms }}{{ if and (ne (len .Name) 4) (hasPrefix .Name $y) }}<li><a href="{{ .Page.RelPermalink }}">{{ .Name }}</a> <span class="count">（{{ .Count }}）</span></li>{{ end }}{{ end }}
  </ul>
</section>
{{- end }}{{ end }}
"""

TERM = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{- $plural := .Data.Plural }}
{{- if eq $plural "columns" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="/columns/">专题</a></li><li aria-current="page">{{ .Title }}</li></ol></nav>
<header class="column-hero">
  <div class="hero-text">
    <p class="hero-kicker">专题专栏</p>
    <h1>{{ .Title }}</h1>
    {{ with .Description }}<p class="hero-desc">{{ . }}</p>{{ end }}
  </div>
</header>
<section class="column-intro" aria-labelledby="intro-title">
  <h2 id="intro-title" class="section-title">专题介绍</h2>
  <div class="prose">{{ .Content }}</div>
</section>
<section aria-labelledby="posts-title">
  <h2 id="posts-title" class="section-title">专题文章<span class="count">（{{ .Paginator.TotalNumberOfElements }} 篇）</span></h2>
  <ul class="card-grid">
  {{- range .Paginator.Pages }}
    <li class="card">
      <div class="card-placeholder" aria-hidden="true">{{ $.Title }}</div>
      <div class="card-body">
        <h3 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
        <p>{{ .Summary | plainify | truncate 60 }}</p>
        <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time></p>
      </div>
    </li>
  {{- end }}
  </ul>
  {{ partial "pagination.html" .Paginator }}
</section>
{{- else }}
{{- $tags := eq $plural "tags" }}
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li>{{ if $tags }}<li><a href="/tags/">标签</a></li>{{ else }}<li><a href="/archive/">归档</a></li>{{ end }}<li aria-current="page">{{ .Title }}</li></ol></nav>
<div class="with-side">
  <div class="primary">
    <header class="list-head">
      <h1 class="page-title">{{ if $tags }}标签：{{ .Title }}{{ else }}{{ .Title }}文章{{ end }}</h1>
      <p class="list-count">共 {{ .Paginator.TotalNumberOfElements }} 篇{{ if not $tags }} · <a href="/archive/">全部归档</a>{{ end }}</p>
    </header>
    {{ partial "post_list.html" .Paginator.Pages }}
    {{ partial "pagination.html" .Paginator }}
  </div>
  {{- if $tags }}
  {{ partialCached "aside.html" . .Section }}
  {{- else }}
  <aside class="side" aria-label="按年月查看">{{ partialCached "archive_years.html" . }}</aside>
  {{- end }}
</div>
{{- end }}
{{ end }}
"""

NOT_FOUND = """{{ define "title" }}页面不存在 - {{ site.Title }}{{ end }}
{{ define "main" }}
<section class="not-found">
  <p class="nf-code" aria-hidden="true">404</p>
  <h1 class="page-title">页面不存在</h1>
  <p>您访问的页面不存在或已被移动。请检查网址是否输入正确，或从下面的入口继续浏览。</p>
  <ul class="nf-links">
    <li><a class="button" href="/">返回首页</a></li>
    <li><a class="button secondary" href="/sitemap/">网站地图</a></li>
    <li><a class="button secondary" href="/archive/">文章归档</a></li>
  </ul>
</section>
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
<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li aria-current="page">网站地图</li></ol></nav>
<h1 class="page-title">网站地图</h1>
<div class="sitemap-grid">
<section class="panel" aria-labelledby="sm-cats">
  <h2 id="sm-cats" class="panel-title">新闻栏目</h2>
  <ul class="link-list">
    <li><a href="/">首页</a></li>
    {{- range site.Params.categories }}{{ $s := site.GetPage .key }}<li><a href="{{ $s.RelPermalink }}">{{ .name }}</a>（{{ len $s.Pages }} 篇）</li>{{ end }}
    <li><a href="/tags/">全部标签</a>（{{ len site.Taxonomies.tags }} 个）</li>
  </ul>
</section>
<section class="panel" aria-labelledby="sm-columns">
  <h2 id="sm-columns" class="panel-title">专题专栏</h2>
  <ul class="link-list">
    <li><a href="/columns/">全部专题</a></li>
    {{- range $k, $v := site.Taxonomies.columns }}<li><a href="{{ $v.Page.RelPermalink }}">{{ $v.Page.Title }}</a></li>{{ end }}
  </ul>
</section>
<section class="panel" aria-labelledby="sm-archive">
  <h2 id="sm-archive" class="panel-title">文章归档</h2>
  <ul class="link-list">
    <li><a href="/archive/">全部归档</a></li>
    {{- range $k, $v := site.Taxonomies.archive }}{{ if eq (len $k) 4 }}<li><a href="{{ $v.Page.RelPermalink }}">{{ $k }}年</a>（{{ $v.Count }} 篇）</li>{{ end }}{{ end }}
  </ul>
</section>
<section class="panel" id="subscribe" aria-labelledby="sm-feeds">
  <h2 id="sm-feeds" class="panel-title">订阅</h2>
  <ul class="link-list">
    <li><a href="/atom.xml">全站最新文章</a></li>
    {{- range site.Params.categories }}<li><a href="/{{ .key }}/atom.xml">{{ .name }}最新文章</a></li>{{ end }}
    <li><a href="/rss.xml">全站最新文章（供较旧的阅读器使用）</a></li>
  </ul>
</section>
</div>
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
    "_partials/header.html": HEADER,
    "_partials/footer.html": FOOTER,
    "_partials/aside.html": ASIDE,
    "_partials/home_boxes.html": HOME_BOXES,
    "_partials/home_columns.html": HOME_COLUMNS,
    "_partials/archive_years.html": ARCHIVE_YEARS,
    "_partials/post_list.html": POST_LIST,
    "_partials/post_item.html": POST_ITEM,
    "_partials/pagination.html": PAGINATION,
}


# -- the plain layouts (bench/run's second comparison) ------------------------------------
# The same minimal pages as bench/plain/templates/ (zhen), so that engine is compared with
# engine: a header with the navigation, the post (title, date, category, content, tags),
# lists of titles with dates and a previous/next pager, the tag, column and archive indexes,
# the site map page and 404. Feeds, sitemap.xml and robots.txt are the township set's.

PLAIN_BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<header><a href="/">{{ site.Title }}</a>
<nav><a href="/">首页</a>{{ range site.Params.categories }} <a href="/{{ .key }}/">{{ .name }}</a>{{ end }} <a href="/archive/">归档</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>主办单位：{{ site.Title }} · <a href="/sitemap/">网站地图</a></footer>
</body>
</html>
"""

PLAIN_LIST = """<ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
"""

PLAIN_PAGINATION = """{{ if gt .TotalPages 1 }}<nav>{{ with .Prev }}<a rel="prev" href="{{ .URL }}">上一页</a> {{ end }}第 {{ .PageNumber }} / {{ .TotalPages }} 页{{ with .Next }} <a rel="next" href="{{ .URL }}">下一页</a>{{ end }}</nav>{{ end }}
"""

PLAIN_HOME = """{{ define "main" }}
<h1>最新文章</h1>
{{ partial "list.html" (first 10 site.RegularPages) }}
<p><a href="/archive/">全部文章</a></p>
{{ end }}
"""

PLAIN_PAGE = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time> · <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
{{ .Content }}
{{ with .GetTerms "tags" }}<p>标签：{{ range . }} <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>{{ end }}
</article>
{{ end }}
"""

PLAIN_SECTION = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ partial "list.html" .Paginator.Pages }}
{{ partial "pagination.html" .Paginator }}
{{ end }}
"""

PLAIN_TAXONOMY = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
{{- if eq .Data.Plural "tags" }}
<h1>全部标签</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>
{{ end }}</ul>
{{- else if eq .Data.Plural "columns" }}
<h1>专题专栏</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>
{{ end }}</ul>
{{- else }}
<h1>文章归档</h1>
{{- $terms := .Data.Terms.Alphabetical.Reverse }}
<ul>
{{ range $terms }}{{ if eq (len .Name) 4 }}{{ $y := .Name }}<li><a href="{{ .Page.RelPermalink }}">{{ $y }}年</a>（{{ .Count }}）{{ range $terms }}{{ if and (ne (len .Name) 4) (hasPrefix .Name $y) }} <a href="{{ .Page.RelPermalink }}">{{ .Name }}</a>{{ end }}{{ end }}</li>
{{ end }}{{ end }}</ul>
{{- end }}
{{ end }}
"""

PLAIN_TERM = """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ if eq .Data.Plural "tags" }}标签：{{ end }}{{ .Title }}</h1>
{{ partial "list.html" .Paginator.Pages }}
{{ partial "pagination.html" .Paginator }}
{{ end }}
"""

PLAIN_SITEMAP_PAGE = """{{ define "title" }}网站地图 - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>网站地图</h1>
<ul>
<li><a href="/">首页</a></li>
{{ range site.Params.categories }}<li><a href="/{{ .key }}/">{{ .name }}</a></li>
{{ end }}<li><a href="/tags/">全部标签</a></li>
<li><a href="/columns/">专题专栏</a></li>
<li><a href="/archive/">文章归档</a></li>
</ul>
{{ end }}
"""

PLAIN_NOT_FOUND = """{{ define "title" }}页面不存在 - {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>页面不存在</h1>
<p>您访问的页面不存在或已被移动。您可以返回<a href="/">首页</a>。</p>
{{ end }}
"""

PLAIN_LAYOUTS = {
    "sitemappage.html": PLAIN_SITEMAP_PAGE,
    "baseof.html": PLAIN_BASEOF,
    "home.html": PLAIN_HOME,
    "page.html": PLAIN_PAGE,
    "section.html": PLAIN_SECTION,
    "taxonomy.html": PLAIN_TAXONOMY,
    "term.html": PLAIN_TERM,
    "404.html": PLAIN_NOT_FOUND,
    "robots.txt": ROBOTS,
    "list.rss.xml": RSS,
    "list.atom.xml": ATOM,
    "_partials/list.html": PLAIN_LIST,
    "_partials/pagination.html": PLAIN_PAGINATION,
}
