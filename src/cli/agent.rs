//! `leakshield agent hook|install`: the shield inside coding agents. The hook
//! answers one JSON payload: it denies a shell command whose `git commit` or
//! `git push` would add a secret (whatever flags, `--no-verify` included),
//! blocks a prompt holding a secret, and redacts secrets from tool output
//! where the agent lets a hook replace it. Internal errors deny (fail closed).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::Outcome;
use super::args::{AgentCommand, ConfigArgs};
use super::settings;
use leakshield::Scanner;
use leakshield::agent::command::{GitOp, git_ops};
use leakshield::agent::protocol::{Agent, Event, Reply, event};
use leakshield::engine::{Finding, mask};
use leakshield::redact::Redactor;
use leakshield::report::sanitize;
use leakshield::source::fs::Progress;
use leakshield::source::git::{PushUpdate, Repo};

/// Payloads larger than this are not JSON an agent would send.
const MAX_PAYLOAD: u64 = 64 << 20;

pub fn run(cmd: &AgentCommand) -> Result<Outcome> {
    match cmd {
        AgentCommand::Hook { agent, config } => hook(agent.as_deref(), config),
        AgentCommand::Install {
            agent,
            user,
            command,
            ..
        } => install(agent, *user, command.as_deref()),
    }
}

fn hook(agent: Option<&str>, config: &ConfigArgs) -> Result<Outcome> {
    let mut input = Vec::new();
    std::io::stdin()
        .take(MAX_PAYLOAD)
        .read_to_end(&mut input)
        .context("cannot read the hook payload")?;
    let payload: Result<Value> =
        serde_json::from_slice(&input).context("the hook payload is not JSON");
    let agent = match agent {
        Some(name) => Agent::from_name(name).with_context(|| format!("unknown agent '{name}'"))?,
        None => payload.as_ref().map(Agent::sniff).unwrap_or(Agent::Claude),
    };
    let is_output = payload
        .as_ref()
        .is_ok_and(|p| matches!(event(p), Event::ToolOutput { .. }));
    let reply = match payload.and_then(|p| answer(agent, &p, config)) {
        Ok(reply) => reply,
        Err(e) => {
            let reason = format!("leakshield could not check this action, so it is blocked: {e:#}");
            if fail_open(config) {
                eprintln!("leakshield: warning: {reason} (allowed: hooks.fail_open)");
                Reply::allow()
            } else if is_output {
                // Blocking after the fact does not stop the model from reading
                // the output: withhold it instead.
                let withheld = Value::String(format!("[output withheld: {reason}]"));
                Reply::replace_output(agent, &withheld, &reason)
            } else {
                Reply::deny_shell(agent, &reason)
            }
        }
    };
    if let Some(out) = &reply.stdout {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{out}")?;
        stdout.flush()?;
    }
    if let Some(err) = &reply.stderr {
        eprintln!("{err}");
    }
    Ok(match reply.exit {
        0 => Outcome::Clean,
        1 => Outcome::Findings,
        _ => Outcome::Error,
    })
}

fn fail_open(config: &ConfigArgs) -> bool {
    settings::load_config(config, Path::new("."))
        .map(|c| c.hooks().fail_open)
        .unwrap_or(false)
}

