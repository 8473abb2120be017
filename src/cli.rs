//! The command line, as clap derive types only. Help text comes from the doc comments: the first
//! line is the short help, the rest shows only with `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
        let Command::Textconv(args) = cli.command;
        assert_eq!(args.file, PathBuf::from("dir with space/ünï.ipynb"));
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "-"]).unwrap();
        let Command::Textconv(args) = cli.command;
        assert_eq!(args.file, PathBuf::from("-"));
        assert!(Cli::try_parse_from(["nbmyst", "textconv"]).is_err());
        assert!(Cli::try_parse_from(["nbmyst", "textconv", "a", "b"]).is_err());
        // A path that looks like an option is still a path after `--`.
        let cli = Cli::try_parse_from(["nbmyst", "textconv", "--", "--odd.ipynb"]).unwrap();
        let Command::Textconv(args) = cli.command;
        assert_eq!(args.file, PathBuf::from("--odd.ipynb"));
    }
}
