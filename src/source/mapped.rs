//! When to give up an object store so that its mapped pack pages go with it.
//!
//! A gix object store maps each pack file whole, and every page a read
//! touches stays resident (and counts in the process's memory) until the
//! store is dropped. A history scan reads all over the pack, so a single
//! store would end up holding as much memory as the pack is large. Readers
//! that go through many objects ask a [`Recycler`] after each read whether
//! to swap their store for a fresh one.

/// File-backed resident memory (the mapped packs and the binary itself)
/// above which readers swap their store. Each swap costs page faults when
/// the pages are touched again: on a 111 MB pack a budget of 96 MB costs
/// about 10% of the history scan's time, 64 MB 35%.
pub const DEFAULT_BUDGET: u64 = 96 << 20;

/// Where the process's file-backed memory cannot be read, stores are
/// swapped every this many reads.
const FALLBACK_READS: usize = 4096;

/// Counts reads and says when the store behind them should be replaced.
#[derive(Debug)]
pub struct Recycler {
    reads: usize,
    check_every: usize,
    budget: u64,
}

impl Recycler {
    /// Checks the process's memory against `budget` bytes every
    /// `check_every` reads: often enough that little is mapped in between,
    /// seldom enough to cost nothing.
    pub fn new(check_every: usize, budget: u64) -> Recycler {
        Recycler {
            reads: 0,
            check_every: check_every.max(1),
            budget,
        }
    }

    /// Counts one read; true if the store should be replaced before it.
    pub fn due(&mut self) -> bool {
        self.reads += 1;
        if !self.reads.is_multiple_of(self.check_every) {
            return false;
        }
        match resident_file_bytes() {
            Some(bytes) => bytes > self.budget,
            None => self.reads.is_multiple_of(FALLBACK_READS),
        }
    }
}

/// The process's resident file-backed memory, where the OS says.
fn resident_file_bytes() -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssFile:"))?;
    let kb: u64 = line
        .trim_start_matches("RssFile:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb << 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_checked_only_every_few_reads() {
        let mut r = Recycler::new(3, DEFAULT_BUDGET);
        assert!(!r.due());
        assert!(!r.due());
        // The third read checks; a test process maps far less than the budget.
        assert!(!r.due());
        assert_eq!(r.reads, 3);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_store_over_budget_is_due_at_the_check() {
        let mut r = Recycler::new(2, 0);
        assert!(!r.due());
        assert!(r.due());
        assert!(!r.due());
        assert!(r.due());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn file_backed_memory_is_read_on_linux() {
        // At least the test binary's own code is mapped from a file.
        let bytes = resident_file_bytes().expect("/proc/self/status has RssFile");
        assert!(bytes > 0);
    }
}
