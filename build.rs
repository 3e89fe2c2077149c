//! Embeds the built-in rules (`rules/*.toml`) into the binary twice: as TOML
//! text (for `rules check`, which needs the examples) and as Rust code
//! generated here from the parsed rules, so a run starts without parsing TOML.
//! Also turns `src/engine/common-grams.txt` into a sorted table of folded
//! grams for the keyword filter.
use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/rules/spec_types.rs"]
mod spec_types;

use spec_types::{AllowSpec, RuleFile, RuleSpec};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/spec_types.rs");
    let mut files: Vec<_> = fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut texts = String::from("&[\n");
    let mut specs = String::from("vec![\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let shown = path.display().to_string();
        let abs = fs::canonicalize(path).expect("rule file path");
        writeln!(
            texts,
            "    ({shown:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
        let text = fs::read_to_string(path).expect("read rule file");
        // Errors are reported properly by the runtime parser (`rules check`,
        // the test suite); here a broken file just fails the build.
        let parsed: RuleFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        for rule in parsed.rule {
            let line = text[..rule.span().start].matches('\n').count() + 1;
            writeln!(
                specs,
                "    LocatedSpec {{ file: String::from({shown:?}), line: {line}, spec: {} }},",
                emit_spec(rule.get_ref())
            )
            .unwrap();
        }
    }
    texts.push(']');
    specs.push(']');
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out.join("builtin_rules.rs"), texts).expect("write builtin_rules.rs");
    fs::write(out.join("builtin_specs.rs"), specs).expect("write builtin_specs.rs");
    fs::write(out.join("common_grams.rs"), common_grams()).expect("write common_grams.rs");
}

/// `&[(folded gram, rank)]` sorted by gram (see `src/engine/grams.rs`).
fn common_grams() -> String {
    const PATH: &str = "src/engine/common-grams.txt";
    println!("cargo:rerun-if-changed={PATH}");
    let text = fs::read_to_string(PATH).expect("read common-grams.txt");
    let mut grams: Vec<(u32, usize)> = text
        .lines()
        .enumerate()
        .map(|(rank, line)| match *line.as_bytes() {
            [a, b, c, d] if line.bytes().all(|b| b.is_ascii_graphic()) => {
                (u32::from_le_bytes([a, b, c, d]) | 0x2020_2020, rank)
            }
            _ => panic!(
                "{PATH}:{}: {line:?} is not four visible ASCII bytes",
                rank + 1
            ),
        })
        .collect();
    grams.sort_unstable();
    if let Some(w) = grams.windows(2).find(|w| w[0].0 == w[1].0) {
        panic!(
            "{PATH}:{}: the same gram as line {} once case-folded",
            w[1].1 + 1,
            w[0].1 + 1
        );
    }
    let items: Vec<String> = grams
        .iter()
        .map(|(g, r)| format!("({g:#x}, {r})"))
        .collect();
    format!("&[{}]", items.join(", "))
}

fn strings(list: &[String]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|s| format!("String::from({s:?})"))
        .collect();
    format!("vec![{}]", items.join(", "))
}

fn emit_allow(a: &AllowSpec) -> String {
    format!(
        "AllowSpec {{ regexes: {}, stopwords: {}, paths: {}, lines: {} }}",
        strings(&a.regexes),
        strings(&a.stopwords),
        strings(&a.paths),
        strings(&a.lines)
    )
}

/// Rust for one rule, without its examples (only `rules check` needs them).
fn emit_spec(s: &RuleSpec) -> String {
    format!(
        "RuleSpec {{ id: String::from({:?}), description: String::from({:?}), keywords: {}, \
         regex: String::from({:?}), secret_group: {:?}, entropy: {:?}, severity: Severity::{:?}, \
         validator: {}, window: {:?}, allow: {}, examples: Vec::new(), negative_examples: Vec::new() }}",
        s.id,
        s.description,
        strings(&s.keywords),
        s.regex,
        s.secret_group,
        s.entropy,
        s.severity,
        s.validator
            .map_or("None".to_string(), |v| format!("Some(Validator::{v:?})")),
        s.window,
        emit_allow(&s.allow),
    )
}
