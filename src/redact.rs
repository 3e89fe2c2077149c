//! Redaction: rewrite text with every secret replaced by a marker that names
//! the rule and cannot be reversed. Works on whole buffers, on streams (in
//! constant memory, emitting each complete line as soon as it arrives) and
//! on JSON documents (redacting inside string values).

use std::io::{self, Read, Write};

use memchr::memmem;
use sha2::{Digest, Sha256};

use crate::engine::{Finding, Scanner};

/// Already-emitted bytes kept as look-behind context, so a keyword on one
/// line still qualifies a secret on the next.
const CONTEXT: usize = 4096;
/// Bytes held back at most while waiting for a line or key block to end.
const MAX_HOLD: usize = 64 * 1024;
const READ_SIZE: usize = 256 * 1024;

/// One redaction, for reports: never contains the secret.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Redaction {
    pub rule_id: String,
    pub line: usize,
    pub marker: String,
}

/// Replaces secrets with markers; everything else is kept byte for byte.
pub struct Redactor<'a> {
    scanner: &'a Scanner,
    key: [u8; 16],
}

impl<'a> Redactor<'a> {
    /// `key` makes markers unguessable; the same secret maps to the same
    /// marker under one key.
    pub fn new(scanner: &'a Scanner, key: [u8; 16]) -> Self {
        Redactor { scanner, key }
    }

    /// A redactor with a random per-process key.
    pub fn with_random_key(scanner: &'a Scanner) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut key = [0u8; 16];
        for half in key.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(std::process::id() as u64);
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
        Redactor { scanner, key }
    }

    /// The marker for a secret found by `rule_id`: rule plus a short keyed hash.
    pub fn marker(&self, rule_id: &str, secret: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(secret);
        let digest = h.finalize();
        format!(
            "[REDACTED:{rule_id}:{}]",
            crate::engine::finding_hex(&digest[..2])
        )
    }

    /// Findings to redact in `data`, non-overlapping, by position.
    fn spans(&self, data: &[u8]) -> Vec<Finding> {
        let mut findings = self.scanner.scan(data);
        findings.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
        let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
        for f in findings {
            match out.last_mut() {
                // Overlapping secrets are redacted as one span, so no tail leaks.
                Some(last) if f.start < last.end => last.end = last.end.max(f.end),
                _ => out.push(f),
            }
        }
        out
    }

    /// Redacts a whole buffer.
    pub fn redact_bytes(&self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        self.apply(
            data,
            &self.spans(data),
            0,
            data.len(),
            &mut out,
            &mut Vec::new(),
            0,
        );
        out
    }

