//! Human-readable report: `path:line:column: rule (description) secret…`.

use std::io::{self, Write};

use super::{Options, sanitize};
use crate::engine::Finding;

const RESET: &str = "\x1b[0m";
const PATH: &str = "\x1b[35m";
const NUM: &str = "\x1b[32m";
const RULE: &str = "\x1b[1;31m";
const WARN: &str = "\x1b[1;33m";
const DIM: &str = "\x1b[2m";

fn paint(opts: &Options, color: &str, s: &str) -> String {
    if opts.color {
        format!("{color}{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// Writes one line per finding (plus the commit for history findings).
pub fn write_text(w: &mut dyn Write, findings: &[Finding], opts: &Options) -> io::Result<()> {
    for f in findings {
        let location = format!(
            "{}:{}:{}",
            paint(
                opts,
                PATH,
                &sanitize(&match &f.repository {
                    Some(repo) => format!("{repo}/{}", f.path),
                    None => f.path.clone(),
                })
            ),
            paint(opts, NUM, &f.line.to_string()),
            paint(opts, NUM, &f.column.to_string())
        );
        let rule = if f.blocking {
            paint(opts, RULE, &f.rule_id)
        } else {
            paint(opts, WARN, &format!("warning: {}", f.rule_id))
        };
        write!(
            w,
            "{location}: {rule} ({}) {}",
            sanitize(&f.description),
            sanitize(&opts.shown_secret(f))
        )?;
        if let Some(commit) = &f.commit {
            write!(
                w,
                " {}",
                paint(opts, DIM, &format!("commit {}", short(commit)))
            )?;
        }
        if let Some(reason) = &f.reason {
            write!(
                w,
                " {}",
                paint(opts, DIM, &format!("[{}]", sanitize(reason)))
            )?;
        }
        writeln!(w)?;
    }
    Ok(())
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}
