//! The only module that runs `git`.
//!
//! nbmyst calls the git command line (through `std::process`) rather than a library such as
//! libgit2: the CLI is the git the user runs, with the same version, configuration files,
//! attributes and isolation variables (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM`, ...), so what
//! nbmyst sees is what the user's git sees. textconv never calls git: it has to start in
//! milliseconds, and everything it needs is in its argument and the current folder.

use std::collections::HashSet;
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

/// Run `git ARGS` in `dir`, writing `input` to its standard input, and return the whole
/// outcome whatever the exit status (the caller decides what each status means).
fn run_raw<S: AsRef<OsStr>>(
    dir: &Path,
    args: &[S],
    input: Option<&[u8]>,
) -> Result<std::process::Output, GitError> {
    let mut cmd = Command::new(GIT);
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let Some(input) = input else {
        return cmd.stdin(Stdio::null()).output().map_err(GitError::Spawn);
    };
    let mut child = cmd.stdin(Stdio::piped()).spawn().map_err(GitError::Spawn)?;
    let mut stdin = child.stdin.take();
    // Write from another thread: git may fill its output pipe before it has read all its input.
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                // git stops reading only when it fails, and then its status says why.
                let _ = io::Write::write_all(stdin, input);
            }
        });
        child.wait_with_output().map_err(GitError::Spawn)
    })
}

/// The error for a git command that exited with an unexpected status.
fn failed<S: AsRef<OsStr>>(args: &[S], out: &std::process::Output) -> GitError {
    GitError::Failed {
        args: args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        status: out.status.to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
    }
}

/// Split NUL-terminated records (a missing final NUL is tolerated).
fn nul_fields(bytes: &[u8]) -> Vec<String> {
    let mut fields: Vec<String> = bytes
        .split(|&b| b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    if bytes.last() == Some(&0) || bytes.is_empty() {
        fields.pop();
    }
    fields
}

/// The work tree and git directory of the repository that `dir` is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    /// The top of the work tree.
    pub top: PathBuf,
    /// The git directory (`.git`, or the worktree's own folder under it).
    pub git_dir: PathBuf,
}

/// The repository `dir` is in, or `None` outside any work tree (including a bare repository).
pub fn repo(dir: &Path) -> Result<Option<Repo>, GitError> {
    let args = ["rev-parse", "--show-toplevel", "--absolute-git-dir"];
    let out = run_raw(dir, &args, None)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("not a git repository") || stderr.contains("must be run in a work tree")
        {
            return Ok(None);
        }
        return Err(failed(&args, &out));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(top), Some(git_dir)) => Ok(Some(Repo {
            top: PathBuf::from(top),
            git_dir: PathBuf::from(git_dir),
        })),
        _ => Ok(None),
    }
}

/// `git rev-parse --git-path PATH`: where a file of the git directory lives (for example
/// `info/attributes`, which linked worktrees share), made absolute against `dir`.
pub fn git_path(dir: &Path, path: &str) -> Result<PathBuf, GitError> {
    let out = output(dir, &["rev-parse", "--git-path", path])?;
    let text = String::from_utf8_lossy(&out);
    Ok(dir.join(text.trim_end_matches(['\n', '\r'])))
}

/// `git var NAME` (for example `GIT_ATTR_GLOBAL`); `None` when this git does not know the
/// variable (`GIT_ATTR_*` came in git 2.42) or it has no value.
pub fn var(dir: &Path, name: &str) -> Result<Option<String>, GitError> {
    let out = run_raw(dir, &["var", name], None)?;
    if !out.status.success() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let text = text.trim_end_matches(['\n', '\r']);
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// Which configuration file a `git config` command reads or writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigScope {
    /// The repository's own (`.git/config`).
    Local,
    /// The user's (`~/.gitconfig`, `$XDG_CONFIG_HOME/git/config` or `GIT_CONFIG_GLOBAL`).
    Global,
    /// The machine's (`$(prefix)/etc/gitconfig`).
    System,
    /// A file named on the command line (`git config --file`), such as a team's `.gitconfig`.
    File(PathBuf),
}