    pub fn redact(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.redact_bytes(text.as_bytes())).into_owned()
    }

    /// Writes `data[from..to]` with the findings that start inside it replaced.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &self,
        data: &[u8],
        spans: &[Finding],
        from: usize,
        to: usize,
        out: &mut Vec<u8>,
        report: &mut Vec<Redaction>,
        line_base: usize,
    ) {
        let mut pos = from;
        for f in spans.iter().filter(|f| f.start >= from && f.start < to) {
            out.extend_from_slice(&data[pos..f.start]);
            let marker = self.marker(&f.rule_id, &data[f.start..f.end]);
            out.extend_from_slice(marker.as_bytes());
            report.push(Redaction {
                rule_id: f.rule_id.clone(),
                line: line_base + f.line,
                marker,
            });
            pos = f.end;
        }
        if pos < to {
            out.extend_from_slice(&data[pos..to]);
        }
    }

    /// Streams `input` to `output`, redacting as it goes. Each complete line
    /// is written (and flushed) as soon as it has arrived, except inside a
    /// private-key block, which is held until its END line (bounded).
    pub fn redact_stream(
        &self,
        input: &mut dyn Read,
        output: &mut dyn Write,
    ) -> io::Result<Vec<Redaction>> {
        let mut report = Vec::new();
        // `buf` = emitted context (first `ctx` bytes) + pending bytes.
        let mut buf: Vec<u8> = Vec::with_capacity(READ_SIZE + MAX_HOLD + CONTEXT);
        let mut ctx = 0usize;
        let mut lines_before_ctx = 0usize;
        let mut chunk = vec![0u8; READ_SIZE];
        let mut out = Vec::with_capacity(READ_SIZE + MAX_HOLD);
        loop {
            let n = match input.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let eof = n == 0;
            buf.extend_from_slice(&chunk[..n]);
            if buf.len() == ctx && eof {
                break;
            }
            let mut safe = if eof { buf.len() } else { safe_end(&buf, ctx) };
            if safe <= ctx && !eof {
                continue;
            }
            let spans = self.spans(&buf);
            // A secret that starts before the cut and ends after it is emitted whole.
            let cut = safe;
            if let Some(end) = spans
                .iter()
                .filter(|f| f.start >= ctx && f.start < cut)
                .map(|f| f.end)
                .max()
            {
                safe = safe.max(end);
            }
            out.clear();
            self.apply(
                &buf,
                &spans,
                ctx,
                safe,
                &mut out,
                &mut report,
                lines_before_ctx,
            );
            output.write_all(&out)?;
            output.flush()?;
            // Keep the last CONTEXT emitted bytes as context for what follows.
            let keep_from = safe.saturating_sub(CONTEXT);
            lines_before_ctx += count_lines(&buf[..keep_from]);
            buf.drain(..keep_from);
            ctx = safe - keep_from;
            if eof {
                break;
            }
        }
        Ok(report)
    }

    /// Redacts inside the string values of a JSON document (keys are kept).
    /// Returns the input unchanged, byte for byte, when nothing was found.
    pub fn redact_json(
        &self,
        input: &[u8],
    ) -> Result<(Vec<u8>, Vec<Redaction>), serde_json::Error> {
        let mut value: serde_json::Value = serde_json::from_slice(input)?;
        let mut report = Vec::new();
        self.redact_value(&mut value, &mut report);
        if report.is_empty() {
            return Ok((input.to_vec(), report));
        }
        let mut out = serde_json::to_vec(&value)?;
        if input.ends_with(b"\n") {
            out.push(b'\n');
        }
        Ok((out, report))
    }

    /// Redacts inside every string of a JSON value (keys are kept),
    /// appending what was redacted to `report`.
    pub fn redact_value(&self, value: &mut serde_json::Value, report: &mut Vec<Redaction>) {
        match value {
            serde_json::Value::String(s) => {
                let spans = self.spans(s.as_bytes());
                if !spans.is_empty() {
                    let mut out = Vec::with_capacity(s.len());
                    self.apply(s.as_bytes(), &spans, 0, s.len(), &mut out, report, 0);
                    *s = String::from_utf8_lossy(&out).into_owned();
                }
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().for_each(|v| self.redact_value(v, report))
            }
            serde_json::Value::Object(map) => {
                map.values_mut().for_each(|v| self.redact_value(v, report))
            }
            _ => {}
        }
    }
}

fn count_lines(data: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', data).count()
}

/// Multi-line key blocks: opener and the line that closes them.
const BLOCKS: &[(&[u8], &[u8])] = &[
    (b"-----BEGIN", b"-----END"),
    (b"---- BEGIN", b"---- END"),
    (b"PuTTY-User-Key-File-", b"Private-MAC:"),
];

