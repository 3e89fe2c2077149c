//! `leakshield diff`: the lines added by staged changes (`--staged`) or by
//! each commit of a range.

use std::path::Path;

use anyhow::Result;

use super::args::DiffArgs;
use super::{Outcome, settings};
use leakshield::source::fs::Progress;
use leakshield::source::git::Repo;

pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let repo = Repo::discover(Path::new("."))?;
    let config = settings::load_config(&args.config, Path::new("."))?;
    let scanner = settings::scanner(&config)?;
    let (changes, what) = match &args.range {
        Some(range) => {
            let commits = repo.range(range)?;
            (
                repo.commit_changes(&commits)?,
                format!("{} commit(s)", commits.len()),
            )
        }
        None => (repo.staged()?, "staged changes".to_string()),
    };
    let scan = repo.scan(&scanner, &changes, &Progress::default())?;
    settings::write_report(&args.output, &scan.findings)?;
    let what = format!("{what} ({} changed file(s))", scan.files);
    settings::summary(&args.output, &scan.findings, &what);
    Ok(Outcome::from_findings(&scan.findings, false))
}
