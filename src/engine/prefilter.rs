//! Keyword prefilter: one Aho-Corasick pass over all rules' keywords finds
//! which rules can match and where.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::rules::RuleSet;

/// After this many bytes scanned in total, the keyword search uses the DFA.
const DFA_AFTER_BYTES: u64 = 4 << 20;
/// Until this many bytes have been scanned, inputs up to `SMALL_INPUT` are
/// searched keyword by keyword and no automaton is built at all: a hook on
/// a small change or a one-line file costs nothing to set up.
const NAIVE_BUDGET: u64 = 64 << 10;
const SMALL_INPUT: usize = 4096;

pub struct Prefilter {
    /// Cheap to build (a contiguous NFA): built when the first input too big
    /// for the keyword-by-keyword search arrives.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// Faster to search but ~10x slower to build: built on first need once
    /// enough bytes have been scanned.
    dfa: OnceLock<Option<AhoCorasick>>,
    /// Distinct lowercased keywords, sorted.
    keywords: Vec<String>,
    scanned: AtomicU64,
    /// For each keyword, the rules that list it.
    direct: Vec<Vec<u32>>,
    /// For each keyword, its rules and those of the keywords inside it.
    folded: OnceLock<Vec<Vec<u32>>>,
    /// Keyword ids by their first byte, for the keyword-by-keyword search.
    by_first_byte: Vec<Vec<u32>>,
    /// Rules without keywords: they run on every input.
    pub always: Vec<u32>,
}

/// A keyword occurrence for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
    /// The line window around the hit (see `Scanner::scan_at`); filled in
    /// once per keyword occurrence, shared by the rules that list it.
    pub window: (usize, usize),
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        // (keyword, rule) pairs, sorted: distinct keywords and their rules
        // without hashing (this runs on every start).
        let mut pairs: Vec<(String, u32)> = Vec::new();
        let mut always = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.spec.keywords.is_empty() {
                always.push(i as u32);
            }
            for k in rule.spec.keywords.iter().filter(|k| !k.is_empty()) {
                pairs.push((k.to_ascii_lowercase(), i as u32));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut keywords: Vec<String> = Vec::new();
        let mut direct: Vec<Vec<u32>> = Vec::new();
        for (k, rule) in pairs {
            if keywords.last() != Some(&k) {
                keywords.push(k);
                direct.push(Vec::new());
            }
            direct.last_mut().expect("pushed above").push(rule);
        }
        let mut by_first_byte = vec![Vec::new(); 256];
        for (pid, k) in keywords.iter().enumerate() {
            by_first_byte[k.as_bytes()[0] as usize].push(pid as u32);
        }
        Prefilter {
            automaton: OnceLock::new(),
            dfa: OnceLock::new(),
            keywords,
            scanned: AtomicU64::new(0),
            direct,
            folded: OnceLock::new(),
            by_first_byte,
            always,
        }
    }

    /// For each keyword, its rules and the rules of every keyword inside it:
    /// a leftmost-longest match of K implies the keywords within K, so the
    /// automaton search misses nothing. Only the automata need it.
    fn folded(&self) -> &[Vec<u32>] {
        self.folded.get_or_init(|| {
            let index: std::collections::HashMap<&[u8], usize> = self
                .keywords
                .iter()
                .enumerate()
                .map(|(p, k)| (k.as_bytes(), p))
                .collect();
            let lengths: std::collections::BTreeSet<usize> =
                self.keywords.iter().map(String::len).collect();
            let mut folded = self.direct.clone();
            for (p, k) in self.keywords.iter().enumerate() {
                let k = k.as_bytes();
                for &len in lengths.range(..k.len()) {
                    for inner in k.windows(len) {
                        let Some(&q) = index.get(inner) else {
                            continue;
                        };
                        for &r in &self.direct[q] {
                            if !folded[p].contains(&r) {
                                folded[p].push(r);
                            }
                        }
                    }
                }
            }
            folded
        })
    }

    /// The automaton to search `len` bytes with; `None` means search the
    /// keywords one by one (small input, little scanned so far).
    fn automaton_for(&self, len: usize) -> Option<&AhoCorasick> {
        if let Some(dfa) = self.dfa.get() {
            return dfa.as_ref();
        }
        let total = self.scanned.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
        if total >= DFA_AFTER_BYTES {
            return self
                .dfa
                .get_or_init(|| build(&self.keywords, AhoCorasickKind::DFA))
                .as_ref();
        }
        if len <= SMALL_INPUT && total <= NAIVE_BUDGET && self.automaton.get().is_none() {
            return None;
        }
        self.automaton
            .get_or_init(|| build(&self.keywords, AhoCorasickKind::ContiguousNFA))
            .as_ref()
    }

    /// Keyword occurrences `(start, keyword id)` in lowercased `lower`,
    /// found keyword by keyword: at each byte, the keywords that start with it.
    fn naive_matches<'a>(&'a self, lower: &'a [u8]) -> impl Iterator<Item = (usize, u32)> + 'a {
        (0..lower.len()).flat_map(move |start| {
            let rest = &lower[start..];
            self.by_first_byte[rest[0] as usize]
                .iter()
                .filter(move |&&pid| rest.starts_with(self.keywords[pid as usize].as_bytes()))
                .map(move |&pid| (start, pid))
        })
    }

    /// Keyword-by-keyword search of a small input (ASCII case-insensitive).
    fn naive_hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        let lower = data.to_ascii_lowercase();
        for (start, pid) in self.naive_matches(&lower) {
            let end = start + self.keywords[pid as usize].len();
            for &rule in &self.direct[pid as usize] {
                hits.push(Hit {
                    rule,
                    start,
                    end,
                    window: (0, 0),
                });
            }
        }
    }

    /// Appends every (rule, keyword span) hit in `data` to `hits`.
    ///
    /// Leftmost-longest search restarted one byte after each match start
    /// finds every keyword occurrence (shorter keywords inside a match are
    /// covered by the folded rule lists) while keeping the fast
    /// non-overlapping DFA search.
    pub fn hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        if self.keywords.is_empty() {
            return;
        }
        let Some(ac) = self.automaton_for(data.len()) else {
            return self.naive_hits(data, hits);
        };
        let folded = self.folded();
        let mut at = 0;
        while at < data.len() {
            let Some(m) = ac.find(Input::new(data).span(at..data.len())) else {
                break;
            };
            for &rule in &folded[m.pattern().as_usize()] {
                hits.push(Hit {
                    rule,
                    start: m.start(),
                    end: m.end(),
                    window: (0, 0),
                });
            }
            at = m.start() + 1;
        }
    }

    /// Whether any keyword occurs in `data` (a cheap clean-input check).
    pub fn any(&self, data: &[u8]) -> bool {
        if !self.always.is_empty() {
            return true;
        }
        if self.keywords.is_empty() {
            return false;
        }
        match self.automaton_for(data.len()) {
            Some(ac) => ac.is_match(data),
            None => self
                .naive_matches(&data.to_ascii_lowercase())
                .next()
                .is_some(),
        }
    }
}

