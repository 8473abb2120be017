//! The command line, as clap derive types only. Help text comes from the doc comments: the first
//! line is the short help, the rest shows only with `--help`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Jupyter notebooks as MyST Markdown in git
///
/// nbmyst shows `.ipynb` files to git as the MyST Markdown that jupytext writes for them
/// (`md:myst`), so `git diff`, `git log -p`, `git blame` and `git grep --textconv` show cells,
/// not JSON. It is meant to be called by git: see `gitconfig.snippet` and the README for the
/// configuration.
#[derive(Debug, Parser)]
#[command(name = "nbmyst", version, propagate_version = true)]
#[deny(missing_docs)]
pub struct Cli {
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, one per driver (each has its `<Name>Args` and `drivers::<name>::run`).
#[derive(Debug, Subcommand)]
#[deny(missing_docs)]
pub enum Command {
    /// Print a notebook as MyST Markdown (git's `diff.<driver>.textconv`)
    ///
    /// Prints exactly what `jupytext --to md:myst` writes for the notebook, honouring jupytext's
    /// configuration (`jupytext.toml`, `pyproject.toml [tool.jupytext]`, ... found from the
    /// notebook's folder, or from the current folder for the temporary copies git makes).
    /// Outputs are not shown.
    ///
    /// It never fails a git command: a file that is not a readable notebook (empty, not JSON,
    /// binary, holding conflict markers, ...) is printed unchanged (a binary file as a one-line
    /// summary) with one warning on stderr, and the exit status is 0. Exit status 2 only for a
    /// missing file or a directory, which git never passes.
    Textconv(TextconvArgs),
    /// Merge three versions of a notebook (git's `merge.<driver>.driver`)
    ///
    /// Cells are aligned across the three versions (by cell id, else by content), sources are
    /// merged line by line, metadata key by key, and outputs follow the source they belong to.
    /// The result is written over OURS, atomically; nothing is printed on standard output.
    ///
    /// Exit status 0: a clean merge. 1: conflicts, marked in the notebook, which stays a valid
    /// notebook: git-style markers inside a cell's source, whole cells between marker cells, and
    /// a note cell for metadata. A version that is not a notebook is merged by git's own line
    /// merge instead (exit 1, one line on stderr). Above 128: OURS could not be written, or the
    /// command line is wrong (git then stops the merge and changes nothing).
    Merge(MergeArgs),
    /// Show the changes between two notebooks, outputs included (git's `diff.<driver>.command`)
    ///
    /// git runs it with 7 arguments (`PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`),
    /// 9 for a rename or copy (then `NEW-PATH` and git's header lines), or 1 for an unmerged
    /// path; `/dev/null` stands for an added or deleted side. `nbmyst diff A.ipynb B.ipynb`
    /// compares two files outside git.
    ///
    /// It prints git's headers, then unified hunks of the MyST views (what `textconv` prints),
    /// and under each cell whose outputs changed a short account of them: each output's type
    /// and MIME types, text (streams, `text/plain`, tracebacks) as a line diff, images as one
    /// line (size in pixels, bytes, short SHA-256). A side that is not a readable notebook gives
    /// a raw line diff of the files and one warning. The exit status is 0 (git stops on any
    /// other unless told to trust it), or with `--exit-code` 1 when the notebooks differ.
    Diff(DiffArgs),
    /// Bring paired `.ipynb` and MyST `.md` files in step
    ///
    /// A pair is a notebook and its MyST text, as jupytext pairs them (`formats` in the
    /// notebook's `jupytext` metadata or in `jupytext.toml`, `pyproject.toml [tool.jupytext]`...).
    /// Each pair is decided by content: a pair whose files already agree is not written; when
    /// only one side changed since the last commit, that side wins, whatever the file times say
    /// (an `.ipynb` that was only re-run has not changed); without that evidence the `.md` wins
    /// unless the `.ipynb` is newer by more than `outdated_text_notebook_margin` (1 second by
    /// default). A missing side is created. Outputs, execution counts and cell ids of the
    /// notebook are kept for the cells the `.md` did not change.
    ///
    /// When both sides changed since the last commit, their edits are merged cell by cell (HEAD's
    /// `.md` the base); if they edited the same lines, nothing is written and those cells are
    /// shown. An `.ipynb` holding conflict markers, or unmerged in git, never wins over an `.md`
    /// without them. A pair whose `.md` holds conflict markers or is not MyST is refused with a
    /// message and left untouched. Files are written atomically and keep their permissions;
    /// read-only files are never replaced.
    ///
    /// Exit status: 0 when every pair is in step (or was brought in step), 2 when a pair was
    /// refused or a file could not be read or written (the other pairs are still synced).
    Sync(SyncArgs),
    /// Report paired `.ipynb` and MyST `.md` files that are out of step, without writing
    ///
    /// Compares each pair by content, never by time: the `.md` against the MyST the `.ipynb`
    /// gives under the pair's jupytext settings, and the notebook's cells against the `.md` read
    /// back. Prints each pair out of step with the first difference and the command that fixes
    /// it.
    ///
    /// Exit status: 0 when every pair is in step, 1 when some pair is out of step, 2 when a file
    /// could not be read (or is not what its side of the pair should be).
    Check(CheckArgs),
    /// Register nbmyst's drivers with git and route notebooks to them
    ///
    /// Writes the git configuration (`diff.nbmyst.*`, and `merge.nbmyst.*` where this nbmyst
    /// has a merge driver) and the line `*.ipynb diff=nbmyst merge=nbmyst` in a gitattributes
    /// file, and says what it wrote. Running it again changes nothing; `nbmyst uninstall` removes
    /// exactly what it wrote. It also clears the textconv cache of the current repository
    /// (`refs/notes/textconv/nbmyst`), so that no text from an older nbmyst or older jupytext
    /// settings is shown.
    ///
    /// Each driver command runs `nbmyst` from PATH and degrades without it: `git log -p` shows
    /// the raw notebook and `git merge` falls back to git's text merge with conflict markers.
    ///
    /// Where a gitattributes file turns notebook diffs off (`*.ipynb -diff`, `binary`) or routes
    /// notebooks to another driver (nbdime, nbstripout), install says so and shows the line to
    /// change. `nbmyst doctor` checks the whole setup.
    Install(InstallArgs),
    /// Remove what `nbmyst install` wrote
    ///
    /// Removes nbmyst's keys from the git configuration (and a section left empty), and
    /// nbmyst's line from the gitattributes file (and the file, if nothing else is left in it).
    /// Takes the same options as install to find them.
    Uninstall(UninstallArgs),
    /// Check that git uses nbmyst for this repository's notebooks
    ///
    /// Reports, for the current repository: the git version against the features the drivers
    /// use; whether the `nbmyst` on PATH is this one; whether each driver is registered and
    /// bound to the tracked notebooks (`git check-attr`); other notebook drivers and filters in
    /// the way (nbdime, nbdev, nbstripout, `*.ipynb -diff`); a stale textconv cache. Each
    /// problem comes with the command that fixes it.
    ///
    /// Exit status 0 when nothing is wrong, 1 when something is, 2 when git cannot be run.
    Doctor(DoctorArgs),
    /// Write shell completions, the man pages or the git configuration snippet
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Which git configuration file install and uninstall write (one at most).
#[derive(Debug, Args)]
#[group(id = "scope", multiple = false)]
#[deny(missing_docs)]
pub struct ScopeArgs {
    /// This repository's configuration, `.git/config` (the default)
    #[arg(long)]
    pub local: bool,
    /// Your configuration for every repository (`~/.gitconfig`); notebooks are routed in the
    /// global attributes file (`~/.config/git/attributes`)
    #[arg(long)]
    pub global: bool,
    /// The machine's configuration (`git config --system`); needs the rights to write it
    #[arg(long)]
    pub system: bool,
    /// A configuration file of your choice, for example a `.gitconfig` committed for a team
    /// that each member includes with `git config include.path ../.gitconfig`
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The gitattributes file that holds nbmyst's line [default: `.gitattributes` at the top of
    /// the repository; the global attributes file with --global]
    #[arg(long, value_name = "FILE")]
    pub attributes: Option<PathBuf>,
}

/// Arguments of `nbmyst install`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct InstallArgs {
    /// Where to write
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Leave the diff driver (textconv) out
    #[arg(long)]
    pub no_diff: bool,
    /// Leave the merge driver out
    #[arg(long)]
    pub no_merge: bool,
    /// Also register `nbmyst diff` as git's external diff for notebooks (`diff.nbmyst.command`)
    #[arg(long, conflicts_with = "no_diff")]
    pub ext_diff: bool,
    /// Also mark notebooks `linguist-generated=true` (GitHub folds them in pull requests)
    #[arg(long)]
    pub linguist_generated: bool,
    /// Also write `CONVENTIONS.md` (how to edit MyST notebooks) at the top of the repository,
    /// for Aider's `read:` setting
    #[arg(long)]
    pub aider: bool,
}

/// Arguments of `nbmyst uninstall`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct UninstallArgs {
    /// Where install wrote
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Also remove `CONVENTIONS.md` if it is the one install writes
    #[arg(long)]
    pub aider: bool,
}

