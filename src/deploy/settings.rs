//! `[deploy.<name>]` in site.toml: where `zhen deploy` uploads to, read from site.toml itself
//! with located errors; the secrets for a target come from environment variables or a
//! credentials file outside the site folder, and a secret written in site.toml is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Location, did_you_mean};

/// The services a target can use.
pub const SERVICES: [&str; 5] = ["s3", "oss", "cos", "obs", "sftp"];

/// Keys that hold secrets: never accepted in site.toml.
const SECRET_KEYS: [&str; 10] = [
    "access_key",
    "access_key_id",
    "secret_key",
    "secret_access_key",
    "secret_id",
    "password",
    "secret",
    "token",
    "session_token",
    "security_token",
];

/// One `[deploy.<name>]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    /// s3, oss, cos, obs or sftp; defaults to the target's name when that is one of them.
    #[serde(default, alias = "type")]
    service: Option<Spanned<String>>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    bucket: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    port: Option<u16>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    key_file: Option<Spanned<String>>,
    /// sftp: strict (default: the host must be in known_hosts), add, accept.
    #[serde(default)]
    known_hosts: Option<Spanned<String>>,
    /// Uploads in flight at once.
    #[serde(default)]
    concurrency: Option<usize>,
    // Secrets, only to be refused with their location.
    #[serde(default)]
    access_key: Option<Spanned<toml::Value>>,
    #[serde(default)]
    access_key_id: Option<Spanned<toml::Value>>,
    #[serde(default)]
    secret_key: Option<Spanned<toml::Value>>,
    #[serde(default)]
    secret_access_key: Option<Spanned<toml::Value>>,
    #[serde(default)]
    secret_id: Option<Spanned<toml::Value>>,
    #[serde(default)]
    password: Option<Spanned<toml::Value>>,
    #[serde(default)]
    secret: Option<Spanned<toml::Value>>,
    #[serde(default)]
    token: Option<Spanned<toml::Value>>,
    #[serde(default)]
    session_token: Option<Spanned<toml::Value>>,
    #[serde(default)]
    security_token: Option<Spanned<toml::Value>>,
}

impl RawTarget {
    fn secrets(&self) -> [(&'static str, &Option<Spanned<toml::Value>>); 10] {
        [
            (SECRET_KEYS[0], &self.access_key),
            (SECRET_KEYS[1], &self.access_key_id),
            (SECRET_KEYS[2], &self.secret_key),
            (SECRET_KEYS[3], &self.secret_access_key),
            (SECRET_KEYS[4], &self.secret_id),
            (SECRET_KEYS[5], &self.password),
            (SECRET_KEYS[6], &self.secret),
            (SECRET_KEYS[7], &self.token),
            (SECRET_KEYS[8], &self.session_token),
            (SECRET_KEYS[9], &self.security_token),
        ]
    }
}

#[derive(Debug, Deserialize)]
struct RawFile {
    #[serde(default)]
    deploy: BTreeMap<String, Spanned<RawTarget>>,
}

/// Where a target lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// An S3-style object store: `service` is s3, oss, cos or obs.
    Bucket {
        service: String,
        endpoint: String,
        bucket: String,
        region: String,
        prefix: String,
    },
    Sftp {
        host: String,
        port: u16,
        user: String,
        path: String,
        key_file: Option<PathBuf>,
        known_hosts: String,
    },
}

/// One deploy target, validated.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub place: Place,
    pub concurrency: usize,
}

impl Target {
    /// How the target is shown in messages: `名称（oss bucket/prefix）`.
    pub fn shown(&self) -> String {
        match &self.place {
            Place::Bucket {
                service,
                endpoint,
                bucket,
                prefix,
                ..
            } => {
                let at = if endpoint.is_empty() {
                    String::new()
                } else {
                    format!("，{endpoint}")
                };
                format!("{}（{service} 存储桶 {bucket}/{prefix}{at}）", self.name)
            }
            Place::Sftp {
                host,
                port,
                user,
                path,
                ..
            } => format!("{}（sftp {user}@{host}:{port}{path}）", self.name),
        }
    }

