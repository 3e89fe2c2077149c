//! leakshield: a secret scanner for git hooks, coding agents and CI.
//!
//! The library holds the rule format, the detection engine, redaction and the
//! report formats. It never touches the terminal; sources (files, git) live in
//! [`source`] and are the only modules that read from disk.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod agent;
pub mod baseline;
pub mod config;
pub mod engine;
pub mod redact;
pub mod report;
pub mod rules;
pub mod source;

pub use engine::{Finding, Scanner};
pub use rules::RuleSet;

/// A scanner built from the embedded rules and no user configuration.
pub fn builtin() -> Scanner {
    Scanner::new(RuleSet::builtin())
}
