//! Test support: an isolated git sandbox, our binary, jupytext as the oracle, and a normalised
//! command output for snapshots.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the support code"
)]

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Our binary, as built by cargo for the integration tests.
pub const NBMYST: &str = env!("CARGO_BIN_EXE_nbmyst");

/// The shared contract folder: `NBMYST_SHARED`, else `../shared` next to the crate.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("NBMYST_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// A Python interpreter with jupytext 1.19.6: `NBMYST_PYTHON` (set by `.ci/run`), else the
/// crate's `.venv-ci`, else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NBMYST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.venv-ci/bin/python"));
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

/// `PATH` with the folder of our binary first, so a plain `nbmyst` (as in `gitconfig.snippet`)
/// runs the binary under test.
pub fn path_with_nbmyst() -> std::ffi::OsString {
    let dir = Path::new(NBMYST)
        .parent()
        .expect("binary folder")
        .to_owned();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest))).expect("PATH")
}

/// The outcome of one command, with `Display` giving a normalised record for snapshots:
/// stdout, a stderr divider and stderr (when there is any), the exit status when non-zero, and
/// `[EOF]` so a missing final newline shows.
pub struct CommandOutput {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: Option<i32>,
    /// Replacements applied when displaying (sandbox paths and such).
    filters: Vec<(String, String)>,
}

impl CommandOutput {
    fn new(output: Output, filters: Vec<(String, String)>) -> CommandOutput {
        CommandOutput {
            stdout: output.stdout,
            stderr: output.stderr,
            status: output.status.code(),
            filters,
        }
    }

    pub fn stdout_text(&self) -> String {
        self.filter(&String::from_utf8_lossy(&self.stdout))
    }

    pub fn stderr_text(&self) -> String {
        self.filter(&String::from_utf8_lossy(&self.stderr))
    }

    fn filter(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (from, to) in &self.filters {
            text = text.replace(from, to);
        }
        text
    }

    /// Panic with the whole record unless the command exited 0.
    pub fn success(self) -> CommandOutput {
        assert_eq!(self.status, Some(0), "command failed:\n{self}");
        self
    }
}

impl fmt::Display for CommandOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stdout = self.stdout_text();
        f.write_str(&stdout)?;
        let stderr = self.stderr_text();
        if !stderr.is_empty() {
            if !stdout.is_empty() && !stdout.ends_with('\n') {
                f.write_str("\n")?;
            }
            writeln!(f, "------- stderr -------")?;
            f.write_str(&stderr)?;
        }
        match self.status {
            Some(0) => {}
            Some(code) => {
                if !stderr.is_empty() && !stderr.ends_with('\n') {
                    f.write_str("\n")?;
                }
                writeln!(f, "[exit status: {code}]")?;
            }
            None => writeln!(f, "[killed by a signal]")?,
        }
        write!(f, "[EOF]")
    }
}

impl fmt::Debug for CommandOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A throwaway git repository with isolated configuration: `HOME`, `XDG_CONFIG_HOME`, the
/// global config file and `TMPDIR` all live in the sandbox (which is also the ceiling of the
/// search for jupytext settings), the system config is off, author,
/// committer and dates are fixed, and every command starts from an empty environment plus `PATH`.
pub struct GitSandbox {
    root: tempfile::TempDir,
    /// The work tree (and cwd of every command unless told otherwise).
    pub work: PathBuf,
    pub home: PathBuf,
    /// `GIT_CONFIG_GLOBAL`.
    pub global_config: PathBuf,
    /// `TMPDIR`: where git writes its temporary blob copies.
    pub tmp: PathBuf,
}

