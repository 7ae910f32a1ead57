//! C2 and C3, wording: the site's `wording.toml` lists wrong → right words (errors),
//! discouraged → preferred words (warnings), blocked names (errors) and exceptions (correct
//! phrases that contain a listed word, `按装修` for `按装`); one Aho–Corasick automaton finds
//! them all in every file whose text a page shows (content files — titles, summaries, bodies,
//! authors … —, templates and site.toml), also across a soft line break of the source.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use serde::Deserialize;

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

/// The file, in the site's root.
pub const FILE: &str = "wording.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    wrong: BTreeMap<String, String>,
    #[serde(default)]
    discouraged: BTreeMap<String, String>,
    #[serde(default)]
    blocked: Blocked,
    /// Listed word → correct phrases that contain it.
    #[serde(default)]
    exceptions: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Blocked {
    #[serde(default)]
    names: Vec<String>,
}

/// What a listed word is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An error; the right word.
    Wrong(String),
    /// A warning; the preferred word.
    Discouraged(String),
    /// A blocked name (C3).
    Blocked,
    /// A correct phrase containing a listed word: not reported.
    Exception,
}

/// One listed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub word: String,
    pub kind: Kind,
}

/// A loaded wording.toml.
#[derive(Debug)]
pub struct Wording {
    matcher: AhoCorasick,
    entries: Vec<Entry>,
}

impl Wording {
    /// Loads `root/wording.toml`; None when the site has none.
    pub fn load(root: &Path) -> Result<Option<Wording>, Vec<Diagnostic>> {
        let path = root.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let text = crate::content::read_utf8(&path).map_err(|d| vec![d])?;
        Wording::parse(&text, &path).map(Some)
    }

