//! Sinks that render findings: text for terminals, JSON, SARIF 2.1.0.
//! Secrets are masked unless the caller asks to reveal them.

mod json;
mod sanitize;
mod sarif;
mod text;

pub use json::{write_json, write_jsonl};
pub use sanitize::sanitize;
pub use sarif::write_sarif;
pub use text::write_text;

use crate::engine::{Finding, mask};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Sarif,
}

/// How to render findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub reveal: bool,
    pub color: bool,
}

impl Options {
    /// The secret as it may be shown: masked unless `reveal`.
    pub fn shown_secret(&self, f: &Finding) -> String {
        if self.reveal {
            f.secret.clone()
        } else {
            mask(&f.secret)
        }
    }
}
