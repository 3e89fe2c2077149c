//! The detection engine: keyword prefilter, regex confirmation near the hits,
//! secret checks and allowlists. Pure: bytes in, findings out, no I/O.

pub mod checks;
mod decode;
mod finding;
mod grams;
pub(crate) use finding::hex as finding_hex;
pub mod prefilter;

pub use finding::{Confidence, Finding, fingerprint, mask};

use globset::GlobSet;
use memchr::memmem;
use regex_automata::{Input, meta::Regex};

use crate::rules::{RuleSet, WINDOW_AFTER, WINDOW_BEFORE};
use checks::Verdict;
use prefilter::{Hit, Prefilter};

/// Markers that suppress findings on their line (ours, and those of the tools
/// teams migrate from).
pub const INLINE_ALLOW: &[&str] = &[
    "leakshield:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
];

/// Allowlists that apply to every rule (from `.leakshield.toml`).
#[derive(Default)]
pub struct Allow {
    pub paths: Option<GlobSet>,
    pub regexes: Vec<Regex>,
    pub stopwords: Vec<String>,
    /// Fingerprints of known findings (the baseline): not reported.
    pub fingerprints: std::collections::HashSet<String>,
}

/// Where scanned bytes came from, attached to each finding.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a str,
    pub commit: Option<&'a str>,
    /// Line number of the first line of the input (diff hunks start mid-file).
    pub first_line: usize,
}

impl Default for Origin<'_> {
    fn default() -> Self {
        Origin {
            path: "",
            commit: None,
            first_line: 1,
        }
    }
}

/// A compiled rule set ready to scan; cheap to share between threads.
pub struct Scanner {
    rules: RuleSet,
    prefilter: Prefilter,
    allow: Allow,
}

struct Candidate {
    rule: u32,
    start: usize,
    end: usize,
    verdict: Option<Verdict>,
}

/// The default window around a keyword hit: from the newline before the
/// previous line (a few rules match from the line above the keyword, `name:
/// X` / `value: ...`, and many open with `(?:^|[^\w])`, which needs that
/// newline) to the end of the second line after the hit's line, capped at
/// `WINDOW_BEFORE` / `WINDOW_AFTER` bytes: most secrets sit on the keyword's
/// line, and dense keywords in code would otherwise merge windows into whole
/// files.
fn line_window(data: &[u8], hit_start: usize, hit_end: usize) -> (usize, usize) {
    let floor = hit_start.saturating_sub(WINDOW_BEFORE);
    let cap = hit_end.saturating_add(WINDOW_AFTER).min(data.len());
    let mut back = memchr::memrchr_iter(b'\n', &data[floor..hit_start]);
    let _ = back.next();
    let start = back.next().map_or(floor, |i| floor + i);
    let end = memchr::memchr_iter(b'\n', &data[hit_end..cap])
        .nth(2)
        .map_or(cap, |i| hit_end + i + 1);
    (start, end)
}

