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
