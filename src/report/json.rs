//! JSON report (`{"findings": [...]}`) and JSON Lines (one finding per line).

use std::io::{self, Write};

use serde::Serialize;

use super::Options;
use crate::engine::{Confidence, Finding};
use crate::rules::Severity;

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    description: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    secret: String,
    fingerprint: &'a str,
    severity: Severity,
    blocking: bool,
    confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding, opts: &Options) -> Self {
        JsonFinding {
            rule_id: &f.rule_id,
            description: &f.description,
            path: &f.path,
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            commit: f.commit.as_deref(),
            repository: f.repository.as_deref(),
            secret: opts.shown_secret(f),
            fingerprint: &f.fingerprint,
            severity: f.severity,
            blocking: f.blocking,
            confidence: f.confidence,
            reason: f.reason.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    blocking: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

pub fn write_json(w: &mut dyn Write, findings: &[Finding], opts: &Options) -> io::Result<()> {
    let blocking = findings.iter().filter(|f| f.blocking).count();
    let report = Report {
        findings: findings.iter().map(|f| JsonFinding::new(f, opts)).collect(),
        summary: Summary {
            findings: findings.len(),
            blocking,
            warnings: findings.len() - blocking,
        },
    };
    serde_json::to_writer_pretty(&mut *w, &report)?;
    writeln!(w)
}

/// One JSON object per line: streams, and files from shards concatenate cleanly.
pub fn write_jsonl(w: &mut dyn Write, findings: &[Finding], opts: &Options) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *w, &JsonFinding::new(f, opts))?;
        writeln!(w)?;
    }
    Ok(())
}
