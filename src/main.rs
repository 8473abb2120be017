//! The `nbmyst` binary: parse argv, read the environment once, run, exit.

use std::process::ExitCode;

use clap::Parser;
use nbmyst::cli::Cli;
use nbmyst::drivers::Env;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version go to stdout with status 0; usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(nbmyst::EXIT_USAGE));
        }
    };
    nbmyst::run(cli, &Env::from_process())
}
