//! Rule regexes with their wide counted repetitions relaxed.
//!
//! `[^"\s]{8,256}` compiles to 256 copies of its class: the NFA of a generic
//! rule grows to thousands of states, and the engines that report capture
//! groups (backtracker, PikeVM) pay for its size on every match. Most of a
//! scan's confirmation time went there. So each rule is searched with a regex
//! whose wide repetitions are unbounded (`{8,}`), each wrapped in a capture
//! group of its own; a match whose relaxed groups all respect the original
//! bounds is exactly the match the original regex finds. Only when one does
//! not (a value longer than the bound), the original regex decides.
//!
//! Why the result is the same: the relaxed regex matches a superset of paths,
//! ordered as the original orders them. Its leftmost-first match is the
//! first of its paths at the leftmost start; if that path respects the
//! bounds, it is also a path of the original, which has no earlier start
//! (each of its matches is a relaxed match) and no higher-priority path there
//! (each of its paths is a relaxed path, in the same order).

use std::sync::OnceLock;

use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Input, Span};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// Repetitions whose bounds are further apart than this are relaxed: below
/// it the NFA stays small, and a relaxed `\w{1,3}` would overrun its bound
/// (and call on the original) all the time. 16 rather than 32 also relaxes
/// the generic rules' `[\w.-]{0,24}`: their lazy DFA needs fewer states
/// (confirmation of the 300 MB tree, one core: 425 -> 384 ms).
const RELAX_ABOVE: u32 = 16;

/// A rule's regex: the relaxed form when one exists, and the original.
pub struct RuleRegex {
    /// The regex searched first (the original when nothing was relaxed).
    fast: Regex,
    /// Capture groups of the original regex, the whole match included.
    groups: usize,
    /// Relaxed repetitions: the group that captures each, and the most bytes
    /// it may span to be sure it repeated no more than the original allows.
    bounds: Vec<(usize, usize)>,
    /// The original, compiled when first needed: when a match exceeds a
    /// bound, or when a rule file is checked ([`RuleRegex::check`]).
    exact: OnceLock<Result<Regex, String>>,
    exact_hir: Option<Hir>,
    build: fn(&Hir) -> Result<Regex, String>,
}

/// Scratch space for [`RuleRegex::search`]; one per thread and rule.
pub struct RuleCaptures {
    fast: Captures,
    exact: Option<Captures>,
}

/// A match: the whole span and the capture groups of the original regex.
pub struct RuleMatch<'a> {
    caps: &'a Captures,
    groups: usize,
}

impl RuleMatch<'_> {
    pub fn whole(&self) -> Span {
        self.caps.get_match().expect("a match").span()
    }

    /// The first group from `group` on that took part in the match.
    pub fn first_group_from(&self, group: usize) -> Option<Span> {
        (group..self.groups).find_map(|g| self.caps.get_group(g))
    }
}

impl RuleRegex {
    /// Compiles `hir`, relaxed where worthwhile, with `build`.
    pub fn new(hir: Hir, build: fn(&Hir) -> Result<Regex, String>) -> Result<RuleRegex, String> {
        let groups = hir.properties().explicit_captures_len() + 1;
        let mut next_group = groups;
        let Some((relaxed, bounds)) = relax(&hir, false, &mut next_group) else {
            return Ok(RuleRegex {
                fast: build(&hir)?,
                groups,
                bounds: Vec::new(),
                exact: OnceLock::new(),
                exact_hir: None,
                build,
            });
        };
        Ok(RuleRegex {
            fast: build(&relaxed)?,
            groups,
            bounds,
            exact: OnceLock::new(),
            exact_hir: Some(hir),
            build,
        })
    }

    /// Compiles the original too, to report whether it compiles at all (it
    /// can exceed a size limit that its relaxed form stays under). Scans
    /// leave it until a match needs it: it costs milliseconds.
    pub fn check(&self) -> Result<(), String> {
        self.exact().map(|_| ())
    }

