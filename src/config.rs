//! jupytext settings, found and read the way jupytext 1.19.6 finds and reads them.
//!
//! Discovery ([`find`]): from a folder upwards, the first folder holding one of
//! [`CONFIG_FILE_NAMES`] (in that order) or a `pyproject.toml` with a `[tool.jupytext]` table wins.
//! The climb stops at a folder listed in `JUPYTEXT_CEILING_DIRECTORIES` (that folder itself is
//! still searched) and otherwise goes to the filesystem root (a git repository's top is not a
//! stop), then tries the user-level and system-level folders ([`global_dirs`]).
//!
//! Reading ([`load`]): TOML (`jupytext.toml`, `.jupytext.toml`, the bare names `jupytext` and
//! `.jupytext`, `pyproject.toml`'s `[tool.jupytext]`), YAML (read as PyYAML's `safe_load` reads
//! it) and JSON files are read. `.jupytext.py` is found (so it stops the search, as it does for
//! jupytext) but not run: it gives [`ConfigError::Unsupported`]. Option names and value types are checked as jupytext checks
//! them: an unknown option or a wrong type is an error.
//!
//! This module only reads files; which environment variables feed it is the drivers' business.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::io_message;
use crate::myst::yaml_read::{self, YamlError};
use crate::notebook::Json;

/// The configuration file names jupytext looks for in each folder, in order of precedence.
pub const CONFIG_FILE_NAMES: [&str; 11] = [
    "jupytext",
    "jupytext.toml",
    "jupytext.yml",
    "jupytext.yaml",
    "jupytext.json",
    ".jupytext",
    ".jupytext.toml",
    ".jupytext.yml",
    ".jupytext.yaml",
    ".jupytext.json",
    ".jupytext.py",
];

/// Looked at after [`CONFIG_FILE_NAMES`] in each folder; used only when it has `[tool.jupytext]`.
pub const PYPROJECT_FILE: &str = "pyproject.toml";

/// Environment variable: colon-separated folders where the upward search stops.
pub const CEILING_DIRECTORIES_VAR: &str = "JUPYTEXT_CEILING_DIRECTORIES";

/// Default of `outdated_text_notebook_margin`, in seconds.
pub const DEFAULT_OUTDATED_TEXT_NOTEBOOK_MARGIN: f64 = 1.0;

/// Where the search for a configuration file looks besides the folders above the notebook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchPaths {
    /// Folders where the upward search stops (after searching the folder itself), absolute.
    pub ceiling_dirs: Vec<PathBuf>,
    /// User- and system-level folders tried, in order, when the climb reaches the root.
    pub global_dirs: Vec<PathBuf>,
}

/// The environment variables that decide [`SearchPaths`], as the process has them.
#[derive(Clone, Debug, Default)]
pub struct SearchVars<'a> {
    pub jupytext_ceiling_directories: Option<&'a OsStr>,
    pub xdg_config_home: Option<&'a OsStr>,
    pub userprofile: Option<&'a OsStr>,
    pub home: Option<&'a OsStr>,
    pub xdg_config_dirs: Option<&'a OsStr>,
    pub allusersprofile: Option<&'a OsStr>,
}

impl SearchPaths {
    /// Build the search paths from the environment, the way jupytext reads it. Relative entries
    /// are taken relative to `cwd`.
    pub fn from_vars(vars: &SearchVars<'_>, cwd: &Path) -> SearchPaths {
        let ceiling_dirs = vars
            .jupytext_ceiling_directories
            .map(|v| {
                split_list(v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(|p| cwd.join(p))
                    .collect()
            })
            .unwrap_or_default();
        SearchPaths {
            ceiling_dirs,
            global_dirs: global_dirs(vars)
                .into_iter()
                .flat_map(|base| {
                    let base = cwd.join(base);
                    [base.join("jupytext"), base]
                })
                .collect(),
        }
    }
}

/// The user- and system-level base folders, in jupytext's order: `XDG_CONFIG_HOME` entries, else
/// `USERPROFILE`, else `$HOME/.config` and `$HOME`; then `XDG_CONFIG_DIRS` entries, else
/// `ALLUSERSPROFILE`, else `/usr/local/share/` and `/usr/share/`. (Each base is searched as
/// `<base>/jupytext/` and then `<base>/`, see [`SearchPaths::from_vars`].)
pub fn global_dirs(vars: &SearchVars<'_>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(v) = vars.xdg_config_home {
        dirs.extend(split_list(v));
    } else if let Some(v) = vars.userprofile {
        dirs.push(PathBuf::from(v));
    } else if let Some(home) = vars.home {
        dirs.push(Path::new(home).join(".config"));
        dirs.push(PathBuf::from(home));
    }
    if let Some(v) = vars.xdg_config_dirs {
        dirs.extend(split_list(v));
    } else if let Some(v) = vars.allusersprofile {
        dirs.push(PathBuf::from(v));
    } else {
        dirs.push(PathBuf::from("/usr/local/share/"));
        dirs.push(PathBuf::from("/usr/share/"));
    }
    dirs
}