fn answer(agent: Agent, payload: &Value, config: &ConfigArgs) -> Result<Reply> {
    match event(payload) {
        Event::Shell { command, cwd } => {
            let cwd = cwd.unwrap_or_else(|| PathBuf::from("."));
            let mut ops = git_ops(&command, &cwd);
            let publishes = |ops: &[GitOp]| ops.iter().any(|op| !matches!(op, GitOp::Add { .. }));
            if !publishes(&ops) && mentions_git_publish(&command) {
                // A form the parser does not follow (aliases, functions, odd
                // quoting): assume the worst, a `commit -a` and a push of HEAD.
                ops.push(GitOp::Commit {
                    dir: cwd.clone(),
                    all: true,
                    paths: Vec::new(),
                });
                ops.push(GitOp::Push {
                    dir: cwd.clone(),
                    remote: None,
                    refspecs: Vec::new(),
                    all: false,
                    tags: false,
                });
            }
            if !publishes(&ops) {
                return Ok(Reply::allow());
            }
            let scanner = scanner_for(config, &cwd)?;
            let (action, mut findings) = check_git(&scanner, &ops)?;
            // A secret the same command line writes into a file (`echo … > f
            // && git add f && git commit`) is only visible in the command.
            let origin = leakshield::engine::Origin {
                path: "<command>",
                ..Default::default()
            };
            findings.extend(scanner.scan_at(command.as_bytes(), &origin));
            let blocking: Vec<&Finding> = findings.iter().filter(|f| f.blocking).collect();
            if blocking.is_empty() {
                return Ok(Reply::allow());
            }
            Ok(Reply::deny_shell(agent, &shell_reason(action, &blocking)))
        }
        Event::Prompt { text } => {
            let scanner = scanner_for(config, Path::new("."))?;
            let findings = scanner.scan(text.as_bytes());
            let blocking: Vec<&Finding> = findings.iter().filter(|f| f.blocking).collect();
            if blocking.is_empty() {
                return Ok(Reply::allow());
            }
            Ok(Reply::block_prompt(agent, &prompt_reason(&blocking)))
        }
        Event::ToolOutput { output } => {
            let scanner = scanner_for(config, Path::new("."))?;
            let redactor = Redactor::with_random_key(&scanner);
            let mut redacted = output.clone();
            let mut report = Vec::new();
            redactor.redact_value(&mut redacted, &mut report);
            let mut rules: Vec<String> = report.into_iter().map(|r| r.rule_id).collect();
            if rules.is_empty() {
                return Ok(Reply::allow());
            }
            rules.sort();
            rules.dedup();
            let summary = format!(
                "leakshield redacted {} secret kind(s) from this output ({}).",
                rules.len(),
                rules.join(", ")
            );
            Ok(Reply::replace_output(agent, &redacted, &summary))
        }
        Event::Other => Ok(Reply::allow()),
    }
}

/// Whether a command line mentions `git` with `commit` or `push` as words.
fn mentions_git_publish(command: &str) -> bool {
    let words: Vec<String> = leakshield::agent::command::simple_commands(command)
        .into_iter()
        .flatten()
        .collect();
    words.iter().any(|w| w == "git" || w.ends_with("/git"))
        && words.iter().any(|w| w == "commit" || w == "push")
}

fn scanner_for(config: &ConfigArgs, dir: &Path) -> Result<Scanner> {
    let start = if dir.is_dir() { dir } else { Path::new(".") };
    settings::scanner(&settings::load_config(config, start)?)
}

/// Scans what the command line's commits and pushes would publish.
fn check_git(scanner: &Scanner, ops: &[GitOp]) -> Result<(&'static str, Vec<Finding>)> {
    // `git add`s wait for the commit of the same repository, wherever in it
    // each ran (`git -C sub add x && git commit`).
    let mut adds: HashMap<PathBuf, Vec<(PathBuf, Vec<String>)>> = HashMap::new();
    let root = |dir: &Path| -> PathBuf {
        // The index file identifies the repository (and worktree).
        Repo::discover(dir)
            .map(|r| r.index_path())
            .unwrap_or_else(|_| dir.to_path_buf())
    };
    let mut findings = Vec::new();
    let mut action = "git commit";
    for op in ops {
        match op {
            GitOp::Add { dir, args } => adds
                .entry(root(dir))
                .or_default()
                .push((dir.clone(), args.clone())),
            GitOp::Commit { dir, all, paths } => {
                let pending = adds.remove(&root(dir)).unwrap_or_default();
                findings.extend(commit_findings(scanner, dir, &pending, *all, paths)?);
            }
            GitOp::Push {
                dir,
                remote,
                refspecs,
                all,
                tags,
            } => {
                action = "git push";
                findings.extend(push_findings(
                    scanner,
                    dir,
                    remote.as_deref(),
                    refspecs,
                    *all,
                    *tags,
                )?);
            }
        }
    }
    Ok((action, findings))
}

