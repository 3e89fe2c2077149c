//! The git shield end to end: real repositories in temporary directories, hooks
//! installed by `leakshield install`, real `git commit` and `git push` to a
//! local bare remote, results compared with the git CLI.
//!
//! Secrets are generated at run time from parts, so this file holds none.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_leakshield");
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static SEED: AtomicU32 = AtomicU32::new(1);

/// Pseudo-random characters from `alphabet` (xorshift; distinct per call).
fn random(alphabet: &[u8], len: usize) -> String {
    let mut x = SEED
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_mul(2_654_435_761)
        | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            alphabet[(x % alphabet.len() as u32) as usize] as char
        })
        .collect()
}

/// A GitHub classic token with a valid checksum, which the built-in rules block.
fn token() -> String {
    let body = random(BASE62, 30);
    let mut n = crc32fast::hash(body.as_bytes());
    let mut check = [b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    format!("{}{}{body}{}", "gh", "p_", String::from_utf8_lossy(&check))
}

/// A fake RSA private key block (random body).
fn pem_key() -> String {
    let b64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let kind = "RSA PRIVATE KEY";
    let mut out = format!("-----{} {kind}-----\n", "BEGIN");
    for _ in 0..20 {
        out.push_str(&random(b64, 64));
        out.push('\n');
    }
    out.push_str(&random(b64, 24));
    out.push_str(&format!("==\n-----{} {kind}-----\n", "END"));
    out
}

/// An isolated home, git config and PATH (with the built binary first).
struct Env {
    root: TempDir,
}

impl Env {
    fn new() -> Env {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n\
             [commit]\n\tgpgsign = false\n[core]\n\tautocrlf = false\n",
        )
        .unwrap();
        Env { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        let bin_dir = Path::new(BIN).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let home = self.path("home");
        cmd.current_dir(dir)
            .env("PATH", path)
            .env("HOME", &home)
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_CEILING_DIRECTORIES",
            "LEAKSHIELD_BIN",
            "PRE_COMMIT_FROM_REF",
            "PRE_COMMIT_TO_REF",
            "PRE_COMMIT_REMOTE_NAME",
        ] {
            cmd.env_remove(var);
        }
        cmd
    }

    fn git(&self, dir: &Path, args: &[&str]) -> Output {
        self.command("git", dir).args(args).output().unwrap()
    }

    /// Runs git and insists it succeeds; returns stdout.
    fn git_ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git(dir, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn leakshield(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(BIN, dir).args(args).output().unwrap()
    }

    /// A new repository named `name`, optionally with hooks installed.
    fn repo(&self, name: &str, hooks: bool) -> PathBuf {
        let dir = self.path(name);
        std::fs::create_dir_all(&dir).unwrap();
        self.git_ok(&dir, &["init", "-q"]);
        if hooks {
            let out = self.leakshield(&dir, &["install"]);
            assert!(
                out.status.success(),
                "install failed: {}",
                text(&out.stderr)
            );
        }
        dir
    }

    /// A bare repository to push to, added as remote `origin` of `repo`.
    fn remote(&self, repo: &Path) -> PathBuf {
        let remote = self.path("remote.git");
        self.git_ok(
            self.root.path(),
            &["init", "-q", "--bare", remote.to_str().unwrap()],
        );
        self.git_ok(repo, &["remote", "add", "origin", remote.to_str().unwrap()]);
        remote
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

fn findings(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        )
    });
    v["findings"].as_array().unwrap().clone()
}

fn commit_all(env: &Env, repo: &Path, msg: &str, verify: bool) -> Output {
    env.git_ok(repo, &["add", "-A"]);
    let mut args = vec!["commit", "-q", "-m", msg];
    if !verify {
        args.push("--no-verify");
    }
    env.git(repo, &args)
}

fn head(env: &Env, repo: &Path) -> String {
    env.git_ok(repo, &["rev-parse", "HEAD"]).trim().to_string()
}

