//! `nbmyst diff`: git's external diff driver for notebooks (`diff.<driver>.command`,
//! `GIT_EXTERNAL_DIFF`), and a diff of two notebook files outside git.
//!
//! git runs it from the top of the work tree with one of three argument lists:
//! - `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`, where a file is a temporary copy
//!   of a blob (`$TMPDIR/git-blob-XXXXXX/<name>`) or the work-tree file itself, and an added or
//!   deleted side is `/dev/null` with `.` for its id and mode;
//! - the same and `NEW-PATH HEADER-LINES` for a rename or copy (`PATH` is then the old path);
//! - `PATH` alone for an unmerged path (from `git diff --cached`).
//!
//! stdout is git's: nothing is printed around what the driver writes. Any non-zero exit makes
//! git stop with "external diff died", so every readable input gives exit 0: a side that is not
//! a notebook gets a raw line diff of the files and one warning naming it. With `--exit-code`
//! (for `diff.<driver>.trustExitCode`, git 2.46 and later) the status is 1 when there are
//! differences. A closed pipe (`git diff | head`) ends quietly with 0.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::cli::{ColorWhen, DiffArgs};
use crate::drivers::textconv::{write_options, Input};
use crate::drivers::{is_stdin, Env, Terminal};
use crate::error::{warn, Error};
use crate::myst::filter::MetadataFilter;
use crate::myst::write::WriteOptions;
use crate::notebook::{self, Json, Notebook, ReadOptions};
use crate::render::header::{Blob, FileHeader};
use crate::render::lines::DEFAULT_CONTEXT;
use crate::render::notebook::{write_notebook_diff, NotebookSide};
use crate::render::paint::Painter;
use crate::render::write_raw_diff;
use crate::{EXIT_DIFFERENCES, EXIT_OK};

/// The name git gives an absent side.
pub const DEV_NULL: &str = "/dev/null";

/// git's "no object id" and "no mode" for an absent side.
const ABSENT: &str = ".";

/// Run `nbmyst diff`; returns the exit status.
pub fn run(
    args: &DiffArgs,
    env: &Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let call = Call::parse(&args.args)?;
    let context = args
        .unified
        .or_else(|| git_diff_opts_context(env.terminal.git_diff_opts.as_deref()))
        .unwrap_or(DEFAULT_CONTEXT);
    let mut painter = Painter::new(stdout, colour_on(args.color, &env.terminal));
    let changed = match call {
        Call::Unmerged { path } => {
            let mut line = b"* Unmerged path ".to_vec();
            line.extend_from_slice(&path_bytes(&path));
            painter.plain(&line).map_err(Error::WriteOutput)?;
            true
        }
        Call::Pair(pair) => pair.diff(env, context, stdin, &mut painter, stderr)?,
    };
    painter.flush().map_err(Error::WriteOutput)?;
    Ok(if args.exit_code && changed {
        EXIT_DIFFERENCES
    } else {
        EXIT_OK
    })
}

/// What git (or the user) asked for.
#[derive(Debug, PartialEq)]
enum Call {
    /// `git diff --cached` on a path with a conflict: git prints only a line about it.
    Unmerged { path: OsString },
    /// Two sides to compare.
    Pair(Box<Pair>),
}

/// One side's file.
#[derive(Debug, PartialEq)]
enum SideFile {
    /// `/dev/null`: the file is added or deleted.
    Absent,
    /// `-`: standard input.
    Stdin,
    /// A file, relative to the current folder or absolute.
    File(PathBuf),
}

/// Two sides, what git says about them, and where their settings are.
#[derive(Debug, PartialEq)]
struct Pair {
    header: FileHeader,
    old: SideFile,
    new: SideFile,
    /// The notebook path whose folder the jupytext configuration is looked up from.
    settings_path: PathBuf,
}

