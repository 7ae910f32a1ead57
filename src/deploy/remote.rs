//! A deploy target through OpenDAL: the operator for its service (with retries and
//! backoff), reading and writing its manifest, sending a file so that readers never see half
//! of it, and OpenDAL's errors in Chinese, naming the target.

use std::path::Path;
use std::time::Duration;

use opendal::layers::RetryLayer;
use opendal::{ErrorKind, Operator, services};

use super::manifest::{self, Manifest};
use super::settings::{self, Place, Target};
use crate::diagnostics::Diagnostic;

/// An open target.
#[derive(Clone)]
pub struct Remote {
    pub op: Operator,
    /// Whether a write replaces a file in one step (object stores); over SFTP a file is written
    /// under a temporary name and renamed.
    atomic_writes: bool,
    headers: bool,
}

/// Opens `target`, reading its keys (bucket services) from the environment or the
/// credentials file. Nothing is sent yet.
pub fn open(target: &Target, root: &Path) -> Result<Remote, Diagnostic> {
    // reqwest's rustls uses the process-wide provider; zhen ships ring (a second call is a no-op).
    let _ = rustls::crypto::ring::default_provider().install_default();
    opendal_http_transport_reqwest::install_default();
    let bad = |e: opendal::Error| {
        Diagnostic::error(format!("上传目标 {} 的设置不对：{e}", target.shown()))
            .help("请检查 site.toml 里这一组 [deploy.…] 的写法")
    };
    let op = match &target.place {
        Place::Bucket {
            service,
            endpoint,
            bucket,
            region,
            prefix,
        } => {
            let keys = settings::credentials(target, root)?;
            let root = format!("/{prefix}");
            let (ak, sk) = (keys.access_key.as_str(), keys.secret_key.as_str());
            match service.as_str() {
                "oss" => Operator::new(
                    services::Oss::default()
                        .endpoint(endpoint)
                        .bucket(bucket)
                        .root(&root)
                        .access_key_id(ak)
                        .access_key_secret(sk),
                ),
                "cos" => Operator::new(
                    services::Cos::default()
                        .endpoint(endpoint)
                        .bucket(bucket)
                        .root(&root)
                        .secret_id(ak)
                        .secret_key(sk)
                        .disable_config_load(),
                ),
                "obs" => Operator::new(
                    services::Obs::default()
                        .endpoint(endpoint)
                        .bucket(bucket)
                        .root(&root)
                        .access_key_id(ak)
                        .secret_access_key(sk),
                ),
                _ => {
                    let region = if region.is_empty() {
                        "us-east-1"
                    } else {
                        region
                    };
                    let mut s3 = services::S3::default()
                        .bucket(bucket)
                        .region(region)
                        .root(&root)
                        .access_key_id(ak)
                        .secret_access_key(sk)
                        .disable_config_load()
                        .disable_ec2_metadata();
                    if !endpoint.is_empty() {
                        s3 = s3.endpoint(endpoint);
                    }
                    Operator::new(s3)
                }
            }
            .map_err(bad)?
        }
        Place::Sftp {
            host,
            port,
            user,
            path,
            key_file,
            known_hosts,
        } => {
            // OpenDAL's SFTP drives OpenSSH's client through a Unix socket: not on Windows.
            #[cfg(unix)]
            {
                let mut sftp = services::Sftp::default()
                    .endpoint(&format!("ssh://{user}@{host}:{port}"))
                    .user(user)
                    .root(path)
                    .known_hosts_strategy(known_hosts);
                if let Some(key) = key_file {
                    sftp = sftp.key(&key.to_string_lossy());
                }
                Operator::new(sftp).map_err(bad)?
            }
            #[cfg(not(unix))]
            {
                let _ = (host, port, user, path, key_file, known_hosts);
                return Err(Diagnostic::error(format!(
                    "Windows 版的 zhen 不能用 SFTP 上传（上传目标 {}）",
                    target.shown()
                ))
                .help("请改用对象存储（oss、cos、obs、s3），或用 WinSCP 等工具上传 public 文件夹，或在麒麟、统信等 Linux 电脑上运行 zhen deploy"));
            }
        }
    };
    let op = op.layer(
        RetryLayer::new()
            .with_max_times(3)
            .with_min_delay(Duration::from_millis(500))
            .with_max_delay(Duration::from_secs(5))
            .with_jitter(),
    );
    let capability = op.info().capability();
    Ok(Remote {
        atomic_writes: !matches!(target.place, Place::Sftp { .. }),
        headers: capability.write_with_content_type && capability.write_with_cache_control,
        op,
    })
}

