//! The serialized rule format (`[[rule]]` tables in TOML), parsed strictly.

use toml::Spanned;

pub use super::spec_types::{AllowSpec, RuleFile, RuleSpec, Severity, Validator};

use super::{RuleError, line_of};

/// A rule with where it was defined.
#[derive(Debug, Clone)]
pub struct LocatedSpec {
    pub spec: RuleSpec,
    pub file: String,
    pub line: usize,
}

/// Parses a rules file (a list of `[[rule]]` tables).
pub fn parse_rules(file: &str, text: &str) -> Result<Vec<LocatedSpec>, RuleError> {
    let parsed: RuleFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    Ok(locate(file, text, parsed.rule))
}

pub(crate) fn locate(file: &str, text: &str, rules: Vec<Spanned<RuleSpec>>) -> Vec<LocatedSpec> {
    rules
        .into_iter()
        .map(|s| LocatedSpec {
            line: line_of(text, s.span().start),
            file: file.to_string(),
            spec: s.into_inner(),
        })
        .collect()
}

pub(crate) fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> RuleError {
    let offset = e.span().map_or(0, |s| s.start);
    let mut message = e.message().trim().to_string();
    if let Some(id) = rule_id_before(text, offset) {
        message = format!("rule '{id}': {message}");
    }
    RuleError::Parse {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    }
}

/// The id of the `[[rule]]` table enclosing `offset`, to name it in parse errors.
fn rule_id_before(text: &str, offset: usize) -> Option<String> {
    let head = text.get(..offset.min(text.len()))?;
    let table = head.rfind("[[rule]]")?;
    text[table..].lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != "id" {
            return None;
        }
        Some(
            value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string(),
        )
    })
}
