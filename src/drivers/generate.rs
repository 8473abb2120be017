//! `nbmyst generate`: files made from the program itself, for packagers and for the repository:
//! shell completions and man pages (from the clap definitions) and `gitconfig.snippet` (from
//! install's table). Hidden from `--help`.

use std::fs;
use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, Generate, GenerateArgs};
use crate::drivers::install::{self, InstallError};
use crate::error::Error;

/// Run `nbmyst generate`.
pub fn run(args: &GenerateArgs, stdout: &mut dyn Write) -> Result<(), Error> {
    match &args.what {
        Generate::Completions { shell } => {
            let mut command = Cli::command();
            let mut buffer = Vec::new();
            clap_complete::generate(*shell, &mut command, "nbmyst", &mut buffer);
            emit(stdout, &buffer)
        }
        Generate::Man { dir: None } => {
            let mut buffer = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buffer)
                .map_err(Error::WriteOutput)?;
            emit(stdout, &buffer)
        }
        Generate::Man { dir: Some(dir) } => write_man_pages(dir, stdout),
        Generate::Snippet => emit(stdout, install::snippet().as_bytes()),
    }
}

/// `nbmyst.1` and one page per visible subcommand (`nbmyst-install.1`, ...) in `dir`.
fn write_man_pages(dir: &Path, stdout: &mut dyn Write) -> Result<(), Error> {
    let file_error = |source| {
        Error::Install(InstallError::File {
            path: dir.display().to_string(),
            source,
        })
    };
    fs::create_dir_all(dir).map_err(file_error)?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(file_error)?;
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(file_error)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("nbmyst") && n.ends_with(".1"))
        .collect();
    names.sort();
    let mut text = String::new();
    for name in names {
        text.push_str(&dir.join(name).display().to_string());
        text.push('\n');
    }
    emit(stdout, text.as_bytes())
}

fn emit(stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Error> {
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Error::WriteOutput)
}
