//! Which files form a pair: jupytext's format strings, paired paths and the choice of pairing
//! (`spec/sync.md` §1-§3), for the `.ipynb` / MyST `.md` pairs that `sync` and `check` handle.
//!
//! - A format is `[prefix/][suffix].ext[:format_name]` ([`Format::parse`]); a pairing is a
//!   comma-separated list of them ([`parse_formats`]).
//! - [`base_path`] removes a format's decorations from a path, [`full_path`] puts another
//!   format's back; [`paired_paths`] gives every file of the pairing and refuses pairings that
//!   do not include the file itself, name a file twice, or reach out of the notebook's tree.
//! - [`find_pair`] decides which pairing applies to a file (its own `jupytext.formats` first, then
//!   the first group of the configuration's `formats` that matches its path) and returns the
//!   `.ipynb` and `.md` of the pair, if the pairing has both.
//!
//! Paths are `/`-separated strings, taken as given (relative to the current folder, as jupytext's
//! command line takes them). No file is read here.

use crate::config::Config;
use crate::notebook::{Json, Map};

/// The extension of notebooks.
pub const IPYNB_EXTENSION: &str = ".ipynb";
/// The extension of the MyST text side.
pub const MD_EXTENSION: &str = ".md";
/// The format name of MyST.
pub const MYST_FORMAT_NAME: &str = "myst";

/// One format of a pairing, in jupytext's long form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Format {
    /// `notebooks//`, `md/pre_`... (empty: none). Everything before the last `/` of the string.
    pub prefix: String,
    /// The end of the file name before the extension (`_md` in `_md.md:myst`; empty: none).
    pub suffix: String,
    /// With its leading dot: `.ipynb`, `.md`.
    pub extension: String,
    /// `myst`, `percent`... (`None` when the string names none).
    pub format_name: Option<String>,
}

/// A pairing that jupytext would refuse, or that does not fit the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("`{format}` is not a jupytext format")]
    BadFormat { format: String },
    #[error("`formats` is {found}, not a string or a list of strings")]
    BadFormats { found: &'static str },
    #[error("{path} does not fit the paired format `{format}`: {reason}")]
    Inconsistent {
        path: String,
        format: String,
        reason: String,
    },
    #[error("the paired paths {paths} do not include {path}")]
    NotIncluded { path: String, paths: String },
    #[error("the pairing `{formats}` gives the same path twice for {path}")]
    Duplicate { path: String, formats: String },
    #[error("the paired path {paired} escapes the folder of {path}")]
    Escapes { path: String, paired: String },
    #[error("prefix roots (`//`) must be used in all paired formats or in none (`{formats}`)")]
    MixedRoots { formats: String },
}

impl Format {
    /// Parse one format (`md:myst`, `notebooks///ipynb`, `_md.md:myst`, `myst`...).
    pub fn parse(text: &str) -> Result<Format, PairError> {
        let bad = || PairError::BadFormat {
            format: text.to_owned(),
        };
        let mut rest = match text.to_lowercase().as_str() {
            "notebook" => "ipynb",
            "rmarkdown" => "Rmd",
            "quarto" => "qmd",
            "marimo" => "py",
            "markdown" => "md",
            "script" => "auto",
            "c++" => "cpp",
            "myst" => "md:myst",
            "pandoc" => "md:pandoc",
            _ => text,
        };
        let mut format = Format::default();
        if let Some(i) = rest.rfind('/').filter(|&i| i > 0) {
            format.prefix = rest[..i].to_owned();
            rest = &rest[i + 1..];
        }
        let mut ext = if let Some(i) = rest.rfind(':') {
            let name = &rest[i + 1..];
            format.format_name = Some(if name == "bare" { "nomarker" } else { name }.to_owned());
            rest[..i].to_owned()
        } else if rest.is_empty() || rest.contains('.') || is_extension_word(rest) {
            rest.to_owned()
        } else if FORMAT_NAMES.contains(&rest) {
            format.format_name = Some(rest.to_owned());
            String::new()
        } else {
            return Err(bad());
        };
        if ext.rfind('.').is_some_and(|i| i > 0) {
            let (stem, extension) = splitext(&ext);
            format.suffix = stem.to_owned();
            ext = extension.to_owned();
        }
        if !ext.starts_with('.') {
            ext.insert(0, '.');
        }
        if ext == "." {
            return Err(bad());
        }
        format.extension = ext;
        Ok(format)
    }

