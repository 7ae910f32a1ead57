//! IMPORT-REPORT.md: what was imported where, how old URLs were kept, how categories were
//! mapped, and file by file what could not be converted — in Chinese, for the office that
//! finishes the move. Deterministic, so a repeated import writes the same report.

use std::fmt::Write;
use std::path::Path;

use super::Tool;
use super::place::Plan;

/// One imported file.
pub struct Entry {
    pub from: String,
    pub to: String,
    pub url: String,
    pub aliases: Vec<String>,
    pub post: bool,
    pub problems: Vec<String>,
}

/// What the write counted, and the files whose checks were let through for now.
pub struct Totals {
    /// Images and attachments moved beside posts.
    pub images: usize,
    /// Other static files copied to static/.
    pub copied: usize,
    /// Content paths with images lacking alt text (A1) and with missing files (C1).
    pub a1: Vec<String>,
    pub c1: Vec<String>,
}

pub fn render(tool: Tool, src: &Path, plan: &Plan, entries: &[Entry], totals: &Totals) -> String {
    let Totals {
        images,
        copied,
        a1,
        c1,
    } = totals;
    let mut s = String::new();
    let name = src.file_name().map_or_else(
        || src.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let posts = entries.iter().filter(|e| e.post).count();
    let pages = entries.len() - posts;
    let aliased = entries.iter().filter(|e| !e.aliases.is_empty()).count();
    let problems: usize = entries.iter().map(|e| e.problems.len()).sum();
    let _ = writeln!(s, "# 导入报告\n");
    let _ = writeln!(s, "来源：{} 网站 `{name}`\n", tool.name());
    let _ = writeln!(s, "## 总数\n");
    let _ = writeln!(s, "- 文章：{posts} 篇");
    let _ = writeln!(s, "- 普通页面：{pages} 个");
    let _ = writeln!(
        s,
        "- 图片和附件：{images} 个移到了文章旁边，{copied} 个其他静态文件复制到 static/（网址不变）"
    );
    let _ = writeln!(
        s,
        "- 网址：{} 篇文章的网址和原来完全一样，{aliased} 个文件的旧网址生成了跳转页（aliases）",
        plan.exact
    );
    let _ = writeln!(
        s,
        "- 需要处理的问题：{} 条（逐个文件列在下面）\n",
        problems + plan.notes.len()
    );
    let _ = writeln!(s, "## 网址格式\n");
    let _ = writeln!(s, "site.toml 里 permalink = \"{}\"。", plan.pattern);
    let _ = writeln!(
        s,
        "网址和原来不同的文章在开头的 aliases 里记下了旧网址，zhen 会在旧网址生成跳转页，已经发布的链接不会失效。\n"
    );
    let _ = writeln!(s, "## 分类对照\n");
    let _ = writeln!(s, "| 原分类 | zhen 分类 | key | 说明 |\n|---|---|---|---|");
    for c in &plan.categories {
        if c.from.is_empty() {
            continue;
        }
        let how = if c.standard {
            "对应标准分类"
        } else {
            "标准分类里没有，新建了这个分类"
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {how} |",
            c.from.join("、"),
            c.name,
            c.key
        );
    }
    let _ = writeln!(
        s,
        "\n分类的层级（如 Hexo 的 `[Java, Spring]`）：第一层是分类，下面各层记为标签。\n"
    );
    if !a1.is_empty() || !c1.is_empty() {
        let _ = writeln!(s, "## 暂时放行的检查\n");
        let _ = writeln!(
            s,
            "这些文件的图片缺少替代文字（A1）或引用的文件找不到（C1），site.toml 的 [check.ignore] 暂时放行了它们，网站可以先生成；请逐篇改好后从 [check.ignore] 里删掉。\n"
        );
        // The lists hold each file's content path, then its site path.
        for f in a1.iter().step_by(2) {
            let _ = writeln!(s, "- A1 content/{f}");
        }
        for f in c1.iter().step_by(2) {
            let _ = writeln!(s, "- C1 content/{f}");
        }
        s.push('\n');
    }
    if !plan.notes.is_empty() {
        let _ = writeln!(s, "## 整体问题\n");
        for n in &plan.notes {
            let _ = writeln!(s, "- {n}");
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## 逐个文件\n");
    for e in entries {
        let _ = writeln!(s, "### {}\n", e.from);
        let _ = writeln!(
            s,
            "- 导入为：{}（{}）",
            e.to,
            if e.post { "文章" } else { "普通页面" }
        );
        let _ = writeln!(s, "- 新网址：{}", e.url);
        for a in &e.aliases {
            let _ = writeln!(s, "- 旧网址（跳转）：{a}");
        }
        if e.problems.is_empty() {
            let _ = writeln!(s, "- 没有问题");
        }
        for p in &e.problems {
            let _ = writeln!(s, "- 问题：{p}");
        }
        s.push('\n');
    }
    s
}
