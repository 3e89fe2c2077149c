//! `leakshield scan`: files, directories and stdin.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::args::ScanArgs;
use super::progress::ProgressLine;
use super::{Outcome, settings};
use leakshield::engine::Origin;
use leakshield::source::fs::{self, Progress, WalkOptions};

pub fn run(args: &ScanArgs) -> Result<Outcome> {
    let config = settings::load_config(&args.config, Path::new("."))?;
    let scanner = settings::scanner(&config)?;
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let (stdin, paths): (Vec<_>, Vec<_>) = args.paths.iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        let mut data = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut data)
            .context("cannot read stdin")?;
        if !fs::is_binary(&data) {
            findings.extend(scanner.scan_at(
                &data,
                &Origin {
                    path: "<stdin>",
                    ..Origin::default()
                },
            ));
        }
    }
    let mut roots = Vec::new();
    for p in paths {
        if p.exists() {
            roots.push(p.clone());
        } else {
            errors.push(format!("{}: no such file or directory", p.display()));
        }
    }
    let progress = Arc::new(Progress::default());
    let line = ProgressLine::start(progress.clone(), !args.output.quiet);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        threads: args.threads.unwrap_or(0),
    };
    let scanned = fs::scan_paths(&scanner, &roots, &walk, &progress);
    line.finish();
    findings.extend(scanned.findings);
    errors.extend(scanned.errors);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for e in &errors {
        eprintln!("leakshield: warning: {}", leakshield::report::sanitize(e));
    }
    settings::write_report(&args.output, &findings)?;
    let files = progress.files.load(std::sync::atomic::Ordering::Relaxed);
    settings::summary(&args.output, &findings, &format!("{files} file(s)"));
    Ok(Outcome::from_findings(&findings, !errors.is_empty()))
}
