//! Other tools' shortcodes and tag plugins rewritten as plain Markdown: Hexo's and Jekyll's
//! Liquid tags (`{% raw %}`, `{% codeblock %}`, `{% highlight %}`, `{% note %}`,
//! `{% youtube %}`, `{% bilibili %}`, `{% asset_img %}`, `{% post_link %}`, `{% post_url %}`,
//! `{% link %}`), Hugo's (`{{< figure >}}`, `{{< highlight >}}`, `{{< ref >}}`,
//! `{{< youtube >}}` …), Zola's (`{{ youtube(id=…) }}`) and mdBook's `{{#include}}`. Code in a
//! tag's body always becomes a fenced code block, never live HTML; a video becomes a link,
//! never an embed. What is not known is left in place and named in the report.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::Tool;

/// What a conversion needs from its surroundings.
pub struct Ctx<'a> {
    pub tool: Tool,
    /// The Markdown file being converted (includes are relative to its folder).
    pub file: &'a Path,
    /// A reference to another source file (`x.md`, `2024-01-02-x`, `_posts/x.md`) as the
    /// link target to write, when it names one.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    pub problems: Vec<String>,
}

static LIQUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*([A-Za-z_][\w-]*)(\(.*?\))?\s*(.*?)\s*-?%\}").unwrap());
static HUGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{([<%])\s*(/?)\s*([\w./-]+)((?:[^>%"]|"[^"]*")*?)\s*[>%]\}\}"#).unwrap()
});
static ZOLA_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{\s*([A-Za-z_]\w*)\((.*?)\)\s*\}\}").unwrap());
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{#(include|rustdoc_include|playground)\s+([^}\s]+)[^}]*\}\}").unwrap()
});

static LIQUID_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{\s*(?:site\.(?:baseurl|url)|["']([^"']*)["']\s*\|\s*(?:relative_url|absolute_url))\s*\}\}"#)
        .unwrap()
});

/// Converts every known shortcode of `ctx.tool` in `body`.
pub fn convert(body: &str, ctx: &mut Ctx<'_>) -> String {
    let mut body = includes(body, ctx);
    if ctx.tool == Tool::Jekyll {
        // `{{ site.baseurl }}/x`, `{{ "/x" | relative_url }}`: zhen's links are root-relative.
        body = LIQUID_URL
            .replace_all(&body, |c: &regex::Captures<'_>| {
                c.get(1).map_or(String::new(), |m| m.as_str().to_string())
            })
            .into_owned();
    }
    let out = outside_code(&body, ctx, 0);
    if ctx.tool == Tool::Hugo {
        // Hugo's way of showing a shortcode as text.
        out.replace("{{</*", "{{<")
            .replace("*/>}}", ">}}")
            .replace("{{%/*", "{{%")
            .replace("*/%}}", "%}}")
    } else {
        out
    }
}

/// mdBook's `{{#include file}}` (also `file:3:10`, `file:anchor`): the file's text inlined.
fn includes(body: &str, ctx: &mut Ctx<'_>) -> String {
    if !body.contains("{{#") {
        return body.to_string();
    }
    let dir = ctx.file.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    let out = INCLUDE.replace_all(body, |c: &regex::Captures<'_>| {
        let spec = &c[2];
        let mut parts = spec.splitn(3, ':');
        let file = parts.next().unwrap_or("");
        let (a, b) = (parts.next(), parts.next());
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            problems.push(format!("`{}` 引用的文件 {file} 找不到，未展开", &c[0]));
            return c[0].to_string();
        };
        let lines: Vec<&str> = text.lines().collect();
        let num = |s: Option<&str>| {
            s.filter(|s| !s.is_empty())
                .and_then(|s| s.parse::<usize>().ok())
        };
        let picked: Vec<&str> = match (a, b) {
            (None, _) => lines.clone(),
            (Some(a), None) if a.parse::<usize>().is_err() && !a.is_empty() => {
                // An anchor: the lines between ANCHOR: a and ANCHOR_END: a.
                let start = lines
                    .iter()
                    .position(|l| l.contains(&format!("ANCHOR: {a}")));
                let end = lines
                    .iter()
                    .position(|l| l.contains(&format!("ANCHOR_END: {a}")));
                match (start, end) {
                    (Some(s), Some(e)) if s < e => lines[s + 1..e].to_vec(),
                    _ => {
                        problems.push(format!("`{}` 的锚点 {a} 找不到，已展开整个文件", &c[0]));
                        lines.clone()
                    }
                }
            }
            (Some(a), None) => {
                let n = num(Some(a)).unwrap_or(1).max(1);
                lines
                    .get(n - 1..n)
                    .map(<[&str]>::to_vec)
                    .unwrap_or_default()
            }
            (Some(a), Some(b)) => {
                let s = num(Some(a)).unwrap_or(1).max(1) - 1;
                let e = num(Some(b)).unwrap_or(lines.len()).min(lines.len());
                lines
                    .get(s..e.max(s))
                    .map(<[&str]>::to_vec)
                    .unwrap_or_default()
            }
        };
        picked
            .into_iter()
            .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    ctx.problems.extend(problems);
    out.into_owned()
}

