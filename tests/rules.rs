//! The built-in rules carry their own tests: every example matches, no
//! negative example does, keywords occur, all rules compile together.

use leakshield::RuleSet;
use leakshield::rules::check;

#[test]
fn builtin_rules_pass_their_own_checks() {
    let set = RuleSet::load_builtin().expect("built-in rules parse");
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
fn every_rule_has_examples_on_both_sides() {
    for rule in RuleSet::builtin().rules() {
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
    for rule in scanner.rules().rules() {
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
