//! The serialized rule types, shared with `build.rs` (which parses the
//! built-in rules at compile time): serde and toml only, nothing else.

use serde::{Deserialize, Serialize};
use toml::Spanned;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub rule: Vec<Spanned<RuleSpec>>,
}
