//! `leakshield hook pre-commit|pre-push|pre-receive`: what installed git hooks
//! run. A blocking finding prints where it is (never the secret) and what to
//! do, and exits 1. Any failure of the check itself blocks too (exit 2,
//! fail closed) unless `.leakshield.toml` says `[hooks] fail_open = true`.

use std::io::{self, BufRead, IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::{ColorArg, ConfigArgs, HookCommand};
use super::{Outcome, settings};
use leakshield::Scanner;
use leakshield::config;
use leakshield::engine::Finding;
use leakshield::report;
use leakshield::source::fs::Progress;
use leakshield::source::git::{Commits, PushUpdate, Repo};

/// What a hook guards, for its messages.
#[derive(Clone, Copy)]
struct Guarded {
    /// "commit" or "push".
    action: &'static str,
    /// How a human skips the hook once, if they can.
    bypass: Option<&'static str>,
}

const COMMIT: Guarded = Guarded {
    action: "commit",
    bypass: Some("git commit --no-verify"),
};
const PUSH: Guarded = Guarded {
    action: "push",
    bypass: Some("git push --no-verify"),
};
// A server hook cannot be bypassed by the pusher.
const RECEIVE: Guarded = Guarded {
    action: "push",
    bypass: None,
};

pub fn run(cmd: &HookCommand) -> Result<Outcome> {
    match cmd {
        HookCommand::PreCommit { config } => guard(config, COMMIT, || pre_commit(config)),
        HookCommand::PrePush { remote, config, .. } => {
            guard(config, PUSH, || pre_push(remote.as_deref(), config))
        }
        HookCommand::PreReceive { config } => guard(config, RECEIVE, || pre_receive(config)),
    }
}

/// `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF`: set by the pre-commit framework
/// for pre-push hooks and for `pre-commit run --from-ref A --to-ref B`.
fn framework_range() -> Option<String> {
    let from = std::env::var("PRE_COMMIT_FROM_REF")
        .ok()
        .filter(|s| !s.is_empty())?;
    let to = std::env::var("PRE_COMMIT_TO_REF")
        .ok()
        .filter(|s| !s.is_empty())?;
    Some(format!("{from}..{to}"))
}

fn pre_commit(config: &ConfigArgs) -> Result<Outcome> {
    let scanner = spawn_scanner(config);
    let repo = Repo::discover(Path::new("."))?;
    let range = framework_range();
    let (changes, what) = match &range {
        Some(range) => (
            repo.commit_changes(&repo.range(range)?)?,
            "the commits to check",
        ),
        None => (repo.staged()?, "the staged changes"),
    };
    if changes.is_empty() {
        return Ok(Outcome::Clean); // nothing added: no need to wait for the rules
    }
    let scan = repo.scan(&scanner.wait()?, &changes, &Progress::default())?;
    Ok(verdict(COMMIT, what, &scan.findings))
}

/// Builds the scanner on another thread: parsing and compiling the rules
/// takes about as long as reading a big repository's index, and the two can
/// overlap. If the caller returns early, the thread dies with the process.
fn spawn_scanner(config: &ConfigArgs) -> PendingScanner {
    let config = config.clone();
    PendingScanner(std::thread::spawn(move || {
        settings::scanner(&settings::load_config(&config, Path::new("."))?)
    }))
}

struct PendingScanner(std::thread::JoinHandle<Result<Scanner>>);

impl PendingScanner {
    fn wait(self) -> Result<Scanner> {
        self.0.join().unwrap_or_else(|p| panic::resume_unwind(p))
    }
}

fn pre_push(remote: Option<&str>, config: &ConfigArgs) -> Result<Outcome> {
    let scanner = spawn_scanner(config);
    let repo = Repo::discover(Path::new("."))?;
    let commits = match framework_range() {
        Some(range) => repo.range(&range)?,
        None => {
            let remote = remote
                .map(str::to_string)
                .or_else(|| std::env::var("PRE_COMMIT_REMOTE_NAME").ok())
                .unwrap_or_default();
            let mut updates = read_push_lines()?;
            if updates.is_empty() {
                // Run by hand, or by a framework that passed no ref lines:
                // check what pushing HEAD would publish.
                updates.push(PushUpdate {
                    local_sha: "HEAD".into(),
                    remote_sha: String::new(),
                });
            }
            repo.push_commits(&remote, &updates)?
        }
    };
    scan_commits(&repo, scanner, &commits, PUSH, "commit(s) to push")
}

fn pre_receive(config: &ConfigArgs) -> Result<Outcome> {
    let scanner = spawn_scanner(config);
    let repo = Repo::discover(Path::new("."))?;
    let mut updates = Vec::new();
    for line in stdin_lines()? {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [old, new, _name] = fields[..] else {
            bail!("unexpected pre-receive input line: '{line}' (want '<old> <new> <ref>')");
        };
        updates.push((old.to_string(), new.to_string()));
    }
    let commits = repo.receive_commits(&updates)?;
    scan_commits(&repo, scanner, &commits, RECEIVE, "pushed commit(s)")
}

fn scan_commits(
    repo: &Repo,
    scanner: PendingScanner,
    commits: &Commits,
    g: Guarded,
    noun: &str,
) -> Result<Outcome> {
    let changes = repo.commit_changes(commits)?;
    if changes.is_empty() {
        return Ok(Outcome::Clean);
    }
    let scan = repo.scan(&scanner.wait()?, &changes, &Progress::default())?;
    let what = format!("{} {noun}", commits.len());
    Ok(verdict(g, &what, &scan.findings))
}

/// git's pre-push lines: `<local ref> <local sha> <remote ref> <remote sha>`.
fn read_push_lines() -> Result<Vec<PushUpdate>> {
    let mut out = Vec::new();
    for line in stdin_lines()? {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_local_ref, local_sha, _remote_ref, remote_sha] = fields[..] else {
            bail!(
                "unexpected pre-push input line: '{line}' (want '<local ref> <local sha> <remote ref> <remote sha>')"
            );
        };
        out.push(PushUpdate {
            local_sha: local_sha.to_string(),
            remote_sha: remote_sha.to_string(),
        });
    }
    Ok(out)
}