impl ConfigScope {
    fn args(&self) -> Vec<std::ffi::OsString> {
        match self {
            ConfigScope::Local => vec!["--local".into()],
            ConfigScope::Global => vec!["--global".into()],
            ConfigScope::System => vec!["--system".into()],
            ConfigScope::File(path) => vec!["--file".into(), path.into()],
        }
    }
}

/// `git config` with a scope (or none: every file git reads, includes followed).
fn config_args(scope: Option<&ConfigScope>, rest: &[&str]) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec!["config".into()];
    if let Some(scope) = scope {
        args.extend(scope.args());
    }
    args.extend(rest.iter().map(|a| a.into()));
    args
}

/// Every value of `key` (`git config --get-all`), in the order git reads them; empty when unset.
pub fn config_get_all(
    dir: &Path,
    scope: Option<&ConfigScope>,
    key: &str,
) -> Result<Vec<String>, GitError> {
    let args = config_args(scope, &["-z", "--get-all", key]);
    let out = run_raw(dir, &args, None)?;
    match out.status.code() {
        Some(0) => Ok(nul_fields(&out.stdout)),
        // 1: the key is not set. A --file that does not exist is the same as an empty one.
        Some(1) => Ok(Vec::new()),
        _ if matches!(scope, Some(ConfigScope::File(p)) if !dir.join(p).exists()) => Ok(Vec::new()),
        _ => Err(failed(&args, &out)),
    }
}

/// Set `key` to `value`, replacing every value it had (`git config --replace-all`).
pub fn config_set(dir: &Path, scope: &ConfigScope, key: &str, value: &str) -> Result<(), GitError> {
    output(
        dir,
        &config_args(Some(scope), &["--replace-all", key, value]),
    )?;
    Ok(())
}

/// Remove every value of `key` (`git config --unset-all`); `false` when it was not set.
pub fn config_unset_all(dir: &Path, scope: &ConfigScope, key: &str) -> Result<bool, GitError> {
    let args = config_args(Some(scope), &["--unset-all", key]);
    let out = run_raw(dir, &args, None)?;
    match out.status.code() {
        Some(0) => Ok(true),
        // 5: the key is not set.
        Some(5) => Ok(false),
        _ if matches!(scope, ConfigScope::File(p) if !dir.join(p).exists()) => Ok(false),
        _ => Err(failed(&args, &out)),
    }
}

/// Remove the header of `section` (`diff.nbmyst`) if the section is left with no keys (git
/// before 2.46 keeps an empty `[diff "nbmyst"]` after its last key is unset); `true` if removed.
pub fn config_remove_empty_section(
    dir: &Path,
    scope: &ConfigScope,
    section: &str,
) -> Result<bool, GitError> {
    let pattern = format!("^{}\\.", regex_escape(section));
    if !config_entries(dir, Some(scope), &pattern)?.is_empty() {
        return Ok(false);
    }
    let args = config_args(Some(scope), &["--remove-section", section]);
    let out = run_raw(dir, &args, None)?;
    // "no such section" (status 128 on older git, 3 or 5 on newer) is the usual case.
    Ok(out.status.success())
}

/// Escape a literal for a `git config --get-regexp` pattern (POSIX extended).
pub fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One configuration value and where git read it from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigEntry {
    /// The key as git prints it (section and name lowercased, subsection as written).
    pub key: String,
    /// The value; `None` for a key written without `=` (boolean true).
    pub value: Option<String>,
    /// `local`, `global`, `system`, `worktree` or `command`.
    pub scope: String,
    /// Where it came from, as git says: `file:.git/config`, `command line:`, ...
    pub origin: String,
}

/// The entries whose key matches `pattern` (`git config --get-regexp`), with their origin.
pub fn config_entries(
    dir: &Path,
    scope: Option<&ConfigScope>,
    pattern: &str,
) -> Result<Vec<ConfigEntry>, GitError> {
    let args = config_args(
        scope,
        &[
            "-z",
            "--show-origin",
            "--show-scope",
            "--get-regexp",
            pattern,
        ],
    );
    let out = run_raw(dir, &args, None)?;
    match out.status.code() {
        Some(0) => {}
        Some(1) => return Ok(Vec::new()),
        _ if matches!(scope, Some(ConfigScope::File(p)) if !dir.join(p).exists()) => {
            return Ok(Vec::new())
        }
        _ => return Err(failed(&args, &out)),
    }
    let fields = nul_fields(&out.stdout);
    Ok(fields
        .chunks_exact(3)
        .map(|record| {
            let (key, value) = match record[2].split_once('\n') {
                Some((key, value)) => (key.to_owned(), Some(value.to_owned())),
                None => (record[2].clone(), None),
            };
            ConfigEntry {
                key,
                value,
                scope: record[0].clone(),
                origin: record[1].clone(),
            }
        })
        .collect())
}

