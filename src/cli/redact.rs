//! `leakshield redact`: the outbound-context filter.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::args::{RedactArgs, RedactReport};
use super::{Outcome, settings};
use leakshield::redact::{Redaction, Redactor};

pub fn run(args: &RedactArgs) -> Result<Outcome> {
    let config = settings::load_config(&args.config, Path::new("."))?;
    let scanner = settings::scanner(&config)?;
    let redactor = Redactor::with_random_key(&scanner);
    let mut input: Box<dyn Read> = if args.input.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            File::open(&args.input)
                .with_context(|| format!("cannot open {}", args.input.display()))?,
        )
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let report = if args.json {
        let mut data = Vec::new();
        input.read_to_end(&mut data).context("cannot read input")?;
        let (redacted, report) = redactor
            .redact_json(&data)
            .with_context(|| format!("{}: not valid JSON", args.input.display()))?;
        out.write_all(&redacted)?;
        out.flush()?;
        report
    } else {
        redactor.redact_stream(&mut input, &mut out)?
    };
    write_report(args, &report)?;
    Ok(Outcome::Clean)
}

fn write_report(args: &RedactArgs, report: &[Redaction]) -> Result<()> {
    if args.format == RedactReport::None && args.report.is_none() {
        return Ok(());
    }
    let doc = serde_json::json!({ "redactions": report, "count": report.len() });
    match &args.report {
        Some(path) => {
            let text = serde_json::to_string_pretty(&doc)? + "\n";
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?
        }
        None => eprintln!("{}", serde_json::to_string(&doc)?),
    }
    Ok(())
}
