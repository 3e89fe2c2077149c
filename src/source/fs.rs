//! Files and directory trees: walked with `ignore` (honouring .gitignore),
//! scanned in parallel, large files memory-mapped, binary files skipped.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{WalkBuilder, WalkState};

use crate::engine::{Finding, Origin, Scanner};

/// Files at least this large are memory-mapped instead of read.
const MMAP_THRESHOLD: u64 = 1 << 20;
/// A NUL byte in this many leading bytes marks a file as binary.
const BINARY_PROBE: usize = 8192;

/// Options for walking trees.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Do not honour .gitignore and other ignore files.
    pub no_ignore: bool,
    pub threads: usize,
    /// Scan only the files of shard `index` (0-based) of `count`.
    pub shard: Option<Shard>,
}

/// A deterministic slice of a tree: a file belongs to shard
/// `fnv1a(path) % count`, so parallel jobs over the same tree (or a fleet of
/// repositories checked out side by side) cover every file exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` (1-based, as in `--shard 2/8`).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("invalid shard '{text}': want I/N, e.g. 1/4"))?;
        let (i, n): (u64, u64) = match (i.trim().parse(), n.trim().parse()) {
            (Ok(i), Ok(n)) => (i, n),
            _ => return Err(format!("invalid shard '{text}': want I/N, e.g. 1/4")),
        };
        if n == 0 || i == 0 || i > n {
            return Err(format!("invalid shard '{text}': I must be between 1 and N"));
        }
        Ok(Shard {
            index: i - 1,
            count: n,
        })
    }

    pub fn contains(&self, path: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in path.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        h % self.count == self.index
    }
}

/// Counters shared with a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

/// What a scan of files produced.
#[derive(Debug, Default)]
pub struct FileScan {
    pub findings: Vec<Finding>,
    /// Per-file errors (unreadable files): reported, and they fail the run.
    pub errors: Vec<String>,
}

pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some()
}

/// Scans one file from disk (skipping binary files); also returns its size
/// (for progress, without another `stat`).
pub fn scan_file(
    scanner: &Scanner,
    path: &Path,
    shown: &str,
) -> std::io::Result<(Vec<Finding>, u64)> {
    if scanner.is_path_allowed(shown) {
        return Ok((Vec::new(), 0));
    }
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let origin = Origin {
        path: shown,
        ..Origin::default()
    };
    if len >= MMAP_THRESHOLD {
        // SAFETY: the map is read-only and dropped before returning; a file
        // truncated by another process while we scan can fault, which is the
        // accepted trade-off of every mmap-based scanner (ripgrep does the same).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        if is_binary(&map) {
            return Ok((Vec::new(), len));
        }
        return Ok((scanner.scan_at(&map, &origin), len));
    }
    let mut data = Vec::with_capacity(len as usize);
    file.read_to_end(&mut data)?;
    // Pipes and `/dev/stdin` report length 0: count what was read.
    let len = data.len() as u64;
    if is_binary(&data) {
        return Ok((Vec::new(), len));
    }
    Ok((scanner.scan_at(&data, &origin), len))
}

/// How a path is shown in reports: relative as given, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}

/// Scans files and directory trees in parallel.
pub fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    opts: &WalkOptions,
    progress: &Progress,
) -> FileScan {
    // Files named explicitly are scanned here: starting the parallel walker's
    // threads costs more than scanning a few files.
    // Anything named that is not a directory is read as a file: pipes,
    // process substitutions and /dev/stdin included.
    let (files, dirs): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| !p.is_dir());
    let mut out = FileScan::default();
    for path in files {
        let shown = display_path(path);
        if opts.shard.is_some_and(|s| !s.contains(&shown)) {
            continue;
        }
        match scan_file(scanner, path, &shown) {
            Ok((found, bytes)) => {
                progress.files.fetch_add(1, Ordering::Relaxed);
                progress.bytes.fetch_add(bytes, Ordering::Relaxed);
                out.findings.extend(found);
            }
            Err(e) => out.errors.push(format!("{shown}: {e}")),
        }
    }
    let walked = walk_dirs(scanner, &dirs, opts, progress);
    out.findings.extend(walked.findings);
    out.errors.extend(walked.errors);
    out
}

fn walk_dirs(
    scanner: &Scanner,
    paths: &[&PathBuf],
    opts: &WalkOptions,
    progress: &Progress,
) -> FileScan {
    let Some((first, rest)) = paths.split_first() else {
        return FileScan::default();
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    builder
        .hidden(false)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    let findings = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let findings = &findings;
        let errors = &errors;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.lock().unwrap().push(e.to_string());
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let shown = display_path(entry.path());
            if opts.shard.is_some_and(|s| !s.contains(&shown)) {
                return WalkState::Continue;
            }
            match scan_file(scanner, entry.path(), &shown) {
                Ok((found, bytes)) => {
                    progress.files.fetch_add(1, Ordering::Relaxed);
                    progress.bytes.fetch_add(bytes, Ordering::Relaxed);
                    if !found.is_empty() {
                        findings.lock().unwrap().extend(found);
                    }
                }
                Err(e) => errors.lock().unwrap().push(format!("{shown}: {e}")),
            }
            WalkState::Continue
        })
    });
    FileScan {
        findings: findings.into_inner().unwrap(),
        errors: errors.into_inner().unwrap(),
    }
}