    /// Whether this is the `.ipynb` side.
    pub fn is_ipynb(&self) -> bool {
        self.extension == IPYNB_EXTENSION
    }

    /// Whether this is a `.md` format that is MyST, or that names no format at all (`md`; then
    /// the file itself says which it is).
    pub fn is_md_myst_or_unnamed(&self) -> bool {
        self.extension == MD_EXTENSION
            && self
                .format_name
                .as_deref()
                .is_none_or(|n| n == MYST_FORMAT_NAME)
    }

    /// The short form jupytext writes (`md:myst`, `notebooks///ipynb`).
    pub fn short(&self) -> String {
        let mut out = String::new();
        if !self.prefix.is_empty() {
            out.push_str(&self.prefix);
            out.push('/');
        }
        if self.suffix.is_empty() {
            out.push_str(self.extension.trim_start_matches('.'));
        } else {
            out.push_str(&self.suffix);
            out.push_str(&self.extension);
        }
        if let Some(name) = self.format_name.as_deref().filter(|n| !n.is_empty()) {
            let silent = matches!(self.extension.as_str(), ".md" | ".markdown" | ".Rmd");
            if !silent || name == "pandoc" || name == MYST_FORMAT_NAME {
                out.push(':');
                out.push_str(name);
            }
        }
        out
    }
}

/// The format names jupytext knows (accepted alone, as in `ipynb,myst`).
const FORMAT_NAMES: &[&str] = &[
    "markdown",
    "rmarkdown",
    "light",
    "nomarker",
    "percent",
    "hydrogen",
    "spin",
    "sphinx",
    "pandoc",
    "quarto",
    "marimo",
    "myst",
];

/// A word that jupytext takes for an extension without its dot (`ipynb`, `md`, `py`, `auto`...).
fn is_extension_word(word: &str) -> bool {
    matches!(
        word,
        "ipynb"
            | "md"
            | "markdown"
            | "Rmd"
            | "qmd"
            | "myst"
            | "mystnb"
            | "mnb"
            | "auto"
            | "py"
            | "R"
            | "r"
            | "jl"
            | "cpp"
            | "ss"
            | "clj"
            | "scm"
            | "sh"
            | "ps1"
            | "q"
            | "m"
            | "wolfram"
            | "pro"
            | "js"
            | "ts"
            | "scala"
            | "rs"
            | "robot"
            | "resource"
            | "cs"
            | "fsx"
            | "fs"
            | "sos"
            | "java"
            | "groovy"
            | "sage"
            | "ml"
            | "hs"
            | "tcl"
            | "mac"
            | "gp"
            | "do"
            | "sas"
            | "xsh"
            | "lgt"
            | "logtalk"
            | "lua"
            | "go"
    )
}

/// A comma-separated format list (empty entries skipped).
pub fn parse_formats(text: &str) -> Result<Vec<Format>, PairError> {
    text.split(',')
        .filter(|f| !f.is_empty())
        .map(Format::parse)
        .collect()
}

/// The `formats` value of a notebook's metadata: a comma-separated string or a list of strings.
pub fn formats_from_json(value: &Json) -> Result<Vec<Format>, PairError> {
    match value {
        Json::Str(text) => parse_formats(text),
        Json::Array(items) => items
            .iter()
            .map(|item| match item {
                Json::Str(text) => Format::parse(text),
                other => Err(PairError::BadFormats {
                    found: other.kind_name(),
                }),
            })
            .collect(),
        other => Err(PairError::BadFormats {
            found: other.kind_name(),
        }),
    }
}

/// The short form of a format list (`ipynb,md:myst`).
pub fn short_formats(formats: &[Format]) -> String {
    formats
        .iter()
        .map(Format::short)
        .collect::<Vec<_>>()
        .join(",")
}

/// Python's `os.path.splitext` for a name without separators.
fn splitext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if name[..dot].bytes().any(|b| b != b'.') => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    }
}

