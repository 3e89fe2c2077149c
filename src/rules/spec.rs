//! The serialized rule format (`[[rule]]` tables in TOML), parsed strictly.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{RuleError, line_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    #[default]
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// Structural or checksum checks a rule can ask for on its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    GithubChecksum,
    NpmChecksum,
    Jwt,
    Pem,
    AwsKeyId,
    /// The value of a generic assignment: rejects identifiers, paths,
    /// URLs, numbers, lookups and password hashes.
    SecretValue,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllowSpec {
    /// Regexes matched against the secret.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Case-insensitive substrings of the secret.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Path globs where the rule does not apply.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes matched against the whole line holding the secret.
    #[serde(default)]
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub regex: String,
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub entropy: f64,
    #[serde(default)]
    pub severity: Severity,
    pub validator: Option<Validator>,
    /// Bytes after a keyword hit that the regex may reach.
    pub window: Option<usize>,
    #[serde(default)]
    pub allow: AllowSpec,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A rule with where it was defined.
#[derive(Debug, Clone)]
pub struct LocatedSpec {
    pub spec: RuleSpec,
    pub file: String,
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
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
