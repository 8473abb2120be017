//! jupytext's metadata filters: which notebook and cell metadata keys enter the text form.
//!
//! A filter is written `"a,b,-c"`: names to keep (the *additional* side) and names to drop (the
//! *excluded* side), either side possibly `all`. A user filter is always combined with a default
//! one ([`DEFAULT_NOTEBOOK_METADATA`], [`DEFAULT_CELL_METADATA`], [`DEFAULT_ROOT_LEVEL_METADATA`]);
//! see [`filter_metadata`]. Names may reach into nested mappings with a dot (`a.b`). Keys that are
//! not made of `[a-zA-Z0-9_.@/-]` never pass a filter.
//!
//! The evaluation follows jupytext 1.19.6 to the letter, quirks included; each quirk is pointed
//! out where it is implemented.

use std::collections::HashSet;

use crate::notebook::{Json, Map};

/// The notebook metadata kept by default: a keep-only list.
pub const DEFAULT_NOTEBOOK_METADATA: &str = "jupytext,kernelspec,kernel_info,orphan,tocdepth";

/// Cell metadata keys that jupytext itself writes in other text formats; never shown when a
/// dictionary filter is turned into a string.
pub const JUPYTEXT_CELL_METADATA: [&str; 5] = [
    "skipline",
    "noskipline",
    "cell_marker",
    "lines_to_next_cell",
    "lines_to_end_of_cell_marker",
];

/// The cell metadata dropped by default: an exclusion list.
pub const DEFAULT_CELL_METADATA: &str = "-autoscroll,-collapsed,-scrolled,-trusted,-execution,\
     -ExecuteTime,-skipline,-noskipline,-cell_marker,-lines_to_next_cell,\
     -lines_to_end_of_cell_marker";

/// The default root-level filter of the MyST format: every notebook key that passed the notebook
/// filter goes to the root of the YAML header.
pub const DEFAULT_ROOT_LEVEL_METADATA: &str = "all";

/// One side of a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Names {
    /// The word `all`.
    All,
    /// Explicit names, possibly dotted (`a.b`), in the order given.
    List(Vec<String>),
}

impl Default for Names {
    fn default() -> Self {
        Names::List(Vec::new())
    }
}

impl Names {
    fn is_all(&self) -> bool {
        matches!(self, Names::All)
    }

    /// The names as jupytext iterates them. Where jupytext iterates the *string* `"all"` (only
    /// when a filter says both `all` and `-all`), it sees the names `a`, `l`, `l`.
    fn as_list(&self) -> Vec<String> {
        match self {
            Names::All => vec!["a".into(), "l".into(), "l".into()],
            Names::List(names) => names.clone(),
        }
    }
}

/// A parsed filter: the names to keep and the names to drop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetadataFilter {
    pub additional: Names,
    pub excluded: Names,
}

impl MetadataFilter {
    /// Parse a filter string: entries separated by `,`, spaces around them ignored, `-name`
    /// excluded, `+name` or `name` additional, empty entries ignored; `all` on a side makes the
    /// whole side `all`.
    pub fn parse(text: &str) -> MetadataFilter {
        let mut additional: Option<Vec<String>> = None;
        let mut excluded: Option<Vec<String>> = None;
        for entry in text.split(',') {
            let entry = py_strip(entry);
            if let Some(rest) = entry.strip_prefix('-') {
                excluded
                    .get_or_insert_with(Vec::new)
                    .push(py_strip(rest).to_string());
            } else if let Some(rest) = entry.strip_prefix('+') {
                additional
                    .get_or_insert_with(Vec::new)
                    .push(py_strip(rest).to_string());
            } else {
                additional
                    .get_or_insert_with(Vec::new)
                    .push(entry.to_string());
            }
        }
        let side = |names: Option<Vec<String>>| match names {
            None => Names::default(),
            Some(names) if names.iter().any(|n| n == "all") => Names::All,
            Some(names) => Names::List(names.into_iter().filter(|n| !n.is_empty()).collect()),
        };
        MetadataFilter {
            additional: side(additional),
            excluded: side(excluded),
        }
    }

