//! Keyword prefilter: one Aho-Corasick pass over all rules' keywords finds
//! which rules can match and where.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules::RuleSet;

pub struct Prefilter {
    automaton: Option<AhoCorasick>,
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
        let automaton = if keywords.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&keywords)
                    .expect("keyword automaton"),
            )
        };
        Prefilter {
            automaton,
            pattern_rules,
            always,
        }
    }

    /// Appends every (rule, keyword span) hit in `data` to `hits`.
    pub fn hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(data) {
            for &rule in &self.pattern_rules[m.pattern().as_usize()] {
                hits.push(Hit {
                    rule,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }

    /// Whether any keyword occurs in `data` (a cheap clean-input check).
    pub fn any(&self, data: &[u8]) -> bool {
        !self.always.is_empty() || self.automaton.as_ref().is_some_and(|ac| ac.is_match(data))
    }
}