/// Arguments of `nbmyst doctor` (none: it checks the repository of the current folder).
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct DoctorArgs {}

/// Arguments of `nbmyst generate`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct GenerateArgs {
    /// What to write
    #[command(subcommand)]
    pub what: Generate,
}

/// What `nbmyst generate` writes.
#[derive(Debug, Subcommand)]
#[deny(missing_docs)]
pub enum Generate {
    /// Shell completions, on standard output
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// The man page of nbmyst, on standard output; with --dir, one page per subcommand
    Man {
        /// Write `nbmyst.1`, `nbmyst-textconv.1`, ... into this folder
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The git configuration that install writes, as the text of `gitconfig.snippet`
    Snippet,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When standard output is a terminal or git's pager (`GIT_PAGER_IN_USE`), `TERM` is set
    /// and not `dumb`, and `NO_COLOR` is unset or empty
    #[default]
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

/// Arguments of `nbmyst diff`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct DiffArgs {
    /// Colour the output in git's diff colours
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Exit with 1 when the notebooks differ, 0 when not (for `diff.<driver>.trustExitCode`)
    #[arg(long)]
    pub exit_code: bool,
    /// Lines of context around each change [default: 3, or `--unified=N` in `GIT_DIFF_OPTS`]
    #[arg(short = 'U', long = "unified", value_name = "N")]
    pub unified: Option<usize>,
    /// git's 7, 9 or 1 arguments, or two notebooks (`-` reads one from standard input)
    #[arg(
        required = true,
        num_args = 1..=9,
        value_name = "ARGS",
        allow_hyphen_values = true,
        trailing_var_arg = true
    )]
    pub args: Vec<OsString>,
}

