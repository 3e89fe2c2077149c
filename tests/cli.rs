//! CLI behaviour as a user sees it: exit codes, output formats, config,
//! allowlists, stdin. Secrets are assembled at run time so this file itself
//! scans clean.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use std::io::Write;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_leakshield"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A GitHub classic token with a valid checksum, built from parts.
fn github_token() -> String {
    let random = "Zr4Kp1VwX7nTb2q8Zr9Kp3VwY7nTb5";
    let sum = crc32fast::hash(random.as_bytes());
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = sum;
    let mut check = [b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = alphabet[(n % 62) as usize];
        n /= 62;
    }
    format!(
        "{}{}{}",
        ["gh", "p_"].concat(),
        random,
        std::str::from_utf8(&check).unwrap()
    )
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run leakshield")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn clean_tree_exits_zero_and_prints_nothing() {
    let dir = tree(&[
        ("src/main.rs", "fn main() { println!(\"hello\"); }\n"),
        ("README.md", "token handling docs\n"),
    ]);
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn secret_is_reported_with_location_and_masked() {
    let token = github_token();
    let dir = tree(&[(
        "app/config.py",
        &format!("# settings\nGITHUB_TOKEN = \"{token}\"\n"),
    )]);
    let out = run(dir.path(), &["scan", "--color", "never", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("app/config.py:2:17: github-classic-token"),
        "{text}"
    );
    assert!(!text.contains(&token), "secret printed in full: {text}");
    let revealed = stdout(&run(dir.path(), &["scan", "--reveal", "."]));
    assert!(revealed.contains(&token));
}

#[test]
fn json_follows_the_contract() {
    let token = github_token();
    let dir = tree(&[("a.env", &format!("X=1\nGH={token}\n"))]);
    let out = run(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule_id"], "github-classic-token");
    assert_eq!(f["path"], "a.env");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 4);
    assert!(f["commit"].is_null());
    assert_eq!(f["severity"], "high");
    assert_eq!(f["blocking"], true);
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    let shown = f["secret"].as_str().unwrap();
    assert!(shown.ends_with('…') && shown.len() < token.len(), "{shown}");
}

#[test]
fn sarif_is_2_1_0_with_fingerprints() {
    let token = github_token();
    let dir = tree(&[("dir with space/k.yml", &format!("token: {token}\n"))]);
    let out = run(dir.path(), &["scan", "--format", "sarif", "."]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "leakshield");
    assert_eq!(
        run0["tool"]["driver"]["rules"][0]["id"],
        "github-classic-token"
    );
    let r = &run0["results"][0];
    assert_eq!(r["ruleId"], "github-classic-token");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dir%20with%20space/k.yml");
    assert_eq!(loc["region"]["startLine"], 1);
    assert!(r["partialFingerprints"]["leakshield/v1"].is_string());
    assert!(!stdout(&out).contains(&token));
}

#[test]
fn stdin_is_scanned() {
    let mut child = bin()
        .args(["scan", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let token = github_token();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("t={token}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "<stdin>");
}

#[test]
fn inline_allow_markers_suppress() {
    let token = github_token();
    let body = format!(
        "a = \"{token}\"  # leakshield:allow\nb = \"{token}\"  // gitleaks:allow\nc = \"{token}\"  # pragma: allowlist secret\n"
    );
    let dir = tree(&[("f.py", &body)]);
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn config_disables_rules_and_allows_paths() {
    let token = github_token();
    let dir = tree(&[
        ("fixtures/a.txt", &format!("{token}\n")),
        ("src/b.txt", &format!("{token}\n")),
        (".leakshield.toml", "[allow]\npaths = [\"fixtures/\"]\n"),
    ]);
    let out = run(dir.path(), &["scan", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["src/b.txt"]);
    std::fs::write(
        dir.path().join(".leakshield.toml"),
        "disable = [\"github-classic-token\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn config_can_add_a_rule() {
    let dir = tree(&[
        ("notes.txt", "internal key ACME-7f3k9q2m8x4v1b6n\n"),
        (
            ".leakshield.toml",
            "[[rule]]\nid = \"acme-key\"\ndescription = \"ACME internal key\"\nkeywords = [\"acme-\"]\nregex = '''\\b(ACME-[a-z0-9]{16})\\b'''\n",
        ),
    ]);
    let out = run(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule_id"], "acme-key");
}

#[test]
fn bad_config_is_a_clear_error() {
    let dir = tree(&[(".leakshield.toml", "[allow]\npaths = [\"x\"]\nbogus = 1\n")]);
    let out = run(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(".leakshield.toml:3") && err.contains("bogus"),
        "{err}"
    );

    let dir = tree(&[(
        "c.toml",
        "[[rule]]\nid = \"x\"\ndescription = \"d\"\nregex = '''(unclosed'''\n",
    )]);
    let out = run(dir.path(), &["scan", "--config", "c.toml", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("c.toml:1") && err.contains("rule 'x'") && err.contains("regex"),
        "{err}"
    );

    let out = run(dir.path(), &["scan", "--config", "missing.toml", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));
}

#[test]
fn duplicate_rule_ids_name_both_places() {
    let rule =
        "[[rule]]\nid = \"dup\"\ndescription = \"d\"\nkeywords = [\"k\"]\nregex = '''k(\\d+)'''\n";
    let dir = tree(&[("r.toml", &format!("{rule}\n{rule}"))]);
    let out = run(dir.path(), &["rules", "check", "r.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("r.toml:7")
            && err.contains("duplicate rule id 'dup'")
            && err.contains("r.toml:1"),
        "{err}"
    );
}

#[test]
fn missing_path_is_an_error_but_others_are_scanned() {
    let token = github_token();
    let dir = tree(&[("a.txt", &format!("{token}\n"))]);
    let out = run(dir.path(), &["scan", "a.txt", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("a.txt:1"));
    assert!(stderr(&out).contains("nope"));
}

#[test]
fn binary_files_are_skipped() {
    let token = github_token();
    let mut data = vec![0u8, 1, 2, 3];
    data.extend_from_slice(token.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blob.bin"), data).unwrap();
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));
}

#[test]
fn gitignore_is_honoured_in_a_repo() {
    let token = github_token();
    let dir = tree(&[
        ("ignored/a.txt", &format!("{token}\n")),
        (".gitignore", "ignored/\n"),
    ]);
    let ok = Command::new("git")
        .arg("init")
        .arg("-q")
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(run(dir.path(), &["scan", "."]).status.code(), Some(0));
    assert_eq!(
        run(dir.path(), &["scan", "--no-ignore", "."]).status.code(),
        Some(1)
    );
}

#[test]
fn colors_follow_the_flag_and_no_color() {
    let token = github_token();
    let dir = tree(&[("a.txt", &format!("{token}\n"))]);
    let always = stdout(&run(dir.path(), &["scan", "--color", "always", "."]));
    assert!(always.contains("\x1b["));
    let auto = bin()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["scan", "."])
        .output()
        .unwrap();
    assert!(!stdout(&auto).contains("\x1b["));
}

#[test]
fn hostile_paths_are_sanitized() {
    let token = github_token();
    let dir = tree(&[("evil\x1b[31m.txt", &format!("{token}\n"))]);
    let text = stdout(&run(dir.path(), &["scan", "--color", "never", "."]));
    assert!(text.contains("evil\\u{001B}[31m.txt"), "{text}");
}

#[test]
fn rules_list_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["rules", "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).lines().count() >= 60);
    let out = run(dir.path(), &["rules", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn rules_check_reports_failing_examples() {
    let dir = tree(&[(
        "r.toml",
        "[[rule]]\nid = \"acme\"\ndescription = \"d\"\nkeywords = [\"acme\"]\nregex = '''acme_([a-z]{8})'''\nexamples = [\"acme_Q1\", \"acme_zzzz\"]\nnegative_examples = [\"acme_qwrtzpkd\", \"n\"]\n",
    )]);
    let out = run(dir.path(), &["rules", "check", "r.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("r.toml:1: rule 'acme': example 1 does not match"),
        "{text}"
    );
    assert!(text.contains("negative example 1 matches"), "{text}");
}

#[test]
fn help_lists_commands_and_exit_codes() {
    let out = bin().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for word in ["scan", "rules", "Exit codes"] {
        assert!(text.contains(word), "--help lacks {word}");
    }
    assert_eq!(
        bin().arg("--bogus").output().unwrap().status.code(),
        Some(2)
    );
}