/// Split a colon-separated list, keeping empty entries (as Python's `str.split(":")` does).
fn split_list(value: &OsStr) -> impl Iterator<Item = PathBuf> + '_ {
    value.as_encoded_bytes().split(|&b| b == b':').map(|part| {
        // Splitting at an ASCII byte keeps each part valid in the platform's encoding.
        PathBuf::from(String::from_utf8_lossy(part).into_owned())
    })
}

/// What kind of file a configuration is, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `jupytext.toml`, `.jupytext.toml`, or the bare names `jupytext`, `.jupytext`.
    Toml,
    /// `pyproject.toml`; the settings are its `[tool.jupytext]` table.
    Pyproject,
    /// `jupytext.yml`, `.jupytext.yaml`, ...
    Yaml,
    /// `jupytext.json`, `.jupytext.json`.
    Json,
    /// `.jupytext.py`, a Python (traitlets) file.
    Python,
}

impl FileKind {
    fn of(path: &Path) -> FileKind {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name == PYPROJECT_FILE {
            FileKind::Pyproject
        } else if name.ends_with(".toml") || name.ends_with("jupytext") {
            FileKind::Toml
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            FileKind::Yaml
        } else if name.ends_with(".json") {
            FileKind::Json
        } else {
            FileKind::Python
        }
    }
}

/// A configuration file that applies, found by [`find`].
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub path: PathBuf,
    pub kind: FileKind,
    /// The `[tool.jupytext]` table, already parsed while looking (pyproject only).
    pyproject_table: Option<Value>,
}

/// jupytext's settings, read from one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The file the settings come from.
    pub path: PathBuf,
    /// The pairing groups, each a comma-separated format list (`"ipynb,md:myst"`), in order;
    /// string, list and table forms of `formats` are all turned into this form, as jupytext does.
    /// `default_jupytext_formats` is used when `formats` is absent or empty.
    pub formats: Vec<String>,
    /// The notebook metadata filter to write with (`default_notebook_metadata_filter`, which
    /// jupytext applies first, wins when both are set). `None` when unset or empty.
    pub notebook_metadata_filter: Option<String>,
    /// The cell metadata filter to write with (same rule with `default_cell_metadata_filter`).
    pub cell_metadata_filter: Option<String>,
    /// `root_level_metadata_filter`, when set and not empty.
    pub root_level_metadata_filter: Option<String>,
    /// `root_level_metadata_as_raw_cell` (default true).
    pub root_level_metadata_as_raw_cell: bool,
    /// `outdated_text_notebook_margin`, in seconds (default 1.0).
    pub outdated_text_notebook_margin: f64,
    /// `preferred_jupytext_formats_save`, when set and not empty.
    pub preferred_jupytext_formats_save: Option<String>,
    /// Every other option the file sets (all names jupytext knows), with its value as read.
    pub other: BTreeMap<String, Value>,
    /// Deprecated option names the file uses (jupytext warns about them).
    pub deprecated: Vec<&'static str>,
}