/// The byte ranges of fenced code blocks in `text`.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let fence: String = t.chars().take_while(|c| *c == '`' || *c == '~').collect();
        match &open {
            None if fence.len() >= 3
                && fence
                    .chars()
                    .all(|c| c == fence.chars().next().unwrap_or('`')) =>
            {
                open = Some((offset, fence));
            }
            Some((start, f))
                if t.trim_end().starts_with(f.as_str())
                    && t.trim_end().chars().all(|c| c == '`' || c == '~') =>
            {
                out.push(*start..offset + line.len());
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((start, _)) = open {
        out.push(start..text.len());
    }
    out
}

/// Whether `pos` sits inside an inline code span of its line.
fn in_inline_code(text: &str, pos: usize) -> bool {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..pos].matches('`').count() % 2 == 1
}

/// A tag found in the text.
struct Tag {
    range: std::ops::Range<usize>,
    name: String,
    args: String,
    closing: bool,
    /// Zola's `name(args)` form.
    call: bool,
}

fn next_tag(text: &str, from: usize, tool: Tool, code: &[std::ops::Range<usize>]) -> Option<Tag> {
    let mut pos = from;
    loop {
        let hay = &text[pos..];
        let found = match tool {
            Tool::Hugo => HUGO.captures(hay).map(|c| {
                let m = c.get(0).unwrap();
                Tag {
                    range: pos + m.start()..pos + m.end(),
                    name: c[3].to_string(),
                    args: c[4].trim().to_string(),
                    closing: !c[2].is_empty(),
                    call: false,
                }
            }),
            _ => {
                let l = LIQUID.captures(hay).map(|c| {
                    let m = c.get(0).unwrap();
                    let call = c.get(2).is_some();
                    let args = match c.get(2) {
                        Some(a) => a.as_str().trim_matches(['(', ')']).to_string(),
                        None => c[3].to_string(),
                    };
                    let name = c[1].to_string();
                    Tag {
                        range: pos + m.start()..pos + m.end(),
                        closing: name.starts_with("end") || (call && name == "end"),
                        name,
                        args,
                        call,
                    }
                });
                let z = (tool == Tool::Zola)
                    .then(|| ZOLA_CALL.captures(hay))
                    .flatten()
                    .map(|c| {
                        let m = c.get(0).unwrap();
                        Tag {
                            range: pos + m.start()..pos + m.end(),
                            name: c[1].to_string(),
                            args: c[2].to_string(),
                            closing: false,
                            call: true,
                        }
                    });
                match (l, z) {
                    (Some(a), Some(b)) => Some(if a.range.start <= b.range.start { a } else { b }),
                    (a, b) => a.or(b),
                }
            }
        }?;
        let start = found.range.start;
        if let Some(r) = code.iter().find(|r| r.contains(&start)) {
            pos = r.end;
            continue;
        }
        if in_inline_code(text, start) {
            pos = found.range.end;
            continue;
        }
        return Some(found);
    }
}

/// The closing tag of block `name` after `from`, counting nested ones.
fn find_end(text: &str, from: usize, name: &str, tool: Tool, call: bool) -> Option<Tag> {
    let mut depth = 0;
    let mut pos = from;
    while let Some(t) = next_tag(text, pos, tool, &[]) {
        pos = t.range.end;
        let closes = if call {
            t.name == "end"
        } else if tool == Tool::Hugo {
            t.closing && t.name == name
        } else {
            t.name == format!("end{name}")
        };
        if closes {
            if depth == 0 {
                return Some(t);
            }
            depth -= 1;
        } else if t.name == name && !t.closing {
            depth += 1;
        }
    }
    None
}