    /// A filter as it may appear in notebook metadata: a string, a boolean (`true` = keep all,
    /// `false` = drop all), `null` (no filter), or the legacy mapping
    /// `{"additional": [...] | "all", "excluded": [...] | "all"}` taken as it is.
    ///
    /// Returns `None` for values jupytext cannot use (it fails on them); callers treat that as no
    /// filter.
    pub fn from_json(value: &Json) -> Option<MetadataFilter> {
        match value {
            Json::Null => Some(MetadataFilter::default()),
            Json::Bool(true) => Some(MetadataFilter {
                additional: Names::All,
                excluded: Names::default(),
            }),
            Json::Bool(false) => Some(MetadataFilter {
                additional: Names::default(),
                excluded: Names::All,
            }),
            Json::Str(text) => Some(MetadataFilter::parse(text)),
            Json::Object(map) => {
                let side = |key: &str| match map.get(key) {
                    None => Names::default(),
                    Some(Json::Str(s)) if s == "all" => Names::All,
                    // jupytext iterates a string side character by character.
                    Some(Json::Str(s)) => Names::List(s.chars().map(String::from).collect()),
                    Some(Json::Array(items)) => Names::List(
                        items
                            .iter()
                            .filter_map(|item| match item {
                                Json::Str(s) => Some(s.clone()),
                                _ => None,
                            })
                            .collect(),
                    ),
                    Some(_) => Names::default(),
                };
                Some(MetadataFilter {
                    additional: side("additional"),
                    excluded: side("excluded"),
                })
            }
            _ => None,
        }
    }

    /// The filter as a string (how a legacy dictionary filter is re-spelled in the header):
    /// `all` or the additional names (minus jupytext's own cell keys), then `-all` or `-name`
    /// for each excluded name.
    pub fn to_filter_string(&self) -> String {
        let mut entries: Vec<String> = match &self.additional {
            Names::All => vec!["all".to_string()],
            Names::List(names) => names
                .iter()
                .filter(|n| !JUPYTEXT_CELL_METADATA.contains(&n.as_str()))
                .cloned()
                .collect(),
        };
        match &self.excluded {
            Names::All => entries.push("-all".to_string()),
            Names::List(names) => entries.extend(names.iter().map(|n| format!("-{n}"))),
        }
        entries.join(",")
    }
}

/// Python's `str.strip()` (Python whitespace, which includes `\x1c`-`\x1f`).
fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_whitespace)
}

/// Python's `str.isspace()` for one character.
pub fn is_py_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\x0b'
            | '\x0c'
            | '\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Whether jupytext accepts `key` as a metadata key: `^[a-zA-Z0-9_.@/-]+$` with Python's `re`,
/// whose `$` also matches before a final `\n` (so `"a\n"` is accepted).
pub fn is_valid_metadata_key(key: &str) -> bool {
    let key = key.strip_suffix('\n').unwrap_or(key);
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'@' | b'/' | b'-'))
}

/// What [`filter_metadata`] decided to do, before looking at the keys.
enum Plan {
    KeepOnly(Vec<String>, Option<Vec<String>>),
    Exclude(Vec<String>),
}

fn plan(metadata: &Map, user: &MetadataFilter, default: &MetadataFilter) -> (Plan, bool) {
    let mut default_exclude = default.excluded.clone();
    let default_include = &default.additional;
    // A default that only lists names to keep means "keep only these".
    if let Names::List(names) = default_include {
        if !names.is_empty() && default_exclude == Names::default() {
            default_exclude = Names::All;
        }
    }
    let user_include = &user.additional;
    let user_exclude = &user.excluded;

    if default_exclude.is_all() {
        if user_include.is_all() {
            return (Plan::Exclude(user_exclude.as_list()), false);
        }
        if user_exclude.is_all() {
            return (Plan::KeepOnly(user_include.as_list(), None), false);
        }
        let mut keep = user_include.as_list();
        for name in default_include.as_list() {
            if !keep.contains(&name) {
                keep.push(name);
            }
        }
        return (Plan::KeepOnly(keep, Some(user_exclude.as_list())), false);
    }

    if user_include.is_all() {
        return (Plan::Exclude(user_exclude.as_list()), false);
    }
    if user_exclude.is_all() {
        return (Plan::KeepOnly(user_include.as_list(), None), false);
    }
    // An empty `tags` list is dropped. jupytext does it on a copy of the mapping, so when keys
    // are also being moved out (root-level filtering) nothing is moved at all.
    let empty_tags = metadata.get("tags").is_some_and(|tags| !tags.is_truthy());
    let include = user_include.as_list();
    let mut exclude = user_exclude.as_list();
    for name in default_exclude.as_list() {
        if !include.contains(&name) && !exclude.contains(&name) {
            exclude.push(name);
        }
    }
    if empty_tags {
        exclude.push("tags".to_string());
    }
    (Plan::Exclude(exclude), empty_tags)
}

