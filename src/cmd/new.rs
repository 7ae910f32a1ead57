//! `zhen new <category> "标题" [--column KEY]`: writes a new post as a page bundle (a folder
//! `content/<category>/<date>-<slug>/` with `index.md`, so its photos go beside it) with its
//! front matter filled in, and says where it is, where photos go and at which URL it will be
//! published.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use jiff::Timestamp;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::columns::COLUMNS_DIR;
use crate::site::permalink::post_path;
use crate::site::slug::slugify;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 分类的 key，例如 tourism
    category: String,
    /// 文章标题
    title: String,
    /// 归入的专题（content/columns/ 下的文件夹名）
    #[arg(long)]
    column: Option<String>,
    /// 网站根目录（包含 site.toml 的目录）
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Writes the post; refuses to overwrite an existing file.
pub fn run(args: &Args) -> ExitCode {
    match new_post(args) {
        Ok((file, url)) => {
            println!("{}", file.display());
            eprintln!("已新建文章：{}", file.display());
            if let Some(folder) = file.parent() {
                eprintln!(
                    "照片请放进文章的文件夹 {}，正文里写 ![照片说明](照片.jpg)，封面写 cover = \"照片.jpg\"；手机原图直接放即可，发布时会自动缩小、转正、去掉位置信息",
                    folder.display()
                );
            }
            eprintln!("发布后的网址：{url}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            super::report(&errors);
            ExitCode::FAILURE
        }
    }
}

fn new_post(args: &Args) -> Result<(PathBuf, String), Vec<Diagnostic>> {
    let root = super::site_root(&args.root).map_err(|d| vec![d])?;
    let config = Config::load(&root)?;
    let Some(category) = config
        .category_index(&args.category)
        .map(|i| &config.categories[i])
    else {
        let mut help = format!("可用的分类：{}", config.category_choices());
        let candidates = config
            .categories
            .iter()
            .flat_map(|c| [c.key.as_str(), c.name.as_str()]);
        if let Some(s) = did_you_mean(&args.category, candidates) {
            help = format!("你是不是想写 {s}？{help}");
        }
        return Err(vec![
            Diagnostic::error(format!(
                "分类 \"{}\" 没有在 site.toml 里配置",
                args.category
            ))
            .help(help),
        ]);
    };
    if let Some(column) = &args.column {
        let index = config
            .content_dir()
            .join(COLUMNS_DIR)
            .join(column)
            .join("_index.md");
        if !index.exists() {
            return Err(vec![
                Diagnostic::error(format!("专题 \"{column}\" 不存在")).help(format!(
                    "先新建 content/{COLUMNS_DIR}/{column}/_index.md，写上专题的标题和介绍"
                )),
            ]);
        }
    }
    let slug = match slugify(&args.title, &config.slug_overrides) {
        s if s.is_empty() => "post".to_string(),
        s => s,
    };
    let now = Timestamp::now().to_zoned_datetime(config.tz.clone());
    let dir = config.content_dir().join(&category.key);
    let name = format!("{}-{slug}", now.strftime("%Y-%m-%d"));
    let bundle = dir.join(&name);
    let file = bundle.join("index.md");
    let single = dir.join(format!("{name}.md"));
    if let Some(existing) = [&file, &single].into_iter().find(|f| f.exists()) {
        return Err(vec![
            Diagnostic::error(format!("文件已存在：{}", existing.display()))
                .in_file(existing)
                .help("zhen new 不会覆盖已有文章：换一个标题，或直接编辑这个文件"),
        ]);
    }
    let mut text = format!(
        "+++\ntitle = {}\ndate = {}\ncategory = {}\ntags = []\n",
        toml_string(&args.title),
        now.strftime("%Y-%m-%dT%H:%M:%S"),
        toml_string(&category.key)
    );
    if let Some(column) = &args.column {
        text.push_str(&format!("column = {}\n", toml_string(column)));
    }
    if !config.default_source.is_empty() {
        text.push_str(&format!(
            "source = {}\n",
            toml_string(&config.default_source)
        ));
    }
    text.push_str(
        "# cover = \"照片.jpg\"  （封面：把照片放进这个文件夹，去掉行首的 # 号）\n+++\n\n",
    );
    text.push_str(crate::content::SAMPLE_BODY);
    text.push('\n');
    let fail = |e: std::io::Error| {
        vec![
            Diagnostic::error(format!("无法写入 {}：{e}", file.display()))
                .help("请确认 content/ 目录可写"),
        ]
    };
    fs::create_dir_all(&bundle).map_err(fail)?;
    fs::write(&file, text).map_err(fail)?;
    let url = config.absolute(&post_path(&config.permalink, &category.slug, &now, &slug));
    Ok((file, url))
}

/// A TOML basic string with quotes and escapes.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
