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
use prefilter::Prefilter;

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

#[derive(Clone)]
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

/// The merged windows of each rule with keyword hits, built as the hits
/// arrive: memory follows the number of separate windows, not of hits (a
/// file with millions of keyword occurrences has few, wide windows).
struct RuleWindows {
    /// Per rule, its index in `lists` (`u32::MAX`: no hit yet).
    slot: Vec<u32>,
    lists: Vec<(u32, Vec<(usize, usize)>)>,
}

impl RuleWindows {
    fn new(rules: usize) -> RuleWindows {
        RuleWindows {
            slot: vec![u32::MAX; rules],
            lists: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    fn add(&mut self, rule: u32, (start, end): (usize, usize)) {
        let slot = &mut self.slot[rule as usize];
        if *slot == u32::MAX {
            *slot = self.lists.len() as u32;
            self.lists.push((rule, vec![(start, end)]));
            return;
        }
        let list = &mut self.lists[*slot as usize].1;
        let last = list.last_mut().expect("lists start with a window");
        // Hits come in text order, give or take a few bytes.
        if start <= last.1 && end >= last.0 {
            *last = (last.0.min(start), last.1.max(end));
        } else {
            list.push((start, end));
        }
    }

    /// Each rule with windows (in rule order) and its windows, sorted and
    /// disjoint: `add` merged only with the last window, so a hit that came
    /// out of order can have left a window unsorted or overlapping another.
    fn into_rules(mut self) -> impl Iterator<Item = (u32, Vec<(usize, usize)>)> {
        self.lists.sort_unstable_by_key(|(rule, _)| *rule);
        self.lists.into_iter().map(|(rule, mut list)| {
            if !list.is_sorted() {
                list.sort_unstable();
            }
            list.dedup_by(|next, last| {
                let overlaps = next.0 <= last.1;
                if overlaps {
                    last.1 = last.1.max(next.1);
                }
                overlaps
            });
            (rule, list)
        })
    }
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
        // Rules with an explicit `window` (key blocks, JSON documents) get
        // that many bytes after the hit; the others get the hit's line and
        // its neighbours (`line_window`), computed once per keyword
        // occurrence for all its rules.
        let rules = self.rules.rules();
        let mut windows = RuleWindows::new(rules.len());
        self.prefilter.each_hit(data, |start, end, hit_rules| {
            let mut line = None;
            for &r in hit_rules {
                let window = match rules[r as usize].spec.window {
                    None => *line.get_or_insert_with(|| line_window(data, start, end)),
                    Some(_) => (
                        start.saturating_sub(WINDOW_BEFORE),
                        end.saturating_add(rules[r as usize].window_after())
                            .min(data.len()),
                    ),
                };
                windows.add(r, window);
            }
        });
        for &rule in &self.prefilter.always {
            windows.add(rule, (0, data.len()));
        }
        let mut findings = Vec::new();
        if !windows.is_empty() {
            let mut candidates = Vec::new();
            for (rule, list) in windows.into_rules() {
                self.confirm(data, origin, rule, &list, &mut candidates);
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

    /// Runs one rule's regex over its merged windows (sorted, disjoint).
    fn confirm(
        &self,
        data: &[u8],
        origin: &Origin,
        rule_index: u32,
        windows: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
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
        let mut last_end = 0;
        let mut caps = compiled.regex.create_captures();
        for &(start, end) in windows {
            if compiled
                .gate
                .as_ref()
                .is_some_and(|gate| !gate.admits(&data[start..end]))
            {
                continue;
            }
            let mut at = start.max(last_end);
            while at < end {
                let input = Input::new(data).span(at..end);
                let Some(found) = compiled.regex.search(&input, &mut caps) else {
                    break;
                };
                // A secret group that did not take part (the regex offers
                // alternatives, e.g. quoted and bare values) hands over to
                // the next group that did.
                let whole = found.whole();
                let Some(span) = found.first_group_from(compiled.secret_group) else {
                    break;
                };
                // Resume after the match, or, when the value was rejected,
                // at the value: it may itself be the key of the next match
                // (`a = b.c || "secret"`).
                at = whole.end.max(at + 1);
                if span.is_empty() || span.start < last_end {
                    continue;
                }
                let secret = String::from_utf8_lossy(&data[span.range()]);
                let Some(verdict) = self.check(rule, compiled, data, span.start, span.end, &secret)
                else {
                    at = span.start.max(whole.start + 1);
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
    keep_best(candidates, is_generic);
}

/// `resolve_overlaps` in O(n log n): a file of thousands of secrets (test
/// fixtures, dumps) must not take quadratic time.
fn keep_best(candidates: &mut Vec<Candidate>, is_generic: impl Fn(&Candidate) -> bool) {
    // Specific spans by start, with the running maximum of their ends: a
    // generic span overlaps one iff among those starting before its end,
    // the furthest end passes its start.
    let mut specific: Vec<(usize, usize)> = candidates
        .iter()
        .filter(|c| !is_generic(c))
        .map(|c| (c.start, c.end))
        .collect();
    if !specific.is_empty() {
        specific.sort_unstable();
        let mut furthest = 0;
        for span in &mut specific {
            furthest = furthest.max(span.1);
            span.1 = furthest;
        }
        candidates.retain(|c| {
            let before = specific.partition_point(|&(s, _)| s < c.end);
            !is_generic(c) || before == 0 || specific[before - 1].1 <= c.start
        });
    }
    // Longest span first; equal spans keep the rule defined first. Every
    // kept span starts at or before the next candidate, so it is nested iff
    // the furthest end of a kept span of another rule reaches its end: the
    // furthest end overall and the furthest of any other rule are enough.
    candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.rule));
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut first: Option<(usize, u32)> = None;
    let mut other: Option<(usize, u32)> = None;
    for c in candidates.drain(..) {
        let reach = match first {
            Some((end, rule)) if rule != c.rule => Some(end),
            _ => other.map(|(end, _)| end),
        };
        if reach.is_some_and(|end| c.end <= end) {
            continue;
        }
        match first {
            Some((end, rule)) if c.end <= end => {
                if rule != c.rule && other.is_none_or(|(e, _)| c.end > e) {
                    other = Some((c.end, c.rule));
                }
            }
            Some((end, rule)) => {
                if rule != c.rule {
                    other = Some((end, rule));
                }
                first = Some((c.end, c.rule));
            }
            None => first = Some((c.end, c.rule)),
        }
        kept.push(c);
    }
    *candidates = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic definition `keep_best` must agree with.
    fn keep_best_naive(candidates: &mut Vec<Candidate>, is_generic: impl Fn(&Candidate) -> bool) {
        let specific: Vec<(usize, usize)> = candidates
            .iter()
            .filter(|c| !is_generic(c))
            .map(|c| (c.start, c.end))
            .collect();
        candidates
            .retain(|c| !is_generic(c) || !specific.iter().any(|&(s, e)| c.start < e && s < c.end));
        candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.rule));
        let mut kept: Vec<Candidate> = Vec::new();
        for c in candidates.drain(..) {
            if !kept
                .iter()
                .any(|k| k.rule != c.rule && k.start <= c.start && c.end <= k.end)
            {
                kept.push(c);
            }
        }
        *candidates = kept;
    }

    #[test]
    fn overlap_resolution_agrees_with_its_quadratic_definition() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as usize
        };
        for round in 0..2000 {
            let count = 1 + next(12);
            let span = 5 + round % 60;
            let mut candidates: Vec<Candidate> = (0..count)
                .map(|_| {
                    let start = next(span as u64);
                    Candidate {
                        rule: next(4) as u32,
                        start,
                        end: start + 1 + next(20),
                        verdict: None,
                    }
                })
                .collect();
            // Rules 0 and 1 are generic.
            let is_generic = |c: &Candidate| c.rule < 2;
            let mut want = candidates.clone();
            keep_best_naive(&mut want, is_generic);
            keep_best(&mut candidates, is_generic);
            let spans = |v: &[Candidate]| -> Vec<(u32, usize, usize)> {
                v.iter().map(|c| (c.rule, c.start, c.end)).collect()
            };
            assert_eq!(spans(&candidates), spans(&want), "round {round}");
        }
    }

    #[test]
    fn rule_windows_merge_overlaps_and_reorder() {
        let mut w = RuleWindows::new(3);
        w.add(2, (10, 20));
        w.add(2, (15, 30)); // overlaps: merged
        w.add(2, (50, 60));
        w.add(2, (40, 45)); // a little out of order
        w.add(0, (0, 5));
        w.add(2, (44, 52)); // bridges the two
        let rules: Vec<(u32, Vec<(usize, usize)>)> = w.into_rules().collect();
        assert_eq!(
            rules,
            vec![(0, vec![(0, 5)]), (2, vec![(10, 30), (40, 60)])]
        );
    }

    /// A late window that merges with the last one can reach back over an
    /// earlier one while the list stays sorted: still merged.
    #[test]
    fn rule_windows_merge_sorted_overlaps() {
        let mut w = RuleWindows::new(1);
        w.add(0, (0, 10));
        w.add(0, (20, 30));
        w.add(0, (5, 25)); // merged into (5, 30): sorted after (0, 10), overlapping it
        let rules: Vec<(u32, Vec<(usize, usize)>)> = w.into_rules().collect();
        assert_eq!(rules, vec![(0, vec![(0, 30)])]);
    }

    /// Hundreds of thousands of keyword occurrences: found in one pass with
    /// a few wide windows (memory does not follow the hit count), and the
    /// secret among them is still reported.
    #[test]
    fn keyword_dense_input_keeps_the_secret() {
        let dense = "token token token token token token token token\n".repeat(20_000);
        let data = format!("{dense}aws_access_key_id = AKIAZ2Q7RTV4WXLM3N5K\n{dense}"); // leakshield:allow (test vector)
        let found = Scanner::new(RuleSet::builtin()).scan(data.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule_id, "aws-access-key-id");
        assert_eq!(found[0].line, 20_001);
    }
}
