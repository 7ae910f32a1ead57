//! Rendering: every output of the site (pages, lists, static files) from the model, the
//! rendered Markdown and the templates, in parallel.

pub mod filters;
pub mod functions;
pub mod templates;
pub mod theme;
pub mod values;

use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::markdown::SiteMarkdown;
use crate::output::{Body, Output};
use crate::site::paginate::{Pager, paginate};
use crate::site::permalink::{asset_dir, output_file};
use crate::site::{Site, category_path};
use functions::Lookup;
use templates::Sources;
use theme::Theme;
use values::{Values, obj};

/// One HTML output to render.
enum Job {
    /// A page of a paginated list.
    List {
        template: String,
        extra: (&'static str, Value),
        items: Arc<Vec<usize>>,
        pager: Pager,
        pagers: Arc<Vec<Pager>>,
    },
    Page {
        index: usize,
        template: String,
    },
}

/// Renders every output of `site`.
pub fn render_site(site: &Site, markdown: &SiteMarkdown) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let config = &site.config;
    let theme = Theme::load(&config.root, &config.theme).map_err(|d| vec![d])?;
    let values = Arc::new(Values::build(site, &markdown.pages, &markdown.sections));
    let lookup = Arc::new(Lookup::new(site, values.clone()));
    let (mut tera, sources) =
        templates::load(&config.root, theme.templates, lookup).map_err(|d| vec![d])?;
    let globals = tera.global_context();
    globals.insert_value("config", values.config.clone());
    globals.insert("lang", &config.language);

    let jobs = jobs(site, &tera, &sources)?;
    let rendered: Vec<Result<Output, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(job, site, &values, &tera, &sources))
        .collect();
    let mut outputs = Vec::with_capacity(rendered.len() + theme.static_files.len());
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(o) => outputs.push(o),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    outputs.extend(static_outputs(site, theme.static_files).map_err(|d| vec![d])?);
    Ok(outputs)
}

/// Lists every HTML output; a page naming a template that does not exist is an error.
fn jobs(site: &Site, tera: &Tera, sources: &Sources) -> Result<Vec<Job>, Vec<Diagnostic>> {
    let per_page = site.config.paginate_by;
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    let mut list = |template: &str, extra: (&'static str, Value), items: Vec<usize>, base: &str| {
        let pagers = Arc::new(paginate(base, items.len(), per_page));
        let items = Arc::new(items);
        for pager in pagers.iter() {
            jobs.push(Job::List {
                template: template.to_string(),
                extra: extra.clone(),
                items: items.clone(),
                pager: pager.clone(),
                pagers: pagers.clone(),
            });
        }
    };
    let root_section = site.library.sections.iter().position(|s| s.dir.is_empty());
    list(
        "index.html",
        (
            "section",
            root_section.map_or_else(Value::none, Value::from),
        ),
        site.home.clone(),
        "/",
    );
    for (ci, c) in site.config.categories.iter().enumerate() {
        list(
            "category.html",
            ("category", Value::from(ci)),
            site.categories[ci].clone(),
            &category_path(&c.slug),
        );
    }
    for (ti, t) in site.tags.iter().enumerate() {
        list(
            "tag.html",
            ("tag", Value::from(ti)),
            t.posts.clone(),
            &t.path,
        );
    }
    for (si, (s, info)) in site.library.sections.iter().zip(&site.sections).enumerate() {
        if s.dir.is_empty() {
            continue;
        }
        let template = s
            .meta
            .template
            .clone()
            .unwrap_or_else(|| "section.html".into());
        if !tera.contains_template(&template) {
            errors.push(missing_template(
                &template,
                &s.path,
                sources,
                crate::site::locate_key(&s.path, &s.meta, "template"),
            ));
            continue;
        }
        list(
            &template,
            ("section", Value::from(si)),
            info.pages.clone(),
            &info.path,
        );
    }
    for (i, page) in site.library.pages.iter().enumerate() {
        let template = page
            .meta
            .template
            .clone()
            .unwrap_or_else(|| "page.html".into());
        if !tera.contains_template(&template) {
            errors.push(missing_template(
                &template,
                &page.path,
                sources,
                crate::site::locate_key(&page.path, &page.meta, "template"),
            ));
            continue;
        }
        jobs.push(Job::Page { index: i, template });
    }
    for name in ["index.html", "category.html", "tag.html"] {
        if !tera.contains_template(name) {
            errors.push(missing_template(
                name,
                &site.config.root.join("templates"),
                sources,
                None,
            ));
        }
    }
    if errors.is_empty() {
        Ok(jobs)
    } else {
        Err(errors)
    }
}

