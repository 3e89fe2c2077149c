//! `leakshield rules list|check`.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use super::Outcome;
use super::args::RulesCommand;
use super::settings;
use leakshield::RuleSet;
use leakshield::rules::{check, spec};

pub fn run(cmd: &RulesCommand) -> Result<Outcome> {
    match cmd {
        RulesCommand::List { json, config } => {
            let config = settings::load_config(config, Path::new("."))?;
            let scanner = settings::scanner(&config)?;
            list(scanner.rules(), *json)
        }
        RulesCommand::Check { files, config } => {
            let set = if files.is_empty() {
                let config = settings::load_config(config, Path::new("."))?;
                let mut set = RuleSet::load_builtin_with_examples()?;
                config.apply(&mut set)?;
                set
            } else {
                let mut specs = Vec::new();
                for f in files {
                    let text = std::fs::read_to_string(f)
                        .with_context(|| format!("cannot read rule file {}", f.display()))?;
                    specs.extend(spec::parse_rules(&f.display().to_string(), &text)?);
                }
                RuleSet::from_specs(specs, false)?
            };
            let problems = check::check(&set);
            if let Err(e) = check::check_together(&set) {
                eprintln!("leakshield: {e}");
                return Ok(Outcome::Findings);
            }
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                eprintln!("leakshield: {} rule(s) OK", set.len());
                Ok(Outcome::Clean)
            } else {
                eprintln!(
                    "leakshield: {} problem(s) in {} rule(s)",
                    problems.len(),
                    set.len()
                );
                Ok(Outcome::Findings)
            }
        }
    }
}

fn list(rules: &RuleSet, json: bool) -> Result<Outcome> {
    // Written, not printed: `rules list | head` ends quietly on a closed pipe.
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<_> = rules
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id(),
                    "description": r.description(),
                    "severity": r.severity(),
                    "keywords": r.spec.keywords,
                    "source": format!("{}:{}", r.file, r.line),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
    } else {
        let width = rules
            .rules()
            .iter()
            .map(|r| r.id().len())
            .max()
            .unwrap_or(0);
        for r in rules.rules() {
            writeln!(
                out,
                "{:width$}  {:6}  {}",
                r.id(),
                r.severity().as_str(),
                r.description()
            )?;
        }
        eprintln!("leakshield: {} rule(s)", rules.len());
    }
    Ok(Outcome::Clean)
}