/// Hits grouped by rule (a counting sort: stable, so each rule's hits stay
/// in text order), one slice per rule with hits.
fn group_by_rule(hits: Vec<Hit>, rules: usize) -> Vec<Hit> {
    let mut offsets = vec![0usize; rules + 1];
    for h in &hits {
        offsets[h.rule as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut out = hits.clone();
    for h in hits {
        let slot = &mut offsets[h.rule as usize];
        out[*slot] = h;
        *slot += 1;
    }
    out
}

impl Scanner {
    pub fn new(rules: RuleSet) -> Scanner {
        let prefilter = Prefilter::new(&rules);
        Scanner {
            rules,
            prefilter,
            allow: Allow::default(),
        }
    }

    pub fn with_allow(mut self, allow: Allow) -> Scanner {
        self.allow = allow;
        self
    }

    /// Suppresses findings whose fingerprints are in `baseline`.
    pub fn with_baseline(mut self, baseline: std::collections::HashSet<String>) -> Scanner {
        self.allow.fingerprints = baseline;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Whether the global allowlist excludes this path entirely.
    pub fn is_path_allowed(&self, path: &str) -> bool {
        self.allow.paths.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Whether any keyword occurs: `false` means the input cannot hold a finding.
    pub fn may_match(&self, data: &[u8]) -> bool {
        self.prefilter.any(data)
    }

    /// Scans bytes with no origin (library use: prompts, tool output).
    pub fn scan(&self, data: &[u8]) -> Vec<Finding> {
        self.scan_at(data, &Origin::default())
    }

    /// Scans bytes and returns findings sorted by position.
    pub fn scan_at(&self, data: &[u8], origin: &Origin) -> Vec<Finding> {
        if self.is_path_allowed(origin.path) {
            return Vec::new();
        }
        let mut hits = Vec::new();
        self.prefilter.hits(data, &mut hits);
        for &rule in &self.prefilter.always {
            hits.push(Hit {
                rule,
                start: 0,
                end: data.len(),
                window: (0, 0),
            });
        }
        let mut findings = Vec::new();
        if !hits.is_empty() {
            // Hits arrive in text order, several rules per keyword: the line
            // window is computed once per occurrence, and a counting sort by
            // rule keeps each rule's hits in text order.
            let mut last = (usize::MAX, 0, (0, 0));
            for h in &mut hits {
                if (h.start, h.end) != (last.0, last.1) {
                    last = (h.start, h.end, line_window(data, h.start, h.end));
                }
                h.window = last.2;
            }
            let hits = group_by_rule(hits, self.rules.rules().len());
            let mut candidates = Vec::new();
            for group in hits.chunk_by(|a, b| a.rule == b.rule) {
                self.confirm(data, origin, group, &mut candidates);
            }
            resolve_overlaps(&self.rules, &mut candidates);
            findings = self.findings(data, origin, candidates);
        }
        if decode::is_k8s_secret(data) {
            self.scan_decoded(data, origin, &mut findings);
        }
        if !self.allow.fingerprints.is_empty() {
            findings.retain(|f| !self.allow.fingerprints.contains(&f.fingerprint));
        }
        findings
    }

    /// Scans base64-encoded Kubernetes Secret values and reports what they
    /// hide at the position of the encoded value.
    fn scan_decoded(&self, data: &[u8], origin: &Origin, findings: &mut Vec<Finding>) {
        for decoded in decode::k8s_secret_values(data) {
            // What the encoded text matched directly is an artifact of base64
            // looking random: the decoded value decides.
            findings.retain(|f| !(f.start < decoded.end && decoded.start < f.end));
            let Some(inner) = self
                .scan(decoded.text.as_bytes())
                .into_iter()
                .max_by_key(|f| f.blocking)
            else {
                continue;
            };
            let line =
                origin.first_line + memchr::memchr_iter(b'\n', &data[..decoded.start]).count();
            let line_start = memchr::memrchr(b'\n', &data[..decoded.start]).map_or(0, |i| i + 1);
            let secret = String::from_utf8_lossy(&data[decoded.start..decoded.end]).into_owned();
            findings.push(Finding {
                fingerprint: fingerprint(&inner.rule_id, origin.path, &secret),
                path: origin.path.to_string(),
                line,
                column: decoded.start - line_start + 1,
                end_line: line,
                commit: origin.commit.map(str::to_string),
                repository: None,
                secret,
                reason: Some(match inner.reason {
                    Some(r) => format!("base64-decoded Kubernetes Secret value; {r}"),
                    None => "base64-decoded Kubernetes Secret value".to_string(),
                }),
                start: decoded.start,
                end: decoded.end,
                ..inner
            });
        }
        findings.sort_by_key(|f| (f.start, f.rule_id.clone()));
    }

    /// Runs one rule's regex over the merged windows around its keyword hits.
    /// (`group` holds one rule's hits in text order.)
    fn confirm(&self, data: &[u8], origin: &Origin, group: &[Hit], out: &mut Vec<Candidate>) {
        let rule_index = group[0].rule;
        let rule = &self.rules.rules()[rule_index as usize];
        let Some(compiled) = rule.compiled() else {
            return;
        };
        if let Some(paths) = &compiled.allow_paths
            && !origin.path.is_empty()
            && paths.is_match(origin.path)
        {
            return;
        }
        let after = rule.window_after();
        let mut windows: Vec<(usize, usize)> = Vec::new();
        // Rules with an explicit `window` (key blocks, JSON documents) get
        // that many bytes; the others get the hit's line and the two lines
        // after it, capped in bytes: most secrets sit on the keyword's line, and
        // dense keywords in code would otherwise merge windows into whole files.
        let by_lines = rule.spec.window.is_none();
        for h in group {
            let (start, end) = if by_lines {
                h.window
            } else {
                (
                    h.start.saturating_sub(WINDOW_BEFORE),
                    h.end.saturating_add(after).min(data.len()),
                )
            };
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => windows.push((start, end)),
            }
        }
        let mut last_end = 0;
        let mut caps = compiled.regex.create_captures();
        for (start, end) in windows {
            let mut at = start.max(last_end);
            while at < end {
                compiled
                    .regex
                    .search_captures(&Input::new(data).span(at..end), &mut caps);
                // A secret group that did not take part (the regex offers
                // alternatives, e.g. quoted and bare values) hands over to
                // the next group that did.
                let span =
                    (compiled.secret_group..caps.group_len()).find_map(|g| caps.get_group(g));
                let (Some(whole), Some(span)) = (caps.get_match(), span) else {
                    break;
                };
                // Resume after the match, or, when the value was rejected,
                // at the value: it may itself be the key of the next match
                // (`a = b.c || "secret"`).
                at = whole.end().max(at + 1);
                if span.is_empty() || span.start < last_end {
                    continue;
                }
                let secret = String::from_utf8_lossy(&data[span.range()]);
                let Some(verdict) = self.check(rule, compiled, data, span.start, span.end, &secret)
                else {
                    at = span.start.max(whole.start() + 1);
                    continue;
                };
                last_end = span.end;
                out.push(Candidate {
                    rule: rule_index,
                    start: span.start,
                    end: span.end,
                    verdict,
                });
            }
        }
    }

    /// Secret checks and allowlists. `None` drops the candidate; `Some(None)`
    /// keeps it as is; `Some(Some(v))` keeps it with lowered confidence.
    fn check(
        &self,
        rule: &crate::rules::Rule,
        compiled: &crate::rules::CompiledRule,
        data: &[u8],
        start: usize,
        end: usize,
        secret: &str,
    ) -> Option<Option<Verdict>> {
        if checks::entropy(secret.as_bytes()) < rule.spec.entropy {
            return None;
        }
        let line = line_around(data, start, end);
        if INLINE_ALLOW
            .iter()
            .any(|m| memmem::find(line, m.as_bytes()).is_some())
        {
            return None;
        }
        let lower = secret.to_ascii_lowercase();
        if compiled
            .stopwords
            .iter()
            .any(|w| lower.contains(w.as_str()))
            || self
                .allow
                .stopwords
                .iter()
                .any(|w| lower.contains(w.as_str()))
            || compiled
                .allow_regexes
                .iter()
                .any(|r| r.is_match(secret.as_bytes()))
            || self
                .allow
                .regexes
                .iter()
                .any(|r| r.is_match(secret.as_bytes()))
            || compiled.allow_lines.iter().any(|r| r.is_match(line))
        {
            return None;
        }
        let mut verdict = rule.validator().and_then(|v| checks::validate(v, secret));
        if verdict.is_none() {
            verdict = checks::placeholder(secret);
        }
        match verdict {
            Some(Verdict::Drop(_)) => None,
            v => Some(v),
        }
    }

    fn findings(
        &self,
        data: &[u8],
        origin: &Origin,
        mut candidates: Vec<Candidate>,
    ) -> Vec<Finding> {
        candidates.sort_by_key(|c| (c.start, c.rule));
        let mut line = origin.first_line;
        let mut counted = 0;
        let mut out = Vec::with_capacity(candidates.len());
        for c in candidates {
            line += memchr::memchr_iter(b'\n', &data[counted..c.start]).count();
            counted = c.start;
            let line_start = memchr::memrchr(b'\n', &data[..c.start]).map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&data[line_start..c.start])
                .chars()
                .count()
                + 1;
            let end_line = line + memchr::memchr_iter(b'\n', &data[c.start..c.end]).count();
            let rule = &self.rules.rules()[c.rule as usize];
            let secret = String::from_utf8_lossy(&data[c.start..c.end]).into_owned();
            let (blocking, confidence, reason) = match c.verdict {
                None => (true, Confidence::High, None),
                Some(Verdict::Doubt(r)) => (true, Confidence::Medium, Some(r)),
                Some(Verdict::Warn(r)) | Some(Verdict::Drop(r)) => {
                    (false, Confidence::Low, Some(r))
                }
            };
            out.push(Finding {
                rule_id: rule.id().to_string(),
                description: rule.description().to_string(),
                path: origin.path.to_string(),
                line,
                column,
                end_line,
                commit: origin.commit.map(str::to_string),
                repository: None,
                fingerprint: fingerprint(rule.id(), origin.path, &secret),
                secret,
                severity: rule.severity(),
                blocking,
                confidence,
                reason,
                start: c.start,
                end: c.end,
            });
        }
        out
    }
}

/// The full lines that hold `start..end`.
fn line_around(data: &[u8], start: usize, end: usize) -> &[u8] {
    let from = memchr::memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let to = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |i| end + i);
    &data[from..to]
}

/// One secret is reported once, by its best name: generic rules (ids
/// starting with `generic`) yield to a specific rule that found an
/// overlapping secret, and a secret nested inside another rule's secret
/// (say, the key inside a service-account JSON) yields to the outer one.
fn resolve_overlaps(rules: &RuleSet, candidates: &mut Vec<Candidate>) {
    let is_generic = |c: &Candidate| rules.rules()[c.rule as usize].id().starts_with("generic");
    let specific: Vec<(usize, usize)> = candidates
        .iter()
        .filter(|c| !is_generic(c))
        .map(|c| (c.start, c.end))
        .collect();
    if !specific.is_empty() {
        candidates
            .retain(|c| !is_generic(c) || !specific.iter().any(|&(s, e)| c.start < e && s < c.end));
    }
    // Longest span first; equal spans keep the rule defined first.
    candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.rule));
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for c in candidates.drain(..) {
        let nested = kept
            .iter()
            .any(|k| k.rule != c.rule && k.start <= c.start && c.end <= k.end);
        if !nested {
            kept.push(c);
        }
    }
    *candidates = kept;
}