impl GitSandbox {
    /// An empty repository on branch `main`.
    pub fn new() -> GitSandbox {
        let root = tempfile::Builder::new()
            .prefix("nbmyst-it")
            .tempdir()
            .expect("temp dir");
        // Resolve symlinks (macOS /var -> /private/var) so paths in outputs match.
        let base = fs::canonicalize(root.path()).expect("canonical temp dir");
        let work = base.join("repo");
        let home = base.join("home");
        let tmp = base.join("tmp");
        for dir in [&work, &home.join(".config"), &tmp] {
            fs::create_dir_all(dir).expect("sandbox folders");
        }
        let global_config = home.join("gitconfig");
        fs::write(&global_config, "").expect("global config");
        let sandbox = GitSandbox {
            root,
            work,
            home,
            global_config,
            tmp,
        };
        sandbox.git(["init", "-q", "."]).success();
        sandbox
    }

    /// The sandbox folder that holds the work tree, home and temp folders.
    pub fn base(&self) -> PathBuf {
        self.work.parent().expect("sandbox base").to_owned()
    }

    /// A command with the sandbox's environment, run in the work tree.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .current_dir(&self.work)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CONFIG_DIRS", self.home.join("xdg-dirs"))
            .env("TMPDIR", &self.tmp)
            // jupytext settings above the sandbox (a stray /tmp/jupytext.toml) must not apply;
            // tests of user-level settings remove this.
            .env("JUPYTEXT_CEILING_DIRECTORIES", self.base())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", &self.global_config)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_PAGER", "cat")
            .env("PAGER", "cat")
            .env("GIT_EDITOR", "true")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_AUTHOR_DATE", "@1700000000 +0000")
            .env("GIT_COMMITTER_NAME", "Test Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_COMMITTER_DATE", "@1700000000 +0000")
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        let config = [
            ("init.defaultBranch", "main"),
            ("commit.gpgSign", "false"),
            ("tag.gpgSign", "false"),
            ("core.autocrlf", "false"),
            ("core.quotePath", "false"),
            ("color.ui", "false"),
            ("advice.detachedHead", "false"),
        ];
        cmd.env("GIT_CONFIG_COUNT", config.len().to_string());
        for (i, (key, value)) in config.iter().enumerate() {
            cmd.env(format!("GIT_CONFIG_KEY_{i}"), key);
            cmd.env(format!("GIT_CONFIG_VALUE_{i}"), value);
        }
        cmd
    }

    /// Run a command and collect its output.
    pub fn run(&self, mut cmd: Command) -> CommandOutput {
        let output = cmd.output().expect("spawn command");
        CommandOutput::new(output, self.filters())
    }

    /// `git ARGS` in the work tree.
    pub fn git<I, S>(&self, args: I) -> CommandOutput
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command("git");
        cmd.args(args);
        self.run(cmd)
    }

    /// `nbmyst ARGS` in the work tree.
    pub fn nbmyst<I, S>(&self, args: I) -> CommandOutput
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command(NBMYST);
        cmd.args(args);
        self.run(cmd)
    }

    /// Register nbmyst as the textconv of `diff=nbmyst` (and `*.ipynb diff=nbmyst`), as
    /// `gitconfig.snippet` does; `cache` adds `cachetextconv = true`.
    pub fn use_textconv(&self, cache: bool) {
        self.git([
            "config",
            "diff.nbmyst.textconv",
            &format!("'{NBMYST}' textconv"),
        ])
        .success();
        if cache {
            self.git(["config", "diff.nbmyst.cachetextconv", "true"])
                .success();
        }
        self.write(".gitattributes", "*.ipynb diff=nbmyst\n");
    }

    /// Register `nbmyst diff ARGS` as the external diff of `diff=nbmyst`
    /// (`diff.nbmyst.command`) and mark `*.ipynb diff=nbmyst`.
    pub fn use_diff_command(&self, args: &str) {
        let command = format!("'{NBMYST}' diff {args}");
        self.git(["config", "diff.nbmyst.command", command.trim_end()])
            .success();
        self.write(".gitattributes", "*.ipynb diff=nbmyst\n");
    }

    /// Write a file in the work tree (folders created as needed).
    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
        let path = self.work.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("create folders");
        }
        fs::write(path, contents).expect("write file");
    }

    /// Stage everything and commit.
    pub fn commit(&self, message: &str) {
        self.git(["add", "-A"]).success();
        self.git(["commit", "-q", "--no-verify", "-m", message])
            .success();
    }

    /// Paths replaced in displayed output.
    fn filters(&self) -> Vec<(String, String)> {
        vec![
            (self.tmp.display().to_string(), "$TMP".to_owned()),
            (self.work.display().to_string(), "$WORK".to_owned()),
            (self.base().display().to_string(), "$SANDBOX".to_owned()),
            (NBMYST.to_owned(), "$NBMYST".to_owned()),
        ]
    }
}

