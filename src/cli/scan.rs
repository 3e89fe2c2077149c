//! `leakshield scan` (files, directories, stdin) and `leakshield baseline`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};

use super::args::{BaselineArgs, ScanArgs};
use super::progress::ProgressLine;
use super::{Outcome, settings};
use leakshield::Scanner;
use leakshield::baseline::Baseline;
use leakshield::engine::{Finding, Origin};
use leakshield::source::fs::{self, Progress, WalkOptions};

pub fn run(args: &ScanArgs) -> Result<Outcome> {
    let config = settings::load_config(&args.config, Path::new("."))?;
    let scanner = settings::scanner(&config)?;
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        threads: args.threads.unwrap_or(0),
        shard: args.shard,
    };
    let scanned = scan_all(&scanner, &args.paths, &walk, args.output.quiet)?;
    settings::write_report(&args.output, &scanned.findings)?;
    settings::summary(
        &args.output,
        &scanned.findings,
        &format!("{} file(s)", scanned.files),
    );
    Ok(Outcome::from_findings(&scanned.findings, scanned.errored))
}

pub fn baseline(args: &BaselineArgs) -> Result<Outcome> {
    let mut config = settings::load_config(&args.config, Path::new("."))?;
    // The new baseline lists every current finding, including known ones.
    config.baseline = None;
    let scanner = settings::scanner(&config)?;
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        threads: 0,
        shard: None,
    };
    let scanned = scan_all(&scanner, &args.paths, &walk, false)?;
    if scanned.errored {
        anyhow::bail!("not writing a baseline: some paths could not be scanned");
    }
    let baseline = Baseline::from_findings(&scanned.findings);
    let tmp = args.output.with_extension("json.tmp");
    std::fs::write(&tmp, baseline.to_json())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "leakshield: wrote {} finding(s) to {}",
        baseline.findings.len(),
        args.output.display()
    );
    Ok(Outcome::Clean)
}

pub struct Scanned {
    pub findings: Vec<Finding>,
    pub files: u64,
    pub errored: bool,
}

/// Scans paths (`-` = stdin), printing per-path errors as warnings; findings sorted.
pub fn scan_all(
    scanner: &Scanner,
    paths: &[PathBuf],
    walk: &WalkOptions,
    quiet: bool,
) -> Result<Scanned> {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let (stdin, paths): (Vec<_>, Vec<_>) = paths.iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        let mut data = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut data)
            .context("cannot read stdin")?;
        if !fs::is_binary(&data) {
            let origin = Origin {
                path: "<stdin>",
                ..Origin::default()
            };
            findings.extend(scanner.scan_at(&data, &origin));
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
    let line = ProgressLine::start(progress.clone(), !quiet);
    let scanned = fs::scan_paths(scanner, &roots, walk, &progress);
    line.finish();
    findings.extend(scanned.findings);
    errors.extend(scanned.errors);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for e in &errors {
        eprintln!("leakshield: warning: {}", leakshield::report::sanitize(e));
    }
    Ok(Scanned {
        findings,
        files: progress.files.load(Ordering::Relaxed) + u64::from(!stdin.is_empty()),
        errored: !errors.is_empty(),
    })
}
