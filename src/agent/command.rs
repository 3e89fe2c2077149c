//! What a shell command line asks git to do: which commits it would create
//! (and from what) and what it would push. Agents run compound commands
//! (`cd app && git add -A && git commit -qm wip --no-verify`), so the line is
//! split into simple commands, words are unquoted, and `cd` / `git -C` are
//! followed to know the repository each git command runs in.

use std::path::PathBuf;

/// A git operation the command line would perform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitOp {
    /// `git add ARGS` (pathspecs and flags as given).
    Add { dir: PathBuf, args: Vec<String> },
    /// `git commit`: `all` for `-a`; `paths` for `git commit -- PATHS`.
    Commit {
        dir: PathBuf,
        all: bool,
        paths: Vec<String>,
    },
    /// `git push [REMOTE [REFSPEC...]]`, `all` for `--all`/`--branches`/
    /// `--mirror`, `tags` for `--tags`/`--follow-tags`/`--mirror`.
    Push {
        dir: PathBuf,
        remote: Option<String>,
        refspecs: Vec<String>,
        all: bool,
        tags: bool,
    },
}

/// Options of `git` itself that take a value (`git -c k=v commit`).
const GIT_OPTS_WITH_VALUE: &[&str] = &[
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--exec-path",
];
/// `git commit` options that take a separate value.
const COMMIT_OPTS_WITH_VALUE: &[&str] = &[
    "-m",
    "--message",
    "-F",
    "--file",
    "-C",
    "--reuse-message",
    "-c",
    "--reedit-message",
    "--fixup",
    "--squash",
    "--author",
    "--date",
    "-t",
    "--template",
    "--cleanup",
    "--trailer",
];
/// `git commit` short options that take a value (the rest of a bundle is it).
const COMMIT_SHORT_WITH_VALUE: &[u8] = b"mFCct";
/// `git push` options that take a separate value.
const PUSH_OPTS_WITH_VALUE: &[&str] =
    &["--repo", "-o", "--push-option", "--receive-pack", "--exec"];

/// The git operations of a command line, in order, with the directory each
/// runs in (relative paths resolved against `cwd`).
pub fn git_ops(line: &str, cwd: &std::path::Path) -> Vec<GitOp> {
    let mut dir = cwd.to_path_buf();
    let mut ops = Vec::new();
    for words in simple_commands(line) {
        let words = strip_prefix_words(&words);
        let Some(first) = words.first() else { continue };
        match first.as_str() {
            "cd" | "pushd" => {
                if let Some(target) = words.get(1) {
                    dir = dir.join(expand_home(target));
                }
            }
            "sh" | "bash" | "zsh" | "dash" => {
                // `bash -c 'cmd'`, `bash -ec "cmd"`, `sh -lc ...`: the first
                // word after a flag bundle containing `c` is the script.
                let mut rest = words[1..].iter().skip_while(|w| {
                    !(w.starts_with('-') && !w.starts_with("--") && w.contains('c'))
                });
                if rest.next().is_some()
                    && let Some(inner) = rest.next()
                {
                    ops.extend(git_ops(inner, &dir));
                }
            }
            _ if is_git(first) => {
                if let Some(op) = git_op(&words[1..], &dir) {
                    ops.push(op);
                }
            }
            _ => {}
        }
    }
    ops
}

fn is_git(word: &str) -> bool {
    word == "git" || word.ends_with("/git")
}

fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// Drops leading `VAR=value` assignments, shell keywords (`then`, `do`,
/// `{`, `!`, ...) and wrappers with their options (`env -i`, `sudo -u root`,
/// `timeout 10`, `nice -n 5`, `command`, `exec`, `xargs`, ...).
fn strip_prefix_words(words: &[String]) -> &[String] {
    const KEYWORDS: &[&str] = &[
        "then", "do", "else", "elif", "if", "while", "until", "{", "}", "!", "time",
    ];
    const WRAPPERS: &[&str] = &[
        "env", "sudo", "doas", "command", "nohup", "exec", "xargs", "timeout", "nice", "ionice",
        "stdbuf", "chronic", "unbuffer", "eval", "builtin",
    ];
    /// Wrapper options that take the next word as their value.
    const WITH_VALUE: &[&str] = &[
        "-u", "-g", "-n", "-s", "-k", "-C", "-c", "-p", "-o", "-e", "-i", "-L", "-P",
    ];
    let mut i = 0;
    let mut in_wrapper = false;
    while i < words.len() {
        let w = words[i].as_str();
        let assignment = w.contains('=')
            && !w.starts_with('-')
            && w.split('=').next().is_some_and(|n| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
        if assignment || KEYWORDS.contains(&w) {
            i += 1;
        } else if WRAPPERS.contains(&w) {
            in_wrapper = true;
            i += 1;
        } else if in_wrapper && w.starts_with('-') {
            // `timeout -s KILL 10`, `sudo -u root`, `nice -n 5`: skip the value too.
            i += if WITH_VALUE.contains(&w) && w != "-i" {
                2
            } else {
                1
            };
        } else if in_wrapper && w.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            i += 1; // `timeout 10`
        } else {
            break;
        }
    }
    &words[i..]
}

fn git_op(args: &[String], cwd: &std::path::Path) -> Option<GitOp> {
    let mut dir = cwd.to_path_buf();
    let mut i = 0;
    // Global options before the subcommand.
    while i < args.len() && args[i].starts_with('-') {
        let a = &args[i];
        if a == "-C" {
            dir = dir.join(expand_home(args.get(i + 1)?));
            i += 2;
        } else if let Some(d) = a.strip_prefix("-C") {
            dir = dir.join(expand_home(d));
            i += 1;
        } else if GIT_OPTS_WITH_VALUE.contains(&a.as_str()) {
            i += 2;
        } else {
            i += 1;
        }
    }
    let sub = args.get(i)?;
    let rest = &args[i + 1..];
    match sub.as_str() {
        "add" | "stage" => Some(GitOp::Add {
            dir,
            args: rest.to_vec(),
        }),
        "commit" => Some(commit_op(dir, rest)),
        "push" => Some(push_op(dir, rest)),
        _ => None,
    }
}

fn commit_op(dir: PathBuf, args: &[String]) -> GitOp {
    let mut all = false;
    let mut paths = Vec::new();
    let mut i = 0;
    let mut after_dashdash = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if after_dashdash {
            paths.push(a.clone());
        } else if a == "--" {
            after_dashdash = true;
        } else if let Some(file) = a.strip_prefix("--pathspec-from-file=") {
            paths.push(format!("--pathspec-from-file={file}"));
        } else if a == "--pathspec-from-file" {
            if let Some(file) = args.get(i) {
                paths.push(format!("--pathspec-from-file={file}"));
            }
            i += 1;
        } else if a == "--all" || a == "--include" || a == "--only" {
            all |= a == "--all";
        } else if COMMIT_OPTS_WITH_VALUE.contains(&a.as_str()) {
            i += 1;
        } else if a.starts_with("--") {
            // --message=..., --no-verify, --amend, ...
        } else if let Some(bundle) = a.strip_prefix('-') {
            for (k, b) in bundle.bytes().enumerate() {
                if b == b'a' {
                    all = true;
                }
                if COMMIT_SHORT_WITH_VALUE.contains(&b) {
                    // The value is the rest of the bundle, or the next word.
                    if k + 1 == bundle.len() {
                        i += 1;
                    }
                    break;
                }
            }
        } else {
            paths.push(a.clone());
        }
    }
    GitOp::Commit { dir, all, paths }
}

fn push_op(dir: PathBuf, args: &[String]) -> GitOp {
    let mut positional = Vec::new();
    let mut all = false;
    let mut tags = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--all" || a == "--mirror" || a == "--branches" {
            all = true;
            tags |= a == "--mirror";
        } else if a == "--tags" || a == "--follow-tags" {
            tags = true;
        } else if PUSH_OPTS_WITH_VALUE.contains(&a.as_str()) {
            i += 1;
        } else if !a.starts_with('-') {
            positional.push(a.clone());
        }
    }
    let mut positional = positional.into_iter();
    GitOp::Push {
        dir,
        remote: positional.next(),
        refspecs: positional.collect(),
        all,
        tags,
    }
}

