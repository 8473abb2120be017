//! `nbmyst sync [PATHS...]`: bring paired `.ipynb` and MyST `.md` files in step.
//!
//! The steps, shared with `check` (which stops after the second):
//!
//! 1. **Find the pairs** ([`find_pairs`]): the files named on the command line, or found in the
//!    folders named (or, by default, every file git tracks), each paired as jupytext pairs it
//!    ([`crate::pair::find_pair`]). Other files are ignored.
//! 2. **Compare by content** ([`analyse`], in parallel): the `.md` against the MyST the `.ipynb`
//!    gives under the pair's settings (a different `jupytext_version` in the header alone does
//!    not count), and the notebook's cells (type, source, shown metadata) against the `.md` read
//!    back. Both equal: the pair is in step, and nothing is written.
//! 3. **Decide** which side wins ([`decide`]): a missing side is created from the other; when
//!    git's HEAD has both sides, the side that changed since HEAD wins (the `.md` by its text,
//!    the `.ipynb` by its MyST view, so re-running a notebook is no change); otherwise the `.md`
//!    wins unless the `.ipynb` is newer by more than `outdated_text_notebook_margin`. HEAD's
//!    blobs come from one `git cat-file --batch`, the pairs git has unmerged from one
//!    `git ls-files --unmerged`.
//!    - Two changed sides are merged ([`merge_sides`]): cell by cell, HEAD's `.md` the base,
//!      the `.md` ours, the `.ipynb`'s MyST view read back theirs. A conflict writes nothing and
//!      shows the conflicting cells between markers.
//!    - An `.ipynb` holding conflict markers (the merge driver's; git's own, which make it no
//!      notebook, only while git has the pair unmerged), or any `.ipynb` of a pair git has
//!      unmerged, is never an edit: the `.md`, once free of markers, is the resolution and wins.
//! 4. **Write** ([`sync_pair`]): the winner is read into a notebook, combined with the prior
//!    `.ipynb` (outputs, ids and hidden metadata kept for unchanged cells), and both files are
//!    rendered from the result, so the pair ends as a fixed point that `check` and
//!    `jupytext --sync` both leave alone. Each file is written only if its content changes,
//!    `.ipynb` first, atomically (a temporary file in the same folder renamed over it, with the
//!    file's permissions), never over a read-only file or one that changed while we ran.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::cli::SyncArgs;
use crate::combine::{self, CombineOptions, InputDifference};
use crate::config::{self, Config, ConfigError, SearchPaths};
use crate::drivers::Env;
use crate::error::{io_message, warn, Error};
use crate::git::{self, GitError, Listing};
use crate::merge::{self, markers, Conflict, Labels, Markers, MergeOptions};
use crate::myst::{self, write::WriteError, write::WriteOptions};
use crate::notebook::{self, Json, Map, Notebook, ReadOptions};
use crate::pair::{self, Pair, PairError};

/// Exit status of `sync` when some pair was refused or could not be read or written.
pub const EXIT_PAIR_FAILED: u8 = crate::EXIT_USAGE;

/// HEAD's bytes of a pair's `.ipynb` and `.md`.
type HeadBlobs = (Option<Vec<u8>>, Option<Vec<u8>>);

/// Run `nbmyst sync`.
pub fn run(
    args: &SyncArgs,
    env: &Env,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let session = Session::new(env);
    let found = find_pairs(&session, &args.paths);
    let mut failed = report_found(&found, stderr);

    let analysed: Vec<(PairJob, Result<Analysis, Problem>)> = found
        .jobs
        .into_par_iter()
        .map(|mut job| {
            let analysis = analyse_with(&mut job, true);
            (job, analysis)
        })
        .collect();

    // HEAD's version of both sides of every pair that needs a decision, in one git call.
    let needs_head: Vec<usize> = analysed
        .iter()
        .enumerate()
        .filter(|(_, (_, a))| matches!(a, Ok(a) if a.state == PairState::OutOfStep))
        .map(|(i, _)| i)
        .collect();
    let mut head: HashMap<usize, HeadBlobs> = HashMap::new();
    let mut unmerged: HashSet<usize> = HashSet::new();
    // Only pairs inside the current folder's work tree can be asked about (git refuses paths
    // outside it); the others are decided by file times.
    let needs_head: Vec<usize> = needs_head
        .into_iter()
        .filter(|&i| {
            let pair = &analysed[i].0.pair;
            session.inside_repo(Path::new(&pair.ipynb)) && session.inside_repo(Path::new(&pair.md))
        })
        .collect();
    if !needs_head.is_empty() {
        let paths: Vec<PathBuf> = needs_head
            .iter()
            .flat_map(|&i| {
                let job = &analysed[i].0;
                [PathBuf::from(&job.pair.ipynb), PathBuf::from(&job.pair.md)]
            })
            .collect();
        match git::head_blobs(&session.cwd, &paths) {
            Ok(blobs) => {
                let mut blobs = blobs.into_iter();
                for &i in &needs_head {
                    let ipynb = blobs.next().flatten();
                    let md = blobs.next().flatten();
                    head.insert(i, (ipynb, md));
                }
            }
            Err(err) => warn(stderr, format_args!("{err}; deciding by file times only")),
        }
        match git::unmerged(&session.cwd, &paths) {
            Ok(flags) => {
                for (k, &i) in needs_head.iter().enumerate() {
                    if flags.get(2 * k).copied().unwrap_or(false)
                        || flags.get(2 * k + 1).copied().unwrap_or(false)
                    {
                        unmerged.insert(i);
                    }
                }
            }
            Err(err) => warn(stderr, format_args!("{err}; merge state unknown")),
        }
    }

    let outcomes: Vec<Result<Option<String>, Problem>> = analysed
        .into_par_iter()
        .enumerate()
        .map(|(i, (job, analysis))| {
            let analysis = analysis?;
            let (head_ipynb, head_md) = head.get(&i).cloned().unwrap_or_default();
            let evidence = Evidence {
                head_ipynb: head_ipynb.as_deref(),
                head_md: head_md.as_deref(),
                unmerged: unmerged.contains(&i),
            };
            sync_pair(&job, analysis, &evidence)
        })
        .collect();
    for outcome in outcomes {
        match outcome {
            Ok(Some(line)) => {
                writeln!(stdout, "{line}").map_err(Error::WriteOutput)?;
            }
            Ok(None) => {}
            Err(problem) => {
                report_problem(&problem, stderr);
                failed = true;
            }
        }
    }
    stdout.flush().map_err(Error::WriteOutput)?;
    Ok(if failed {
        EXIT_PAIR_FAILED
    } else {
        crate::EXIT_OK
    })
}

// ---------------------------------------------------------------------------------------------
// Problems

