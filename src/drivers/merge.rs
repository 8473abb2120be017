//! `nbmyst merge BASE OURS THEIRS [--marker-size N] [--path P] [--base-label S] [--ours-label X]
//! [--theirs-label Y] [--outputs WHOSE]`: git's merge driver for notebooks (`%O %A %B %L %P %S %X
//! %Y`).
//!
//! git runs it from the top of the work tree on three temporary files (`.merge_file_XXXXXX`,
//! relative names, no extension) holding the repository form of each version, and reads the
//! result back from OURS (`%A`). Exit 0 is a clean merge, 1 to 128 a conflict (OURS goes to the
//! work tree as it is), and above 128 a failed merge: git 2.42 and later then stop the whole
//! merge and touch nothing. So:
//!
//! - notebooks are merged by [`crate::merge`] and written over OURS atomically (a temporary file
//!   beside it, renamed over it; its mode kept; a symbolic link written through);
//! - a version that is not a notebook we can merge (not JSON, raw conflict markers, nbformat 3,
//!   ...) gets git's own line merge of the raw files instead (`git merge-file`, else the same
//!   merge done here), exit 1 unless that merge is clean and gives a notebook, and one line on
//!   stderr saying why; a binary version leaves OURS as it is (git's rule), exit 1;
//! - only a bad command line or an OURS that cannot be written exits above 128
//!   ([`EXIT_MERGE_FAILED`]);
//! - `NBMYST=0` makes it do exactly git's line merge.
//!
//! Nothing is printed on standard output: git shows it to the user mixed with its own lines.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::{MergeArgs, OutputsArg};
use crate::drivers::Env;
use crate::error::{io_message, warn};
use crate::git;
use crate::merge::{self, ConflictStyle, Labels, Markers, MergeOptions, OutputsChoice};
use crate::notebook::{self, Notebook, ReadOptions};

/// Exit status: a clean merge.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: conflicts (marked in OURS), or a fallback line merge.
pub const EXIT_CONFLICT: u8 = 1;
/// Exit status: OURS could not be written, or the command line is wrong. Above 128, so git
/// (2.42 and later) stops the merge and changes nothing, rather than take OURS as it is.
pub const EXIT_MERGE_FAILED: u8 = 129;

/// git configuration: whose outputs a cell both sides re-ran keeps (`ours`, `theirs`, `clear`).
pub const OUTPUTS_CONFIG: &str = "merge.nbmyst.outputs";
/// git configuration: the conflict style (`merge`, `diff3`, `zdiff3`), as git's own merge reads it.
pub const CONFLICT_STYLE_CONFIG: &str = "merge.conflictstyle";

/// The placeholders git older than 2.44 leaves as they are: no label.
const UNEXPANDED_LABELS: [&str; 3] = ["%S", "%X", "%Y"];

/// The exit status for a command line clap refused: above 128 for `merge` (a 2 would be read as
/// a conflict with OURS unchanged), clap's own status otherwise.
pub fn usage_status(clap_status: u8, mut args: impl Iterator<Item = OsString>) -> u8 {
    let is_merge = args.nth(1).is_some_and(|a| a == "merge");
    if clap_status != 0 && is_merge {
        EXIT_MERGE_FAILED
    } else {
        clap_status
    }
}

/// The three versions, by git's names for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Base,
    Ours,
    Theirs,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Base => "base",
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }
}

/// Why a merge could not be done as a notebook merge.
#[derive(Debug, thiserror::Error)]
enum Unmergeable {
    #[error("{}: {problem}", side.name())]
    NotNotebook { side: Side, problem: String },
    #[error("{}: nbformat {major}.{minor} is merged as text, never rewritten as nbformat 4", side.name())]
    OldFormat { side: Side, major: u64, minor: u64 },
}

/// Failures that stop the driver with [`EXIT_MERGE_FAILED`].
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("cannot read {} ({}): {}", side.name(), path.display(), io_message(source))]
    Read {
        side: Side,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} ({}) is a directory, not a file", side.name(), path.display())]
    Directory { side: Side, path: PathBuf },
    #[error("{} is read-only: the merge result cannot be written to it", path.display())]
    ReadOnly { path: PathBuf },
    #[error("cannot write the merge result to {}: {}", path.display(), io_message(source))]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Run `nbmyst merge`; returns the exit status. Messages go to `stderr`, one line each.
pub fn run(args: &MergeArgs, env: &Env, stderr: &mut dyn Write) -> u8 {
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    match merge_files(args, env, &name, stderr) {
        Ok(status) => status,
        Err(failure) => {
            let _ = writeln!(stderr, "nbmyst: error: {name}: {failure}");
            let _ = stderr.flush();
            EXIT_MERGE_FAILED
        }
    }
}