/// Filter `metadata` with the user filter combined with the default one (jupytext's
/// `filter_metadata`).
///
/// - A default that only keeps names (the notebook default): user `all` keeps everything but the
///   user's exclusions; user `-all` keeps only the user's names; otherwise the user's names and the
///   default's are kept, minus the user's exclusions.
/// - A default that only excludes names (the cell default): user `all` keeps everything but the
///   user's exclusions; user `-all` keeps only the user's names; otherwise an empty `tags` list is
///   dropped and the user's exclusions plus the default's (those the user does not list) are
///   removed.
///
/// Keys that fail [`is_valid_metadata_key`] are dropped at every level the filter looks at.
pub fn filter_metadata(metadata: &Map, user: &MetadataFilter, default: &MetadataFilter) -> Map {
    match plan(metadata, user, default).0 {
        Plan::KeepOnly(keep, exclude) => subset_metadata(metadata, Some(&keep), exclude.as_deref()),
        Plan::Exclude(exclude) => subset_metadata(metadata, None, Some(&exclude)),
    }
}

/// [`filter_metadata`], also removing from `metadata` what was moved out, the way jupytext's
/// `remove=True` does (used for the root-level filter: what stays behind goes under the `jupyter`
/// key of the header). The kept mapping is returned.
///
/// Mirrors jupytext's side effects: top-level keys that were kept whole are removed; a key kept
/// only through a dotted name (`a.b`) loses the nested keys that were kept; when an empty `tags`
/// list is being dropped, nothing is removed at all.
pub fn filter_metadata_moving(
    metadata: &mut Map,
    user: &MetadataFilter,
    default: &MetadataFilter,
) -> Map {
    let (plan, empty_tags) = plan(metadata, user, default);
    match plan {
        Plan::KeepOnly(keep, exclude) => {
            let kept = subset_metadata(metadata, Some(&keep), exclude.as_deref());
            remove_moved(metadata, Some(&keep), exclude.as_deref());
            kept
        }
        Plan::Exclude(exclude) => {
            let kept = subset_metadata(metadata, None, Some(&exclude));
            if !empty_tags {
                remove_moved(metadata, None, Some(&exclude));
            }
            kept
        }
    }
}

/// `{"a": ["b", "c.d"]}` for the names `a.b`, `a.c.d` (split at the first dot).
fn second_level(names: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for name in names {
        if let Some((left, right)) = name.split_once('.') {
            match out.iter_mut().find(|(k, _)| k == left) {
                Some((_, subs)) => subs.push(right.to_string()),
                None => out.push((left.to_string(), vec![right.to_string()])),
            }
        }
    }
    out
}

