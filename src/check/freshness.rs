//! F1–F6, freshness and completeness: undated posts, posts dated after today (a typo in the
//! year; they count for no freshness rule), a home page without new items,
//! categories and columns past their `update_every`, blank categories and columns, and
//! finished columns still presented as current.

use jiff::ZonedDateTime;

use super::html::{Target, resolve};
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::site::UNDATED;
use crate::site::columns::ColumnInfo;

/// The home page must get a new item within this many days (F3) …
const HOME_LIMIT: i64 = 14;
/// … and zhen warns this many days in.
const HOME_WARN: i64 = 10;
/// Five stale columns fail the whole site (F4).
const STALE_LIMIT: usize = 5;
/// An open-ended feature column silent for this long looks abandoned (F6).
const COLUMN_SILENCE: i64 = 180;

/// The model's errors as F1 findings, when every one of them is an undated post; else None
/// (the site has other problems and cannot be checked).
pub fn undated(errors: &[Diagnostic]) -> Option<Vec<Finding>> {
    if errors.is_empty() || errors.iter().any(|d| d.message != UNDATED) {
        return None;
    }
    Some(
        errors
            .iter()
            .map(|d| {
                let mut d = d.clone();
                if let (None, Some(file)) = (&d.location, &d.file)
                    && let Ok(text) = std::fs::read_to_string(file)
                {
                    d = d.at(Location::line_of(&text, 1));
                }
                let text = d
                    .file
                    .as_ref()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default();
                Finding::new(Rule::F1, d, text)
            })
            .collect(),
    )
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = future(audit);
    home(audit, &mut out);
    let stale_before = out.len();
    categories(audit, &mut out);
    for column in &audit.site.columns {
        column_rules(audit, column, &mut out);
    }
    out.extend(ended_on_home(audit));
    let stale = out[stale_before..]
        .iter()
        .filter(|f| f.rule == Rule::F4 && !f.is_error())
        .count();
    if stale >= STALE_LIMIT {
        out.push(Finding::new(
            Rule::F4,
            Diagnostic::error(format!(
                "{stale} 个栏目超期未更新：检查时 {STALE_LIMIT} 个及以上超期栏目会被判为整站不合格"
            ))
            .help("先给上面列出的栏目补发新文章；确实不再更新的栏目请从导航中撤下"),
            format!("{stale}"),
        ));
    }
    out
}

fn date(d: &ZonedDateTime) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// The newest date among `posts`, today at the latest: a post dated in the future is F2's.
fn newest<'a>(audit: &'a Audit<'_>, posts: &[usize]) -> Option<(&'a ZonedDateTime, usize)> {
    posts
        .iter()
        .filter_map(|&i| {
            audit.site.library.pages[i]
                .meta
                .date
                .as_ref()
                .map(|d| (d, i))
        })
        .filter(|(d, _)| audit.days_since(d) >= 0)
        .max_by_key(|(d, _)| *d)
}

/// How far ahead a post's date may be and still count as scheduled rather than mistyped.
const SCHEDULE_DAYS: i64 = 31;

/// F2: posts dated after today. Publish dates must be genuine, and a typo in the year would
/// keep the home page and its category looking fresh for months.
fn future(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for source in &audit.sources {
        let Some(i) = source
            .page
            .filter(|&i| audit.site.pages[i].category.is_some())
        else {
            continue;
        };
        let meta = &audit.site.library.pages[i].meta;
        let Some(d) = &meta.date else { continue };
        let ahead = -audit.days_since(d);
        if ahead <= 0 {
            continue;
        }
        let at = meta
            .key_location(&source.text, "date")
            .unwrap_or_else(|| Location::line_of(&source.text, 1));
        // Within a month it is most likely a post scheduled on purpose, which `zhen build`
        // holds back until its time; further ahead, a mistyped year or month.
        let d_text = date(d);
        let diagnostic = if ahead <= SCHEDULE_DAYS {
            Diagnostic::warning(format!(
                "《{}》定时发布：日期 {d_text} 比今天（{}）晚 {ahead} 天，zhen build 在那之前不会发布它",
                meta.title,
                date(&audit.now)
            ))
            .help("如果不是有意定时发布，请把 date 改成真实的发布时间")
        } else {
            Diagnostic::error(format!(
                "《{}》的发布日期 {d_text} 比今天（{}）晚 {ahead} 天",
                meta.title,
                date(&audit.now)
            ))
            .help("发布日期必须是真实的发布时间：多半是年份或月份写错了，请改正 date；首页和栏目的更新时间不会按这个日期计算")
        };
        out.push(source.finding(Rule::F2, diagnostic, at, date(d)));
    }
    out
}