impl Call {
    fn parse(args: &[OsString]) -> Result<Call, Error> {
        match args {
            [path] => Ok(Call::Unmerged { path: path.clone() }),
            [a, b] => Ok(Call::Pair(Box::new(Pair::files(a, b)))),
            [path, old_file, old_hex, old_mode, new_file, new_hex, new_mode] => {
                Ok(Call::Pair(Box::new(Pair::from_git(
                    [
                        path, old_file, old_hex, old_mode, new_file, new_hex, new_mode,
                    ],
                    None,
                ))))
            }
            [path, old_file, old_hex, old_mode, new_file, new_hex, new_mode, new_path, extended] => {
                Ok(Call::Pair(Box::new(Pair::from_git(
                    [
                        path, old_file, old_hex, old_mode, new_file, new_hex, new_mode,
                    ],
                    Some((new_path, extended)),
                ))))
            }
            _ => Err(Error::DiffArguments { count: args.len() }),
        }
    }
}

impl Pair {
    /// git's 7 arguments, and the rename's new path and header lines.
    fn from_git(seven: [&OsString; 7], rename: Option<(&OsString, &OsString)>) -> Pair {
        let [path, old_file, old_hex, old_mode, new_file, new_hex, new_mode] = seven;
        let side = |file: &OsString| {
            if file == DEV_NULL {
                SideFile::Absent
            } else {
                SideFile::File(PathBuf::from(file))
            }
        };
        let blob = |hex: &OsString, mode: &OsString| Blob {
            hex: (hex != ABSENT).then(|| hex.to_string_lossy().into_owned()),
            mode: (mode != ABSENT).then(|| mode.to_string_lossy().into_owned()),
        };
        let (old, new) = (side(old_file), side(new_file));
        let new_path = rename.map_or(path, |(new_path, _)| new_path);
        let settings_path = PathBuf::from(if new == SideFile::Absent {
            path
        } else {
            new_path
        });
        Pair {
            header: FileHeader {
                old_path: path_bytes(path),
                new_path: path_bytes(new_path),
                old: (old != SideFile::Absent).then(|| blob(old_hex, old_mode)),
                new: (new != SideFile::Absent).then(|| blob(new_hex, new_mode)),
                extended: rename.map(|(_, lines)| path_bytes(lines)),
            },
            old,
            new,
            settings_path,
        }
    }

    /// Two files named by the user (`/dev/null` for nothing, `-` for standard input).
    fn files(a: &OsString, b: &OsString) -> Pair {
        let side = |file: &OsString| {
            if file == DEV_NULL {
                SideFile::Absent
            } else if is_stdin(Path::new(file)) {
                SideFile::Stdin
            } else {
                SideFile::File(PathBuf::from(file))
            }
        };
        let (old, new) = (side(a), side(b));
        // git diff --no-index names files as given, less a leading `/`.
        let shown = |file: &OsString| {
            let bytes = path_bytes(file);
            match bytes.strip_prefix(b"/") {
                Some(rest) => rest.to_vec(),
                None => bytes,
            }
        };
        let settings_path = match (&new, &old) {
            (SideFile::File(path), _) | (_, SideFile::File(path)) => path.clone(),
            _ => PathBuf::from("-"),
        };
        Pair {
            header: FileHeader {
                old_path: shown(a),
                new_path: shown(b),
                old: (old != SideFile::Absent).then(Blob::default),
                new: (new != SideFile::Absent).then(Blob::default),
                extended: None,
            },
            old,
            new,
            settings_path,
        }
    }