    fn exact(&self) -> Result<&Regex, String> {
        let Some(hir) = &self.exact_hir else {
            return Ok(&self.fast);
        };
        self.exact
            .get_or_init(|| (self.build)(hir))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Capture groups of the original regex, the whole match included.
    pub fn group_len(&self) -> usize {
        self.groups
    }

    pub fn create_captures(&self) -> RuleCaptures {
        RuleCaptures {
            fast: self.fast.create_captures(),
            exact: None,
        }
    }

    /// The leftmost-first match in `input`, as the original regex finds it.
    pub fn search<'c>(&self, input: &Input, caps: &'c mut RuleCaptures) -> Option<RuleMatch<'c>> {
        self.fast.search_captures(input, &mut caps.fast);
        caps.fast.get_match()?;
        let within = self.bounds.iter().all(|&(group, max)| {
            caps.fast
                .get_group(group)
                .is_none_or(|span| span.len() <= max)
        });
        if within {
            return Some(RuleMatch {
                caps: &caps.fast,
                groups: self.groups,
            });
        }
        // Rule files are checked when loaded and the built-in rules by the
        // test suite, so this cannot fail.
        let exact = self.exact().expect("rule regexes are checked when loaded");
        let caps = caps.exact.get_or_insert_with(|| exact.create_captures());
        exact.search_captures(input, caps);
        caps.get_match()?;
        Some(RuleMatch {
            caps,
            groups: self.groups,
        })
    }
}