/// What `git commit` would record after the command line's `git add`s (and
/// `-a` or pathspecs): replayed with `git add` on a copy of the index, so the
/// real index is untouched and git's own rules (ignores, pathspecs) apply.
fn commit_findings(
    scanner: &Scanner,
    dir: &Path,
    adds: &[(PathBuf, Vec<String>)],
    all: bool,
    paths: &[String],
) -> Result<Vec<Finding>> {
    let repo = Repo::discover(dir)?;
    let changes = if adds.is_empty() && !all && paths.is_empty() {
        repo.staged()?
    } else {
        let scratch = tempfile::Builder::new()
            .prefix("leakshield-index")
            .tempfile()
            .context("cannot create a scratch index")?;
        let index = repo.index_path();
        if index.exists() {
            std::fs::copy(&index, scratch.path()).context("cannot copy the index")?;
        } else {
            std::fs::remove_file(scratch.path()).ok();
        }
        let mut runs: Vec<(PathBuf, Vec<String>)> = adds.to_vec();
        if all {
            runs.push((dir.to_path_buf(), vec!["-u".into()]));
        }
        if !paths.is_empty() {
            let (from_file, plain): (Vec<&String>, Vec<&String>) = paths
                .iter()
                .partition(|p| p.starts_with("--pathspec-from-file="));
            let mut args: Vec<String> = from_file.into_iter().cloned().collect();
            args.push("--".to_string());
            args.extend(plain.into_iter().cloned());
            runs.push((dir.to_path_buf(), args));
        }
        for (add_dir, args) in runs {
            let status = Command::new("git")
                .arg("-C")
                .arg(&add_dir)
                .arg("add")
                .args(&args)
                .env("GIT_INDEX_FILE", scratch.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .context("cannot run git")?;
            // A failing `git add` fails the agent's command line too; what was
            // added so far is still checked.
            let _ = status;
        }
        repo.staged_from(scratch.path())?
    };
    Ok(repo.scan(scanner, &changes, &Progress::default())?.findings)
}

fn push_findings(
    scanner: &Scanner,
    dir: &Path,
    remote: Option<&str>,
    refspecs: &[String],
    all: bool,
    tags: bool,
) -> Result<Vec<Finding>> {
    let repo = Repo::discover(dir)?;
    // `--all`/`--mirror`/`--tags`: every local branch (and tag) tip.
    let mut prefixes = Vec::new();
    if all {
        prefixes.push("refs/heads");
    }
    if tags {
        prefixes.push("refs/tags");
    }
    let mut tips = Vec::new();
    if !prefixes.is_empty() {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["for-each-ref", "--format=%(objectname)"])
            .args(&prefixes)
            .output()
            .context("cannot run git for-each-ref")?;
        if !out.status.success() {
            bail!("git for-each-ref failed in {}", dir.display());
        }
        tips.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string),
        );
    }
    let mut updates: Vec<PushUpdate> = refspecs
        .iter()
        .filter_map(|spec| {
            let src = spec.trim_start_matches('+').split(':').next().unwrap_or("");
            (!src.is_empty()).then(|| PushUpdate {
                local_sha: src.to_string(),
                remote_sha: String::new(),
            })
        })
        .collect();
    for sha in tips {
        updates.push(PushUpdate {
            local_sha: sha,
            remote_sha: String::new(),
        });
    }
    if updates.is_empty() {
        updates.push(PushUpdate {
            local_sha: "HEAD".into(),
            remote_sha: String::new(),
        });
    }
    let commits = repo.push_commits(remote.unwrap_or("origin"), &updates)?;
    if commits.is_empty() {
        return Ok(Vec::new());
    }
    let changes = repo.commit_changes(&commits)?;
    Ok(repo.scan(scanner, &changes, &Progress::default())?.findings)
}

fn finding_lines(findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings.iter().take(20) {
        let place = if f.path.is_empty() {
            format!("line {}", f.line)
        } else {
            format!("{}:{}", f.path, f.line)
        };
        out.push_str(&format!(
            "  {}  {}  {}\n",
            sanitize(&place),
            f.rule_id,
            sanitize(&mask(&f.secret))
        ));
    }
    if findings.len() > 20 {
        out.push_str(&format!("  … and {} more\n", findings.len() - 20));
    }
    out
}

fn shell_reason(action: &str, findings: &[&Finding]) -> String {
    let fix = if action == "git push" {
        "Rewrite the commits that added it (`git rebase -i`, or `git reset` and commit again) so \
         the secret is in none of them"
    } else {
        "Remove each secret from the file (unstage it with `git restore --staged <file>`)"
    };
    format!(
        "leakshield blocked `{action}`: it would publish {} secret(s):\n{}\
         {fix}, load it from the environment or a secret store instead, and rotate the \
         credential if it was real. A false positive can be marked with `leakshield:allow` on its \
         line or in .leakshield.toml. `--no-verify` does not bypass this check.",
        findings.len(),
        finding_lines(findings)
    )
}