fn missing_template(
    name: &str,
    file: &std::path::Path,
    sources: &Sources,
    at: Option<crate::diagnostics::Location>,
) -> Diagnostic {
    Diagnostic::error(format!("找不到模板 {name}"))
        .in_file(file)
        .at_opt(at)
        .help(format!(
            "在 templates/{name} 新建这个模板，或改用现有模板：{}",
            sources.names().collect::<Vec<_>>().join("、")
        ))
}

fn render_job(
    job: &Job,
    site: &Site,
    values: &Values,
    tera: &Tera,
    sources: &Sources,
) -> Result<Output, Diagnostic> {
    let mut ctx = Context::new();
    let (template, path) = match job {
        Job::Page { index, template } => {
            ctx.insert_value("page", values.pages[*index].clone());
            let info = &site.pages[*index];
            if let Some(c) = info.category {
                ctx.insert_value("category", values.categories[c].clone());
            }
            (template, info.path.clone())
        }
        Job::List {
            template,
            extra: (name, which),
            items,
            pager,
            pagers,
        } => {
            let value = match (*name, which.as_u64()) {
                ("category", Some(i)) => values.categories[i as usize].clone(),
                ("tag", Some(i)) => values.tags[i as usize].clone(),
                ("section", Some(i)) => values.sections[i as usize].clone(),
                _ => Value::none(),
            };
            ctx.insert_value(*name, value);
            ctx.insert_value("paginator", paginator(site, values, items, pager, pagers));
            (template, pager.path.clone())
        }
    };
    ctx.insert("current_path", &path);
    ctx.insert("current_url", &site.config.absolute(&path));
    let html = tera
        .render(template, &ctx)
        .map_err(|e| sources.error(&e, &format!("渲染 {path} 时模板 {template} 出错")))?;
    Ok(Output {
        path: output_file(&path),
        body: Body::Rendered(html.into_bytes()),
    })
}

fn paginator(
    site: &Site,
    values: &Values,
    items: &[usize],
    pager: &Pager,
    pagers: &[Pager],
) -> Value {
    let link = |i: usize| {
        pagers
            .get(i.wrapping_sub(1))
            .map_or_else(Value::none, |p| Value::from(p.path.as_str()))
    };
    obj([
        (
            "pages",
            Value::from(
                items[pager.range.clone()]
                    .iter()
                    .map(|&i| values.summaries[i].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        ("current_index", pager.index.into()),
        ("number_pagers", pagers.len().into()),
        ("total_pages", items.len().into()),
        ("paginate_by", site.config.paginate_by.into()),
        ("first", link(1)),
        ("last", link(pagers.len())),
        (
            "previous",
            if pager.index > 1 {
                link(pager.index - 1)
            } else {
                Value::none()
            },
        ),
        ("next", link(pager.index + 1)),
        (
            "pagers",
            Value::from(
                pagers
                    .iter()
                    .map(|p| obj([("index", p.index.into()), ("path", p.path.as_str().into())]))
                    .collect::<Vec<_>>(),
            ),
        ),
    ])
}

/// Theme and site static files, the highlighting stylesheet, and files that travel with pages
/// and sections.
fn static_outputs(
    site: &Site,
    theme_static: Vec<(String, Body)>,
) -> Result<Vec<Output>, Diagnostic> {
    let root = &site.config.root;
    let content = site.config.content_dir();
    let mut out: Vec<Output> = theme_static
        .into_iter()
        .map(|(path, body)| Output { path, body })
        .collect();
    out.extend(
        theme::files_on_disk(&root.join("static"))?
            .into_iter()
            .map(|(path, body)| Output { path, body }),
    );
    let highlight_theme = &site.config.markdown.highlight_theme;
    let css = crate::markdown::highlight::stylesheet(highlight_theme).ok_or_else(|| {
        Diagnostic::error(format!("没有名为 \"{highlight_theme}\" 的代码高亮主题"))
            .in_file(root.join("site.toml"))
            .help(format!(
                "[markdown] highlight_theme 可选：{}",
                crate::markdown::highlight::theme_names().join("、")
            ))
    })?;
    out.push(Output {
        path: "syntax.css".into(),
        body: Body::Rendered(css.into_bytes()),
    });
    for (page, info) in site.library.pages.iter().zip(&site.pages) {
        let dir = page.rel.trim_end_matches("index.md");
        for asset in &page.assets {
            out.push(Output {
                path: format!("{}{asset}", asset_dir(&info.path).trim_start_matches('/')),
                body: Body::File(content.join(dir).join(asset)),
            });
        }
    }
    for (section, info) in site.library.sections.iter().zip(&site.sections) {
        for asset in &section.assets {
            out.push(Output {
                path: format!("{}{asset}", info.path.trim_start_matches('/')),
                body: Body::File(section.path.with_file_name(asset)),
            });
        }
    }
    for file in &site.library.loose_files {
        out.push(Output {
            path: file.clone(),
            body: Body::File(content.join(file)),
        });
    }
    Ok(out)
}