    /// Read both sides and write their diff; returns whether there is a change to report.
    fn diff(
        &self,
        env: &Env,
        context: usize,
        stdin: &mut dyn Read,
        painter: &mut Painter,
        stderr: &mut dyn Write,
    ) -> Result<bool, Error> {
        let old_name = String::from_utf8_lossy(&self.header.old_path).into_owned();
        let new_name = String::from_utf8_lossy(&self.header.new_path).into_owned();
        let old = read_side(&self.old, &old_name, env, stdin)?;
        let new = read_side(&self.new, &new_name, env, stdin)?;
        let bytes_differ = old != new;
        if !bytes_differ && !self.header.reports_change() {
            return Ok(false);
        }
        let mut header = self.header.clone();
        fill_blob_id(&mut header.old, old.as_deref());
        fill_blob_id(&mut header.new, new.as_deref());
        let header = &header;
        if env.disabled() {
            return write_raw_diff(painter, header, old.as_deref(), new.as_deref(), context)
                .map_err(Error::WriteOutput);
        }

        let input = Input::locate(&self.settings_path, env);
        let config = if is_stdin(&self.settings_path) {
            None
        } else {
            input.config(env, stderr)
        };
        let options = write_options(config.as_ref(), input.destination());
        let old_view = old.as_deref().map(|bytes| View::read(bytes, &options));
        let new_view = new.as_deref().map(|bytes| View::read(bytes, &options));

        let mut unreadable = false;
        for (view, name, side) in [(&old_view, &old_name, "old"), (&new_view, &new_name, "new")] {
            match view {
                Some(Ok(view)) => {
                    for warning in &view.warnings {
                        warn(stderr, format_args!("{name} ({side}): {warning}"));
                    }
                }
                Some(Err(problem)) => {
                    unreadable = true;
                    warn(
                        stderr,
                        format_args!("{name} ({side}): {problem}; showing a raw diff"),
                    );
                }
                None => {}
            }
        }
        if unreadable {
            return write_raw_diff(painter, header, old.as_deref(), new.as_deref(), context)
                .map_err(Error::WriteOutput);
        }
        let old_side = old_view
            .as_ref()
            .and_then(|v| v.as_ref().ok())
            .map(|v| v.side(&options));
        let new_side = new_view
            .as_ref()
            .and_then(|v| v.as_ref().ok())
            .map(|v| v.side(&options));
        write_notebook_diff(
            painter,
            header,
            old_side.as_ref(),
            new_side.as_ref(),
            context,
            bytes_differ,
        )
        .map_err(Error::WriteOutput)
    }
}

/// A side read as a notebook, with its MyST text.
struct View {
    notebook: Notebook,
    myst: String,
    warnings: Vec<String>,
}

impl View {
    /// Read notebook bytes (outputs included) and write the MyST view; `Err` says why the
    /// bytes are not a notebook that has one.
    fn read(bytes: &[u8], options: &WriteOptions) -> Result<View, String> {
        let read = notebook::read(bytes, &ReadOptions::FULL).map_err(|e| e.to_string())?;
        let myst = crate::myst::write::write(&read.notebook, options).map_err(|e| e.to_string())?;
        Ok(View {
            notebook: read.notebook,
            myst,
            warnings: read.warnings.iter().map(ToString::to_string).collect(),
        })
    }

    fn side(&self, options: &WriteOptions) -> NotebookSide<'_> {
        NotebookSide {
            notebook: &self.notebook,
            myst: &self.myst,
            cell_filter: cell_filter(&self.notebook, options),
        }
    }
}

/// git passes an all-zero id for a work-tree file it did not hash; put in the id git itself
/// shows, the hash of the blob (SHA-1, or SHA-256 in a repository that uses it).
fn fill_blob_id(blob: &mut Option<Blob>, bytes: Option<&[u8]>) {
    let (Some(blob), Some(bytes)) = (blob.as_mut(), bytes) else {
        return;
    };
    let Some(hex) = blob.hex.as_deref() else {
        return;
    };
    if !hex.bytes().all(|b| b == b'0') {
        return;
    }
    let prefix = format!("blob {}\0", bytes.len());
    let digest: Vec<u8> = match hex.len() {
        40 => {
            let mut hasher = sha1::Sha1::new();
            hasher.update(prefix.as_bytes());
            hasher.update(bytes);
            hasher.finalize().to_vec()
        }
        64 => {
            let mut hasher = sha2::Sha256::new();
            hasher.update(prefix.as_bytes());
            hasher.update(bytes);
            hasher.finalize().to_vec()
        }
        _ => return,
    };
    blob.hex = Some(digest.iter().map(|b| format!("{b:02x}")).collect());
}

