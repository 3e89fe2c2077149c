//! Git sources: the staged changes of the index, the changes of commits,
//! commit ranges, pushes and whole histories, turned into *added lines* for
//! the engine. All gix code lives here; nothing here prints or decides policy.
//!
//! Only lines a change adds are scanned, and consecutive added lines are
//! scanned together so multi-line secrets (PEM blocks) are found. Renames,
//! deletions, binary blobs, submodules (gitlinks), symlinks and Git LFS pointer
//! files add nothing. For merges, a line counts as added only if it is new
//! against *every* parent, so a merge does not re-report its branches' lines.
//!
//! Scanning is two-phase so that each distinct blob is read and scanned once:
//! every new blob is scanned whole (one prefilter pass, in parallel); only the
//! few blobs with findings are then line-diffed against their old version and
//! their added hunks scanned, which attributes each finding to the commit (and
//! path) that introduced it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use gix::ObjectId;
use gix::bstr::{BString, ByteSlice};
use gix::diff::blob::{Algorithm, Diff, InternedInput};
use gix::prelude::FindExt;
use rayon::prelude::*;

use crate::engine::{Finding, Origin, Scanner};
use crate::source::fs::{Progress, is_binary};
use crate::source::mapped::{self, Recycler};

/// An error reading the repository, with what we were doing.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct Error {
    context: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    fn msg(context: impl Into<String>) -> Error {
        Error {
            context: context.into(),
            source: None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error {
            context: what(),
            source: Some(Box::new(e)),
        })
    }
}

/// An added file is compared with the files deleted by the same diff, if
/// there are at most this many: a (nearly) equal one makes it a rename, and
/// only its edits count as added.
const RENAME_CANDIDATES: usize = 64;
/// Minimum share of unchanged lines for an added file to count as a rename
/// of a deleted one (git's default rename threshold is 50% too).
const RENAME_SIMILARITY: f64 = 0.5;
/// Fewer work items than this are processed on the calling thread. With
/// more threads, every unmapped buffer interrupts the other core (TLB
/// shootdown): a pre-push of 20 commits took 11.9 ms on the pool, 7.9 ms
/// without it (at 4, the earlier threshold).
const PARALLEL_MIN: usize = 64;
/// Object cache per thread for tree diffs: trees of busy directories are read
/// again and again. Blobs are read once each and go uncached.
const TREE_CACHE: usize = 8 << 20;

/// An opened repository, shareable between threads.
pub struct Repo {
    sync: gix::ThreadSafeRepository,
    /// The object store every handle reads through (see `renew`).
    objects: Mutex<Stores>,
    /// How many times `renew` replaced the store.
    renewals: AtomicUsize,
    /// In a pre-receive hook the pushed objects sit in a quarantine directory
    /// that gix does not know about (it ignores `GIT_OBJECT_DIRECTORY`); this
    /// is the private object directory that `objects` then reads.
    _quarantine: Option<TempDir>,
    /// Resident memory above which long reads renew the store.
    memory_budget: u64,
    /// The allocation limit of the repository's own store, for new ones.
    alloc_limit: Option<usize>,
}

/// The store handles are made on, and the one it replaced: until every
/// handle on that one is gone its pages stay mapped, and replacing the
/// current one too would only make the memory check fire again.
struct Stores {
    /// Not the store of `Repo::sync`, which is never read from: dropping
    /// this one must unmap every pack page read so far.
    current: Arc<gix::odb::Store>,
    previous: Weak<gix::odb::Store>,
}

/// A commit list to scan (a range, a push, a history).
#[derive(Debug, Default, Clone)]
pub struct Commits(Vec<ObjectId>);

impl Commits {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One ref update as a pre-push hook sees it: `<local sha> <remote sha>`.
#[derive(Debug, Clone)]
pub struct PushUpdate {
    pub local_sha: String,
    pub remote_sha: String,
}

/// What a scan of git changes produced.
#[derive(Debug, Default)]
pub struct GitScan {
    pub findings: Vec<Finding>,
    /// Changed files (new blobs) considered.
    pub files: usize,
}

impl Repo {
    /// Opens the repository containing `dir`, honouring the variables git sets
    /// for hooks (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_WORK_TREE`) and the object
    /// quarantine of pre-receive hooks.
    pub fn discover(dir: &Path) -> Result<Repo> {
        let sync =
            gix::ThreadSafeRepository::discover_with_environment_overrides(dir).context(|| {
                let shown = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
                format!(
                    "not in a git repository (or cannot open it): {}",
                    shown.display()
                )
            })?;
        let alloc_limit = alloc_limit(&sync.to_thread_local());
        let (store, quarantine) = match Quarantine::from_env(&sync, alloc_limit)? {
            Some(q) => (q.store, Some(q.dir)),
            None => (store_like(&sync.objects, alloc_limit)?, None),
        };
        Ok(Repo {
            sync,
            objects: Mutex::new(Stores {
                current: store,
                previous: Weak::new(),
            }),
            renewals: AtomicUsize::new(0),
            _quarantine: quarantine,
            memory_budget: mapped::DEFAULT_BUDGET,
            alloc_limit,
        })
    }

    /// Sets the resident memory above which long reads (histories) unmap the
    /// pack pages they read so far and map the packs anew: less memory, more
    /// page faults. The default is 160 MiB.
    pub fn with_memory_budget(mut self, bytes: u64) -> Repo {
        self.memory_budget = bytes;
        self
    }

    /// How many times long reads replaced the object store to stay within
    /// the memory budget.
    pub fn renewals(&self) -> usize {
        self.renewals.load(Ordering::Relaxed)
    }

    /// A repository handle for the current thread.
    fn local(&self) -> gix::Repository {
        self.local_with(TREE_CACHE)
    }

