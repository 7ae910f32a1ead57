//! Rendering: every output of the site (pages, lists, feeds, site maps, static files) from the
//! model, the rendered Markdown and the templates, in parallel.

pub mod filters;
pub mod fingerprint;
pub mod functions;
pub mod meta;
pub mod plan;
pub mod qr;
pub mod templates;
pub mod theme;
pub mod values;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::markdown::SiteMarkdown;
use crate::output::{Body, Output};
use crate::site::Site;
use crate::site::permalink::{asset_dir, output_file};
use functions::{Call, Lookup};
use plan::{Job, Planner};
use templates::Sources;
use theme::Theme;
use values::Values;

/// Outputs kept between builds (by `zhen serve`) with the fingerprint of what each was
/// rendered from and the lookups it made, and the values and jobs they were planned with.
#[derive(Default)]
pub struct RenderCache {
    entries: HashMap<String, Rendered>,
    last: Option<Last>,
    /// How many outputs the last run rendered (the rest were unchanged).
    pub renders: usize,
}

/// What the last run planned: kept where the next run's inputs are the same.
struct Last {
    values: Arc<Values>,
    hashes: values::Hashes,
    jobs: Vec<Arc<Job>>,
}

struct Rendered {
    fingerprint: u64,
    calls: Vec<Call>,
    body: Body,
}

/// Renders every output of `site`; with a `cache`, only those whose fingerprint changed.
pub fn render_site(
    site: &Site,
    markdown: &SiteMarkdown,
    mut cache: Option<&mut RenderCache>,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let config = &site.config;
    let theme = Theme::load(&config.root, &config.theme).map_err(|d| vec![d])?;
    let last = cache.as_deref_mut().and_then(|c| c.last.take());
    let values = Arc::new(Values::build(
        site,
        &markdown.pages,
        &markdown.sections,
        last.as_ref().map(|l| &*l.values),
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

    let (mut memo, hashes) =
        values::remember(&values, &markdown.pages, last.as_ref().map(|l| &l.hashes));
    let jobs = Planner::new(
        site,
        &values,
        &mut memo,
        last.as_ref().map(|l| l.jobs.as_slice()),
    )
    .plan();
    drop(last);
    check_templates(site, &jobs, &tera, &sources)?;

    // With a cache, a job whose fingerprint is unchanged keeps its previous output.
    let template_hashes = cache
        .as_ref()
        .map(|_| fingerprint::template_hashes(&sources.texts()));
    let globals_hash = fingerprint::fingerprint(0, "", &globals, &[], &lookup, &memo);
    let fingerprint_of = |job: &Job, calls: &[Call]| -> Option<u64> {
        let base = template_hashes
            .as_ref()?
            .get(&job.template)
            .copied()
            .unwrap_or_default()
            ^ globals_hash;
        let vars = *job
            .vars_hash
            .get_or_init(|| fingerprint::fingerprint(0, "", &job.vars, &[], &lookup, &memo));
        Some(fingerprint::fingerprint(
            base ^ vars,
            &job.path,
            &[],
            calls,
            &lookup,
            &memo,
        ))
    };
    let previous = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.entries))
        .unwrap_or_default();
    let results: Vec<Result<(Rendered, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            if let Some(old) = previous.get(&job.path)
                && fingerprint_of(job, &old.calls) == Some(old.fingerprint)
            {
                let kept = Rendered {
                    fingerprint: old.fingerprint,
                    calls: old.calls.clone(),
                    body: old.body.clone(),
                };
                return Ok((kept, false));
            }
            let (body, calls) = functions::recording(|| render_job(job, site, &tera, &sources));
            let body = body?;
            let fingerprint = fingerprint_of(job, &calls).unwrap_or_default();
            Ok((
                Rendered {
                    fingerprint,
                    calls,
                    body,
                },
                true,
            ))
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len() + theme.static_files.len());
    let mut errors = Vec::new();
    let mut entries = HashMap::new();
    let mut renders = 0;
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok((entry, rendered)) => {
                renders += usize::from(rendered);
                outputs.push(Output {
                    path: output_file(&job.path),
                    body: entry.body.clone(),
                });
                entries.insert(job.path.clone(), entry);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(cache) = cache {
        cache.entries = entries;
        cache.renders = renders;
        cache.last = Some(Last {
            values,
            hashes,
            jobs,
        });
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
    Ok(Body::Rendered(Arc::from(text.into_bytes())))
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
