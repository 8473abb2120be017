//! The `nbmyst` binary: parse argv, read the environment once, run, exit.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use nbmyst::cli::Cli;
use nbmyst::drivers::Env;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version go to stdout with status 0; usage errors to stderr with 2.
            let _ = err.print();
            let code = u8::try_from(err.exit_code()).unwrap_or(nbmyst::EXIT_USAGE);
            // git reads a merge driver's 2 as a conflict: a bad driver line must stop the merge.
            let code = nbmyst::drivers::merge::usage_status(code, std::env::args_os());
            return ExitCode::from(code);
        }
    };
    nbmyst::run(cli, &Env::from_process())
}