/// Why a pair (or a path) was left alone. Each names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("{path}: {}", io_message(source))]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: is a directory, not a notebook")]
    IsDirectory { path: String },
    #[error("{path}: {source}")]
    Notebook {
        path: String,
        #[source]
        source: notebook::ReadError,
    },
    #[error("{path}: {warning}; jupytext cannot read this file as it is, so it is not synced")]
    NotebookAsIs {
        path: String,
        warning: notebook::ReadWarning,
    },
    #[error("{path}:{line}: unresolved conflict marker; resolve it first")]
    ConflictMarker { path: String, line: usize },
    #[error(
        "{path} has no MyST header (jupytext.text_representation.format_name: myst); not syncing"
    )]
    NotMyst { path: String },
    #[error("{path}: {source}")]
    Myst {
        path: String,
        #[source]
        source: myst::read::ReadError,
    },
    #[error("{path}: cannot be written as MyST: {source}")]
    WriteMyst {
        path: String,
        #[source]
        source: WriteError,
    },
    #[error("{path}: {source}")]
    Pairing {
        path: String,
        #[source]
        source: PairError,
    },
    #[error("{0}")]
    Config(Arc<ConfigError>),
    #[error(
        "{md} and {ipynb} both changed since the last commit, and their edits conflict; \
         nothing written:\n{shown}"
    )]
    Conflict {
        md: String,
        ipynb: String,
        /// The conflicting cells as MyST, between conflict markers.
        shown: String,
    },
    #[error("{md} holds an unresolved conflict and {ipynb} cannot be read as a notebook")]
    BothConflicted { md: String, ipynb: String },
    #[error("{path} is read-only; not replacing it")]
    ReadOnly { path: String },
    #[error("{path}: cannot write: {}", io_message(source))]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path} changed while nbmyst was running; not replacing it")]
    ChangedMeanwhile { path: String },
    #[error("cannot list the files of the repository: {0}")]
    Git(#[source] GitError),
}

impl Problem {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Problem::Conflict { md, ipynb, .. } => Some(format!(
                "to keep {ipynb}'s version of those cells, copy it into {md} and run \
                 `nbmyst sync {md}` again (the other edits of both merge); to keep {md}'s, drop \
                 {ipynb}'s edits (`git checkout HEAD -- {ipynb}`) and run `nbmyst sync {md}`"
            )),
            Problem::BothConflicted { md, .. } => Some(format!(
                "resolve the conflict in {md} (remove the markers), then run `nbmyst sync {md}`"
            )),
            Problem::NotMyst { path } => Some(format!(
                "if {path} is meant to be the notebook's text, write it with \
                 `jupytext --to md:myst` (or remove it and run `nbmyst sync` to recreate it)"
            )),
            Problem::ReadOnly { path } => Some(format!(
                "make it writable (`chmod u+w {path}`) to let nbmyst update it"
            )),
            Problem::Config(err) => err.hint(),
            _ => None,
        }
    }
}

/// Print a problem as `nbmyst: error: ...` with its hint.
pub fn report_problem(problem: &Problem, stderr: &mut dyn Write) {
    let _ = writeln!(stderr, "nbmyst: error: {problem}");
    if let Some(hint) = problem.hint() {
        let _ = writeln!(stderr, "nbmyst: hint: {hint}");
    }
    let _ = stderr.flush();
}

/// Print the warnings and problems met while finding the pairs; true if there was a problem.
pub fn report_found(found: &Found, stderr: &mut dyn Write) -> bool {
    for warning in &found.warnings {
        warn(stderr, warning);
    }
    for problem in &found.problems {
        report_problem(problem, stderr);
    }
    !found.problems.is_empty()
}

// ---------------------------------------------------------------------------------------------
// The session: environment, configuration cache, repository

/// What every pair of one run shares.
pub struct Session {
    /// The current folder: relative paths are relative to it, git runs in it.
    pub cwd: PathBuf,
    search: SearchPaths,
    /// jupytext settings by folder (absolute), found once per folder.
    configs: Mutex<HashMap<PathBuf, ConfigLookup>>,
    /// Whether the current folder is inside a git work tree.
    pub in_repo: bool,
    /// The top of that work tree, symbolic links resolved.
    repo_top: Option<PathBuf>,
}

type ConfigLookup = Result<Option<Arc<Config>>, Arc<ConfigError>>;

impl Session {
    pub fn new(env: &Env) -> Session {
        let cwd = env.cwd();
        let repo_top = git::work_tree_top(&cwd).map(|top| fs::canonicalize(&top).unwrap_or(top));
        Session {
            search: env.config_search(),
            cwd,
            configs: Mutex::new(HashMap::new()),
            in_repo: repo_top.is_some(),
            repo_top,
        }
    }

    /// Whether `path` (a file or folder, relative to the current folder) is inside the current
    /// folder's work tree, where git can be asked about it.
    pub fn inside_repo(&self, path: &Path) -> bool {
        let Some(top) = &self.repo_top else {
            return false;
        };
        let full = self.cwd.join(path);
        // The file itself may not exist yet (a side to create): its folder decides.
        let existing = if full.exists() {
            Some(full.as_path())
        } else {
            full.parent()
        };
        existing
            .and_then(|p| fs::canonicalize(p).ok())
            .is_some_and(|p| p.starts_with(top))
    }

