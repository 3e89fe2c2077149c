//! The command-line front end: parses arguments, wires sources, the engine
//! and sinks together, and maps outcomes to exit codes.

mod agent;
pub mod args;
mod diff;
mod history;
mod hook;
mod install;
mod progress;
mod redact;
mod rules;
mod scan;
mod settings;

use anyhow::Result;

use args::{Cli, Command};

/// Exit codes: 0 clean, 1 blocking findings, 2 error (error wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    Error,
}

impl Outcome {
    pub fn code(self) -> i32 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Error => 2,
        }
    }

    pub fn from_findings(findings: &[leakshield::Finding], errored: bool) -> Outcome {
        if errored {
            Outcome::Error
        } else if findings.iter().any(|f| f.blocking) {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Rules(cmd) => rules::run(&cmd),
        Command::Redact(args) => redact::run(&args),
        Command::Baseline(args) => scan::baseline(&args),
        Command::Diff(args) => diff::run(&args),
        Command::History(args) => history::run(&args),
        Command::Hook(cmd) => hook::run(&cmd),
        Command::Install(args) => install::install(&args),
        Command::Uninstall => install::uninstall(),
        Command::Agent(cmd) => agent::run(&cmd),
    }
}
