//! Rendering: every output of the site (pages, lists, feeds, site maps, static files) from the
//! model, the rendered Markdown and the templates, in parallel.

mod cache;
pub mod filters;
pub mod fingerprint;
pub mod functions;
pub mod meta;
pub mod plan;
pub mod qr;
pub mod templates;
pub mod theme;
pub mod values;

use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::markdown::SiteMarkdown;
use crate::output::{Body, Output};
use crate::site::Site;
use crate::site::permalink::asset_dir;
use cache::{Last, Rendered};
pub use cache::{RenderCache, SavedOutput, SavedRender};
use functions::{Call, Lookup};
use plan::{Job, Planner};
use templates::Sources;
use theme::Theme;
use values::Values;

/// Renders every output of `site`; with a `cache`, only those whose fingerprint changed.
pub fn render_site(
    site: &Site,
    markdown: &SiteMarkdown,
    mut cache: Option<&mut RenderCache>,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let config = &site.config;
    let theme = Theme::load(&config.root, &config.theme).map_err(|d| vec![d])?;
    let last = cache.as_deref_mut().and_then(RenderCache::take);
    let values = Arc::new(Values::build(
        site,
        &markdown.pages,
        &markdown.sections,
        last.as_ref().and_then(|l| l.values.as_deref()),
    ));
    let lookup = Arc::new(Lookup::new(site, values.clone()));
    let (mut tera, sources) =
        templates::load(&config.root, theme.templates, lookup.clone()).map_err(|d| vec![d])?;
    let globals = [
        ("config", values.config.clone()),
        ("columns", Value::from(values.columns.clone())),
        ("lang", Value::from(config.language.as_str())),
    ];
    for (name, value) in &globals {
        tera.global_context().insert_value(*name, value.clone());
    }

    let (mut memo, hashes) = values::remember(
        &values,
        &markdown.pages,
        last.as_ref()
            .filter(|l| l.values.is_some())
            .map(|l| &l.hashes),
    );
    let jobs = Planner::new(
        site,
        &values,
        &mut memo,
        last.as_ref().map(|l| l.jobs.as_slice()),
    )
    .plan();
    check_templates(site, &jobs, &tera, &sources)?;

    // With a cache, a job whose fingerprint is unchanged keeps its previous output.
    let template_hashes = cache
        .as_ref()
        .map(|_| fingerprint::template_hashes(&sources.texts()));
    let globals_hash = fingerprint::vars_hash(&globals, &memo);
    let template_hash = |job: &Job| -> Option<u64> {
        let h = template_hashes.as_ref()?.get(&job.template).copied();
        Some(h.unwrap_or_default() ^ globals_hash)
    };
    let vars_hash = |job: &Job| {
        *job.vars_hash
            .get_or_init(|| fingerprint::vars_hash(&job.vars, &memo))
    };
    let previous: Vec<Option<&Arc<Rendered>>> = match &last {
        None => vec![None; jobs.len()],
        Some(last) => last.outputs_for(&jobs, values.fresh.same_model),
    };
    // Many outputs made the same lookups: their answers are hashed once per list.
    let mut lists: rustc_hash::FxHashMap<usize, u64> = Default::default();
    for old in previous.iter().flatten() {
        lists
            .entry(old.calls.as_ptr() as usize)
            .or_insert_with(|| fingerprint::calls_hash(&old.calls, &lookup, &memo));
    }
    // The calls of an output rendered now; none for one kept.
    type Outcome = Result<(Arc<Rendered>, Option<Vec<Call>>), Diagnostic>;
    let results: Vec<Outcome> = jobs
        .par_iter()
        .zip(&previous)
        .map(|(job, old)| {
            if let (Some(old), Some(template)) = (old, template_hash(job))
                && fingerprint::fingerprint(
                    template,
                    &job.path,
                    vars_hash(job),
                    lists[&(old.calls.as_ptr() as usize)],
                ) == old.fingerprint
            {
                return Ok(((*old).clone(), None));
            }
            let (body, calls) = functions::recording(|| render_job(job, site, &tera, &sources));
            let body = body?;
            let fingerprint = template_hash(job).map_or(0, |template| {
                let calls = fingerprint::calls_hash(&calls, &lookup, &memo);
                fingerprint::fingerprint(template, &job.path, vars_hash(job), calls)
            });
            let rendered = Rendered {
                fingerprint,
                calls: Arc::from([]),
                body,
            };
            Ok((Arc::new(rendered), Some(calls)))
        })
        .collect();
    drop(previous);
    drop(last);
    let mut outputs = Vec::with_capacity(results.len() + theme.static_files.len());
    let mut errors = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    let mut renders = 0;
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok((mut entry, calls)) => {
                if let Some(calls) = calls {
                    renders += 1;
                    if let (Some(cache), Some(e)) = (cache.as_deref_mut(), Arc::get_mut(&mut entry))
                    {
                        e.calls = cache.share(calls);
                    }
                }
                outputs.push(Output {
                    path: job.output.clone(),
                    body: entry.body.clone(),
                });
                rendered.push(Some(entry));
            }
            Err(e) => {
                errors.push(e);
                rendered.push(None);
            }
        }
    }
    if let Some(cache) = cache {
        cache.keep(
            Last {
                values: Some(values),
                hashes,
                jobs,
                rendered,
            },
            renders,
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    outputs.extend(static_outputs(site, theme.static_files).map_err(|d| vec![d])?);
    Ok(outputs)
}

/// Every template a job names must exist; a page naming a missing one is located.
fn check_templates(
    site: &Site,
    jobs: &[Arc<Job>],
    tera: &Tera,
    sources: &Sources,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for job in jobs.iter().filter(|j| !tera.contains_template(&j.template)) {
        // Each missing template once per source (a section's pages share one).
        if !reported.insert((job.template.as_str(), job.source.as_deref())) {
            continue;
        }
        let mut d = Diagnostic::error(format!("找不到模板 {}", job.template)).help(format!(
            "在 templates/{} 新建这个模板，或改用现有模板：{}",
            job.template,
            sources.names().collect::<Vec<_>>().join("、")
        ));
        if let Some(file) = &job.source {
            let pages = site.library.pages.iter().map(|p| (&p.path, &p.meta));
            let sections = site.library.sections.iter().map(|s| (&s.path, &s.meta));
            let meta = pages
                .chain(sections)
                .find(|(path, _)| *path == file)
                .map(|(_, meta)| meta);
            let at = meta.and_then(|meta| crate::site::locate_key(file, meta, "template"));
            d = d.in_file(file).at_opt(at);
        }
        errors.push(d);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn render_job(job: &Job, site: &Site, tera: &Tera, sources: &Sources) -> Result<Body, Diagnostic> {
    let mut ctx = Context::new();
    for (name, value) in &job.vars {
        ctx.insert_value(*name, value.clone());
    }
    ctx.insert("current_path", &job.path);
    ctx.insert("current_url", &site.config.absolute(&job.path));
    let text = tera.render(&job.template, &ctx).map_err(|e| {
        let d = sources.error(
            &e,
            &format!("渲染 {} 时模板 {} 出错", job.path, job.template),
        );
        match (&d.file, &job.source) {
            (None, Some(file)) => d.in_file(file),
            _ => d,
        }
    })?;
    let text = if job.output.ends_with(".xml") {
        xml_chars(text)
    } else {
        text
    };
    Ok(Body::Rendered(Arc::from(text.into_bytes())))
}

/// `text` without the characters XML 1.0 forbids (control characters but tab, LF and CR;
/// U+FFFE, U+FFFF), which a title or summary may hold and which make a whole feed or sitemap
/// unreadable; XML escapes cannot stand for them either.
fn xml_chars(text: String) -> String {
    let forbidden = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.contains(forbidden) {
        text.replace(forbidden, "")
    } else {
        text
    }
}

/// Theme and site static files (a site file replaces the theme's file of the same path, e.g.
/// `static/css/brand.css`), the highlighting stylesheet, and files that travel with pages and
/// sections.
fn static_outputs(
    site: &Site,
    theme_static: Vec<(String, Body)>,
) -> Result<Vec<Output>, Diagnostic> {
    let root = &site.config.root;
    let content = site.config.content_dir();
    let site_static = theme::files_on_disk(&root.join("static"))?;
    let overridden: std::collections::HashSet<&str> =
        site_static.iter().map(|(path, _)| path.as_str()).collect();
    let mut out: Vec<Output> = theme_static
        .into_iter()
        .filter(|(path, _)| !overridden.contains(path.as_str()))
        .map(|(path, body)| Output { path, body })
        .collect();
    out.extend(
        site_static
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
        body: Body::Rendered(Arc::from(css.into_bytes())),
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
