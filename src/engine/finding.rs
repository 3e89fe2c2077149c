//! A finding: which rule matched where, and how sure we are.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::rules::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// One detected secret. `secret` holds the raw value: sinks mask it unless
/// the user asked for `--reveal`.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub description: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub commit: Option<String>,
    /// The repository, when one run scans several (`history --repos`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    pub secret: String,
    pub fingerprint: String,
    pub severity: Severity,
    pub blocking: bool,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Byte span of the secret in the scanned input.
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Finding {
    /// Sort key that makes output deterministic across parallel runs.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, Option<&str>) {
        (
            &self.path,
            self.line,
            self.column,
            &self.rule_id,
            self.commit.as_deref(),
        )
    }

    /// Recomputes the fingerprint after the path changed.
    pub fn refresh_fingerprint(&mut self) {
        self.fingerprint = fingerprint(&self.rule_id, &self.path, &self.secret);
    }
}

/// Identifies a finding by rule, path and a hash of the secret: stable across
/// line shifts, rebases and squashes, and does not reveal the secret.
pub fn fingerprint(rule_id: &str, path: &str, secret: &str) -> String {
    let secret_hash = Sha256::digest(secret.as_bytes());
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(secret_hash);
    hex(&h.finalize()[..16])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A few leading characters of the secret, then `…`.
pub fn mask(secret: &str) -> String {
    let chars = secret.chars().count();
    let shown = (chars / 5).min(6);
    let mut out: String = secret.chars().take(shown).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_hides_most_of_the_secret() {
        let m = mask("ghp_Zr4Kp1VwX7nTb2q8Zr4Kp1VwX7nTb2AAAAAA"); // leakshield:allow (test vector)
        assert_eq!(m, "ghp_Zr…");
        assert_eq!(mask("abc"), "…");
    }

    #[test]
    fn fingerprint_ignores_nothing_but_line() {
        let a = fingerprint("r", "p", "s");
        assert_eq!(a, fingerprint("r", "p", "s"));
        assert_ne!(a, fingerprint("r", "q", "s"));
        assert_ne!(a, fingerprint("r", "p", "t"));
        assert_eq!(a.len(), 32);
    }
}