/// Splits a command line into simple commands (at `;`, `&&`, `||`, `|`,
/// `&`, newlines and `$(`/backtick boundaries), each as unquoted words.
pub fn simple_commands(line: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars.peek() == Some(&'<') => {
                chars.next();
                if chars.peek() == Some(&'<') {
                    chars.next(); // here-string `<<<`: its word is data, read as a word
                    continue;
                }
                let strip = chars.peek() == Some(&'-');
                if strip {
                    chars.next();
                }
                while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                    chars.next();
                }
                let mut delim = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '<' | '>' | ')') {
                        break;
                    }
                    if c != '\'' && c != '"' && c != '\\' {
                        delim.push(c);
                    }
                    chars.next();
                }
                if !delim.is_empty() {
                    heredocs.push((delim, strip));
                }
            }
            '\n' if !heredocs.is_empty() => {
                // Skip the here-document bodies: they are data, not commands.
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
                for (delim, strip) in heredocs.drain(..) {
                    loop {
                        let line: String = chars.by_ref().take_while(|c| *c != '\n').collect();
                        let line = if strip {
                            line.trim_start_matches('\t')
                        } else {
                            line.as_str()
                        };
                        if line == delim || chars.peek().is_none() {
                            break;
                        }
                    }
                }
            }
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        _ => word.push(c),
                    }
                }
            }
            '\\' => {
                if let Some(n) = chars.next()
                    && n != '\n'
                {
                    word.push(n);
                    in_word = true;
                }
            }
            ';' | '&' | '|' | '\n' | '(' | ')' | '`' => {
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn ops(line: &str) -> Vec<GitOp> {
        git_ops(line, Path::new("/repo"))
    }

    #[test]
    fn commit_forms() {
        for (line, all) in [
            ("git commit -m 'x'", false),
            ("git commit -am 'add config'", true),
            ("git commit --no-verify -a -m x", true),
            ("git commit -n -m \"a -a b\"", false),
            ("git commit -qam wip", true),
            ("git commit --message=\"-a\"", false),
        ] {
            match &ops(line)[..] {
                [GitOp::Commit { all: a, .. }] => assert_eq!(*a, all, "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn compound_lines_and_directories() {
        let got = ops("cd app && git add -A && git -C sub commit -m wip --no-verify; echo done");
        assert_eq!(
            got,
            vec![
                GitOp::Add {
                    dir: "/repo/app".into(),
                    args: vec!["-A".into()]
                },
                GitOp::Commit {
                    dir: "/repo/app/sub".into(),
                    all: false,
                    paths: vec![]
                },
            ]
        );
        let got = ops("GIT_AUTHOR_NAME=x git commit -m m -- secrets.env");
        assert_eq!(
            got,
            vec![GitOp::Commit {
                dir: "/repo".into(),
                all: false,
                paths: vec!["secrets.env".into()]
            }]
        );
        assert_eq!(ops("bash -c 'git commit -am x'").len(), 1);
        assert!(ops("echo git commit -am x").is_empty());
        assert!(ops("git log --oneline | grep commit").is_empty());
    }

    #[test]
    fn wrappers_keywords_heredocs() {
        for line in [
            "if true; then git commit -am x; fi",
            "for i in 1; do git commit -am x; done",
            "{ git commit -am x; }",
            "timeout 10 git commit -am x",
            "sudo -u root git commit -am x",
            "env -i PATH=/bin git commit -am x",
            "nice -n 5 git commit -am x",
            "bash -ec \"git commit -am x\"",
            "git commit -S -am x",
            "cat > /tmp/msg <<'EOF'\nDon't panic\nEOF\ngit commit -aF /tmp/msg",
        ] {
            match &ops(line)[..] {
                [GitOp::Commit { all: true, .. }] => {}
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn push_forms() {
        assert_eq!(
            ops("git push --force-with-lease origin feature:main --no-verify"),
            vec![GitOp::Push {
                dir: "/repo".into(),
                remote: Some("origin".into()),
                refspecs: vec!["feature:main".into()],
                all: false,
                tags: false
            }]
        );
        assert_eq!(
            ops("git push"),
            vec![GitOp::Push {
                dir: "/repo".into(),
                remote: None,
                refspecs: vec![],
                all: false,
                tags: false
            }]
        );
        match &ops("git -c push.default=current push -u --all")[..] {
            [
                GitOp::Push {
                    all: true,
                    remote: None,
                    ..
                },
            ] => {}
            other => panic!("{other:?}"),
        }
    }
}
