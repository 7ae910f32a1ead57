//! P1 and P2, the site's identity: organizer, address, phone, ICP number and public-security
//! filing number (and for government sites the site ID code) present and well-formed in
//! `[identity]`, and shown on every rendered page with the ICP and filing numbers linked to
//! their registries (government sites: also the 我为政府网站找错 link).

use std::sync::LazyLock;

use regex::Regex;

use super::html::{Kind, Target, resolve};
use super::{Audit, Finding, Rule};
use crate::config::SiteKind;
use crate::diagnostics::{Diagnostic, Severity};

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

static ICP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[{PROVINCES}]ICP备\d{{4,10}}号(-\d{{1,3}})?$")).expect("valid pattern")
});
static POLICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[{PROVINCES}]公网安备(\d{{14}})号$")).expect("valid pattern")
});
static SITE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{10}|bm\d{8})$").expect("valid pattern"));

/// The ICP registry every ICP number links to.
const ICP_HOST: &str = "beian.miit.gov.cn";
/// The public-security filing registry.
const POLICE_HOST: &str = "beian.mps.gov.cn";
/// The State Council's 我为政府网站找错 service.
const REPORT_HOST: &str = "zfwzgl.www.gov.cn";

/// Whether `phone` is one or more phone numbers (`0571-8888 6666`, `(0571)88886666转8001`).
pub fn valid_phone(phone: &str) -> bool {
    phone.split(['、', ',', '，', '/', ';', '；']).all(|p| {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        (7..=20).contains(&digits)
            && p.chars()
                .all(|c| c.is_ascii_digit() || " -()（）+转".contains(c))
    })
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = fields(audit);
    out.extend(on_pages(audit));
    out
}

/// `[identity]` in site.toml.
fn fields(audit: &Audit<'_>) -> Vec<Finding> {
    let config = &audit.site.config;
    let id = &config.identity;
    let gov = config.kind == SiteKind::Gov;
    let (path, toml) = audit.site_toml();
    let section = Audit::find_in(&toml, "[identity]");
    let at = |value: &str| {
        if value.is_empty() {
            section.clone()
        } else {
            Audit::find_in(&toml, &format!("\"{value}\"")).or_else(|| section.clone())
        }
    };
    let mut out = Vec::new();
    let mut push = |rule: Rule, severity: Severity, message: String, value: &str, help: &str| {
        let mut d = Diagnostic::error(message)
            .in_file(&path)
            .at_opt(at(value))
            .help(help.to_string());
        d.severity = severity;
        out.push(Finding::new(rule, d, value.to_string()));
    };
    let required = [
        (
            Rule::P1,
            "organizer",
            "主办单位",
            id.organizer.as_str(),
            "organizer = \"中共某某镇委员会宣传办公室\"",
        ),
        (
            Rule::P1,
            "address",
            "地址",
            id.address.as_str(),
            "address = \"某市某区某某镇某某路1号\"",
        ),
        (
            Rule::P1,
            "phone",
            "联系电话",
            id.phone.as_str(),
            "phone = \"0571-8888 6666\"",
        ),
        (
            Rule::P1,
            "icp",
            "ICP 备案号",
            id.icp.as_str(),
            "icp = \"浙ICP备12345678号-1\"",
        ),
        (
            Rule::P1,
            "police_filing",
            "公安备案号",
            id.police_filing.as_str(),
            "police_filing = \"浙公网安备33010002000001号\"",
        ),
        (
            Rule::P2,
            "site_id",
            "网站标识码",
            id.site_id.as_str(),
            "site_id = \"3301000001\"（10 位数字，或 bm 加 8 位数字）",
        ),
    ];
    if gov {
        for (rule, key, name, value, example) in required {
            if value.trim().is_empty() {
                push(
                    rule,
                    Severity::Error,
                    format!("政府网站必须在 [identity] 里写{name}（{key}）"),
                    "",
                    &format!("在 site.toml 的 [identity] 下写 {example}"),
                );
            }
        }
    }
    let severity = audit.gov_error();
    let malformed = |value: &str, ok: bool| !value.is_empty() && !ok;
    if malformed(&id.icp, ICP.is_match(&id.icp)) {
        push(
            Rule::P1,
            severity,
            format!("ICP 备案号“{}”格式不对", id.icp),
            &id.icp,
            "格式是 省份简称 + ICP备 + 数字 + 号，可带 -网站序号，例如 浙ICP备12345678号-1；以工信部备案系统里的为准",
        );
    }
    let police = POLICE.captures(&id.police_filing);
    if malformed(&id.police_filing, police.is_some()) {
        push(
            Rule::P1,
            severity,
            format!("公安备案号“{}”格式不对", id.police_filing),
            &id.police_filing,
            "格式是 省份简称 + 公网安备 + 14 位数字 + 号，例如 浙公网安备33010002000001号",
        );
    }
    if let Some(c) = &police
        && !id.police_filing_code.is_empty()
        && id.police_filing_code != c[1]
    {
        push(
            Rule::P1,
            severity,
            format!(
                "police_filing_code“{}”和公安备案号里的 14 位数字“{}”不一致",
                id.police_filing_code, &c[1]
            ),
            &id.police_filing_code,
            "police_filing_code 用于链接到公安备案查询页，应与备案号里的数字相同",
        );
    }
    if malformed(&id.phone, valid_phone(&id.phone)) {
        push(
            Rule::P1,
            severity,
            format!("联系电话“{}”格式不对", id.phone),
            &id.phone,
            "写区号和号码，例如 0571-8888 6666；多个号码用“、”隔开",
        );
    }
    if malformed(&id.site_id, SITE_ID.is_match(&id.site_id)) {
        push(
            Rule::P2,
            severity,
            format!("网站标识码“{}”格式不对", id.site_id),
            &id.site_id,
            "网站标识码是 10 位数字，或 bm 加 8 位数字（例如 bm12000001），以全国政府网站信息报送系统里的为准",
        );
    }
    out
}

