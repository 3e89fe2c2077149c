//! Rules: the TOML format ([`spec`]), the compiled form ([`Rule`], [`RuleSet`])
//! and the self-check run by `leakshield rules check` ([`check`]).

pub mod check;
mod compiled;
pub mod spec;

pub use compiled::{CompiledRule, Rule, RuleSet, WINDOW_AFTER, WINDOW_BEFORE, build_globs};
pub use spec::{RuleSpec, Severity, Validator};

use thiserror::Error;

/// An error in a rule or config file, located by file and line.
#[derive(Debug, Error)]
pub enum RuleError {
    #[error("{file}:{line}: {message}")]
    Parse {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: rule '{id}': {message}")]
    Invalid {
        file: String,
        line: usize,
        id: String,
        message: String,
    },
    #[error("{file}:{line}: duplicate rule id '{id}' (first defined at {first})")]
    Duplicate {
        file: String,
        line: usize,
        id: String,
        first: String,
    },
}

/// Built-in rule files, embedded at compile time by `build.rs`.
pub(crate) static BUILTIN_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}