    /// The jupytext settings for files in the folder of `path`.
    fn config_for(&self, path: &str) -> ConfigLookup {
        let full = self.cwd.join(path);
        let dir = full.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(found) = self.configs.lock().ok().and_then(|m| m.get(&dir).cloned()) {
            return found;
        }
        let found = config::discover(&dir, &self.cwd, &self.search)
            .map(|c| c.map(Arc::new))
            .map_err(Arc::new);
        if let Ok(mut map) = self.configs.lock() {
            map.insert(dir, found.clone());
        }
        found
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the pairs

/// One file as read from disk.
#[derive(Debug)]
pub struct FileState {
    /// The path (as given or as found, relative to the current folder).
    pub path: String,
    /// The bytes; `None` when the file does not exist.
    pub bytes: Option<Vec<u8>>,
    /// Size and modification time when read, to notice a change before replacing it.
    stamp: Option<Stamp>,
    /// The notebook read from `bytes` without outputs, when it was read while pairing.
    parsed: Option<Result<notebook::Read, notebook::ReadError>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

impl FileState {
    /// Read a file; a missing file gives `bytes: None`.
    fn load(cwd: &Path, path: &str) -> Result<FileState, Problem> {
        let full = cwd.join(path);
        let meta = match fs::metadata(&full) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(FileState {
                    path: path.to_owned(),
                    bytes: None,
                    stamp: None,
                    parsed: None,
                })
            }
            Err(source) => {
                return Err(Problem::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        if meta.is_dir() {
            return Err(Problem::IsDirectory {
                path: path.to_owned(),
            });
        }
        let bytes = fs::read(&full).map_err(|source| Problem::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(FileState {
            path: path.to_owned(),
            bytes: Some(bytes),
            stamp: Some(Stamp::of(&meta)),
            parsed: None,
        })
    }

    fn modified(&self) -> Option<SystemTime> {
        self.stamp.and_then(|s| s.modified)
    }
}

/// A pair to look at, with its settings and whatever was read of it while pairing.
#[derive(Debug)]
pub struct PairJob {
    pub pair: Pair,
    pub config: Option<Arc<Config>>,
    /// Where paths are relative to.
    cwd: PathBuf,
    pub ipynb: Option<FileState>,
    pub md: Option<FileState>,
}

/// The result of [`find_pairs`].
#[derive(Debug, Default)]
pub struct Found {
    pub jobs: Vec<PairJob>,
    /// Paths that could not be looked at (exit 2 in the end).
    pub problems: Vec<Problem>,
    /// Things worth saying that change nothing (an unpaired file named on the command line).
    pub warnings: Vec<String>,
}

struct Candidate {
    path: String,
    /// Named on the command line (rather than found in a folder).
    explicit: bool,
}

const IPYNB: &str = ".ipynb";
const MD: &str = ".md";

fn has_ext(path: &str, ext: &str) -> bool {
    path.len() > ext.len() && path.ends_with(ext) && !path[..path.len() - ext.len()].ends_with('/')
}

/// A path as text, without leading `./`.
fn path_text(path: &Path) -> Option<String> {
    let mut text = path.to_str()?;
    while let Some(rest) = text.strip_prefix("./") {
        text = rest.trim_start_matches('/');
    }
    Some(text.to_owned())
}

/// The pairs of the files named, or of the files under the folders named, or of every file git
/// tracks (every file under the current folder outside a repository).
pub fn find_pairs(session: &Session, paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    for path in paths {
        // An absolute path inside the current folder is taken relative to it, as git lists files
        // (and as HEAD's blobs are looked up).
        let path = match path.strip_prefix(&session.cwd) {
            Ok(rel) if path.is_absolute() && !rel.as_os_str().is_empty() => rel,
            _ => path.as_path(),
        };
        let Some(text) = path_text(path) else {
            found.warnings.push(format!(
                "{}: not UTF-8; skipped (jupytext pairs by path text)",
                path.display()
            ));
            continue;
        };
        let full = session.cwd.join(path);
        if full.is_dir() {
            folders.push(path.to_path_buf());
        } else if has_ext(&text, IPYNB) || has_ext(&text, MD) {
            if full.exists() {
                candidates.push(Candidate {
                    path: text,
                    explicit: true,
                });
            } else {
                found.problems.push(Problem::Missing { path: text });
            }
        }
        // Any other file (a `.py` an assistant edited...) is none of our business.
    }
    let listed: Result<Vec<PathBuf>, Problem> = if paths.is_empty() {
        if session.in_repo {
            git::list_files(&session.cwd, &[], Listing::Tracked).map_err(Problem::Git)
        } else {
            Ok(walk(&session.cwd, Path::new(""), &mut found.warnings))
        }
    } else {
        // Folders in the current folder's work tree are listed by git (one call); others are
        // walked.
        let (tracked, other): (Vec<PathBuf>, Vec<PathBuf>) =
            folders.into_iter().partition(|f| session.inside_repo(f));
        let mut files: Vec<PathBuf> = other
            .iter()
            .flat_map(|f| walk(&session.cwd, f, &mut found.warnings))
            .collect();
        if tracked.is_empty() {
            Ok(files)
        } else {
            git::list_files(&session.cwd, &tracked, Listing::TrackedAndUntracked)
                .map(|listed| {
                    files.extend(listed);
                    files
                })
                .map_err(Problem::Git)
        }
    };
    match listed {
        Ok(files) => candidates.extend(files.iter().filter_map(|f| {
            let text = path_text(f)?;
            (has_ext(&text, IPYNB) || has_ext(&text, MD)).then_some(Candidate {
                path: text,
                explicit: false,
            })
        })),
        Err(problem) => found.problems.push(problem),
    }

    // Notebooks first (their pairing is read from their metadata), then the `.md` files that no
    // notebook claimed.
    let (ipynbs, mds): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| has_ext(&c.path, IPYNB));
    let mut seen: HashSet<String> = HashSet::new();
    let mut pairs: HashSet<(String, String)> = HashSet::new();
    for group in [ipynbs, mds] {
        let group: Vec<Candidate> = group
            .into_iter()
            .filter(|c| !seen.contains(&c.path))
            .collect();
        let results: Vec<(Candidate, Result<Option<PairJob>, Problem>)> = group
            .into_par_iter()
            .map(|c| {
                let result = pair_of(session, &c.path);
                (c, result)
            })
            .collect();
        for (candidate, result) in results {
            match result {
                Ok(Some(job)) => {
                    seen.insert(job.pair.ipynb.clone());
                    seen.insert(job.pair.md.clone());
                    if pairs.insert((job.pair.ipynb.clone(), job.pair.md.clone())) {
                        found.jobs.push(job);
                    }
                }
                Ok(None) => {
                    if candidate.explicit && has_ext(&candidate.path, IPYNB) {
                        found.warnings.push(format!(
                            "{} is not paired with a MyST .md file (no `formats` in its metadata \
                             or in the jupytext settings); nothing to do",
                            candidate.path
                        ));
                    }
                }
                Err(problem) if candidate.explicit || !is_directory(&problem) => {
                    found.problems.push(problem)
                }
                Err(problem) => found.warnings.push(format!("{problem}; skipped")),
            }
        }
    }
    found
        .jobs
        .sort_by(|a, b| (&a.pair.ipynb, &a.pair.md).cmp(&(&b.pair.ipynb, &b.pair.md)));
    found
}

fn is_directory(problem: &Problem) -> bool {
    matches!(problem, Problem::IsDirectory { .. })
}

/// The notebooks and `.md` files under `dir` (relative to `cwd`), hidden folders left out,
/// symbolic links to folders not followed.
fn walk(cwd: &Path, dir: &Path, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(cwd.join(&dir)) else {
            warnings.push(format!(
                "{}: cannot read this folder; skipped",
                dir.display()
            ));
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.into_iter().rev() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                continue;
            };
            let rel = dir.join(name);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if has_ext(name, IPYNB) {
                    warnings.push(format!(
                        "{}: is a directory, not a notebook; skipped",
                        rel.display()
                    ));
                } else if !name.starts_with('.') {
                    stack.push(rel);
                }
            } else if has_ext(name, IPYNB) || has_ext(name, MD) {
                out.push(rel);
            }
        }
    }
    out
}

/// The pair `path` belongs to, if any, with what was read of it.
fn pair_of(session: &Session, path: &str) -> Result<Option<PairJob>, Problem> {
    let mut file = FileState::load(&session.cwd, path)?;
    let config = session.config_for(path).map_err(Problem::Config)?;
    if has_ext(path, IPYNB) {
        // Read once: the pairing is in the metadata, and the comparison needs the cells.
        file.parsed = file
            .bytes
            .as_deref()
            .map(|bytes| notebook::read(bytes, &ReadOptions::WITHOUT_OUTPUTS));
    }
    let own_formats: Option<Json> = match &file.bytes {
        None => None,
        Some(_) if has_ext(path, IPYNB) => match &file.parsed {
            Some(Ok(read)) => pair::metadata_formats(&read.notebook.metadata).cloned(),
            _ => None,
        },
        Some(bytes) => std::str::from_utf8(bytes)
            .ok()
            .and_then(myst_header_metadata)
            .and_then(|metadata| pair::metadata_formats(&metadata).cloned()),
    };
    let pair =
        pair::find_pair(path, own_formats.as_ref(), config.as_deref()).map_err(|source| {
            Problem::Pairing {
                path: path.to_owned(),
                source,
            }
        })?;
    let Some(pair) = pair else {
        return Ok(None);
    };
    let (ipynb, md) = if has_ext(path, IPYNB) {
        (Some(file), None)
    } else {
        (None, Some(file))
    };
    Ok(Some(PairJob {
        pair,
        config,
        cwd: session.cwd.clone(),
        ipynb,
        md,
    }))
}

/// The notebook metadata of a `.md` text's YAML header, when it has one that parses.
fn myst_header_metadata(text: &str) -> Option<Map> {
    if !text.starts_with("---") {
        return None;
    }
    let read = myst::read::read_with(text, &myst::read::ReadOptions::default()).ok()?;
    Some(read.notebook.metadata)
}

// ---------------------------------------------------------------------------------------------
// Comparing by content

/// Where a pair stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairState {
    /// Both sides agree: nothing to do.
    InStep,
    /// Neither side is a notebook (the `.md` is plain Markdown and there is no `.ipynb`).
    NotNotebook,
    /// One side is missing.
    IpynbMissing,
    MdMissing,
    /// Both exist and differ.
    OutOfStep,
}