/// `os.path.splitext` on a `/`-separated path.
fn split_path_ext(path: &str) -> (&str, &str) {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    let (_, ext) = splitext(&path[name_start..]);
    (&path[..path.len() - ext.len()], ext)
}

/// Split at the last `sep`: `("", text)` when there is none.
fn rsplit<'a>(text: &'a str, sep: &str) -> (&'a str, &'a str) {
    match text.rfind(sep) {
        Some(i) => (&text[..i], &text[i + sep.len()..]),
        None => ("", text),
    }
}

fn join(left: &str, right: &str) -> String {
    if left.is_empty() {
        right.to_owned()
    } else {
        format!("{left}/{right}")
    }
}

/// The three parts of a prefix: root (before the last `//`), folder, file-name prefix.
fn prefix_parts(prefix: &str) -> (&str, &str, &str) {
    let (root, rest) = match prefix.rfind("//") {
        Some(i) => (&prefix[..i], &prefix[i + 2..]),
        None => ("", prefix),
    };
    let (dir, file) = rsplit(rest, "/");
    (root, dir, file)
}

/// The path with `fmt`'s prefix, suffix and extension removed (jupytext's `base_path`). A base
/// of a format with a prefix root keeps a `//` where the root folder was.
pub fn base_path(path: &str, fmt: &Format) -> Result<String, PairError> {
    let inconsistent = |reason: String| PairError::Inconsistent {
        path: path.to_owned(),
        format: fmt.short(),
        reason,
    };
    let (mut base, ext) = split_path_ext(path);
    if ext != fmt.extension {
        return Err(inconsistent(format!(
            "the extension is not {}",
            fmt.extension
        )));
    }
    if !fmt.suffix.is_empty() {
        base = base
            .strip_suffix(fmt.suffix.as_str())
            .ok_or_else(|| inconsistent(format!("the name does not end with `{}`", fmt.suffix)))?;
    }
    if fmt.prefix.is_empty() {
        return Ok(base.to_owned());
    }
    let (root, prefix_dir, prefix_file) = prefix_parts(&fmt.prefix);
    let (notebook_dir, mut file_name) = rsplit(base, "/");
    if !prefix_file.is_empty() {
        file_name = file_name
            .strip_prefix(prefix_file)
            .ok_or_else(|| inconsistent(format!("the name does not start with `{prefix_file}`")))?;
    }
    let mut dir = notebook_dir.to_owned();
    if !prefix_dir.is_empty() {
        let mismatch = || {
            inconsistent(format!(
                "the folder `{notebook_dir}` does not match `{prefix_dir}`"
            ))
        };
        let mut parent_prefix = prefix_dir;
        let mut climbed: Vec<String> = Vec::new();
        while !parent_prefix.is_empty() {
            let (rest, expected) = rsplit(parent_prefix, "/");
            parent_prefix = rest;
            if expected == ".." {
                let folder = climbed.pop().ok_or_else(mismatch)?;
                dir = join(&dir, &folder);
            } else {
                let (rest, actual) = rsplit(&dir, "/");
                if actual != expected {
                    return Err(mismatch());
                }
                climbed.push(actual.to_owned());
                dir = rest.to_owned();
            }
        }
    }
    if !root.is_empty() {
        let long_root = format!("/{root}/");
        let long_dir = format!("/{dir}/");
        let Some(at) = long_dir.rfind(&long_root) else {
            return Err(inconsistent(format!(
                "the folder `{dir}` is not inside a folder `{root}`"
            )));
        };
        let left = &long_dir[..at];
        let right = &long_dir[at + long_root.len()..];
        // "/left" + "///" + "right/" without the outer separators; an empty `right` keeps the
        // marker's last `/` as the separator before the file name.
        let marked = format!("{left}///{right}");
        let inner = &marked[1..];
        dir = if right.is_empty() {
            inner.to_owned()
        } else {
            inner[..inner.len() - 1].to_owned()
        };
        if right.is_empty() {
            return Ok(format!("{dir}{file_name}"));
        }
    }
    if dir.is_empty() {
        Ok(file_name.to_owned())
    } else {
        Ok(format!("{dir}/{file_name}"))
    }
}