fn home(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    let Some((latest, i)) = newest(audit, &audit.site.posts) else {
        out.push(
            Finding::new(
                Rule::F3,
                Diagnostic::warning("首页还没有任何文章")
                    .help("至少每 14 天在首页发布一条新信息；用 zhen new 分类 \"标题\" 新建文章"),
                "",
            )
            .on_page("/"),
        );
        return;
    };
    let days = audit.days_since(latest);
    if days < HOME_WARN {
        return;
    }
    let title = &audit.site.library.pages[i].meta.title;
    let (severity, message) = if days >= HOME_LIMIT {
        (
            if audit.strict {
                Severity::Error
            } else {
                Severity::Warning
            },
            format!("首页已经 {days} 天没有新文章，超过了 {HOME_LIMIT} 天的期限"),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "首页已经 {days} 天没有新文章，再过 {} 天就超过 {HOME_LIMIT} 天的期限",
                HOME_LIMIT - days
            ),
        )
    };
    let mut d = Diagnostic::warning(message).help(format!(
        "最近一篇是 {} 发布的《{title}》；请尽快发布新信息",
        date(latest)
    ));
    d.severity = severity;
    out.push(Finding::new(Rule::F3, d, date(latest)).on_page("/"));
}

fn categories(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    let site = audit.site;
    let (toml_path, toml) = audit.site_toml();
    for (ci, cat) in site.config.categories.iter().enumerate() {
        let at = Audit::find_in(&toml, &format!("\"{}\"", cat.key));
        let url = crate::site::category_path(&cat.slug);
        let Some((latest, _)) = newest(audit, &site.categories[ci]) else {
            out.push(
                Finding::new(
                    Rule::F5,
                    Diagnostic::error(format!("栏目“{}”还没有任何文章", cat.name))
                        .in_file(&toml_path)
                        .at_opt(at)
                        .help(format!(
                            "空白栏目在检查中直接扣分：发布第一篇文章（zhen new {} \"标题\"），或从 site.toml 删去这个分类",
                            cat.key
                        )),
                    cat.name.clone(),
                )
                .on_page(&url),
            );
            continue;
        };
        if let Some(every) = &cat.update_every
            && let Some(f) = stale(audit, &cat.name, every, latest)
        {
            let key_at = toml.find(&format!("\"{}\"", cat.key));
            let every_at = key_at.and_then(|k| toml[k..].find(every.as_str()).map(|i| k + i));
            let at = every_at
                .map(|i| Location::in_source(&toml, i..i + every.len()))
                .or(at);
            out.push(
                Finding::new(Rule::F4, f.in_file(&toml_path).at_opt(at), cat.name.clone())
                    .on_page(&url),
            );
        }
    }
}

/// A warning when the newest post (`latest`) of `name` is older than `every` allows.
fn stale(audit: &Audit<'_>, name: &str, every: &str, latest: &ZonedDateTime) -> Option<Diagnostic> {
    let span = every.parse::<jiff::Span>().ok()?;
    let due = latest.checked_add(span).ok()?;
    if due.timestamp() >= audit.now.timestamp() {
        return None;
    }
    Some(
        Diagnostic::warning(format!(
            "栏目“{name}”已经 {} 天没有更新（要求每 {every} 更新一次）",
            audit.days_since(latest)
        ))
        .help(format!(
            "最近一篇发布于 {}，应在 {} 之前更新；请补发新文章",
            date(latest),
            date(&due)
        )),
    )
}