/// What [`analyse`] found out about a pair.
#[derive(Debug)]
pub struct Analysis {
    pub state: PairState,
    /// The notebook, outputs left out.
    pub ipynb_nb: Option<Notebook>,
    /// The `.md` text as on disk (UTF-8).
    pub md_text: Option<String>,
    /// The notebook read from the `.md`.
    pub md_nb: Option<Notebook>,
    /// The MyST text the notebook gives.
    pub view: Option<String>,
    /// The `.md` equals the view (up to line endings and `jupytext_version`).
    pub text_agrees: bool,
    /// Where the notebook's cells and the `.md` read back first differ.
    pub input_difference: Option<InputDifference>,
    /// The `.ipynb` holds conflict markers (our merge driver's, or git's in a file that is then
    /// no notebook, `ipynb_nb` being `None`): never an edit to keep.
    pub ipynb_conflicted: bool,
    /// Why the `.ipynb` could not be read, when git's conflict markers are the cause.
    pub raw_conflict: Option<notebook::ReadError>,
}

/// The writer's options under the pair's settings.
pub fn write_options(config: Option<&Config>) -> WriteOptions {
    WriteOptions {
        notebook_metadata_filter: config.and_then(|c| c.notebook_metadata_filter.clone()),
        cell_metadata_filter: config.and_then(|c| c.cell_metadata_filter.clone()),
        root_level_metadata_filter: config.and_then(|c| c.root_level_metadata_filter.clone()),
        root_level_metadata_as_raw_cell: config
            .map(|c| c.root_level_metadata_as_raw_cell)
            .filter(|as_raw_cell| !as_raw_cell),
        destination: None,
    }
}

fn read_options(config: Option<&Config>, assume_myst: bool) -> myst::read::ReadOptions {
    myst::read::ReadOptions {
        assume_myst,
        root_level_metadata_filter: config.and_then(|c| c.root_level_metadata_filter.clone()),
        root_level_metadata_as_raw_cell: config.map(|c| c.root_level_metadata_as_raw_cell),
    }
}

pub fn combine_options(config: Option<&Config>) -> CombineOptions {
    CombineOptions {
        notebook_metadata_filter: config
            .and_then(|c| c.notebook_metadata_filter.clone())
            .map(Json::Str),
        cell_metadata_filter: config
            .and_then(|c| c.cell_metadata_filter.clone())
            .map(Json::Str),
    }
}

/// Read both sides (the one not read while pairing too) and compare them. An `.ipynb` that is
/// no notebook is refused.
pub fn analyse(job: &mut PairJob) -> Result<Analysis, Problem> {
    analyse_with(job, false)
}