    /// A repository handle for the current thread with an object cache of
    /// `cache` bytes.
    fn local_with(&self, cache: usize) -> gix::Repository {
        let store = self
            .objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .current
            .clone();
        let mut repo = self.sync.to_thread_local();
        let kind = repo.object_hash();
        repo.objects = gix::OdbHandle::new(store.to_cache(), kind);
        repo.object_cache_size(cache);
        repo
    }

    /// Moves `repo` (with an object cache of `cache` bytes) to a new object
    /// store, which maps the packs anew, so that the pages read so far can be
    /// unmapped: the old store goes with its last handle. The first thread
    /// to renew a store makes the new one; the others move to it. No new
    /// one is made while the one replaced last is still held.
    fn renew(&self, repo: &mut gix::Repository, cache: usize) {
        {
            let mut stores = self.objects.lock().unwrap_or_else(|e| e.into_inner());
            let on_current = std::ptr::eq(&*stores.current, repo.objects.store_ref());
            if on_current {
                if stores.previous.strong_count() > 0 {
                    return;
                }
                // If the directory cannot be opened again, reading on costs
                // memory, not findings.
                let Ok(store) = store_like(&stores.current, self.alloc_limit) else {
                    return;
                };
                stores.previous = Arc::downgrade(&std::mem::replace(&mut stores.current, store));
                self.renewals.fetch_add(1, Ordering::Relaxed);
            }
        }
        *repo = self.local_with(cache);
    }

    /// Where git looks for hooks: `core.hooksPath` (relative to the working
    /// tree root, where git runs hooks) or `hooks/` in the common git
    /// directory, which linked worktrees share.
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let repo = self.local();
        let configured = repo
            .config_snapshot()
            .trusted_path("core.hooksPath")
            .context(|| "invalid core.hooksPath".to_string())?;
        Ok(match configured {
            Some(p) if p.is_absolute() => p,
            Some(p) => repo.workdir().unwrap_or_else(|| repo.git_dir()).join(p),
            None => repo.common_dir().join("hooks"),
        })
    }

    /// The changes `git commit` would record: the index against HEAD's tree
    /// (everything in the index before the first commit).
    ///
    /// Reads the index without verifying its checksum (as git does) and skips
    /// every directory whose cached tree id (the index's TREE extension) equals
    /// HEAD's, so unchanged parts of a big repository cost nothing.
    pub fn staged(&self) -> Result<Vec<Change>> {
        self.staged_from(&self.index_path())
    }

    /// The index file `git commit` would use.
    pub fn index_path(&self) -> PathBuf {
        self.local().index_path()
    }

    /// Like [`Repo::staged`], with another index file: a copy that `git add`
    /// ran on shows what a command line's commit would record.
    pub fn staged_from(&self, index_path: &Path) -> Result<Vec<Change>> {
        let repo = self.local();
        let index_path = index_path.to_path_buf();
        let index = gix::index::File::at_or_default(
            &index_path,
            repo.object_hash(),
            true,
            gix::index::decode::Options::default(),
        )
        .context(|| format!("cannot read the index {}", index_path.display()))?;
        // Concluding a merge, the commit will have MERGE_HEAD's commits as
        // parents too: lines the merged branches already have are not new.
        let mut parents = vec![head_tree(&repo)?];
        for id in merge_heads(&repo)? {
            parents.push(Some(commit_tree(&repo, id)?));
        }
        let mut walk = Walk::new(&repo);
        let mut per_parent = Vec::new();
        for tree in parents {
            let mut raw = RawDiff::default();
            walk.index_dir(tree, index.tree(), 0, index.entries(), &index, &mut raw)?;
            let side = walk.finish(&mut raw)?;
            per_parent.push((raw, side));
        }
        Ok(combine(per_parent, None))
    }

    /// The commits of a revision range: `A..B` (reachable from B, not from
    /// A), `A...B` (either side, not both), or a single revision (that commit
    /// alone, i.e. `rev^!`), as `diff` takes them.
    pub fn range(&self, spec: &str) -> Result<Commits> {
        self.resolve(spec, false)
    }

    /// Like [`Repo::range`], but a single revision means everything reachable
    /// from it, as `git log REV` (what `history` takes).
    pub fn log(&self, spec: &str) -> Result<Commits> {
        self.resolve(spec, true)
    }

    fn resolve(&self, spec: &str, reachable: bool) -> Result<Commits> {
        use gix::revision::plumbing::Spec;
        let repo = self.local();
        let parsed = repo
            .rev_parse(spec)
            .context(|| format!("cannot resolve revision range '{spec}'"))?
            .detach();
        let commit = |id: ObjectId| {
            peel_to_commit(&repo, id)?
                .ok_or_else(|| Error::msg(format!("'{spec}' does not name a commit")))
        };
        let (tips, hidden) = match parsed {
            Spec::Include(id) if reachable => (vec![commit(id)?], Vec::new()),
            Spec::Include(id) | Spec::ExcludeParents(id) => return Ok(Commits(vec![commit(id)?])),
            Spec::Range { from, to } => (vec![commit(to)?], vec![commit(from)?]),
            Spec::Merge { theirs, ours } => {
                let (theirs, ours) = (commit(theirs)?, commit(ours)?);
                let bases = repo
                    .merge_bases_many(theirs, &[ours])
                    .context(|| format!("cannot find the merge base of '{spec}'"))?;
                (
                    vec![theirs, ours],
                    bases.into_iter().map(|b| b.detach()).collect(),
                )
            }
            other => {
                return Err(Error::msg(format!(
                    "unsupported revision range '{spec}' ({other:?}); use A..B, A...B or a single revision"
                )));
            }
        };
        drop(repo);
        self.walk(tips, hidden)
    }

    /// Every commit reachable from HEAD.
    pub fn head_history(&self) -> Result<Commits> {
        let repo = self.local();
        let head = repo
            .head()
            .context(|| "cannot read HEAD".to_string())?
            .try_into_peeled_id()
            .context(|| "cannot resolve HEAD".to_string())?
            .map(|id| id.detach());
        drop(repo);
        match head {
            Some(id) => self.walk(vec![id], Vec::new()),
            None => Ok(Commits::default()),
        }
    }

