//! `nbmyst install` and `nbmyst uninstall`: register the drivers with git and route notebooks to
//! them, then take exactly that back out.
//!
//! What is written is data, in one place: [`ENTRIES`] (the git configuration keys, each tied to
//! the [`Part`] it belongs to) and [`attributes_line`] (the gitattributes line). A part is
//! installed only when this binary has its subcommand (see [`Part::available`]), so a later
//! version that gains `merge` or `diff` registers them with no change here. `gitconfig.snippet`
//! is generated from the same table ([`snippet`]).
//!
//! Every driver command is wrapped so that git keeps working without `nbmyst` on PATH:
//! textconv prints the raw file, merge hands the three files to `git merge-file` (an ordinary
//! conflict with markers, never a silent "ours"), the external diff prints git's own diff.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::cli::{Cli, InstallArgs, ScopeArgs, UninstallArgs};
use crate::drivers::Env;
use crate::error::{io_message, warn, Error, ErrorKind};
use crate::git::{self, ConfigScope, Repo};

/// The driver name in `diff.<driver>.*`, `merge.<driver>.*` and gitattributes.
pub const DRIVER: &str = "nbmyst";
/// The program the driver commands run, looked up on PATH.
pub const PROGRAM: &str = "nbmyst";
/// Where git keeps the textconv cache (`diff.nbmyst.cachetextconv`).
pub const TEXTCONV_CACHE_REF: &str = "refs/notes/textconv/nbmyst";
/// The gitattributes pattern for notebooks.
pub const NOTEBOOK_PATTERN: &str = "*.ipynb";
/// The attribute that folds notebooks in GitHub's pull-request diffs.
pub const LINGUIST_GENERATED: &str = "linguist-generated=true";
/// The file `install --aider` writes at the top of the repository.
pub const CONVENTIONS_FILE: &str = "CONVENTIONS.md";
/// What it holds: how to edit notebooks paired with MyST files (it ships with the project).
pub const CONVENTIONS: &str = include_str!("../../CONVENTIONS.md");
/// The cache key of the textconv command: git drops its cache when the command string changes,
/// so a new version (whose text may differ) starts with an empty cache.
pub const CACHE_KEY: &str = concat!("nbmyst-", env!("CARGO_PKG_VERSION"));

/// A part of nbmyst that git can be told to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// `diff.nbmyst.textconv`: notebooks as MyST in `git diff`, `log -p`, `show`, `blame`.
    Textconv,
    /// `diff.nbmyst.command`: `nbmyst diff` as git's external diff for notebooks.
    ExtDiff,
    /// `merge.nbmyst.driver`: notebooks merged cell by cell.
    Merge,
}

impl Part {
    /// Every part, in the order they are written.
    pub const ALL: [Part; 3] = [Part::Textconv, Part::ExtDiff, Part::Merge];

    /// The subcommand of this binary that the part runs.
    pub fn subcommand(self) -> &'static str {
        match self {
            Part::Textconv => "textconv",
            Part::ExtDiff => "diff",
            Part::Merge => "merge",
        }
    }

    /// Whether this binary has the part's subcommand (a part without it is never installed).
    pub fn available(self) -> bool {
        has_subcommand(self.subcommand())
    }

    /// The gitattributes attribute that sends notebooks to the part (`diff=nbmyst` serves both
    /// textconv and the external diff).
    pub fn attribute(self) -> &'static str {
        match self {
            Part::Textconv | Part::ExtDiff => "diff",
            Part::Merge => "merge",
        }
    }
}

/// Whether this binary has a subcommand called `name`.
pub fn has_subcommand(name: &str) -> bool {
    Cli::command().find_subcommand(name).is_some()
}

/// One git configuration key that install writes.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The part it belongs to.
    pub part: Part,
    /// The full key, `section.subsection.name`.
    pub key: &'static str,
    /// Its value.
    pub value: fn() -> String,
    /// Whether the part does not work without it (doctor: a problem, not a note).
    pub essential: bool,
    /// What it does, for the snippet.
    pub comment: &'static str,
}

/// Every key install writes, in order. Add a row to register something new.
pub const ENTRIES: &[Entry] = &[
    Entry {
        part: Part::Textconv,
        key: "diff.nbmyst.textconv",
        value: textconv_command,
        essential: true,
        comment:
            "git diff, log -p, show, blame and grep --textconv show notebooks as MyST Markdown \
                  (the raw file where nbmyst is not on PATH).",
    },
    Entry {
        part: Part::Textconv,
        key: "diff.nbmyst.cachetextconv",
        value: true_value,
        essential: false,
        comment: "Keep converted blobs in refs/notes/textconv/nbmyst. The version in the command \
                  above is the cache key: a new nbmyst starts a new cache.",
    },
    Entry {
        part: Part::ExtDiff,
        key: "diff.nbmyst.command",
        value: ext_diff_command,
        essential: true,
        comment: "git diff (and log -p --ext-diff) through nbmyst diff, outputs included \
                  (git's own diff where nbmyst is not on PATH).",
    },
    Entry {
        part: Part::Merge,
        key: "merge.nbmyst.name",
        value: merge_name,
        essential: false,
        comment: "A description; git shows it nowhere.",
    },
    Entry {
        part: Part::Merge,
        key: "merge.nbmyst.driver",
        value: merge_command,
        essential: true,
        comment: "Merge notebooks cell by cell; where nbmyst is not on PATH, git merge-file \
                  merges the raw files and conflicts get git's markers. %S %X %Y need git 2.44.",
    },
    Entry {
        part: Part::Merge,
        key: "merge.nbmyst.recursive",
        value: merge_recursive,
        essential: false,
        comment: "Criss-cross merges: use the older common base as it is instead of merging the \
                  bases first, so a conflicted virtual base never reaches the driver.",
    },
];

fn true_value() -> String {
    "true".to_owned()
}

fn merge_name() -> String {
    "nbmyst: notebooks merged cell by cell".to_owned()
}

