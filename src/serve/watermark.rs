//! The review watermark of `zhen serve` (rule C6): with `[check] require_review = true`, the
//! preview of a post that has not passed its three reviews carries a banner saying what is
//! missing and a "未审核" watermark across the page, so that nobody mistakes it for a page
//! ready to publish. `zhen build` refuses such a post instead; the watermark never reaches
//! `public/`.

use rustc_hash::FxHashMap;

use crate::check::editorial::review_gap;
use crate::markdown::escape;
use crate::site::Site;
use crate::site::permalink::output_file;

/// Output path (`theory/2024/01/a/index.html`) -> what its post lacks.
pub type Marks = FxHashMap<String, String>;

/// The posts of `site` that lack reviews, when the site requires them.
pub fn marks(site: &Site) -> Marks {
    if !site.config.check.require_review {
        return Marks::default();
    }
    site.library
        .pages
        .iter()
        .zip(&site.pages)
        .filter(|(_, info)| info.category.is_some())
        .filter_map(|(page, info)| {
            let gap = review_gap(&page.meta)?;
            Some((
                output_file(&info.path),
                format!("《{}》{gap}", page.meta.title),
            ))
        })
        .collect()
}

/// The banner and watermark put into a marked page (before `</body>`).
pub fn html(gap: &str) -> String {
    // One tile of the watermark: the words turned across the page, faint.
    let tile = "<svg xmlns='http://www.w3.org/2000/svg' width='240' height='160'>\
                <text x='20' y='100' transform='rotate(-25 120 80)' font-size='28' \
                fill='rgba(200,0,0,0.12)' font-family='sans-serif'>未审核 仅供预览</text></svg>";
    let tile = percent_encoding::utf8_percent_encode(tile, percent_encoding::NON_ALPHANUMERIC);
    format!(
        "<div class=\"zhen-unreviewed\" aria-hidden=\"true\" style=\"position:fixed;inset:0;\
         z-index:2147483646;pointer-events:none;background-image:url(&quot;data:image/svg+xml,\
         {tile}&quot;)\"></div>\
         <div class=\"zhen-unreviewed-banner\" role=\"note\" style=\"position:fixed;left:0;\
         right:0;bottom:0;z-index:2147483647;padding:6px 12px;background:#b00;color:#fff;\
         font:16px/1.5 sans-serif;text-align:center\">{}：未完成三审三校，仅供预览。发布前请在 \
         文章开头写上 reviewed_by = [\"初审人\", \"复审人\", \"终审人\"]</div>",
        escape(gap)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_names_what_is_missing_escaped() {
        let h = html("《<乡村>》只有 1 位审核人（甲）");
        assert!(h.contains("《&lt;乡村&gt;》只有 1 位审核人（甲）：未完成三审三校"));
        assert!(h.contains("role=\"note\""));
        assert!(h.contains("pointer-events:none"));
        // The watermark's words are inside the data URL, encoded.
        assert!(!h.contains("未审核 仅供预览"));
    }
}