/// [`analyse`], or, with `keep_raw_conflict`, an `.ipynb` that is no notebook because it holds
/// git's conflict markers gives an analysis (`raw_conflict`), for the caller to decide once it
/// knows whether git is in the middle of merging the pair.
fn analyse_with(job: &mut PairJob, keep_raw_conflict: bool) -> Result<Analysis, Problem> {
    if job.ipynb.is_none() {
        job.ipynb = Some(FileState::load(&job.cwd, &job.pair.ipynb)?);
    }
    if job.md.is_none() {
        job.md = Some(FileState::load(&job.cwd, &job.pair.md)?);
    }
    let parsed = job.ipynb.as_mut().and_then(|f| f.parsed.take());
    let config = job.config.as_deref();
    let ipynb = job.ipynb.as_ref().and_then(|f| f.bytes.as_deref());
    let md = job.md.as_ref().and_then(|f| f.bytes.as_deref());

    let mut ipynb_conflicted = false;
    let mut raw_conflict = None;
    let ipynb_nb = match ipynb {
        Some(bytes) => {
            let read = match parsed
                .unwrap_or_else(|| notebook::read(bytes, &ReadOptions::WITHOUT_OUTPUTS))
            {
                Ok(read) => Some(read),
                // git's own conflict markers in the raw file (a merge without our driver): no
                // notebook, and no edit either; the `.md` decides while git merges the pair.
                Err(source)
                    if keep_raw_conflict
                        && myst::read::find_conflict_marker(&String::from_utf8_lossy(bytes))
                            .is_some() =>
                {
                    ipynb_conflicted = true;
                    raw_conflict = Some(source);
                    None
                }
                Err(source) => {
                    return Err(Problem::Notebook {
                        path: job.pair.ipynb.clone(),
                        source,
                    })
                }
            };
            match read {
                Some(read) => {
                    // What nbformat refuses (a BOM, missing keys, nbformat 3) is read here with a
                    // warning; rewriting such a file would change it behind the user's back.
                    if let Some(warning) = read.warnings.into_iter().next() {
                        return Err(Problem::NotebookAsIs {
                            path: job.pair.ipynb.clone(),
                            warning,
                        });
                    }
                    // Our merge driver's markers (inside sources, or marker cells).
                    ipynb_conflicted = holds_conflict(&read.notebook);
                    Some(read.notebook)
                }
                None => None,
            }
        }
        None => None,
    };
    let view = match &ipynb_nb {
        Some(nb) => Some(render(nb, config, &job.pair.md)?),
        None => None,
    };
    let md_text = match md {
        Some(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Some(text.to_owned()),
            Err(e) if ipynb_nb.is_some() || ipynb_conflicted => {
                return Err(Problem::Myst {
                    path: job.pair.md.clone(),
                    source: myst::read::ReadError::NotUtf8 {
                        offset: e.valid_up_to(),
                    },
                })
            }
            Err(_) => return Ok(Analysis::empty(PairState::NotNotebook)),
        },
        None => None,
    };

    let md_nb = match &md_text {
        Some(text) => match read_md(text, view.as_deref(), job) {
            Ok(nb) => Some(nb),
            // A `.md` without a notebook beside it that is not MyST is just a Markdown file; so
            // is one paired as `md` without a format name (jupytext's own Markdown), when it is
            // not MyST.
            Err(Problem::ConflictMarker { .. }) if ipynb_conflicted && ipynb_nb.is_none() => {
                return Err(Problem::BothConflicted {
                    md: job.pair.md.clone(),
                    ipynb: job.pair.ipynb.clone(),
                })
            }
            Err(_) if ipynb_nb.is_none() && !ipynb_conflicted => {
                return Ok(Analysis::empty(PairState::NotNotebook))
            }
            Err(Problem::NotMyst { .. }) if !job.pair.md_named_myst => {
                return Ok(Analysis::empty(PairState::NotNotebook))
            }
            Err(problem) => return Err(problem),
        },
        // A pairing with `md` and no format name makes jupytext's Markdown, not MyST.
        None if !job.pair.md_named_myst => return Ok(Analysis::empty(PairState::NotNotebook)),
        None => None,
    };

    let state = match (&ipynb_nb, &md_nb) {
        // A notebook in conflict beside a readable `.md`: the `.md` is carried into it.
        (None, Some(_)) if ipynb_conflicted => PairState::OutOfStep,
        (None, None) => match raw_conflict.take() {
            // No `.md` to carry: the notebook is refused as what it is.
            Some(source) => {
                return Err(Problem::Notebook {
                    path: job.pair.ipynb.clone(),
                    source,
                })
            }
            None => PairState::NotNotebook,
        },
        (None, Some(_)) => PairState::IpynbMissing,
        (Some(_), None) => PairState::MdMissing,
        (Some(_), Some(_)) => PairState::OutOfStep,
    };
    let mut analysis = Analysis {
        state,
        ipynb_nb,
        md_text,
        md_nb,
        view,
        text_agrees: false,
        input_difference: None,
        ipynb_conflicted,
        raw_conflict,
    };
    if let (Some(nb), Some(md_nb), Some(text), Some(view)) = (
        &analysis.ipynb_nb,
        &analysis.md_nb,
        &analysis.md_text,
        &analysis.view,
    ) {
        analysis.text_agrees = text_agrees(text, view);
        analysis.input_difference =
            combine::first_input_difference(nb, md_nb, &combine_options(config));
        if analysis.text_agrees && analysis.input_difference.is_none() {
            analysis.state = PairState::InStep;
        }
    }
    Ok(analysis)
}

impl Analysis {
    fn empty(state: PairState) -> Analysis {
        Analysis {
            state,
            ipynb_nb: None,
            md_text: None,
            md_nb: None,
            view: None,
            text_agrees: false,
            input_difference: None,
            ipynb_conflicted: false,
            raw_conflict: None,
        }
    }
}

/// Whether a notebook's sources hold a conflict (markers of a merge, ours or git's, with the
/// opening `<<<<<<<` line; the cells are read as one text, as marker cells split a block).
pub fn holds_conflict(nb: &Notebook) -> bool {
    let text: Vec<&str> = nb.cells.iter().map(|c| c.source.as_str()).collect();
    myst::read::find_conflict_marker(&text.join("\n")).is_some()
}

/// The MyST text of a notebook under the pair's settings.
fn render(nb: &Notebook, config: Option<&Config>, md_path: &str) -> Result<String, Problem> {
    myst::write::write(nb, &write_options(config)).map_err(|source| Problem::WriteMyst {
        path: md_path.to_owned(),
        source,
    })
}

/// Read the `.md` of a pair: it must be MyST (a text without a header is taken as MyST only when
/// the notebook's own MyST has no header either, as under `notebook_metadata_filter = "-all"`),
/// and hold no conflict marker.
fn read_md(text: &str, view: Option<&str>, job: &PairJob) -> Result<Notebook, Problem> {
    let path = &job.pair.md;
    if let Some(line) = myst::read::find_conflict_marker(text) {
        return Err(Problem::ConflictMarker {
            path: path.clone(),
            line,
        });
    }
    let myst_error = |source| Problem::Myst {
        path: path.clone(),
        source,
    };
    // Read it as jupytext would (the text must say it is MyST); a text without any header is
    // taken as MyST only when no header is expected either.
    let read = match myst::read::read_with(text, &read_options(job.config.as_deref(), false)) {
        Err(myst::read::ReadError::NotMyst { .. }) => {
            let headerless = !text.starts_with("---");
            let view_headerless = view.is_some_and(|v| !v.starts_with("---"));
            if !(headerless && view_headerless && job.pair.md_named_myst) {
                return Err(Problem::NotMyst { path: path.clone() });
            }
            myst::read::read_with(text, &read_options(job.config.as_deref(), true))
        }
        other => other,
    };
    Ok(read.map_err(myst_error)?.notebook)
}

/// Text with Python's universal newlines (`\r\n` and `\r` read as `\n`).
pub fn normalise_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Whether a `.md` on disk says what `view` says: the same text up to line endings, and up to
/// the value of `jupytext_version` in the header (which only tells which jupytext wrote it last).
pub fn text_agrees(md: &str, view: &str) -> bool {
    let md = normalise_newlines(md);
    if md == view {
        return true;
    }
    match (version_value(&md), version_value(view)) {
        (Some((a, b)), Some((c, d))) => md[..a] == view[..c] && md[b..] == view[d..],
        _ => false,
    }
}

