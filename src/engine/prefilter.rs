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
    keywords: Vec<String>,
    scanned: AtomicU64,
    /// For each automaton pattern (a distinct lowercased keyword), the rules that list it.
    pattern_rules: Vec<Vec<u32>>,
    /// Rules without keywords: they run on every input.
    pub always: Vec<u32>,
}

/// A keyword occurrence for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut keywords: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<u32>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut always = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.spec.keywords.is_empty() {
                always.push(i as u32);
            }
            for k in &rule.spec.keywords {
                let k = k.to_ascii_lowercase();
                let pid = *index.entry(k.clone()).or_insert_with(|| {
                    keywords.push(k);
                    pattern_rules.push(Vec::new());
                    pattern_rules.len() - 1
                });
                if !pattern_rules[pid].contains(&(i as u32)) {
                    pattern_rules[pid].push(i as u32);
                }
            }
        }
        // A match of keyword K implies every keyword inside K: fold their rules
        // into K's so the leftmost-longest search below misses nothing.
        // Look up every substring of each keyword whose length is a keyword
        // length: linear in the keywords, unlike comparing all pairs.
        let direct = pattern_rules.clone();
        let lengths: std::collections::BTreeSet<usize> = keywords.iter().map(String::len).collect();
        for (p, k) in keywords.iter().enumerate() {
            let k = k.as_bytes();
            for &len in lengths.range(..k.len()) {
                for inner in k.windows(len) {
                    let Some(&q) = std::str::from_utf8(inner).ok().and_then(|w| index.get(w))
                    else {
                        continue;
                    };
                    for &r in &direct[q] {
                        if !pattern_rules[p].contains(&r) {
                            pattern_rules[p].push(r);
                        }
                    }
                }
            }
        }
        Prefilter {
            automaton: OnceLock::new(),
            dfa: OnceLock::new(),
            keywords,
            scanned: AtomicU64::new(0),
            pattern_rules,
            always,
        }
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

    /// Keyword-by-keyword search of a small input (ASCII case-insensitive).
    fn naive_hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        let lower = data.to_ascii_lowercase();
        for (pid, keyword) in self.keywords.iter().enumerate() {
            for start in memchr::memmem::find_iter(&lower, keyword.as_bytes()) {
                for &rule in &self.pattern_rules[pid] {
                    hits.push(Hit {
                        rule,
                        start,
                        end: start + keyword.len(),
                    });
                }
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
        let mut at = 0;
        while at < data.len() {
            let Some(m) = ac.find(Input::new(data).span(at..data.len())) else {
                break;
            };
            for &rule in &self.pattern_rules[m.pattern().as_usize()] {
                hits.push(Hit {
                    rule,
                    start: m.start(),
                    end: m.end(),
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
            None => {
                let lower = data.to_ascii_lowercase();
                self.keywords
                    .iter()
                    .any(|k| memchr::memmem::find(&lower, k.as_bytes()).is_some())
            }
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
