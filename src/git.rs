//! The only module that runs `git`.
//!
//! nbmyst calls the git command line (through `std::process`) rather than a library such as
//! libgit2: the CLI is the git the user runs, with the same version, configuration files,
//! attributes and isolation variables (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM`, ...), so what
//! nbmyst sees is what the user's git sees. textconv never calls git: it has to start in
//! milliseconds, and everything it needs is in its argument and the current folder.

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::io_message;

/// Name of the git executable, looked up on `PATH`.
pub const GIT: &str = "git";

/// A git command that could not be run, or that failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {}", io_message(.0))]
    Spawn(#[source] io::Error),
    #[error("`git {args}` failed ({status}): {stderr}")]
    Failed {
        args: String,
        status: String,
        stderr: String,
    },
}

/// The version of the git on `PATH`, as `(major, minor, patch)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GitVersion(pub u32, pub u32, pub u32);

impl GitVersion {
    /// Parse `git version 2.47.3` (also `2.39.5.windows.1`, `2.44.0-rc1`).
    pub fn parse(text: &str) -> Option<GitVersion> {
        let rest = text.trim().strip_prefix("git version ")?;
        let mut parts = rest
            .split(|c: char| !c.is_ascii_digit())
            .take(3)
            .map(|p| p.parse::<u32>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next().flatten().unwrap_or(0);
        Some(GitVersion(major, minor, patch))
    }
}

/// Run `git ARGS` in `dir` and return its standard output; a non-zero exit is an error that
/// carries git's stderr.
pub fn output<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, GitError> {
    let out = Command::new(GIT)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            args: args
                .iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// The version of the git on `PATH`.
pub fn version() -> Result<Option<GitVersion>, GitError> {
    let out = output(Path::new("."), &["--version"])?;
    Ok(GitVersion::parse(&String::from_utf8_lossy(&out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            GitVersion::parse("git version 2.47.3\n"),
            Some(GitVersion(2, 47, 3))
        );
        assert_eq!(
            GitVersion::parse("git version 2.39.5.windows.1"),
            Some(GitVersion(2, 39, 5))
        );
        assert_eq!(
            GitVersion::parse("git version 2.44.0-rc1"),
            Some(GitVersion(2, 44, 0))
        );
        assert_eq!(
            GitVersion::parse("git version 3.0"),
            Some(GitVersion(3, 0, 0))
        );
        assert_eq!(GitVersion::parse("hub version 1"), None);
        assert!(GitVersion(2, 44, 0) > GitVersion(2, 39, 5));
    }

    #[test]
    fn runs_the_git_on_path() {
        let v = version().unwrap().unwrap();
        assert!(v >= GitVersion(2, 0, 0));
    }
}
