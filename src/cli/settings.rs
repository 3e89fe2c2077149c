//! Turns arguments plus `.leakshield.toml` into the scanner and reporter a
//! command runs with.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::args::{ColorArg, ConfigArgs, FormatArg, OutputArgs};
use leakshield::baseline::{self, Baseline};
use leakshield::config::{self, Config};
use leakshield::engine::{Finding, Scanner};
use leakshield::report;

/// Loads the config named by `--config`, or the one discovered from `start`.
pub fn load_config(args: &ConfigArgs, start: &Path) -> Result<Config> {
    let path: Option<PathBuf> = match (&args.config, args.no_config) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => config::discover(start),
    };
    let mut config = match path {
        None => Config::default(),
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read config file {}", path.display()))?;
            Config::parse(&path, text)?
        }
    };
    config.baseline = match (&args.baseline, args.no_baseline) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => config::discover_file(start, baseline::FILE_NAME),
    };
    Ok(config)
}

/// The scanner for a command: built-in rules with the config and baseline applied.
pub fn scanner(config: &Config) -> Result<Scanner> {
    let scanner = config.scanner()?;
    let Some(path) = &config.baseline else {
        return Ok(scanner);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    let known =
        Baseline::parse(&text).with_context(|| format!("{}: invalid baseline", path.display()))?;
    Ok(scanner.with_baseline(known.fingerprints()))
}

/// Whether to color output written to a stream that `is_tty` describes.
pub fn use_color(arg: ColorArg, is_tty: bool) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Renders findings as the user asked, to stdout or `--output`.
pub fn write_report(out: &OutputArgs, findings: &[Finding]) -> Result<()> {
    let to_stdout = out.output.is_none();
    let opts = report::Options {
        reveal: out.reveal,
        color: use_color(out.color, to_stdout && io::stdout().is_terminal()),
    };
    let mut sink: Box<dyn Write> = match &out.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match out.format {
        FormatArg::Text => report::write_text(&mut sink, findings, &opts)?,
        FormatArg::Json => report::write_json(&mut sink, findings, &opts)?,
        FormatArg::Jsonl => report::write_jsonl(&mut sink, findings, &opts)?,
        FormatArg::Sarif => report::write_sarif(&mut sink, findings, &opts)?,
    }
    sink.flush()?;
    Ok(())
}

/// A one-line summary on stderr for humans (not in quiet mode).
pub fn summary(out: &OutputArgs, findings: &[Finding], what: &str) {
    if out.quiet {
        return;
    }
    let blocking = findings.iter().filter(|f| f.blocking).count();
    let warnings = findings.len() - blocking;
    let mut line = format!("leakshield: {blocking} secret(s) found in {what}");
    if warnings > 0 {
        line.push_str(&format!(", {warnings} warning(s)"));
    }
    eprintln!("{line}");
}
