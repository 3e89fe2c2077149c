//! Compiled rules. Regexes are compiled on first use, so a run whose keyword
//! prefilter hits few rules compiles few regexes.

use std::collections::HashMap;
use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex_automata::meta::Regex;
use regex_syntax::hir::Hir;

use super::gate::Gate;
use super::relaxed::RuleRegex;
use super::spec::{LocatedSpec, RuleSpec, Severity, Validator, parse_rules};
use super::{BUILTIN_FILES, RuleError};

/// Bytes before a keyword hit that a rule's regex may start at.
pub const WINDOW_BEFORE: usize = 256;
/// Default bytes after a keyword hit that a rule's regex may reach.
pub const WINDOW_AFTER: usize = 512;

pub struct Rule {
    pub spec: RuleSpec,
    pub file: String,
    pub line: usize,
    compiled: OnceLock<Result<CompiledRule, String>>,
}

pub struct CompiledRule {
    pub regex: RuleRegex,
    /// Literals every match holds: windows without them are skipped.
    pub gate: Option<Gate>,
    pub secret_group: usize,
    pub allow_regexes: Vec<Regex>,
    pub allow_lines: Vec<Regex>,
    pub allow_paths: Option<GlobSet>,
    pub stopwords: Vec<String>,
}

impl Rule {
    fn new(located: LocatedSpec) -> Rule {
        Rule {
            spec: located.spec,
            file: located.file,
            line: located.line,
            compiled: OnceLock::new(),
        }
    }

    pub fn id(&self) -> &str {
        &self.spec.id
    }
    pub fn description(&self) -> &str {
        &self.spec.description
    }
    pub fn severity(&self) -> Severity {
        self.spec.severity
    }
    pub fn validator(&self) -> Option<Validator> {
        self.spec.validator
    }
    pub fn window_after(&self) -> usize {
        self.spec.window.unwrap_or(WINDOW_AFTER)
    }

    /// Compiles the rule's regexes and globs (once) and reports any error.
    pub fn try_compile(&self) -> Result<(), String> {
        let compiled = self.compiled_result()?;
        compiled
            .regex
            .check()
            .map_err(|e| format!("invalid regex: {e}"))
    }

    fn compiled_result(&self) -> Result<&CompiledRule, String> {
        self.compiled
            .get_or_init(|| compile(&self.spec))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The compiled form. Built-in rules are verified by `rules check` in the
    /// test suite and user rules are compiled when loaded, so this cannot fail.
    pub(crate) fn compiled(&self) -> Option<&CompiledRule> {
        self.compiled_result().ok()
    }

    fn error(&self, message: String) -> RuleError {
        RuleError::Invalid {
            file: self.file.clone(),
            line: self.line,
            id: self.spec.id.clone(),
            message,
        }
    }
}

fn syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .utf8(false)
        .unicode(false)
}

fn regex_builder() -> regex_automata::meta::Builder {
    let mut builder = Regex::builder();
    builder
        .syntax(syntax())
        // The lazy DFA's cache grows only as states are needed; the 2 MB
        // default was too small for the generic assignment rules, whose
        // cache was cleared over and over (a fifth of their confirm time).
        // The ceiling is per regex and thread; measured peak of a whole
        // tree scan: ~51 MiB.
        .configure(
            Regex::config()
                .utf8_empty(false)
                .hybrid_cache_capacity(16 << 20),
        );
    builder
}

fn build_regex(pattern: &str) -> Result<Regex, String> {
    regex_builder()
        .build(pattern)
        .map_err(|e| match e.syntax_error() {
            Some(s) => s.to_string(),
            None => e.to_string(),
        })
}

fn build_from_hir(hir: &Hir) -> Result<Regex, String> {
    regex_builder()
        .build_from_hir(hir)
        .map_err(|e| e.to_string())
}

fn compile(spec: &RuleSpec) -> Result<CompiledRule, String> {
    let hir = regex_automata::util::syntax::parse_with(&spec.regex, &syntax())
        .map_err(|e| format!("invalid regex: {e}"))?;
    let keywords: Vec<String> = spec
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase())
        .collect();
    let gate = Gate::new(&hir, &keywords);
    // Searched in its relaxed form (see `RuleRegex`).
    let regex = RuleRegex::new(hir, build_from_hir).map_err(|e| format!("invalid regex: {e}"))?;
    let groups = regex.group_len();
    let secret_group = spec.secret_group.unwrap_or(usize::from(groups > 1));
    if secret_group >= groups {
        return Err(format!(
            "secret_group = {secret_group} but the regex has {} capture group(s)",
            groups - 1
        ));
    }
    let compile_all = |list: &[String], what: &str| -> Result<Vec<Regex>, String> {
        list.iter()
            .map(|p| build_regex(p).map_err(|e| format!("invalid allow.{what} regex '{p}': {e}")))
            .collect()
    };
    let allow_paths = if spec.allow.paths.is_empty() {
        None
    } else {
        Some(build_globs(&spec.allow.paths).map_err(|e| format!("allow.paths: {e}"))?)
    };
    Ok(CompiledRule {
        regex,
        gate,
        secret_group,
        allow_regexes: compile_all(&spec.allow.regexes, "regexes")?,
        allow_lines: compile_all(&spec.allow.lines, "lines")?,
        allow_paths,
        stopwords: spec
            .allow
            .stopwords
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect(),
    })
}

