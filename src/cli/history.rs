//! `leakshield history`: every reachable commit (or a range), each distinct
//! blob scanned once, each secret attributed to the commit that added it.
//! With `--repos`, the same over a list of repositories (one shard of it).

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};

use super::args::HistoryArgs;
use super::progress::ProgressLine;
use super::{Outcome, settings};
use leakshield::Finding;
use leakshield::source::fs::Progress;
use leakshield::source::git::Repo;

pub fn run(args: &HistoryArgs) -> Result<Outcome> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot start worker threads")?;
    }
    let progress = Arc::new(Progress::default());
    let line = ProgressLine::start(progress.clone(), !args.output.quiet);
    let Some(list) = &args.repos else {
        let scanned = scan_repo(Path::new("."), args, &progress);
        line.finish();
        let (findings, commits) = scanned?;
        return report(args, &findings, commits, 1, &progress);
    };
    let mut repos = read_list(list)?;
    // `foo` and `./foo/` are one repository: scan it once.
    let mut seen = std::collections::HashSet::new();
    repos.retain(|r| seen.insert(std::fs::canonicalize(r).unwrap_or_else(|_| r.into())));
    let mine: Vec<&String> = repos
        .iter()
        .filter(|r| args.shard.is_none_or(|s| s.contains(r)))
        .collect();
    let (mut findings, mut commits, mut failed) = (Vec::new(), 0, Vec::new());
    for repo in &mine {
        match scan_repo(Path::new(repo.as_str()), args, &progress) {
            Ok((mut found, n)) => {
                for f in &mut found {
                    f.repository = Some(repo.to_string());
                }
                findings.extend(found);
                commits += n;
            }
            Err(e) => failed.push(format!("{repo}: {e:#}")),
        }
    }
    line.finish();
    let outcome = report(args, &findings, commits, mine.len(), &progress)?;
    if !failed.is_empty() {
        // The findings of the repositories that could be read are reported
        // above; the run still fails so that no repository goes unchecked.
        bail!(
            "{} of {} repositories could not be scanned:\n  {}",
            failed.len(),
            mine.len(),
            failed.join("\n  ")
        );
    }
    Ok(outcome)
}

/// Scans one repository's history with its own configuration (or `--config`).
fn scan_repo(dir: &Path, args: &HistoryArgs, progress: &Progress) -> Result<(Vec<Finding>, usize)> {
    // A listed directory must be a repository itself, not a folder inside
    // one: discovery would otherwise scan the enclosing repository.
    if args.repos.is_some()
        && !dir.join(".git").exists()
        && !(dir.join("HEAD").is_file() && dir.join("objects").is_dir())
    {
        bail!("{} is not the root of a git repository", dir.display());
    }
    let repo = Repo::discover(dir)?;
    let config = settings::load_config(&args.config, dir)?;
    let scanner = settings::scanner(&config)?;
    let commits = match (&args.range, args.all) {
        (Some(range), _) => repo.log(range)?,
        (None, true) => repo.all_history()?,
        (None, false) => repo.head_history()?,
    };
    let changes = repo.commit_changes(&commits)?;
    let scan = repo.scan(&scanner, &changes, progress)?;
    Ok((scan.findings, commits.len()))
}

fn report(
    args: &HistoryArgs,
    findings: &[Finding],
    commits: usize,
    repos: usize,
    progress: &Progress,
) -> Result<Outcome> {
    settings::write_report(&args.output, findings)?;
    let blobs = progress.files.load(Ordering::Relaxed);
    let scope = if args.repos.is_some() {
        format!("{repos} repositories, {commits} commit(s), {blobs} distinct blob(s)")
    } else {
        format!("{commits} commit(s), {blobs} distinct blob(s)")
    };
    settings::summary(&args.output, findings, &scope);
    Ok(Outcome::from_findings(findings, false))
}

/// Reads a repository list: one path per line, `#` comments and blank lines
/// skipped; `-` is stdin.
fn read_list(path: &Path) -> Result<Vec<String>> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the repository list from stdin")?;
        text
    } else {
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read repository list {}", path.display()))?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}
