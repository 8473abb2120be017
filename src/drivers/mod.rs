//! The subcommands git (or the user) runs. Only this module and its files know argv shapes,
//! environment variables and exit codes; each driver reads the [`Env`] it is given, never the
//! process environment.

pub mod check;
pub mod diff;
pub mod doctor;
pub mod generate;
pub mod install;
pub mod merge;
pub mod sync;
pub mod textconv;

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use crate::config::{SearchPaths, SearchVars};

/// Environment variable: `NBMYST=0` makes every driver behave as plain git would without it
/// (textconv prints the file unchanged).
pub const KILL_SWITCH_VAR: &str = "NBMYST";

/// The process environment, read once at start-up (tests build one by hand).
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// The current directory: the work-tree top when git runs a driver. `None` if it cannot be
    /// read (deleted folder); drivers then use `.`.
    pub cwd: Option<PathBuf>,
    /// `NBMYST`: `0` (or `false`, `off`, `no`) turns nbmyst off.
    pub nbmyst: Option<OsString>,
    /// `JUPYTEXT_CEILING_DIRECTORIES`.
    pub jupytext_ceiling_directories: Option<OsString>,
    /// `XDG_CONFIG_HOME`.
    pub xdg_config_home: Option<OsString>,
    /// `USERPROFILE` (Windows).
    pub userprofile: Option<OsString>,
    /// `HOME`.
    pub home: Option<OsString>,
    /// `XDG_CONFIG_DIRS`.
    pub xdg_config_dirs: Option<OsString>,
    /// `ALLUSERSPROFILE` (Windows).
    pub allusersprofile: Option<OsString>,
    /// `PATH`: where git (and so nbmyst's driver commands) looks for `nbmyst`.
    pub path: Option<OsString>,
    /// What decides colour and context for `diff` (git's pager, `NO_COLOR`, `GIT_DIFF_OPTS`).
    pub terminal: Terminal,
}

/// The parts of the environment that decide how `diff` output looks.
#[derive(Clone, Debug, Default)]
pub struct Terminal {
    /// Standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// `GIT_PAGER_IN_USE`: git started a pager and writes to it.
    pub git_pager_in_use: Option<OsString>,
    /// `NO_COLOR`: a non-empty value turns automatic colour off.
    pub no_color: Option<OsString>,
    /// `TERM`: git colours nothing automatically when it is unset or `dumb`.
    pub term: Option<OsString>,
    /// `GIT_DIFF_OPTS`: `--unified=N` or `-uN` sets the lines of context.
    pub git_diff_opts: Option<OsString>,
}

impl Env {
    /// Read the variables nbmyst uses from the process environment, and the current directory.
    pub fn from_process() -> Env {
        let var = |name: &str| std::env::var_os(name);
        Env {
            cwd: std::env::current_dir().ok(),
            nbmyst: var(KILL_SWITCH_VAR),
            jupytext_ceiling_directories: var(crate::config::CEILING_DIRECTORIES_VAR),
            xdg_config_home: var("XDG_CONFIG_HOME"),
            userprofile: var("USERPROFILE"),
            home: var("HOME"),
            xdg_config_dirs: var("XDG_CONFIG_DIRS"),
            allusersprofile: var("ALLUSERSPROFILE"),
            path: var("PATH"),
            terminal: Terminal {
                stdout_is_terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
                git_pager_in_use: var("GIT_PAGER_IN_USE"),
                no_color: var("NO_COLOR"),
                term: var("TERM"),
                git_diff_opts: var("GIT_DIFF_OPTS"),
            },
        }
    }

    /// The current directory, or `.` when it could not be read.
    pub fn cwd(&self) -> PathBuf {
        self.cwd.clone().unwrap_or_else(|| PathBuf::from("."))
    }

    /// Whether `NBMYST` turns nbmyst off.
    pub fn disabled(&self) -> bool {
        self.nbmyst.as_deref().is_some_and(|v| {
            let v = v.to_string_lossy().trim().to_ascii_lowercase();
            matches!(v.as_str(), "0" | "false" | "off" | "no")
        })
    }

    /// Where jupytext configuration files are looked for besides the folders above a notebook.
    pub fn config_search(&self) -> SearchPaths {
        let vars = SearchVars {
            jupytext_ceiling_directories: self.jupytext_ceiling_directories.as_deref(),
            xdg_config_home: self.xdg_config_home.as_deref(),
            userprofile: self.userprofile.as_deref(),
            home: self.home.as_deref(),
            xdg_config_dirs: self.xdg_config_dirs.as_deref(),
            allusersprofile: self.allusersprofile.as_deref(),
        };
        SearchPaths::from_vars(&vars, &self.cwd())
    }
}

/// `-` on the command line: standard input.
pub fn is_stdin(path: &std::path::Path) -> bool {
    path.as_os_str() == OsStr::new("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_switch_values() {
        let env = |v: &str| Env {
            nbmyst: Some(v.into()),
            ..Env::default()
        };
        assert!(env("0").disabled());
        assert!(env("false").disabled());
        assert!(!env("1").disabled());
        assert!(!Env::default().disabled());
    }
}