/// Where pending bytes can be cut: after the last complete line, but not
/// inside a key block whose closing line has not fully arrived; bounded by
/// MAX_HOLD.
fn safe_end(buf: &[u8], ctx: usize) -> usize {
    let pending = &buf[ctx..];
    let mut cut = match memchr::memrchr(b'\n', pending) {
        Some(i) => ctx + i + 1,
        None => ctx,
    };
    for (open, close) in BLOCKS {
        if let Some(begin) = memmem::rfind(pending, open) {
            let block = &pending[begin..];
            let closed = memmem::find(block, close)
                .is_some_and(|c| memchr::memchr(b'\n', &block[c..]).is_some());
            if !closed {
                cut = cut.min(ctx + begin);
            }
        }
    }
    if buf.len() - cut > MAX_HOLD {
        // A pathological line: give up holding and cut (context still overlaps).
        cut = buf.len() - MAX_HOLD / 2;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> String {
        format!("gh{}_{}", "p", "Zr4Kp1VwX7nTb2q8Zr9Kp3VwY7nTb5a8Qw2E")
    }

    /// A reader that hands out a few bytes at a time, like a slow pipe.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn stream_matches_whole_buffer_for_any_read_size() {
        let scanner = crate::builtin();
        let r = Redactor::new(&scanner, [1; 16]);
        let text = format!(
            "line one\nGITHUB_TOKEN={}\nplain text\nx={} end",
            token(),
            token()
        );
        let whole = r.redact_bytes(text.as_bytes());
        assert!(!String::from_utf8_lossy(&whole).contains(&token()));
        for step in [1, 3, 7, 64, 4096] {
            let mut out = Vec::new();
            let report = r
                .redact_stream(&mut Trickle(text.as_bytes(), step), &mut out)
                .unwrap();
            assert_eq!(out, whole, "read size {step}");
            assert_eq!(report.len(), 2);
            assert_eq!(report[0].line, 2);
            assert_eq!(report[1].line, 4);
        }
    }

    #[test]
    fn key_block_is_held_until_its_end_line_is_complete() {
        let scanner = crate::builtin();
        let r = Redactor::new(&scanner, [1; 16]);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let body: String = (0..20 * 65)
            .map(|i| {
                if i % 65 == 64 {
                    return '\n';
                }
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % 64) as usize] as char
            })
            .collect();
        let body = body.trim_end();
        let probe = &body[..24];
        let text = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\nafter\n"
        );
        for step in [1, 5, 17, 64, 700] {
            let mut out = Vec::new();
            r.redact_stream(&mut Trickle(text.as_bytes(), step), &mut out)
                .unwrap();
            let out = String::from_utf8(out).unwrap();
            assert!(!out.contains(probe), "read size {step}: {out}");
            assert!(out.ends_with("]\nafter\n"), "read size {step}: {out}");
        }
    }

    #[test]
    fn clean_text_is_byte_identical() {
        let scanner = crate::builtin();
        let r = Redactor::new(&scanner, [1; 16]);
        let text = "token handling: see docs\npassword field\n\u{00e9}\r\n";
        let mut out = Vec::new();
        r.redact_stream(&mut Trickle(text.as_bytes(), 5), &mut out)
            .unwrap();
        assert_eq!(out, text.as_bytes());
    }

    #[test]
    fn same_secret_same_marker() {
        let scanner = crate::builtin();
        let r = Redactor::new(&scanner, [1; 16]);
        let out = r.redact(&format!("a={t}\nb={t}\n", t = token()));
        let markers: Vec<&str> = out.lines().map(|l| &l[2..]).collect();
        assert_eq!(markers[0], markers[1]);
        assert!(markers[0].starts_with("[REDACTED:github-classic-token:"));
    }

    #[test]
    fn json_strings_are_redacted_and_stay_valid() {
        let scanner = crate::builtin();
        let r = Redactor::new(&scanner, [1; 16]);
        let doc = format!("{{\"messages\":[{{\"content\":\"use {} now\"}}]}}", token());
        let (out, report) = r.redact_json(doc.as_bytes()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(!v.to_string().contains(&token()));
        assert_eq!(report.len(), 1);
        let clean = b"{\"a\": 1,  \"b\": \"x\"}";
        assert_eq!(r.redact_json(clean).unwrap().0, clean);
    }
}
