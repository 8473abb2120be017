//! `nbmyst textconv FILE`: print a notebook as the MyST Markdown jupytext writes for it.
//!
//! git runs it as `diff.<driver>.textconv` with one argument, from the top of the work tree, on
//! either the real work-tree file (`sub/nb.ipynb`) or a temporary copy of a blob
//! (`$TMPDIR/git-blob-XXXXXX/nb.ipynb`). Any non-zero exit makes git abort the whole `git diff` or
//! `git log -p`, so every input that is a readable file gives exit 0: what is not a notebook is
//! printed unchanged (binary content as a one-line summary) with one warning on stderr.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cli::TextconvArgs;
use crate::config::{self, Config};
use crate::drivers::{is_stdin, Env};
use crate::error::{warn, Error};
use crate::myst::{self, write::WriteOptions};
use crate::notebook::{self, ReadError, ReadOptions};

/// How many hex digits of the SHA-256 the binary summary shows.
const SUMMARY_HASH_DIGITS: usize = 8;

/// Run `nbmyst textconv` with the given standard streams.
pub fn run(
    args: &TextconvArgs,
    env: &Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Error> {
    let input = Input::locate(&args.file, env);
    let bytes = input.read(stdin)?;
    if env.disabled() {
        return emit(stdout, &bytes);
    }
    let config = input.config(env, stderr);
    match convert(&bytes, config.as_ref(), input.destination()) {
        Ok(converted) => {
            for warning in &converted.warnings {
                warn(stderr, format_args!("{}: {warning}", input.name));
            }
            emit(stdout, converted.text.as_bytes())
        }
        Err(unreadable) => {
            warn(stderr, format_args!("{}: {unreadable}", input.name));
            if unreadable.binary {
                emit(stdout, binary_summary(&bytes).as_bytes())
            } else {
                emit(stdout, &bytes)
            }
        }
    }
}

/// Where the notebook comes from, what to call it in messages, and where its settings are.
#[derive(Debug, PartialEq)]
pub(crate) struct Input {
    /// The path to read (made absolute against [`Env::cwd`]), or `None` for standard input.
    path: Option<PathBuf>,
    /// The name used in messages: the path as given, or the real basename of a git temp copy.
    name: String,
    /// The folder the jupytext configuration search starts from.
    config_dir: PathBuf,
}

impl Input {
    /// Decide the message name and the configuration folder, without spawning git: a file outside
    /// the current folder (the work-tree top when git runs us) in one of git's temporary folders is
    /// a blob copy, whose settings are the work-tree top's; any other file's settings are found
    /// from its own folder.
    pub(crate) fn locate(path: &Path, env: &Env) -> Input {
        let cwd = env.cwd();
        if is_stdin(path) {
            return Input {
                path: None,
                name: "<stdin>".to_owned(),
                config_dir: cwd,
            };
        }
        let name = path.to_string_lossy().into_owned();
        let full = cwd.join(path);
        let own_dir = full
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone());
        let blob_name = git_temp_name(path).filter(|_| !inside(&full, &cwd));
        match blob_name {
            Some(real_name) => Input {
                path: Some(full),
                name: real_name,
                config_dir: cwd,
            },
            None => Input {
                path: Some(full),
                name,
                config_dir: own_dir,
            },
        }
    }

    /// The `.md` jupytext would write for this notebook, by name only: a temporary copy knows
    /// no folder, so both sides of a diff are judged the same way.
    pub(crate) fn destination(&self) -> Option<String> {
        self.path.as_ref()?;
        let name = Path::new(&self.name).file_name()?;
        Some(
            Path::new(name)
                .with_extension("md")
                .to_string_lossy()
                .into_owned(),
        )
    }

    fn read(&self, stdin: &mut dyn Read) -> Result<Vec<u8>, Error> {
        let Some(path) = &self.path else {
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|source| Error::ReadInput {
                    path: self.name.clone(),
                    source,
                })?;
            return Ok(bytes);
        };
        fs::read(path).map_err(|source| {
            if path.is_dir() {
                Error::IsDirectory {
                    path: self.name.clone(),
                }
            } else {
                Error::ReadInput {
                    path: self.name.clone(),
                    source,
                }
            }
        })
    }

    /// The jupytext settings that apply; a file that cannot be used is reported and ignored.
    pub(crate) fn config(&self, env: &Env, stderr: &mut dyn Write) -> Option<Config> {
        match config::discover(&self.config_dir, &env.cwd(), &env.config_search()) {
            Ok(config) => config,
            Err(err) => {
                warn(
                    stderr,
                    format_args!("{err}; jupytext settings ignored for {}", self.name),
                );
                None
            }
        }
    }
}

