//! Sources turn what the user asked for (files, stdin, git objects) into
//! bytes for the engine. This is the only part of the library that reads disk.

pub mod fs;
pub mod git;
mod mapped;