impl Remote {
    /// The manifest zhen left on the target; None when there is none (first deploy).
    pub async fn read_manifest(&self) -> opendal::Result<Option<Manifest>> {
        match self.op.read(manifest::REMOTE_NAME).await {
            Ok(buffer) => Ok(Some(
                Manifest::from_json(&buffer.to_vec()).unwrap_or_default(),
            )),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn write_manifest(&self, m: &Manifest) -> opendal::Result<()> {
        self.put(
            manifest::REMOTE_NAME,
            m.to_json(),
            "application/json; charset=utf-8",
            "no-store",
        )
        .await
    }

    /// Writes one file with its headers (where the service keeps them). Over SFTP the bytes go
    /// to a hidden temporary name first and are renamed over the old file, so a reader or an
    /// interrupted deploy never leaves half a file.
    pub async fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        content_type: &str,
        cache_control: &str,
    ) -> opendal::Result<()> {
        if self.atomic_writes {
            let mut w = self.op.write_with(path, bytes);
            if self.headers {
                w = w.content_type(content_type).cache_control(cache_control);
            }
            w.await?;
            return Ok(());
        }
        let tmp = match path.rsplit_once('/') {
            Some((dir, name)) => format!("{dir}/.{name}.zhen-upload"),
            None => format!(".{path}.zhen-upload"),
        };
        self.op.write(&tmp, bytes).await?;
        self.op.rename(&tmp, path).await
    }

    pub async fn delete(&self, path: &str) -> opendal::Result<()> {
        match self.op.delete(path).await {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// An OpenDAL error as a message a publicist can act on, naming the target.
pub fn explain(target: &Target, doing: &str, e: &opendal::Error) -> Diagnostic {
    let shown = target.shown();
    let text = format!("{e:?}");
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let is_sftp = matches!(target.place, Place::Sftp { .. });
    let key_help = if is_sftp {
        "请检查 site.toml 里的 user 和 key_file（私钥文件）是否正确，服务器上是否已加入对应的公钥"
            .to_string()
    } else {
        format!(
            "请检查环境变量 {} 和 {}（或密钥文件里 [{}] 的 access_key、secret_key）是否正确，这个账号是否有写这个存储桶的权限",
            target.env_name("ACCESS_KEY"),
            target.env_name("SECRET_KEY"),
            target.name
        )
    };
    if e.kind() == ErrorKind::PermissionDenied
        || has(&[
            "permission denied",
            "signaturedoesnotmatch",
            "invalidaccesskeyid",
            "accessdenied",
            "authentication failed",
            "too many authentication failures",
        ])
    {
        // Over SFTP a refused login names its methods; a refused write does not.
        if is_sftp
            && !has(&[
                "publickey",
                "password",
                "keyboard-interactive",
                "authentication",
            ])
        {
            return Diagnostic::error(format!("上传目标 {shown} 上没有写入权限（{doing}时）"))
                .help("请让服务器管理员检查 path 目录是否允许这个用户写入");
        }
        return Diagnostic::error(format!(
            "上传目标 {shown} 拒绝了登录：密钥或密码不对（{doing}时）"
        ))
        .help(key_help);
    }
    if has(&[
        "connection refused",
        "dns error",
        "failed to lookup",
        "could not resolve",
        "no route to host",
        "timed out",
        "timeout",
        "network is unreachable",
        "error sending request",
        "connection closed",
        "connection reset",
    ]) {
        let what = if is_sftp { "host 和 port" } else { "endpoint" };
        return Diagnostic::error(format!("连不上上传目标 {shown}（{doing}时）")).help(format!(
            "请检查网络是否通、site.toml 里的 {what} 是否写对、服务器是否开着；zhen 已经重试了 3 次"
        ));
    }
    if e.kind() == ErrorKind::NotFound {
        return Diagnostic::error(format!(
            "上传目标 {shown} 上找不到存储桶或目录（{doing}时）"
        ))
        .help("请检查 site.toml 里的 bucket（或 path）是否写对，存储桶是否已在云存储控制台建好");
    }
    Diagnostic::error(format!("上传到 {shown} 失败（{doing}时）：{e}"))
        .help("稍后再运行一次 zhen deploy：已经传好的文件不会重传")
}
