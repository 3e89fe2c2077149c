//! `leakshield agent hook` fed the payloads each coding agent sends, against
//! real git repositories (and a local bare remote for pushes).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn token() -> String {
    // Assembled at run time so this file scans clean.
    format!(
        "{}{}",
        ["gh", "p_"].concat(),
        "Zr4Kp1VwX7nTb2q8Zr9Kp3VwY7nTb5a8Qw2E"
    )
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository with one clean commit pushed to a bare remote.
fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let remote = tmp.path().join("remote.git");
    std::fs::create_dir(&work).unwrap();
    git(tmp.path(), &["init", "-q", "--bare", "remote.git"]);
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["config", "user.email", "t@example.com"]);
    git(&work, &["config", "user.name", "t"]);
    std::fs::write(work.join("app.py"), "print('hello')\n").unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "init"]);
    git(
        &work,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(&work, &["push", "-q", "origin", "main"]);
    (tmp, work)
}

fn hook(agent: &str, payload: &Value) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakshield"))
        .args(["agent", "hook", "--agent", agent])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(payload.to_string().as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn shell(agent: &str, cwd: &Path, command: &str) -> Output {
    let cwd = cwd.to_str().unwrap();
    let payload = match agent {
        "claude" | "codex" => json!({"hook_event_name": "PreToolUse", "tool_name": "Bash",
            "tool_input": {"command": command}, "cwd": cwd, "session_id": "s"}),
        "droid" => json!({"hookEventName": "PreToolUse", "tool_name": "Execute",
            "tool_input": {"command": command, "riskLevel": "low"}, "cwd": cwd}),
        "gemini" => json!({"hook_event_name": "BeforeTool", "tool_name": "run_shell_command",
            "tool_input": {"command": command}, "cwd": cwd, "timestamp": "2026-01-01T00:00:00Z"}),
        _ => json!({"hook_event_name": "beforeShellExecution", "command": command, "cwd": cwd,
            "conversation_id": "c", "workspace_roots": [cwd]}),
    };
    hook(agent, &payload)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn commit_that_adds_a_secret_is_denied_in_every_form() {
    let (_tmp, work) = repo();
    std::fs::write(
        work.join("config.env"),
        format!("GITHUB_TOKEN={}\n", token()),
    )
    .unwrap();
    git(&work, &["add", "config.env"]);
    for (agent, command) in [
        ("claude", "git commit --no-verify -m 'add config'"),
        ("droid", "git commit -n -m wip"),
        ("codex", "cd . && git commit -qm wip"),
        ("gemini", "git -C . commit -m x"),
        ("cursor", "git commit -m x"),
    ] {
        let out = shell(agent, &work, command);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{agent}: {command}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(
            err.contains("config.env:1") && err.contains("github-classic-token"),
            "{err}"
        );
        assert!(!err.contains(&token()), "secret printed");
        if agent == "cursor" {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["permission"], "deny");
        }
    }
}

#[test]
fn unstaged_secret_is_denied_only_when_the_command_adds_it() {
    let (_tmp, work) = repo();
    std::fs::write(
        work.join("app.py"),
        format!("print('hello')\nKEY = '{}'\n", token()),
    )
    .unwrap();
    // Not staged: a plain commit would not record it.
    assert_eq!(
        shell("claude", &work, "git commit -m x").status.code(),
        Some(0)
    );
    for command in [
        "git commit --no-verify -am 'x'",
        "git add -A && git commit -n -m x",
        "git commit -m x app.py",
    ] {
        let out = shell("claude", &work, command);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("app.py:2"));
    }
    // The check left the real index alone.
    let status = Command::new("git")
        .current_dir(&work)
        .args(["diff", "--cached", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success(), "the hook staged something");
}

#[test]
fn clean_commits_and_other_commands_are_allowed() {
    let (_tmp, work) = repo();
    std::fs::write(
        work.join("app.py"),
        "print('hello, world')\npassword = os.environ['DB_PASSWORD']\n",
    )
    .unwrap();
    for agent in ["claude", "droid", "codex", "gemini", "cursor"] {
        let out = shell(agent, &work, "git commit --no-verify -am 'tweak'");
        assert_eq!(out.status.code(), Some(0), "{agent}: {}", stderr(&out));
    }
    assert_eq!(
        shell("claude", &work, "ls -la && cargo test").status.code(),
        Some(0)
    );
}

#[test]
fn push_of_commits_with_a_secret_is_denied() {
    let (_tmp, work) = repo();
    std::fs::write(
        work.join("deploy.sh"),
        format!("export GH_TOKEN={}\n", token()),
    )
    .unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "deploy", "--no-verify"]);
    std::fs::write(work.join("notes.md"), "later commit\n").unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "notes"]);
    for command in [
        "git push",
        "git push --no-verify --force origin main",
        "git push -u origin HEAD:feature",
    ] {
        let out = shell("codex", &work, command);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("deploy.sh:1"));
    }
}

