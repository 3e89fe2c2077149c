//! A progress line on stderr for long scans, only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use leakshield::source::fs::Progress;

pub struct ProgressLine {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ProgressLine {
    /// Starts a reporter thread if `enabled` and stderr is a terminal.
    pub fn start(progress: Arc<Progress>, enabled: bool) -> ProgressLine {
        let stop = Arc::new(AtomicBool::new(false));
        let handle = (enabled && std::io::stderr().is_terminal()).then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                // Short runs finish before the first tick and print nothing.
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(250));
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let files = progress.files.load(Ordering::Relaxed);
                    let mb = progress.bytes.load(Ordering::Relaxed) as f64 / 1e6;
                    eprint!("\r\x1b[2Kscanning: {files} files, {mb:.1} MB");
                    let _ = std::io::stderr().flush();
                    shown = true;
                }
                if shown {
                    eprint!("\r\x1b[2K");
                }
            })
        });
        ProgressLine { stop, handle }
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
