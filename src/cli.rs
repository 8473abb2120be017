//! The command line, as clap derive types only. Help text comes from the doc comments: the first
//! line is the short help, the rest shows only with `--help`.

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
    /// A pair whose two sides both changed since the last commit, holds conflict markers, or
    /// whose `.md` is not MyST is refused with a message and left untouched. Files are written
    /// atomically and keep their permissions; read-only files are never replaced.
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
}