#[test]
fn clean_push_is_allowed() {
    let (_tmp, work) = repo();
    std::fs::write(work.join("notes.md"), "nothing secret\n").unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "notes"]);
    assert_eq!(
        shell("claude", &work, "git push origin main").status.code(),
        Some(0)
    );
}

#[test]
fn prompts_with_a_secret_are_blocked() {
    let prompt = format!("please deploy with {} thanks", token());
    let claude = hook(
        "claude",
        &json!({"hook_event_name": "UserPromptSubmit", "prompt": prompt}),
    );
    assert_eq!(claude.status.code(), Some(2));
    assert!(
        stderr(&claude).contains("github-classic-token") && !stderr(&claude).contains(&token())
    );
    let gemini = hook(
        "gemini",
        &json!({"hook_event_name": "BeforeAgent", "prompt": prompt}),
    );
    assert_eq!(gemini.status.code(), Some(2));
    let cursor = hook(
        "cursor",
        &json!({"hook_event_name": "beforeSubmitPrompt", "prompt": prompt, "conversation_id": "c"}),
    );
    let v: Value = serde_json::from_slice(&cursor.stdout).unwrap();
    assert_eq!(v["continue"], false);
    let clean = hook(
        "claude",
        &json!({"hook_event_name": "UserPromptSubmit", "prompt": "refactor the token parser"}),
    );
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn tool_output_is_redacted_where_the_protocol_allows() {
    let response = json!({"stdout": format!("TOKEN={}\nok\n", token()), "stderr": "", "interrupted": false, "isImage": false});
    let out = hook(
        "claude",
        &json!({"hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": {"command": "cat .env"}, "tool_response": response}),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stdout = v["hookSpecificOutput"]["updatedToolOutput"]["stdout"]
        .as_str()
        .unwrap();
    assert!(
        stdout.starts_with("TOKEN=[REDACTED:github-classic-token:") && stdout.ends_with("\nok\n"),
        "{stdout}"
    );
    let gemini = hook(
        "gemini",
        &json!({"hook_event_name": "AfterTool", "tool_name": "run_shell_command",
        "tool_response": {"llmContent": format!("key {}", token())}}),
    );
    let v: Value = serde_json::from_slice(&gemini.stdout).unwrap();
    assert!(!v.to_string().contains(&token()));
    assert!(
        v["hookSpecificOutput"]["tool_output"]
            .as_str()
            .unwrap()
            .contains("[REDACTED:")
    );
}

#[test]
fn bad_payload_fails_closed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakshield"))
        .args(["agent", "hook", "--agent", "claude"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{not json").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("blocked"));
}

#[test]
fn install_merges_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let existing = json!({"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "prettier"}]}]}});
    std::fs::write(&settings, existing.to_string()).unwrap();
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_leakshield"))
            .current_dir(dir.path())
            .args(["agent", "install", "--agent", "claude"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(v["model"], "opus");
    let pre = v["hooks"]["PreToolUse"].as_array().unwrap();
    assert_eq!(pre.len(), 2, "{pre:?}");
    assert_eq!(pre[0]["hooks"][0]["command"], "prettier");
    assert_eq!(pre[1]["matcher"], "Bash");
    assert_eq!(v["hooks"]["UserPromptSubmit"].as_array().unwrap().len(), 1);

    std::fs::write(&settings, "{ broken").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leakshield"))
        .current_dir(dir.path())
        .args(["agent", "install", "--agent", "claude"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), "{ broken");
}

#[test]
fn forms_the_review_found() {
    let (_tmp, work) = repo();
    // A secret on another branch: `git push --all` publishes it.
    git(&work, &["checkout", "-qb", "feature"]);
    std::fs::write(work.join("ci.env"), format!("TOKEN={}\n", token())).unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "ci", "--no-verify"]);
    git(&work, &["checkout", "-q", "main"]);
    let out = shell("claude", &work, "git push --all origin");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // `git add` in a subdirectory, commit from the top.
    std::fs::create_dir(work.join("sub")).unwrap();
    std::fs::write(work.join("sub/new.txt"), format!("k={}\n", token())).unwrap();
    let out = shell("claude", &work, "git -C sub add new.txt && git commit -m x");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A file the same command line writes.
    let line = format!(
        "echo 'token={}' > new2.txt && git add new2.txt && git commit -m x",
        token()
    );
    assert_eq!(shell("claude", &work, &line).status.code(), Some(2));
    // Signed commits keep `-a`.
    std::fs::write(work.join("app.py"), format!("KEY = '{}'\n", token())).unwrap();
    assert_eq!(
        shell("claude", &work, "git commit -S -am x").status.code(),
        Some(2)
    );
    assert_eq!(
        shell("claude", &work, "if true; then git commit -am x; fi")
            .status
            .code(),
        Some(2)
    );
}