    /// Every commit reachable from any ref (like `git log --all`).
    pub fn all_history(&self) -> Result<Commits> {
        let repo = self.local();
        let mut tips = self.ref_commits(&repo, |_| true)?;
        if let Ok(Some(head)) = repo.head().and_then(|h| h.try_into_peeled_id()) {
            tips.push(head.detach());
        }
        drop(repo);
        self.walk(tips, Vec::new())
    }

    /// The commits a push would make new on the remote `remote` (a remote
    /// name, or a URL when the user pushed to one directly).
    ///
    /// - deletion (local sha all zeros): nothing;
    /// - update whose old remote tip exists locally: `remote_sha..local_sha`
    ///   (a force push scans what is not reachable from the old tip);
    /// - new branch, or a remote tip we do not have: commits reachable from
    ///   the local sha and not from the remote's tracking refs; if that
    ///   remote has none (a URL, or a never-fetched remote), not from any
    ///   remote-tracking ref, since what another remote has is published
    ///   already; with no remote-tracking refs at all, the whole ancestry.
    ///
    /// In every case commits on `refs/remotes/<remote>/*` are excluded too:
    /// the remote has them (a branch rebased onto an updated main does not
    /// rescan main's commits).
    pub fn push_commits(&self, remote: &str, updates: &[PushUpdate]) -> Result<Commits> {
        let repo = self.local();
        let mut tips = Vec::new();
        let mut hidden = Vec::new();
        let mut need_remote_refs = false;
        for u in updates {
            let local = parse_sha(&repo, &u.local_sha)?;
            if local.is_null() {
                continue;
            }
            let Some(local) = peel_to_commit(&repo, local)? else {
                continue; // pushing a tag of a tree or blob: no commits
            };
            tips.push(local);
            let remote_tip = parse_sha(&repo, &u.remote_sha)?;
            // A missing object is a remote tip we never fetched (someone else
            // pushed, or a force push): fall back to the new-branch rule.
            let old = if remote_tip.is_null() {
                None
            } else {
                peel_to_commit(&repo, remote_tip).ok().flatten()
            };
            match old {
                Some(old) => hidden.push(old),
                None => need_remote_refs = true,
            }
        }
        // Commits on the remote's tracking refs are on the remote already.
        let prefix = format!("refs/remotes/{remote}/");
        let tracking = if remote.is_empty() {
            Vec::new()
        } else {
            self.ref_commits(&repo, |name| name.starts_with(prefix.as_bytes()))?
        };
        if need_remote_refs && tracking.is_empty() {
            hidden.extend(self.ref_commits(&repo, |name| name.starts_with(b"refs/remotes/"))?);
        }
        hidden.extend(tracking);
        drop(repo);
        self.walk(tips, hidden)
    }

    /// The commits a push to this (server) repository brings: reachable from
    /// the new tips and from no existing ref. `updates` are `(old, new)` shas
    /// from pre-receive's stdin.
    pub fn receive_commits(&self, updates: &[(String, String)]) -> Result<Commits> {
        let repo = self.local();
        let mut tips = Vec::new();
        for (_old, new) in updates {
            let new = parse_sha(&repo, new)?;
            if new.is_null() {
                continue;
            }
            if let Some(c) = peel_to_commit(&repo, new)? {
                tips.push(c);
            }
        }
        if tips.is_empty() {
            return Ok(Commits::default());
        }
        let hidden = self.ref_commits(&repo, |_| true)?;
        drop(repo);
        self.walk(tips, hidden)
    }

    /// The changes of each commit against its parents.
    pub fn commit_changes(&self, commits: &Commits) -> Result<Vec<Change>> {
        let per_commit = self.map(&commits.0, TREE_CACHE, |repo, &id| commit_changes(repo, id))?;
        Ok(per_commit.into_iter().flatten().collect())
    }

    /// Maps `items` with a repository handle (object cache: `cache` bytes)
    /// per thread: in parallel, unless there are only a few (a hook on a
    /// small change should not pay for starting a thread pool). Threads move
    /// to a new object store as mapped pages pile up (see `mapped`).
    fn map<I: Sync, T: Send>(
        &self,
        items: &[I],
        cache: usize,
        f: impl Fn(&gix::Repository, &I) -> Result<T> + Sync + Send,
    ) -> Result<Vec<T>> {
        if items.len() < PARALLEL_MIN {
            let repo = self.local_with(cache);
            return items.iter().map(|i| f(&repo, i)).collect();
        }
        items
            .par_iter()
            .map_init(
                || (self.local_with(cache), Recycler::new(self.memory_budget)),
                |(repo, recycler), i| {
                    if recycler.due() {
                        self.renew(repo, cache);
                    }
                    f(repo, i)
                },
            )
            .collect()
    }

    /// Scans the added lines of `changes`. Each distinct new blob is read and
    /// scanned once; only blobs with findings are diffed, and only the findings
    /// in their added hunks are kept.
    pub fn scan(
        &self,
        scanner: &Scanner,
        changes: &[Change],
        progress: &Progress,
    ) -> Result<GitScan> {
        // Phase 1: which new blobs can hold a finding at all?
        // In the order of the walk (breadth-first from the tips), which is
        // close to the order of the pack: the pages a store maps before it is
        // renewed are mostly neighbours.
        let mut seen = HashSet::with_capacity(changes.len());
        let distinct: Vec<ObjectId> = changes
            .iter()
            .filter(|c| !scanner.is_path_allowed(&c.path_str()))
            .map(|c| c.new)
            .filter(|id| seen.insert(*id))
            .collect();
        drop(seen);
        let hits = self.map(&distinct, 0, |repo, &id| -> Result<Option<ObjectId>> {
            let mut buf = Vec::new();
            let data = read_blob(repo, id, &mut buf)?;
            progress.files.fetch_add(1, Ordering::Relaxed);
            progress
                .bytes
                .fetch_add(data.len() as u64, Ordering::Relaxed);
            let hit = !skip_content(data) && !scanner.scan(data).is_empty();
            Ok(hit.then_some(id))
        })?;
        let hits: HashSet<ObjectId> = hits.into_iter().flatten().collect();
        // Phase 2: attribute the findings of those blobs to the changes that
        // added their lines.
        let hit_changes: Vec<&Change> = changes.iter().filter(|c| hits.contains(&c.new)).collect();
        let findings = self.map(&hit_changes, 0, |repo, change| -> Result<Vec<Finding>> {
            Ok(added(repo, change)?
                .map(|a| a.scan(scanner))
                .unwrap_or_default())
        })?;
        let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(GitScan {
            findings,
            files: distinct.len(),
        })
    }