    /// The environment variable that may hold `what` (ACCESS_KEY, SECRET_KEY) for this target.
    pub fn env_name(&self, what: &str) -> String {
        env_name(&self.name, what)
    }
}

/// The keys of the access key pair of a bucket target.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
}

/// Reads every `[deploy.<name>]` of `root/site.toml`; errors are located in it.
pub fn load(root: &Path) -> Result<Vec<Target>, Vec<Diagnostic>> {
    let path = root.join("site.toml");
    let text = crate::content::read_utf8(&path).map_err(|d| vec![d])?;
    parse(&text, &path, root)
}

/// Parses the deploy targets of a site.toml text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path, root: &Path) -> Result<Vec<Target>, Vec<Diagnostic>> {
    let raw: RawFile =
        toml::from_str(text).map_err(|e| vec![crate::config::toml_error(&e, text, path)])?;
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for (name, table) in raw.deploy {
        let span = table.span();
        let at = Location::in_source(text, header_span(text, &name).unwrap_or(span));
        let t = table.into_inner();
        for (key, value) in t.secrets() {
            if let Some(v) = value {
                errors.push(
                    Diagnostic::error(format!(
                        "site.toml 里不能写密钥：[deploy.{name}] 的 {key}"
                    ))
                    .in_file(path)
                    .at(masked(text, key, v.span()))
                    .help(format!(
                        "site.toml 会跟着网站一起保存、复制，密钥写在这里会泄露。请删掉这一行，改用环境变量 {} 和 {}，或写在网站文件夹以外的密钥文件里（默认 ~/.config/zhen/credentials.toml，见使用手册）",
                        env_name(&name, "ACCESS_KEY"),
                        env_name(&name, "SECRET_KEY")
                    )),
                );
            }
        }
        let service = match &t.service {
            Some(s) => s.get_ref().clone(),
            None if SERVICES.contains(&name.as_str()) => name.clone(),
            None => {
                errors.push(
                    Diagnostic::error(format!("[deploy.{name}] 没有写 service"))
                        .in_file(path)
                        .at(at.clone())
                        .help("在这一组里写 service = \"oss\"（可用：s3、oss、cos、obs、sftp）"),
                );
                continue;
            }
        };
        if !SERVICES.contains(&service.as_str()) {
            let loc = t
                .service
                .as_ref()
                .map(|s| Location::in_source(text, s.span()))
                .unwrap_or(at.clone());
            let help = match did_you_mean(&service, SERVICES.iter().copied()) {
                Some(s) => format!("你是不是想写 service = \"{s}\"？可用：s3、oss、cos、obs、sftp"),
                None => "可用：s3（S3 兼容存储）、oss（阿里云）、cos（腾讯云）、obs（华为云）、sftp（服务器）".into(),
            };
            errors.push(
                Diagnostic::error(format!("[deploy.{name}] 的 service \"{service}\" 不认识"))
                    .in_file(path)
                    .at(loc)
                    .help(help),
            );
            continue;
        }
        let missing = |key: &str, example: &str| {
            Diagnostic::error(format!("[deploy.{name}] 缺少 {key}"))
                .in_file(path)
                .at(at.clone())
                .help(format!("在这一组里写 {key} = {example}"))
        };
        let place = if service == "sftp" {
            let Some(host) = t.host.filter(|h| !h.is_empty()) else {
                errors.push(missing("host", "\"服务器地址\""));
                continue;
            };
            let Some(user) = t.user.filter(|u| !u.is_empty()) else {
                errors.push(missing("user", "\"登录用户名\""));
                continue;
            };
            let Some(dir) = t.path.filter(|p| p.starts_with('/')) else {
                errors.push(missing("path", "\"/网站目录的绝对路径\""));
                continue;
            };
            let key_file = match t.key_file {
                None => None,
                Some(k) => {
                    let file = expand_home(k.get_ref());
                    if inside(&file, root) {
                        errors.push(
                            Diagnostic::error(format!(
                                "[deploy.{name}] 的 key_file 在网站文件夹里面：私钥会跟着网站一起被复制、提交"
                            ))
                            .in_file(path)
                            .at(Location::in_source(text, k.span()))
                            .help("把私钥移到网站文件夹以外，例如 ~/.ssh/ 里，再写那里的路径"),
                        );
                        continue;
                    }
                    Some(file)
                }
            };
            let known_hosts = match t.known_hosts {
                None => "strict".to_string(),
                Some(k) if ["strict", "add", "accept"].contains(&k.get_ref().as_str()) => {
                    k.into_inner()
                }
                Some(k) => {
                    errors.push(
                        Diagnostic::error(format!(
                            "[deploy.{name}] 的 known_hosts \"{}\" 不认识",
                            k.get_ref()
                        ))
                        .in_file(path)
                        .at(Location::in_source(text, k.span()))
                        .help("可用：strict（默认：服务器必须已在 known_hosts 里）、add（第一次连接时记住服务器）、accept（不核对服务器，只用于测试）"),
                    );
                    continue;
                }
            };
            Place::Sftp {
                host,
                port: t.port.unwrap_or(22),
                user,
                path: dir.trim_end_matches('/').to_string() + "/",
                key_file,
                known_hosts,
            }
        } else {
            let Some(bucket) = t.bucket.filter(|b| !b.is_empty()) else {
                errors.push(missing("bucket", "\"存储桶名\""));
                continue;
            };
            let endpoint = t.endpoint.unwrap_or_default();
            if endpoint.is_empty() && service != "s3" {
                errors.push(missing(
                    "endpoint",
                    "\"https://…\"（云存储控制台里的访问域名）",
                ));
                continue;
            }
            Place::Bucket {
                service,
                endpoint,
                bucket,
                region: t.region.unwrap_or_default(),
                prefix: clean_prefix(&t.prefix.unwrap_or_default()),
            }
        };
        targets.push(Target {
            name,
            place,
            concurrency: t.concurrency.unwrap_or(8).clamp(1, 64),
        });
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

/// Where the credentials file is: `$ZHEN_CREDENTIALS`, else `~/.config/zhen/credentials.toml`.
pub fn credentials_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ZHEN_CREDENTIALS") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/zhen/credentials.toml"))
}