impl Default for GitSandbox {
    fn default() -> Self {
        GitSandbox::new()
    }
}

/// jupytext 1.19.6 as the oracle: `convert(pairs)` runs `jupytext --to md:myst -o OUT IN` for
/// each pair in one Python process, in `cwd`, with no configuration outside `ceiling` (the
/// configuration files inside it apply, as they would to a paired `.md`).
pub fn jupytext_myst(cwd: &Path, ceiling: &Path, pairs: &[(PathBuf, PathBuf)]) {
    let empty = tempfile::tempdir().expect("temp dir");
    // A few notebooks make jupytext's file writing crash after the conversion (its notary signs
    // the notebook and trips over a code cell without "outputs"); for those the same conversion is
    // taken from standard output (`-o -`), which has no signing step.
    let script = r#"
import contextlib, io, sys, warnings
warnings.simplefilter('ignore')
from jupytext.cli import jupytext
args = sys.argv[1:]
for i in range(0, len(args), 2):
    try:
        jupytext(['--quiet', '--to', 'md:myst', '-o', args[i + 1], args[i]])
    except KeyError:
        text = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')
        with contextlib.redirect_stdout(text):
            jupytext(['--quiet', '--to', 'md:myst', '-o', '-', args[i]])
        text.flush()
        with open(args[i + 1], 'wb') as f:
            f.write(text.buffer.getvalue())
"#;
    let mut cmd = Command::new(python());
    cmd.arg("-c").arg(script).current_dir(cwd);
    for (input, output) in pairs {
        cmd.arg(input).arg(output);
    }
    cmd.env("JUPYTEXT_CEILING_DIRECTORIES", ceiling)
        .env("HOME", empty.path())
        .env("XDG_CONFIG_HOME", empty.path())
        .env("XDG_CONFIG_DIRS", empty.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null());
    let output = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {}: {e}; set NBMYST_PYTHON to a Python with jupytext 1.19.6 (.ci/run does)",
            python().display()
        )
    });
    assert!(
        output.status.success(),
        "jupytext failed (set NBMYST_PYTHON to a Python with jupytext 1.19.6):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// jupytext's MyST for one notebook given as bytes, written beside `config` files if any:
/// `files` are (relative path, contents) laid out in a scratch folder, `notebook` is the relative
/// path of the notebook among them.
pub fn jupytext_myst_of(files: &[(&str, &[u8])], notebook: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        fs::write(path, bytes).expect("write");
    }
    let out = dir.path().join(format!("{notebook}.myst.md"));
    jupytext_myst(
        dir.path(),
        dir.path(),
        &[(dir.path().join(notebook), out.clone())],
    );
    fs::read_to_string(out).expect("jupytext output")
}

/// Run `nbtool.py` (the scenarios' notebook helper) in `dir`.
pub fn nbtool(dir: &Path, args: &[&str]) {
    let tool = shared_dir().join("scenarios").join("nbtool.py");
    let status = Command::new("python3")
        .arg(tool)
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run nbtool.py");
    assert!(status.success(), "nbtool.py {args:?} failed");
}

/// Snapshot settings: snapshots live in the top-level `snapshots/` folder.
pub fn insta_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(true);
    settings
}