/// The byte range of the `jupytext_version` value in a MyST header, if any.
fn version_value(text: &str) -> Option<(usize, usize)> {
    const KEY: &str = "\n    jupytext_version: ";
    let header = text.strip_prefix("---\n")?;
    let end = header.find("\n---\n").map(|e| e + 4)?;
    let at = text[..end].find(KEY)? + KEY.len();
    let stop = text[at..].find('\n').map_or(text.len(), |e| at + e);
    Some((at, stop))
}

/// The 1-based line of the `.md` where it first differs from `view`.
pub fn first_different_line(md: &str, view: &str) -> usize {
    let md = normalise_newlines(md);
    let mut a = md.split('\n');
    let mut b = view.split('\n');
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y || is_version_line(x) && is_version_line(y) => line += 1,
            (None, None) => return line,
            _ => return line,
        }
    }
}

fn is_version_line(line: &str) -> bool {
    line.starts_with("    jupytext_version: ")
}

// ---------------------------------------------------------------------------------------------
// Deciding and writing

/// Which side's content wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Ipynb,
    Md,
    /// Neither: both changed since HEAD, and their edits were merged.
    Both,
}

/// Why a side wins, for the report.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The other side does not exist.
    OtherMissing,
    /// This side changed since HEAD and the other did not.
    ChangedSinceHead,
    /// The other side is as in HEAD (this one is not tracked, or was equal in HEAD too).
    OtherAsInHead,
    /// By the file times: the `.ipynb` is newer by more than the margin, or it is not.
    Times { margin: f64 },
    /// The `.ipynb` holds conflict markers, or git has the pair unmerged: the `.md` (resolved)
    /// wins.
    IpynbInConflict { unmerged: bool },
    /// Both changed since HEAD; merged with HEAD's version as the base.
    Merged,
}

/// What git says about a pair: HEAD's bytes of both sides, and whether the index has the pair
/// unmerged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence<'a> {
    pub head_ipynb: Option<&'a [u8]>,
    pub head_md: Option<&'a [u8]>,
    pub unmerged: bool,
}

/// How far one side is from HEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinceHead {
    Changed,
    Unchanged,
    /// HEAD has no such file, it cannot be read, or there is no repository.
    Unknown,
}

/// Decide which side wins for a pair whose two sides exist and differ; `None` when both changed
/// since HEAD.
pub fn decide(
    md_since_head: SinceHead,
    ipynb_since_head: SinceHead,
    md_modified: Option<SystemTime>,
    ipynb_modified: Option<SystemTime>,
    margin: f64,
) -> Option<(Side, Reason)> {
    use SinceHead::{Changed, Unchanged, Unknown};
    match (md_since_head, ipynb_since_head) {
        (Changed, Changed) => None,
        (Changed, Unchanged) => Some((Side::Md, Reason::ChangedSinceHead)),
        (Unchanged, Changed) => Some((Side::Ipynb, Reason::ChangedSinceHead)),
        (Unchanged, Unknown) => Some((Side::Ipynb, Reason::OtherAsInHead)),
        (Unknown, Unchanged) => Some((Side::Md, Reason::OtherAsInHead)),
        (Unchanged, Unchanged) | (Changed | Unknown, Unknown) | (Unknown, Changed) => {
            let ipynb_newer = match (md_modified, ipynb_modified) {
                (Some(md), Some(ipynb)) => ipynb
                    .duration_since(md)
                    .is_ok_and(|d| d.as_secs_f64() > margin),
                _ => false,
            };
            let side = if ipynb_newer { Side::Ipynb } else { Side::Md };
            Some((side, Reason::Times { margin }))
        }
    }
}

/// How a side compares with its HEAD version.
fn md_since_head(head: Option<&[u8]>, md_text: &str) -> SinceHead {
    match head.map(String::from_utf8_lossy) {
        Some(old) if normalise_newlines(&old) == normalise_newlines(md_text) => {
            SinceHead::Unchanged
        }
        Some(_) => SinceHead::Changed,
        None => SinceHead::Unknown,
    }
}

fn ipynb_since_head(head: Option<&[u8]>, view: &str, config: Option<&Config>) -> SinceHead {
    let Some(bytes) = head else {
        return SinceHead::Unknown;
    };
    let Ok(read) = notebook::read(bytes, &ReadOptions::WITHOUT_OUTPUTS) else {
        return SinceHead::Unknown;
    };
    match myst::write::write(&read.notebook, &write_options(config)) {
        Ok(old) if old == view => SinceHead::Unchanged,
        Ok(_) => SinceHead::Changed,
        Err(_) => SinceHead::Unknown,
    }
}

/// The empty notebook a new `.ipynb` is built on (nbformat 4.5, as jupytext writes).
fn empty_notebook() -> Notebook {
    Notebook {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: Map::new(),
        cells: Vec::new(),
        extra: Map::new(),
    }
}

/// How many times the written pair is read back and combined again, at most, until the `.md`
/// reads back as the notebook's cells (once is enough but for texts jupytext's reader splits
/// differently from how its writer joined them).
const FIXED_POINT_ROUNDS: usize = 3;