/// The access key pair of a bucket target: environment variables first, then the target's
/// table in the credentials file, which must not be inside the site folder.
pub fn credentials(target: &Target, root: &Path) -> Result<Credentials, Diagnostic> {
    let (ak_env, sk_env) = (target.env_name("ACCESS_KEY"), target.env_name("SECRET_KEY"));
    let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    if let (Some(access_key), Some(secret_key)) = (env(&ak_env), env(&sk_env)) {
        return Ok(Credentials {
            access_key,
            secret_key,
        });
    }
    let help = format!(
        "设置环境变量 {ak_env} 和 {sk_env}，或在网站文件夹以外的密钥文件（默认 ~/.config/zhen/credentials.toml，也可用环境变量 ZHEN_CREDENTIALS 指定）里写：\n[{}]\naccess_key = \"…\"\nsecret_key = \"…\"",
        target.name
    );
    let missing = || {
        Diagnostic::error(format!("没有找到上传目标 {} 的密钥", target.shown())).help(help.clone())
    };
    let Some(file) = credentials_file() else {
        return Err(missing());
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Err(missing());
    };
    if inside(&file, root) {
        return Err(Diagnostic::error(format!(
            "密钥文件 {} 在网站文件夹里面：它会跟着网站一起被复制、提交",
            file.display()
        ))
        .help("把它移到网站文件夹以外，例如 ~/.config/zhen/credentials.toml"));
    }
    #[derive(Deserialize)]
    struct Pair {
        access_key: String,
        secret_key: String,
    }
    let table: BTreeMap<String, toml::Value> =
        toml::from_str(&text).map_err(|e| crate::config::toml_error(&e, &text, &file))?;
    let Some(value) = table.get(&target.name) else {
        return Err(missing());
    };
    let pair = Pair::deserialize(value.clone()).map_err(|e| {
        Diagnostic::error(format!(
            "密钥文件 {} 里 [{}] 写得不对：{}",
            file.display(),
            target.name,
            e.message()
        ))
        .help(help.clone())
    })?;
    Ok(Credentials {
        access_key: pair.access_key,
        secret_key: pair.secret_key,
    })
}

