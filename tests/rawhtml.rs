//! S1: scripts, event handlers, `javascript:` links and embeds from unlisted hosts in a post's
//! Markdown stop the build, located at the Markdown line; pasted WeChat markup, allowed video
//! embeds and code samples do not.

mod common;

use std::fs;
use std::path::Path;

use common::{build_ok, fixture, zhen};

const WECHAT: &str = r##"+++
title = "我镇开展志愿服务活动"
date = 2024-05-01
source = "党政办"
+++

<section style="margin: 0px; padding: 0px; max-width: 100%; box-sizing: border-box !important;"><p style="text-align: center;"><span style="color: rgb(255, 0, 0);font-size: 18px;"><strong>志愿服务进万家</strong></span></p></section>

<section style="line-height: 1.75em;"><p>5月1日，青溪镇志愿者走进各村。</p></section>

<iframe src="//player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1" scrolling="no" border="0" frameborder="no" framespacing="0" allowfullscreen="true"></iframe>

```html
<script>alert("代码示例不算")</script>
```

正文里的 `<script>` 也不算。
"##;

const BAIDU: &str = r##"+++
title = "桃花节开幕"
date = 2024-05-02
source = "党政办"
+++

桃花节今日开幕。

<script>
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
</script>

<img src="/images/x.png" alt="桃花" onerror="this.src='https://t.example/p.gif'">

点击[这里](javascript:void(0))报名，或<a href="#" onclick="track()">这里</a>。

<iframe src="https://www.youtube.com/embed/x" width="560"></iframe>
"##;

fn post(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join("content/theory").join(name), text).unwrap();
}

#[test]
fn a_wechat_paste_with_an_allowed_video_builds() {
    let site = fixture("basic");
    post(site.path(), "2024-05-01-wechat.md", WECHAT);
    let stderr = build_ok(site.path(), &[]);
    assert!(!stderr.contains("S1"), "{stderr}");
    let html = common::read(site.path(), "theory/2024/05/wechat/index.html");
    assert!(html.contains("player.bilibili.com"));
}

#[test]
fn scripts_handlers_script_links_and_foreign_embeds_stop_the_build_at_their_lines() {
    let site = fixture("basic");
    post(site.path(), "2024-05-02-baidu.md", BAIDU);
    let stderr = common::build_err(site.path());
    let file = "2024-05-02-baidu.md";
    for (line, what) in [
        (9, "<script>"),
        (19, "onerror="),
        (21, "会运行脚本"),
        (21, "onclick="),
        (23, "www.youtube.com"),
    ] {
        assert!(
            stderr.contains(&format!("{file}:{line}:")),
            "{what} at line {line}:\n{stderr}"
        );
        assert!(stderr.contains(what), "{what}:\n{stderr}");
    }
    assert!(stderr.contains("[S1]"), "{stderr}");
    assert!(
        stderr.contains("allow_embeds"),
        "how to allow an embed: {stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing published");

    // zhen check reports the same, as errors.
    let out = zhen(site.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s1: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "S1")
        .collect();
    assert_eq!(s1.len(), 5, "{s1:#?}");
    assert!(s1.iter().all(|f| f["severity"] == "error"), "{s1:#?}");
}

#[test]
fn allow_embeds_in_site_toml_lets_a_host_in_and_replaces_the_default() {
    let site = fixture("basic");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("{text}\n[check]\nallow_embeds = [\"youtube.com\"]\n"),
    )
    .unwrap();
    post(
        site.path(),
        "2024-05-03-video.md",
        "+++\ntitle = \"视频\"\ndate = 2024-05-03\n+++\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n",
    );
    build_ok(site.path(), &[]);
    post(site.path(), "2024-05-01-wechat.md", WECHAT);
    let stderr = common::build_err(site.path());
    assert!(stderr.contains("player.bilibili.com"), "{stderr}");
    assert!(stderr.contains("2024-05-01-wechat.md:11:"), "{stderr}");
}

#[test]
fn templates_are_not_flagged() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("templates/partials")).unwrap();
    let theme = common::repo().join("themes/township/templates/base.html");
    let base = fs::read_to_string(theme).unwrap();
    fs::write(
        site.path().join("templates/base.html"),
        base.replacen("</body>", "<script>var _hmt = [];</script></body>", 1),
    )
    .unwrap();
    let stderr = build_ok(site.path(), &[]);
    assert!(!stderr.contains("S1"), "{stderr}");
}
