//! Engine benchmarks by layer, in bytes/second over generated source code:
//! prefilter only, full scan (clean and with a secret every ~100 KB),
//! redaction, and rule-set build/compile time.

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

criterion_group!(benches, engine);
criterion_main!(benches);
