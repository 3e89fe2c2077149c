//! `rules check`: every rule carries its own tests (examples and negative
//! examples); this runs them and lints the rule.

use super::spec::LocatedSpec;
use super::{Rule, RuleSet};
use crate::engine::Scanner;

/// One problem with one rule.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub rule_id: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: rule '{}': {}",
            self.file, self.line, self.rule_id, self.message
        )
    }
}

/// Checks every rule of the set; an empty result means all rules pass.
pub fn check(set: &RuleSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    for rule in set.rules() {
        check_rule(rule, &mut problems);
    }
    problems
}

fn check_rule(rule: &Rule, problems: &mut Vec<Problem>) {
    let mut problem = |message: String| {
        problems.push(Problem {
            file: rule.file.clone(),
            line: rule.line,
            rule_id: rule.id().to_string(),
            message,
        })
    };
    if let Err(e) = rule.try_compile() {
        problem(e);
        return;
    }
    let spec = &rule.spec;
    if spec.examples.len() < 2 {
        problem(format!(
            "has {} example(s); at least 2 are required",
            spec.examples.len()
        ));
    }
    if spec.negative_examples.len() < 2 {
        problem(format!(
            "has {} negative example(s); at least 2 are required",
            spec.negative_examples.len()
        ));
    }
    let alone = LocatedSpec {
        spec: spec.clone(),
        file: rule.file.clone(),
        line: rule.line,
    };
    let scanner = match RuleSet::from_specs(vec![alone], true) {
        Ok(set) => Scanner::new(set),
        Err(e) => {
            problem(e.to_string());
            return;
        }
    };
    let lowered: Vec<String> = spec
        .examples
        .iter()
        .map(|e| e.to_ascii_lowercase())
        .collect();
    for k in &spec.keywords {
        let k = k.to_ascii_lowercase();
        if !lowered.iter().any(|e| e.contains(&k)) {
            problem(format!("keyword '{k}' occurs in no example"));
        }
    }
    for (i, example) in spec.examples.iter().enumerate() {
        let has_keyword = spec.keywords.is_empty()
            || spec
                .keywords
                .iter()
                .any(|k| lowered[i].contains(&k.to_ascii_lowercase()));
        if !has_keyword {
            problem(format!("example {} contains none of the keywords", i + 1));
        }
        let findings = scanner.scan(example.as_bytes());
        match findings.iter().find(|f| f.blocking) {
            None if findings.is_empty() => problem(format!("example {} does not match", i + 1)),
            None => problem(format!(
                "example {} is only a warning: {}",
                i + 1,
                findings[0].reason.as_deref().unwrap_or("")
            )),
            Some(f) if f.secret.is_empty() || !example.contains(&f.secret) => problem(format!(
                "example {}: the secret is not part of the example",
                i + 1
            )),
            Some(_) => {}
        }
    }
    for (i, negative) in spec.negative_examples.iter().enumerate() {
        if let Some(f) = scanner
            .scan(negative.as_bytes())
            .iter()
            .find(|f| f.blocking)
        {
            problem(format!(
                "negative example {} matches (line {}, secret starting '{}')",
                i + 1,
                f.line,
                crate::engine::mask(&f.secret)
            ));
        }
    }
}

/// Checks that all rules of a set compile (the keyword prefilter accepts any
/// keyword set, so the regexes are what can fail).
pub fn check_together(set: &RuleSet) -> Result<(), String> {
    for rule in set.rules() {
        rule.try_compile()
            .map_err(|e| format!("rule '{}': {e}", rule.id()))?;
    }
    Ok(())
}