/// `ZHEN_DEPLOY_<NAME>_<WHAT>`: the name upper-cased, other characters than letters and digits
/// as `_`.
fn env_name(target: &str, what: &str) -> String {
    let name: String = target
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("ZHEN_DEPLOY_{name}_{what}")
}

/// `a/b/` from `/a/b`, `a/b/` or `a//b`; "" for the bucket's root.
fn clean_prefix(prefix: &str) -> String {
    let parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        String::new()
    } else {
        parts.join("/") + "/"
    }
}

fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

fn inside(file: &Path, root: &Path) -> bool {
    resolve(file).starts_with(resolve(root))
}

/// `path` absolute, with symbolic links resolved when it exists.
pub fn resolve(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The span of the `[deploy.<name>]` header line, for messages about the whole table.
fn header_span(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if let Some(inner) = t.strip_prefix('[').and_then(|t| t.split(']').next()) {
            let inner: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
            if inner == format!("deploy.{name}") || inner == format!("deploy.\"{name}\"") {
                return Some(offset..offset + line.trim_end().len());
            }
        }
        offset += line.len();
    }
    None
}

/// The line of a secret's `key`, with its value masked: a message never repeats a secret.
fn masked(text: &str, key: &str, value: std::ops::Range<usize>) -> Location {
    let start = text[..value.start].rfind('\n').map_or(0, |i| i + 1);
    let mut at = Location::in_source(text, start..value.start);
    let before = &text[start..value.start];
    at.line_text = format!("{before}\"******\"");
    let key_at = before.find(key).unwrap_or(0);
    at.span = key_at..key_at + key.len().min(before.len() - key_at);
    at.column = before[..key_at].chars().count() + 1;
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Vec<Target>, Vec<Diagnostic>> {
        parse(text, Path::new("site.toml"), Path::new("/tmp/site"))
    }

    #[test]
    fn a_target_named_after_its_service_needs_no_service_key() {
        let t = parse_text(
            "title = \"x\"\n[deploy.oss]\nendpoint = \"https://oss-cn-hangzhou.aliyuncs.com\"\nbucket = \"b\"\nprefix = \"/www/\"\n",
        )
        .unwrap();
        assert_eq!(t.len(), 1);
        match &t[0].place {
            Place::Bucket {
                service, prefix, ..
            } => {
                assert_eq!(service, "oss");
                assert_eq!(prefix, "www/");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_secret_in_site_toml_is_a_located_error() {
        let text =
            "title = \"x\"\n[deploy.www]\nservice = \"s3\"\nbucket = \"b\"\nsecret_key = \"abc\"\n";
        let errors = parse_text(text).unwrap_err();
        let shown = errors[0].render(false);
        assert!(shown.contains("不能写密钥"), "{shown}");
        assert!(shown.contains("site.toml:5:"), "{shown}");
        assert!(shown.contains("ZHEN_DEPLOY_WWW_SECRET_KEY"), "{shown}");
        assert!(!shown.contains("abc"), "{shown}");
    }

    #[test]
    fn an_unknown_service_gets_a_suggestion() {
        let text = "title = \"x\"\n[deploy.www]\nservice = \"osss\"\nbucket = \"b\"\n";
        let shown = parse_text(text).unwrap_err()[0].render(false);
        assert!(shown.contains("service = \"oss\""), "{shown}");
    }

    #[test]
    fn a_misspelt_key_is_located() {
        let text = "title = \"x\"\n[deploy.s3]\nbuckt = \"b\"\n";
        let shown = parse_text(text).unwrap_err()[0].render(false);
        assert!(shown.contains("bucket"), "{shown}");
        assert!(shown.contains("site.toml:3:"), "{shown}");
    }

    #[test]
    fn a_key_file_inside_the_site_is_refused() {
        let text = "title = \"x\"\n[deploy.county]\nservice = \"sftp\"\nhost = \"h\"\nuser = \"u\"\npath = \"/srv/www\"\nkey_file = \"/tmp/site/id_ed25519\"\n";
        let shown = parse_text(text).unwrap_err()[0].render(false);
        assert!(shown.contains("key_file"), "{shown}");
    }
}