    /// Parses wording.toml text; `path` is named in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Wording, Vec<Diagnostic>> {
        let raw: Raw =
            toml::from_str(text).map_err(|e| vec![crate::config::toml_error(&e, text, path)])?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut errors = Vec::new();
        let bad = |word: &str, msg: String, help: &str| {
            Diagnostic::error(msg)
                .in_file(path)
                .at_opt(Audit::find_in(text, &format!("\"{word}\"")))
                .help(help.to_string())
        };
        let pairs = raw
            .wrong
            .into_iter()
            .map(|(w, r)| (w, Kind::Wrong(r)))
            .chain(
                raw.discouraged
                    .into_iter()
                    .map(|(w, r)| (w, Kind::Discouraged(r))),
            )
            .chain(raw.blocked.names.into_iter().map(|n| (n, Kind::Blocked)));
        for (word, kind) in pairs {
            let word = word.trim().to_string();
            if word.is_empty() {
                errors.push(bad("", "wording.toml 里有空的词".into(), "删去这一项"));
                continue;
            }
            if let Kind::Wrong(right) | Kind::Discouraged(right) = &kind
                && right.contains(word.as_str())
            {
                errors.push(bad(
                    &word,
                    format!("“{word}”的改正写法“{right}”里仍然含有“{word}”，改正后也会被报告"),
                    "把左边写成只在错误写法里出现的词，例如把“截止目前”而不是“截止”列为错误",
                ));
                continue;
            }
            if entries.iter().any(|e| e.word == word) {
                errors.push(bad(
                    &word,
                    format!("“{word}”在 wording.toml 里出现了不止一次"),
                    "每个词只能出现在一个列表里一次",
                ));
                continue;
            }
            entries.push(Entry { word, kind });
        }
        for (word, phrases) in raw.exceptions {
            if !entries.iter().any(|e| e.word == word) {
                errors.push(bad(
                    &word,
                    format!("[exceptions] 里的“{word}”不在错误、不推荐或禁用名单里"),
                    "[exceptions] 写的是含有已列出词语的正确说法，例如 \"按装\" = [\"按装修\"]",
                ));
                continue;
            }
            for phrase in phrases {
                let phrase = phrase.trim().to_string();
                if !phrase.contains(word.as_str()) || phrase == word {
                    errors.push(bad(
                        &phrase,
                        format!("例外“{phrase}”应当是含有“{word}”的更长的说法"),
                        "例如 \"按装\" = [\"按装修\", \"按装机容量\"]",
                    ));
                } else if !entries.iter().any(|e| e.word == phrase) {
                    entries.push(Entry {
                        word: phrase,
                        kind: Kind::Exception,
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(entries.iter().map(|e| e.word.as_str()))
            .map_err(|e| {
                vec![Diagnostic::error(format!("wording.toml 无法使用：{e}")).in_file(path)]
            })?;
        Ok(Wording { matcher, entries })
    }

    /// Every listed word in `text`, leftmost-longest, with its byte range (exceptions left
    /// out); a word split by a line break inside a paragraph is found too, its range then
    /// ending on the next line.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, &Entry)> {
        let (joined, cuts) = join_lines(text);
        let original = |at: usize| {
            let i = cuts.partition_point(|(j, _)| *j <= at);
            at + i.checked_sub(1).map_or(0, |i| cuts[i].1)
        };
        self.matcher
            .find_iter(&joined)
            .map(|m| (m.range(), &self.entries[m.pattern().as_usize()]))
            .filter(|(_, e)| e.kind != Kind::Exception)
            .map(|(r, e)| (original(r.start)..original(r.end - 1) + 1, e))
            .collect()
    }
}

/// `text` with every line break between two non-ASCII characters of one paragraph removed
/// (with the spaces around it), as readers see a Chinese paragraph written on several source
/// lines; and for each cut, the offset in the result after which `removed` more bytes of the
/// original lie before it.
fn join_lines(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut cuts = Vec::new();
    let mut removed = 0;
    let mut rest = text;
    while let Some(nl) = rest.find('\n') {
        let line = &rest[..nl];
        let after = &rest[nl + 1..];
        let kept = line.trim_end_matches([' ', '\t', '\r']);
        let next = after.trim_start_matches([' ', '\t']);
        let joins = kept.chars().next_back().is_some_and(|c| !c.is_ascii())
            && next.chars().next().is_some_and(|c| !c.is_ascii());
        if joins {
            out.push_str(kept);
            removed += rest.len() - kept.len() - next.len();
            cuts.push((out.len(), removed));
            rest = next;
        } else {
            out.push_str(&rest[..=nl]);
            rest = after;
        }
    }
    out.push_str(rest);
    (out, cuts)
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let Some(wording) = &audit.wording else {
        return Vec::new();
    };
    // Every file in parallel; the findings keep the files' order.
    let per_file: Vec<Vec<Finding>> = audit.written().par_iter().map(|file| {
        let mut out = Vec::new();
        let text = file.text;
        for (range, entry) in wording.find(text) {
            let (rule, d) = match &entry.kind {
                Kind::Wrong(right) => (
                    Rule::C2,
                    Diagnostic::error(format!("“{}”是错误写法，应为“{right}”", entry.word))
                        .help(format!("改成“{right}”")),
                ),
                Kind::Discouraged(better) => (
                    Rule::C2,
                    Diagnostic::warning(format!("不推荐使用“{}”，建议写“{better}”", entry.word))
                        .help(format!("改成“{better}”；确有必要保留时用 <!-- zhen-ignore C2 理由 --> 注明")),
                ),
                Kind::Blocked => (
                    Rule::C3,
                    Diagnostic::error(format!("出现了禁用名单上的人名“{}”", entry.word)).help(
                        "删除或改写这一处；确需保留（例如历史报道）须经审核，并用 <!-- zhen-ignore C3 理由 --> 注明",
                    ),
                ),
                Kind::Exception => continue,
            };
            let mut f = Finding::new(
                rule,
                d.in_file(file.path).at(Location::in_source(text, range)),
                entry.word.clone(),
            );
            if let Some(url) = file.url {
                f = f.on_page(url);
            }
            out.push(f);
        }
        out
    }).collect();
    per_file.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wording(text: &str) -> Result<Wording, Vec<Diagnostic>> {
        Wording::parse(text, Path::new("wording.toml"))
    }

    #[test]
    fn every_list_is_found_leftmost_longest() {
        let w = wording(
            "[wrong]\n\"攻府\" = \"政府\"\n\"社会主意\" = \"社会主义\"\n[discouraged]\n\"其它\" = \"其他\"\n[blocked]\nnames = [\"张三丰\"]\n",
        )
        .unwrap();
        let text = "镇攻府学习社会主意，其它事项由张三丰负责。";
        let found: Vec<(&str, &Kind)> = w
            .find(text)
            .into_iter()
            .map(|(r, e)| (&text[r], &e.kind))
            .collect();
        assert_eq!(
            found,
            vec![
                ("攻府", &Kind::Wrong("政府".into())),
                ("社会主意", &Kind::Wrong("社会主义".into())),
                ("其它", &Kind::Discouraged("其他".into())),
                ("张三丰", &Kind::Blocked),
            ]
        );
        assert!(w.find("政府和社会主义").is_empty());
    }

    #[test]
    fn a_correction_containing_its_mistake_is_refused() {
        let errs = wording("[wrong]\n\"截止\" = \"截止到\"\n").unwrap_err();
        let shown = errs[0].render(false);
        assert!(shown.contains("wording.toml:2:1"), "{shown}");
    }

    #[test]
    fn unknown_tables_are_located() {
        let errs = wording("[wrongs]\n\"a\" = \"b\"\n").unwrap_err();
        assert!(
            errs[0].render(false).contains("wording.toml:1:"),
            "{}",
            errs[0]
        );
    }
}
