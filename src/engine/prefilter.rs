//! Keyword prefilter: one Aho-Corasick pass over all rules' keywords finds
//! which rules can match and where.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::rules::RuleSet;

/// Inputs at least this large, or this many bytes scanned in total, switch
/// the keyword search to the DFA.
const DFA_AFTER_BYTES: u64 = 4 << 20;

pub struct Prefilter {
    /// Cheap to build: used for small inputs so short runs (hooks, one
    /// file) start fast.
    automaton: Option<AhoCorasick>,
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
        let direct = pattern_rules.clone();
        for (p, k) in keywords.iter().enumerate() {
            for (q, inner) in keywords.iter().enumerate() {
                if p != q && k.contains(inner.as_str()) {
                    for &r in &direct[q] {
                        if !pattern_rules[p].contains(&r) {
                            pattern_rules[p].push(r);
                        }
                    }
                }
            }
        }
        let automaton = build(&keywords, AhoCorasickKind::ContiguousNFA);
        Prefilter {
            automaton,
            dfa: OnceLock::new(),
            keywords,
            scanned: AtomicU64::new(0),
            pattern_rules,
            always,
        }
    }

    /// The automaton to search `len` bytes with.
    fn automaton_for(&self, len: usize) -> Option<&AhoCorasick> {
        if let Some(dfa) = self.dfa.get() {
            return dfa.as_ref();
        }
        let total = self.scanned.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
        if total >= DFA_AFTER_BYTES {
            return self
                .dfa
                .get_or_init(|| build(&self.keywords, AhoCorasickKind::DFA))
                .as_ref()
                .or(self.automaton.as_ref());
        }
        self.automaton.as_ref()
    }

    /// Appends every (rule, keyword span) hit in `data` to `hits`.
    ///
    /// Leftmost-longest search restarted one byte after each match start
    /// finds every keyword occurrence (shorter keywords inside a match are
    /// covered by the folded rule lists) while keeping the fast
    /// non-overlapping DFA search.
    pub fn hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        let Some(ac) = self.automaton_for(data.len()) else {
            return;
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
        !self.always.is_empty()
            || self
                .automaton_for(data.len())
                .is_some_and(|ac| ac.is_match(data))
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
