//! `leakshield install` / `leakshield uninstall`: write or remove the hook
//! scripts of `hooks/` (embedded verbatim) in the repository's hooks
//! directory. An existing foreign hook is kept as `<hook>.leakshield-chained`;
//! our script runs it first, and uninstall puts it back.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Outcome;
use super::args::InstallArgs;
use leakshield::source::git::Repo;

/// The scripts exactly as they are in the repository's `hooks/` directory.
const HOOKS: &[(&str, &str)] = &[
    ("pre-commit", include_str!("../../hooks/pre-commit")),
    ("pre-push", include_str!("../../hooks/pre-push")),
];

/// Every script we write carries this marker, so we know our own hooks.
const MARKER: &str = "leakshield-hook";
const CHAINED_SUFFIX: &str = ".leakshield-chained";

pub fn install(args: &InstallArgs) -> Result<Outcome> {
    let dir = hooks_dir()?;
    fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create hooks directory {}", dir.display()))?;
    let both = !args.pre_commit && !args.pre_push;
    for &(name, script) in HOOKS {
        let wanted = both
            || (name == "pre-commit" && args.pre_commit)
            || (name == "pre-push" && args.pre_push);
        if wanted {
            install_one(&dir, name, script)?;
        }
    }
    Ok(Outcome::Clean)
}

pub fn uninstall() -> Result<Outcome> {
    let dir = hooks_dir()?;
    for &(name, _) in HOOKS {
        uninstall_one(&dir, name)?;
    }
    Ok(Outcome::Clean)
}

fn hooks_dir() -> Result<PathBuf> {
    let repo = Repo::discover(Path::new("."))?;
    Ok(repo.hooks_dir()?)
}

fn is_ours(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|text| text.contains(MARKER))
}

fn chained_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(CHAINED_SUFFIX);
    PathBuf::from(name)
}

fn install_one(dir: &Path, name: &str, script: &str) -> Result<()> {
    let hook = dir.join(name);
    let chained = chained_path(&hook);
    // symlink_metadata: a dangling symlink is still an existing hook to keep.
    let exists = hook.symlink_metadata().is_ok();
    let ours = exists && is_ours(&hook);
    if exists && !ours {
        if chained.symlink_metadata().is_ok() {
            bail!(
                "{} is not leakshield's and {} exists too; move one of them away and run install again",
                hook.display(),
                chained.display()
            );
        }
        fs::rename(&hook, &chained)
            .with_context(|| format!("cannot move {} to {}", hook.display(), chained.display()))?;
        println!(
            "leakshield: kept the existing {name} hook as {} (it runs before leakshield's)",
            chained.display()
        );
    }
    write_executable(&hook, script)?;
    let verb = if ours { "updated" } else { "installed" };
    println!("leakshield: {verb} {}", hook.display());
    Ok(())
}

fn uninstall_one(dir: &Path, name: &str) -> Result<()> {
    let hook = dir.join(name);
    let chained = chained_path(&hook);
    if hook.symlink_metadata().is_err() && chained.symlink_metadata().is_err() {
        return Ok(());
    }
    if hook.symlink_metadata().is_ok() && !is_ours(&hook) {
        println!(
            "leakshield: {} is not leakshield's; left alone",
            hook.display()
        );
        return Ok(());
    }
    if hook.symlink_metadata().is_ok() {
        fs::remove_file(&hook).with_context(|| format!("cannot remove {}", hook.display()))?;
        println!("leakshield: removed {}", hook.display());
    }
    if chained.symlink_metadata().is_ok() {
        fs::rename(&chained, &hook).with_context(|| {
            format!(
                "cannot move {} back to {}",
                chained.display(),
                hook.display()
            )
        })?;
        println!("leakshield: restored the previous {name} hook");
    }
    Ok(())
}

/// Writes through a temporary file and renames, so a hook is never half written.
fn write_executable(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("leakshield-tmp");
    fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot make {} executable", tmp.display()))?;
    }
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