    /// The commits reachable from `tips` but not from `hidden`, breadth-first
    /// from the tips. The walk reads every commit object, and commits lie all over
    /// a pack, so it reads through a store it replaces as pages pile up;
    /// callers drop their handles first, which would keep the old one.
    fn walk(&self, tips: Vec<ObjectId>, hidden: Vec<ObjectId>) -> Result<Commits> {
        if tips.is_empty() {
            return Ok(Commits::default());
        }
        let failed = || "cannot walk the commit graph".to_string();
        let (shallow, graph) = {
            let repo = self.local_with(0);
            let shallow = repo.shallow_commits().context(failed)?;
            // As in gix's walk, an unreadable commit-graph only means the
            // commits are read from the object store.
            (shallow, repo.commit_graph_if_enabled().ok().flatten())
        };
        let objects = RecyclingObjects {
            owner: self,
            state: RefCell::new((self.local_with(0), Recycler::new(self.memory_budget))),
        };
        // What gix's own walk does for shallow clones: the parents of a
        // shallow commit are not in the repository, so they are not visited.
        let mut grafted: HashSet<ObjectId> = HashSet::new();
        let mut buf = Vec::new();
        let keep = |id: &gix::hash::oid| {
            if grafted.remove(id) {
                return false;
            }
            if let Some(shallow) = &shallow
                && shallow.binary_search(&id.to_owned()).is_ok()
                && let Ok(commit) = objects.find_commit_iter(id, &mut buf)
            {
                grafted.extend(commit.parent_ids());
            }
            true
        };
        let walk = gix::traverse::commit::Simple::filtered(tips, &objects, keep)
            .commit_graph(graph)
            .hide(hidden)
            .context(failed)?;
        let mut ids = Vec::new();
        for info in walk {
            ids.push(info.context(failed)?.id);
        }
        Ok(Commits(ids))
    }

    /// The commits that refs whose full name passes `keep` point to (tags
    /// peeled; refs to trees or blobs and broken refs skipped).
    fn ref_commits(
        &self,
        repo: &gix::Repository,
        keep: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<ObjectId>> {
        let platform = repo
            .references()
            .context(|| "cannot read refs".to_string())?;
        let iter = platform.all().context(|| "cannot read refs".to_string())?;
        let mut out = Vec::new();
        for r in iter {
            let Ok(mut r) = r else { continue };
            if !keep(r.name().as_bstr()) {
                continue;
            }
            if let Ok(id) = r.peel_to_id()
                && let Ok(Some(c)) = peel_to_commit(repo, id.detach())
            {
                out.push(c);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// One file that a commit (or the index) adds or modifies.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: BString,
    pub commit: Option<ObjectId>,
    /// The new blob.
    pub new: ObjectId,
    /// One per parent (one for the index and for root commits).
    sides: Vec<Side>,
}

#[derive(Debug, Clone)]
struct Side {
    /// The file's blob in that parent; `None` if it did not exist there.
    old: Option<ObjectId>,
    /// Blobs deleted in the same diff: rename sources for an added file.
    deleted: Arc<[ObjectId]>,
}

impl Change {
    pub fn path_str(&self) -> String {
        self.path.to_str_lossy().into_owned()
    }
}

/// The added lines of one changed file.
#[derive(Debug)]
pub struct Added {
    pub path: String,
    pub commit: Option<String>,
    /// The whole new file; hunks are ranges of it.
    pub data: Vec<u8>,
    pub hunks: Vec<Hunk>,
}

/// A run of consecutive added lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based line number (in the new file) of the first line.
    pub first_line: usize,
    /// Byte range in the new file, whole lines including their newlines.
    pub bytes: Range<usize>,
}

impl Added {
    pub fn scan(&self, scanner: &Scanner) -> Vec<Finding> {
        let mut out = Vec::new();
        for h in &self.hunks {
            let origin = Origin {
                path: &self.path,
                commit: self.commit.as_deref(),
                first_line: h.first_line,
            };
            out.extend(scanner.scan_at(&self.data[h.bytes.clone()], &origin));
        }
        out
    }
}

/// Binary files and Git LFS pointers carry no scannable text.
fn skip_content(data: &[u8]) -> bool {
    is_binary(data) || is_lfs_pointer(data)
}

fn is_lfs_pointer(data: &[u8]) -> bool {
    data.len() < 1024 && data.starts_with(b"version https://git-lfs.github.com/spec/")
}

fn added(repo: &gix::Repository, change: &Change) -> Result<Option<Added>> {
    let mut buf = Vec::new();
    let data = read_blob(repo, change.new, &mut buf)?.to_vec();
    if skip_content(&data) {
        return Ok(None);
    }
    let starts = line_starts(&data);
    let lines = (starts.len() - 1) as u32;
    let mut added_lines: Vec<Range<u32>> = std::iter::once(0..lines).collect();
    for side in &change.sides {
        let old = match side.old {
            Some(id) => Some(read_blob(repo, id, &mut buf)?.to_vec()),
            None => rename_source(repo, &data, &side.deleted)?,
        };
        if let Some(old) = old {
            added_lines = intersect(&added_lines, &added_ranges(&old, &data));
        }
        if added_lines.is_empty() {
            return Ok(None);
        }
    }
    let hunks = added_lines
        .into_iter()
        .map(|r| Hunk {
            first_line: r.start as usize + 1,
            bytes: starts[r.start as usize]..starts[r.end as usize],
        })
        .collect();
    Ok(Some(Added {
        path: change.path_str(),
        commit: change.commit.map(|c| c.to_string()),
        data,
        hunks,
    }))
}

/// The deleted blob that `new` is most similar to, if it is similar enough
/// to count as a rename (then only the edits count as added).
fn rename_source(
    repo: &gix::Repository,
    new: &[u8],
    deleted: &[ObjectId],
) -> Result<Option<Vec<u8>>> {
    if deleted.is_empty() || deleted.len() > RENAME_CANDIDATES {
        return Ok(None);
    }
    let mut buf = Vec::new();
    let mut best: Option<(f64, Vec<u8>)> = None;
    for &id in deleted {
        let old = read_blob(repo, id, &mut buf)?;
        if is_binary(old) {
            continue;
        }
        let score = similarity(old, new);
        if score >= RENAME_SIMILARITY && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, old.to_vec()));
        }
    }
    Ok(best.map(|(_, data)| data))
}

