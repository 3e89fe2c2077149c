//! When to give up an object store so that its mapped pack pages go with it.
//!
//! A gix object store maps each pack file whole, and every page a read
//! touches stays resident (and counts in the process's memory) until the
//! store is dropped. A history scan reads all over the pack, so a single
//! store would end up holding as much memory as the pack is large. Readers
//! that go through many objects ask a [`Recycler`] before each read whether
//! to swap their store for a fresh one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Resident memory above which readers swap their store, if mapped pack
/// pages hold a quarter of it or more (else the heap is what is large, and
/// unmapping would cost page faults for little). Each swap costs page faults
/// when the pages are touched again, so the budget goes to the mapped packs
/// whenever the heap leaves room for them.
pub const DEFAULT_BUDGET: u64 = 160 << 20;

/// How often the process's memory is read: a read costs microseconds, and
/// in a millisecond a reader maps at most a few megabytes.
const CHECK_INTERVAL: Duration = Duration::from_millis(1);

/// Where the process's memory cannot be read, stores are swapped every this
/// many reads.
const FALLBACK_READS: usize = 4096;

/// The least file-backed memory seen: what no store renewal frees (the
/// binary's pages, mostly). What is above it counts as mapped pack pages.
static FILE_FLOOR: AtomicU64 = AtomicU64::new(u64::MAX);

/// Counts reads and says when the store behind them should be replaced.
#[derive(Debug)]
pub struct Recycler {
    reads: usize,
    budget: u64,
    interval: Duration,
    checked: Instant,
}

impl Recycler {
    /// Compares the process's resident memory with `budget` bytes at most
    /// once per `CHECK_INTERVAL`.
    pub fn new(budget: u64) -> Recycler {
        Recycler::with_interval(budget, CHECK_INTERVAL)
    }

    fn with_interval(budget: u64, interval: Duration) -> Recycler {
        Recycler {
            reads: 0,
            budget,
            interval,
            checked: Instant::now(),
        }
    }

    /// Counts one read; true if the store should be replaced before it.
    pub fn due(&mut self) -> bool {
        self.reads += 1;
        if !cfg!(target_os = "linux") {
            return self.fallback();
        }
        let now = Instant::now();
        if now.duration_since(self.checked) < self.interval {
            return false;
        }
        self.checked = now;
        match resident() {
            Some((anon, file)) => {
                let floor = FILE_FLOOR.fetch_min(file, Ordering::Relaxed).min(file);
                anon + file > self.budget && file - floor >= self.budget / 4
            }
            None => self.fallback(),
        }
    }

    fn fallback(&mut self) -> bool {
        let due = self.reads >= FALLBACK_READS;
        if due {
            self.reads = 0;
        }
        due
    }
}

/// The process's resident anonymous (heap, stacks) and file-backed memory
/// in bytes, where the OS says.
fn resident() -> Option<(u64, u64)> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb << 10)
    };
    Some((field("RssAnon:")?, field("RssFile:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_not_read_again_within_the_interval() {
        // Over any budget, but the interval has not passed.
        let mut r = Recycler::with_interval(0, Duration::from_secs(3600));
        assert!(!r.due());
        assert!(!r.due());
        assert_eq!(r.reads, 2);
    }

    #[test]
    fn a_test_process_is_under_the_default_budget() {
        let mut r = Recycler::with_interval(DEFAULT_BUDGET, Duration::ZERO);
        assert!(!r.due());
    }

    #[test]
    fn without_a_memory_reading_stores_are_swapped_by_count() {
        let mut r = Recycler::with_interval(0, Duration::ZERO);
        r.reads = FALLBACK_READS - 1;
        assert!(!r.fallback());
        r.reads += 1;
        assert!(r.fallback());
        assert_eq!(r.reads, 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn resident_memory_is_read_on_linux() {
        // At least the test binary's code is mapped from a file, and its
        // stack and heap are anonymous.
        let (anon, file) = resident().expect("/proc/self/status has RssAnon and RssFile");
        assert!(anon > 0 && file > 0);
    }
}
