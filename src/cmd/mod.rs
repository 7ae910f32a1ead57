//! One module per subcommand.

pub mod build;
pub mod check;
pub mod completions;
pub mod init;
pub mod new;
pub mod serve;

use std::io::IsTerminal;

use crate::diagnostics::Diagnostic;

/// Prints diagnostics to stderr, coloured on a terminal.
pub fn report(diagnostics: &[Diagnostic]) {
    let styled = std::io::stderr().is_terminal();
    for d in diagnostics {
        eprintln!("{}\n", d.render(styled));
    }
}
