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
            panic!("textconv")
        };
        assert_eq!(args.file, PathBuf::from("dir with space/ünï.ipynb"));
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "-"]).unwrap();
        let Command::Textconv(args) = cli.command else {
            panic!("textconv")
        };
        assert_eq!(args.file, PathBuf::from("-"));
        assert!(Cli::try_parse_from(["nbmyst", "textconv"]).is_err());
        assert!(Cli::try_parse_from(["nbmyst", "textconv", "a", "b"]).is_err());
        // A path that looks like an option is still a path after `--`.
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "--", "--odd.ipynb"]).unwrap();
        let Command::Textconv(args) = cli.command else {
            panic!("textconv")
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
}
