//! Benchmarks by layer, in bytes/second over generated source code: the
//! keyword prefilter (any hit / every hit), the full scan (prefilter plus
//! confirmation: clean and with a secret every ~100 KB), redaction, rule-set
//! build and compile time, and the staged diff of a real git repository
//! (read the index and the changed blobs, then scan the added lines).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use leakshield::{RuleSet, Scanner};

/// Deterministic xorshift so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const LINES: &[&str] = &[
    "fn handle_request(req: &Request) -> Result<Response, Error> {",
    "    let user = session.current_user().ok_or(Error::Unauthorized)?;",
    "    for (i, item) in items.iter().enumerate() {",
    "        total += item.price * item.quantity as f64;",
    "import { useState, useEffect } from 'react';",
    "const config = require('./config');",
    "def parse_args(argv: list[str]) -> argparse.Namespace:",
    "    return json.dumps({\"status\": \"ok\", \"count\": len(results)})",
    "// TODO: handle the error case when the token has expired",
    "    if (response.status !== 200) { throw new Error(`failed: ${url}`); }",
    "SELECT id, name, created_at FROM users WHERE org_id = $1 ORDER BY name;",
    "  image: nginx:1.25-alpine",
    "    password_field = forms.CharField(widget=forms.PasswordInput)",
    "    let key = cache_key(&path, revision);",
    "}",
    "",
];

/// About `size` bytes of source-like text; with `secret_every`, a fake token
/// line roughly every that many bytes.
fn corpus(size: usize, secret_every: Option<usize>) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(size + 256);
    let mut next_secret = secret_every.unwrap_or(usize::MAX);
    while out.len() < size {
        out.extend_from_slice(rng.pick(LINES).as_bytes());
        out.push(b'\n');
        if out.len() >= next_secret {
            let body: String = (0..36)
                .map(|_| {
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
                        [(rng.next() % 57) as usize] as char
                })
                .collect();
            out.extend_from_slice(format!("GITHUB_TOKEN=gh{}_{body}\n", "p").as_bytes());
            next_secret += secret_every.unwrap_or(usize::MAX);
        }
    }
    out
}

fn engine(c: &mut Criterion) {
    let scanner: Scanner = leakshield::builtin();
    let clean = corpus(8 << 20, None);
    let dirty = corpus(8 << 20, Some(100 << 10));

    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Bytes(clean.len() as u64));
    g.sample_size(20);
    g.bench_function("prefilter-only", |b| {
        b.iter(|| black_box(scanner.may_match(black_box(&clean))))
    });
    let prefilter = leakshield::engine::prefilter::Prefilter::new(scanner.rules());
    g.bench_function("prefilter-all-hits", |b| {
        let mut hits = Vec::new();
        b.iter(|| {
            hits.clear();
            prefilter.hits(black_box(&clean), &mut hits);
            black_box(hits.len())
        })
    });
    g.bench_function("clean", |b| {
        b.iter(|| black_box(scanner.scan(black_box(&clean))))
    });
    g.bench_function("secret-every-100k", |b| {
        b.iter(|| black_box(scanner.scan(black_box(&dirty))))
    });
    let redactor = leakshield::redact::Redactor::new(&scanner, [7; 16]);
    g.bench_function("redact-clean", |b| {
        b.iter(|| black_box(redactor.redact_bytes(black_box(&clean))))
    });
    g.finish();

    let mut g = c.benchmark_group("rules");
    g.bench_function("load-builtin-and-build-prefilter", |b| {
        b.iter(|| black_box(Scanner::new(RuleSet::load_builtin().unwrap())))
    });
    g.bench_function("compile-all-regexes", |b| {
        b.iter(|| {
            let set = RuleSet::load_builtin().unwrap();
            for r in set.rules() {
                r.try_compile().unwrap();
            }
            black_box(set)
        })
    });
    g.finish();
}

/// `hook pre-commit`'s library work: read the index of a 2,000-file
/// repository with a 50-line staged change and scan the added lines.
fn staged_diff(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    let body = corpus(4 << 20, None);
    for (i, chunk) in body.chunks(2048).enumerate() {
        let path = dir.path().join(format!("d{}/f{i}.rs", i % 40));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, chunk).unwrap();
    }
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=b",
        "-c",
        "user.email=b@b",
        "commit",
        "-qm",
        "base",
    ]);
    let change: String = (0..50)
        .map(|i| format!("let value_{i} = compute({i});\n"))
        .collect();
    std::fs::write(dir.path().join("d1/new.rs"), change).unwrap();
    git(&["add", "d1/new.rs"]);

    let scanner: Scanner = leakshield::builtin();
    let repo = leakshield::source::git::Repo::discover(dir.path()).unwrap();
    let progress = leakshield::source::fs::Progress::default();
    c.bench_function("diff/staged-50-lines-2000-files", |b| {
        b.iter(|| {
            let changes = repo.staged().unwrap();
            black_box(repo.scan(&scanner, &changes, &progress).unwrap())
        })
    });
}

criterion_group!(benches, engine, staged_diff);
criterion_main!(benches);