/// The path of format `fmt` for a base path (jupytext's `full_path`).
pub fn full_path(base: &str, fmt: &Format) -> Result<String, PairError> {
    let mut full = base.to_owned();
    if !fmt.prefix.is_empty() {
        let (root, prefix_dir, prefix_file) = prefix_parts(&fmt.prefix);
        if root.is_empty() == base.contains("//") {
            return Err(PairError::MixedRoots {
                formats: fmt.short(),
            });
        }
        let (mut notebook_dir, mut file_name) = if root.is_empty() {
            let (d, f) = rsplit(base, "/");
            (d.to_owned(), f.to_owned())
        } else {
            let (left, right) = rsplit(base, "//");
            let (right_dir, f) = rsplit(right, "/");
            (format!("{left}{root}/{right_dir}"), f.to_owned())
        };
        if !prefix_file.is_empty() {
            file_name = format!("{prefix_file}{file_name}");
        }
        if !prefix_dir.is_empty() {
            let mut prefix_dir = prefix_dir;
            while let Some(rest) = prefix_dir.strip_prefix("../") {
                prefix_dir = rest;
                notebook_dir = rsplit(&notebook_dir, "/").0.to_owned();
            }
            if !notebook_dir.is_empty() && !notebook_dir.ends_with('/') {
                notebook_dir.push('/');
            }
            notebook_dir.push_str(prefix_dir);
        }
        if !notebook_dir.is_empty() && !notebook_dir.ends_with('/') {
            notebook_dir.push('/');
        }
        full = format!("{notebook_dir}{file_name}");
    }
    full.push_str(&fmt.suffix);
    full.push_str(&fmt.extension);
    Ok(full)
}

/// How far a path reaches: absolute or not, how many leading `..`, and its other components.
fn reach(path: &str) -> (bool, usize, Vec<&str>) {
    let absolute = path.starts_with('/');
    let mut climb = 0;
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    climb += 1;
                }
            }
            _ => parts.push(part),
        }
    }
    (absolute, climb, parts)
}

/// Every file of the pairing `formats` for the file `path` of format `fmt` (jupytext's
/// `paired_paths`), with its format.
pub fn paired_paths(
    path: &str,
    fmt: &Format,
    formats: &[Format],
) -> Result<Vec<(String, Format)>, PairError> {
    // The first format of the list with the file's extension (and the same name, when both have
    // one) gives the prefix and suffix.
    let chosen = formats
        .iter()
        .find(|f| {
            f.extension == fmt.extension
                && match (&f.format_name, &fmt.format_name) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        })
        .unwrap_or(fmt);
    let base = base_path(path, chosen)?;
    let paths = formats
        .iter()
        .map(|f| full_path(&base, f))
        .collect::<Result<Vec<_>, _>>()?;
    if !paths.iter().any(|p| p == path) {
        return Err(PairError::NotIncluded {
            path: path.to_owned(),
            paths: paths.join(", "),
        });
    }
    for (i, p) in paths.iter().enumerate() {
        if paths[..i].contains(p) {
            return Err(PairError::Duplicate {
                path: path.to_owned(),
                formats: short_formats(formats),
            });
        }
    }
    let (main_absolute, main_climb, _) = reach(path);
    let root = base.rsplit_once("//").map(|(root, _)| reach(root));
    for p in &paths {
        let (absolute, climb, parts) = reach(p);
        let mut escapes = absolute != main_absolute || climb > main_climb;
        if let Some((root_absolute, root_climb, root_parts)) = &root {
            escapes = escapes
                || absolute != *root_absolute
                || climb != *root_climb
                || parts.len() < root_parts.len()
                || parts[..root_parts.len()] != root_parts[..];
        }
        if escapes {
            return Err(PairError::Escapes {
                path: path.to_owned(),
                paired: p.clone(),
            });
        }
    }
    Ok(paths.into_iter().zip(formats.iter().cloned()).collect())
}

/// The `.ipynb` and `.md` files of a pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The notebook, as a path in the same form as the one given to [`find_pair`].
    pub ipynb: String,
    /// The MyST text file.
    pub md: String,
    /// The format of the `.md` names MyST explicitly (`md:myst`); when false (`md`), the file
    /// must say it is MyST itself.
    pub md_named_myst: bool,
    /// The pairing comes from the file's own `jupytext.formats` (then the `.md` header and the
    /// notebook metadata both carry it), not from the configuration.
    pub from_metadata: bool,
    /// The pairing as jupytext writes it back (`ipynb,md:myst`).
    pub formats: String,
}