/// Share of lines two texts have in common, relative to the longer one.
fn similarity(old: &[u8], new: &[u8]) -> f64 {
    let input = InternedInput::new(old, new);
    let longest = input.before.len().max(input.after.len());
    if longest == 0 {
        return 1.0;
    }
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let common = input.after.len() - diff.count_additions() as usize;
    common as f64 / longest as f64
}

/// Line ranges (0-based, in `new`) that are added relative to `old`.
fn added_ranges(old: &[u8], new: &[u8]) -> Vec<Range<u32>> {
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut out: Vec<Range<u32>> = Vec::new();
    for hunk in diff.hunks() {
        if hunk.after.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == hunk.after.start => last.end = hunk.after.end,
            _ => out.push(hunk.after),
        }
    }
    out
}

/// Intersection of two sorted lists of disjoint ranges.
fn intersect(a: &[Range<u32>], b: &[Range<u32>]) -> Vec<Range<u32>> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            out.push(start..end);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Byte offsets where each line starts, then the length: line `i` is
/// `starts[i]..starts[i + 1]`. Lines split at `\n` (a `\r` before it stays
/// part of the line), as the line diff tokenizes them.
fn line_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(data.len() / 32 + 2);
    starts.push(0);
    starts.extend(
        memchr::memchr_iter(b'\n', data)
            .map(|i| i + 1)
            .filter(|&i| i < data.len()),
    );
    if !data.is_empty() {
        starts.push(data.len());
    }
    starts
}

fn read_blob<'b>(repo: &gix::Repository, id: ObjectId, buf: &'b mut Vec<u8>) -> Result<&'b [u8]> {
    Ok(repo
        .objects
        .find_blob(&id, buf)
        .context(|| format!("cannot read blob {id}"))?
        .data)
}

/// An object id from a hook's input: hex (all zeros for "none"), empty for
/// "none", or a revision such as `HEAD`.
fn parse_sha(repo: &gix::Repository, text: &str) -> Result<ObjectId> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(ObjectId::null(repo.object_hash()));
    }
    if let Ok(id) = ObjectId::from_hex(text.as_bytes())
        && id.kind() == repo.object_hash()
    {
        return Ok(id);
    }
    Ok(repo
        .rev_parse_single(text)
        .context(|| format!("cannot resolve '{text}'"))?
        .detach())
}

/// The commit `id` names after peeling tags; `None` if it names a tree or a
/// blob, an error if it is missing.
fn peel_to_commit(repo: &gix::Repository, id: ObjectId) -> Result<Option<ObjectId>> {
    let object = repo
        .find_object(id)
        .context(|| format!("object {id} not found"))?
        .peel_tags_to_end()
        .context(|| format!("cannot peel {id}"))?;
    Ok((object.kind == gix::object::Kind::Commit).then_some(object.id))
}

fn head_tree(repo: &gix::Repository) -> Result<Option<ObjectId>> {
    let head = repo
        .head()
        .context(|| "cannot read HEAD".to_string())?
        .try_into_peeled_id()
        .context(|| "cannot resolve HEAD".to_string())?;
    let Some(head) = head else {
        return Ok(None); // unborn branch: before the first commit
    };
    Ok(Some(commit_tree(repo, head.detach())?))
}

/// The changes of one commit against each of its parents.
fn commit_changes(repo: &gix::Repository, id: ObjectId) -> Result<Vec<Change>> {
    let commit = repo
        .find_commit(id)
        .context(|| format!("cannot read commit {id}"))?;
    let tree = commit
        .tree_id()
        .context(|| format!("cannot read the tree of {id}"))?
        .detach();
    // A shallow clone's boundary commits have no parents here: like git, treat
    // them as root commits (everything they contain counts as added).
    let boundary = repo
        .shallow_commits()
        .context(|| "cannot read the shallow file".to_string())?
        .is_some_and(|shallow| shallow.contains(&id));
    let parents: Vec<ObjectId> = if boundary {
        Vec::new()
    } else {
        commit.parent_ids().map(|p| p.detach()).collect()
    };
    let parent_tree = |p: ObjectId| -> Result<ObjectId> {
        let c = repo
            .find_commit(p)
            .context(|| format!("parent {p} of commit {id} is missing"))?;
        Ok(c.tree_id()
            .context(|| format!("cannot read the tree of {p}"))?
            .detach())
    };
    let mut walk = Walk::new(repo);
    let mut per_parent = Vec::new();
    let olds: Vec<Option<ObjectId>> = if parents.is_empty() {
        vec![None]
    } else {
        parents
            .iter()
            .map(|&p| parent_tree(p).map(Some))
            .collect::<Result<_>>()?
    };
    for old in olds {
        let mut raw = RawDiff::default();
        walk.trees(old, Some(tree), &mut BString::default(), &mut raw)?;
        let side = walk.finish(&mut raw)?;
        per_parent.push((raw, side));
    }
    Ok(combine(per_parent, Some(id)))
}