/// The cell metadata filter the MyST writer applies to this notebook: the configuration's,
/// else the notebook's own `jupytext.cell_metadata_filter`.
fn cell_filter(notebook: &Notebook, options: &WriteOptions) -> MetadataFilter {
    match options.cell_metadata_filter.as_deref() {
        Some(text) if !text.is_empty() => MetadataFilter::parse(text),
        _ => notebook
            .metadata
            .get("jupytext")
            .and_then(Json::as_object)
            .and_then(|jupytext| jupytext.get("cell_metadata_filter"))
            .and_then(MetadataFilter::from_json)
            .unwrap_or_default(),
    }
}

/// The bytes of one side; `None` for an absent side.
fn read_side(
    side: &SideFile,
    name: &str,
    env: &Env,
    stdin: &mut dyn Read,
) -> Result<Option<Vec<u8>>, Error> {
    match side {
        SideFile::Absent => Ok(None),
        SideFile::Stdin => {
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|source| Error::ReadInput {
                    path: "<stdin>".to_owned(),
                    source,
                })?;
            Ok(Some(bytes))
        }
        SideFile::File(path) => {
            let full = env.cwd().join(path);
            fs::read(&full).map(Some).map_err(|source| {
                if full.is_dir() {
                    Error::IsDirectory {
                        path: path.to_string_lossy().into_owned(),
                    }
                } else {
                    Error::ReadInput {
                        path: if path.is_absolute() || path.starts_with("..") {
                            path.to_string_lossy().into_owned()
                        } else {
                            name.to_owned()
                        },
                        source,
                    }
                }
            })
        }
    }
}

/// Whether to colour: the flag, else git's own rule for `color.ui = auto` (standard output is
/// a terminal or git's pager, and `TERM` is set and not `dumb`), turned off by a non-empty
/// `NO_COLOR`.
pub fn colour_on(when: ColorWhen, terminal: &Terminal) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if terminal.no_color.as_deref().is_some_and(|v| !v.is_empty()) {
                return false;
            }
            let pager = terminal
                .git_pager_in_use
                .as_deref()
                .is_some_and(git_bool_true);
            let dumb = terminal.term.as_deref().is_none_or(|t| t == "dumb");
            (terminal.stdout_is_terminal || pager) && !dumb
        }
    }
}

/// git's reading of a boolean variable (`true`, `yes`, `on`, a non-zero number).
fn git_bool_true(value: &OsStr) -> bool {
    let value = value.to_string_lossy().trim().to_ascii_lowercase();
    match value.as_str() {
        "true" | "yes" | "on" => true,
        other => other.parse::<i64>().is_ok_and(|n| n != 0),
    }
}

/// The context from `GIT_DIFF_OPTS` (`--unified=N` or `-uN`, as git reads it).
pub fn git_diff_opts_context(value: Option<&OsStr>) -> Option<usize> {
    let value = value?.to_str()?;
    let number = value
        .strip_prefix("--unified=")
        .or_else(|| value.strip_prefix("-u"))?;
    number.trim().parse().ok()
}

