//! The `leakshield` binary: parse arguments, run, print errors once, exit.

mod cli;

use clap::Parser;

fn main() {
    let parsed = cli::args::Cli::try_parse();
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = match cli::run(cli) {
        Ok(outcome) => outcome.code(),
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!(
                "leakshield: error: {}",
                leakshield::report::sanitize(&format!("{e:#}"))
            );
            2
        }
    };
    std::process::exit(code);
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