/// Arguments of `nbmyst sync`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct SyncArgs {
    /// Files of pairs (either side) or folders [default: every pair tracked in the repository]
    ///
    /// Other files are ignored, so the command can be given any list of edited files (as Aider
    /// and pre-commit do). Folders are searched for notebooks and `.md` files that git tracks or
    /// does not ignore (every file outside a git repository, hidden folders left out).
    pub paths: Vec<PathBuf>,
}

/// Arguments of `nbmyst check`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct CheckArgs {
    /// Files of pairs (either side) or folders [default: every pair tracked in the repository]
    pub paths: Vec<PathBuf>,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Output forms of `nbmyst check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per pair out of step, for people
    Text,
    /// One JSON document with every pair, for machines
    Json,
}

/// Arguments of `nbmyst textconv`.
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct TextconvArgs {
    /// The notebook to print (`-` reads it from standard input)
    pub file: PathBuf,
}

/// Arguments of `nbmyst merge`, in the order of git's placeholders
/// (`%O %A %B --marker-size %L --path %P --base-label %S --ours-label %X --theirs-label %Y`).
#[derive(Debug, Args)]
#[deny(missing_docs)]
pub struct MergeArgs {
    /// The common ancestor (git's %O); an empty file means there is none (add/add)
    pub base: PathBuf,
    /// Our version (git's %A); the merge result is written over it
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// Characters in each conflict marker (git's %L)
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub marker_size: usize,
    /// The notebook's path in the repository (git's %P), for messages
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub path: Option<String>,
    /// Label of the base in conflict markers (git's %S)
    #[arg(long, value_name = "LABEL", allow_hyphen_values = true)]
    pub base_label: Option<String>,
    /// Label of our side in conflict markers (git's %X)
    #[arg(long, value_name = "LABEL", allow_hyphen_values = true)]
    pub ours_label: Option<String>,
    /// Label of their side in conflict markers (git's %Y)
    #[arg(long, value_name = "LABEL", allow_hyphen_values = true)]
    pub theirs_label: Option<String>,
    /// Whose outputs a cell keeps when both sides re-ran it without changing its source
    /// [default: git config merge.nbmyst.outputs, else ours]
    #[arg(long, value_enum, value_name = "WHOSE")]
    pub outputs: Option<OutputsArg>,
}

/// The values of `nbmyst merge --outputs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputsArg {
    /// Our outputs and execution count
    Ours,
    /// Their outputs and execution count
    Theirs,
    /// No outputs, no execution count
    Clear,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn textconv_takes_one_path_or_dash() {
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "dir with space/ünï.ipynb"]).unwrap();
        let Command::Textconv(args) = cli.command else {
            panic!("not textconv")
        };
        assert_eq!(args.file, PathBuf::from("dir with space/ünï.ipynb"));
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "-"]).unwrap();
        let Command::Textconv(args) = cli.command else {
            panic!("not textconv")
        };
        assert_eq!(args.file, PathBuf::from("-"));
        assert!(Cli::try_parse_from(["nbmyst", "textconv"]).is_err());
        assert!(Cli::try_parse_from(["nbmyst", "textconv", "a", "b"]).is_err());
        // A path that looks like an option is still a path after `--`.
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "--", "--odd.ipynb"]).unwrap();
        let Command::Textconv(args) = cli.command else {
            panic!("not textconv")
        };
        assert_eq!(args.file, PathBuf::from("--odd.ipynb"));
    }

    #[test]
    fn merge_takes_gits_placeholders() {
        let cli = Cli::try_parse_from([
            "nbmyst",
            "merge",
            ".merge_file_a",
            ".merge_file_b",
            ".merge_file_c",
            "--marker-size",
            "9",
            "--path",
            "dir with space/nb.ipynb",
            "--base-label",
            "%S",
            "--ours-label",
            "HEAD",
            "--theirs-label",
            "-odd subject",
        ])
        .unwrap();
        let Command::Merge(args) = cli.command else {
            panic!("merge")
        };
        assert_eq!(args.base, PathBuf::from(".merge_file_a"));
        assert_eq!(args.marker_size, 9);
        assert_eq!(args.path.as_deref(), Some("dir with space/nb.ipynb"));
        assert_eq!(args.base_label.as_deref(), Some("%S"));
        assert_eq!(args.theirs_label.as_deref(), Some("-odd subject"));
        assert_eq!(args.outputs, None);
        let cli = Cli::try_parse_from(["nbmyst", "merge", "o", "a", "b", "--outputs", "clear"]);
        let Command::Merge(args) = cli.unwrap().command else {
            panic!("merge")
        };
        assert_eq!(args.marker_size, 7);
        assert_eq!(args.outputs, Some(OutputsArg::Clear));
        assert!(Cli::try_parse_from(["nbmyst", "merge", "o", "a"]).is_err());
    }

    fn diff_args(argv: &[&str]) -> DiffArgs {
        let mut full = vec!["nbmyst", "diff"];
        full.extend_from_slice(argv);
        match Cli::try_parse_from(full).unwrap().command {
            Command::Diff(args) => args,
            other => panic!("not diff: {other:?}"),
        }
    }

    #[test]
    fn diff_takes_gits_argument_shapes() {
        let seven = [
            "-odd name.ipynb",
            "/tmp/git-blob-x/-odd name.ipynb",
            "1111111111111111111111111111111111111111",
            "100644",
            "-odd name.ipynb",
            "0000000000000000000000000000000000000000",
            "100644",
        ];
        let args = diff_args(&seven);
        assert_eq!(args.args.len(), 7);
        assert_eq!(args.args[0], "-odd name.ipynb");
        assert_eq!(args.color, ColorWhen::Auto);
        let args = diff_args(&["--color=never", "-U", "5", "--exit-code", "a", "b"]);
        assert_eq!(args.color, ColorWhen::Never);
        assert_eq!(args.unified, Some(5));
        assert!(args.exit_code);
        assert_eq!(
            diff_args(&["nb.ipynb", "/dev/null", ".", ".", "nb.ipynb", "x", "100644"])
                .args
                .len(),
            7
        );
        // Options after the first path are paths.
        assert_eq!(diff_args(&["a", "--exit-code"]).args, ["a", "--exit-code"]);
        assert!(Cli::try_parse_from(["nbmyst", "diff"]).is_err());
        assert!(Cli::try_parse_from(["nbmyst", "diff", "--color=sometimes", "a", "b"]).is_err());
    }
}