/// Builds the keyword automaton (ASCII case-insensitive, leftmost-longest);
/// falls back to the default kind if `kind` cannot be built.
fn build(keywords: &[String], kind: AhoCorasickKind) -> Option<AhoCorasick> {
    if keywords.is_empty() {
        return None;
    }
    let build = |kind| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .build(keywords)
    };
    Some(
        build(Some(kind))
            .or_else(|_| build(None))
            .expect("keyword automaton"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyword-by-keyword path and the automaton path find the same
    /// rules, and every keyword occurrence lies inside an automaton hit of
    /// its rule.
    #[test]
    fn naive_and_automaton_agree() {
        let rules = RuleSet::builtin();
        let pre = Prefilter::new(&rules);
        let inputs: [&[u8]; 4] = [
            b"export GITHUB_TOKEN=ghp_abc\npassword: x\nAKIA...\n",
            b"Authorization: Bearer xyz; client_secret=1; sk_live_ and xoxb- npm_",
            b"nothing to see here, just words and numbers 12345",
            b"SlAcK_ToKeN=xoxp-1 -----BEGIN OPENSSH PRIVATE KEY----- glpat-",
        ];
        for data in inputs {
            let mut naive = Vec::new();
            pre.naive_hits(data, &mut naive);
            let ac = build(&pre.keywords, AhoCorasickKind::ContiguousNFA).unwrap();
            let pre_ac = Prefilter {
                automaton: OnceLock::from(Some(ac)),
                ..Prefilter::new(&rules)
            };
            let mut auto = Vec::new();
            // Large enough that the automaton path is taken.
            pre_ac.scanned.store(NAIVE_BUDGET + 1, Ordering::Relaxed);
            pre_ac.hits(data, &mut auto);
            for h in &naive {
                assert!(
                    auto.iter()
                        .any(|a| a.rule == h.rule && a.start <= h.start && h.end <= a.end),
                    "{h:?} has no automaton hit in {:?}",
                    String::from_utf8_lossy(data)
                );
            }
            let rules_of = |v: &[Hit]| {
                let mut r: Vec<u32> = v.iter().map(|h| h.rule).collect();
                r.sort_unstable();
                r.dedup();
                r
            };
            assert_eq!(rules_of(&naive), rules_of(&auto));
            assert!(!naive.is_empty() || data.starts_with(b"nothing"));
        }
    }
}
