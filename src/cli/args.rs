//! Command-line arguments (clap). Plain data; `settings` turns them into
//! what the commands need.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "leakshield",
    version,
    about = "Stop credentials from leaking: scan files, diffs, git history and agent traffic for secrets.",
    long_about = "Stop credentials from leaking: scan files, diffs, git history and agent traffic for secrets.\n\n\
        Exit codes: 0 nothing blocking found, 1 blocking findings, 2 usage or runtime error.",
    after_help = "Examples:\n  leakshield scan .                 scan the current directory\n  leakshield install                install the git pre-commit and pre-push hooks\n  leakshield diff --staged          scan what `git commit` would record\n  leakshield scan --format sarif .  SARIF for GitHub code scanning"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (recursively, honouring .gitignore); `-` reads stdin.
    Scan(ScanArgs),
    /// List or check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write a baseline of the current findings (.leakshield-baseline.json) so
    /// that later runs report only new ones.
    Baseline(BaselineArgs),
    /// Copy input to stdout with every secret replaced by a marker such as
    /// `[REDACTED:github-classic-token:3f9a]`; everything else is unchanged.
    Redact(RedactArgs),
    /// Scan the lines added by staged changes (`--staged`) or by each commit of a range.
    Diff(DiffArgs),
    /// Scan every reachable commit, attributing each secret to the commit that added it.
    History(HistoryArgs),
    /// Run a git hook check (what the installed hooks call).
    #[command(subcommand)]
    Hook(HookCommand),
    /// Install the git hooks into the current repository (respects core.hooksPath;
    /// an existing hook is kept and still runs first).
    Install(InstallArgs),
    /// Remove the hooks `leakshield install` wrote and restore the hooks they replaced.
    Uninstall,
    /// Coding-agent integration: the hook agents call, and its installer.
    #[command(subcommand)]
    Agent(AgentCommand),
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Answer one agent hook call (JSON on stdin). Denies a shell command whose
    /// `git commit`/`git push` would publish a secret (also with --no-verify),
    /// blocks a prompt that contains a secret, and redacts secrets from tool
    /// output where the agent allows it. Exit 2 with the reason on stderr (and
    /// the agent's JSON decision on stdout) means deny.
    Hook {
        /// The calling agent: claude, droid, codex, gemini or cursor
        /// (default: guessed from the payload).
        #[arg(long, value_name = "NAME")]
        agent: Option<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Write the agent's hook configuration (merged into existing settings;
    /// re-running replaces leakshield's entries and keeps everything else).
    Install {
        /// claude (.claude/settings.json), droid (.factory/settings.json),
        /// codex (.codex/hooks.json), gemini (.gemini/settings.json) or
        /// cursor (.cursor/hooks.json).
        #[arg(long, value_name = "NAME")]
        agent: String,
        /// In the current project (the default).
        #[arg(long, conflicts_with = "user")]
        project: bool,
        /// In the user's home directory, for every project.
        #[arg(long)]
        user: bool,
        /// The command the agent runs (default: `leakshield agent hook --agent NAME`).
        #[arg(long, value_name = "CMD")]
        command: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedactReport {
    /// no report
    None,
    /// a JSON report of what was redacted (rule, line, marker; never the secret)
    Json,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// File to redact; `-` or nothing reads stdin (streamed in constant memory).
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: PathBuf,
    /// Treat the input as one JSON document and redact inside its string values;
    /// the output is always valid JSON.
    #[arg(long)]
    pub json: bool,
    /// Report format, written to stderr or to --report.
    #[arg(long, short = 'f', value_enum, default_value = "none")]
    pub format: RedactReport,
    /// Write the report to FILE (implies --format json).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// path:line:column, rule and masked secret
    Text,
    /// one JSON object with a `findings` array
    Json,
    /// one JSON finding per line
    Jsonl,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Options shared by every command that reports findings.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Print secrets in full instead of masked.
    #[arg(long)]
    pub reveal: bool,
    /// When to color output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not print the summary or progress on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Options for loading rules and configuration.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Config file (default: .leakshield.toml at the repository root).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any discovered .leakshield.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Baseline of known findings to suppress (default: .leakshield-baseline.json
    /// at the repository root).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore any discovered baseline.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also scan files that .gitignore and other ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Scan only shard I of N (1-based, e.g. `--shard 2/8`): files are split
    /// by a hash of their path, so N parallel jobs cover each file once; use
    /// `--format jsonl` and concatenate the outputs.
    #[arg(long, value_name = "I/N", value_parser = leakshield::source::fs::Shard::parse)]
    pub shard: Option<leakshield::source::fs::Shard>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or directories to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Where to write the baseline.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        default_value = ".leakshield-baseline.json"
    )]
    pub output: PathBuf,
    /// Also scan files that .gitignore and other ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the active rules (built-in plus config).
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Check rules: examples match, negative examples do not, keywords occur,
    /// all rules compile. Without FILEs, checks the built-in rules and config.
    Check {
        /// Rule files to check instead of the built-in set.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Scan the index against HEAD: what `git commit` would record.
    #[arg(long, conflicts_with = "range")]
    pub staged: bool,
    /// Commits to scan: `A..B`, `A...B`, or one revision (that commit alone).
    #[arg(value_name = "RANGE", required_unless_present = "staged")]
    pub range: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Every commit reachable from any ref, not only from HEAD.
    #[arg(long, conflicts_with = "range")]
    pub all: bool,
    /// Commits to scan: `A..B`, `A...B`, or REV for everything reachable from
    /// it (default: HEAD).
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Scan the history of each repository listed in FILE (one path per
    /// line; blank lines and `#` comments skipped; `-` reads stdin) instead
    /// of the current one. Findings carry a `repository` field.
    #[arg(long, value_name = "FILE")]
    pub repos: Option<PathBuf>,
    /// With --repos: scan only shard I of N of the list (1-based), split by a
    /// hash of each line, so N parallel jobs cover every repository once.
    #[arg(long, value_name = "I/N", requires = "repos", value_parser = leakshield::source::fs::Shard::parse)]
    pub shard: Option<leakshield::source::fs::Shard>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::enum_variant_names)] // named after git's hooks
pub enum HookCommand {
    /// Block a commit whose staged changes add a secret.
    PreCommit {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Block a push of commits that add a secret; reads git's
    /// `<local ref> <local sha> <remote ref> <remote sha>` lines on stdin.
    PrePush {
        /// Remote name (or URL), as git passes it.
        remote: Option<String>,
        /// Remote URL, as git passes it.
        url: Option<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Server side: reject pushed commits that add a secret; reads
    /// `<old> <new> <ref>` lines on stdin.
    PreReceive {
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Install the pre-commit hook (default: both hooks).
    #[arg(long)]
    pub pre_commit: bool,
    /// Install the pre-push hook (default: both hooks).
    #[arg(long)]
    pub pre_push: bool,
}
