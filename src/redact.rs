//! Redaction: rewrite text with every secret replaced by a marker that names
//! the rule and cannot be reversed.

use sha2::{Digest, Sha256};

use crate::engine::Scanner;

/// Replaces secrets with markers; everything else is kept byte for byte.
pub struct Redactor<'a> {
    scanner: &'a Scanner,
    key: [u8; 16],
}

impl<'a> Redactor<'a> {
    /// `key` makes markers unguessable across runs; the same secret maps to
    /// the same marker under one key.
    pub fn new(scanner: &'a Scanner, key: [u8; 16]) -> Self {
        Redactor { scanner, key }
    }

    /// The marker for a secret found by `rule_id`.
    pub fn marker(&self, rule_id: &str, secret: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(secret);
        let digest = h.finalize();
        format!("[REDACTED:{rule_id}:{}]", crate::engine::finding_hex(&digest[..2]))
    }

    /// Redacts a whole buffer.
    pub fn redact_bytes(&self, data: &[u8]) -> Vec<u8> {
        let mut findings = self.scanner.scan(data);
        findings.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
        let mut out = Vec::with_capacity(data.len());
        let mut pos = 0;
        for f in findings {
            if f.start < pos {
                continue;
            }
            out.extend_from_slice(&data[pos..f.start]);
            out.extend_from_slice(self.marker(&f.rule_id, &data[f.start..f.end]).as_bytes());
            pos = f.end;
        }
        out.extend_from_slice(&data[pos..]);
        out
    }

    pub fn redact(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.redact_bytes(text.as_bytes())).into_owned()
    }
}