/// The changes of a commit (or the index) from the diffs against each of
/// its parents. For a merge, a path counts only if it differs from every
/// parent, and its lines only if they are new against every parent.
fn combine(per_parent: Vec<(RawDiff, Side)>, commit: Option<ObjectId>) -> Vec<Change> {
    let mut iter = per_parent.into_iter();
    let Some((first, first_side)) = iter.next() else {
        return Vec::new();
    };
    let rest: Vec<(HashMap<BString, Option<ObjectId>>, Side)> = iter
        .map(|(raw, side)| {
            let by_path = raw.changed.into_iter().map(|c| (c.path, c.old)).collect();
            (by_path, side)
        })
        .collect();
    let mut out = Vec::new();
    'paths: for c in first.changed {
        let mut sides = vec![Side {
            old: c.old,
            deleted: first_side.deleted.clone(),
        }];
        for (by_path, side) in &rest {
            let Some(&old) = by_path.get(&c.path) else {
                continue 'paths; // unchanged against this parent
            };
            sides.push(Side {
                old,
                deleted: side.deleted.clone(),
            });
        }
        out.push(Change {
            path: c.path,
            commit,
            new: c.new,
            sides,
        });
    }
    out
}

/// The commits `git merge` left in MERGE_HEAD (none outside a merge).
fn merge_heads(repo: &gix::Repository) -> Result<Vec<ObjectId>> {
    let path = repo.git_dir().join("MERGE_HEAD");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).context(|| format!("cannot read {}", path.display())),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| parse_sha(repo, l))
        .collect()
}

fn commit_tree(repo: &gix::Repository, id: ObjectId) -> Result<ObjectId> {
    Ok(repo
        .find_commit(id)
        .context(|| format!("cannot read commit {id}"))?
        .tree_id()
        .context(|| format!("cannot read the tree of {id}"))?
        .detach())
}

/// One diff's raw result before rename handling.
#[derive(Default)]
struct RawDiff {
    changed: Vec<RawChange>,
    deleted: Vec<ObjectId>,
    deleted_trees: Vec<ObjectId>,
}

struct RawChange {
    path: BString,
    old: Option<ObjectId>,
    new: ObjectId,
}

/// A tree entry we care about.
struct Entry {
    name: BString,
    kind: Kind,
    id: ObjectId,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Tree,
    /// A regular (or executable) file.
    File,
    /// Symlinks and submodules: no content of their own to scan.
    Other,
}

impl Kind {
    fn of_tree(mode: gix::object::tree::EntryMode) -> Kind {
        if mode.is_tree() {
            Kind::Tree
        } else if mode.is_blob() {
            Kind::File
        } else {
            Kind::Other
        }
    }
}

/// Tree and index walking with a reusable buffer.
struct Walk<'r> {
    repo: &'r gix::Repository,
    buf: Vec<u8>,
}

impl<'r> Walk<'r> {
    fn new(repo: &'r gix::Repository) -> Walk<'r> {
        Walk {
            repo,
            buf: Vec::new(),
        }
    }

    fn read_tree(&mut self, id: ObjectId) -> Result<Vec<Entry>> {
        let tree = self
            .repo
            .objects
            .find_tree(&id, &mut self.buf)
            .context(|| format!("cannot read tree {id}"))?;
        Ok(tree
            .entries
            .iter()
            .map(|e| Entry {
                name: e.filename.to_owned(),
                kind: Kind::of_tree(e.mode),
                id: e.oid.to_owned(),
            })
            .collect())
    }

    /// Diffs two trees (either may be absent), recording changed files.
    fn trees(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &mut BString,
        out: &mut RawDiff,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let a = match old {
            Some(id) => self.read_tree(id)?,
            None => Vec::new(),
        };
        let b = match new {
            Some(id) => self.read_tree(id)?,
            None => Vec::new(),
        };
        let (mut i, mut j) = (0, 0);
        loop {
            let order = match (a.get(i), b.get(j)) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => git_order(x, y),
            };
            match order {
                std::cmp::Ordering::Less => {
                    self.gone(&a[i], out);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    self.came(None, &b[j], prefix, out)?;
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    self.came(Some(&a[i]), &b[j], prefix, out)?;
                    i += 1;
                    j += 1;
                }
            }
        }
        Ok(())
    }

    /// `new` exists in the new tree; `old` is the same-named, same-type entry
    /// of the old tree, if any.
    fn came(
        &mut self,
        old: Option<&Entry>,
        new: &Entry,
        prefix: &mut BString,
        out: &mut RawDiff,
    ) -> Result<()> {
        let old_id = old.filter(|o| o.kind == new.kind).map(|o| o.id);
        if let Some(o) = old
            && o.kind != new.kind
        {
            self.gone(o, out);
        }
        match new.kind {
            Kind::Tree => {
                let len = prefix.len();
                prefix.extend_from_slice(&new.name);
                prefix.push(b'/');
                let r = self.trees(old_id, Some(new.id), prefix, out);
                prefix.truncate(len);
                r
            }
            Kind::File => {
                if old_id != Some(new.id) {
                    let mut path = prefix.clone();
                    path.extend_from_slice(&new.name);
                    out.changed.push(RawChange {
                        path,
                        old: old_id,
                        new: new.id,
                    });
                }
                Ok(())
            }
            Kind::Other => Ok(()),
        }
    }

    fn gone(&self, old: &Entry, out: &mut RawDiff) {
        match old.kind {
            Kind::Tree => out.deleted_trees.push(old.id),
            Kind::File => out.deleted.push(old.id),
            Kind::Other => {}
        }
    }

