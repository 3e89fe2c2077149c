//! SARIF 2.1.0, as accepted by GitHub code scanning.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::Options;
use crate::engine::Finding;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write_sarif(w: &mut dyn Write, findings: &[Finding], opts: &Options) -> io::Result<()> {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for f in findings {
        if !rule_index.contains_key(f.rule_id.as_str()) {
            rule_index.insert(&f.rule_id, rules.len());
            rules.push(json!({
                "id": f.rule_id,
                "name": f.rule_id,
                "shortDescription": { "text": f.description },
                "fullDescription": { "text": format!("{}: a credential that must not be committed or shared.", f.description) },
                "help": { "text": "Remove the secret, rotate the credential, and load it from the environment or a secret store." },
                "defaultConfiguration": { "level": "error" },
                "properties": { "tags": ["security", "secret"], "security-severity": severity_score(f) },
            }));
        }
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut message = format!("{} found: {}", f.description, opts.shown_secret(f));
            if let Some(commit) = &f.commit {
                message.push_str(&format!(" (commit {commit})"));
            }
            if let Some(repository) = &f.repository {
                message.push_str(&format!(" (repository {repository})"));
            }
            if let Some(reason) = &f.reason {
                message.push_str(&format!(" [{reason}]"));
            }
            let mut result = json!({
                "ruleId": f.rule_id,
                "ruleIndex": rule_index[f.rule_id.as_str()],
                "level": if f.blocking { "error" } else { "warning" },
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.path) },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line.max(f.line),
                        }
                    }
                }],
                "partialFingerprints": { "leakshield/v1": f.fingerprint },
            });
            // Fleet runs (`history --repos`) mix repositories: the path alone
            // would not say which one.
            let mut properties = serde_json::Map::new();
            if let Some(commit) = &f.commit {
                properties.insert("commit".into(), json!(commit));
            }
            if let Some(repository) = &f.repository {
                properties.insert("repository".into(), json!(repository));
            }
            if !properties.is_empty() {
                result["properties"] = Value::Object(properties);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "leakshield",
                "informationUri": "https://github.com/leakshield/leakshield",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

fn severity_score(f: &Finding) -> &'static str {
    match f.severity {
        crate::rules::Severity::High => "8.0",
        crate::rules::Severity::Medium => "5.0",
        crate::rules::Severity::Low => "3.0",
    }
}

/// A relative URI reference: forward slashes, everything outside the
/// unreserved set percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() { "stdin".into() } else { out }
}