/// `hir` with its wide repetitions unbounded and captured, or `None` when it
/// has none. `in_repetition`: inside a repetition that may run more than
/// once, where a group captures only its last round and proves nothing.
/// Returns the relaxed HIR and, per relaxed repetition, its group (numbered
/// from `next_group`) and the most bytes that group may span.
fn relax(
    hir: &Hir,
    in_repetition: bool,
    next_group: &mut usize,
) -> Option<(Hir, Vec<(usize, usize)>)> {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let element = rep.sub.properties().minimum_len().unwrap_or(0);
            if let Some(max) = rep.max
                && max - rep.min > RELAX_ABOVE
                && element > 0
                && !in_repetition
            {
                let index = *next_group;
                *next_group += 1;
                let unbounded = Hir::repetition(Repetition {
                    max: None,
                    ..rep.clone()
                });
                let captured = Hir::capture(Capture {
                    index: index as u32,
                    name: None,
                    sub: Box::new(unbounded),
                });
                // At most `max` rounds of at least `element` bytes each is
                // certain when the span is at most `max * element` bytes.
                return Some((captured, vec![(index, max as usize * element)]));
            }
            let repeats = rep.max != Some(1);
            let (sub, bounds) = relax(&rep.sub, in_repetition || repeats, next_group)?;
            let sub = Box::new(sub);
            Some((Hir::repetition(Repetition { sub, ..rep.clone() }), bounds))
        }
        HirKind::Capture(cap) => {
            let (sub, bounds) = relax(&cap.sub, in_repetition, next_group)?;
            let sub = Box::new(sub);
            Some((Hir::capture(Capture { sub, ..cap.clone() }), bounds))
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            let mut bounds = Vec::new();
            let rebuilt: Vec<Hir> = subs
                .iter()
                .map(|sub| match relax(sub, in_repetition, next_group) {
                    Some((h, b)) => {
                        bounds.extend(b);
                        h
                    }
                    None => sub.clone(),
                })
                .collect();
            if bounds.is_empty() {
                return None;
            }
            let rebuilt = match hir.kind() {
                HirKind::Concat(_) => Hir::concat(rebuilt),
                _ => Hir::alternation(rebuilt),
            };
            Some((rebuilt, bounds))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax() -> regex_automata::util::syntax::Config {
        regex_automata::util::syntax::Config::new()
            .utf8(false)
            .unicode(false)
    }

    fn build(hir: &Hir) -> Result<Regex, String> {
        Regex::builder()
            .syntax(syntax())
            .build_from_hir(hir)
            .map_err(|e| e.to_string())
    }

    /// Every group of every match, from the first search position on.
    fn all_groups(
        mut search: impl FnMut(usize) -> Option<Vec<Option<Span>>>,
        len: usize,
    ) -> Vec<Vec<Option<Span>>> {
        let mut out = Vec::new();
        let mut at = 0;
        while at <= len {
            let Some(groups) = search(at) else { break };
            let whole = groups[0].expect("a match has a span");
            at = whole.end.max(at + 1);
            out.push(groups);
        }
        out
    }

    /// The relaxed search reports what the original regex reports: the same
    /// matches and groups, also where values run past the bounds.
    #[test]
    fn relaxed_search_agrees_with_the_original() {
        let patterns = [
            r"k=([a-c]{3,40})",
            r"k=([a-c]{3,40}?)c",
            r"(?:x|k)=(?:([a-c]{2,36})|'([^']{1,50})')(?:;|$)",
            r"([ab]{5,40})\b",
            r"(?:([ab]{5,40})b|([a-c]{1,60}))c",
            r"k(?:=([a-c]{2,40}))?",
            r"(?:k[a-c]{0,40},)+",
            r"(ab|a){2,45}c",
            r"(?:q|k)=((?:[a-c]|\w{1,2}[,.])[^\s=]{3,38}[^\s,])",
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as usize
        };
        for pattern in patterns {
            let hir = regex_automata::util::syntax::parse_with(pattern, &syntax()).unwrap();
            let exact = build(&hir).unwrap();
            let rule = RuleRegex::new(hir, build).unwrap();
            assert!(
                !rule.bounds.is_empty() || pattern.contains('+'),
                "{pattern} relaxed"
            );
            let mut caps = rule.create_captures();
            let mut exact_caps = exact.create_captures();
            for _ in 0..400 {
                // Punctuation between runs of `a`-`c` up to 70 long, so
                // values end within and beyond the bounds.
                let mut text = Vec::new();
                while text.len() < 160 {
                    let run = if next(2) == 0 { next(70) } else { next(6) };
                    text.extend((0..run).map(|_| b"abc"[next(3)]));
                    text.push(b"k=x'; ,.q\n"[next(10)]);
                }
                let len = text.len();
                let got = all_groups(
                    |at| {
                        let found = rule.search(&Input::new(&text).span(at..len), &mut caps)?;
                        let mut groups = vec![Some(found.whole())];
                        groups.extend((1..rule.group_len()).map(|g| found.caps.get_group(g)));
                        Some(groups)
                    },
                    len,
                );
                let want = all_groups(
                    |at| {
                        exact.search_captures(&Input::new(&text).span(at..len), &mut exact_caps);
                        exact_caps.get_match()?;
                        Some(
                            (0..exact_caps.group_len())
                                .map(|g| exact_caps.get_group(g))
                                .collect(),
                        )
                    },
                    len,
                );
                assert_eq!(
                    got,
                    want,
                    "{pattern} on {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    /// The generic rules' wide value repetitions are what gets relaxed; a
    /// repetition inside a repeated group is not (its group would hold only
    /// the last round).
    #[test]
    fn relaxes_wide_repetitions_outside_repeated_groups() {
        let relaxed = |p: &str| {
            let hir = regex_automata::util::syntax::parse_with(p, &syntax()).unwrap();
            RuleRegex::new(hir, build).unwrap().bounds
        };
        assert_eq!(
            relaxed(r#"k=(?:"([^"]{8,256})"|([\w]{8,64}))"#),
            vec![(3, 256), (4, 64)]
        );
        assert_eq!(relaxed(r"(?:ab){2,40}"), vec![(1, 80)]);
        assert!(relaxed(r"[a-z]{0,12}=[0-9a-f]{40}").is_empty());
        assert!(relaxed(r"(?:,[a-z]{1,64})*").is_empty());
        assert_eq!(relaxed(r"(?:,([a-z]{1,64}))?"), vec![(2, 64)]);
    }
}
