//! Other tools' shortcodes in a page: the code blocks of Hugo (`{{< highlight go >}}`), Hexo and
//! Jekyll (`{% codeblock %}`, `{% highlight %}`, `{% raw %}`) become fenced code before parsing,
//! so their text is shown as code and never run as HTML; any other shortcode left in the text
//! is reported once per page, located at its first place.

use std::borrow::Cow;

/// The opening of another tool's shortcode or tag plugin.
const OPENERS: [&str; 4] = ["{{<", "{{%", "{%", "{{#"];

/// `body` with code shortcodes standing alone on their lines turned into fences, padded with
/// spaces to the length of the shortcode: every byte offset and line stays that of the file.
pub fn fence_code(body: &str) -> Cow<'_, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let mut changed = false;
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let end = &line[text.len()..];
        match fence_for(text.trim()) {
            Some(fence) => {
                changed = true;
                out.push_str(&fence);
                // A fence is always shorter than the shortcode it stands for.
                let pad = text.len().saturating_sub(fence.len());
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(end);
            }
            None => out.push_str(line),
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(body)
    }
}

/// The fence line a code shortcode line stands for.
fn fence_for(line: &str) -> Option<String> {
    let inner = line
        .strip_prefix("{{<")
        .and_then(|l| l.strip_suffix(">}}"))
        .or_else(|| line.strip_prefix("{{%").and_then(|l| l.strip_suffix("%}}")))
        .or_else(|| line.strip_prefix("{%").and_then(|l| l.strip_suffix("%}")))?
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let mut words = inner.split_whitespace();
    let name = words.next()?;
    match name {
        "highlight" | "codeblock" => {
            // Hugo and Jekyll: the language first; Hexo: `lang:go` anywhere.
            let lang = inner
                .split_whitespace()
                .find_map(|w| w.strip_prefix("lang:"))
                .or_else(|| {
                    words
                        .next()
                        .filter(|w| name == "highlight" && !w.contains('='))
                })
                .unwrap_or("")
                .trim_matches('"');
            Some(format!("```{lang}"))
        }
        "/highlight" | "endhighlight" | "endcodeblock" => Some("```".into()),
        "raw" | "endraw" => Some(String::new()),
        _ => None,
    }
}

/// The byte offset of the first other tool's shortcode in `text`, if any.
pub fn first_leftover(text: &str) -> Option<usize> {
    OPENERS.iter().filter_map(|o| text.find(o)).min()
}

/// The byte offsets of every shortcode opening in `text`, in order (`{{<` counts once, not
/// also as `{%`-like pieces of it).
pub fn leftovers(text: &str) -> Vec<usize> {
    let mut at = Vec::new();
    let mut rest = 0;
    while let Some(i) = first_leftover(&text[rest..]) {
        at.push(rest + i);
        rest += i + 2;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shortcodes_become_fences_line_for_line() {
        let hugo =
            "前言\n{{< highlight html >}}\n<script>alert(1)</script>\n{{< /highlight >}}\n后记\n";
        let trimmed = |s: &str| {
            s.split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let fenced = fence_code(hugo);
        assert_eq!(
            trimmed(&fenced),
            "前言\n```html\n<script>alert(1)</script>\n```\n后记\n"
        );
        assert_eq!(fenced.len(), hugo.len(), "offsets are kept");
        let hexo = "{% codeblock 示例 lang:python %}\nprint(1)\n{% endcodeblock %}\r\n";
        assert_eq!(fence_code(hexo).len(), hexo.len());
        assert_eq!(trimmed(&fence_code(hexo)), "```python\nprint(1)\n```\n");
        let jekyll = "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n{% raw %}\n{{ x }}\n{% endraw %}\n";
        assert_eq!(
            trimmed(&fence_code(jekyll)),
            "```ruby\nputs 1\n```\n\n{{ x }}\n\n"
        );
        let plain = "正文里提到 {{< 不是单独一行 >}}。\n";
        assert!(matches!(fence_code(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn leftovers_are_found() {
        assert_eq!(
            first_leftover("看 {% youtube abc %} 和 {{< ref x >}}"),
            Some(4)
        );
        assert_eq!(first_leftover("普通的 {大括号} 文字"), None);
        assert_eq!(leftovers("{{< a >}} 与 {% b %}"), [0, 14]);
    }
}