/// The tracked files that match `pathspecs` (`git ls-files -z`), relative to `dir`.
pub fn ls_files(dir: &Path, pathspecs: &[&str]) -> Result<Vec<String>, GitError> {
    let mut args = vec!["ls-files", "-z", "--"];
    args.extend_from_slice(pathspecs);
    Ok(nul_fields(&output(dir, &args)?))
}

/// The value git gives each of `attributes` for each of `paths` (`git check-attr`), one map
/// per path in the order given: `unspecified`, `set`, `unset`, or the value.
pub fn check_attr(
    dir: &Path,
    attributes: &[&str],
    paths: &[String],
) -> Result<Vec<Vec<(String, String)>>, GitError> {
    let mut args = vec!["check-attr", "-z", "--stdin"];
    args.extend_from_slice(attributes);
    let mut input = Vec::new();
    for path in paths {
        input.extend_from_slice(path.as_bytes());
        input.push(0);
    }
    let out = run_raw(dir, &args, Some(&input))?;
    if !out.status.success() {
        return Err(failed(&args, &out));
    }
    let fields = nul_fields(&out.stdout);
    let mut result: Vec<Vec<(String, String)>> = vec![Vec::new(); paths.len()];
    let mut index = 0;
    let mut last_path: Option<&str> = None;
    for record in fields.chunks_exact(3) {
        if last_path.is_some_and(|p| p != record[0]) {
            index += 1;
        }
        last_path = Some(&record[0]);
        if let Some(slot) = result.get_mut(index) {
            slot.push((record[1].clone(), record[2].clone()));
        }
    }
    Ok(result)
}

/// Whether `reference` exists (`git show-ref --verify`).
pub fn ref_exists(dir: &Path, reference: &str) -> Result<bool, GitError> {
    let args = ["show-ref", "--verify", "--quiet", reference];
    let out = run_raw(dir, &args, None)?;
    match out.status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(failed(&args, &out)),
    }
}

/// Delete `reference` (`git update-ref -d`).
pub fn delete_ref(dir: &Path, reference: &str) -> Result<(), GitError> {
    output(dir, &["update-ref", "-d", reference])?;
    Ok(())
}

/// The message of the commit `rev` points at.
pub fn commit_message(dir: &Path, rev: &str) -> Result<String, GitError> {
    let out = output(dir, &["log", "-1", "--format=%B", rev, "--"])?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// One entry of `git ls-tree -r`: the object id and the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// The object id.
    pub oid: String,
    /// The path inside the tree.
    pub path: String,
}

/// The blobs of `tree` (`git ls-tree -r -z`), optionally limited to `pathspecs`.
pub fn ls_tree(dir: &Path, tree: &str, pathspecs: &[&str]) -> Result<Vec<TreeEntry>, GitError> {
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", tree, "--"];
    args.extend_from_slice(pathspecs);
    let out = output(dir, &args)?;
    Ok(nul_fields(&out)
        .into_iter()
        .filter_map(|line| {
            let (meta, path) = line.split_once('\t')?;
            let mut parts = meta.split(' ');
            let (_mode, kind, oid) = (parts.next()?, parts.next()?, parts.next()?);
            (kind == "blob").then(|| TreeEntry {
                oid: oid.to_owned(),
                path: path.to_owned(),
            })
        })
        .collect())
}

