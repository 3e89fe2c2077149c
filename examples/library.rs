//! Using leakshield as a library: build the shield once, then scan and
//! redact from many threads. Run with `cargo run --example library`.

use std::sync::Arc;

fn main() {
    // Built-in rules; `leakshield::config::Config::parse(..)?.scanner()?` adds a
    // project's .leakshield.toml.
    let shield = Arc::new(leakshield::builtin());

    // A fake token, assembled so this file does not contain one.
    let token = format!("{}_{}", "ghp", "Zr4Kp1VwX7nTb2q8Zr9Kp3VwY7nTb5a8Qw2E");
    let prompt = format!("Deploy with GITHUB_TOKEN={token} and tell me what happens.");

    let handles: Vec<_> = (0..4)
        .map(|i| {
            let shield = Arc::clone(&shield);
            let prompt = prompt.clone();
            std::thread::spawn(move || {
                let findings = shield.scan(prompt.as_bytes());
                let redactor = leakshield::redact::Redactor::with_random_key(&shield);
                (i, findings.len(), redactor.redact(&prompt))
            })
        })
        .collect();
    for h in handles {
        let (i, found, redacted) = h.join().expect("thread");
        println!("thread {i}: {found} finding(s); sent to the model: {redacted}");
        assert!(!redacted.contains(&token));
    }
    for f in shield.scan(prompt.as_bytes()) {
        // `f.secret` is the raw value: mask it before showing it anywhere.
        println!(
            "{} at line {}, column {}: {}",
            f.rule_id,
            f.line,
            f.column,
            leakshield::engine::mask(&f.secret)
        );
    }
}