/// Builds a glob set; a glob without a `/` matches at any depth, as in .gitignore.
pub fn build_globs(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        let pattern = if g.contains('/') {
            g.trim_start_matches("./")
                .trim_start_matches('/')
                .to_string()
        } else {
            format!("**/{g}")
        };
        let glob = Glob::new(&pattern).map_err(|e| format!("invalid glob '{g}': {e}"))?;
        builder.add(glob);
        // `dir/` or `dir` also covers everything below it.
        if !pattern.contains('*') {
            let below = format!("{}/**", pattern.trim_end_matches('/'));
            builder.add(Glob::new(&below).map_err(|e| format!("invalid glob '{g}': {e}"))?);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// An ordered set of rules with unique ids.
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The embedded default rules.
    pub fn builtin() -> RuleSet {
        Self::load_builtin().unwrap_or_else(|e| panic!("built-in rules are invalid: {e}"))
    }

    /// The embedded default rules, from code generated at build time (no
    /// TOML parsing at run time; examples are left out).
    pub fn load_builtin() -> Result<RuleSet, RuleError> {
        // The same specs pass through `from_specs`' checks in
        // `load_builtin_with_examples` (tests and `rules check`); start-up
        // skips them.
        Ok(RuleSet {
            rules: super::builtin_specs().into_iter().map(Rule::new).collect(),
        })
    }

    /// The embedded default rules parsed from their TOML text, examples
    /// included: what `rules check` and the tests use.
    pub fn load_builtin_with_examples() -> Result<RuleSet, RuleError> {
        let mut specs = Vec::new();
        for (file, text) in BUILTIN_FILES {
            specs.extend(parse_rules(file, text)?);
        }
        RuleSet::from_specs(specs, false)
    }

    /// Builds a set, rejecting duplicate or malformed ids. With `eager`, every
    /// regex is compiled now so errors surface at load time.
    pub fn from_specs(specs: Vec<LocatedSpec>, eager: bool) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet { rules: Vec::new() };
        set.add(specs, eager, false)?;
        Ok(set)
    }

    /// Adds rules; with `replace`, a rule whose id exists replaces the old one.
    pub fn add(
        &mut self,
        specs: Vec<LocatedSpec>,
        eager: bool,
        replace: bool,
    ) -> Result<(), RuleError> {
        // Every run adds the (usually empty) rules of its configuration on
        // top of the built-in ones: that must not cost an index of them all.
        if specs.is_empty() {
            return Ok(());
        }
        let mut seen: HashMap<String, usize> = (self.rules.iter().enumerate())
            .map(|(i, r)| (r.spec.id.clone(), i))
            .collect();
        let mut added: HashMap<String, String> = HashMap::new();
        for located in specs {
            let rule = Rule::new(located);
            let id = rule.spec.id.clone();
            if !is_kebab(&id) {
                return Err(rule.error("id must be kebab-case (a-z, 0-9, '-')".into()));
            }
            if rule.spec.description.trim().is_empty() {
                return Err(rule.error("description is empty".into()));
            }
            if rule.spec.keywords.iter().any(|k| k.is_empty()) {
                return Err(rule.error("empty keyword".into()));
            }
            if eager {
                rule.try_compile().map_err(|m| rule.error(m))?;
            }
            let here = format!("{}:{}", rule.file, rule.line);
            if let Some(first) = added.get(&id) {
                return Err(RuleError::Duplicate {
                    file: rule.file.clone(),
                    line: rule.line,
                    id,
                    first: first.clone(),
                });
            }
            match seen.get(&id) {
                Some(&i) if replace => self.rules[i] = rule,
                Some(&i) => {
                    let first = &self.rules[i];
                    return Err(RuleError::Duplicate {
                        file: rule.file.clone(),
                        line: rule.line,
                        id,
                        first: format!("{}:{}", first.file, first.line),
                    });
                }
                None => {
                    seen.insert(id.clone(), self.rules.len());
                    self.rules.push(rule);
                }
            }
            added.insert(id, here);
        }
        Ok(())
    }

    /// Drops rules by id; returns the ids that matched no rule.
    pub fn disable(&mut self, ids: &[String]) -> Vec<String> {
        let unknown = ids
            .iter()
            .filter(|id| !self.rules.iter().any(|r| &r.spec.id == *id))
            .cloned()
            .collect();
        self.rules.retain(|r| !ids.contains(&r.spec.id));
        unknown
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
