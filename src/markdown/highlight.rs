//! Code highlighting with syntect into CSS classes (`hl-*`); the matching stylesheet is
//! produced once per build by [`stylesheet`].

use std::sync::OnceLock;

use super::escape;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// The names of the built-in highlighting themes.
pub fn theme_names() -> Vec<&'static str> {
    themes().themes.keys().map(String::as_str).collect()
}

/// The CSS for highlighted code in theme `name`, or None when there is no such theme.
pub fn stylesheet(name: &str) -> Option<String> {
    let theme = themes().themes.get(name)?;
    css_for_theme_with_class_style(theme, STYLE).ok()
}

/// Bytes of code highlighted per page: syntect reads about 0.3 MB a second, so a page whose
/// code blocks hold more shows the rest as plain text rather than taking minutes.
pub const MAX_HIGHLIGHTED: usize = 100 * 1024;

/// `code` as a `<pre>` block, highlighted when `lang` names a known syntax and `highlight`.
pub fn code_block(code: &str, lang: &str, highlight: bool) -> String {
    let ss = syntaxes();
    let token = lang.split([' ', ',', '{']).next().unwrap_or("");
    let escaped_lang = escape(token);
    let syntax = (highlight && !token.is_empty())
        .then(|| ss.find_syntax_by_token(token))
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape(code)
            }
        }
        None => escape(code),
    };
    if token.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{escaped_lang}\"><code class=\"language-{escaped_lang}\">{body}</code></pre>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = code_block("def f():\n    return \"青溪\"\n", "python", true);
        assert!(html.contains("data-lang=\"python\""), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("青溪"));
    }

    #[test]
    fn unknown_languages_are_escaped_plain_text() {
        let html = code_block("<b>&</b>", "nosuchlang", true);
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn stylesheet_exists_for_the_default_theme() {
        let css = stylesheet("InspiredGitHub").unwrap();
        assert!(css.contains(".hl-"), "{css}");
        assert!(stylesheet("nope").is_none());
    }
}
