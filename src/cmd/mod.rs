//! One module per subcommand.

pub mod build;
pub mod check;
pub mod completions;
pub mod deploy;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub mod usage;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Prints diagnostics to stderr, coloured on a terminal.
pub fn report(diagnostics: &[Diagnostic]) {
    let styled = std::io::stderr().is_terminal();
    for d in diagnostics {
        eprintln!("{}\n", d.render(styled));
    }
}

/// The site folder a command works on: `given` when it holds a site.toml; for the default `.`,
/// the nearest folder above that holds one (as git finds its repository), so that commands
/// work from inside `content/tourism/` too. Else an error that says where to run them.
pub fn site_root(given: &Path) -> Result<PathBuf, Diagnostic> {
    if given.join("site.toml").is_file() {
        return Ok(given.to_path_buf());
    }
    if given == Path::new(".")
        && let Ok(cwd) = std::env::current_dir()
        && let Some(found) = cwd
            .ancestors()
            .skip(1)
            .find(|d| d.join("site.toml").is_file())
    {
        eprintln!("使用上级目录里的网站：{}", found.display());
        return Ok(found.to_path_buf());
    }
    let shown = std::path::absolute(given).unwrap_or_else(|_| given.to_path_buf());
    Err(
        Diagnostic::error(format!(
            "这里不是网站目录：{} 里没有 site.toml",
            shown.display()
        ))
        .help("是不是在错误的目录里运行？请在网站目录（包含 site.toml 的文件夹）里运行，或用 --root 指定网站目录；要新建网站，运行 zhen init 新网站的文件夹名"),
    )
}