impl Config {
    /// The settings jupytext uses when no file applies.
    pub fn empty(path: PathBuf) -> Config {
        Config {
            path,
            formats: Vec::new(),
            notebook_metadata_filter: None,
            cell_metadata_filter: None,
            root_level_metadata_filter: None,
            root_level_metadata_as_raw_cell: true,
            outdated_text_notebook_margin: DEFAULT_OUTDATED_TEXT_NOTEBOOK_MARGIN,
            preferred_jupytext_formats_save: None,
            other: BTreeMap::new(),
            deprecated: Vec::new(),
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {}", .path.display(), io_message(.source))]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: not UTF-8 text", .path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: not valid TOML (line {line}, column {column}: {message})", .path.display())]
    Toml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: not valid JSON (line {}, column {}: {})", .path.display(), .source.line(), .source.column(), json_message(.source))]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: not valid YAML ({source})", .path.display())]
    Yaml {
        path: PathBuf,
        #[source]
        source: YamlError,
    },
    #[error("{}: the settings are not a table of options", .path.display())]
    NotATable { path: PathBuf },
    #[error("{}: option `{name}` is not a jupytext option", .path.display())]
    UnknownOption { path: PathBuf, name: String },
    #[error("{}: option `{name}` must be {expected}, not {found}", .path.display())]
    WrongType {
        path: PathBuf,
        name: String,
        expected: &'static str,
        found: String,
    },
    #[error("{}: {what} configuration files are not read by nbmyst", .path.display())]
    Unsupported { path: PathBuf, what: &'static str },
}

impl ConfigError {
    /// The file at fault.
    pub fn path(&self) -> &Path {
        match self {
            ConfigError::Read { path, .. }
            | ConfigError::NotUtf8 { path }
            | ConfigError::Toml { path, .. }
            | ConfigError::Json { path, .. }
            | ConfigError::Yaml { path, .. }
            | ConfigError::NotATable { path }
            | ConfigError::UnknownOption { path, .. }
            | ConfigError::WrongType { path, .. }
            | ConfigError::Unsupported { path, .. } => path,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::Unsupported { .. } => {
                Some("write the same options in a jupytext.toml (TOML) next to it".to_owned())
            }
            ConfigError::UnknownOption { .. } | ConfigError::WrongType { .. } => {
                Some("jupytext rejects this file too: fix the option or remove it".to_owned())
            }
            _ => None,
        }
    }
}

fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Find the configuration file that applies to files in `dir` (jupytext's search, see the module
/// documentation). `dir` is made absolute against `cwd` without resolving symlinks, as jupytext
/// does. A `pyproject.toml` that cannot be parsed is an error (jupytext fails on it too).
pub fn find(dir: &Path, cwd: &Path, search: &SearchPaths) -> Result<Option<Found>, ConfigError> {
    let start = cwd.join(dir);
    let mut current: &Path = &start;
    loop {
        if let Some(found) = find_in_dir(current)? {
            return Ok(Some(found));
        }
        if search.ceiling_dirs.iter().any(|c| c.as_path() == current) && current.is_dir() {
            return Ok(None);
        }
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    for dir in &search.global_dirs {
        if let Some(found) = find_in_dir(dir)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The configuration file of one folder, if any (no climbing).
pub fn find_in_dir(dir: &Path) -> Result<Option<Found>, ConfigError> {
    for name in CONFIG_FILE_NAMES {
        let path = dir.join(name);
        if path.is_file() {
            let kind = FileKind::of(&path);
            return Ok(Some(Found {
                path,
                kind,
                pyproject_table: None,
            }));
        }
    }
    let path = dir.join(PYPROJECT_FILE);
    if path.is_file() {
        let doc = parse_toml(&path)?;
        if let Some(table) = doc.get("tool").and_then(|t| t.get("jupytext")) {
            if !table.is_null() {
                let table = table.clone();
                return Ok(Some(Found {
                    path,
                    kind: FileKind::Pyproject,
                    pyproject_table: Some(table),
                }));
            }
        }
    }
    Ok(None)
}

/// Find and read the configuration for files in `dir`; `Ok(None)` when no file applies.
pub fn discover(
    dir: &Path,
    cwd: &Path,
    search: &SearchPaths,
) -> Result<Option<Config>, ConfigError> {
    match find(dir, cwd, search)? {
        Some(found) => load(&found).map(Some),
        None => Ok(None),
    }
}

/// Read and check a configuration file found by [`find`].
pub fn load(found: &Found) -> Result<Config, ConfigError> {
    let path = &found.path;
    let doc = match found.kind {
        FileKind::Pyproject => match &found.pyproject_table {
            Some(table) => table.clone(),
            None => {
                let doc = parse_toml(path)?;
                doc.get("tool")
                    .and_then(|t| t.get("jupytext"))
                    .cloned()
                    .unwrap_or(Value::Null)
            }
        },
        FileKind::Toml => parse_toml(path)?,
        FileKind::Json => {
            let text = read_text(path)?;
            serde_json::from_str(&text).map_err(|source| ConfigError::Json {
                path: path.clone(),
                source,
            })?
        }
        FileKind::Yaml => {
            let text = read_text(path)?;
            let doc = yaml_read::load(&text).map_err(|source| ConfigError::Yaml {
                path: path.clone(),
                source,
            })?;
            json_to_value(&doc)
        }
        FileKind::Python => {
            return Err(ConfigError::Unsupported {
                path: path.clone(),
                what: "Python",
            })
        }
    };
    from_value(path, &doc)
}

/// Parse TOML configuration text (as read from `path`, which names it in errors).
pub fn parse_toml_str(path: &Path, text: &str) -> Result<Value, ConfigError> {
    toml::from_str::<Value>(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        ConfigError::Toml {
            path: path.to_owned(),
            line,
            column,
            message: err.message().trim_end().to_owned(),
        }
    })
}

fn parse_toml(path: &Path) -> Result<Value, ConfigError> {
    let text = read_text(path)?;
    parse_toml_str(path, &text)
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    let bytes = fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 {
        path: path.to_owned(),
    })
}

/// The YAML reader's value as a configuration value (NaN and infinities, which no option takes,
/// become null).
fn json_to_value(doc: &Json) -> Value {
    match doc {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Int(digits) => digits
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| digits.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| digits.parse::<f64>().ok().map_or(Value::Null, Value::from)),
        Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Json::Str(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(json_to_value).collect()),
        Json::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The value types of jupytext's options (its traitlets declarations).
#[derive(Clone, Copy, Debug)]
enum OptionType {
    /// A string.
    Str,
    /// `true`/`false` (jupytext also takes 0 and 1).
    Bool,
    /// `true`, `false` or nothing (null).
    OptionalBool,
    /// A number.
    Float,
    /// A string, a list of strings, a table of strings, or a list of such tables.
    Formats,
    /// A string or a list of strings.
    StrOrList,
    /// One of the contents manager's log levels.
    LogLevel,
}

/// Every option jupytext 1.19.6 accepts in a configuration file, with its type.
const OPTIONS: [(&str, OptionType); 22] = [
    ("formats", OptionType::Formats),
    ("default_jupytext_formats", OptionType::Str),
    ("preferred_jupytext_formats_save", OptionType::Str),
    ("preferred_jupytext_formats_read", OptionType::Str),
    ("notebook_metadata_filter", OptionType::Str),
    ("default_notebook_metadata_filter", OptionType::Str),
    ("hide_notebook_metadata", OptionType::OptionalBool),
    ("root_level_metadata_as_raw_cell", OptionType::Bool),
    ("root_level_metadata_filter", OptionType::Str),
    ("cell_metadata_filter", OptionType::Str),
    ("default_cell_metadata_filter", OptionType::Str),
    ("comment_magics", OptionType::OptionalBool),
    ("split_at_heading", OptionType::Bool),
    ("sphinx_convert_rst2md", OptionType::Bool),
    ("doxygen_equation_markers", OptionType::Bool),
    ("outdated_text_notebook_margin", OptionType::Float),
    ("cm_config_log_level", OptionType::LogLevel),
    ("cell_markers", OptionType::Str),
    ("default_cell_markers", OptionType::Str),
    ("notebook_extensions", OptionType::StrOrList),
    ("custom_cell_magics", OptionType::Str),
    ("custom_language_magics", OptionType::Str),
];

/// Names whose use jupytext reports as deprecated.
const DEPRECATED: [&str; 4] = [
    "default_jupytext_formats",
    "default_notebook_metadata_filter",
    "default_cell_metadata_filter",
    "default_cell_markers",
];

const LOG_LEVELS: [&str; 5] = ["warning", "info", "info_if_changed", "debug", "none"];

/// Check a parsed configuration (a table of options) and build the [`Config`].
pub fn from_value(path: &Path, doc: &Value) -> Result<Config, ConfigError> {
    let mut config = Config::empty(path.to_owned());
    let table = match doc {
        Value::Object(table) => table,
        // An empty YAML document: jupytext finds no settings in it.
        Value::Null => return Ok(config),
        _ => {
            return Err(ConfigError::NotATable {
                path: path.to_owned(),
            })
        }
    };
    let mut options: BTreeMap<&str, &Value> = BTreeMap::new();
    for (name, value) in table {
        let Some(&(known, ty)) = OPTIONS.iter().find(|(n, _)| n == name) else {
            return Err(ConfigError::UnknownOption {
                path: path.to_owned(),
                name: name.clone(),
            });
        };
        check_type(path, known, ty, value)?;
        options.insert(known, value);
    }
    let text = |name: &str| {
        options
            .get(name)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    for name in DEPRECATED {
        if text(name).is_some() {
            config.deprecated.push(name);
        }
    }

    let formats = options.get("formats").copied().filter(|v| truthy(v));
    config.formats = match formats {
        Some(value) => normalize_formats(value),
        None => text("default_jupytext_formats")
            .map(normalize_string_formats)
            .unwrap_or_default(),
    };
    // jupytext fills the writer's options with `setdefault`, the deprecated name first.
    config.notebook_metadata_filter = text("default_notebook_metadata_filter")
        .or_else(|| text("notebook_metadata_filter"))
        .map(str::to_owned);
    config.cell_metadata_filter = text("default_cell_metadata_filter")
        .or_else(|| text("cell_metadata_filter"))
        .map(str::to_owned);
    config.root_level_metadata_filter = text("root_level_metadata_filter").map(str::to_owned);
    config.preferred_jupytext_formats_save =
        text("preferred_jupytext_formats_save").map(str::to_owned);
    if let Some(value) = options.get("root_level_metadata_as_raw_cell") {
        config.root_level_metadata_as_raw_cell = as_bool(value).unwrap_or(true);
    }
    if let Some(value) = options.get("outdated_text_notebook_margin") {
        config.outdated_text_notebook_margin =
            as_float(value).unwrap_or(DEFAULT_OUTDATED_TEXT_NOTEBOOK_MARGIN);
    }
    const MODELLED: [&str; 10] = [
        "formats",
        "default_jupytext_formats",
        "notebook_metadata_filter",
        "default_notebook_metadata_filter",
        "cell_metadata_filter",
        "default_cell_metadata_filter",
        "root_level_metadata_filter",
        "root_level_metadata_as_raw_cell",
        "outdated_text_notebook_margin",
        "preferred_jupytext_formats_save",
    ];
    for (name, value) in options {
        if !MODELLED.contains(&name) {
            config.other.insert(name.to_owned(), value.clone());
        }
    }
    Ok(config)
}

fn check_type(path: &Path, name: &str, ty: OptionType, value: &Value) -> Result<(), ConfigError> {
    let is_str = |v: &Value| v.is_string();
    let is_str_table = |v: &Value| v.as_object().is_some_and(|t| t.values().all(is_str));
    let ok = match ty {
        OptionType::Str => is_str(value),
        OptionType::Bool => as_bool(value).is_some(),
        OptionType::OptionalBool => value.is_null() || as_bool(value).is_some(),
        OptionType::Float => as_float(value).is_some(),
        OptionType::Formats => match value {
            Value::String(_) => true,
            Value::Object(_) => is_str_table(value),
            Value::Array(items) => items.iter().all(is_str) || items.iter().all(is_str_table),
            _ => false,
        },
        OptionType::StrOrList => match value {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(is_str),
            _ => false,
        },
        OptionType::LogLevel => value.as_str().is_some_and(|s| LOG_LEVELS.contains(&s)),
    };
    if ok {
        return Ok(());
    }
    let expected = match ty {
        OptionType::Str => "a string",
        OptionType::Bool => "true or false",
        OptionType::OptionalBool => "true, false or null",
        OptionType::Float => "a number",
        OptionType::Formats => {
            "a string, a list of strings, a table of strings or a list of such tables"
        }
        OptionType::StrOrList => "a string or a list of strings",
        OptionType::LogLevel => "one of warning, info, info_if_changed, debug, none",
    };
    Err(ConfigError::WrongType {
        path: path.to_owned(),
        name: name.to_owned(),
        expected,
        found: describe(value),
    })
}

/// A short description of a value for error messages: its type, and the value when short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
        Value::String(_) => "a long string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a table".to_owned(),
    }
}

/// Python's truth value of an option (empty strings, lists and tables are false).
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Some(true),
        Value::Number(n) if n.as_i64() == Some(0) => Some(false),
        _ => None,
    }
}

fn as_float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// `"a;b"` -> `["a", "b"]` (groups separated by `;`).
fn normalize_string_formats(text: &str) -> Vec<String> {
    text.split(';').map(str::to_owned).collect()
}

/// The `formats` option in its list-of-groups form (type already checked).
fn normalize_formats(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => normalize_string_formats(s),
        Value::Object(_) => vec![table_group(value)],
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                _ => table_group(item),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `{"notebooks/" = "ipynb", "scripts/" = "md:myst"}` -> `"notebooks///ipynb,scripts///md:myst"`:
/// one trailing `/` of each folder is dropped, then `///` (a prefix root) joins it to the format;
/// an empty folder gives the bare format.
fn table_group(table: &Value) -> String {
    let Some(table) = table.as_object() else {
        return String::new();
    };
    table
        .iter()
        .map(|(folder, format)| {
            let format = format.as_str().unwrap_or_default();
            if folder.is_empty() {
                format.to_owned()
            } else {
                let folder = folder.strip_suffix('/').unwrap_or(folder);
                format!("{folder}///{format}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(text: &str) -> Result<Config, ConfigError> {
        let path = Path::new("jupytext.toml");
        from_value(path, &parse_toml_str(path, text)?)
    }

    fn no_globals() -> SearchPaths {
        SearchPaths::default()
    }

    #[test]
    fn formats_in_every_form() {
        assert_eq!(
            toml(r#"formats = "ipynb,md:myst""#).unwrap().formats,
            ["ipynb,md:myst"]
        );
        assert_eq!(
            toml(r#"formats = "notebooks///ipynb,scripts///md:myst;ipynb,py:percent""#)
                .unwrap()
                .formats,
            ["notebooks///ipynb,scripts///md:myst", "ipynb,py:percent"]
        );
        assert_eq!(
            toml(r#"formats = ["ipynb,md:myst", "ipynb,py:percent"]"#)
                .unwrap()
                .formats,
            ["ipynb,md:myst", "ipynb,py:percent"]
        );
        // Values checked against jupytext.config.normalize_formats.
        assert_eq!(
            toml("[formats]\n\"notebooks/\" = \"ipynb\"\n\"scripts/\" = \"md:myst\"\n")
                .unwrap()
                .formats,
            ["notebooks///ipynb,scripts///md:myst"]
        );
        assert_eq!(
            toml("[[formats]]\n\"\" = \"ipynb\"\nmd = \"myst\"\n")
                .unwrap()
                .formats,
            ["ipynb,md///myst"]
        );
        assert!(toml("").unwrap().formats.is_empty());
        assert_eq!(
            toml("default_jupytext_formats = \"ipynb,md\"")
                .unwrap()
                .formats,
            ["ipynb,md"]
        );
    }

    #[test]
    fn filters_and_defaults() {
        let c = toml(
            "notebook_metadata_filter = \"-all\"\ncell_metadata_filter = \"tags,-all\"\n\
             outdated_text_notebook_margin = 5\nsplit_at_heading = true\n",
        )
        .unwrap();
        assert_eq!(c.notebook_metadata_filter.as_deref(), Some("-all"));
        assert_eq!(c.cell_metadata_filter.as_deref(), Some("tags,-all"));
        assert_eq!(c.outdated_text_notebook_margin, 5.0);
        assert!(c.root_level_metadata_as_raw_cell);
        assert_eq!(c.other.get("split_at_heading"), Some(&Value::Bool(true)));

        let d = toml("").unwrap();
        assert_eq!(d.notebook_metadata_filter, None);
        assert_eq!(d.outdated_text_notebook_margin, 1.0);

        // An empty string is no filter; the deprecated name is applied first by jupytext.
        let e = toml(
            "notebook_metadata_filter = \"\"\ncell_metadata_filter = \"all\"\n\
             default_cell_metadata_filter = \"-all\"\n",
        )
        .unwrap();
        assert_eq!(e.notebook_metadata_filter, None);
        assert_eq!(e.cell_metadata_filter.as_deref(), Some("-all"));
        assert_eq!(e.deprecated, ["default_cell_metadata_filter"]);
    }

    #[test]
    fn wrong_options_are_errors() {
        // jupytext: "options bogus are not supported"
        assert!(
            matches!(toml("bogus = 1"), Err(ConfigError::UnknownOption { name, .. }) if name == "bogus")
        );
        // jupytext: "expected a unicode string, not the list ['a']"
        let err = toml(r#"notebook_metadata_filter = ["a"]"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "jupytext.toml: option `notebook_metadata_filter` must be a string, not a list"
        );
        assert!(toml(r#"split_at_heading = "yes""#).is_err());
        assert!(toml(r#"outdated_text_notebook_margin = "5""#).is_err());
        assert!(toml("formats = 5").is_err());
        assert!(toml(r#"formats = ["ipynb,md", {"a/" = "md"}]"#).is_err());
        assert!(toml(r#"cm_config_log_level = "x""#).is_err());
        // jupytext accepts 1 for a boolean
        assert!(toml("split_at_heading = 1").is_ok());
    }

    #[test]
    fn toml_syntax_errors_carry_a_position() {
        let err = toml("formats = \"ipynb\"\nnotebook_metadata_filter = [\n").unwrap_err();
        let ConfigError::Toml { line, .. } = err else {
            panic!("expected a TOML error, got {err:?}")
        };
        assert_eq!(line, 2);
        let text = toml("x = = 1").unwrap_err().to_string();
        assert!(
            text.starts_with("jupytext.toml: not valid TOML (line 1, column 5: "),
            "{text}"
        );
    }

    #[test]
    fn json_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("jupytext.json"),
            r#"{"formats": "ipynb,md:myst"}"#,
        )
        .unwrap();
        let c = discover(dir.path(), dir.path(), &no_globals())
            .unwrap()
            .unwrap();
        assert_eq!(c.formats, ["ipynb,md:myst"]);
        fs::write(dir.path().join("jupytext.json"), "{\"formats\": \n").unwrap();
        let err = discover(dir.path(), dir.path(), &no_globals()).unwrap_err();
        assert!(err.to_string().contains("not valid JSON (line 2"), "{err}");
    }

    #[test]
    fn precedence_inside_one_folder_and_nearest_folder_first() {
        let root = tempfile::tempdir().unwrap();
        let a = root.path().join("a");
        let c = a.join("b").join("c");
        fs::create_dir_all(&c).unwrap();
        let write = |dir: &Path, name: &str, text: &str| fs::write(dir.join(name), text).unwrap();
        let found = |dir: &Path| {
            find(dir, root.path(), &no_globals())
                .unwrap()
                .map(|f| f.path.strip_prefix(root.path()).unwrap().to_path_buf())
        };
        assert_eq!(found(&c), None);
        write(
            &a,
            "pyproject.toml",
            "[tool.jupytext]\nformats = \"ipynb,md\"\n",
        );
        assert_eq!(found(&c), Some(PathBuf::from("a/pyproject.toml")));
        write(&a, ".jupytext.toml", "");
        assert_eq!(found(&c), Some(PathBuf::from("a/.jupytext.toml")));
        write(&a, "jupytext.yml", "");
        assert_eq!(found(&c), Some(PathBuf::from("a/jupytext.yml")));
        write(&a, "jupytext.toml", "");
        assert_eq!(found(&c), Some(PathBuf::from("a/jupytext.toml")));
        write(&a, "jupytext", "");
        assert_eq!(found(&c), Some(PathBuf::from("a/jupytext")));
        write(&c, ".jupytext.py", "");
        assert_eq!(found(&c), Some(PathBuf::from("a/b/c/.jupytext.py")));
        // A relative folder is taken from cwd.
        assert_eq!(found(Path::new("a/b")), Some(PathBuf::from("a/jupytext")));
    }

    #[test]
    fn pyproject_without_a_jupytext_table_is_skipped() {
        let root = tempfile::tempdir().unwrap();
        let sub = root.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(
            sub.join("pyproject.toml"),
            "[tool.black]\nline-length = 100\n",
        )
        .unwrap();
        fs::write(
            root.path().join("jupytext.toml"),
            "formats = \"ipynb,md:myst\"\n",
        )
        .unwrap();
        let c = discover(&sub, &sub, &no_globals()).unwrap().unwrap();
        assert_eq!(c.path, root.path().join("jupytext.toml"));
        // An empty [tool.jupytext] table counts (jupytext tests `is not None`).
        fs::write(sub.join("pyproject.toml"), "[tool.jupytext]\n").unwrap();
        let c = discover(&sub, &sub, &no_globals()).unwrap().unwrap();
        assert_eq!(c.path, sub.join("pyproject.toml"));
        assert!(c.formats.is_empty());
        // A broken pyproject.toml is an error, as in jupytext.
        fs::write(sub.join("pyproject.toml"), "[tool.jupytext\n").unwrap();
        assert!(matches!(
            discover(&sub, &sub, &no_globals()),
            Err(ConfigError::Toml { .. })
        ));
    }

    #[test]
    fn yaml_files_are_read_as_pyyaml_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        // PyYAML safe_load: {'formats': 'ipynb,md:myst', 'notebook_metadata_filter': '-all',
        // 'split_at_heading': True}
        fs::write(
            dir.path().join("jupytext.yml"),
            "formats: ipynb,md:myst\nnotebook_metadata_filter: \"-all\"\nsplit_at_heading: yes\n",
        )
        .unwrap();
        let c = discover(dir.path(), dir.path(), &no_globals())
            .unwrap()
            .unwrap();
        assert_eq!(c.formats, ["ipynb,md:myst"]);
        assert_eq!(c.notebook_metadata_filter.as_deref(), Some("-all"));
        assert_eq!(c.other.get("split_at_heading"), Some(&Value::Bool(true)));
        // An empty YAML file holds no settings.
        fs::write(dir.path().join("jupytext.yml"), "").unwrap();
        let c = discover(dir.path(), dir.path(), &no_globals())
            .unwrap()
            .unwrap();
        assert_eq!(c, Config::empty(dir.path().join("jupytext.yml")));
        fs::write(dir.path().join("jupytext.yml"), "formats: [\n").unwrap();
        let err = discover(dir.path(), dir.path(), &no_globals()).unwrap_err();
        assert!(matches!(err, ConfigError::Yaml { .. }), "{err}");
    }

    #[test]
    fn python_config_is_found_but_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".jupytext.py"), "c.formats = 'ipynb,md'\n").unwrap();
        let err = discover(dir.path(), dir.path(), &no_globals()).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Unsupported { what: "Python", .. }
        ));
        assert!(err.hint().is_some());
    }

    #[test]
    fn ceiling_stops_after_its_own_folder() {
        let root = tempfile::tempdir().unwrap();
        let top = root.path().join("top");
        let nb_dir = top.join("nb");
        fs::create_dir_all(&nb_dir).unwrap();
        fs::write(root.path().join("jupytext.toml"), "").unwrap();
        let search = SearchPaths {
            ceiling_dirs: vec![top.clone()],
            global_dirs: Vec::new(),
        };
        assert_eq!(find(&nb_dir, &nb_dir, &search).unwrap(), None);
        fs::write(top.join("jupytext.toml"), "").unwrap();
        assert_eq!(
            find(&nb_dir, &nb_dir, &search).unwrap().unwrap().path,
            top.join("jupytext.toml")
        );
        // Without the ceiling the search climbs past a git repository top.
        fs::remove_file(top.join("jupytext.toml")).unwrap();
        fs::create_dir(top.join(".git")).unwrap();
        let found = find(&nb_dir, &nb_dir, &no_globals()).unwrap().unwrap();
        assert_eq!(found.path, root.path().join("jupytext.toml"));
    }

    #[test]
    fn global_folders_follow_jupytext() {
        let home = OsStr::new("/home/u");
        let vars = SearchVars {
            home: Some(home),
            ..SearchVars::default()
        };
        let paths = SearchPaths::from_vars(&vars, Path::new("/w"));
        let expected: Vec<PathBuf> = [
            "/home/u/.config/jupytext",
            "/home/u/.config",
            "/home/u/jupytext",
            "/home/u",
            "/usr/local/share/jupytext",
            "/usr/local/share/",
            "/usr/share/jupytext",
            "/usr/share/",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(paths.global_dirs, expected);

        let vars = SearchVars {
            xdg_config_home: Some(OsStr::new("/x:/y")),
            home: Some(home),
            xdg_config_dirs: Some(OsStr::new("/etc/xdg")),
            jupytext_ceiling_directories: Some(OsStr::new("/a::b")),
            ..SearchVars::default()
        };
        let paths = SearchPaths::from_vars(&vars, Path::new("/w"));
        let dirs: Vec<_> = paths
            .global_dirs
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            dirs,
            [
                "/x/jupytext",
                "/x",
                "/y/jupytext",
                "/y",
                "/etc/xdg/jupytext",
                "/etc/xdg"
            ]
        );
        assert_eq!(
            paths.ceiling_dirs,
            [PathBuf::from("/a"), PathBuf::from("/w/b")]
        );
    }

    #[test]
    fn global_folder_is_used_at_the_root() {
        let root = tempfile::tempdir().unwrap();
        let xdg = root.path().join("xdg");
        fs::create_dir_all(xdg.join("jupytext")).unwrap();
        fs::write(
            xdg.join("jupytext").join("jupytext.toml"),
            "cell_metadata_filter = \"-all\"\n",
        )
        .unwrap();
        let nb_dir = root.path().join("repo");
        fs::create_dir(&nb_dir).unwrap();
        let vars = SearchVars {
            xdg_config_home: Some(xdg.as_os_str()),
            xdg_config_dirs: Some(OsStr::new("")),
            ..SearchVars::default()
        };
        let search = SearchPaths::from_vars(&vars, &nb_dir);
        let c = discover(&nb_dir, &nb_dir, &search).unwrap().unwrap();
        assert_eq!(c.cell_metadata_filter.as_deref(), Some("-all"));
        // ...but not past a ceiling.
        let search = SearchPaths {
            ceiling_dirs: vec![nb_dir.clone()],
            ..search
        };
        assert_eq!(discover(&nb_dir, &nb_dir, &search).unwrap(), None);
    }
}
