//! The pages `zhen serve` makes itself: the one shown while there is no site to serve yet
//! (the first build failed), and "not found" for a site without a 404.html. The live-reload
//! script is added to both by the caller, so that a fix reloads into the site.

use html_escape::encode_text as escape;

/// Readable Chinese on every system.
const FONT: &str = "font:16px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',\
                    'Noto Sans CJK SC','Source Han Sans SC',sans-serif";

/// Monospace with Chinese twice as wide as Latin, so that the carets under a line stay
/// aligned.
const MONO: &str = "font:14px/1.5 'Noto Sans Mono CJK SC','Sarasa Mono SC','Source Han Mono SC',\
                    NSimSun,Menlo,Consolas,monospace";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head>\
         <body style=\"margin:0;padding:16px;background:#f5f5f5;color:#1f1f1f;{FONT}\">\
         {body}</body></html>\n"
    )
}

/// The page served for every path while no build has succeeded yet: `error` is what the
/// build said.
pub fn no_site(error: &str) -> String {
    page(
        "网站生成失败",
        &format!(
            "<h1 style=\"margin:0 0 8px;font-size:22px;color:#b71c1c\">网站生成失败</h1>\
             <p style=\"margin:0 0 12px\">还没有可以显示的网站：第一次生成就出错了。\
             按下面的提示改正并保存，这个页面会自动刷新。</p>\
             <pre id=\"zhen-build-errors\" style=\"margin:0;padding:12px;white-space:pre;\
             overflow:auto;background:#fff;border:1px solid #ddd;border-radius:6px;{MONO}\">\
             {}</pre>",
            escape(error)
        ),
    )
}

/// "Not found" for `path`, for a site without its own 404.html.
pub fn not_found(path: &str) -> String {
    page(
        "页面不存在",
        &format!(
            "<h1 style=\"margin:0 0 8px;font-size:22px\">页面不存在</h1>\
             <p style=\"margin:0\">网站里没有 <code>{}</code>。<a href=\"/\">回到首页</a></p>",
            escape(path)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_site_page_shows_the_error_escaped() {
        let html = no_site("错误: 标题 <b> 没有闭合\n --> content/a.md:2:8");
        assert!(html.contains("标题 &lt;b&gt; 没有闭合\n --&gt; content/a.md:2:8"));
        assert!(html.contains("<title>网站生成失败</title>"));
        assert!(html.contains("white-space:pre;"));
        assert!(not_found("/<x>/").contains("<code>/&lt;x&gt;/</code>"));
    }
}