    /// Diffs the index entries under one directory (`entries`, whose paths all
    /// start with the same `prefix_len` bytes) against `tree`.
    fn index_dir(
        &mut self,
        tree: Option<ObjectId>,
        cache: Option<&gix::index::extension::Tree>,
        prefix_len: usize,
        entries: &[gix::index::Entry],
        state: &gix::index::State,
        out: &mut RawDiff,
    ) -> Result<()> {
        if let (Some(t), Some(c)) = (tree, cache)
            && c.num_entries.is_some()
            && c.id == t
        {
            return Ok(()); // the index holds exactly this tree here
        }
        let tree_entries = match tree {
            Some(id) => self.read_tree(id)?,
            None => Vec::new(),
        };
        let by_name: HashMap<&[u8], usize> = tree_entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.as_slice(), i))
            .collect();
        let mut seen = vec![false; tree_entries.len()];
        let mut i = 0;
        while i < entries.len() {
            let path = entries[i].path(state);
            let rest = &path[prefix_len..];
            if let Some(slash) = rest.find_byte(b'/') {
                // A subdirectory: the entries below it are contiguous (the
                // index is sorted by path), so find its end by bisection.
                let dir = &path[..prefix_len + slash + 1];
                let j = i + entries[i..].partition_point(|e| e.path(state).starts_with(dir));
                let name = &rest[..slash];
                let sub_tree = by_name
                    .get(name.as_bytes())
                    .filter(|&&k| tree_entries[k].kind == Kind::Tree)
                    .map(|&k| {
                        seen[k] = true;
                        tree_entries[k].id
                    });
                let sub_cache =
                    cache.and_then(|c| c.children.iter().find(|t| t.name.as_slice() == name));
                self.index_dir(sub_tree, sub_cache, dir.len(), &entries[i..j], state, out)?;
                i = j;
                continue;
            }
            let entry = &entries[i];
            i += 1;
            let flags = entry.flags;
            if entry.stage_raw() != 0 || flags.contains(gix::index::entry::Flags::INTENT_TO_ADD) {
                continue; // unmerged paths cannot be committed; intent-to-add records nothing
            }
            let old = by_name.get(rest.as_bytes()).map(|&k| {
                seen[k] = true;
                &tree_entries[k]
            });
            let mode = entry.mode;
            if mode == gix::index::entry::Mode::DIR {
                // A sparse-index directory entry: diff it as a tree.
                let old_tree = old.filter(|o| o.kind == Kind::Tree).map(|o| o.id);
                if let Some(o) = old.filter(|o| o.kind != Kind::Tree) {
                    self.gone(o, out);
                }
                let mut prefix: BString = path.to_owned();
                prefix.push(b'/');
                self.trees(old_tree, Some(entry.id), &mut prefix, out)?;
                continue;
            }
            let kind = if mode == gix::index::entry::Mode::FILE
                || mode == gix::index::entry::Mode::FILE_EXECUTABLE
            {
                Kind::File
            } else {
                Kind::Other
            };
            let new = Entry {
                name: BString::from(rest.as_bytes()),
                kind,
                id: entry.id,
            };
            let mut prefix = BString::from(&path[..prefix_len]);
            self.came(old, &new, &mut prefix, out)?;
        }
        for (k, e) in tree_entries.iter().enumerate() {
            if !seen[k] {
                self.gone(e, out);
            }
        }
        Ok(())
    }

    /// Drops exact renames and collects rename candidates. Deleted trees are
    /// only expanded when the diff added files, since only then can a deleted
    /// blob be a rename source.
    fn finish(&mut self, raw: &mut RawDiff) -> Result<Side> {
        if !raw.changed.iter().any(|c| c.old.is_none()) {
            return Ok(Side {
                old: None,
                deleted: Arc::from(Vec::new()),
            });
        }
        let mut pending = std::mem::take(&mut raw.deleted_trees);
        while let Some(id) = pending.pop() {
            for e in self.read_tree(id)? {
                match e.kind {
                    Kind::Tree => pending.push(e.id),
                    Kind::File => raw.deleted.push(e.id),
                    Kind::Other => {}
                }
            }
        }
        let deleted: HashSet<ObjectId> = raw.deleted.iter().copied().collect();
        // Same content under a new name: a pure rename (or a move) adds nothing.
        raw.changed
            .retain(|c| c.old.is_some() || !deleted.contains(&c.new));
        let mut list: Vec<ObjectId> = deleted.into_iter().collect();
        list.sort_unstable();
        Ok(Side {
            old: None,
            deleted: Arc::from(list),
        })
    }
}

/// Git's tree order: names compare bytewise as if trees had a trailing `/`.
fn git_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let n = a.name.len().min(b.name.len());
    a.name[..n].cmp(&b.name[..n]).then_with(|| {
        let next = |e: &Entry| {
            e.name
                .get(n)
                .copied()
                .or((e.kind == Kind::Tree).then_some(b'/'))
        };
        next(a).cmp(&next(b))
    })
}

/// The objects of a long single-threaded read (the commit walk), through a
/// store replaced whenever its `Recycler` says so.
struct RecyclingObjects<'r> {
    owner: &'r Repo,
    state: RefCell<(gix::Repository, Recycler)>,
}

impl gix::objs::Find for RecyclingObjects<'_> {
    fn try_find<'a>(
        &self,
        id: &gix::hash::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        let mut state = self.state.borrow_mut();
        let (repo, recycler) = &mut *state;
        if recycler.due() {
            self.owner.renew(repo, 0);
        }
        repo.objects.try_find(id, buffer)
    }
}