/// The contents of the blobs `oids` (`git cat-file --batch`), `None` for a missing one.
pub fn read_blobs(dir: &Path, oids: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    let input: Vec<u8> = oids
        .iter()
        .flat_map(|o| format!("{o}\n").into_bytes())
        .collect();
    let args = ["cat-file", "--batch"];
    let out = run_raw(dir, &args, Some(&input))?;
    if !out.status.success() {
        return Err(failed(&args, &out));
    }
    let mut rest = &out.stdout[..];
    let mut blobs = Vec::with_capacity(oids.len());
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let size = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok());
        match size {
            Some(size) if header.split(' ').nth(1).is_some() && rest.len() > size => {
                blobs.push(Some(rest[..size].to_vec()));
                // The contents are followed by a newline.
                rest = &rest[size + 1..];
            }
            // `<oid> missing` (or a short answer: treat the rest as missing).
            _ => blobs.push(None),
        }
    }
    blobs.resize(oids.len(), None);
    Ok(blobs)
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

/// Which files [`list_files`] lists.
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
pub fn list_files(
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

/// Which of `paths` (relative to `dir`, where git runs) have unmerged entries in the index (a
/// merge, rebase or cherry-pick stopped on them): `git ls-files -u`. The answer is a flag per
/// path, in order.
pub fn unmerged(dir: &Path, paths: &[PathBuf]) -> Result<Vec<bool>, GitError> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut args: Vec<OsString> = vec!["ls-files".into(), "-z".into(), "--unmerged".into()];
    args.push("--".into());
    args.extend(paths.iter().map(|p| {
        let mut literal = OsString::from(":(literal)");
        literal.push(p.as_os_str());
        literal
    }));
    let out = output(dir, &args)?;
    // `<mode> <oid> <stage>\t<path>`, one entry per stage.
    let listed: HashSet<PathBuf> = out
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let tab = entry.iter().position(|&b| b == b'\t')?;
            std::str::from_utf8(&entry[tab + 1..])
                .ok()
                .map(PathBuf::from)
        })
        .collect();
    Ok(paths
        .iter()
        .map(|p| listed.contains(&strip_dot(p)))
        .collect())
}

/// A relative path without leading `./`, as git lists it.
fn strip_dot(path: &Path) -> PathBuf {
    let mut path = path;
    while let Ok(rest) = path.strip_prefix(".") {
        if rest == path {
            break;
        }
        path = rest;
    }
    path.to_path_buf()
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

    /// A repository with one commit, outside any other (git isolated from the user's config).
    fn committed_repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = Command::new(GIT)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        git(&["init", "-q"]);
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a b.md"), "with a space\n").unwrap();
        std::fs::write(dir.path().join("sub/x.ipynb"), "{}").unwrap();
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "one"]);
        std::fs::write(dir.path().join("new.md"), "untracked\n").unwrap();
        std::fs::write(dir.path().join(".gitignore"), "ignored.md\n").unwrap();
        std::fs::write(dir.path().join("ignored.md"), "ignored\n").unwrap();
        dir
    }

    #[test]
    fn head_blobs_in_one_batch() {
        let repo = committed_repo();
        let sub = repo.path().join("sub");
        let paths = ["x.ipynb", "../a b.md", "missing.md", "."].map(PathBuf::from);
        let blobs = head_blobs(&sub, &paths).unwrap();
        assert_eq!(blobs[0].as_deref(), Some(&b"{}"[..]));
        assert_eq!(blobs[1].as_deref(), Some(&b"with a space\n"[..]));
        assert_eq!(blobs[2], None);
        // A folder is not a file.
        assert_eq!(blobs[3], None);
        assert!(work_tree_top(&sub).is_some());
    }

    #[test]
    fn listing_tracked_and_untracked_files() {
        let repo = committed_repo();
        let tracked = list_files(repo.path(), &[], Listing::Tracked).unwrap();
        assert_eq!(tracked, ["a b.md", "sub/x.ipynb"].map(PathBuf::from));
        let mut all = list_files(
            repo.path(),
            &[PathBuf::from(".")],
            Listing::TrackedAndUntracked,
        )
        .unwrap();
        all.sort();
        assert_eq!(
            all,
            [".gitignore", "a b.md", "new.md", "sub/x.ipynb"].map(PathBuf::from)
        );
        let from_sub = list_files(&repo.path().join("sub"), &[], Listing::Tracked).unwrap();
        assert_eq!(from_sub, ["../a b.md", "x.ipynb"].map(PathBuf::from));
    }
}
