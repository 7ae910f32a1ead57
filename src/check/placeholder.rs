//! C9, sample text left in place: what `zhen new` and `zhen init` write for the office to
//! replace (the sample body, 某某镇, the example domain) must not be published.

use rayon::prelude::*;

use super::{Audit, Finding, Rule};
use crate::content::PLACEHOLDERS;
use crate::diagnostics::{Diagnostic, Location};

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    // Every file in parallel; the findings keep the files' order.
    let per_file: Vec<Vec<Finding>> = audit
        .written()
        .par_iter()
        .map(|file| {
            let mut out = Vec::new();
            for (sample, what) in PLACEHOLDERS {
                for (at, _) in file.text.match_indices(sample) {
                    let d = Diagnostic::error(format!("还有没改的示例内容“{sample}”"))
                        .help(*what)
                        .in_file(file.path)
                        .at(Location::in_source(file.text, at..at + sample.len()));
                    let mut f = Finding::new(Rule::C9, d, *sample);
                    if let Some(url) = file.url {
                        f = f.on_page(url);
                    }
                    out.push(f);
                }
            }
            out
        })
        .collect();
    per_file.into_iter().flatten().collect()
}
