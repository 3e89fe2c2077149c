//! Literals a rule's every match must contain, to skip windows without them.
//!
//! A window exists because a keyword occurs in it, so the keyword itself
//! says nothing; but a comparison rule's matches all hold `==` or `!=`, and
//! a URL-credentials rule's an `@`. A window holding none of its literals
//! cannot hold a match, and `memmem` tells so much faster than the regex.

use memchr::memmem;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A gate is kept only when its literals are this rare in source code
/// (estimated occurrences per byte): more common ones are in most windows
/// anyway, and looking for them would be wasted.
const RARE_ENOUGH: f64 = 0.003;

/// At most this many literals in a gate.
const MOST_LITERALS: usize = 4;

/// A set of literals of which every match holds at least one.
pub struct Gate(Vec<memmem::Finder<'static>>);

impl Gate {
    /// The gate of a rule's regex, if it has a rare enough one that is not
    /// part of its keywords (lowercase).
    pub fn new(hir: &Hir, keywords: &[String]) -> Option<Gate> {
        let useful = |lit: &[u8]| {
            let lower = lit.to_ascii_lowercase();
            !keywords
                .iter()
                .any(|k| memmem::find(k.as_bytes(), &lower).is_some())
        };
        let (literals, frequency) = required(hir, &useful)?;
        (frequency <= RARE_ENOUGH).then(|| {
            Gate(
                literals
                    .iter()
                    .map(|l| memmem::Finder::new(l).into_owned())
                    .collect(),
            )
        })
    }

    /// Whether `window` holds one of the literals.
    pub fn admits(&self, window: &[u8]) -> bool {
        self.0.iter().any(|f| f.find(window).is_some())
    }
}

/// Literals of which every match of `hir` holds one, with their estimated
/// frequency; `None` if there is no such set of useful literals.
fn required(hir: &Hir, useful: &dyn Fn(&[u8]) -> bool) -> Option<(Vec<Vec<u8>>, f64)> {
    let set = |literals: Vec<Vec<u8>>| {
        let frequency = literals.iter().map(|l| frequency(l)).sum();
        (literals.iter().all(|l| useful(l))).then_some((literals, frequency))
    };
    match hir.kind() {
        HirKind::Literal(lit) => set(vec![lit.0.to_vec()]),
        HirKind::Class(Class::Bytes(class)) => {
            let bytes: Vec<Vec<u8>> = class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(MOST_LITERALS + 1)
                .map(|b| vec![b])
                .collect();
            (bytes.len() <= MOST_LITERALS).then_some(())?;
            set(bytes)
        }
        HirKind::Capture(cap) => required(&cap.sub, useful),
        HirKind::Repetition(rep) if rep.min > 0 => required(&rep.sub, useful),
        HirKind::Concat(subs) => subs
            .iter()
            .filter_map(|sub| required(sub, useful))
            .min_by(|a, b| a.1.total_cmp(&b.1)),
        HirKind::Alternation(subs) => {
            let mut literals = Vec::new();
            let mut total = 0.0;
            for sub in subs {
                let (more, frequency) = required(sub, useful)?;
                literals.extend(more);
                total += frequency;
            }
            literals.sort();
            literals.dedup();
            (literals.len() <= MOST_LITERALS).then_some((literals, total))
        }
        _ => None,
    }
}

/// Rough occurrences per byte of `literal` in source code: the product of
/// its bytes' frequencies.
fn frequency(literal: &[u8]) -> f64 {
    literal.iter().map(|&b| byte_frequency(b)).product()
}

fn byte_frequency(b: u8) -> f64 {
    match b {
        b'a'..=b'z' | b' ' => 0.04,
        b'A'..=b'Z' | b'0'..=b'9' | b'\n' | b'\t' => 0.01,
        b'_' | b'.' | b',' | b';' | b'(' | b')' | b'=' | b'"' | b'\'' | b'/' | b'-' | b':' => 0.01,
        b'[' | b']' | b'{' | b'}' | b'<' | b'>' | b'*' | b'#' | b'&' | b'\\' => 0.004,
        b'@' | b'!' | b'|' | b'?' | b'~' | b'^' | b'%' | b'$' | b'`' | b'+' => 0.001,
        _ => 0.0005,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(pattern: &str, keywords: &[&str]) -> Option<Vec<Vec<u8>>> {
        let syntax = regex_automata::util::syntax::Config::new()
            .utf8(false)
            .unicode(false);
        let hir = regex_automata::util::syntax::parse_with(pattern, &syntax).unwrap();
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        Gate::new(&hir, &keywords).map(|g| g.0.iter().map(|f| f.needle().to_vec()).collect())
    }

    #[test]
    fn finds_rare_literals_every_match_holds() {
        // The keyword `://` is in every window; `@` is what matters.
        assert_eq!(
            gate(
                r"(?i)[a-z]+://[^\s:@]{0,64}:([^\s:@]{3,128})@[a-z.]+",
                &["://"]
            ),
            Some(vec![b"@".to_vec()])
        );
        assert_eq!(
            gate(r#"(?i)token\s*(?:===?|!==?)\s*"([^"]{8,})""#, &["token"]),
            Some(vec![b"!=".to_vec(), b"==".to_vec()])
        );
        // Optional, or common, or only in some alternatives: no gate.
        assert_eq!(gate(r"key(?:@)?=(\w{8,})", &["key"]), None);
        assert_eq!(gate(r"key\s*=\s*(\w{8,})", &["key"]), None);
        assert_eq!(gate(r"key(?:@|=)(\w{8,})", &["key"]), None);
        assert_eq!(
            gate(r"(?i)github.{0,9}@", &["github"]),
            Some(vec![b"@".to_vec()])
        );
    }
}