/// The `jupytext.formats` (or legacy `jupytext_formats`) of notebook metadata, when set.
pub fn metadata_formats(metadata: &Map) -> Option<&Json> {
    let own = metadata
        .get("jupytext")
        .and_then(Json::as_object)
        .and_then(|j| j.get("formats"))
        .filter(|f| f.is_truthy());
    own.or_else(|| metadata.get("jupytext_formats").filter(|f| f.is_truthy()))
}

/// The pairing that applies to `path` (an `.ipynb` or a `.md`): `own_formats` (the file's
/// `jupytext.formats`) when given, else the first group of the configuration's `formats` in which
/// some format matches the path, if one of its formats has the file's extension. `None` when the
/// file is not paired, or when its pairing has no `.ipynb` or no MyST `.md`.
pub fn find_pair(
    path: &str,
    own_formats: Option<&Json>,
    config: Option<&Config>,
) -> Result<Option<Pair>, PairError> {
    let (_, ext) = split_path_ext(path);
    let current = Format {
        extension: ext.to_owned(),
        format_name: (ext == MD_EXTENSION).then(|| MYST_FORMAT_NAME.to_owned()),
        ..Format::default()
    };
    let (mut formats, from_metadata) = match own_formats {
        Some(value) => (formats_from_json(value)?, true),
        None => match config.and_then(|c| config_group(c, path, &current)) {
            Some(group) => (group, false),
            None => return Ok(None),
        },
    };
    formats.retain(|f| f.extension != ".auto");
    if let Some(preferred) = config.and_then(|c| c.preferred_jupytext_formats_save.as_deref()) {
        if let Ok(preferred) = parse_formats(preferred) {
            for f in &mut formats {
                fill_preferred(f, &preferred);
            }
        }
    }
    if formats.is_empty() {
        return Ok(None);
    }
    let paired = paired_paths(path, &current, &formats)?;
    let ipynb = paired.iter().find(|(_, f)| f.is_ipynb());
    let md = paired.iter().find(|(_, f)| f.is_md_myst_or_unnamed());
    match (ipynb, md) {
        (Some((ipynb, _)), Some((md, md_format))) => Ok(Some(Pair {
            ipynb: ipynb.clone(),
            md: md.clone(),
            md_named_myst: md_format.format_name.is_some(),
            from_metadata,
            formats: short_formats(&formats),
        })),
        _ => Ok(None),
    }
}

/// The configuration's pairing group for `path` (jupytext's `default_formats`, then the check
/// that the group has the file's extension).
fn config_group(config: &Config, path: &str, current: &Format) -> Option<Vec<Format>> {
    for group in &config.formats {
        let Ok(formats) = parse_formats(group) else {
            continue;
        };
        let formats: Vec<Format> = formats
            .into_iter()
            .filter(|f| f.extension != ".auto")
            .collect();
        if formats.iter().any(|f| base_path(path, f).is_ok()) {
            let fits = formats.iter().any(|f| {
                f.extension == current.extension
                    && match (&f.format_name, &current.format_name) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            });
            return fits.then_some(formats);
        }
    }
    None
}