/// Sync one analysed pair; the line to report when something was written.
pub fn sync_pair(
    job: &PairJob,
    analysis: Analysis,
    evidence: &Evidence<'_>,
) -> Result<Option<String>, Problem> {
    let Evidence {
        head_ipynb,
        head_md,
        unmerged,
    } = *evidence;
    let config = job.config.as_deref();
    let pair = &job.pair;
    // git's markers in the raw `.ipynb`: the resolution in the `.md` is carried into it while
    // git has the pair unmerged; otherwise the file is refused as what it is, no notebook.
    let mut analysis = analysis;
    if let Some(source) = analysis.raw_conflict.take() {
        if !unmerged {
            return Err(Problem::Notebook {
                path: pair.ipynb.clone(),
                source,
            });
        }
    }
    let (side, reason) = match analysis.state {
        PairState::InStep | PairState::NotNotebook => return Ok(None),
        PairState::IpynbMissing => (Side::Md, Reason::OtherMissing),
        PairState::MdMissing => (Side::Ipynb, Reason::OtherMissing),
        PairState::OutOfStep if analysis.ipynb_conflicted || unmerged => {
            (Side::Md, Reason::IpynbInConflict { unmerged })
        }
        PairState::OutOfStep => {
            let md_text = analysis.md_text.as_deref().unwrap_or_default();
            let view = analysis.view.as_deref().unwrap_or_default();
            let margin = config.map_or(config::DEFAULT_OUTDATED_TEXT_NOTEBOOK_MARGIN, |c| {
                c.outdated_text_notebook_margin
            });
            decide(
                md_since_head(head_md, md_text),
                ipynb_since_head(head_ipynb, view, config),
                job.md.as_ref().and_then(FileState::modified),
                job.ipynb.as_ref().and_then(FileState::modified),
                margin,
            )
            .unwrap_or((Side::Both, Reason::Merged))
        }
    };

    // The prior notebook, outputs included; for a file git's markers made unreadable, HEAD's.
    let prior = match job.ipynb.as_ref().and_then(|f| f.bytes.as_deref()) {
        Some(_) if analysis.ipynb_conflicted && analysis.ipynb_nb.is_none() => head_ipynb
            .and_then(|bytes| notebook::read(bytes, &ReadOptions::FULL).ok())
            .map_or_else(empty_notebook, |read| read.notebook),
        Some(bytes) => {
            notebook::read(bytes, &ReadOptions::FULL)
                .map_err(|source| Problem::Notebook {
                    path: pair.ipynb.clone(),
                    source,
                })?
                .notebook
        }
        None => empty_notebook(),
    };
    let opts = combine_options(config);
    let inputs = match side {
        Side::Md => analysis.md_nb.clone().unwrap_or_else(empty_notebook),
        Side::Ipynb => {
            let view = analysis.view.as_deref().unwrap_or_default();
            read_rendered(view, job)?
        }
        Side::Both => merge_sides(job, &analysis, head_ipynb, head_md)?,
    };
    let mut nb = combine::combine(&inputs, &prior, &opts);
    let mut text = render(&nb, config, &pair.md)?;
    for _ in 0..FIXED_POINT_ROUNDS {
        let back = read_rendered(&text, job)?;
        if combine::first_input_difference(&nb, &back, &opts).is_none() {
            break;
        }
        nb = combine::combine(&back, &nb, &opts);
        text = render(&nb, config, &pair.md)?;
    }
    let ipynb_bytes = notebook::write(&nb);

    let ipynb_file = job.ipynb.as_ref();
    let md_file = job.md.as_ref();
    let write_ipynb = match ipynb_file.and_then(|f| f.bytes.as_deref()) {
        Some(old) => old != ipynb_bytes.as_bytes(),
        None => true,
    };
    let write_md = match analysis.md_text.as_deref() {
        Some(old) => !text_agrees(old, &text),
        None => true,
    };
    let mut written: Vec<&str> = Vec::new();
    let targets: Vec<(&str, Option<&FileState>, &[u8])> = [
        (
            write_ipynb,
            pair.ipynb.as_str(),
            ipynb_file,
            ipynb_bytes.as_bytes(),
        ),
        (write_md, pair.md.as_str(), md_file, text.as_bytes()),
    ]
    .into_iter()
    .filter(|(write, ..)| *write)
    .map(|(_, path, file, bytes)| (path, file, bytes))
    .collect();
    // Refuse before writing anything: a read-only target, or a file changed since it was read.
    for (path, file, _) in &targets {
        check_writable(&job.cwd, path, file.and_then(|f| f.stamp))?;
    }
    for (path, _, bytes) in &targets {
        write_atomic(&job.cwd.join(path), bytes).map_err(|source| Problem::Write {
            path: (*path).to_owned(),
            source,
        })?;
        written.push(path);
    }
    if written.is_empty() {
        return Ok(None);
    }
    let (from, other) = match side {
        Side::Md => (&pair.md, &pair.ipynb),
        Side::Ipynb => (&pair.ipynb, &pair.md),
        Side::Both => {
            return Ok(Some(format!(
                "updated {} by merging the edits {} and {} made since the last commit",
                written.join(" and "),
                pair.md,
                pair.ipynb
            )))
        }
    };
    let why = match reason {
        Reason::OtherMissing => format!("{other} did not exist"),
        Reason::ChangedSinceHead => format!("{from} changed since the last commit"),
        Reason::OtherAsInHead => format!("{other} is as in the last commit"),
        Reason::Times { margin } => match side {
            Side::Ipynb => format!("{from} is newer by more than {margin} s"),
            _ => format!("{other} is not newer by more than {margin} s"),
        },
        Reason::IpynbInConflict { unmerged: true } => {
            format!("{other} is unmerged; {from} is taken as the resolution")
        }
        Reason::IpynbInConflict { unmerged: false } => {
            format!("{other} holds conflict markers; {from} is taken as the resolution")
        }
        Reason::Merged => "edits merged".to_owned(),
    };
    Ok(Some(format!(
        "updated {} from {from} ({why})",
        written.join(" and ")
    )))
}

/// Merge the edits of both sides since HEAD, cell by cell: the base is HEAD's `.md` (or, when
/// HEAD has none that reads, the MyST view of HEAD's `.ipynb`), ours the `.md`, theirs the
/// `.ipynb`'s cells as its MyST view reads back (so both sides have passed through the same
/// format). A conflict writes nothing: the conflicting cells are shown.
fn merge_sides(
    job: &PairJob,
    analysis: &Analysis,
    head_ipynb: Option<&[u8]>,
    head_md: Option<&[u8]>,
) -> Result<Notebook, Problem> {
    let config = job.config.as_deref();
    let pair = &job.pair;
    let view = analysis.view.as_deref().unwrap_or_default();
    let base = head_md
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| read_md(text, Some(view), job).ok())
        .or_else(|| {
            let read = notebook::read(head_ipynb?, &ReadOptions::WITHOUT_OUTPUTS).ok()?;
            let text = render(&read.notebook, config, &pair.md).ok()?;
            read_rendered(&text, job).ok()
        });
    let ours = analysis.md_nb.clone().unwrap_or_else(empty_notebook);
    let theirs = read_rendered(view, job)?;
    let opts = MergeOptions {
        markers: Markers {
            labels: Labels {
                base: "HEAD".to_owned(),
                ours: pair.md.clone(),
                theirs: pair.ipynb.clone(),
            },
            ..Markers::default()
        },
        ..MergeOptions::default()
    };
    let outcome = merge::merge(base.as_ref(), ours, theirs, &opts);
    if outcome.is_clean() {
        return Ok(outcome.notebook);
    }
    let mut shown = match myst::write::write(&outcome.notebook, &write_options(config)) {
        Ok(text) => conflict_blocks(&text),
        Err(_) => String::new(),
    };
    for conflict in &outcome.conflicts {
        match conflict {
            Conflict::NotebookMetadata { paths } => {
                shown.push_str(&format!("notebook metadata: {}\n", paths.join(", ")));
            }
            Conflict::CellMetadata { paths, .. } => {
                shown.push_str(&format!("cell metadata: {}\n", paths.join(", ")));
            }
            Conflict::Source { .. } | Conflict::Cells { .. } => {}
        }
    }
    Err(Problem::Conflict {
        md: pair.md.clone(),
        ipynb: pair.ipynb.clone(),
        shown: shown.trim_end().to_owned(),
    })
}