#[test]
fn first_commit_with_a_secret_is_blocked_without_printing_it() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    let secret = token();
    write(
        &repo,
        "src/app.py",
        format!("import os\n\nTOKEN = \"{secret}\"\n"),
    );
    let out = commit_all(&env, &repo, "first", true);
    assert!(!out.status.success(), "commit should be blocked");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("src/app.py:3"),
        "names file and line: {stderr}"
    );
    assert!(stderr.contains("github"), "names the rule: {stderr}");
    assert!(
        !stderr.contains(&secret),
        "must not print the secret: {stderr}"
    );
    assert!(stderr.contains("rotate"), "{stderr}");
    assert!(stderr.contains("leakshield:allow"), "{stderr}");
    assert!(stderr.contains("--no-verify"), "{stderr}");
    assert!(
        !env.git(&repo, &["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success(),
        "nothing committed"
    );
}

#[test]
fn clean_commit_with_a_binary_file_passes() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    // A token inside a binary blob is not scanned (binary files are skipped).
    let mut blob = vec![0u8, 1, 2, 3, 0, 255];
    blob.extend_from_slice(token().as_bytes());
    write(&repo, "logo.bin", &blob);
    write(&repo, "README.md", "hello\n");
    let out = commit_all(&env, &repo, "clean", true);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn an_old_secret_on_an_unchanged_line_does_not_block() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    write(
        &repo,
        "config.py",
        format!("a = 1\nkey = \"{}\"\nb = 2\n", token()),
    );
    assert!(
        commit_all(&env, &repo, "old secret", false)
            .status
            .success()
    );
    // Only line 1 differs from HEAD; the secret on line 2 is old.
    let old = env.git_ok(&repo, &["show", "HEAD:config.py"]);
    write(&repo, "config.py", old.replacen("a = 1\n", "a = 10\n", 1));
    let out = commit_all(&env, &repo, "edit another line", true);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_staged_secret_removed_only_from_the_worktree_still_blocks() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    write(&repo, "README.md", "hello\n");
    assert!(commit_all(&env, &repo, "init", true).status.success());
    write(&repo, "settings.env", format!("GITHUB_TOKEN={}\n", token()));
    env.git_ok(&repo, &["add", "settings.env"]);
    write(&repo, "settings.env", "GITHUB_TOKEN=\n");
    let out = env.git(&repo, &["commit", "-q", "-m", "sneaky"]);
    assert!(!out.status.success(), "the index holds the secret");
    assert!(
        text(&out.stderr).contains("settings.env:1"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_push_of_commits_that_add_a_secret_is_blocked() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    let remote = env.remote(&repo);
    write(&repo, "README.md", "hello\n");
    assert!(commit_all(&env, &repo, "init", true).status.success());
    env.git_ok(&repo, &["push", "-q", "origin", "main"]);
    let before = env.git_ok(&remote, &["rev-parse", "refs/heads/main"]);

    let secret = token();
    write(
        &repo,
        "deploy.sh",
        format!("#!/bin/sh\ncurl -H 'Authorization: token {secret}' x\n"),
    );
    assert!(
        commit_all(&env, &repo, "add secret", false)
            .status
            .success()
    );
    write(&repo, "README.md", "hello\nworld\n");
    assert!(commit_all(&env, &repo, "more", false).status.success());

    let out = env.git(&repo, &["push", "origin", "main"]);
    assert!(!out.status.success(), "push should be blocked");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("deploy.sh:2"), "{stderr}");
    assert!(!stderr.contains(&secret), "{stderr}");
    assert_eq!(
        env.git_ok(&remote, &["rev-parse", "refs/heads/main"]),
        before,
        "remote ref must not move"
    );

    // A new branch with the same commits is blocked too.
    let out = env.git(&repo, &["push", "origin", "main:refs/heads/other"]);
    assert!(!out.status.success(), "new branch push should be blocked");
    assert!(
        !env.git(
            &remote,
            &["rev-parse", "--verify", "-q", "refs/heads/other"]
        )
        .status
        .success()
    );

    // Deleting a branch scans nothing.
    env.git_ok(
        &repo,
        &[
            "push",
            "-q",
            "--no-verify",
            "origin",
            "main:refs/heads/gone",
        ],
    );
    let out = env.git(&repo, &["push", "origin", ":refs/heads/gone"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_clean_new_branch_pushes_even_on_top_of_published_secrets() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    let remote = env.remote(&repo);
    write(&repo, "old.txt", format!("token {}\n", token()));
    assert!(
        commit_all(&env, &repo, "old secret", false)
            .status
            .success()
    );
    env.git_ok(&repo, &["push", "-q", "--no-verify", "origin", "main"]);

    env.git_ok(&repo, &["checkout", "-q", "-b", "feature"]);
    write(&repo, "feature.txt", "clean work\n");
    assert!(commit_all(&env, &repo, "feature", true).status.success());
    let out = env.git(&repo, &["push", "origin", "feature"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        env.git_ok(&remote, &["rev-parse", "refs/heads/feature"]),
        env.git_ok(&repo, &["rev-parse", "HEAD"])
    );

    // A force push scans only what the old remote tip lacks.
    write(&repo, "feature.txt", "reworked\n");
    env.git_ok(&repo, &["add", "-A"]);
    env.git_ok(&repo, &["commit", "-q", "--amend", "-m", "feature v2"]);
    let out = env.git(&repo, &["push", "-f", "origin", "feature"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn diff_range_json_reports_path_line_and_commit_like_git() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    write(&repo, "a.txt", "one\ntwo\n");
    commit_all(&env, &repo, "base", false);
    let base = head(&env, &repo);
    let first = token();
    write(&repo, "a.txt", format!("one\ntwo\nsecret = \"{first}\"\n"));
    commit_all(&env, &repo, "add first", false);
    let second = token();
    write(
        &repo,
        "dir/b.yml",
        format!("x: 1\ny: 2\n\ntoken: {second}\n"),
    );
    write(
        &repo,
        "a.txt",
        format!("zero\none\ntwo\nsecret = \"{first}\"\n"),
    );
    commit_all(&env, &repo, "add second", false);

    let out = env.leakshield(
        &repo,
        &["diff", &format!("{base}..HEAD"), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "each secret once: {found:#?}");
    for f in &found {
        let path = f["path"].as_str().unwrap();
        let line = f["line"].as_u64().unwrap();
        let commit = f["commit"].as_str().unwrap();
        assert!(
            f["secret"].as_str().unwrap().ends_with('…'),
            "masked by default"
        );
        // git blame at that commit names it as the one that added the line.
        let range = format!("{line},{line}");
        let blame = env.git_ok(
            &repo,
            &["blame", "--porcelain", "-L", &range, commit, "--", path],
        );
        assert_eq!(
            blame.split_whitespace().next().unwrap(),
            commit,
            "{path}:{line}"
        );
    }
    let paths: Vec<&str> = found.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a.txt", "dir/b.yml"]);
    assert_eq!(found[0]["line"], 3);
    assert_eq!(found[1]["line"], 4);

    // A single revision means that commit alone; the staged diff has no commit.
    let out = env.leakshield(&repo, &["diff", "HEAD", "--format", "json"]);
    let found = findings(&out);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["path"], "dir/b.yml");
    write(&repo, "c.txt", format!("k={}\n", token()));
    env.git_ok(&repo, &["add", "c.txt"]);
    let found = findings(&env.leakshield(&repo, &["diff", "--staged", "--format", "json"]));
    assert_eq!(found.len(), 1);
    assert!(found[0]["commit"].is_null());
}

#[test]
fn a_pem_private_key_added_as_a_block_is_found() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    write(&repo, "notes.md", "# notes\n");
    commit_all(&env, &repo, "init", false);
    write(
        &repo,
        "notes.md",
        format!("# notes\n\nkey:\n{}\nend\n", pem_key()),
    );
    env.git_ok(&repo, &["add", "-A"]);
    let out = env.leakshield(&repo, &["diff", "--staged", "--format", "json"]);
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["rule_id"]
            .as_str()
            .unwrap()
            .contains("private-key")
    );
    assert_eq!(found[0]["line"], 4);
}

#[test]
fn crlf_files_work() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    let secret = token();
    write(
        &repo,
        "win.ini",
        format!("[a]\r\ntoken={secret}\r\nx=1\r\n"),
    );
    env.git_ok(&repo, &["add", "-A"]);
    let found = findings(&env.leakshield(&repo, &["diff", "--staged", "--format", "json"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["line"], 2);
    commit_all(&env, &repo, "crlf", false);
    write(
        &repo,
        "win.ini",
        format!("[a]\r\ntoken={secret}\r\nx=2\r\n"),
    );
    env.git_ok(&repo, &["add", "-A"]);
    let out = env.leakshield(&repo, &["diff", "--staged", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&out).is_empty());
}

#[test]
fn renames_add_nothing_and_edits_of_renamed_files_only_their_lines() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    let mut body = String::new();
    for i in 0..20 {
        body.push_str(&format!("line {i}\n"));
    }
    body.push_str(&format!("token = \"{}\"\n", token()));
    write(&repo, "old/name.py", &body);
    commit_all(&env, &repo, "secret", false);
    env.git_ok(&repo, &["mv", "old", "new"]);
    commit_all(&env, &repo, "rename only", false);
    let out = env.leakshield(&repo, &["diff", "HEAD", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(findings(&out).is_empty());

    env.git_ok(&repo, &["mv", "new/name.py", "moved.py"]);
    write(&repo, "moved.py", body.replace("line 3\n", "line three\n"));
    env.git_ok(&repo, &["add", "-A"]);
    let out = env.leakshield(&repo, &["diff", "--staged", "--format", "json"]);
    assert!(
        findings(&out).is_empty(),
        "a renamed file with an edit reports only its edits"
    );
    // Deleting the file adds nothing either.
    commit_all(&env, &repo, "move and edit", false);
    env.git_ok(&repo, &["rm", "-q", "moved.py"]);
    commit_all(&env, &repo, "delete", false);
    assert!(findings(&env.leakshield(&repo, &["diff", "HEAD", "--format", "json"])).is_empty());
}

#[test]
fn history_attributes_each_secret_to_the_commit_that_added_it() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    write(&repo, "a.txt", format!("x\nkey = \"{}\"\n", token()));
    commit_all(&env, &repo, "a", false);
    let a = head(&env, &repo);
    write(
        &repo,
        "a.txt",
        env.git_ok(&repo, &["show", "HEAD:a.txt"]) + "more\n",
    );
    commit_all(&env, &repo, "edit", false);
    env.git_ok(&repo, &["checkout", "-q", "-b", "side"]);
    write(&repo, "side.txt", format!("key = \"{}\"\n", token()));
    commit_all(&env, &repo, "side secret", false);
    let side = head(&env, &repo);
    env.git_ok(&repo, &["checkout", "-q", "main"]);
    write(&repo, "main.txt", "main work\n");
    commit_all(&env, &repo, "main work", false);
    env.git_ok(&repo, &["merge", "-q", "--no-edit", "side"]);
    // Copying the blob to another path is a new occurrence.
    std::fs::copy(repo.join("side.txt"), repo.join("copy.txt")).unwrap();
    write(&repo, "side.txt", "");
    commit_all(&env, &repo, "copy", false);
    let copy = head(&env, &repo);

    let out = env.leakshield(&repo, &["history", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = findings(&out);
    let got: Vec<(String, String)> = found
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["commit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.txt".to_string(), a),
            ("copy.txt".to_string(), copy),
            ("side.txt".to_string(), side)
        ]
    );
    let all = findings(&env.leakshield(&repo, &["history", "--all", "--format", "json"]));
    assert_eq!(all.len(), 3);
}

#[test]
fn submodules_and_lfs_pointers_add_nothing() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    let fake = "0123456789abcdef0123456789abcdef01234567";
    env.git_ok(
        &repo,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{fake},vendor/lib"),
        ],
    );
    write(
        &repo,
        "big.psd",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    env.git_ok(&repo, &["add", "big.psd"]);
    let out = env.leakshield(&repo, &["diff", "--staged", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(findings(&out).is_empty());
}

#[test]
fn install_is_idempotent_and_chains_and_restores_an_existing_hook() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    let hooks = repo.join(".git/hooks");
    let theirs = "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/chained-ran\"\nexit ${CHAINED_EXIT:-0}\n";
    write(&hooks, "pre-commit", theirs);
    let push_hook = "#!/bin/sh\ncat > \"$(git rev-parse --git-dir)/push-stdin\"\n";
    write(&hooks, "pre-push", push_hook);
    for h in ["pre-commit", "pre-push"] {
        make_executable(&hooks.join(h));
    }
    for _ in 0..2 {
        let out = env.leakshield(&repo, &["install"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let ours =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit"))
            .unwrap();
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        ours,
        "writes hooks/pre-commit verbatim"
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.leakshield-chained")).unwrap(),
        theirs
    );
    assert!(
        !hooks
            .join("pre-commit.leakshield-chained.leakshield-chained")
            .exists()
    );

    write(&repo, "a.txt", "clean\n");
    assert!(commit_all(&env, &repo, "clean", true).status.success());
    assert!(
        repo.join(".git/chained-ran").exists(),
        "the chained hook ran"
    );
    // The chained hook failing blocks the commit.
    write(&repo, "a.txt", "clean 2\n");
    env.git_ok(&repo, &["add", "-A"]);
    let out = env
        .command("git", &repo)
        .args(["commit", "-q", "-m", "x"])
        .env("CHAINED_EXIT", "3")
        .output()
        .unwrap();
    assert!(!out.status.success());
    // Our check still runs after a passing chained hook.
    write(&repo, "b.txt", format!("t={}\n", token()));
    assert!(!commit_all(&env, &repo, "secret", true).status.success());
    env.git_ok(&repo, &["reset", "-q", "b.txt"]);
    std::fs::remove_file(repo.join("b.txt")).unwrap();

    // The chained pre-push hook gets the same stdin as ours.
    env.remote(&repo);
    env.git_ok(&repo, &["commit", "-q", "-m", "y"]);
    let out = env.git(&repo, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let seen = std::fs::read_to_string(repo.join(".git/push-stdin")).unwrap();
    assert!(seen.starts_with("refs/heads/main "), "{seen}");

    let out = env.leakshield(&repo, &["uninstall"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        theirs
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push")).unwrap(),
        push_hook
    );
    assert!(!hooks.join("pre-commit.leakshield-chained").exists());
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn core_hooks_path_and_worktrees_are_respected() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    env.git_ok(&repo, &["config", "core.hooksPath", ".githooks"]);
    let out = env.leakshield(&repo, &["install", "--pre-commit"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(repo.join(".githooks/pre-commit").exists());
    assert!(
        !repo.join(".githooks/pre-push").exists(),
        "only the hook asked for"
    );
    assert!(!repo.join(".git/hooks/pre-commit").exists());
    write(&repo, "k.txt", format!("k={}\n", token()));
    assert!(!commit_all(&env, &repo, "secret", true).status.success());

    // From a linked worktree, hooks go to the common git directory.
    let other = env.repo("other", false);
    write(&other, "a.txt", "a\n");
    commit_all(&env, &other, "init", false);
    let wt = env.path("wt");
    env.git_ok(&other, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    let out = env.leakshield(&wt, &["install"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(other.join(".git/hooks/pre-commit").exists());
    write(&wt, "k.txt", format!("k={}\n", token()));
    assert!(
        !commit_all(&env, &wt, "secret in worktree", true)
            .status
            .success()
    );
}

#[test]
fn a_hook_that_cannot_check_fails_closed() {
    let env = Env::new();
    // Not a repository at all.
    let plain = env.path("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out = env.leakshield(&plain, &["hook", "pre-commit"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("fail closed"),
        "{}",
        text(&out.stderr)
    );

    // A bad config blocks the commit...
    let repo = env.repo("repo", true);
    write(
        &repo,
        ".leakshield.toml",
        "[[rule]]\nid = \"broken\"\nregex = '(unclosed'\n",
    );
    write(&repo, "a.txt", "clean\n");
    env.git_ok(&repo, &["add", "a.txt"]);
    let out = env.git(&repo, &["commit", "-q", "-m", "x"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("fail closed"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        env.leakshield(&repo, &["hook", "pre-commit"]).status.code(),
        Some(2)
    );
    // ...unless the config says to fail open.
    write(
        &repo,
        ".leakshield.toml",
        "[hooks]\nfail_open = true\n[[rule]]\nid = \"broken\"\nregex = '(unclosed'\n",
    );
    let out = env.leakshield(&repo, &["hook", "pre-commit"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::remove_file(repo.join(".leakshield.toml")).unwrap();

    // A corrupt repository (HEAD's tree object is gone) blocks with exit 2.
    commit_all(&env, &repo, "x", false);
    let tree = env.git_ok(&repo, &["rev-parse", "HEAD^{tree}"]);
    let tree = tree.trim();
    std::fs::remove_file(repo.join(".git/objects").join(&tree[..2]).join(&tree[2..])).unwrap();
    write(&repo, "b.txt", "b\n");
    env.git_ok(&repo, &["add", "b.txt"]);
    let out = env.leakshield(&repo, &["hook", "pre-commit"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("fail closed"));

    // A hook that cannot find the binary blocks too.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit");
    let out = env
        .command("sh", &repo)
        .arg(&script)
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", env.path("nowhere"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot find the leakshield binary"));
}

#[test]
fn pre_push_honours_the_pre_commit_framework_range() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    write(&repo, "a.txt", "a\n");
    commit_all(&env, &repo, "a", false);
    let from = head(&env, &repo);
    write(&repo, "b.txt", format!("t = \"{}\"\n", token()));
    commit_all(&env, &repo, "b", false);
    let to = head(&env, &repo);
    let run = |from: &str, to: &str| {
        env.command(BIN, &repo)
            .args(["hook", "pre-push"])
            .env("PRE_COMMIT_FROM_REF", from)
            .env("PRE_COMMIT_TO_REF", to)
            .output()
            .unwrap()
    };
    let out = run(&from, &to);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("b.txt:1"));
    assert_eq!(run(&to, &to).status.code(), Some(0));
}

#[test]
fn pre_receive_rejects_pushed_secrets_in_the_quarantine() {
    let env = Env::new();
    let server = env.path("server.git");
    env.git_ok(
        env.root.path(),
        &["init", "-q", "--bare", server.to_str().unwrap()],
    );
    write(
        &server,
        "hooks/pre-receive",
        "#!/bin/sh\nexec leakshield hook pre-receive\n",
    );
    make_executable(&server.join("hooks/pre-receive"));
    let repo = env.repo("repo", false);
    env.git_ok(
        &repo,
        &["remote", "add", "origin", server.to_str().unwrap()],
    );
    write(&repo, "a.txt", "clean\n");
    commit_all(&env, &repo, "clean", false);
    let out = env.git(&repo, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    write(&repo, "b.txt", format!("t = \"{}\"\n", token()));
    commit_all(&env, &repo, "secret", false);
    let out = env.git(&repo, &["push", "origin", "main"]);
    assert!(!out.status.success(), "server must reject");
    assert!(
        text(&out.stderr).contains("b.txt:1"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        env.git_ok(&server, &["rev-parse", "main"]),
        env.git_ok(&repo, &["rev-parse", "HEAD~1"]),
        "server ref unchanged"
    );
}

#[test]
fn commit_dash_a_and_partial_commits_check_what_git_records() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    write(&repo, "a.txt", "a\n");
    write(&repo, "b.txt", "b\n");
    assert!(commit_all(&env, &repo, "init", true).status.success());
    // Not staged, but `commit -a` records it (git passes a temporary index).
    write(&repo, "a.txt", format!("a\nt = \"{}\"\n", token()));
    let out = env.git(&repo, &["commit", "-q", "-a", "-m", "all"]);
    assert!(!out.status.success(), "commit -a must be blocked");
    assert!(
        text(&out.stderr).contains("a.txt:2"),
        "{}",
        text(&out.stderr)
    );
    // `git commit b.txt` records only b.txt: the secret in a.txt stays out.
    write(&repo, "b.txt", "b\nclean\n");
    let out = env.git(&repo, &["commit", "-q", "-m", "only b", "b.txt"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env.git(&repo, &["commit", "-q", "-m", "only a", "a.txt"]);
    assert!(
        !out.status.success(),
        "a partial commit of the secret is blocked"
    );
}

#[test]
fn pre_push_to_a_url_without_tracking_refs() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    let remote = env.path("remote.git");
    env.git_ok(
        env.root.path(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    let url = remote.to_str().unwrap();
    write(&repo, "a.txt", "a\n");
    assert!(commit_all(&env, &repo, "clean", true).status.success());
    let out = env.git(&repo, &["push", "-q", url, "main"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    write(&repo, "b.txt", format!("t = \"{}\"\n", token()));
    assert!(commit_all(&env, &repo, "secret", false).status.success());
    let out = env.git(&repo, &["push", url, "main"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("b.txt:1"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn concluding_a_merge_does_not_rescan_the_merged_branch() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    write(&repo, "a.txt", "base\n");
    assert!(commit_all(&env, &repo, "base", true).status.success());
    env.git_ok(&repo, &["checkout", "-q", "-b", "side"]);
    write(&repo, "a.txt", "side\n");
    write(&repo, "s.txt", format!("t = \"{}\"\n", token()));
    assert!(
        commit_all(&env, &repo, "side with a secret", false)
            .status
            .success()
    );
    env.git_ok(&repo, &["checkout", "-q", "main"]);
    write(&repo, "a.txt", "main\n");
    assert!(commit_all(&env, &repo, "main", true).status.success());
    // A conflicting merge: the commit that concludes it runs the pre-commit hook.
    assert!(!env.git(&repo, &["merge", "-q", "side"]).status.success());
    write(&repo, "a.txt", "resolved\n");
    let out = commit_all(&env, &repo, "merge side", true);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A secret added while resolving is new against both parents: blocked.
    env.git_ok(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    assert!(!env.git(&repo, &["merge", "-q", "side"]).status.success());
    write(&repo, "a.txt", format!("resolved {}\n", token()));
    assert!(!commit_all(&env, &repo, "merge side", true).status.success());
}

#[test]
fn warnings_are_printed_but_do_not_block() {
    let env = Env::new();
    let repo = env.repo("repo", true);
    // A secret-looking value that calls itself fake: reported as a warning.
    write(
        &repo,
        "a.py",
        format!("api_key = \"my-{}-9fK2pL0qZ8vR3xT7wQ\"\n", "fake"),
    );
    let out = commit_all(&env, &repo, "warning only", true);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("not blocking") && stderr.contains("a.py:1"),
        "{stderr}"
    );
}

#[test]
fn shallow_clone_boundaries_count_as_root_commits() {
    let env = Env::new();
    let repo = env.repo("repo", false);
    write(&repo, "a.txt", format!("t = \"{}\"\n", token()));
    commit_all(&env, &repo, "secret", false);
    write(&repo, "b.txt", "b\n");
    commit_all(&env, &repo, "clean", false);
    let url = format!("file://{}", repo.display());
    let clone = env.path("clone");
    env.git_ok(
        env.root.path(),
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );
    let out = env.leakshield(&clone, &["history", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found = findings(&out);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["commit"].as_str().unwrap(), head(&env, &clone));
}

#[test]
fn history_over_a_repository_list_shards_cover_each_repository_once() {
    let env = Env::new();
    let mut list = String::from("# fleet manifest\n\n");
    for name in ["alpha", "beta", "gamma", "delta", "epsilon"] {
        let repo = env.repo(name, false);
        write(&repo, "app.env", format!("key = \"{}\"\n", token()));
        commit_all(&env, &repo, "add", false);
        list.push_str(&format!("{}\n", repo.display()));
    }
    let manifest = env.path("repos.txt");
    std::fs::write(&manifest, &list).unwrap();
    let manifest = manifest.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["history", "--repos", manifest, "--format", "json"];
        args.extend_from_slice(extra);
        let out = env.leakshield(&env.path(""), &args);
        let found = findings(&out);
        let expected = if found.is_empty() { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(expected), "{}", text(&out.stderr));
        let mut got: Vec<(String, String)> = found
            .iter()
            .map(|f| {
                (
                    f["repository"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        got.sort();
        got
    };
    let all = run(&[]);
    assert_eq!(all.len(), 5, "{all:?}");
    let mut union = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        union.extend(run(&["--shard", shard]));
    }
    union.sort();
    assert_eq!(union, all);

    // SARIF results say which repository they come from.
    let out = env.leakshield(
        &env.path(""),
        &["history", "--repos", manifest, "--format", "sarif"],
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut repos: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["repository"].as_str().unwrap().to_string())
        .collect();
    repos.sort();
    let mut want: Vec<String> = all.iter().map(|(r, _)| r.clone()).collect();
    want.sort();
    assert_eq!(repos, want);

    // A repository that cannot be read fails the run (exit 2) after the
    // others' findings are written.
    std::fs::write(env.path("repos.txt"), format!("{list}/nonexistent/repo\n")).unwrap();
    let out = env.leakshield(
        &env.path(""),
        &["history", "--repos", manifest, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(findings(&out).len(), 5);
    assert!(
        text(&out.stderr).contains("/nonexistent/repo"),
        "{}",
        text(&out.stderr)
    );
}

/// A history of `commits` commits made with `git fast-import`: each edits one
/// of 20 files, and every 50th adds a GitHub token. Returns the tokens.
fn fast_import_history(env: &Env, repo: &Path, commits: usize) -> Vec<String> {
    use std::io::Write;
    let mut stream = Vec::new();
    let mut files = vec![String::new(); 20];
    let mut tokens = Vec::new();
    for n in 0..commits {
        let f = n % files.len();
        if n % 50 == 49 {
            let t = token();
            files[f].push_str(&format!("key = \"{t}\"\n"));
            tokens.push(t);
        } else {
            files[f].push_str(&format!("line {n} of f{f}\n"));
        }
        let data = &files[f];
        let parent = if n == 0 {
            String::new()
        } else {
            format!("from :{n}\n")
        };
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\nmark :{}\ncommitter T <t@example.com> {} +0000\n\
                 data 4\nedit\n{parent}M 100644 inline f{f}.txt\ndata {}\n{data}\n",
                n + 1,
                1_600_000_000 + n,
                data.len()
            )
            .as_bytes(),
        );
    }
    let mut child = env
        .command("git", repo)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&stream).unwrap();
    assert!(child.wait().unwrap().success());
    tokens
}

#[test]
fn renewing_the_object_store_mid_history_loses_no_finding() {
    use leakshield::source::fs::Progress;
    use leakshield::source::git::Repo;
    let env = Env::new();
    let repo = env.repo("long", false);
    let tokens = fast_import_history(&env, &repo, 1500);
    let scanner = leakshield::builtin();
    // With a budget of 0 every check (once a millisecond) renews the store:
    // during the walk, and in each thread of the tree diffs and blob scans.
    let run = |budget: Option<u64>| {
        let mut r = Repo::discover(&repo).unwrap();
        if let Some(bytes) = budget {
            r = r.with_memory_budget(bytes);
        }
        let commits = r.all_history().unwrap();
        let changes = r.commit_changes(&commits).unwrap();
        let scan = r.scan(&scanner, &changes, &Progress::default()).unwrap();
        let found: Vec<(String, usize, Option<String>)> = scan
            .findings
            .iter()
            .map(|f| (f.path.clone(), f.line, f.commit.clone()))
            .collect();
        (commits.len(), changes.len(), found, r.renewals() > 0)
    };
    let renewed = run(Some(0));
    assert!(renewed.3, "no store was renewed");
    assert_eq!(renewed.0, 1500);
    assert_eq!(renewed.2.len(), tokens.len());
    let default = run(None);
    assert!(!default.3, "a small history stays under the default budget");
    assert_eq!(
        (renewed.0, renewed.1, &renewed.2),
        (default.0, default.1, &default.2)
    );
}