/// jupytext's `preferred_format`: a format without a name takes the name of the first preferred
/// format with the same extension (and compatible prefix and suffix).
fn fill_preferred(format: &mut Format, preferred: &[Format]) {
    if format.format_name.is_some() {
        return;
    }
    for p in preferred {
        let ext_fits = p.extension == format.extension
            || (p.extension == ".auto"
                && !matches!(
                    format.extension.as_str(),
                    ".md" | ".markdown" | ".Rmd" | ".ipynb"
                ));
        let suffix_fits = p.suffix.is_empty() || p.suffix == format.suffix;
        let prefix_fits = p.prefix.is_empty() || p.prefix == format.prefix;
        if ext_fits && suffix_fits && prefix_fits {
            if p.format_name.is_some() {
                format.format_name = p.format_name.clone();
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> Format {
        Format::parse(text).unwrap()
    }

    #[test]
    fn formats_parse_as_jupytext_reads_them() {
        assert_eq!(
            fmt("md:myst"),
            Format {
                extension: ".md".into(),
                format_name: Some("myst".into()),
                ..Format::default()
            }
        );
        assert_eq!(fmt(".md:myst"), fmt("md:myst"));
        assert_eq!(fmt("myst"), fmt("md:myst"));
        assert_eq!(fmt("notebook"), fmt("ipynb"));
        let f = fmt("notebooks//ipynb");
        assert_eq!(
            (f.prefix.as_str(), f.extension.as_str()),
            ("notebooks/", ".ipynb")
        );
        let f = fmt("md/pre_/md:myst");
        assert_eq!(f.prefix, "md/pre_");
        let f = fmt("_md.md:myst");
        assert_eq!((f.suffix.as_str(), f.extension.as_str()), ("_md", ".md"));
        let f = fmt("nb.py:percent");
        assert_eq!(f.suffix, "nb");
        assert_eq!(fmt("py:bare").format_name.as_deref(), Some("nomarker"));
        assert!(Format::parse("nonsense").is_err());
        assert_eq!(
            short_formats(&parse_formats("ipynb,myst").unwrap()),
            "ipynb,md:myst"
        );
        assert_eq!(
            short_formats(&parse_formats(".ipynb,.md:myst").unwrap()),
            "ipynb,md:myst"
        );
        assert_eq!(fmt("md:markdown").short(), "md");
    }

    /// `spec/sync.md` §2, the verified examples.
    #[test]
    fn paired_paths_of_the_spec() {
        let paths = |path: &str, formats: &str| -> Result<Vec<String>, PairError> {
            let formats = parse_formats(formats).unwrap();
            let (_, ext) = split_path_ext(path);
            let current = Format {
                extension: ext.to_owned(),
                ..Format::default()
            };
            paired_paths(path, &current, &formats).map(|v| v.into_iter().map(|(p, _)| p).collect())
        };
        assert_eq!(
            paths("nb.ipynb", "ipynb,md:myst").unwrap(),
            ["nb.ipynb", "nb.md"]
        );
        assert_eq!(
            paths("dir/nb.md", "ipynb,md:myst").unwrap(),
            ["dir/nb.ipynb", "dir/nb.md"]
        );
        assert_eq!(
            paths("nb.ipynb", "ipynb,md//md:myst").unwrap(),
            ["nb.ipynb", "md/nb.md"]
        );
        assert_eq!(
            paths("nb.ipynb", "ipynb,md/md:myst").unwrap(),
            ["nb.ipynb", "mdnb.md"]
        );
        assert!(matches!(
            paths("md/nb.md", "ipynb,md/md:myst"),
            Err(PairError::Inconsistent { .. })
        ));
        assert_eq!(
            paths("nb.ipynb", "ipynb,md/pre_/md:myst").unwrap(),
            ["nb.ipynb", "md/pre_nb.md"]
        );
        assert_eq!(
            paths("nb.ipynb", "ipynb,_md.md:myst").unwrap(),
            ["nb.ipynb", "nb_md.md"]
        );
        assert_eq!(
            paths("notebooks/nb.ipynb", "notebooks//ipynb,scripts//md:myst").unwrap(),
            ["notebooks/nb.ipynb", "scripts/nb.md"]
        );
        assert!(paths(
            "proj/notebooks/sub/nb.ipynb",
            "notebooks//ipynb,scripts//md:myst"
        )
        .is_err());
        assert_eq!(
            paths(
                "proj/notebooks/sub/nb.ipynb",
                "notebooks///ipynb,scripts///md:myst"
            )
            .unwrap(),
            ["proj/notebooks/sub/nb.ipynb", "proj/scripts/sub/nb.md"]
        );
        assert_eq!(
            paths(
                "proj/scripts/sub/nb.md",
                "notebooks///ipynb,scripts///md:myst"
            )
            .unwrap(),
            ["proj/notebooks/sub/nb.ipynb", "proj/scripts/sub/nb.md"]
        );
        assert_eq!(
            paths(
                "x/notebooks/y/notebooks/z/nb.ipynb",
                "notebooks///ipynb,scripts///md:myst"
            )
            .unwrap(),
            [
                "x/notebooks/y/notebooks/z/nb.ipynb",
                "x/notebooks/y/scripts/z/nb.md"
            ]
        );
        assert!(paths("nb.ipynb", "notebooks///ipynb,scripts///md:myst").is_err());
        assert!(matches!(
            paths("nb.ipynb", "ipynb,../md/md:myst"),
            Err(PairError::Escapes { .. })
        ));
        assert_eq!(
            paths("a/nb.ipynb", "ipynb,../md/md:myst").unwrap(),
            ["a/nb.ipynb", "a/../mdnb.md"]
        );
        assert!(matches!(
            paths("nb.ipynb", "md:myst"),
            Err(PairError::NotIncluded { .. })
        ));
        assert_eq!(
            paths("nb.ipynb", "ipynb,md:myst,py:percent").unwrap(),
            ["nb.ipynb", "nb.md", "nb.py"]
        );
    }

    #[test]
    fn root_prefix_at_the_end_of_the_folder() {
        assert_eq!(
            base_path("notebooks/nb.ipynb", &fmt("notebooks///ipynb")).unwrap(),
            "//nb"
        );
        assert_eq!(
            full_path("//nb", &fmt("scripts///md:myst")).unwrap(),
            "scripts/nb.md"
        );
        assert_eq!(
            base_path("a/notebooks/nb.ipynb", &fmt("notebooks///ipynb")).unwrap(),
            "a///nb"
        );
        assert_eq!(
            full_path("a///nb", &fmt("scripts///md:myst")).unwrap(),
            "a/scripts/nb.md"
        );
    }

    fn config(formats: &[&str]) -> Config {
        let mut c = Config::empty("jupytext.toml".into());
        c.formats = formats.iter().map(|s| s.to_string()).collect();
        c
    }

    #[test]
    fn which_pairing_applies() {
        let c = config(&["ipynb,md:myst"]);
        let pair = find_pair("a/nb.md", None, Some(&c)).unwrap().unwrap();
        assert_eq!(
            (pair.ipynb.as_str(), pair.md.as_str()),
            ("a/nb.ipynb", "a/nb.md")
        );
        assert!(!pair.from_metadata);
        assert!(pair.md_named_myst);
        // The notebook's own formats win.
        let own = Json::Str("ipynb,md//md:myst".into());
        let pair = find_pair("nb.ipynb", Some(&own), Some(&c))
            .unwrap()
            .unwrap();
        assert_eq!(pair.md, "md/nb.md");
        assert!(pair.from_metadata);
        // The first group that matches the path.
        let c = config(&["notebooks///ipynb,scripts///md:myst", "ipynb,md:myst"]);
        let pair = find_pair("x/notebooks/nb.ipynb", None, Some(&c))
            .unwrap()
            .unwrap();
        assert_eq!(pair.md, "x/scripts/nb.md");
        let pair = find_pair("x/nb.ipynb", None, Some(&c)).unwrap().unwrap();
        assert_eq!(pair.md, "x/nb.md");
        // Not paired, or paired without MyST.
        assert_eq!(find_pair("nb.ipynb", None, None).unwrap(), None);
        let c = config(&["ipynb,py:percent"]);
        assert_eq!(find_pair("nb.ipynb", None, Some(&c)).unwrap(), None);
        let c = config(&["ipynb,md"]);
        let pair = find_pair("nb.ipynb", None, Some(&c)).unwrap().unwrap();
        assert!(!pair.md_named_myst);
        let mut c = config(&["ipynb,md"]);
        c.preferred_jupytext_formats_save = Some("md:myst".into());
        let pair = find_pair("nb.ipynb", None, Some(&c)).unwrap().unwrap();
        assert!(pair.md_named_myst);
        assert_eq!(pair.formats, "ipynb,md:myst");
        // Metadata pairing that does not include the file.
        let own = Json::Str("md:myst,py:percent".into());
        assert!(find_pair("nb.ipynb", Some(&own), None).is_err());
        let own = Json::Array(vec![Json::Str("ipynb".into()), Json::Str("myst".into())]);
        let pair = find_pair("nb.ipynb", Some(&own), None).unwrap().unwrap();
        assert_eq!(pair.md, "nb.md");
    }
}
