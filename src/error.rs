//! Errors of the drivers, and the one place where they become stderr text and an exit code.
//!
//! Library modules have their own `thiserror` enums (for example [`crate::config::ConfigError`]);
//! the drivers wrap them in [`Error`]. [`Error::kind`] says which exit code a failure gets, and
//! [`report`] prints it as `nbmyst: error: ...` with its causes and a hint. Warnings, which never
//! change the exit code, go through [`warn`] as `nbmyst: warning: ...`.

use std::fmt;
use std::io::{self, Write};

use crate::config::ConfigError;

/// Everything, read: every failure that ends a subcommand early.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input named on the command line could not be read.
    #[error("{path}: {}", io_message(source))]
    ReadInput {
        /// The path as given (or `<stdin>`).
        path: String,
        #[source]
        source: io::Error,
    },
    /// A directory where a file was expected.
    #[error("{path}: is a directory, not a notebook")]
    IsDirectory {
        /// The path as given.
        path: String,
    },
    /// Standard output could not be written (a closed pipe is [`ErrorKind::BrokenPipe`]).
    #[error("cannot write to standard output: {}", io_message(.0))]
    WriteOutput(#[source] io::Error),
    /// `nbmyst diff` with a number of arguments that is none of git's forms.
    #[error("diff takes 1, 2, 7 or 9 arguments, not {count}")]
    DiffArguments {
        /// How many were given.
        count: usize,
    },
    /// A jupytext configuration file that a subcommand needs (and cannot skip) is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// git could not be run, or a git command failed.
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    /// `install` or `uninstall` cannot do what was asked.
    #[error(transparent)]
    Install(#[from] crate::drivers::install::InstallError),
}

/// What kind of failure an [`Error`] is; each kind has one exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The reader of our output went away (`nbmyst textconv nb.ipynb | head`): not a failure.
    BrokenPipe,
    /// Bad arguments, a missing file, a directory: the user's command needs fixing.
    Usage,
    /// Reading or writing failed for a reason outside the user's command.
    Io,
}

impl ErrorKind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::BrokenPipe => crate::EXIT_OK,
            ErrorKind::Usage | ErrorKind::Io => crate::EXIT_USAGE,
        }
    }
}

impl Error {
    /// The kind of this error, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::WriteOutput(e) if e.kind() == io::ErrorKind::BrokenPipe => ErrorKind::BrokenPipe,
            Error::WriteOutput(_) => ErrorKind::Io,
            Error::ReadInput { source, .. } => match source.kind() {
                io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied => ErrorKind::Usage,
                _ => ErrorKind::Io,
            },
            Error::IsDirectory { .. } | Error::Config(_) | Error::DiffArguments { .. } => {
                ErrorKind::Usage
            }
            Error::Git(_) => ErrorKind::Io,
            Error::Install(e) => e.kind(),
        }
    }

    /// What the user can do next, when we know.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::ReadInput { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Some("check the path; `-` reads the notebook from standard input".to_owned())
            }
            Error::Config(e) => e.hint(),
            Error::Install(e) => e.hint(),
            Error::DiffArguments { .. } => Some(
                "git passes 7 (9 for a rename, 1 for an unmerged path); \
                 to compare two notebooks: nbmyst diff OLD.ipynb NEW.ipynb; \
                 options come first, their value after a space or `=` (-U 1, --unified=1)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// Print `err` as `nbmyst: error: ...` (with its causes and a hint) unless it is a broken pipe,
/// and return its exit code. Failing to write to stderr is ignored: there is nowhere else to say it.
pub fn report(err: &Error, stderr: &mut dyn Write) -> u8 {
    let kind = err.kind();
    if kind != ErrorKind::BrokenPipe {
        let _ = writeln!(stderr, "nbmyst: error: {err}");
        if let Some(hint) = err.hint() {
            let _ = writeln!(stderr, "nbmyst: hint: {hint}");
        }
        let _ = stderr.flush();
    }
    kind.exit_code()
}

/// Print one warning line: `nbmyst: warning: MESSAGE`.
pub fn warn(stderr: &mut dyn Write, message: impl fmt::Display) {
    let _ = writeln!(stderr, "nbmyst: warning: {message}");
    let _ = stderr.flush();
}

/// An I/O error in our message style: lowercase, without Rust's `(os error N)` suffix.
pub fn io_message(err: &io::Error) -> String {
    let text = match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::BrokenPipe => "broken pipe".to_owned(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    };
    lowercase_first(&text)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first)
            if first.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) =>
        {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_silent_and_exits_zero() {
        let err = Error::WriteOutput(io::Error::from(io::ErrorKind::BrokenPipe));
        let mut stderr = Vec::new();
        assert_eq!(report(&err, &mut stderr), 0);
        assert!(stderr.is_empty());
    }

    #[test]
    fn missing_input_is_a_usage_error_with_a_hint() {
        let err = Error::ReadInput {
            path: "nb.ipynb".into(),
            source: io::Error::from_raw_os_error(2),
        };
        let mut stderr = Vec::new();
        assert_eq!(report(&err, &mut stderr), 2);
        let text = String::from_utf8(stderr).unwrap();
        assert_eq!(
            text,
            "nbmyst: error: nb.ipynb: no such file or directory\n\
             nbmyst: hint: check the path; `-` reads the notebook from standard input\n"
        );
    }

    #[test]
    fn io_messages_lose_the_os_error_suffix() {
        let err = io::Error::from_raw_os_error(21);
        assert_eq!(io_message(&err), "is a directory");
        assert_eq!(lowercase_first("UTF-8 thing"), "UTF-8 thing");
    }
}
