//! Stopping `zhen serve` with Ctrl-C: the first press ends the open event streams (every
//! open browser tab holds one) and lets answers in progress finish for at most a second; a
//! second press exits at once.

use std::time::Duration;

use tokio::sync::watch;

/// How long answers in progress may take after the first Ctrl-C.
const GRACE: Duration = Duration::from_secs(1);

/// Ctrl-C presses, listened to from its creation on (a press before the server is ready is
/// not lost, and does not kill the process half-started).
pub struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
    #[cfg(windows)]
    signal: tokio::signal::windows::CtrlC,
}

impl Interrupts {
    pub fn listen() -> std::io::Result<Interrupts> {
        Ok(Interrupts {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
            #[cfg(windows)]
            signal: tokio::signal::windows::ctrl_c()?,
        })
    }

    async fn next(&mut self) {
        self.signal.recv().await;
    }
}

/// Waits for Ctrl-C, then sets `stopping` (the server and the event streams end); exits the
/// process when that takes longer than [`GRACE`] or at a second Ctrl-C.
pub async fn on_interrupt(mut interrupts: Interrupts, stopping: watch::Sender<bool>) {
    interrupts.next().await;
    eprintln!("\n正在停止预览……");
    stopping.send_replace(true);
    tokio::select! {
        () = interrupts.next() => {
            eprintln!("已停止预览。");
            std::process::exit(130);
        }
        () = tokio::time::sleep(GRACE) => {
            eprintln!("已停止预览（没有等还在进行的请求）。");
            std::process::exit(0);
        }
    }
}