/// jupytext's `subset_metadata`: keep only `keep_only` (if given; dotted names keep a reduced
/// nested mapping), then remove `exclude` (dotted names remove nested keys). Invalid keys are
/// dropped. A dotted name that reaches a value which is not a mapping gives `{}` when keeping
/// and leaves the value alone when excluding (jupytext fails or behaves erratically there).
pub fn subset_metadata(
    metadata: &Map,
    keep_only: Option<&[String]>,
    exclude: Option<&[String]>,
) -> Map {
    let supported = metadata.iter().filter(|(k, _)| is_valid_metadata_key(k));
    let mut filtered = Map::new();
    match keep_only {
        Some(keep) => {
            let keep_set: HashSet<&str> = keep.iter().map(String::as_str).collect();
            for (key, value) in supported.clone() {
                if keep_set.contains(key.as_str()) {
                    filtered.insert(key.clone(), value.clone());
                }
            }
            let sub_keep = second_level(keep);
            for (key, value) in supported {
                if let Some((_, subs)) = sub_keep.iter().find(|(k, _)| k == key) {
                    let reduced = match value {
                        Json::Object(inner) => subset_metadata(inner, Some(subs), None),
                        _ => Map::new(),
                    };
                    // Insertion keeps the position of a key already kept whole.
                    filtered.insert(key.clone(), Json::Object(reduced));
                }
            }
        }
        None => {
            for (key, value) in supported {
                filtered.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(exclude) = exclude {
        for key in exclude {
            filtered.shift_remove(key);
        }
        for (key, subs) in second_level(exclude) {
            if let Some(Json::Object(inner)) = filtered.get(&key) {
                let reduced = subset_metadata(inner, None, Some(&subs));
                filtered.insert(key, Json::Object(reduced));
            }
        }
    }
    filtered
}

/// The removal side of jupytext's `subset_metadata(..., remove=True)`.
fn remove_moved(metadata: &mut Map, keep_only: Option<&[String]>, exclude: Option<&[String]>) {
    let supported: Vec<String> = metadata
        .keys()
        .filter(|k| is_valid_metadata_key(k))
        .cloned()
        .collect();
    let include: Vec<String> = match keep_only {
        Some(keep) => {
            for (key, subs) in second_level(keep) {
                if supported.contains(&key) {
                    if let Some(Json::Object(inner)) = metadata.get_mut(&key) {
                        remove_moved(inner, Some(&subs), None);
                    }
                }
            }
            supported.into_iter().filter(|k| keep.contains(k)).collect()
        }
        None => supported,
    };
    for key in include {
        if !exclude.is_some_and(|ex| ex.contains(&key)) {
            metadata.shift_remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Json {
        Json::Str(v.to_string())
    }

    fn obj(pairs: &[(&str, Json)]) -> Json {
        Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn map(pairs: &[(&str, Json)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn keys(m: &Map) -> Vec<&str> {
        m.keys().map(String::as_str).collect()
    }

    fn list(names: &[&str]) -> Names {
        Names::List(names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn parses_filter_strings() {
        assert_eq!(
            MetadataFilter::parse("a, +b ,- c,,"),
            MetadataFilter {
                additional: list(&["a", "b"]),
                excluded: list(&["c"]),
            }
        );
        assert_eq!(
            MetadataFilter::parse("all,-tags"),
            MetadataFilter {
                additional: Names::All,
                excluded: list(&["tags"]),
            }
        );
        assert_eq!(
            MetadataFilter::parse("tags,-all"),
            MetadataFilter {
                additional: list(&["tags"]),
                excluded: Names::All,
            }
        );
        assert_eq!(MetadataFilter::parse(""), MetadataFilter::default());
        assert_eq!(
            MetadataFilter::from_json(&Json::Bool(false)),
            Some(MetadataFilter {
                additional: Names::default(),
                excluded: Names::All,
            })
        );
        assert_eq!(MetadataFilter::from_json(&Json::Int("1".into())), None);
    }

    #[test]
    fn dictionary_filters_become_strings() {
        let legacy = obj(&[
            (
                "additional",
                Json::Array(vec![s("a"), s("lines_to_next_cell")]),
            ),
            ("excluded", s("all")),
        ]);
        let filter = MetadataFilter::from_json(&legacy).unwrap();
        assert_eq!(filter.to_filter_string(), "a,-all");
        let legacy = obj(&[("excluded", Json::Array(vec![s("x"), s("y")]))]);
        assert_eq!(
            MetadataFilter::from_json(&legacy)
                .unwrap()
                .to_filter_string(),
            "-x,-y"
        );
    }

    #[test]
    fn valid_keys() {
        assert!(is_valid_metadata_key("a-b.c/d@e_1"));
        assert!(is_valid_metadata_key("a\n"));
        assert!(!is_valid_metadata_key("my key"));
        assert!(!is_valid_metadata_key("ключ"));
        assert!(!is_valid_metadata_key(""));
        assert!(!is_valid_metadata_key("\n"));
        assert!(!is_valid_metadata_key("a\n\n"));
    }

    fn cell_example() -> Map {
        map(&[
            ("tags", Json::Array(vec![s("a")])),
            ("collapsed", Json::Bool(true)),
            ("scrolled", Json::Bool(false)),
            ("slideshow", obj(&[("slide_type", s("slide"))])),
            ("lines_to_next_cell", Json::Int("2".into())),
            ("jupyter", obj(&[("source_hidden", Json::Bool(true))])),
            ("ExecuteTime", obj(&[("start_time", s("x"))])),
        ])
    }

    fn cell_filter(filter: Option<&str>) -> Map {
        let user = filter.map(MetadataFilter::parse).unwrap_or_default();
        filter_metadata(
            &cell_example(),
            &user,
            &MetadataFilter::parse(DEFAULT_CELL_METADATA),
        )
    }

    /// The table of spec §8.3.
    #[test]
    fn cell_filter_table() {
        assert_eq!(keys(&cell_filter(None)), ["tags", "slideshow", "jupyter"]);
        assert!(cell_filter(Some("-all")).is_empty());
        assert_eq!(cell_filter(Some("all")), cell_example());
        assert_eq!(
            keys(&cell_filter(Some("tags"))),
            ["tags", "slideshow", "jupyter"]
        );
        assert_eq!(keys(&cell_filter(Some("tags,-all"))), ["tags"]);
        assert_eq!(keys(&cell_filter(Some("-tags"))), ["slideshow", "jupyter"]);
        assert_eq!(
            keys(&cell_filter(Some("all,-tags"))),
            [
                "collapsed",
                "scrolled",
                "slideshow",
                "lines_to_next_cell",
                "jupyter",
                "ExecuteTime"
            ]
        );
        let f = cell_filter(Some("slideshow.slide_type,-all"));
        assert_eq!(f, map(&[("slideshow", obj(&[("slide_type", s("slide"))]))]));
        let f = cell_filter(Some("all,-slideshow.slide_type"));
        assert_eq!(keys(&f).len(), 7);
        assert_eq!(f["slideshow"], obj(&[]));
        assert_eq!(
            keys(&cell_filter(Some("collapsed"))),
            ["tags", "collapsed", "slideshow", "jupyter"]
        );
        let f = cell_filter(Some("jupyter.source_hidden,-all"));
        assert_eq!(
            f,
            map(&[("jupyter", obj(&[("source_hidden", Json::Bool(true))]))])
        );
    }

    #[test]
    fn empty_tags_dropped_unless_all() {
        let md = map(&[("tags", Json::Array(vec![])), ("k", Json::Int("1".into()))]);
        let default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
        assert_eq!(
            keys(&filter_metadata(&md, &MetadataFilter::default(), &default)),
            ["k"]
        );
        let all = MetadataFilter::parse("all");
        assert_eq!(keys(&filter_metadata(&md, &all, &default)), ["tags", "k"]);
        let tags_only = MetadataFilter::parse("tags,-all");
        assert_eq!(keys(&filter_metadata(&md, &tags_only, &default)), ["tags"]);
    }

    fn notebook_example() -> Map {
        map(&[
            ("authors", Json::Array(vec![obj(&[("name", s("A"))])])),
            ("jupytext", obj(&[("formats", s("ipynb,md"))])),
            ("kernel_info", obj(&[("name", s("python3"))])),
            ("kernelspec", obj(&[("name", s("python3"))])),
            (
                "language_info",
                obj(&[("codemirror_mode", s("x")), ("name", s("python"))]),
            ),
            ("orphan", Json::Bool(true)),
            ("title", s("T")),
            (
                "toc",
                obj(&[("base_numbering", Json::Int("1".into())), ("x", Json::Null)]),
            ),
            ("tocdepth", Json::Int("2".into())),
            ("widgets", obj(&[("state", obj(&[]))])),
        ])
    }

    fn nb_filter(filter: Option<&str>) -> Map {
        let user = filter.map(MetadataFilter::parse).unwrap_or_default();
        filter_metadata(
            &notebook_example(),
            &user,
            &MetadataFilter::parse(DEFAULT_NOTEBOOK_METADATA),
        )
    }

    /// The notebook examples of spec §8.3.
    #[test]
    fn notebook_filter_examples() {
        assert_eq!(
            keys(&nb_filter(None)),
            [
                "jupytext",
                "kernel_info",
                "kernelspec",
                "orphan",
                "tocdepth"
            ]
        );
        assert_eq!(
            keys(&nb_filter(Some("widgets,-kernelspec"))),
            ["jupytext", "kernel_info", "orphan", "tocdepth", "widgets"]
        );
        assert_eq!(
            keys(&nb_filter(Some("all,-language_info,-widgets"))),
            [
                "authors",
                "jupytext",
                "kernel_info",
                "kernelspec",
                "orphan",
                "title",
                "toc",
                "tocdepth"
            ]
        );
        let f = nb_filter(Some("toc.base_numbering,language_info.name,-jupytext"));
        assert_eq!(
            keys(&f),
            [
                "kernel_info",
                "kernelspec",
                "orphan",
                "tocdepth",
                "language_info",
                "toc"
            ]
        );
        assert_eq!(f["language_info"], obj(&[("name", s("python"))]));
        assert_eq!(f["toc"], obj(&[("base_numbering", Json::Int("1".into()))]));
        let f = nb_filter(Some("all,-language_info.codemirror_mode"));
        assert_eq!(keys(&f).len(), 10);
        assert_eq!(f["language_info"], obj(&[("name", s("python"))]));
        assert!(nb_filter(Some("-all")).is_empty());
    }

    #[test]
    fn nested_keep_reduces_even_when_listed_whole() {
        let md = map(&[(
            "a",
            obj(&[("b", Json::Int("1".into())), ("c", Json::Int("2".into()))]),
        )]);
        let f = subset_metadata(&md, Some(&["a".into(), "a.b".into()]), None);
        assert_eq!(f["a"], obj(&[("b", Json::Int("1".into()))]));
    }

    #[test]
    fn invalid_keys_dropped_at_filtered_levels_only() {
        let md = map(&[
            ("my key", Json::Int("1".into())),
            ("ok", obj(&[("bad key", Json::Int("1".into()))])),
        ]);
        let f = filter_metadata(
            &md,
            &MetadataFilter::default(),
            &MetadataFilter::parse(DEFAULT_CELL_METADATA),
        );
        assert_eq!(keys(&f), ["ok"]);
        assert_eq!(f["ok"], obj(&[("bad key", Json::Int("1".into()))]));
        let f = filter_metadata(
            &md,
            &MetadataFilter::parse("ok.bad key,ok.x,-all"),
            &MetadataFilter::parse(DEFAULT_CELL_METADATA),
        );
        assert_eq!(f["ok"], obj(&[]));
    }

    #[test]
    fn moving_filter_leaves_the_rest_behind() {
        let root = MetadataFilter::parse(DEFAULT_ROOT_LEVEL_METADATA);
        let mut md = map(&[
            ("jupytext", obj(&[])),
            ("kernelspec", obj(&[("name", s("p"))])),
        ]);
        let kept = filter_metadata_moving(&mut md, &MetadataFilter::parse("-kernelspec"), &root);
        assert_eq!(keys(&kept), ["jupytext"]);
        assert_eq!(keys(&md), ["kernelspec"]);

        // An empty `tags` list: kept mapping without it, nothing moved out.
        let mut md = map(&[("kernelspec", obj(&[])), ("tags", Json::Array(vec![]))]);
        let kept = filter_metadata_moving(&mut md, &MetadataFilter::default(), &root);
        assert_eq!(keys(&kept), ["kernelspec"]);
        assert_eq!(keys(&md), ["kernelspec", "tags"]);

        // A dotted keep-only name moves the nested key out of a mapping that stays behind.
        let mut md = map(&[(
            "a",
            obj(&[("b", Json::Int("1".into())), ("c", Json::Int("2".into()))]),
        )]);
        let kept = filter_metadata_moving(&mut md, &MetadataFilter::parse("a.b,-all"), &root);
        assert_eq!(kept["a"], obj(&[("b", Json::Int("1".into()))]));
        assert_eq!(md["a"], obj(&[("c", Json::Int("2".into()))]));
    }
}
