//! `.leakshield.toml`: user rules, disabled rules, allowlists, hook settings.

use std::path::{Path, PathBuf};

use regex_automata::meta::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::engine::{Allow, Scanner};
use crate::rules::spec::{RuleSpec, locate, toml_error};
use crate::rules::{RuleError, RuleSet, build_globs, line_of};

pub const FILE_NAME: &str = ".leakshield.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    disable: Option<Spanned<Vec<String>>>,
    allow: Option<Spanned<AllowFile>>,
    #[serde(default)]
    hooks: HookSettings,
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowFile {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
}

/// Settings for git and agent hooks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookSettings {
    /// Let the operation through when leakshield itself fails (default: block).
    #[serde(default)]
    pub fail_open: bool,
}

/// A loaded configuration (empty when there is no config file).
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    /// Baseline file to apply, chosen by the caller (see `baseline`).
    pub baseline: Option<PathBuf>,
    text: String,
    file: ConfigFile,
}

impl Config {
    /// Parses config text; `name` is used in error messages.
    pub fn parse(name: &Path, text: String) -> Result<Config, RuleError> {
        let shown = name.display().to_string();
        let file: ConfigFile = toml::from_str(&text).map_err(|e| toml_error(&shown, &text, &e))?;
        Ok(Config {
            path: Some(name.to_path_buf()),
            baseline: None,
            text,
            file,
        })
    }

    pub fn hooks(&self) -> &HookSettings {
        &self.file.hooks
    }

    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string())
    }

    fn error_at(&self, offset: usize, message: String) -> RuleError {
        RuleError::Parse {
            file: self.name(),
            line: line_of(&self.text, offset),
            message,
        }
    }

    /// The built-in rules with this config's rules, disables and allowlists applied.
    pub fn scanner(&self) -> Result<Scanner, RuleError> {
        let mut rules = RuleSet::load_builtin()?;
        self.apply(&mut rules)?;
        Ok(Scanner::new(rules).with_allow(self.allow()?))
    }

    /// Adds and replaces user rules, then disables rules by id.
    pub fn apply(&self, rules: &mut RuleSet) -> Result<(), RuleError> {
        let specs = locate(&self.name(), &self.text, self.file.rule.clone());
        rules.add(specs, true, true)?;
        let Some(disable) = &self.file.disable else {
            return Ok(());
        };
        let unknown = rules.disable(disable.get_ref());
        if let Some(id) = unknown.first() {
            return Err(self.error_at(
                disable.span().start,
                format!("disable: unknown rule id '{id}'"),
            ));
        }
        Ok(())
    }

    fn allow(&self) -> Result<Allow, RuleError> {
        let Some(spanned) = &self.file.allow else {
            return Ok(Allow::default());
        };
        let allow = spanned.get_ref();
        let at = spanned.span().start;
        let paths = if allow.paths.is_empty() {
            None
        } else {
            Some(
                build_globs(&allow.paths)
                    .map_err(|e| self.error_at(at, format!("allow.paths: {e}")))?,
            )
        };
        let regexes = allow
            .regexes
            .iter()
            .map(|r| {
                Regex::new(r).map_err(|e| {
                    self.error_at(at, format!("allow.regexes: invalid regex '{r}': {e}"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Allow {
            paths,
            regexes,
            stopwords: allow
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            fingerprints: Default::default(),
        })
    }
}

/// The config file for a directory: `.leakshield.toml` at the root of the git
/// repository that contains it, or in the directory itself.
pub fn discover(start: &Path) -> Option<PathBuf> {
    discover_file(start, FILE_NAME)
}

/// `name` in `start` or a parent, stopping at the root of a git repository.
pub fn discover_file(start: &Path, name: &str) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        let candidate = d.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}