fn column_rules(audit: &Audit<'_>, column: &ColumnInfo, out: &mut Vec<Finding>) {
    let site = audit.site;
    let section = &site.library.sections[column.section];
    let text = std::fs::read_to_string(&section.path).unwrap_or_default();
    let at = |key: &str| section.meta.key_location(&text, key);
    let name = &section.meta.title;
    let Some((latest, latest_page)) = newest(audit, &column.posts) else {
        out.push(
            Finding::new(
                Rule::F5,
                Diagnostic::error(format!("专题“{name}”还没有任何文章"))
                    .in_file(&section.path)
                    .at_opt(at("title"))
                    .help(format!(
                        "给文章写上 column = \"{}\" 加入这个专题，或删去 content/columns/{}/",
                        column.key, column.key
                    )),
                name.clone(),
            )
            .on_page(&column.path),
        );
        return;
    };
    if let Some(end) = &section.meta.end
        && latest > end
    {
        let page = &site.library.pages[latest_page];
        let page_text = std::fs::read_to_string(&page.path).unwrap_or_default();
        out.push(
            Finding::new(
                Rule::F6,
                Diagnostic::warning(format!(
                    "专题“{name}”的结束日期 {} 早于其中最新文章的发布日期 {}",
                    date(end),
                    date(latest)
                ))
                .in_file(&page.path)
                .at_opt(page.meta.key_location(&page_text, "date"))
                .help(format!(
                    "专题还在更新的话，把 {} 里的 end 改晚；已经结束的话，这篇文章不应再放进专题",
                    section.path.display()
                )),
                date(end),
            )
            .on_page(&column.path),
        );
    }
    if column.ended {
        return;
    }
    match &section.meta.update_every {
        Some(every) if every.parse::<jiff::Span>().is_err() => out.push(Finding::new(
            Rule::F4,
            Diagnostic::error(format!("update_every 的值 \"{every}\" 无法识别"))
                .in_file(&section.path)
                .at_opt(at("update_every"))
                .help("写成天数或月数，例如 \"14d\"、\"6 months\""),
            every.clone(),
        )),
        Some(every) => {
            if let Some(d) = stale(audit, name, every, latest) {
                out.push(
                    Finding::new(
                        Rule::F4,
                        d.in_file(&section.path).at_opt(at("update_every")),
                        name.clone(),
                    )
                    .on_page(&column.path),
                );
            }
        }
        None if audit.days_since(latest) > COLUMN_SILENCE => out.push(
            Finding::new(
                Rule::F6,
                Diagnostic::warning(format!(
                    "专题“{name}”已经 {} 天没有新文章，却仍列在进行中的专题里",
                    audit.days_since(latest)
                ))
                .in_file(&section.path)
                .at_opt(at("title"))
                .help("专题已经结束的话，在 _index.md 写上 end = 结束日期，它会移入“往期专题”；还在进行的话请补发文章"),
                name.clone(),
            )
            .on_page(&column.path),
        ),
        None => {}
    }
}

/// F6: the home page still links to a column that has ended, as if it were current.
fn ended_on_home(audit: &Audit<'_>) -> Vec<Finding> {
    let ended: Vec<&ColumnInfo> = audit.site.columns.iter().filter(|c| c.ended).collect();
    let Some(home) = audit.docs().iter().find(|d| d.url == "/") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let domain = audit.site.config.domain();
    for r in &home.refs {
        let Target::Internal { path, .. } = resolve(&r.url, "/", domain) else {
            continue;
        };
        if let Some(c) = ended.iter().find(|c| c.path == path) {
            let title = &audit.site.library.sections[c.section].meta.title;
            let (file, location) = audit.locate(home, &r.url, r.span.clone());
            let mut d = Diagnostic::warning(format!("专题“{title}”已经结束，首页仍把它当作当前专题链接"))
                .at(location)
                .help("把它从首页撤下，或放进“往期专题”；如果首页这一处本来就是往期专题，可在 site.toml 的 [check] ignore 里为 F6 写上 \"/\"");
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::F6, d, r.url.clone()).on_page("/"));
        }
    }
    out
}