fn prompt_reason(findings: &[&Finding]) -> String {
    format!(
        "leakshield blocked this prompt: it contains {} secret(s):\n{}\
         Remove the secret (refer to it by name, e.g. an environment variable) and send the prompt \
         again; rotate the credential if it was real.",
        findings.len(),
        finding_lines(findings)
    )
}

/// Where each agent keeps its hook configuration.
fn config_path(agent: Agent, user: bool) -> Result<PathBuf> {
    let base = if user {
        PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?)
    } else {
        std::env::current_dir()?
    };
    Ok(base.join(match agent {
        Agent::Claude => ".claude/settings.json",
        Agent::Droid => ".factory/settings.json",
        Agent::Codex => ".codex/hooks.json",
        Agent::Gemini => ".gemini/settings.json",
        Agent::Cursor => ".cursor/hooks.json",
    }))
}

/// The hook entries for an agent: (event, matcher, timeout in the agent's unit).
fn entries(agent: Agent) -> Vec<(&'static str, Option<&'static str>, u64)> {
    match agent {
        Agent::Claude => vec![
            ("PreToolUse", Some("Bash"), 30),
            ("UserPromptSubmit", None, 30),
            ("PostToolUse", Some("Bash"), 30),
        ],
        Agent::Droid => vec![
            ("PreToolUse", Some("Execute"), 30),
            ("UserPromptSubmit", None, 30),
            ("PostToolUse", Some("Execute"), 30),
        ],
        Agent::Codex => vec![
            ("PreToolUse", Some("Bash"), 30),
            ("UserPromptSubmit", None, 30),
            ("PostToolUse", Some("Bash"), 30),
        ],
        Agent::Gemini => vec![
            ("BeforeTool", Some("run_shell_command"), 30_000),
            ("BeforeAgent", None, 30_000),
            ("AfterTool", Some("run_shell_command"), 30_000),
        ],
        Agent::Cursor => vec![
            ("beforeShellExecution", None, 30),
            ("beforeSubmitPrompt", None, 30),
        ],
    }
}

const MARK: &str = "leakshield agent hook";

fn install(agent_name: &str, user: bool, command: Option<&str>) -> Result<Outcome> {
    let agent =
        Agent::from_name(agent_name).with_context(|| format!("unknown agent '{agent_name}'"))?;
    let path = config_path(agent, user)?;
    let mut doc: Value = match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().is_empty() => json!({}),
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid JSON; not changing it", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => json!({}),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let Some(root) = doc.as_object_mut() else {
        bail!("{}: expected a JSON object", path.display());
    };
    let cmd = command
        .map(str::to_string)
        .unwrap_or_else(|| format!("leakshield agent hook --agent {}", agent.name()));
    if agent == Agent::Cursor {
        root.entry("version").or_insert(json!(1));
    }
    let hooks = root.entry("hooks").or_insert_with(|| json!({}));
    let Some(hooks) = hooks.as_object_mut() else {
        bail!("{}: \"hooks\" is not an object", path.display());
    };
    for (event, matcher, timeout) in entries(agent) {
        let list = hooks.entry(event).or_insert_with(|| json!([]));
        let Some(list) = list.as_array_mut() else {
            bail!("{}: hooks.{event} is not a list", path.display());
        };
        // Idempotent: drop our previous entries, keep everyone else's.
        list.retain(|entry| !entry.to_string().contains(MARK));
        let entry = if agent == Agent::Cursor {
            json!({ "command": cmd, "timeout": timeout })
        } else {
            let mut group =
                json!({ "hooks": [{ "type": "command", "command": cmd, "timeout": timeout }] });
            if let Some(m) = matcher {
                group["matcher"] = json!(m);
            }
            if agent == Agent::Gemini {
                group["hooks"][0]["name"] =
                    json!(format!("leakshield-{}", event.to_ascii_lowercase()));
            }
            group
        };
        list.push(entry);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("json.leakshield-tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&doc)? + "\n")
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "leakshield: installed {} hooks in {}",
        agent.name(),
        path.display()
    );
    Ok(Outcome::Clean)
}
