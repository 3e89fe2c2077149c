//! `leakshield history`: every reachable commit (or a range), each distinct
//! blob scanned once, each secret attributed to the commit that added it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};

use super::args::HistoryArgs;
use super::progress::ProgressLine;
use super::{Outcome, settings};
use leakshield::source::fs::Progress;
use leakshield::source::git::Repo;

pub fn run(args: &HistoryArgs) -> Result<Outcome> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot start worker threads")?;
    }
    let repo = Repo::discover(Path::new("."))?;
    let config = settings::load_config(&args.config, Path::new("."))?;
    let scanner = settings::scanner(&config)?;
    let commits = match (&args.range, args.all) {
        (Some(range), _) => repo.log(range)?,
        (None, true) => repo.all_history()?,
        (None, false) => repo.head_history()?,
    };
    let progress = Arc::new(Progress::default());
    let line = ProgressLine::start(progress.clone(), !args.output.quiet);
    let scanned = repo
        .commit_changes(&commits)
        .and_then(|changes| repo.scan(&scanner, &changes, &progress));
    line.finish();
    let scan = scanned?;
    settings::write_report(&args.output, &scan.findings)?;
    let blobs = progress.files.load(Ordering::Relaxed);
    settings::summary(
        &args.output,
        &scan.findings,
        &format!("{} commit(s), {blobs} distinct blob(s)", commits.len()),
    );
    Ok(Outcome::from_findings(&scan.findings, false))
}