/// Non-empty stdin lines; nothing when stdin is a terminal (run by hand).
fn stdin_lines() -> Result<Vec<String>> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read the ref lines git passes on stdin")?;
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

/// Prints findings and the way out on stderr; blocking findings block.
fn verdict(g: Guarded, what: &str, findings: &[Finding]) -> Outcome {
    if findings.is_empty() {
        return Outcome::Clean;
    }
    let blocking = findings.iter().filter(|f| f.blocking).count();
    let warnings = findings.len() - blocking;
    let stderr = io::stderr();
    let opts = report::Options {
        reveal: false,
        color: settings::use_color(ColorArg::Auto, stderr.is_terminal()),
    };
    let mut err = stderr.lock();
    // Writing to stderr can only fail if it is closed; the exit code still tells.
    let _ = (|| -> io::Result<()> {
        if blocking > 0 {
            writeln!(
                err,
                "leakshield: {} blocked: {blocking} secret(s) found in {what}{}:",
                g.action,
                if warnings > 0 {
                    format!(" (and {warnings} warning(s))")
                } else {
                    String::new()
                }
            )?;
        } else {
            writeln!(
                err,
                "leakshield: {warnings} possible secret(s) in {what} (warnings, not blocking):"
            )?;
        }
        report::write_text(&mut err, findings, &opts)?;
        if blocking == 0 {
            return Ok(());
        }
        writeln!(err)?;
        writeln!(err, "What to do:")?;
        writeln!(
            err,
            "  - Remove the secret (load it from the environment or a secret manager instead) and rotate the credential."
        )?;
        if g.action == "push" && g.bypass.is_some() {
            writeln!(
                err,
                "    It is in commits already: rewrite them (git rebase -i, git commit --amend) before pushing."
            )?;
        }
        writeln!(
            err,
            "  - A false positive? Mark the line with a `leakshield:allow` comment, or allowlist it in .leakshield.toml"
        )?;
        writeln!(
            err,
            "    ([allow] paths/regexes/stopwords, or `disable = [\"rule-id\"]`)."
        )?;
        match g.bypass {
            Some(b) => writeln!(err, "  - To skip this check once, knowingly: {b}")?,
            None => writeln!(err, "  - Ask the server's administrators if this is wrong.")?,
        }
        Ok(())
    })();
    if blocking > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Runs a hook body; a failure (error or panic) blocks with exit 2 unless the
/// config asks to fail open.
fn guard(
    config: &ConfigArgs,
    g: Guarded,
    body: impl FnOnce() -> Result<Outcome>,
) -> Result<Outcome> {
    let result = panic::catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|_| Err(anyhow::anyhow!("internal error (panic); please report it")));
    let e = match result {
        Ok(outcome) => return Ok(outcome),
        Err(e) => e,
    };
    eprintln!("leakshield: error: {}", report::sanitize(&format!("{e:#}")));
    if fail_open(config) {
        eprintln!(
            "leakshield: the secret check could not run; letting the {} through unchecked ([hooks] fail_open = true)",
            g.action
        );
        return Ok(Outcome::Clean);
    }
    eprintln!(
        "leakshield: {} blocked because the secret check could not run (fail closed).",
        g.action
    );
    match g.bypass {
        Some(b) => eprintln!(
            "leakshield: fix the problem above, or set `[hooks] fail_open = true` in .leakshield.toml, or skip the check once: {b}"
        ),
        None => eprintln!(
            "leakshield: fix the problem above, or set `[hooks] fail_open = true` in the config."
        ),
    }
    Ok(Outcome::Error)
}

/// `[hooks] fail_open`, read leniently: a config that fails to load for
/// another reason (a bad rule, say) may still say to fail open. A config that
/// is not even TOML cannot, and we fail closed.
fn fail_open(args: &ConfigArgs) -> bool {
    if args.no_config {
        return false;
    }
    let path = args
        .config
        .clone()
        .or_else(|| config::discover(Path::new(".")));
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|t| t.get("hooks")?.get("fail_open")?.as_bool())
        .unwrap_or(false)
}