fn merge_files(
    args: &MergeArgs,
    env: &Env,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<u8, Failure> {
    let cwd = env.cwd();
    let paths = [
        (Side::Base, cwd.join(&args.base)),
        (Side::Ours, cwd.join(&args.ours)),
        (Side::Theirs, cwd.join(&args.theirs)),
    ];
    let mut bytes: Vec<Vec<u8>> = Vec::with_capacity(3);
    for (side, path) in &paths {
        bytes.push(read_side(*side, path)?);
    }
    let ours_path = &paths[1].1;
    if fs::metadata(ours_path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(Failure::ReadOnly {
            path: args.ours.clone(),
        });
    }
    let (base, ours, theirs) = (&bytes[0], &bytes[1], &bytes[2]);
    // git's configuration is read only if the merge turns out to depend on it (a git process
    // costs as much as merging a large notebook).
    let settings = Settings::resolve(args, &[], stderr, name);

    if env.disabled() {
        let merged = line_merge(&cwd, args, [base, ours, theirs], &settings.markers);
        write_atomically(ours_path, &merged.merged).map_err(|source| Failure::Write {
            path: args.ours.clone(),
            source,
        })?;
        return Ok(if merged.conflicts == 0 {
            EXIT_CLEAN
        } else {
            EXIT_CONFLICT
        });
    }

    if let Some(side) = [Side::Base, Side::Ours, Side::Theirs]
        .into_iter()
        .zip([base, ours, theirs])
        .find_map(|(side, b)| b.contains(&0).then_some(side))
    {
        warn(
            stderr,
            format_args!(
                "{name}: {}: binary file, not a notebook; keeping ours as it is",
                side.name()
            ),
        );
        return Ok(EXIT_CONFLICT);
    }

    match read_notebooks(base, ours, theirs) {
        Ok((b, o, t)) => {
            let mut outcome = merge::merge(b.as_ref(), o, t, &settings.options());
            // Conflicts are marked in git's configured style.
            let marked = !outcome.is_clean();
            if marked || (args.outputs.is_none() && outcome.outputs_choice_used) {
                let pattern = "^merge\\.(conflictstyle|nbmyst\\.outputs)$";
                let config = git::config_matching(&cwd, pattern).unwrap_or_default();
                let configured = Settings::resolve(args, &config, stderr, name);
                if configured != settings {
                    if let Ok((b, o, t)) = read_notebooks(base, ours, theirs) {
                        outcome = merge::merge(b.as_ref(), o, t, &configured.options());
                    }
                }
            }
            let text = notebook::write(&outcome.notebook);
            write_atomically(ours_path, text.as_bytes()).map_err(|source| Failure::Write {
                path: args.ours.clone(),
                source,
            })?;
            let status = if outcome.is_clean() {
                EXIT_CLEAN
            } else {
                EXIT_CONFLICT
            };
            // The process ends right after: freeing megabytes of small allocations one by one
            // would only make git wait.
            std::mem::forget((b, outcome, text));
            Ok(status)
        }
        Err(why) => {
            warn(
                stderr,
                format_args!("{name}: {why}; merged as text, line by line"),
            );
            let merged = line_merge(&cwd, args, [base, ours, theirs], &settings.markers);
            write_atomically(ours_path, &merged.merged).map_err(|source| Failure::Write {
                path: args.ours.clone(),
                source,
            })?;
            let is_notebook = notebook::read(&merged.merged, &ReadOptions::WITHOUT_OUTPUTS)
                .is_ok_and(|r| r.warnings.is_empty());
            Ok(if merged.conflicts == 0 && is_notebook {
                EXIT_CLEAN
            } else {
                EXIT_CONFLICT
            })
        }
    }
}

fn read_side(side: Side, path: &Path) -> Result<Vec<u8>, Failure> {
    fs::read(path).map_err(|source| {
        if path.is_dir() {
            Failure::Directory {
                side,
                path: path.to_owned(),
            }
        } else {
            Failure::Read {
                side,
                path: path.to_owned(),
                source,
            }
        }
    })
}

type Sides = (Option<Notebook>, Notebook, Notebook);

/// The three notebooks; an empty base is no base (git's add/add).
/// The notebooks are parsed on separate threads: reading is most of a merge's time.
fn read_notebooks(base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Sides, Unmergeable> {
    let (b, o, t) = std::thread::scope(|scope| {
        let b = (!base.is_empty()).then(|| scope.spawn(|| read_notebook(Side::Base, base)));
        let t = scope.spawn(|| read_notebook(Side::Theirs, theirs));
        let o = read_notebook(Side::Ours, ours);
        let join = |h: std::thread::ScopedJoinHandle<'_, Result<Notebook, Unmergeable>>, side| {
            h.join().unwrap_or_else(|_| {
                Err(Unmergeable::NotNotebook {
                    side,
                    problem: "internal error while reading".to_owned(),
                })
            })
        };
        (b.map(|h| join(h, Side::Base)), o, join(t, Side::Theirs))
    });
    Ok((b.transpose()?, o?, t?))
}

/// A notebook merged and written back as it came: anything the reader had to repair or upgrade
/// (a missing key, a byte order mark, nbformat 3) is left to the line merge instead.
fn read_notebook(side: Side, bytes: &[u8]) -> Result<Notebook, Unmergeable> {
    let read = notebook::read(bytes, &ReadOptions::FULL).map_err(|e| Unmergeable::NotNotebook {
        side,
        problem: e.to_string(),
    })?;
    if let Some((major, minor)) = read.upgraded_from() {
        return Err(Unmergeable::OldFormat { side, major, minor });
    }
    if let Some(w) = read.warnings.first() {
        return Err(Unmergeable::NotNotebook {
            side,
            problem: w.to_string(),
        });
    }
    Ok(read.notebook)
}

/// git's line merge of the raw files (`git merge-file`), or the same merge done here when git
/// cannot be run.
fn line_merge(
    cwd: &Path,
    args: &MergeArgs,
    [base, ours, theirs]: [&Vec<u8>; 3],
    markers: &Markers,
) -> merge::text::TextMerge<Vec<u8>> {
    let labels = &markers.labels;
    let by_git = git::merge_file(
        cwd,
        [&args.base, &args.ours, &args.theirs].map(PathBuf::as_path),
        [&labels.base, &labels.ours, &labels.theirs].map(String::as_str),
        markers.size,
    );
    match by_git {
        Ok(m) => merge::text::TextMerge {
            merged: m.merged,
            conflicts: m.conflicts as usize,
        },
        Err(_) => merge::text::merge_files(base, ours, theirs, markers),
    }
}

/// Settings from the command line, then git's configuration.
#[derive(Debug, PartialEq)]
struct Settings {
    markers: Markers,
    outputs: OutputsChoice,
}

impl Settings {
    /// `config`: the (name, value) pairs of git's configuration that matter here.
    fn resolve(
        args: &MergeArgs,
        config: &[(String, String)],
        stderr: &mut dyn Write,
        name: &str,
    ) -> Settings {
        let label = |given: &Option<String>, default: &str| match given.as_deref() {
            Some(l) if !l.is_empty() && !UNEXPANDED_LABELS.contains(&l) => l.to_owned(),
            _ => default.to_owned(),
        };
        let defaults = Labels::default();
        let labels = Labels {
            base: label(&args.base_label, &defaults.base),
            ours: label(&args.ours_label, &defaults.ours),
            theirs: label(&args.theirs_label, &defaults.theirs),
        };
        let size = if args.marker_size == 0 {
            merge::DEFAULT_MARKER_SIZE
        } else {
            args.marker_size
        };
        let value = |key: &str| {
            config
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let style = match value(CONFLICT_STYLE_CONFIG) {
            Some(s) if s.eq_ignore_ascii_case("diff3") || s.eq_ignore_ascii_case("zdiff3") => {
                ConflictStyle::Diff3
            }
            _ => ConflictStyle::Merge,
        };
        let outputs = match args.outputs {
            Some(OutputsArg::Ours) => OutputsChoice::Ours,
            Some(OutputsArg::Theirs) => OutputsChoice::Theirs,
            Some(OutputsArg::Clear) => OutputsChoice::Clear,
            None => match value(OUTPUTS_CONFIG) {
                None => OutputsChoice::default(),
                Some(v) => OutputsChoice::parse(v).unwrap_or_else(|| {
                    warn(
                        stderr,
                        format_args!(
                            "{name}: {OUTPUTS_CONFIG} is {v:?}, expected ours, theirs or clear; using ours"
                        ),
                    );
                    OutputsChoice::default()
                }),
            },
        };
        Settings {
            markers: Markers {
                size,
                labels,
                style,
            },
            outputs,
        }
    }

    fn options(&self) -> MergeOptions {
        MergeOptions {
            markers: self.markers.clone(),
            outputs: self.outputs,
        }
    }
}

/// Replace `path`'s content: write a temporary file beside it (beside the link's target for a
/// symbolic link), give it `path`'s mode, and rename it over. Nothing is left behind on failure.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".nbmyst-merge-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    if let Ok(meta) = fs::metadata(&target) {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_of_merge_exit_above_128() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>().into_iter();
        assert_eq!(
            usage_status(2, args(&["nbmyst", "merge", "x"])),
            EXIT_MERGE_FAILED
        );
        assert_eq!(usage_status(0, args(&["nbmyst", "merge", "--help"])), 0);
        assert_eq!(usage_status(2, args(&["nbmyst", "textconv"])), 2);
    }

    #[test]
    fn atomic_write_keeps_the_mode_and_leaves_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".merge_file_abc");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
