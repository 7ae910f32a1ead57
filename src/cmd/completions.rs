//! `zhen completions <shell>`: prints a shell completion script.

use clap::CommandFactory;
use clap_complete::Shell;

/// Writes the completion script for `shell` to stdout.
pub fn run<C: CommandFactory>(shell: Shell) {
    let mut command = C::command();
    clap_complete::generate(shell, &mut command, "zhen", &mut std::io::stdout());
}