fn merge_recursive() -> String {
    "binary".to_owned()
}

/// `sh -c 'command -v nbmyst >/dev/null && exec nbmyst RUN || FALLBACK' NAME ARGS`: the shell
/// script sees git's arguments as `$1`, `$2`, ...; `NAME` is `$0` (shown in sh's messages).
/// git runs the whole string through `sh -c` itself, appending the path for textconv and the
/// external diff; the merge driver's placeholders are expanded (and shell-quoted) by git first.
fn guarded(run: &str, fallback: &str, name: &str, args: &str) -> String {
    format!("sh -c 'command -v {PROGRAM} >/dev/null && exec {PROGRAM} {run} || {fallback}' {name}{args}")
}

/// `diff.nbmyst.textconv`: `nbmyst textconv FILE`, or the file itself.
pub fn textconv_command() -> String {
    guarded("textconv \"$1\"", "exec cat \"$1\"", CACHE_KEY, "")
}

/// `diff.nbmyst.command`: `nbmyst diff ARGS` (7, 9 or 1 of them), or git's own diff of the two
/// files (nothing for the one-argument unmerged form), exit 0 either way.
pub fn ext_diff_command() -> String {
    guarded(
        "diff \"$@\"",
        "{ [ $# -lt 7 ] || git diff --no-index --no-ext-diff -- \"$2\" \"$5\"; exit 0; }",
        PROGRAM,
        "",
    )
}

/// `merge.nbmyst.driver`: `nbmyst merge %O %A %B --marker-size %L --path %P --base-label %S
/// --ours-label %X --theirs-label %Y`, or `git merge-file` on the raw files with the same
/// marker size and labels (its exit status is the number of conflicts: 0 clean, else a
/// conflict for git).
pub fn merge_command() -> String {
    guarded(
        "merge \"$1\" \"$2\" \"$3\" --marker-size \"$4\" --path \"$5\" \
         --base-label \"$6\" --ours-label \"$7\" --theirs-label \"$8\"",
        "{ echo \"nbmyst: warning: nbmyst is not on PATH; $5 merged as text by git merge-file\" >&2; \
         exec git merge-file --marker-size=\"$4\" -L \"$7\" -L \"$6\" -L \"$8\" \"$2\" \"$1\" \"$3\"; }",
        PROGRAM,
        " %O %A %B %L %P %S %X %Y",
    )
}

/// The entries of `parts`, with their values.
pub fn entries_of(parts: &[Part]) -> Vec<(Entry, String)> {
    ENTRIES
        .iter()
        .filter(|e| parts.contains(&e.part))
        .map(|e| (*e, (e.value)()))
        .collect()
}

/// The parts this binary can install (textconv, and merge and the external diff once they
/// exist).
pub fn available_parts() -> Vec<Part> {
    Part::ALL.into_iter().filter(|p| p.available()).collect()
}

/// The gitattributes line for `parts`: `*.ipynb diff=nbmyst merge=nbmyst`, with
/// `linguist-generated=true` when asked.
pub fn attributes_line(parts: &[Part], linguist_generated: bool) -> String {
    let mut line = NOTEBOOK_PATTERN.to_owned();
    for attribute in ["diff", "merge"] {
        if parts.iter().any(|p| p.attribute() == attribute) {
            let _ = write!(line, " {attribute}={DRIVER}");
        }
    }
    if linguist_generated {
        line.push(' ');
        line.push_str(LINGUIST_GENERATED);
    }
    line
}

/// Every line install may have written (any choice of parts and flags): uninstall removes
/// these and only these, and install replaces one of them rather than add a second.
fn our_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for parts in [
        &[Part::Textconv, Part::Merge][..],
        &[Part::Textconv],
        &[Part::Merge],
    ] {
        for linguist in [false, true] {
            lines.push(attributes_line(parts, linguist));
        }
    }
    lines
}

/// The text of `gitconfig.snippet`: the configuration install writes, by hand.
pub fn snippet() -> String {
    let parts = available_parts();
    let installed: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| *p != Part::ExtDiff)
        .collect();
    let mut out = String::new();
    out.push_str(
        "# nbmyst: the git configuration that `nbmyst install` writes.\n\
         # Generated by `nbmyst generate snippet`; a test keeps this file equal to it.\n\
         #\n\
         # `nbmyst install --local` (this repository) or `nbmyst install --global` writes it for\n\
         # you. By hand: include this file from a git configuration file,\n\
         #     git config --global include.path /absolute/path/to/gitconfig.snippet\n\
         # and route notebooks to the drivers in .gitattributes (one repository) or in\n\
         # ~/.config/git/attributes (every repository):\n",
    );
    let _ = writeln!(out, "#     {}", attributes_line(&installed, false));
    out.push_str(
        "# Each command runs `nbmyst` from PATH (`cargo install nbmyst` puts it in ~/.cargo/bin);\n\
         # without it git still works: notebooks show as raw JSON and merge as text.\n",
    );
    let mut section = String::new();
    for (entry, value) in entries_of(&parts) {
        let (this_section, name) = split_key(entry.key);
        let optional = entry.part == Part::ExtDiff;
        if this_section != section {
            let _ = write!(out, "\n{}\n", section_header(&this_section));
            section = this_section;
        }
        for line in wrap(entry.comment, 92) {
            let _ = writeln!(out, "\t# {line}");
        }
        if optional {
            let _ = writeln!(
                out,
                "\t# Optional (`nbmyst install --ext-diff`):\n\t# {name} = {}",
                quote_config_value(&value)
            );
        } else {
            let _ = writeln!(out, "\t{name} = {}", quote_config_value(&value));
        }
    }
    out
}

/// `diff.nbmyst.textconv` -> (`diff.nbmyst`, `textconv`).
fn split_key(key: &str) -> (String, &str) {
    match key.rsplit_once('.') {
        Some((section, name)) => (section.to_owned(), name),
        None => (String::new(), key),
    }
}

