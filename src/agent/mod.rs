//! Coding-agent integration, pure parts: the hook payloads of Claude Code,
//! Factory Droid, Codex, Gemini CLI and Cursor ([`protocol`]), and what a
//! shell command line would do with git ([`command`]). The CLI does the I/O.

pub mod command;
pub mod protocol;
