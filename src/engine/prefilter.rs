//! Keyword prefilter: which rules can match in an input, and where.
//!
//! Every occurrence of every rule keyword (ASCII case-insensitive) becomes
//! one hit per rule listing it; inputs without hits cost one pass of the
//! gram filter (`grams`) and nothing else. That filter replaced an
//! unanchored Aho-Corasick pass, whose byte-by-byte steps depend on each
//! other and were most of a clean scan's cost (see `scripts/bench`).

use std::borrow::Cow;

use super::grams::Grams;
use crate::rules::RuleSet;

pub struct Prefilter {
    grams: Grams,
    /// For each keyword id, the rules that list it.
    rules: Vec<Vec<u32>>,
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
        // (keyword, rule) pairs, sorted: distinct keywords and their rules
        // without hashing (this runs on every start).
        let mut pairs: Vec<(Cow<str>, u32)> = Vec::new();
        let mut always = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.spec.keywords.is_empty() {
                always.push(i as u32);
            }
            for k in rule.spec.keywords.iter().filter(|k| !k.is_empty()) {
                let k = match k.bytes().any(|b| b.is_ascii_uppercase()) {
                    true => Cow::Owned(k.to_ascii_lowercase()),
                    false => Cow::Borrowed(k.as_str()),
                };
                pairs.push((k, i as u32));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut keywords: Vec<&[u8]> = Vec::new();
        let mut by_keyword: Vec<Vec<u32>> = Vec::new();
        for (k, rule) in &pairs {
            if keywords.last() != Some(&k.as_bytes()) {
                keywords.push(k.as_bytes());
                by_keyword.push(Vec::new());
            }
            by_keyword.last_mut().expect("pushed above").push(*rule);
        }
        Prefilter {
            grams: Grams::new(&keywords),
            rules: by_keyword,
            always,
        }
    }

    /// Calls `hit(start, end, rules)` for every keyword occurrence in `data`
    /// with the rules that list the keyword; occurrences come in text order
    /// give or take four bytes (see `Grams::find`).
    pub fn each_hit(&self, data: &[u8], mut hit: impl FnMut(usize, usize, &[u32])) {
        self.grams.find(data, |start, id, len| {
            hit(start, start + len, &self.rules[id as usize]);
            true
        });
    }

    /// Appends every (rule, keyword span) hit in `data` to `hits`, in text
    /// order.
    pub fn hits(&self, data: &[u8], hits: &mut Vec<Hit>) {
        let from = hits.len();
        self.each_hit(data, |start, end, rules| {
            hits.extend(rules.iter().map(|&rule| Hit { rule, start, end }));
        });
        // Keywords keyed past their start arrive slightly out of order.
        let found = &mut hits[from..];
        if !found.is_sorted_by_key(|h| h.start) {
            found.sort_by_key(|h| h.start);
        }
    }

    /// Whether any keyword occurs in `data` (a cheap clean-input check).
    pub fn any(&self, data: &[u8]) -> bool {
        if !self.always.is_empty() {
            return true;
        }
        let mut any = false;
        self.grams.find(data, |_, _, _| {
            any = true;
            false
        });
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashMap};

    /// Every built-in keyword, in mixed case, at the start, at the end and
    /// across the filter's steps, yields exactly the hits a plain
    /// search for all keywords yields.
    #[test]
    fn finds_what_a_plain_search_finds() {
        let rules = RuleSet::builtin();
        let pre = Prefilter::new(&rules);
        let mut rules_of: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            for k in rule.spec.keywords.iter().filter(|k| !k.is_empty()) {
                rules_of
                    .entry(k.to_ascii_lowercase())
                    .or_default()
                    .push(i as u32);
            }
        }
        let plain = |data: &[u8]| -> BTreeSet<(u32, usize, usize)> {
            let lower = data.to_ascii_lowercase();
            let mut out = BTreeSet::new();
            for start in 0..lower.len() {
                for (k, rules) in &rules_of {
                    if lower[start..].starts_with(k.as_bytes()) {
                        out.extend(rules.iter().map(|&r| (r, start, start + k.len())));
                    }
                }
            }
            out
        };
        let mut keywords: Vec<&String> = rules_of.keys().collect();
        keywords.sort();
        assert!(
            keywords.iter().any(|k| k.len() < 4),
            "short keywords covered"
        );
        for (n, k) in keywords.iter().enumerate() {
            let mixed: String = k
                .chars()
                .enumerate()
                .map(|(i, c)| match (i + n) % 2 {
                    0 => c.to_ascii_uppercase(),
                    _ => c,
                })
                .collect();
            // Both parities, every offset in the filter's sixteen-byte step,
            // across a step boundary, and at the very end.
            for pad in 0..=33 {
                let data = format!("{}{mixed}{}", "~".repeat(pad), "#".repeat(33 - pad));
                let mut hits = Vec::new();
                pre.hits(data.as_bytes(), &mut hits);
                // A list, not a set: a hit reported twice fails too.
                let mut got: Vec<(u32, usize, usize)> =
                    hits.iter().map(|h| (h.rule, h.start, h.end)).collect();
                got.sort_unstable();
                let want: Vec<_> = plain(data.as_bytes()).into_iter().collect();
                assert_eq!(got, want, "{data}");
                assert_eq!(
                    pre.any(data.as_bytes()),
                    !got.is_empty() || !pre.always.is_empty()
                );
            }
        }
    }
}