/// `diff.nbmyst` -> `[diff "nbmyst"]`.
fn section_header(section: &str) -> String {
    match section.split_once('.') {
        Some((name, sub)) => format!("[{name} \"{sub}\"]"),
        None => format!("[{section}]"),
    }
}

/// A value as git config writes it: in double quotes when it has `;`, `#` or outer spaces, with
/// `\` and `"` escaped.
pub fn quote_config_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            _ => escaped.push(c),
        }
    }
    let needs_quotes = value.contains([';', '#'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{escaped}\"")
    } else {
        escaped
    }
}

/// Split prose into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Why install or uninstall cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// `--local` (the default) or a repository file outside any work tree.
    #[error("not inside a git work tree, so there is no repository to {action}")]
    NotInRepository {
        /// `install in` or `uninstall from`.
        action: &'static str,
    },
    /// `--no-diff --no-merge`, or `--no-diff` in a version without a merge driver.
    #[error("nothing to install: the options leave out every driver")]
    NothingSelected,
    /// An option for a part this binary does not have.
    #[error(
        "{option} needs the `nbmyst {subcommand}` subcommand, which this version does not have"
    )]
    Unavailable {
        /// The option, `--ext-diff`.
        option: &'static str,
        /// The subcommand it registers.
        subcommand: &'static str,
    },
    /// No default gitattributes file for the scope.
    #[error("git does not say where the {scope} attributes file is")]
    NoAttributesFile {
        /// `system` or `global`.
        scope: &'static str,
    },
    /// A file could not be read or written.
    #[error("{path}: {}", io_message(source))]
    File {
        /// The file.
        path: String,
        #[source]
        source: io::Error,
    },
}

impl InstallError {
    /// The kind, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            InstallError::File { .. } => ErrorKind::Io,
            _ => ErrorKind::Usage,
        }
    }

    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        match self {
            InstallError::NotInRepository { .. } => {
                Some("run it inside a repository, or use --global for every repository".to_owned())
            }
            InstallError::NoAttributesFile { .. } => {
                Some("name the file with --attributes FILE".to_owned())
            }
            InstallError::Unavailable { .. } => {
                Some("install a newer nbmyst (`cargo install nbmyst`)".to_owned())
            }
            _ => None,
        }
    }
}

