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

/// What `git merge-file -p` gave: the merged bytes and how many conflicts they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMerge {
    pub merged: Vec<u8>,
    pub conflicts: u32,
}

/// git's own line merge of three files: `git merge-file -p --marker-size N -L OURS-LABEL
/// -L BASE-LABEL -L THEIRS-LABEL OURS BASE THEIRS`, run in `dir` (paths relative to it). git
/// applies its `merge.conflictStyle` setting. Nothing is written: the result is returned.
pub fn merge_file(
    dir: &Path,
    [base, ours, theirs]: [&Path; 3],
    [base_label, ours_label, theirs_label]: [&str; 3],
    marker_size: usize,
) -> Result<FileMerge, GitError> {
    let size = format!("--marker-size={marker_size}");
    let args: [&OsStr; 12] = [
        "merge-file".as_ref(),
        "-p".as_ref(),
        size.as_ref(),
        "-L".as_ref(),
        ours_label.as_ref(),
        "-L".as_ref(),
        base_label.as_ref(),
        "-L".as_ref(),
        theirs_label.as_ref(),
        ours.as_os_str(),
        base.as_os_str(),
        theirs.as_os_str(),
    ];
    let out = Command::new(GIT)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    // The exit status is the number of conflicts (at most 127); anything else is a failure.
    match out.status.code() {
        Some(n @ 0..=127) => Ok(FileMerge {
            merged: out.stdout,
            conflicts: n as u32,
        }),
        _ => Err(GitError::Failed {
            args: "merge-file".to_owned(),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
    }
}

/// The git configuration entries whose names match `pattern` (a regular expression, as
/// `git config --get-regexp` takes it), read in `dir`, as (name, value) pairs with names in
/// lower case; empty when none is set.
pub fn config_matching(dir: &Path, pattern: &str) -> Result<Vec<(String, String)>, GitError> {
    let out = Command::new(GIT)
        .args(["config", "-z", "--get-regexp", pattern])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    match out.status.code() {
        Some(0) => {}
        // 1: no entry matches.
        Some(1) => return Ok(Vec::new()),
        _ => {
            return Err(GitError::Failed {
                args: format!("config --get-regexp {pattern}"),
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            })
        }
    }
    // Each entry is `name\nvalue\0` (`name\0` for a key without a value).
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            let text = String::from_utf8_lossy(entry);
            match text.split_once('\n') {
                Some((name, value)) => (name.to_ascii_lowercase(), value.to_owned()),
                None => (text.to_ascii_lowercase(), String::new()),
            }
        })
        .collect())
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
    fn merge_file_counts_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("o"), "a\nb\nc\n").unwrap();
        std::fs::write(p.join("a"), "a\nB\nc\n").unwrap();
        std::fs::write(p.join("b"), "a\nX\nc\n").unwrap();
        let m = merge_file(
            p,
            [Path::new("o"), Path::new("a"), Path::new("b")],
            ["base", "HEAD", "side"],
            9,
        )
        .unwrap();
        assert_eq!(m.conflicts, 1);
        assert_eq!(
            String::from_utf8(m.merged).unwrap(),
            "a\n<<<<<<<<< HEAD\nB\n=========\nX\n>>>>>>>>> side\nc\n"
        );
    }

    #[test]
    fn runs_the_git_on_path() {
        let v = version().unwrap().unwrap();
        assert!(v >= GitVersion(2, 0, 0));
    }
}
