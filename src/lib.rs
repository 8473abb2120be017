//! nbmyst: Jupyter notebooks as MyST Markdown in git.
//!
//! Data flows one way: bytes -> [`notebook::Notebook`] -> MyST text (textconv, diff, sync), and
//! MyST text -> notebook -> combine with the prior notebook -> `.ipynb` bytes (sync, merge).
//!
//! [`run`] is the entry point the binary calls; [`run_with_io`] is the same with the standard
//! streams passed in, for tests.

pub mod cli;
pub mod combine;
pub mod config;
pub mod drivers;
pub mod error;
pub mod git;
pub mod merge;
pub mod myst;
pub mod notebook;
pub mod pair;
pub mod render;

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::drivers::Env;

/// Exit status: success (textconv always, unless the file cannot be opened at all).
pub const EXIT_OK: u8 = 0;
/// Exit status: something to report (`doctor` found a problem).
pub const EXIT_FOUND: u8 = 1;
/// Exit status: `diff --exit-code` found differences (git's `trustExitCode` meaning).
pub const EXIT_DIFFERENCES: u8 = 1;
/// Exit status: bad usage or an input that cannot be opened (a missing file, a directory).
pub const EXIT_USAGE: u8 = 2;

/// Run a parsed command line with the process's standard streams (stdout buffered and locked).
pub fn run(cli: Cli, env: &Env) -> ExitCode {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = stderr.lock();
    let code = run_with_io(cli, env, &mut stdin.lock(), &mut out, &mut err);
    ExitCode::from(code)
}

/// Run a parsed command line with the given streams; returns the exit status. Errors are
/// printed on `stderr` here, and nowhere else.
pub fn run_with_io(
    cli: Cli,
    env: &Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let result = match &cli.command {
        Command::Textconv(args) => {
            drivers::textconv::run(args, env, stdin, stdout, stderr).map(|()| EXIT_OK)
        }
        Command::Sync(args) => drivers::sync::run(args, env, stdout, stderr),
        Command::Check(args) => drivers::check::run(args, env, stdout, stderr),
        Command::Install(args) => {
            drivers::install::run(args, env, stdout, stderr).map(|()| EXIT_OK)
        }
        Command::Uninstall(args) => {
            drivers::install::run_uninstall(args, env, stdout, stderr).map(|()| EXIT_OK)
        }
        Command::Doctor(args) => drivers::doctor::run(args, env, stdout, stderr),
        Command::Generate(args) => drivers::generate::run(args, stdout).map(|()| EXIT_OK),
        Command::Diff(args) => drivers::diff::run(args, env, stdin, stdout, stderr),
        Command::Merge(args) => Ok(drivers::merge::run(args, env, stderr)),
    };
    match result {
        Ok(code) => code,
        Err(err) => error::report(&err, stderr),
    }
}