/// A path argument as bytes (as they are on Unix).
fn path_bytes(path: &OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(path).to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned().into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn argument_shapes() {
        let added = Call::parse(&os(&[
            "nb.ipynb",
            "/dev/null",
            ".",
            ".",
            "nb.ipynb",
            "7898192261e1e6e2fbc5b5b8d4d6cd2d1e86b4a4",
            "100644",
        ]))
        .unwrap();
        let Call::Pair(pair) = added else {
            panic!("not a pair")
        };
        assert_eq!(pair.old, SideFile::Absent);
        assert_eq!(pair.header.old, None);
        assert_eq!(pair.new, SideFile::File("nb.ipynb".into()));
        assert_eq!(
            pair.header.new.as_ref().unwrap().mode.as_deref(),
            Some("100644")
        );

        let renamed = Call::parse(&os(&[
            "c.ipynb",
            "/tmp/git-blob-x/c.ipynb",
            "af43e02af43e02af43e02af43e02af43e02af43e",
            "100644",
            "d d.ipynb",
            "22da44422da44422da44422da44422da44422da4",
            "100644",
            "d d.ipynb",
            "similarity index 80%\nrename from c.ipynb\nrename to d d.ipynb\n",
        ]))
        .unwrap();
        let Call::Pair(pair) = renamed else {
            panic!("not a pair")
        };
        assert_eq!(pair.header.old_path, b"c.ipynb");
        assert_eq!(pair.header.new_path, b"d d.ipynb");
        assert_eq!(pair.settings_path, PathBuf::from("d d.ipynb"));
        assert!(pair.header.extended.is_some());

        assert_eq!(
            Call::parse(&os(&["nb.ipynb"])).unwrap(),
            Call::Unmerged {
                path: "nb.ipynb".into()
            }
        );
        let Call::Pair(pair) = Call::parse(&os(&["/tmp/a.ipynb", "-"])).unwrap() else {
            panic!("not a pair")
        };
        assert_eq!(pair.header.old_path, b"tmp/a.ipynb");
        assert_eq!(pair.new, SideFile::Stdin);
        assert_eq!(pair.settings_path, PathBuf::from("/tmp/a.ipynb"));
        for count in [3, 4, 5, 6, 8] {
            let args: Vec<OsString> = (0..count).map(|i| OsString::from(i.to_string())).collect();
            assert!(matches!(
                Call::parse(&args),
                Err(Error::DiffArguments { count: c }) if c == count
            ));
        }
    }

    #[test]
    fn blob_ids_replace_zeros() {
        // `printf 'hello\n' | git hash-object --stdin`, in a SHA-1 and in a SHA-256 repository
        let mut blob = Some(Blob {
            hex: Some("0".repeat(40)),
            mode: None,
        });
        fill_blob_id(&mut blob, Some(b"hello\n"));
        assert_eq!(
            blob.unwrap().hex.unwrap(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        let mut blob = Some(Blob {
            hex: Some("0".repeat(64)),
            mode: None,
        });
        fill_blob_id(&mut blob, Some(b"hello\n"));
        assert_eq!(
            blob.unwrap().hex.unwrap(),
            "2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4"
        );
        let mut kept = Some(Blob {
            hex: Some("ce013625030ba8dba906f756967f9e9ca394464a".into()),
            mode: None,
        });
        fill_blob_id(&mut kept, Some(b"other"));
        assert_eq!(
            kept.unwrap().hex.unwrap(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn colour_rules() {
        let term =
            |tty: bool, pager: Option<&str>, no_color: Option<&str>, term: Option<&str>| Terminal {
                stdout_is_terminal: tty,
                git_pager_in_use: pager.map(OsString::from),
                no_color: no_color.map(OsString::from),
                term: term.map(OsString::from),
                git_diff_opts: None,
            };
        let xterm = Some("xterm-256color");
        assert!(colour_on(ColorWhen::Auto, &term(true, None, None, xterm)));
        assert!(colour_on(
            ColorWhen::Auto,
            &term(false, Some("true"), None, xterm)
        ));
        assert!(!colour_on(
            ColorWhen::Auto,
            &term(false, Some("false"), None, xterm)
        ));
        assert!(!colour_on(ColorWhen::Auto, &term(false, None, None, xterm)));
        assert!(!colour_on(
            ColorWhen::Auto,
            &term(true, None, Some("1"), xterm)
        ));
        assert!(colour_on(
            ColorWhen::Auto,
            &term(true, None, Some(""), xterm)
        ));
        assert!(!colour_on(
            ColorWhen::Auto,
            &term(true, None, None, Some("dumb"))
        ));
        assert!(!colour_on(ColorWhen::Auto, &term(true, None, None, None)));
        assert!(colour_on(
            ColorWhen::Always,
            &term(false, None, Some("1"), None)
        ));
        assert!(!colour_on(
            ColorWhen::Never,
            &term(true, Some("true"), None, xterm)
        ));
    }

    #[test]
    fn context_from_git_diff_opts() {
        let ctx = |v: &str| git_diff_opts_context(Some(OsStr::new(v)));
        assert_eq!(ctx("--unified=5"), Some(5));
        assert_eq!(ctx("-u1"), Some(1));
        assert_eq!(ctx("-u0"), Some(0));
        assert_eq!(ctx("--stat"), None);
        assert_eq!(git_diff_opts_context(None), None);
    }
}