/// The footer of every rendered page (redirect pages aside).
fn on_pages(audit: &Audit<'_>) -> Vec<Finding> {
    let config = &audit.site.config;
    let id = &config.identity;
    let gov = config.kind == SiteKind::Gov;
    let severity = audit.gov_error();
    let domain = config.domain();
    let mut out = Vec::new();
    for doc in audit.docs().iter().filter(|d| d.kind != Kind::Redirect) {
        let links_to = |host: &str| {
            doc.refs
                .iter()
                .any(|r| match resolve(&r.url, &doc.url, domain) {
                    Target::External(u) => u
                        .split("://")
                        .nth(1)
                        .and_then(|rest| rest.split(['/', '?', '#']).next())
                        .is_some_and(|h| h.eq_ignore_ascii_case(host)),
                    _ => false,
                })
        };
        let mut missing =
            |rule: Rule, severity: Severity, message: String, help: String, text: &str| {
                let mut d = Diagnostic::error(message).help(help);
                d.severity = severity;
                out.push(Finding::new(rule, d, text.to_string()).on_page(&doc.url));
            };
        let shown = [
            (id.organizer.as_str(), "主办单位"),
            (id.address.as_str(), "地址"),
            (id.icp.as_str(), "ICP 备案号"),
            (id.police_filing.as_str(), "公安备案号"),
        ];
        let squeezed: String = doc.text().chars().filter(|c| !c.is_whitespace()).collect();
        let digits: String = doc.text().chars().filter(char::is_ascii_digit).collect();
        let phone: String = id.phone.chars().filter(char::is_ascii_digit).collect();
        if !phone.is_empty() && !digits.contains(&phone) {
            missing(Rule::P1, severity, format!("页面没有显示联系电话“{}”", id.phone),
                "模板的页脚应显示 [identity] 里的联系电话：在 base.html 里包含 partials/footer.html".into(), &id.phone);
        }
        for (value, name) in shown {
            let value_squeezed: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            if !value.is_empty() && !squeezed.contains(&value_squeezed) {
                missing(Rule::P1, severity, format!("页面没有显示{name}“{value}”"),
                    "模板的页脚应显示 [identity] 里的信息：在 base.html 里包含 partials/footer.html".into(), value);
            }
        }
        if !id.icp.is_empty() && !links_to(ICP_HOST) {
            missing(
                Rule::P1,
                severity,
                format!("ICP 备案号没有链接到 {ICP_HOST}"),
                format!("页脚的备案号应链接到 https://{ICP_HOST}/"),
                &id.icp,
            );
        }
        if !id.police_filing.is_empty() && !links_to(POLICE_HOST) {
            missing(
                Rule::P1,
                severity,
                format!("公安备案号没有链接到 {POLICE_HOST}"),
                format!("页脚的公安备案号应链接到 https://{POLICE_HOST}/ 的备案查询页"),
                &id.police_filing,
            );
        }
        if gov && !id.site_id.is_empty() && !doc.text().contains(&id.site_id) {
            missing(
                Rule::P2,
                Severity::Error,
                format!("页面没有显示网站标识码“{}”", id.site_id),
                "政府网站的页脚须显示“网站标识码：…”".into(),
                &id.site_id,
            );
        }
        if gov && !has_badge(doc) {
            missing(
                Rule::P2,
                Severity::Error,
                "页面没有党政机关网站标识".into(),
                "政府网站的页脚须显示党政机关网站标识：在 site.toml 写 [extra.gov_badge] image = \"/images/red.png\" 和 link（见 partials/gov_badge.html），或把开办者标识的代码放进 templates/partials/gov_badge.html".into(),
                "党政机关网站标识",
            );
        }
        if gov && !links_to(REPORT_HOST) {
            missing(
                Rule::P2,
                Severity::Error,
                "页面没有“我为政府网站找错”的链接".into(),
                format!(
                    "政府网站的页脚须有链接到 https://{REPORT_HOST}/ 的“我为政府网站找错”入口（带上网站标识码）"
                ),
                REPORT_HOST,
            );
        }
    }
    out
}

/// Whether `doc` shows the 党政机关网站标识: an image described as such, or anything from the
/// registry that issues it (conac.cn).
fn has_badge(doc: &super::html::Doc) -> bool {
    doc.images
        .iter()
        .any(|i| i.alt.as_deref().is_some_and(|a| a.contains("党政机关")))
        || doc
            .refs
            .iter()
            .any(|r| r.url.to_ascii_lowercase().contains("conac.cn"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_their_formats() {
        assert!(ICP.is_match("浙ICP备12345678号-1"));
        assert!(ICP.is_match("京ICP备05070602号"));
        assert!(!ICP.is_match("ICP备12345678号"));
        assert!(!ICP.is_match("浙ICP备12345678"));
        assert!(POLICE.is_match("浙公网安备33010002000001号"));
        assert!(!POLICE.is_match("浙公网安备3301000200000号"), "13 digits");
        assert!(SITE_ID.is_match("3301000001"));
        assert!(SITE_ID.is_match("bm12000001"));
        assert!(!SITE_ID.is_match("bm1200000"));
        assert!(valid_phone("0571-8888 6666"));
        assert!(valid_phone("(0571)88886666转8001"));
        assert!(!valid_phone(""), "an empty number is not a phone");
        assert!(valid_phone("0571-88886666、0571-88887777"));
        assert!(!valid_phone("电话待定"));
    }
}