const BLOCKS_LIQUID: &[&str] = &[
    "raw",
    "codeblock",
    "code",
    "highlight",
    "note",
    "blockquote",
    "quote",
    "pullquote",
    "centerquote",
    "cq",
    "tabs",
    "folding",
    "details",
    "alert",
    "tip",
    "warning",
    "info",
];
const BLOCKS_HUGO: &[&str] = &[
    "highlight",
    "code",
    "note",
    "notice",
    "admonition",
    "alert",
    "hint",
    "callout",
    "tip",
    "warning",
    "info",
    "details",
    "quote",
    "blockquote",
];

/// Converts the tags of `text` that are outside code.
fn outside_code(text: &str, ctx: &mut Ctx<'_>, depth: usize) -> String {
    if depth > 8 {
        return text.to_string();
    }
    let code = code_ranges(text);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(tag) = next_tag(text, pos, ctx.tool, &code) {
        out.push_str(&text[pos..tag.range.start]);
        pos = tag.range.end;
        let blocks = if ctx.tool == Tool::Hugo {
            BLOCKS_HUGO
        } else {
            BLOCKS_LIQUID
        };
        let is_block = !tag.closing
            && (blocks.contains(&tag.name.as_str())
                || (tag.call
                    && ctx.tool == Tool::Zola
                    && find_end(text, pos, &tag.name, ctx.tool, true).is_some()
                    && text[tag.range.clone()].starts_with("{%")));
        if is_block && let Some(end) = find_end(text, pos, &tag.name, ctx.tool, tag.call) {
            let inner = &text[pos..end.range.start];
            pos = end.range.end;
            out.push_str(&block(&tag, inner, ctx, depth));
            continue;
        }
        match inline(&tag, ctx) {
            Some(s) => out.push_str(&s),
            None => {
                let raw = &text[tag.range.clone()];
                ctx.problems
                    .push(format!("未能转换 `{}`，原样保留", one_line(raw)));
                out.push_str(raw);
            }
        }
    }
    out.push_str(&text[pos..]);
    out
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// A block tag with its body.
fn block(tag: &Tag, inner: &str, ctx: &mut Ctx<'_>, depth: usize) -> String {
    let args = split_args(&tag.args);
    match tag.name.as_str() {
        "raw" => inner.to_string(),
        "codeblock" | "code" | "highlight" => {
            let lang = args
                .iter()
                .find_map(|(k, v)| match k.as_deref() {
                    Some("lang") => Some(v.clone()),
                    None => v.strip_prefix("lang:").map(str::to_string),
                    _ => None,
                })
                .or_else(|| match (ctx.tool, args.first()) {
                    // `{% highlight ruby linenos %}`, `{{< highlight go "linenos=table" >}}`.
                    (Tool::Jekyll | Tool::Hugo, Some((None, v))) => Some(v.clone()),
                    (_, Some((None, v))) if args.len() == 1 && is_lang(v) => Some(v.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            fenced(inner, &lang)
        }
        _ => {
            // Notes, quotes and admonitions: a blockquote, its title in bold first.
            let body = outside_code(inner.trim_matches('\n'), ctx, depth + 1);
            let title: Vec<&str> = args
                .iter()
                .filter(|(k, v)| {
                    k.as_deref() == Some("title")
                        || (k.is_none()
                            && !matches!(
                                v.as_str(),
                                "default"
                                    | "primary"
                                    | "success"
                                    | "info"
                                    | "warning"
                                    | "danger"
                                    | "no-icon"
                                    | "flat"
                                    | "modern"
                                    | "simple"
                                    | "disabled"
                                    | "note"
                                    | "tip"
                                    | "important"
                                    | "caution"
                            )
                            && tag.name != "blockquote"
                            && tag.name != "quote")
                })
                .map(|(_, v)| v.as_str())
                .collect();
            let mut text = String::new();
            if !title.is_empty() {
                text.push_str(&format!("**{}**\n\n", title.join(" ")));
            }
            text.push_str(&body);
            // Hexo's `{% blockquote 作者, 出处 %}`: the attribution last.
            if matches!(tag.name.as_str(), "blockquote" | "quote") && !args.is_empty() {
                text.push_str(&format!(
                    "\n\n—— {}",
                    args.iter()
                        .map(|(_, v)| v.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                        .trim_end_matches(',')
                        .trim()
                ));
            }
            let quoted: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect();
            format!("\n{}\n", quoted.join("\n"))
        }
    }
}

fn is_lang(s: &str) -> bool {
    s.len() <= 16
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+#-_".contains(c))
}

/// `body` as a fenced code block whose fence no line of it closes.
pub fn fenced(body: &str, lang: &str) -> String {
    let body = body.trim_start_matches(['\r', '\n']).trim_end();
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let lang: String = lang
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    format!("\n{fence}{lang}\n{body}\n{fence}\n")
}

/// Splits shortcode arguments: `a "b c" k=v k2="v 2"` -> [(None,a), (None,"b c"), (k,v) …].
fn split_args(args: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut key = None;
        let mut word = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            for c in chars.by_ref() {
                if c == first {
                    break;
                }
                word.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == ',' {
                    break;
                }
                if c == '=' && key.is_none() {
                    chars.next();
                    key = Some(std::mem::take(&mut word));
                    if let Some(&q) = chars.peek()
                        && (q == '"' || q == '\'')
                    {
                        chars.next();
                        for c in chars.by_ref() {
                            if c == q {
                                break;
                            }
                            word.push(c);
                        }
                        break;
                    }
                    continue;
                }
                word.push(c);
                chars.next();
            }
        }
        out.push((key, word));
    }
    out
}

fn arg(args: &[(Option<String>, String)], key: &str, pos: usize) -> Option<String> {
    args.iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .or_else(|| args.iter().filter(|(k, _)| k.is_none()).nth(pos))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// A tag without a body; None when it is not known.
fn inline(tag: &Tag, ctx: &mut Ctx<'_>) -> Option<String> {
    let args = split_args(&tag.args);
    let plain: Vec<&str> = args
        .iter()
        .filter(|(k, _)| k.is_none())
        .map(|(_, v)| v.as_str())
        .collect();
    let video = |site: &str, id: &str| -> String {
        match site {
            "youtube" => format!("[视频：YouTube {id}](https://www.youtube.com/watch?v={id})"),
            "vimeo" => format!("[视频：Vimeo {id}](https://vimeo.com/{id})"),
            _ => {
                let url = if id.starts_with("http") {
                    id.to_string()
                } else if id.chars().all(|c| c.is_ascii_digit()) {
                    format!("https://www.bilibili.com/video/av{id}")
                } else {
                    format!("https://www.bilibili.com/video/{id}")
                };
                format!("[视频：哔哩哔哩 {id}]({url})")
            }
        }
    };
    let reference = |target: &str, ctx: &mut Ctx<'_>| -> String {
        let (path, anchor) = target.split_once('#').map_or((target, ""), |(p, a)| (p, a));
        match (ctx.resolve)(path) {
            Some(link) if anchor.is_empty() => link,
            Some(link) => format!("{link}#{anchor}"),
            None => {
                ctx.problems
                    .push(format!("引用的文章 {target} 找不到，链接未转换"));
                target.to_string()
            }
        }
    };
    Some(match tag.name.as_str() {
        "youtube" | "vimeo" | "bilibili" => {
            let id = arg(&args, "id", 0)
                .or_else(|| arg(&args, "bvid", 0))
                .or_else(|| arg(&args, "aid", 0))?;
            format!("\n{}\n", video(&tag.name, &id))
        }
        "iframe" | "video" => {
            let url = arg(&args, "src", 0).or_else(|| arg(&args, "url", 0))?;
            format!("[{url}]({url})")
        }
        "gist" => format!(
            "[Gist {}](https://gist.github.com/{})",
            plain.join("/"),
            plain.join("/")
        ),
        "tweet" | "x" => {
            let id = arg(&args, "id", plain.len().saturating_sub(1))?;
            let user = arg(&args, "user", 0).unwrap_or_else(|| "i".into());
            format!("[推文 {id}](https://x.com/{user}/status/{id})")
        }
        "asset_img" | "img" | "image" | "figure" => {
            let src = arg(&args, "src", usize::MAX).or_else(|| {
                plain
                    .iter()
                    .find(|v| v.contains('.') || v.starts_with('/'))
                    .map(|s| s.to_string())
            })?;
            let rest: Vec<&str> = plain
                .iter()
                .copied()
                .filter(|v| *v != src && !v.chars().all(|c| c.is_ascii_digit()))
                .filter(|v| {
                    !(v.contains('.')
                        && !v.contains(' ')
                        && v.len() < 40
                        && tag.name != "asset_img")
                })
                .collect();
            let caption =
                arg(&args, "caption", usize::MAX).or_else(|| arg(&args, "title", usize::MAX));
            let alt = arg(&args, "alt", usize::MAX)
                .or_else(|| rest.get(1).map(|s| s.to_string()))
                .or_else(|| caption.clone())
                .or_else(|| rest.first().map(|s| s.to_string()))
                .unwrap_or_default();
            let img = format!(
                "![{}]({})",
                alt.replace(['[', ']'], ""),
                src.replace(' ', "%20")
            );
            let img = match arg(&args, "link", usize::MAX) {
                Some(link) => format!("[{img}]({link})"),
                None => img,
            };
            match caption.filter(|c| *c != alt) {
                Some(c) if tag.name == "figure" => format!("\n{img}\n\n*{c}*\n"),
                _ => img,
            }
        }
        "asset_path" => arg(&args, "", 0)?,
        "asset_link" => {
            let file = plain.first()?;
            let title = if plain.len() > 1 {
                plain[1..].join(" ")
            } else {
                file.to_string()
            };
            format!("[{title}]({file})")
        }
        "post_link" | "post_path" => {
            let target = plain.first()?;
            let link = reference(target, ctx);
            if tag.name == "post_path" {
                link
            } else {
                let title = if plain.len() > 1 {
                    plain[1..].join(" ")
                } else {
                    target.to_string()
                };
                format!("[{title}]({link})")
            }
        }
        // Hexo's `{% link 文字 https://… [external] [title] %}`.
        "link" if ctx.tool == Tool::Hexo => {
            let at = plain
                .iter()
                .position(|v| v.contains("://") || v.starts_with('/'))?;
            let text = if at == 0 {
                plain[0].to_string()
            } else {
                plain[..at].join(" ")
            };
            format!("[{text}]({})", plain[at])
        }
        "post_url" | "link" | "ref" | "relref" => {
            let target = arg(&args, "path", 0)?;
            reference(&target, ctx)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(tool: Tool, text: &str) -> (String, Vec<String>) {
        let resolve = |r: &str| (r.contains("spring")).then(|| "@/x/spring.md".to_string());
        let mut ctx = Ctx {
            tool,
            file: Path::new("/nonexistent/a.md"),
            resolve: &resolve,
            problems: vec![],
        };
        let out = convert(text, &mut ctx);
        (out, ctx.problems)
    }

    #[test]
    fn hexo_tags() {
        let (o, p) = conv(
            Tool::Hexo,
            "a\n{% codeblock lang:js %}\nlet a = `x`;\n{% endcodeblock %}\n{% note info 注意 %}\n正文\n{% endnote %}\n{% youtube abc %}\n{% bilibili BV1xx %}\n{% raw %}{{ x }}{% endraw %}\n",
        );
        assert!(o.contains("```js\nlet a = `x`;\n```"), "{o}");
        assert!(o.contains("> **注意**\n>\n> 正文"), "{o}");
        assert!(o.contains("(https://www.youtube.com/watch?v=abc)"), "{o}");
        assert!(o.contains("(https://www.bilibili.com/video/BV1xx)"), "{o}");
        assert!(o.contains("{{ x }}") && !o.contains("raw"), "{o}");
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn hugo_shortcodes() {
        let (o, p) = conv(
            Tool::Hugo,
            "{{< highlight html >}}\n<script>alert(1)</script>\n{{< /highlight >}}\n{{< figure src=\"a.png\" caption=\"花海\" >}}\n[x]({{< ref \"spring.md#s\" >}})\n{{< unknown 1 >}}\n```\n{{< youtube no >}}\n```\n",
        );
        assert!(o.contains("```html\n<script>alert(1)</script>\n```"), "{o}");
        assert!(o.contains("![花海](a.png)"), "{o}");
        assert!(o.contains("[x](@/x/spring.md#s)"), "{o}");
        assert!(o.contains("{{< youtube no >}}"), "code is left alone: {o}");
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn jekyll_tags() {
        let (o, p) = conv(
            Tool::Jekyll,
            "{% highlight ruby linenos %}\ndef x; end\n{% endhighlight %}\n[a]({% post_url 2024-01-02-spring %})\n{% include note.html %}\n",
        );
        assert!(o.contains("```ruby\ndef x; end\n```"), "{o}");
        assert!(o.contains("[a](@/x/spring.md)"), "{o}");
        assert!(
            o.contains("{% include note.html %}") && p.len() == 1,
            "{o} {p:?}"
        );
    }
}