fn file_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| {
        Error::Install(InstallError::File {
            path: path.display().to_string(),
            source,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Where to write

/// The resolved destination of install or uninstall.
#[derive(Debug)]
struct Target {
    /// The configuration file.
    scope: ConfigScope,
    /// How to name it in messages.
    scope_name: String,
    /// The gitattributes file.
    attributes: PathBuf,
    /// The repository of the current folder, if any.
    repo: Option<Repo>,
}

impl Target {
    fn resolve(args: &ScopeArgs, env: &Env, action: &'static str) -> Result<Target, Error> {
        let cwd = env.cwd();
        let repo = git::repo(&cwd)?;
        let (scope, scope_name) = if args.global {
            (ConfigScope::Global, "global git config".to_owned())
        } else if args.system {
            (ConfigScope::System, "system git config".to_owned())
        } else if let Some(file) = &args.file {
            (ConfigScope::File(file.clone()), file.display().to_string())
        } else {
            (ConfigScope::Local, "local git config".to_owned())
        };
        let attributes = match (&args.attributes, &scope, &repo) {
            (Some(path), _, _) => cwd.join(path),
            (None, ConfigScope::Global, _) => global_attributes_file(&cwd, env)?,
            (None, ConfigScope::System, _) => match git::var(&cwd, "GIT_ATTR_SYSTEM")? {
                Some(path) => PathBuf::from(path),
                None => {
                    return Err(InstallError::NoAttributesFile { scope: "system" }.into());
                }
            },
            (None, _, Some(repo)) => repo.top.join(".gitattributes"),
            (None, _, None) => return Err(InstallError::NotInRepository { action }.into()),
        };
        if scope == ConfigScope::Local && repo.is_none() {
            return Err(InstallError::NotInRepository { action }.into());
        }
        Ok(Target {
            scope,
            scope_name,
            attributes,
            repo,
        })
    }

    /// A path as shown to the user: relative to the repository top when inside it.
    fn show(&self, path: &Path) -> String {
        show_path(path, self.repo.as_ref())
    }
}

/// A path relative to the repository top when it is inside it, else as it is.
pub(crate) fn show_path(path: &Path, repo: Option<&Repo>) -> String {
    repo.and_then(|r| path.strip_prefix(&r.top).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// The global attributes file: `git var GIT_ATTR_GLOBAL` (git 2.42+), else as git finds it:
/// `core.attributesFile`, `$XDG_CONFIG_HOME/git/attributes`, `~/.config/git/attributes`.
pub(crate) fn global_attributes_file(cwd: &Path, env: &Env) -> Result<PathBuf, Error> {
    if let Some(path) = git::var(cwd, "GIT_ATTR_GLOBAL")? {
        return Ok(PathBuf::from(path));
    }
    let home = env.home.as_ref().map(PathBuf::from);
    if let Some(file) = git::config_get_all(cwd, None, "core.attributesFile")?.pop() {
        return Ok(match (file.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(file),
        });
    }
    match (&env.xdg_config_home, &home) {
        (Some(xdg), _) if !xdg.is_empty() => Ok(PathBuf::from(xdg).join("git/attributes")),
        (_, Some(home)) => Ok(home.join(".config/git/attributes")),
        _ => Err(InstallError::NoAttributesFile { scope: "global" }.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// install

/// Run `nbmyst install`.
pub fn run(
    args: &InstallArgs,
    env: &Env,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Error> {
    let parts = chosen_parts(args)?;
    let target = Target::resolve(&args.scope, env, "install in")?;
    let cwd = env.cwd();
    let mut report = Report::default();

    // 1. The git configuration.
    report.heading(&target.scope_name);
    for (entry, value) in entries_of(&parts) {
        let current = git::config_get_all(&cwd, Some(&target.scope), entry.key)?;
        if current.len() == 1 && current[0] == value {
            report.line(format_args!("unchanged {} = {value}", entry.key));
            continue;
        }
        git::config_set(&cwd, &target.scope, entry.key, &value)?;
        match current.as_slice() {
            [] => report.line(format_args!("set {} = {value}", entry.key)),
            [old] => report.line(format_args!("set {} = {value} (was {old})", entry.key)),
            _ => report.line(format_args!(
                "set {} = {value} (replacing {} values)",
                entry.key,
                current.len()
            )),
        }
    }
    if !parts.contains(&Part::Merge) && !Part::Merge.available() && !args.no_merge {
        report.line("(no merge driver in this version of nbmyst: git merges notebooks as text)");
    }

    // 2. The gitattributes line.
    let line = attributes_line(&parts, args.linguist_generated);
    let shown = target.show(&target.attributes);
    report.heading(&shown);
    let before = read_optional(&target.attributes)?;
    let edit = add_line(before.as_deref().unwrap_or(b""), &line);
    match &edit {
        LineEdit::Unchanged { number } => {
            report.line(format_args!("unchanged line {number}: {line}"));
        }
        LineEdit::Added { number, .. } => {
            report.line(format_args!("added line {number}: {line}"));
        }
        LineEdit::Replaced { number, old, .. } => {
            report.line(format_args!("changed line {number}: {line} (was {old})"));
        }
    }
    if let Some(bytes) = edit.new_bytes() {
        write_atomically(&target.attributes, bytes).map_err(file_error(&target.attributes))?;
    }

    // 3. CONVENTIONS.md for Aider.
    if args.aider {
        write_conventions(&target, &mut report, stderr)?;
    }

    // 4. The textconv cache of this repository: text from an older nbmyst or older settings.
    if let Some(repo) = &target.repo {
        if parts.contains(&Part::Textconv) && git::ref_exists(&repo.top, TEXTCONV_CACHE_REF)? {
            git::delete_ref(&repo.top, TEXTCONV_CACHE_REF)?;
            report.heading("textconv cache");
            report.line(format_args!(
                "cleared {TEXTCONV_CACHE_REF} (git rebuilds it as it goes)"
            ));
        }
    }
    report.print(stdout)?;

    // 5. What would stop it from working.
    let ours = OurLine {
        file: target.attributes.clone(),
        number: edit.number(),
    };
    for conflict in find_conflicts(&target, &parts, &cwd, env)? {
        warn_conflict(&conflict, &ours, target.repo.as_ref(), stderr);
    }
    match find_on_path(env, PROGRAM) {
        None => warn(
            stderr,
            "`nbmyst` is not on PATH: until it is, git shows notebooks as raw JSON and merges \
             them as text (`cargo install nbmyst` puts it in ~/.cargo/bin)",
        ),
        Some(found) if !is_current_exe(&found) => warn(
            stderr,
            format_args!(
                "git will run {}, not this nbmyst ({}); `nbmyst doctor` compares them",
                found.display(),
                current_exe_display()
            ),
        ),
        Some(_) => {}
    }
    Ok(())
}

/// The parts the options ask for.
fn chosen_parts(args: &InstallArgs) -> Result<Vec<Part>, Error> {
    if args.ext_diff && !Part::ExtDiff.available() {
        return Err(InstallError::Unavailable {
            option: "--ext-diff",
            subcommand: Part::ExtDiff.subcommand(),
        }
        .into());
    }
    let parts: Vec<Part> = available_parts()
        .into_iter()
        .filter(|part| match part {
            Part::Textconv => !args.no_diff,
            Part::ExtDiff => args.ext_diff,
            Part::Merge => !args.no_merge,
        })
        .collect();
    if parts.is_empty() {
        return Err(InstallError::NothingSelected.into());
    }
    Ok(parts)
}

/// Write `CONVENTIONS.md` at the repository top unless a different one is there.
fn write_conventions(
    target: &Target,
    report: &mut Report,
    stderr: &mut dyn Write,
) -> Result<(), Error> {
    let Some(repo) = &target.repo else {
        return Err(InstallError::NotInRepository {
            action: "write CONVENTIONS.md in",
        }
        .into());
    };
    let path = repo.top.join(CONVENTIONS_FILE);
    report.heading(CONVENTIONS_FILE);
    match read_optional(&path)? {
        None => {
            write_atomically(&path, CONVENTIONS.as_bytes()).map_err(file_error(&path))?;
            report.line("written (add `read: CONVENTIONS.md` to .aider.conf.yml)");
        }
        Some(bytes) if bytes == CONVENTIONS.as_bytes() => report.line("unchanged"),
        Some(_) => {
            report.line("left as it is: it has other text");
            warn(
                stderr,
                format_args!(
                    "{CONVENTIONS_FILE} exists; to give Aider nbmyst's conventions, add these \
                     lines to it:\n{CONVENTIONS}"
                ),
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// uninstall

/// Run `nbmyst uninstall`.
pub fn run_uninstall(
    args: &UninstallArgs,
    env: &Env,
    stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> Result<(), Error> {
    let target = Target::resolve(&args.scope, env, "uninstall from")?;
    let cwd = env.cwd();
    let mut report = Report::default();

    report.heading(&target.scope_name);
    let mut sections: Vec<String> = Vec::new();
    for entry in ENTRIES {
        let current = git::config_get_all(&cwd, Some(&target.scope), entry.key)?;
        if current.is_empty() {
            continue;
        }
        git::config_unset_all(&cwd, &target.scope, entry.key)?;
        for old in current {
            report.line(format_args!("removed {} = {old}", entry.key));
        }
        let (section, _) = split_key(entry.key);
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    for section in &sections {
        git::config_remove_empty_section(&cwd, &target.scope, section)?;
    }
    if let ConfigScope::File(file) = &target.scope {
        let path = cwd.join(file);
        if !sections.is_empty() && read_optional(&path)?.is_some_and(|b| b.trim_ascii().is_empty())
        {
            fs::remove_file(&path).map_err(file_error(&path))?;
            report.line("removed the file, which nothing else was in");
        }
    }

    let shown = target.show(&target.attributes);
    report.heading(&shown);
    if let Some(before) = read_optional(&target.attributes)? {
        let (after, removed) = remove_lines(&before, &our_lines());
        for (number, line) in &removed {
            report.line(format_args!("removed line {number}: {line}"));
        }
        if !removed.is_empty() {
            if after.is_empty() {
                fs::remove_file(&target.attributes).map_err(file_error(&target.attributes))?;
                report.line("removed the file, which nothing else was in");
            } else {
                write_atomically(&target.attributes, &after)
                    .map_err(file_error(&target.attributes))?;
            }
        }
    }

    if args.aider {
        if let Some(repo) = &target.repo {
            let path = repo.top.join(CONVENTIONS_FILE);
            report.heading(CONVENTIONS_FILE);
            match read_optional(&path)? {
                Some(bytes) if bytes == CONVENTIONS.as_bytes() => {
                    fs::remove_file(&path).map_err(file_error(&path))?;
                    report.line("removed");
                }
                Some(_) => report.line("left as it is: it is not the one install writes"),
                None => {}
            }
        }
    }

    if let Some(repo) = &target.repo {
        if git::ref_exists(&repo.top, TEXTCONV_CACHE_REF)? {
            git::delete_ref(&repo.top, TEXTCONV_CACHE_REF)?;
            report.heading("textconv cache");
            report.line(format_args!("cleared {TEXTCONV_CACHE_REF}"));
        }
    }
    if report.is_empty() {
        report.summary(format_args!(
            "nothing to remove: nbmyst is not installed in the {} or {shown}",
            target.scope_name
        ));
    }
    report.print(stdout)
}

// ---------------------------------------------------------------------------------------------
// The report

/// What install or uninstall did, grouped by file; headings with nothing under them are not
/// printed.
#[derive(Default)]
struct Report {
    groups: Vec<(String, Vec<String>)>,
    loose: Vec<String>,
}

impl Report {
    fn heading(&mut self, name: &str) {
        self.groups.push((name.to_owned(), Vec::new()));
    }

    fn line(&mut self, text: impl std::fmt::Display) {
        match self.groups.last_mut() {
            Some((_, lines)) => lines.push(text.to_string()),
            None => self.summary(text),
        }
    }

    /// A line after every group.
    fn summary(&mut self, text: impl std::fmt::Display) {
        self.loose.push(text.to_string());
    }

    fn is_empty(&self) -> bool {
        self.loose.is_empty() && self.groups.iter().all(|(_, lines)| lines.is_empty())
    }

    fn print(&self, stdout: &mut dyn Write) -> Result<(), Error> {
        let mut text = String::new();
        for (name, lines) in &self.groups {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(text, "{name}:");
            for line in lines {
                let _ = writeln!(text, "  {line}");
            }
        }
        for line in &self.loose {
            let _ = writeln!(text, "{line}");
        }
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(Error::WriteOutput)
    }
}

// ---------------------------------------------------------------------------------------------
// Editing a gitattributes file

/// What adding the line did to the file.
#[derive(Debug, PartialEq, Eq)]
enum LineEdit {
    /// The line was there already, at `number` (1-based).
    Unchanged { number: usize },
    /// Appended as line `number`.
    Added { number: usize, bytes: Vec<u8> },
    /// Another variant of our line, at `number`, became this one.
    Replaced {
        number: usize,
        old: String,
        bytes: Vec<u8>,
    },
}

impl LineEdit {
    fn number(&self) -> usize {
        match self {
            LineEdit::Unchanged { number }
            | LineEdit::Added { number, .. }
            | LineEdit::Replaced { number, .. } => *number,
        }
    }

    fn new_bytes(&self) -> Option<&[u8]> {
        match self {
            LineEdit::Unchanged { .. } => None,
            LineEdit::Added { bytes, .. } | LineEdit::Replaced { bytes, .. } => Some(bytes),
        }
    }
}

/// The lines of `bytes`, each with its line ending (the last one may have none).
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        lines.push(&rest[..end]);
        rest = &rest[end..];
    }
    lines
}

/// A line without its ending.
fn line_text(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Add `line` to a gitattributes file's contents: nothing if it is there, in place of another
/// variant of ours if there is one, else at the end. A file without a final newline gets
/// `\n` + the line and still no final newline, so that removing it restores the bytes exactly.
fn add_line(bytes: &[u8], line: &str) -> LineEdit {
    let lines = split_lines(bytes);
    if let Some(i) = lines.iter().position(|l| line_text(l) == line.as_bytes()) {
        return LineEdit::Unchanged { number: i + 1 };
    }
    let variants = our_lines();
    let eol: &[u8] = if bytes.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    if let Some(i) = lines
        .iter()
        .position(|l| variants.iter().any(|v| line_text(l) == v.as_bytes()))
    {
        let old = String::from_utf8_lossy(line_text(lines[i])).into_owned();
        let ending = &lines[i][line_text(lines[i]).len()..];
        let mut out = Vec::with_capacity(bytes.len() + line.len());
        for (j, l) in lines.iter().enumerate() {
            if j == i {
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(ending);
            } else {
                out.extend_from_slice(l);
            }
        }
        return LineEdit::Replaced {
            number: i + 1,
            old,
            bytes: out,
        };
    }
    let mut out = bytes.to_vec();
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(eol);
    } else {
        out.extend_from_slice(eol);
        out.extend_from_slice(line.as_bytes());
    }
    LineEdit::Added {
        number: lines.len() + 1,
        bytes: out,
    }
}

/// Remove every line equal to one of `ours`; returns the new contents and the removed lines
/// (1-based numbers in the old file). A removed last line without a final newline takes the
/// line ending before it along (the inverse of [`add_line`]).
fn remove_lines(bytes: &[u8], ours: &[String]) -> (Vec<u8>, Vec<(usize, String)>) {
    let lines = split_lines(bytes);
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut removed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line_text(line);
        if ours.iter().any(|o| o.as_bytes() == text) {
            removed.push((i + 1, String::from_utf8_lossy(text).into_owned()));
            let last_without_newline = i + 1 == lines.len() && !line.ends_with(b"\n");
            if last_without_newline {
                if out.ends_with(b"\r\n") {
                    out.truncate(out.len() - 2);
                } else if out.ends_with(b"\n") {
                    out.truncate(out.len() - 1);
                }
            }
        } else {
            out.extend_from_slice(line);
        }
    }
    (out, removed)
}

/// The file's bytes, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(file_error(path)(e)),
    }
}

/// Replace `path` with `bytes` through a temporary file beside it (a symlink is followed, so a
/// dotfile kept elsewhere stays a link); the folder is created if needed, the mode kept.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_owned(),
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.nbmyst-{}.tmp", std::process::id()));
    let result = (|| {
        fs::write(&temp, bytes)?;
        if let Ok(meta) = fs::metadata(&path) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        fs::rename(&temp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

// ---------------------------------------------------------------------------------------------
// Rules in the way

/// One line of a gitattributes file that concerns notebooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    /// The file it is in.
    pub file: PathBuf,
    /// Its 1-based line number.
    pub number: usize,
    /// The line as written.
    pub text: String,
    /// The pattern.
    pub pattern: String,
    /// The attribute tokens (`diff=x`, `-diff`, `binary`, ...).
    pub tokens: Vec<String>,
    /// How it ranks against other files (higher wins; within a file, later lines win).
    pub rank: u32,
}

/// A rule that gives notebooks another value of an attribute nbmyst sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Conflict {
    /// The rule.
    pub rule: Rule,
    /// The tokens that conflict, with what they do.
    pub tokens: Vec<String>,
    /// The line with those tokens taken out (`None`: delete the line).
    pub replacement: Option<String>,
}

impl Conflict {
    /// What the rule does to notebooks, for messages: "turns notebook diffs off (git shows
    /// them as binary)", "sends notebook diffs to nbdime's driver", ...
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for token in &self.tokens {
            let name = token.trim_start_matches(['-', '!']);
            let name = name.split('=').next().unwrap_or(name);
            let what = if token == "binary" {
                "marks notebooks binary (no diff, no merge)".to_owned()
            } else if let Some((_, value)) = token.split_once('=') {
                match tool_of(value) {
                    Some(tool) => format!("sends notebook {name}s to {tool} driver"),
                    None => format!("sends notebook {name}s to the `{value}` driver"),
                }
            } else if token.starts_with('-') && name == "diff" {
                "turns notebook diffs off (git shows them as binary)".to_owned()
            } else if token.starts_with('-') {
                "turns notebook merges off (git keeps ours and reports a conflict)".to_owned()
            } else if token.starts_with('!') {
                format!("resets notebook {name}s to git's default")
            } else {
                format!("forces git's plain text {name} on notebooks")
            };
            parts.push(what);
        }
        parts.join(" and ")
    }

    /// The change, in words: "delete it" or "change it to `...`".
    pub fn action(&self) -> String {
        match &self.replacement {
            Some(new) => format!("change it to `{new}`"),
            None => "delete it".to_owned(),
        }
    }

    /// The exact change, as `-old` / `+new` lines.
    pub fn change(&self) -> String {
        match &self.replacement {
            Some(new) => format!("-{}\n+{new}", self.rule.text),
            None => format!("-{}", self.rule.text),
        }
    }
}

/// The tool known to use a driver name, as a possessive ("nbdime's").
pub(crate) fn tool_of(driver: &str) -> Option<&'static str> {
    match driver {
        "jupyternotebook" => Some("nbdime's"),
        "ipynb" => Some("nbstripout's or nbdev's"),
        "nbdev-merge" => Some("nbdev's"),
        _ => None,
    }
}

/// Split a gitattributes line into pattern and tokens; `None` for blank lines, comments and
/// macro definitions.
fn parse_rule_line(line: &str) -> Option<(String, Vec<String>)> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') || line.starts_with("[attr]") {
        return None;
    }
    let (pattern, rest) = if let Some(quoted) = line.strip_prefix('"') {
        // A C-quoted pattern: take it up to the closing quote, unescaping \" and \\.
        let mut pattern = String::new();
        let mut chars = quoted.char_indices();
        let mut end = quoted.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        pattern.push(next);
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                _ => pattern.push(c),
            }
        }
        (pattern, &quoted[end.min(quoted.len())..])
    } else {
        match line.split_once(char::is_whitespace) {
            Some((pattern, rest)) => (pattern.to_owned(), rest),
            None => (line.to_owned(), ""),
        }
    };
    Some((
        pattern,
        rest.split_whitespace().map(str::to_owned).collect(),
    ))
}

/// Whether a pattern can match notebooks: its last component ends in `.ipynb` or in `*`.
fn concerns_notebooks(pattern: &str) -> bool {
    let name = pattern.trim_end_matches('/');
    let name = name.rsplit('/').next().unwrap_or(name);
    name.ends_with(".ipynb") || name.ends_with('*')
}

/// The rules of one file that concern notebooks.
pub(crate) fn read_rules(file: &Path, rank: u32) -> Vec<Rule> {
    let Ok(bytes) = fs::read(file) else {
        return Vec::new();
    };
    split_lines(&bytes)
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let text = String::from_utf8_lossy(line_text(line)).into_owned();
            let (pattern, tokens) = parse_rule_line(&text)?;
            concerns_notebooks(&pattern).then_some(Rule {
                file: file.to_owned(),
                number: i + 1,
                text,
                pattern,
                tokens,
                rank,
            })
        })
        .collect()
}

/// How a rule conflicts with nbmyst's attributes for `parts`, if it does.
pub(crate) fn conflict_of(rule: &Rule, parts: &[Part]) -> Option<Conflict> {
    let wanted: Vec<&str> = ["diff", "merge"]
        .into_iter()
        .filter(|a| parts.iter().any(|p| p.attribute() == *a))
        .collect();
    let mut conflicting = Vec::new();
    let mut kept = Vec::new();
    for token in &rule.tokens {
        let name = token
            .trim_start_matches(['-', '!'])
            .split('=')
            .next()
            .unwrap_or("");
        if token == "binary" && !wanted.is_empty() {
            conflicting.push(token.clone());
            // binary = -diff -merge -text: keep what nbmyst does not set.
            for part in ["-diff", "-merge", "-text"] {
                if !wanted.contains(&&part[1..]) {
                    kept.push(part.to_owned());
                }
            }
        } else if wanted.contains(&name) && *token != format!("{name}={DRIVER}") {
            conflicting.push(token.clone());
        } else {
            kept.push(token.clone());
        }
    }
    if conflicting.is_empty() {
        return None;
    }
    let replacement = (!kept.is_empty()).then(|| {
        let pattern = if rule.pattern.contains(char::is_whitespace) {
            format!("\"{}\"", rule.pattern)
        } else {
            rule.pattern.clone()
        };
        format!("{pattern} {}", kept.join(" "))
    });
    Some(Conflict {
        rule: rule.clone(),
        tokens: conflicting,
        replacement,
    })
}

/// Ranks of attribute files: later wins.
pub(crate) const RANK_SYSTEM: u32 = 0;
pub(crate) const RANK_GLOBAL: u32 = 1;
pub(crate) const RANK_TOP: u32 = 2;
pub(crate) const RANK_SUBDIR: u32 = 3;
pub(crate) const RANK_INFO: u32 = 1000;

/// The attribute files git reads for the repository, with their rank: the system and global
/// files, every tracked `.gitattributes` (deeper ones above), `.git/info/attributes`.
pub(crate) fn attribute_files(
    cwd: &Path,
    repo: Option<&Repo>,
    env: &Env,
) -> Result<Vec<(PathBuf, u32)>, Error> {
    let mut files = Vec::new();
    if let Some(system) = git::var(cwd, "GIT_ATTR_SYSTEM")? {
        files.push((PathBuf::from(system), RANK_SYSTEM));
    }
    if let Ok(global) = global_attributes_file(cwd, env) {
        files.push((global, RANK_GLOBAL));
    }
    if let Some(repo) = repo {
        files.push((repo.top.join(".gitattributes"), RANK_TOP));
        for path in git::ls_files(&repo.top, &[":(glob)**/.gitattributes"])? {
            let depth = path.matches('/').count() as u32;
            if depth > 0 {
                files.push((repo.top.join(&path), RANK_SUBDIR + depth));
            }
        }
        files.push((git::git_path(&repo.top, "info/attributes")?, RANK_INFO));
    }
    Ok(files)
}

/// The rules that conflict with nbmyst's attributes in every file git reads.
fn find_conflicts(
    target: &Target,
    parts: &[Part],
    cwd: &Path,
    env: &Env,
) -> Result<Vec<Conflict>, Error> {
    let mut files = attribute_files(cwd, target.repo.as_ref(), env)?;
    if !files.iter().any(|(f, _)| same_file(f, &target.attributes)) {
        files.push((target.attributes.clone(), RANK_TOP));
    }
    Ok(files
        .iter()
        .flat_map(|(file, rank)| read_rules(file, *rank))
        .filter_map(|rule| conflict_of(&rule, parts))
        .collect())
}

/// Where nbmyst's own line is.
pub(crate) struct OurLine {
    pub file: PathBuf,
    pub number: usize,
}

/// Whether the conflicting rule loses to nbmyst's line.
fn overridden(conflict: &Conflict, ours: &OurLine, files_rank: u32) -> bool {
    if same_file(&conflict.rule.file, &ours.file) {
        conflict.rule.number < ours.number
    } else {
        conflict.rule.rank < files_rank
    }
}

/// Say what a conflicting rule does, whether nbmyst's line overrides it, and the exact change.
fn warn_conflict(conflict: &Conflict, ours: &OurLine, repo: Option<&Repo>, stderr: &mut dyn Write) {
    let our_rank = rank_of(&ours.file, repo);
    let place = format!(
        "{}:{}",
        show_path(&conflict.rule.file, repo),
        conflict.rule.number
    );
    let verdict = if overridden(conflict, ours, our_rank) {
        "nbmyst's line overrides it; to remove the contradiction"
    } else {
        "it takes precedence over nbmyst's line, so notebooks do not use nbmyst; to fix it"
    };
    warn(
        stderr,
        format_args!(
            "{place}: `{}` {}; {verdict}, {}:\n{}",
            conflict.rule.text,
            conflict.describe(),
            conflict.action(),
            indent(&conflict.change(), "  ")
        ),
    );
}

/// Indent every line.
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rank of a file among the repository's attribute files (a file of one's own: the top).
fn rank_of(file: &Path, repo: Option<&Repo>) -> u32 {
    let Some(repo) = repo else {
        return RANK_GLOBAL;
    };
    if same_file(file, &repo.top.join(".gitattributes")) {
        RANK_TOP
    } else if same_file(file, &repo.git_dir.join("info/attributes")) {
        RANK_INFO
    } else if let Ok(rel) = file.strip_prefix(&repo.top) {
        RANK_SUBDIR + rel.components().count().saturating_sub(1) as u32
    } else {
        RANK_GLOBAL
    }
}

/// Whether two paths name the same file (compared resolved when both exist).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

// ---------------------------------------------------------------------------------------------
// PATH

/// The first `name` on `PATH` that is an executable file, as git's shell would find it.
pub(crate) fn find_on_path(env: &Env, name: &str) -> Option<PathBuf> {
    let path = env.path.as_ref()?;
    std::env::split_paths(path).find_map(|dir| {
        let dir = if dir.as_os_str().is_empty() {
            env.cwd()
        } else {
            dir
        };
        let candidate = dir.join(name);
        is_executable(&candidate).then_some(candidate)
    })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// Whether `path` is the running binary.
pub(crate) fn is_current_exe(path: &Path) -> bool {
    std::env::current_exe().is_ok_and(|exe| same_file(&exe, path))
}

/// The running binary, for messages.
pub(crate) fn current_exe_display() -> String {
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "this binary".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textconv_command_runs_nbmyst_or_cat_and_carries_the_version() {
        let command = textconv_command();
        assert_eq!(
            command,
            format!(
                "sh -c 'command -v nbmyst >/dev/null && exec nbmyst textconv \"$1\" || exec cat \
                 \"$1\"' nbmyst-{}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn merge_command_passes_every_placeholder_once() {
        let command = merge_command();
        assert!(command.ends_with("' nbmyst %O %A %B %L %P %S %X %Y"));
        // Inside the script git must find no placeholder to expand.
        let script = &command[..command.rfind('\'').unwrap()];
        assert!(!script.contains('%'), "{script}");
    }

    #[test]
    fn attributes_lines() {
        assert_eq!(
            attributes_line(&[Part::Textconv, Part::Merge], false),
            "*.ipynb diff=nbmyst merge=nbmyst"
        );
        assert_eq!(
            attributes_line(&[Part::Textconv, Part::ExtDiff], true),
            "*.ipynb diff=nbmyst linguist-generated=true"
        );
        assert_eq!(
            attributes_line(&[Part::Merge], false),
            "*.ipynb merge=nbmyst"
        );
        assert_eq!(our_lines().len(), 6);
    }

    #[test]
    fn adding_then_removing_restores_the_bytes() {
        let line = "*.ipynb diff=nbmyst";
        for before in [
            &b""[..],
            b"*.png binary\n",
            b"*.png binary",
            b"*.png binary\r\n*.jpg binary\r\n",
            b"\n\n",
        ] {
            let edit = add_line(before, line);
            let bytes = edit.new_bytes().unwrap().to_vec();
            assert_eq!(
                add_line(&bytes, line),
                LineEdit::Unchanged {
                    number: edit.number()
                }
            );
            let (after, removed) = remove_lines(&bytes, &our_lines());
            assert_eq!(removed.len(), 1);
            assert_eq!(after, before, "{:?}", String::from_utf8_lossy(before));
        }
    }

    #[test]
    fn another_variant_of_our_line_is_replaced_in_place() {
        let before = b"a b\n*.ipynb diff=nbmyst\nc d\n";
        let edit = add_line(before, "*.ipynb diff=nbmyst merge=nbmyst");
        assert_eq!(
            edit,
            LineEdit::Replaced {
                number: 2,
                old: "*.ipynb diff=nbmyst".to_owned(),
                bytes: b"a b\n*.ipynb diff=nbmyst merge=nbmyst\nc d\n".to_vec()
            }
        );
    }

    #[test]
    fn user_lines_are_never_taken_for_ours() {
        let before = b"*.ipynb  diff=nbmyst\n*.ipynb diff=nbmyst # mine\n";
        let (after, removed) = remove_lines(before, &our_lines());
        assert!(removed.is_empty());
        assert_eq!(after, before);
    }

    fn rule(text: &str) -> Rule {
        let (pattern, tokens) = parse_rule_line(text).unwrap();
        Rule {
            file: PathBuf::from(".gitattributes"),
            number: 1,
            text: text.to_owned(),
            pattern,
            tokens,
            rank: RANK_TOP,
        }
    }

    #[test]
    fn conflicts_and_their_exact_change() {
        let both = [Part::Textconv, Part::Merge];
        let c = conflict_of(&rule("*.ipynb -diff"), &both).unwrap();
        assert_eq!(c.change(), "-*.ipynb -diff");
        let c = conflict_of(&rule("*.ipynb\tdiff=jupyternotebook text"), &both).unwrap();
        assert_eq!(c.tokens, ["diff=jupyternotebook"]);
        assert_eq!(
            c.change(),
            "-*.ipynb\tdiff=jupyternotebook text\n+*.ipynb text"
        );
        assert_eq!(c.describe(), "sends notebook diffs to nbdime's driver");
        assert_eq!(c.action(), "change it to `*.ipynb text`");
        let c = conflict_of(&rule("*.ipynb binary"), &[Part::Textconv]).unwrap();
        assert_eq!(c.replacement.as_deref(), Some("*.ipynb -merge -text"));
        let c = conflict_of(&rule("* binary"), &both).unwrap();
        assert_eq!(c.replacement.as_deref(), Some("* -text"));
        assert!(conflict_of(&rule("*.ipynb filter=nbstripout"), &both).is_none());
        assert!(conflict_of(&rule("*.ipynb diff=nbmyst merge=nbmyst"), &both).is_none());
        // merge=... is no conflict when only the diff driver is installed.
        assert!(conflict_of(&rule("*.ipynb merge=jupyternotebook"), &[Part::Textconv]).is_none());
        assert!(parse_rule_line("# *.ipynb -diff").is_none());
        assert!(parse_rule_line("[attr]nb -diff").is_none());
        assert!(!concerns_notebooks("*.png"));
        assert!(concerns_notebooks("notebooks/**"));
        assert!(concerns_notebooks(
            "\"dir with space/x.ipynb\""[1..].trim_end_matches('"')
        ));
    }

    #[test]
    fn config_values_are_quoted_as_git_does() {
        assert_eq!(quote_config_value("true"), "true");
        assert_eq!(quote_config_value("a \"b\""), "a \\\"b\\\"");
        assert_eq!(quote_config_value("a; b"), "\"a; b\"");
        assert_eq!(quote_config_value(" x"), "\" x\"");
    }

    #[test]
    fn snippet_has_every_available_entry() {
        let text = snippet();
        for (entry, value) in entries_of(&available_parts()) {
            let (_, name) = split_key(entry.key);
            assert!(
                text.contains(&format!("{name} = {}", quote_config_value(&value))),
                "{name}"
            );
        }
    }
}