/// The allocation limit gix puts on a repository's objects (a guard against
/// hostile packs): `gitoxide.objects.allocLimit`, or for a repository of
/// reduced trust (owned by another user) `allocLimitIfReducedTrust`, 16 MiB
/// unless set (0: none). Stores we open ourselves must keep it.
fn alloc_limit(repo: &gix::Repository) -> Option<usize> {
    let config = repo.config_snapshot();
    let bytes = |key: &str| config.integer(key).and_then(|v| usize::try_from(v).ok());
    if let Some(limit) = bytes("gitoxide.objects.allocLimit") {
        return Some(limit);
    }
    if repo.git_dir_trust() != gix::sec::Trust::Reduced {
        return None;
    }
    let limit = bytes("gitoxide.objects.allocLimitIfReducedTrust").unwrap_or(16 << 20);
    (limit != 0).then_some(limit)
}

/// A new store over the same object directories, replacements and
/// multi-pack-index setting as `store`, with `alloc_limit`, sharing no
/// mapped pack with it.
fn store_like(store: &gix::odb::Store, alloc_limit: Option<usize>) -> Result<Arc<gix::odb::Store>> {
    let opened = gix::odb::Store::at_opts(
        store.path().to_path_buf(),
        store.object_hash(),
        &mut store.replacements(),
        gix::odb::store::init::Options {
            use_multi_pack_index: store.use_multi_pack_index(),
            alloc_limit_bytes: alloc_limit,
            ..Default::default()
        },
    )
    .context(|| format!("cannot open {}", store.path().display()))?;
    Ok(Arc::new(opened))
}

/// The object directory a pre-receive hook must read: git puts the pushed
/// objects in `GIT_OBJECT_DIRECTORY` (a quarantine) and the existing ones in
/// `GIT_ALTERNATE_OBJECT_DIRECTORIES`. gix honours neither, so we make a
/// private, empty object directory whose `info/alternates` lists all of them.
struct Quarantine {
    store: Arc<gix::odb::Store>,
    dir: TempDir,
}

impl Quarantine {
    fn from_env(
        sync: &gix::ThreadSafeRepository,
        alloc_limit: Option<usize>,
    ) -> Result<Option<Quarantine>> {
        let Some(objects) = std::env::var_os("GIT_OBJECT_DIRECTORY") else {
            return Ok(None);
        };
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let objects = canonical(Path::new(&objects));
        if objects == canonical(sync.objects_dir()) {
            return Ok(None);
        }
        let mut list = String::new();
        let mut add = |p: &Path| {
            list.push_str(&p.to_string_lossy());
            list.push('\n');
        };
        add(&objects);
        if let Some(alternates) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
            for p in std::env::split_paths(&alternates).filter(|p| !p.as_os_str().is_empty()) {
                add(&canonical(&p));
            }
        }
        add(&canonical(sync.objects_dir()));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = TempDir(
            std::env::temp_dir().join(format!("leakshield-odb-{}-{nanos}", std::process::id())),
        );
        let objects_dir = dir.0.join("objects");
        let info = objects_dir.join("info");
        std::fs::create_dir_all(&info).context(|| format!("cannot create {}", info.display()))?;
        std::fs::write(info.join("alternates"), list)
            .context(|| format!("cannot write {}", info.display()))?;
        let store = gix::odb::Store::at_opts(
            objects_dir,
            sync.to_thread_local().object_hash(),
            &mut std::iter::empty(),
            gix::odb::store::init::Options {
                alloc_limit_bytes: alloc_limit,
                ..Default::default()
            },
        )
        .context(|| "cannot open the quarantined object directories".to_string())?;
        Ok(Some(Quarantine {
            store: Arc::new(store),
            dir,
        }))
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_cover_every_line() {
        assert_eq!(line_starts(b""), vec![0]);
        assert_eq!(line_starts(b"a"), vec![0, 1]);
        assert_eq!(line_starts(b"a\n"), vec![0, 2]);
        assert_eq!(line_starts(b"a\r\nb\r\n"), vec![0, 3, 6]);
        assert_eq!(line_starts(b"a\nb"), vec![0, 2, 3]);
    }

    #[test]
    fn added_ranges_are_new_lines_only() {
        let old = b"a\nb\nc\n";
        let new = b"a\nx\ny\nb\nc\nz\n";
        assert_eq!(added_ranges(old, new), vec![1..3, 5..6]);
        assert_eq!(added_ranges(new, new), Vec::<Range<u32>>::new());
        assert_eq!(added_ranges(b"", b"a\nb\n"), vec![0..2]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // lists of line ranges, not ranges of items
    fn intersection_of_ranges() {
        assert_eq!(intersect(&[0..5, 8..10], &[3..9]), vec![3..5, 8..9]);
        assert_eq!(intersect(&[0..2], &[2..4]), Vec::<Range<u32>>::new());
    }

    #[test]
    fn similar_files_are_renames() {
        let old = b"1\n2\n3\n4\n5\n6\n7\n8\n";
        assert!(similarity(old, b"1\n2\n3\n4\n5\n6\n7\nX\n") >= RENAME_SIMILARITY);
        assert!(similarity(old, b"a\nb\nc\nd\ne\nf\ng\n8\n") < RENAME_SIMILARITY);
    }

    #[test]
    fn git_tree_order_puts_dirs_after_dotted_files() {
        let e = |name: &str, kind| Entry {
            name: name.into(),
            kind,
            id: ObjectId::null(gix::hash::Kind::Sha1),
        };
        use std::cmp::Ordering::*;
        assert_eq!(
            git_order(&e("a.txt", Kind::File), &e("a", Kind::Tree)),
            Less
        );
        assert_eq!(git_order(&e("a", Kind::File), &e("a", Kind::Tree)), Less);
        assert_eq!(
            git_order(&e("a0", Kind::File), &e("a", Kind::Tree)),
            Greater
        );
        assert_eq!(git_order(&e("a", Kind::Tree), &e("a", Kind::Tree)), Equal);
    }

    #[test]
    fn lfs_pointers_are_skipped() {
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n";
        assert!(skip_content(pointer));
        assert!(!skip_content(b"version 1\n"));
    }
}
