//! The built-in rules carry their own tests: every example matches, no
//! negative example does, keywords occur, all rules compile together.

use leakshield::RuleSet;
use leakshield::rules::check;

#[test]
fn builtin_rules_pass_their_own_checks() {
    let set = RuleSet::load_builtin_with_examples().expect("built-in rules parse");
    let problems = check::check(&set);
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} problem(s):\n{}",
        report.len(),
        report.join("\n")
    );
    check::check_together(&set).expect("all rules compile together");
}

#[test]
fn builtin_set_is_large_enough_and_keyworded() {
    let set = RuleSet::builtin();
    assert!(set.len() >= 60, "only {} built-in rules", set.len());
    let unkeyworded: Vec<&str> = set
        .rules()
        .iter()
        .filter(|r| r.spec.keywords.is_empty())
        .map(|r| r.id())
        .collect();
    assert!(
        unkeyworded.is_empty(),
        "rules without keywords run on every input: {unkeyworded:?}"
    );
}

#[test]
fn generated_rules_match_the_toml() {
    // build.rs turns rules/*.toml into code; both forms must agree.
    let fast = RuleSet::load_builtin().unwrap();
    let full = RuleSet::load_builtin_with_examples().unwrap();
    assert_eq!(fast.len(), full.len());
    for (a, b) in fast.rules().iter().zip(full.rules()) {
        assert_eq!(
            (a.id(), &a.spec.regex, &a.spec.keywords),
            (b.id(), &b.spec.regex, &b.spec.keywords)
        );
        assert_eq!(
            (a.spec.entropy, a.spec.severity, a.spec.validator),
            (b.spec.entropy, b.spec.severity, b.spec.validator)
        );
        assert_eq!(
            (a.spec.window, a.spec.secret_group),
            (b.spec.window, b.spec.secret_group)
        );
        assert_eq!(
            (&a.spec.allow.regexes, &a.spec.allow.lines),
            (&b.spec.allow.regexes, &b.spec.allow.lines)
        );
        assert_eq!((&a.file, a.line), (&b.file, b.line));
    }
}

#[test]
fn every_rule_has_examples_on_both_sides() {
    for rule in RuleSet::load_builtin_with_examples().unwrap().rules() {
        assert!(
            rule.spec.examples.len() >= 2,
            "{}: fewer than 2 examples",
            rule.id()
        );
        assert!(
            rule.spec.negative_examples.len() >= 2,
            "{}: fewer than 2 negative examples",
            rule.id()
        );
    }
}

#[test]
fn examples_are_found_through_the_full_set() {
    // With every rule active, each example must still produce a blocking
    // finding (possibly by a more specific rule), so rules do not hide each other.
    let scanner = leakshield::builtin();
    for rule in RuleSet::load_builtin_with_examples().unwrap().rules() {
        for (i, example) in rule.spec.examples.iter().enumerate() {
            let findings = scanner.scan(example.as_bytes());
            assert!(
                findings.iter().any(|f| f.blocking),
                "{}: example {} is not found by the full rule set",
                rule.id(),
                i + 1
            );
        }
    }
}