/// Whether `path` is inside `cwd`, comparing resolved paths (symlinks, `..`).
fn inside(path: &Path, cwd: &Path) -> bool {
    match (fs::canonicalize(path), fs::canonicalize(cwd)) {
        (Ok(path), Ok(cwd)) => path.starts_with(cwd),
        // Cannot tell: treat it as the user's own file.
        _ => true,
    }
}

/// If `path` looks like one of git's temporary blob copies, the real basename of the file:
/// `…/git-blob-XXXXXX/<name>` (git 2.37 and later) or `…/XXXXXX_<name>` (older git).
fn git_temp_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy());
    if parent.is_some_and(|p| p.starts_with("git-blob-")) {
        return Some(name);
    }
    let (prefix, rest) = name.split_at_checked(7)?;
    let (random, underscore) = prefix.split_at(6);
    if underscore == "_" && !rest.is_empty() && random.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some(rest.to_owned());
    }
    None
}

/// The MyST text of a notebook, and what the reader had to say about the input.
#[derive(Debug)]
struct Converted {
    text: String,
    warnings: Vec<String>,
}

/// Why the input is shown as it is instead of as MyST.
#[derive(Debug, thiserror::Error)]
#[error("{problem}; showing {}", if *.binary { "a one-line summary" } else { "the raw file" })]
struct Unreadable {
    problem: String,
    /// Print the one-line summary instead of the bytes.
    binary: bool,
}

impl Unreadable {
    fn raw(problem: impl Into<String>) -> Unreadable {
        Unreadable {
            problem: problem.into(),
            binary: false,
        }
    }
}

/// Convert notebook bytes to MyST with the given settings. `destination` is the notional `.md`
/// path jupytext would be writing (it decides whether `jupytext.formats` stays in the header).
fn convert(
    bytes: &[u8],
    config: Option<&Config>,
    destination: Option<String>,
) -> Result<Converted, Unreadable> {
    let read = notebook::read(bytes, &ReadOptions::WITHOUT_OUTPUTS).map_err(|err| Unreadable {
        binary: matches!(err, ReadError::Binary { .. }),
        problem: err.to_string(),
    })?;
    let text = myst::write::write(&read.notebook, &write_options(config, destination))
        .map_err(|err| Unreadable::raw(err.to_string()))?;
    Ok(Converted {
        text,
        warnings: read.warnings.iter().map(ToString::to_string).collect(),
    })
}

/// The MyST writer's options for the given settings; `destination` is the notional `.md` path
/// jupytext would be writing (it decides whether `jupytext.formats` stays in the header).
pub(crate) fn write_options(config: Option<&Config>, destination: Option<String>) -> WriteOptions {
    WriteOptions {
        notebook_metadata_filter: config.and_then(|c| c.notebook_metadata_filter.clone()),
        cell_metadata_filter: config.and_then(|c| c.cell_metadata_filter.clone()),
        root_level_metadata_filter: config.and_then(|c| c.root_level_metadata_filter.clone()),
        root_level_metadata_as_raw_cell: config
            .map(|c| c.root_level_metadata_as_raw_cell)
            .filter(|as_raw_cell| !as_raw_cell),
        destination,
    }
}

/// `(binary file, N bytes, sha256 0123abcd…: not a notebook)` and a newline.
fn binary_summary(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "(binary file, {} bytes, sha256 {}…: not a notebook)\n",
        bytes.len(),
        &hex[..SUMMARY_HASH_DIGITS]
    )
}

