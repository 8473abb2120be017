//! The only module that runs `git`.
//!
//! nbmyst calls the git command line (through `std::process`) rather than a library such as
//! libgit2: the CLI is the git the user runs, with the same version, configuration files,
//! attributes and isolation variables (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM`, ...), so what
//! nbmyst sees is what the user's git sees. textconv never calls git: it has to start in
//! milliseconds, and everything it needs is in its argument and the current folder.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
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

/// The work-tree top of the repository that holds `dir`, or `None` when `dir` is not inside a
/// git work tree (or git is not installed).
pub fn work_tree_top(dir: &Path) -> Option<PathBuf> {
    let out = Command::new(GIT)
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let top = text.trim_end_matches('\n');
    (!top.is_empty()).then(|| PathBuf::from(top))
}

/// Which files [`ls_files`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Files in the index (tracked).
    Tracked,
    /// Tracked files, and untracked files that `.gitignore` does not exclude.
    TrackedAndUntracked,
}

/// The files git lists under `pathspecs` (in `dir`; every path of the work tree when
/// `pathspecs` is empty), as paths relative to `dir` (`../x` for files above it). Pathspecs are
/// taken literally (no glob or magic).
pub fn ls_files(
    dir: &Path,
    pathspecs: &[PathBuf],
    listing: Listing,
) -> Result<Vec<PathBuf>, GitError> {
    let mut args: Vec<OsString> = vec!["ls-files".into(), "-z".into(), "--cached".into()];
    if listing == Listing::TrackedAndUntracked {
        args.extend(["--others".into(), "--exclude-standard".into()]);
    }
    args.push("--".into());
    if pathspecs.is_empty() {
        // The top of the work tree, whatever the current folder.
        args.push(":/".into());
    } else {
        args.extend(pathspecs.iter().map(|p| {
            let mut literal = OsString::from(":(literal)");
            literal.push(p.as_os_str());
            literal
        }));
    }
    let out = output(dir, &args)?;
    let mut files: Vec<PathBuf> = out
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        // Paths that are not UTF-8 cannot be paired (pairing works on text): left out.
        .filter_map(|name| std::str::from_utf8(name).ok())
        .map(PathBuf::from)
        .collect();
    // A file both in the index and in conflict is listed once per stage.
    files.dedup();
    Ok(files)
}

/// The contents of `HEAD:<path>` for each path (relative to `dir`, where git runs), in one
/// `git cat-file --batch`. `None` for a path that HEAD does not have as a file (absent, a folder,
/// a submodule), and for every path when there is no commit yet.
pub fn head_blobs(dir: &Path, paths: &[PathBuf]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    let mut blobs = vec![None; paths.len()];
    // Names git cannot take on one line of the batch are left out (no evidence for them).
    let asked: Vec<(usize, Vec<u8>)> = paths
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let name = p.to_str()?;
            if name.contains('\n') || name.is_empty() || p.is_absolute() {
                return None;
            }
            // `HEAD:./path` is relative to the folder git runs in.
            let dot = if name.starts_with("../") || name.starts_with("./") {
                ""
            } else {
                "./"
            };
            Some((i, format!("HEAD:{dot}{name}\n").into_bytes()))
        })
        .collect();
    if asked.is_empty() {
        return Ok(blobs);
    }
    let mut child = Command::new(GIT)
        .args(["cat-file", "--batch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| GitError::Spawn(io::Error::new(io::ErrorKind::BrokenPipe, "no stdin")))?;
    let input: Vec<u8> = asked.iter().flat_map(|(_, line)| line.clone()).collect();
    // Write from another thread: git answers while it reads, and both pipes have limits.
    let writer = std::thread::spawn(move || {
        let result = stdin.write_all(&input);
        drop(stdin);
        result
    });
    let out = child.wait_with_output().map_err(GitError::Spawn)?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(GitError::Failed {
            args: "cat-file --batch".to_owned(),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    let mut rest: &[u8] = &out.stdout;
    for (i, _) in &asked {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = &rest[..end];
        rest = &rest[end + 1..];
        // `<oid> <type> <size>`, or `<name> missing` / `<name> ambiguous`.
        if header.ends_with(b" missing") || header.ends_with(b" ambiguous") {
            continue;
        }
        let fields: Vec<&[u8]> = header.rsplitn(3, |&b| b == b' ').collect();
        let size = match fields.as_slice() {
            [size, kind, _oid] => {
                let Some(size) = std::str::from_utf8(size)
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                else {
                    continue;
                };
                if rest.len() < size + 1 {
                    break;
                }
                if *kind == b"blob" {
                    blobs[*i] = Some(rest[..size].to_vec());
                }
                size + 1
            }
            _ => 0,
        };
        rest = &rest[size..];
    }
    Ok(blobs)
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