/// The conflict blocks of a MyST text (from each `<<<<<<<` line to its `>>>>>>>` line), with
/// the line before each for context.
fn conflict_blocks(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut inside = false;
    for (i, line) in lines.iter().enumerate() {
        let opens = line.starts_with("<<<<<<<") && markers::is_marker_line(line);
        if opens && !inside {
            inside = true;
            if let Some(before) = i.checked_sub(1).map(|j| lines[j]) {
                out.push_str(before);
                out.push('\n');
            }
        }
        if inside {
            out.push_str(line);
            out.push('\n');
            if line.starts_with(">>>>>>>") && markers::is_marker_line(line) {
                inside = false;
            }
        }
    }
    out
}

/// Read MyST text that we rendered ourselves (so known to be MyST).
fn read_rendered(text: &str, job: &PairJob) -> Result<Notebook, Problem> {
    myst::read::read_with(text, &read_options(job.config.as_deref(), true))
        .map(|read| read.notebook)
        .map_err(|source| Problem::Myst {
            path: job.pair.md.clone(),
            source,
        })
}

/// Refuse to replace a read-only file, or one that changed on disk since it was read.
fn check_writable(cwd: &Path, path: &str, stamp: Option<Stamp>) -> Result<(), Problem> {
    let full = cwd.join(path);
    match fs::metadata(&full) {
        Ok(meta) => {
            if meta.permissions().readonly() {
                return Err(Problem::ReadOnly {
                    path: path.to_owned(),
                });
            }
            if stamp != Some(Stamp::of(&meta)) {
                return Err(Problem::ChangedMeanwhile {
                    path: path.to_owned(),
                });
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if stamp.is_some() {
                return Err(Problem::ChangedMeanwhile {
                    path: path.to_owned(),
                });
            }
        }
        Err(source) => {
            return Err(Problem::Read {
                path: path.to_owned(),
                source,
            })
        }
    }
    Ok(())
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, given the target's
/// permissions, then renamed over it. A symbolic link is written through (its target is
/// replaced). A new file's folder is created if needed. No temporary file is left behind on
/// error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    if permissions.is_none() {
        // A new file in a folder of its own (`md//md:myst`): create the folder, as jupytext does.
        fs::create_dir_all(&dir)?;
    }
    let pid = std::process::id();
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.nbmyst-{pid}-{attempt}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if let Some(permissions) = permissions {
            fs::set_permissions(&tmp, permissions)?;
        }
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn agreement_ignores_line_endings_and_the_jupytext_version() {
        let view =
            "---\njupytext:\n  text_representation:\n    jupytext_version: 1.19.6\n---\n\nx\n";
        assert!(text_agrees(view, view));
        assert!(text_agrees(&view.replace('\n', "\r\n"), view));
        assert!(text_agrees(&view.replace("1.19.6", "1.16.0"), view));
        assert!(!text_agrees(&view.replace("\nx\n", "\ny\n"), view));
        assert!(!text_agrees(
            &view.replace("1.19.6", "1.16.0").replace("\nx\n", "\ny\n"),
            view
        ));
        // Only in the header.
        let body = "x\n    jupytext_version: 1\n";
        assert!(!text_agrees(body, "x\n    jupytext_version: 2\n"));
        assert_eq!(first_different_line("a\nb\nc\n", "a\nb\nd\n"), 3);
        // A different version line is not where the texts differ.
        assert_eq!(
            first_different_line(
                &view.replace("1.19.6", "1.0").replace("\nx\n", "\ny\n"),
                view
            ),
            7
        );
    }

    #[test]
    fn decisions() {
        use SinceHead::*;
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let later = |s: f64| Some(t0 + Duration::from_secs_f64(s));
        // Git evidence wins over the clocks.
        assert_eq!(
            decide(Changed, Unchanged, Some(t0), later(100.0), 1.0),
            Some((Side::Md, Reason::ChangedSinceHead))
        );
        assert_eq!(
            decide(Unchanged, Changed, later(100.0), Some(t0), 1.0),
            Some((Side::Ipynb, Reason::ChangedSinceHead))
        );
        assert_eq!(decide(Changed, Changed, None, None, 1.0), None);
        assert_eq!(
            decide(Unchanged, Unknown, later(5.0), Some(t0), 1.0).map(|d| d.0),
            Some(Side::Ipynb)
        );
        // Without evidence: the .md wins unless the .ipynb is newer by more than the margin.
        assert_eq!(
            decide(Unknown, Unknown, Some(t0), later(0.5), 1.0).map(|d| d.0),
            Some(Side::Md)
        );
        assert_eq!(
            decide(Unknown, Unknown, Some(t0), later(1.5), 1.0).map(|d| d.0),
            Some(Side::Ipynb)
        );
        assert_eq!(
            decide(Unknown, Unknown, later(3.0), Some(t0), 1.0).map(|d| d.0),
            Some(Side::Md)
        );
        assert_eq!(
            decide(Unknown, Unknown, None, None, 1.0).map(|d| d.0),
            Some(Side::Md)
        );
    }

    #[test]
    fn atomic_write_keeps_the_mode_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nb.md");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["nb.md"]);
    }

    #[test]
    fn conflicts_in_notebooks_and_shown_blocks() {
        use crate::notebook::{Cell, CellType};
        let mut nb = empty_notebook();
        nb.cells = vec![
            Cell::new(CellType::Markdown, "Title\n======="),
            Cell::new(CellType::Code, "x = 1"),
        ];
        // A setext heading underline alone is no conflict.
        assert!(!holds_conflict(&nb));
        nb.cells[1] = Cell::new(
            CellType::Code,
            "<<<<<<< a\nx = 1\n=======\nx = 2\n>>>>>>> b",
        );
        assert!(holds_conflict(&nb));
        let text = "a\nb\n<<<<<<< nb.md\nx\n=======\ny\n>>>>>>> nb.ipynb\nc\n";
        assert_eq!(
            conflict_blocks(text),
            "b\n<<<<<<< nb.md\nx\n=======\ny\n>>>>>>> nb.ipynb\n"
        );
    }

    #[test]
    fn paths_as_text() {
        assert_eq!(path_text(Path::new("./a/nb.md")).unwrap(), "a/nb.md");
        assert!(has_ext("a/nb.md", MD));
        assert!(!has_ext("a/.md", MD));
        assert!(!has_ext(".md", MD));
        assert!(has_ext(".x.md", MD));
    }
}