/// Write and flush; a closed pipe comes back as an error of kind [`crate::error::ErrorKind::BrokenPipe`].
fn emit(stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Error> {
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Error::WriteOutput)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    /// A standard input that fails.
    struct FailingReader;

    impl Read for FailingReader {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("device gone"))
        }
    }

    fn env_in(dir: &Path) -> Env {
        Env {
            cwd: Some(dir.to_owned()),
            jupytext_ceiling_directories: Some(dir.as_os_str().to_owned()),
            ..Env::default()
        }
    }

    fn run_on(path: &Path, env: &Env, stdin: &[u8]) -> (Result<(), Error>, Vec<u8>, String) {
        let args = TextconvArgs {
            file: path.to_owned(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = run(&args, env, &mut &stdin[..], &mut out, &mut err);
        (result, out, String::from_utf8(err).unwrap())
    }

    #[test]
    fn git_temp_names() {
        assert_eq!(
            git_temp_name(Path::new("/tmp/git-blob-tF3gbS/n.ipynb")).as_deref(),
            Some("n.ipynb")
        );
        assert_eq!(
            git_temp_name(Path::new("/tmp/Ab12Cd_n.ipynb")).as_deref(),
            Some("n.ipynb")
        );
        assert_eq!(git_temp_name(Path::new("sub/n.ipynb")), None);
        assert_eq!(git_temp_name(Path::new("n.ipynb")), None);
        assert_eq!(git_temp_name(Path::new("/tmp/Ab12C_n.ipynb")), None);
    }

    #[test]
    fn temp_copies_take_settings_from_cwd_and_real_files_from_their_folder() {
        let top = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let blob_dir = elsewhere.path().join("git-blob-Xy12Zw");
        fs::create_dir(&blob_dir).unwrap();
        let blob = blob_dir.join("nb.ipynb");
        fs::write(&blob, "{}").unwrap();
        let env = env_in(top.path());
        let input = Input::locate(&blob, &env);
        assert_eq!(input.name, "nb.ipynb");
        assert_eq!(input.config_dir, top.path());

        fs::create_dir(top.path().join("sub")).unwrap();
        let input = Input::locate(Path::new("sub/nb.ipynb"), &env);
        assert_eq!(input.name, "sub/nb.ipynb");
        assert_eq!(input.config_dir, top.path().join("sub"));

        // A folder named like git's inside the work tree is the user's own.
        let own = top.path().join("git-blob-mine");
        fs::create_dir(&own).unwrap();
        fs::write(own.join("nb.ipynb"), "{}").unwrap();
        let input = Input::locate(Path::new("git-blob-mine/nb.ipynb"), &env);
        assert_eq!(input.name, "git-blob-mine/nb.ipynb");
        assert_eq!(input.config_dir, top.path().join("git-blob-mine"));
    }

    #[test]
    fn empty_file_passes_through_with_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("empty.ipynb"), "").unwrap();
        let (result, out, err) = run_on(Path::new("empty.ipynb"), &env_in(dir.path()), b"");
        assert!(result.is_ok());
        assert!(out.is_empty());
        assert_eq!(
            err,
            "nbmyst: warning: empty.ipynb: empty file; showing the raw file\n"
        );
    }

    #[test]
    fn binary_content_is_summarised() {
        let dir = tempfile::tempdir().unwrap();
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        fs::write(dir.path().join("b.ipynb"), png).unwrap();
        let (result, out, err) = run_on(Path::new("b.ipynb"), &env_in(dir.path()), b"");
        assert!(result.is_ok());
        // sha256 of those 16 bytes, from `sha256sum`
        let expected = format!(
            "(binary file, 16 bytes, sha256 {}…: not a notebook)\n",
            &sha_hex(png)[..8]
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("nbmyst: warning: b.ipynb: "), "{err}");
    }

    fn sha_hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn kill_switch_prints_the_file_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("nb.ipynb"), "{\"cells\": []}").unwrap();
        let env = Env {
            nbmyst: Some("0".into()),
            ..env_in(dir.path())
        };
        let (result, out, err) = run_on(Path::new("nb.ipynb"), &env, b"");
        assert!(result.is_ok());
        assert_eq!(out, b"{\"cells\": []}");
        assert_eq!(err, "");
    }

    #[test]
    fn stdin_is_read_for_dash() {
        let dir = tempfile::tempdir().unwrap();
        let (result, out, err) = run_on(Path::new("-"), &env_in(dir.path()), b"");
        assert!(result.is_ok());
        assert!(out.is_empty());
        assert!(
            err.starts_with("nbmyst: warning: <stdin>: empty file"),
            "{err}"
        );

        let args = TextconvArgs { file: "-".into() };
        let result = run(
            &args,
            &env_in(dir.path()),
            &mut FailingReader,
            &mut Vec::new(),
            &mut Vec::new(),
        );
        assert!(matches!(result, Err(Error::ReadInput { .. })));
    }

    #[test]
    fn missing_file_and_directory_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_in(dir.path());
        let (result, out, _) = run_on(&dir.path().join("missing.ipynb"), &env, b"");
        let err = result.unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Usage);
        assert!(out.is_empty());
        let (result, _, _) = run_on(dir.path(), &env, b"");
        assert!(matches!(result, Err(Error::IsDirectory { .. })));
    }

    #[test]
    fn broken_pipe_is_reported_as_such() {
        struct ClosedPipe;
        impl Write for ClosedPipe {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x.ipynb"), "not json").unwrap();
        let args = TextconvArgs {
            file: "x.ipynb".into(),
        };
        let err = run(
            &args,
            &env_in(dir.path()),
            &mut &b""[..],
            &mut ClosedPipe,
            &mut Vec::new(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::BrokenPipe);
    }

    #[test]
    fn a_broken_config_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("jupytext.toml"), "formats = [\n").unwrap();
        fs::write(dir.path().join("nb.ipynb"), "").unwrap();
        let (result, _, err) = run_on(Path::new("nb.ipynb"), &env_in(dir.path()), b"");
        assert!(result.is_ok());
        assert!(
            err.contains("jupytext.toml: not valid TOML (line 1, column 12"),
            "{err}"
        );
        assert!(
            err.contains("jupytext settings ignored for nb.ipynb"),
            "{err}"
        );
    }
}
