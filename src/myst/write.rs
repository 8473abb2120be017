//! Notebook -> `md:myst` text, byte for byte what `jupytext --to md:myst -o NAME.md NAME.ipynb`
//! (jupytext 1.19.6) writes.
//!
//! The pipeline (spec `myst-format.md` §1): resolve the filter options (§1.1), prepare a copy of
//! the notebook metadata (legacy keys, `formats`, the lexer; §1.2, §4.1), stamp
//! `jupytext.text_representation` (§2.1), filter and sort it (§2.2, §8), filter each cell's
//! metadata, move the result to the root of the header and merge a front-matter raw cell into it
//! (§2.4), then render the header and the cells (§3-§6).
//!
//! Where jupytext fails, this module either reports a [`WriteError`] (the cases where the notebook
//! itself is contradictory) or writes what jupytext would have written had it not failed; each
//! such place says so.

use crate::myst::filter::{
    filter_metadata, filter_metadata_moving, is_py_whitespace, MetadataFilter,
    DEFAULT_CELL_METADATA, DEFAULT_NOTEBOOK_METADATA, DEFAULT_ROOT_LEVEL_METADATA,
};
use crate::myst::yaml::{dump_mapping, non_string_key_json, python_float_repr, Dumper};
use crate::myst::yaml_read;
use crate::notebook::json::{map_to_python_json_compact, to_python_json_compact};
use crate::notebook::{splitlines, CellType, Json, Map, Notebook};

/// The jupytext version stamped in `jupytext.text_representation`.
pub const JUPYTEXT_VERSION: &str = "1.19.6";

/// The MyST format version stamped in `jupytext.text_representation` (a float in the YAML).
pub const MYST_FORMAT_VERSION: f64 = 0.13;

/// How to write; the defaults are jupytext's with no configuration file.
///
/// The filter options come from the jupytext configuration file and win over the notebook's own
/// `metadata.jupytext.<option>` (spec §1.1). `None` (or an empty string, which jupytext's
/// configuration treats as unset) leaves the notebook's value, if any, in charge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// `notebook_metadata_filter` from the configuration (e.g. `"-all"`: no YAML header).
    pub notebook_metadata_filter: Option<String>,
    /// `cell_metadata_filter` from the configuration.
    pub cell_metadata_filter: Option<String>,
    /// `root_level_metadata_filter` from the configuration.
    pub root_level_metadata_filter: Option<String>,
    /// `root_level_metadata_as_raw_cell` from the configuration; jupytext only lets the
    /// configuration turn it off, so `Some(true)` is the same as `None`.
    pub root_level_metadata_as_raw_cell: Option<bool>,
    /// The path of the `.md` being written, as jupytext's command line would be given it
    /// (`-o PATH`), with `/` separators. When set, `jupytext.formats` is dropped from the header
    /// if this path matches none of the paired formats (spec §1.2, a command-line effect). `None`
    /// keeps `formats` (jupytext's Python API, and `jupytext --sync`). The path is matched as
    /// given, not relative to a configuration file's folder.
    pub destination: Option<String>,
}

/// A notebook jupytext itself refuses to write as MyST.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Only nbformat 4 notebooks have a MyST form.
    #[error("nbformat {major} notebooks cannot be written as MyST (upgrade them to nbformat 4)")]
    UnsupportedNbformat { major: u64 },
    /// The first raw cell's YAML header gives `key` a value that is not a mapping, where the
    /// notebook metadata holds a mapping for the same key (jupytext fails with `AttributeError`).
    #[error(
        "the YAML header in the first raw cell sets `{key}` to a non-mapping, but the notebook \
         metadata has a mapping there; edit one of them"
    )]
    FrontMatterConflict { key: String },
    /// The notebook metadata holds `null` at `key`, which jupytext can only merge into the first
    /// raw cell's YAML header when that header has the same key (it fails with `KeyError`).
    #[error(
        "the notebook metadata `{key}` is null and cannot be merged with the YAML header in the \
         first raw cell; remove it from the metadata"
    )]
    FrontMatterNull { key: String },
}

/// Write `nb` as MyST text, final newline included.
///
/// Outputs, execution counts, ids and attachments are not part of the text. A notebook with no
/// header (everything filtered out) and no cells gives the empty string (jupytext fails on it
/// with an internal assertion).
pub fn write(nb: &Notebook, opts: &WriteOptions) -> Result<String, WriteError> {
    if nb.nbformat < 4 {
        return Err(WriteError::UnsupportedNbformat { major: nb.nbformat });
    }
    // jupytext's command line reads the `.ipynb` with legacy keys rearranged, drops `formats`
    // when the destination is not one of them, then takes the options from that metadata
    // (§1.1, §1.2); the writer rearranges its own copy once more.
    let mut metadata = nb.metadata.clone();
    rearrange_jupytext_metadata(&mut metadata);
    if let Some(destination) = opts.destination.as_deref() {
        drop_unmatched_formats(&mut metadata, destination);
    }
    let options = Options::resolve(opts, &metadata);
    rearrange_jupytext_metadata(&mut metadata);
    mark_formats_myst(&mut metadata);

    // The lexer (§4.1): `language_info.pygments_lexer`, else `jupytext.default_lexer`, which
    // leaves the header in any case.
    let info_lexer = metadata
        .get("language_info")
        .and_then(as_object)
        .and_then(|info| info.get("pygments_lexer"))
        .filter(|lexer| lexer.is_truthy())
        .cloned();
    let stored_lexer = match metadata.get_mut("jupytext") {
        Some(Json::Object(jupytext)) => jupytext.shift_remove("default_lexer"),
        _ => None,
    };
    let default_lexer = info_lexer.or(stored_lexer.filter(Json::is_truthy));

    insert_text_representation(&mut metadata);
    let mut header = filter_metadata(
        &metadata,
        &options.notebook_filter,
        &MetadataFilter::parse(DEFAULT_NOTEBOOK_METADATA),
    );
    drop(metadata);
    header.sort_keys();

    // Cell metadata (§4.5). jupytext's command line drops `trusted` before anything else when
    // the notebook's signature does not check out, which is always the case here.
    let cell_default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
    let mut cells: Vec<(CellType, &str, Map)> = nb
        .cells
        .iter()
        .map(|cell| {
            let mut kept = filter_metadata(&cell.metadata, &options.cell_filter, &cell_default);
            kept.shift_remove("trusted");
            (cell.cell_type, cell.source.as_str(), kept)
        })
        .collect();

    // Root-level metadata and the front-matter raw cell (§2.4).
    let mut header = move_to_root(header, &options);
    let mut dates = Vec::new();
    if options.root_level_as_raw_cell {
        if let Some((front_matter, found)) = cells.first().and_then(|c| front_matter(c.0, c.1)) {
            dates = found;
            cells.remove(0);
            if !options.root_level_filter_set {
                // (jupytext fails on a key that is not a string here.)
                let keys: Vec<&str> = front_matter
                    .keys()
                    .map(|k| non_string_key_json(k).unwrap_or(k))
                    .collect();
                let filter = format!("-{}", keys.join(",-"));
                if let Json::Object(jupytext) = header
                    .entry("jupytext".to_string())
                    .or_insert_with(|| Json::Object(Map::new()))
                {
                    jupytext.insert("root_level_metadata_filter".to_string(), Json::Str(filter));
                }
            }
            let mut merged = front_matter;
            merge_without_overwriting(&mut merged, header, "")?;
            header = merged;
        }
    }

    let lexer = match header.get("language_info").and_then(as_object) {
        Some(info) => match info.get("pygments_lexer") {
            Some(Json::Null) | None => default_lexer,
            Some(lexer) => Some(lexer.clone()),
        },
        None => default_lexer,
    };
    let lexer = lexer
        .filter(Json::is_truthy)
        .map(|lexer| python_str(&lexer));

    Ok(render(&header, &dates, &cells, lexer.as_deref()))
}

/// The filter options in force (spec §1.1).
struct Options {
    notebook_filter: MetadataFilter,
    cell_filter: MetadataFilter,
    root_level_filter: MetadataFilter,
    /// Whether a `root_level_metadata_filter` option is present at all (then the front-matter
    /// keys are not recorded in the header).
    root_level_filter_set: bool,
    root_level_as_raw_cell: bool,
}

impl Options {
    fn resolve(opts: &WriteOptions, metadata: &Map) -> Options {
        let jupytext = metadata.get("jupytext").and_then(as_object);
        let from_notebook = |name: &str| jupytext.and_then(|j| j.get(name));
        let pick = |config: &Option<String>, name: &str| -> Option<Json> {
            match config.as_deref() {
                Some(text) if !text.is_empty() => Some(Json::Str(text.to_string())),
                _ => from_notebook(name).cloned(),
            }
        };
        let filter = |value: &Option<Json>| {
            value
                .as_ref()
                .and_then(MetadataFilter::from_json)
                .unwrap_or_default()
        };
        let notebook = pick(&opts.notebook_metadata_filter, "notebook_metadata_filter");
        let cell = pick(&opts.cell_metadata_filter, "cell_metadata_filter");
        let root = pick(
            &opts.root_level_metadata_filter,
            "root_level_metadata_filter",
        );
        let as_raw_cell = match opts.root_level_metadata_as_raw_cell {
            Some(false) => false,
            _ => from_notebook("root_level_metadata_as_raw_cell").is_none_or(Json::is_truthy),
        };
        Options {
            notebook_filter: filter(&notebook),
            cell_filter: filter(&cell),
            root_level_filter: filter(&root),
            root_level_filter_set: root.is_some(),
            root_level_as_raw_cell: as_raw_cell,
        }
    }
}

/// The root-level filter (§2.4, §8.1): what it keeps is the header; what it leaves behind goes
/// under a `jupyter` key of the header.
fn move_to_root(mut filtered: Map, options: &Options) -> Map {
    let mut header = filter_metadata_moving(
        &mut filtered,
        &options.root_level_filter,
        &MetadataFilter::parse(DEFAULT_ROOT_LEVEL_METADATA),
    );
    if !filtered.is_empty() {
        header.insert("jupyter".to_string(), Json::Object(filtered));
    }
    header
}

/// A first raw cell whose source is a `---` ... `---` YAML mapping (§2.4).
///
/// Also returns the YAML dates found in it (see [`dates`]), as (placeholder, text) pairs.
fn front_matter(cell_type: CellType, source: &str) -> Option<(Map, Vec<(String, String)>)> {
    if cell_type != CellType::Raw {
        return None;
    }
    let stripped = source.trim_matches(|c| matches!(c, '\n' | '\t' | ' '));
    let lines: Vec<&str> = splitlines(stripped).collect();
    let is_marker = |line: &str| {
        line.strip_prefix("---")
            .is_some_and(|rest| rest.chars().all(is_py_whitespace))
    };
    if lines.len() < 2 || !is_marker(lines[0]) || !is_marker(lines[lines.len() - 1]) {
        return None;
    }
    match yaml_read::load_with(source, FRONT_MATTER_YAML) {
        Ok(Json::Object(map)) => Some((map, Vec::new())),
        Err(err) if err.message.starts_with("the date ") => dates::load_with_placeholders(source),
        _ => None,
    }
}

/// jupytext reads the front matter with `next(yaml.safe_load_all(source))`: the first document
/// of the cell's text, whatever follows it, with its keys as PyYAML has them (`1:` and `true:`
/// stay a number and a boolean, and are written back so).
const FRONT_MATTER_YAML: yaml_read::LoadOptions = yaml_read::LoadOptions {
    first_document: true,
    mark_non_string_keys: true,
};

/// YAML dates in a front-matter raw cell.
///
/// PyYAML reads `date: 2024-01-01` as a date and writes it back as a timestamp, so jupytext's
/// header shows it as a plain scalar again (or, for a date with a time inside a flow list, as
/// `!!timestamp '2024-01-01 10:00:00'`: the `:` forbids a plain scalar there). Our YAML reader has
/// no date value (notebook metadata is JSON), so when a front matter fails to load only because
/// of dates, each date written as a plain value is swapped for a quoted placeholder, the text is
/// loaded again, each placeholder becomes a plain string laid out exactly like what PyYAML writes
/// for the date (same length, spaces at the same places, characters from a private-use plane),
/// and after the dump the placeholders are replaced by the dates' text.
///
/// Dates used as keys of nested mappings work the same way. If a placeholder ends up anywhere
/// but as a whole string value or key (inside a block scalar...), a date is a top-level key
/// (jupytext fails on it) or a date-time key inside a flow mapping, or a date is not a valid
/// calendar date (PyYAML fails), the cell stays a raw cell.
pub(crate) mod dates {
    use super::yaml_read;
    use crate::notebook::Json;
    use crate::notebook::Map;

    /// First code point of the placeholder range (Supplementary Private Use Area-A).
    pub(crate) const FIRST: u32 = 0xF0000;
    /// Placeholders available (one per date).
    const COUNT: u32 = 0xFFFE;

    fn is_placeholder_char(c: char) -> bool {
        (FIRST..FIRST + COUNT).contains(&(c as u32))
    }

    /// The front matter with its dates as placeholders, and the (placeholder run, text) pairs to
    /// substitute, in order, in the dumped header.
    pub fn load_with_placeholders(text: &str) -> Option<(Map, Vec<(String, String)>)> {
        if text.chars().any(is_placeholder_char) {
            return None;
        }
        let (rewritten, dates) = quote_dates(text)?;
        if dates.is_empty() {
            return None;
        }
        let Ok(Json::Object(mut map)) = yaml_read::load_with(&rewritten, super::FRONT_MATTER_YAML)
        else {
            return None;
        };
        let mut runs = Vec::new();
        if map.keys().any(|k| k.chars().any(is_placeholder_char)) {
            return None;
        }
        for value in map.values_mut() {
            if !place(value, false, &dates, &mut runs) {
                return None;
            }
        }
        Some((map, runs))
    }

    /// Give each placeholder its final form for where the emitter will write it (`flow`: inside
    /// a flow collection). False if a placeholder is not a whole string value.
    fn place(
        value: &mut Json,
        flow: bool,
        dates: &[String],
        runs: &mut Vec<(String, String)>,
    ) -> bool {
        match value {
            Json::Str(s) => {
                let Some(first) = s.chars().next().filter(|c| is_placeholder_char(*c)) else {
                    return !s.chars().any(is_placeholder_char);
                };
                let index = (first as u32 - FIRST) as usize;
                let Some(text) = dates.get(index) else {
                    return false;
                };
                if s.chars().count() != 1 {
                    return false;
                }
                // A date with a time holds `:`, which keeps it out of plain style in a flow
                // collection: PyYAML then writes it quoted with its tag.
                let shown = if flow && text.contains(':') {
                    format!("!!timestamp '{text}'")
                } else {
                    text.clone()
                };
                let (head, tail) = match shown.rsplit_once(' ') {
                    Some((head, tail)) if text.contains(' ') => {
                        (head.to_string(), Some(tail.to_string()))
                    }
                    _ => (shown, None),
                };
                // The tag's own space must not be a folding point: only the date's space is.
                let head_run: String = std::iter::repeat_n(first, head.chars().count()).collect();
                let mut placeholder = head_run.clone();
                runs.push((head_run, head));
                if let Some(tail) = tail {
                    let tail_run: String =
                        std::iter::repeat_n(first, tail.chars().count()).collect();
                    placeholder.push(' ');
                    placeholder.push_str(&tail_run);
                    runs.push((tail_run, tail));
                }
                *s = placeholder;
                true
            }
            Json::Array(items) => {
                let flow = flow || !items.iter().any(|i| matches!(i, Json::Object(_)));
                items.iter_mut().all(|i| place(i, flow, dates, runs))
            }
            Json::Object(map) => {
                let mut placed = Map::with_capacity(map.len());
                for (key, mut value) in std::mem::take(map) {
                    let key = if key.chars().any(is_placeholder_char) {
                        let mut key = Json::Str(key);
                        // PyYAML writes a date-time key of a flow mapping with an explicit
                        // tag in a `? ` entry; that layout is not reproduced.
                        let date_time = matches!(&key, Json::Str(k) if k.chars().count() == 1
                            && placeholder_text(k, dates).is_some_and(|t| t.contains(':')));
                        if (flow && date_time) || !place(&mut key, false, dates, runs) {
                            return false;
                        }
                        let Json::Str(key) = key else {
                            return false;
                        };
                        key
                    } else {
                        key
                    };
                    if !place(&mut value, flow, dates, runs) {
                        return false;
                    }
                    placed.insert(key, value);
                }
                *map = placed;
                true
            }
            _ => true,
        }
    }

    fn placeholder_text<'a>(s: &str, dates: &'a [String]) -> Option<&'a String> {
        let first = s.chars().next()?;
        dates.get((first as u32).checked_sub(FIRST)? as usize)
    }

    /// The text with each plain date (a value or a key) replaced by a one-character quoted
    /// placeholder, and the dates as PyYAML writes them; `None` if a date is not a valid
    /// calendar date. Block scalars (`|`, `>`) are left alone.
    pub(crate) fn quote_dates(text: &str) -> Option<(String, Vec<String>)> {
        let mut out = String::with_capacity(text.len() + 16);
        let mut dates: Vec<String> = Vec::new();
        let mut key_dates: Vec<(String, u32)> = Vec::new();
        let mut depth: usize = 0;
        let mut block_scalar_indent: Option<usize> = None;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let bytes = body.as_bytes();
            let indent = bytes.iter().take_while(|b| **b == b' ').count();
            if let Some(parent) = block_scalar_indent {
                if indent > parent || body.trim_matches([' ', '\t']).is_empty() {
                    out.push_str(line);
                    continue;
                }
                block_scalar_indent = None;
            }
            let mut copied = 0;
            let mut i = 0;
            // Line start: after the indentation and any `- ` sequence indicators.
            let mut at_value = true;
            while i < bytes.len() {
                let b = bytes[i];
                if at_value && b != b' ' && b != b'\t' {
                    if b == b'-' && bytes.get(i + 1).is_none_or(|n| *n == b' ') {
                        i += 1;
                        continue;
                    }
                    at_value = false;
                    if depth == 0 && (b == b'|' || b == b'>') {
                        block_scalar_indent = Some(indent);
                        break;
                    }
                    let value = date_end(body, i, depth > 0).map(|end| (end, false));
                    if let Some((end, is_key)) =
                        value.or_else(|| key_end(body, i).map(|e| (e, true)))
                    {
                        let printed = python_text(&body[i..end])??;
                        // Equal date keys are one key, as for PyYAML: they share a placeholder.
                        let known = is_key
                            .then(|| {
                                key_dates
                                    .iter()
                                    .find(|(t, _)| *t == printed)
                                    .map(|(_, n)| *n)
                            })
                            .flatten();
                        let index = match known {
                            Some(index) => index,
                            None => {
                                let index =
                                    u32::try_from(dates.len()).ok().filter(|n| *n < COUNT)?;
                                if is_key {
                                    key_dates.push((printed.clone(), index));
                                }
                                dates.push(printed);
                                index
                            }
                        };
                        out.push_str(&body[copied..i]);
                        out.push('\'');
                        out.push(char::from_u32(FIRST + index)?);
                        out.push('\'');
                        copied = end;
                        i = end;
                        continue;
                    }
                }
                match b {
                    b'[' | b'{' => {
                        depth += 1;
                        at_value = true;
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    b',' if depth > 0 => at_value = true,
                    b':' if bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') => {
                        at_value = true;
                    }
                    _ => {}
                }
                i += 1;
            }
            out.push_str(&body[copied..]);
            out.push_str(&line[body.len()..]);
        }
        Some((out, dates))
    }

    /// Where a date used as a mapping key starting at `start` ends (before its `:`).
    fn key_end(line: &str, start: usize) -> Option<usize> {
        let rest = &line[start..];
        let bytes = rest.as_bytes();
        let colon = (0..bytes.len()).find(|&i| {
            bytes[i] == b':' && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t')
        })?;
        let scalar = rest[..colon].trim_end_matches([' ', '\t']);
        python_text(scalar).map(|_| start + scalar.len())
    }

    /// Where a plain date starting at `start` ends, if the scalar there is a date.
    fn date_end(line: &str, start: usize, in_flow: bool) -> Option<usize> {
        let rest = &line[start..];
        if !rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            let stop = match c {
                ',' | ']' | '}' => in_flow,
                '#' => rest[..i].ends_with([' ', '\t']),
                _ => false,
            };
            if stop {
                end = i;
                break;
            }
        }
        let scalar = rest[..end].trim_end_matches([' ', '\t']);
        python_text(scalar).map(|_| start + scalar.len())
    }

    /// For a plain scalar PyYAML resolves as a timestamp: `Some(Some(text))` with the text
    /// PyYAML writes for the value, `Some(None)` when it is no valid date (PyYAML fails).
    /// `None` when the scalar is not a timestamp.
    pub fn python_text(scalar: &str) -> Option<Option<String>> {
        let b = scalar.as_bytes();
        let digits = |from: usize, min: usize, max: usize| -> Option<(u32, usize)> {
            let n = b[from.min(b.len())..]
                .iter()
                .take(max)
                .take_while(|c| c.is_ascii_digit())
                .count();
            if n < min {
                return None;
            }
            let value = scalar[from..from + n].parse().ok()?;
            Some((value, from + n))
        };
        let (year, i) = digits(0, 4, 4)?;
        if b.get(i) != Some(&b'-') {
            return None;
        }
        let (month, j) = digits(i + 1, 1, 2)?;
        if b.get(j) != Some(&b'-') {
            return None;
        }
        let (day, k) = digits(j + 1, 1, 2)?;
        if k == b.len() {
            // The date-only form needs two-digit month and day.
            if j - i - 1 != 2 || k - j - 1 != 2 {
                return None;
            }
            return Some(
                valid_date(year, month, day).then(|| format!("{year:04}-{month:02}-{day:02}")),
            );
        }
        let mut p = k;
        match b.get(p) {
            Some(b'T' | b't') => p += 1,
            Some(b' ' | b'\t') => {
                while matches!(b.get(p), Some(b' ' | b'\t')) {
                    p += 1;
                }
            }
            _ => return None,
        }
        let (hour, p) = digits(p, 1, 2)?;
        if b.get(p) != Some(&b':') {
            return None;
        }
        let (minute, p) = digits(p + 1, 2, 2)?;
        if b.get(p) != Some(&b':') {
            return None;
        }
        let (second, mut p) = digits(p + 1, 2, 2)?;
        let mut micro = 0;
        if b.get(p) == Some(&b'.') {
            let n = b[p + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let fraction: String = scalar[p + 1..p + 1 + n].chars().take(6).collect();
            micro = format!("{fraction:0<6}").parse().unwrap_or(0);
            p += 1 + n;
        }
        let mut offset: Option<i64> = None;
        if p < b.len() {
            while matches!(b.get(p), Some(b' ' | b'\t')) {
                p += 1;
            }
            match b.get(p) {
                Some(b'Z') => {
                    offset = Some(0);
                    p += 1;
                }
                Some(sign @ (b'+' | b'-')) => {
                    let negative = *sign == b'-';
                    let (tz_hour, q) = digits(p + 1, 1, 2)?;
                    let (tz_minute, q) = if b.get(q) == Some(&b':') {
                        digits(q + 1, 2, 2)?
                    } else {
                        (0, q)
                    };
                    let minutes = i64::from(tz_hour) * 60 + i64::from(tz_minute);
                    offset = Some(if negative { -minutes } else { minutes });
                    p = q;
                }
                _ => return None,
            }
            if p != b.len() {
                return None;
            }
        }
        let valid = valid_date(year, month, day)
            && hour < 24
            && minute < 60
            && second < 60
            && offset.is_none_or(|m| m.abs() < 24 * 60);
        if !valid {
            return Some(None);
        }
        let mut text = format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
        if micro != 0 {
            text.push_str(&format!(".{micro:06}"));
        }
        if let Some(minutes) = offset {
            let sign = if minutes < 0 { '-' } else { '+' };
            let minutes = minutes.abs();
            text.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
        }
        Some(Some(text))
    }

    fn valid_date(year: u32, month: u32, day: u32) -> bool {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        year >= 1 && (1..=days).contains(&day)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn python_texts() {
            let t = |s: &str| python_text(s);
            assert_eq!(t("2024-01-01"), Some(Some("2024-01-01".into())));
            assert_eq!(t("2024-1-1"), None);
            assert_eq!(t("2024-02-30"), Some(None));
            assert_eq!(
                t("2024-1-1 1:02:03"),
                Some(Some("2024-01-01 01:02:03".into()))
            );
            assert_eq!(
                t("2024-01-01t10:00:00.5Z"),
                Some(Some("2024-01-01 10:00:00.500000+00:00".into()))
            );
            assert_eq!(
                t("2024-01-01 10:00:00 -5"),
                Some(Some("2024-01-01 10:00:00-05:00".into()))
            );
            assert_eq!(
                t("2024-01-01 10:00:00.0000001"),
                Some(Some("2024-01-01 10:00:00".into()))
            );
            assert_eq!(t("2024-01-01x"), None);
        }
    }
}

/// jupytext's `recursive_update(front_matter, header, overwrite=False)`: keys of the header are
/// added after the front matter's; a scalar already in the front matter wins; mappings merge;
/// a `null` in the header deletes the key.
fn merge_without_overwriting(target: &mut Map, update: Map, path: &str) -> Result<(), WriteError> {
    for (key, value) in update {
        let key_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match value {
            Json::Null => {
                if target.shift_remove(&key).is_none() {
                    return Err(WriteError::FrontMatterNull { key: key_path });
                }
            }
            Json::Object(inner) => match target.get_mut(&key) {
                None => {
                    let mut fresh = Map::new();
                    merge_without_overwriting(&mut fresh, inner, &key_path)?;
                    target.insert(key, Json::Object(fresh));
                }
                Some(Json::Object(existing)) => {
                    merge_without_overwriting(existing, inner, &key_path)?;
                }
                // An empty mapping merges into anything without looking at it.
                Some(_) if inner.is_empty() => {}
                Some(_) => return Err(WriteError::FrontMatterConflict { key: key_path }),
            },
            other => {
                target.entry(key).or_insert(other);
            }
        }
    }
    Ok(())
}

/// Replace `jupytext.text_representation` (keeping its place) with this format's stamp (§2.1).
fn insert_text_representation(metadata: &mut Map) {
    let stamp: Map = [
        ("extension", Json::Str(".md".into())),
        ("format_name", Json::Str("myst".into())),
        ("format_version", Json::Float(MYST_FORMAT_VERSION)),
        ("jupytext_version", Json::Str(JUPYTEXT_VERSION.into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    // A `jupytext` entry that is not a mapping makes jupytext fail; it is left as it is.
    if let Json::Object(jupytext) = metadata
        .entry("jupytext".to_string())
        .or_insert_with(|| Json::Object(Map::new()))
    {
        jupytext.insert("text_representation".to_string(), Json::Object(stamp));
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering (§2.3, §3-§6)

fn render(
    header: &Map,
    dates: &[(String, String)],
    cells: &[(CellType, &str, Map)],
    lexer: Option<&str>,
) -> String {
    let capacity = cells.iter().map(|c| c.1.len() + 32).sum::<usize>() + 256;
    let mut out = String::with_capacity(capacity);
    if !header.is_empty() {
        out.push_str("---\n");
        let yaml = dump_mapping(header, Dumper::Compact);
        // Placeholders come in the order they are written; each is replaced once.
        let mut cursor = 0;
        for (placeholder, text) in dates {
            if let Some(at) = yaml[cursor..].find(placeholder.as_str()) {
                out.push_str(&yaml[cursor..cursor + at]);
                out.push_str(text);
                cursor += at + placeholder.len();
            }
        }
        out.push_str(&yaml[cursor..]);
        out.push_str("---\n");
    }
    let mut last_markdown = false;
    for (cell_type, source, metadata) in cells {
        match cell_type {
            CellType::Markdown => {
                if !metadata.is_empty() {
                    out.push_str("\n+++ ");
                    // Python's `json.dumps` with its defaults (`ensure_ascii` on, keys in order).
                    out.push_str(&map_to_python_json_compact(metadata, true, false));
                    out.push('\n');
                } else if last_markdown {
                    out.push_str("\n+++\n");
                }
                out.push('\n');
                out.push_str(source);
                if !source.ends_with('\n') {
                    out.push('\n');
                }
                last_markdown = true;
            }
            CellType::Code | CellType::Raw => {
                let fence = fence_for(source);
                out.push('\n');
                out.push_str(&fence);
                if *cell_type == CellType::Code {
                    out.push_str("{code-cell}");
                    if let Some(lexer) = lexer {
                        out.push(' ');
                        out.push_str(lexer);
                    }
                } else {
                    out.push_str("{raw-cell}");
                }
                out.push('\n');
                if !metadata.is_empty() {
                    push_options(&mut out, metadata);
                } else if source.starts_with("---") || source.starts_with(':') {
                    out.push('\n');
                }
                out.push_str(source);
                if !source.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&fence);
                out.push('\n');
                last_markdown = false;
            }
        }
    }
    if header.is_empty() {
        if out.is_empty() {
            return out;
        }
        // Every cell starts with a line break; without a header the text does not.
        out.remove(0);
    }
    let kept = out.trim_end_matches(is_py_whitespace).len();
    out.truncate(kept);
    out.push('\n');
    out
}

/// The code/raw cell options (§4.4): `:key: value` lines and an empty line when every line of
/// the YAML dump starts with a letter, else a `---` block.
fn push_options(out: &mut String, metadata: &Map) {
    let dump = dump_mapping(metadata, Dumper::Compact);
    let compact = splitlines(&dump).all(|line| line.chars().next().is_some_and(py_isalpha));
    if compact {
        for (i, line) in splitlines(&dump).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push(':');
            out.push_str(line);
        }
        out.push_str("\n\n");
    } else {
        out.push_str("---\n");
        out.push_str(&dump);
        out.push_str("---\n");
    }
}

/// Three backticks, or one more than the longest run of backticks opening a line (§4.3).
fn fence_for(source: &str) -> String {
    let longest = splitlines(source)
        .map(|line| line.bytes().take_while(|&b| b == b'`').count())
        .filter(|&run| run >= 3)
        .max();
    "`".repeat(longest.map_or(3, |run| run + 1))
}

// ---------------------------------------------------------------------------------------------
// Notebook metadata preparation (§1.2)

/// jupytext's `rearrange_jupytext_metadata`: legacy top-level keys move under `jupytext`,
/// `metadata_filter` becomes `notebook_metadata_filter` / `cell_metadata_filter`, dictionary
/// filters become strings, and `formats` is re-spelled in its short canonical form.
///
/// Values jupytext would fail on (a `jupytext` entry that is not a mapping, a `formats` it cannot
/// parse) are left as they are.
pub fn rearrange_jupytext_metadata(metadata: &mut Map) {
    for (old, new) in [
        ("nbrmd_formats", "jupytext_formats"),
        ("nbrmd_format_version", "jupytext_format_version"),
    ] {
        if let Some(value) = metadata.shift_remove(old) {
            metadata.insert(new.to_string(), value);
        }
    }
    let mut jupytext = match metadata.get("jupytext") {
        None => Map::new(),
        Some(Json::Object(map)) => map.clone(),
        Some(_) => return,
    };
    if let Some(formats) = metadata.shift_remove("jupytext_formats") {
        jupytext.insert("formats".to_string(), formats);
    }
    if let Some(version) = metadata.shift_remove("jupytext_format_version") {
        let stamp: Map = [("format_version".to_string(), version)]
            .into_iter()
            .collect();
        jupytext.insert("text_representation".to_string(), Json::Object(stamp));
    }
    for key in ["main_language", "encoding", "executable"] {
        if let Some(value) = metadata.shift_remove(key) {
            jupytext.insert(key.to_string(), value);
        }
    }
    if let Some(Json::Object(filters)) = jupytext.shift_remove("metadata_filter") {
        if let Some(filter) = filters.get("notebook") {
            jupytext.insert("notebook_metadata_filter".to_string(), filter.clone());
        }
        if let Some(filter) = filters.get("cells") {
            jupytext.insert("cell_metadata_filter".to_string(), filter.clone());
        }
    }
    for level in ["notebook_metadata_filter", "cell_metadata_filter"] {
        if let Some(value @ Json::Object(_)) = jupytext.get(level) {
            if let Some(filter) = MetadataFilter::from_json(value) {
                jupytext.insert(level.to_string(), Json::Str(filter.to_filter_string()));
            }
        }
    }
    let legacy = jupytext
        .get("text_representation")
        .and_then(as_object)
        .and_then(|t| t.get("jupytext_version"))
        .is_some_and(|v| matches!(v, Json::Str(s) if s.starts_with("0.")));
    if legacy {
        if let Some(Json::Str(formats)) = jupytext.get("formats") {
            let dotted: Vec<String> = formats
                .split(',')
                .map(|f| match f.rfind('.') {
                    Some(i) if i > 0 => format!(".{f}"),
                    _ => f.to_string(),
                })
                .collect();
            jupytext.insert("formats".to_string(), Json::Str(dotted.join(",")));
        }
    }
    if let Some(formats) = jupytext.get("formats").filter(|f| f.is_truthy()) {
        if let Some(list) = formats::parse_list(formats, Some(metadata)) {
            jupytext.insert("formats".to_string(), Json::Str(formats::short_list(&list)));
        }
    }
    if !jupytext.is_empty() {
        metadata.insert("jupytext".to_string(), Json::Object(jupytext));
    }
}

/// The `formats` entry for `.md` without prefix or suffix is this file: it gets the format name
/// `myst` (jupytext's `update_jupytext_formats_metadata`).
fn mark_formats_myst(metadata: &mut Map) {
    let Some(Json::Object(jupytext)) = metadata.get_mut("jupytext") else {
        return;
    };
    let Some(formats) = jupytext.get("formats") else {
        return;
    };
    let Some(mut list) = formats::parse_list(formats, None) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    if let Some(entry) = list
        .iter_mut()
        .find(|f| f.extension == ".md" && f.prefix.is_none() && f.suffix.is_none())
    {
        entry.format_name = Some("myst".to_string());
    }
    jupytext.insert("formats".to_string(), Json::Str(formats::short_list(&list)));
}

/// The command line drops `jupytext.formats` when the destination path matches none of the
/// formats (§1.2). Formats it cannot parse are kept (jupytext fails on them).
fn drop_unmatched_formats(metadata: &mut Map, destination: &str) {
    let Some(Json::Object(jupytext)) = metadata.get_mut("jupytext") else {
        return;
    };
    let Some(formats) = jupytext.get("formats") else {
        return;
    };
    if !formats.is_truthy() {
        return;
    }
    let Some(list) = formats::parse_list(formats, None) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    if !list.iter().any(|f| formats::path_matches(destination, f)) {
        jupytext.shift_remove("formats");
    }
}

/// jupytext's format strings (`[prefix/][suffix].ext[:format_name]`), as far as the header
/// needs them.
mod formats {
    use super::as_object;
    use crate::notebook::{Json, Map};

    /// The extensions jupytext accepts in a format.
    const NOTEBOOK_EXTENSIONS: [&str; 49] = [
        ".ipynb",
        ".md",
        ".markdown",
        ".Rmd",
        ".py",
        ".coco",
        ".R",
        ".r",
        ".jl",
        ".cpp",
        ".ss",
        ".clj",
        ".scm",
        ".sh",
        ".ps1",
        ".q",
        ".m",
        ".wolfram",
        ".pro",
        ".js",
        ".ts",
        ".scala",
        ".rs",
        ".robot",
        ".resource",
        ".cs",
        ".fsx",
        ".fs",
        ".sos",
        ".java",
        ".groovy",
        ".sage",
        ".ml",
        ".hs",
        ".tcl",
        ".mac",
        ".gp",
        ".do",
        ".sas",
        ".jenner",
        ".xsh",
        ".lgt",
        ".logtalk",
        ".lua",
        ".go",
        ".qmd",
        ".myst",
        ".mystnb",
        ".mnb",
    ];

    /// The format names jupytext knows.
    const FORMAT_NAMES: [&str; 12] = [
        "hydrogen",
        "light",
        "marimo",
        "markdown",
        "myst",
        "nomarker",
        "pandoc",
        "percent",
        "quarto",
        "rmarkdown",
        "sphinx",
        "spin",
    ];

    /// Script extensions and their languages, in jupytext's order (for `auto`).
    const SCRIPT_LANGUAGES: [(&str, &str); 41] = [
        (".py", "python"),
        (".coco", "coconut"),
        (".R", "R"),
        (".r", "R"),
        (".jl", "julia"),
        (".cpp", "c++"),
        (".ss", "scheme"),
        (".clj", "clojure"),
        (".scm", "scheme"),
        (".sh", "bash"),
        (".ps1", "powershell"),
        (".q", "q"),
        (".m", "matlab"),
        (".wolfram", "wolfram language"),
        (".pro", "idl"),
        (".js", "javascript"),
        (".ts", "typescript"),
        (".scala", "scala"),
        (".rs", "rust"),
        (".robot", "robotframework"),
        (".resource", "robotframework"),
        (".cs", "csharp"),
        (".fsx", "fsharp"),
        (".fs", "fsharp"),
        (".sos", "sos"),
        (".java", "java"),
        (".groovy", "groovy"),
        (".sage", "sage"),
        (".ml", "ocaml"),
        (".hs", "haskell"),
        (".tcl", "tcl"),
        (".mac", "maxima"),
        (".gp", "gnuplot"),
        (".do", "stata"),
        (".sas", "sas"),
        (".jenner", "jenner"),
        (".xsh", "xonsh"),
        (".lgt", "logtalk"),
        (".logtalk", "logtalk"),
        (".lua", "lua"),
        (".go", "go"),
    ];

    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Format {
        pub prefix: Option<String>,
        pub suffix: Option<String>,
        pub extension: String,
        pub format_name: Option<String>,
    }

    /// A `formats` value (a comma-separated string, or a list of strings) in long form; `None`
    /// when jupytext would refuse it. With `metadata`, `auto` becomes the script extension.
    pub fn parse_list(value: &Json, metadata: Option<&Map>) -> Option<Vec<Format>> {
        match value {
            Json::Str(text) => text
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| parse_one(f, metadata))
                .collect(),
            Json::Array(items) => items
                .iter()
                .map(|item| match item {
                    Json::Str(f) if !f.is_empty() => parse_one(f, metadata),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn parse_one(text: &str, metadata: Option<&Map>) -> Option<Format> {
        let lower = text.to_lowercase();
        let mut text = match lower.as_str() {
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
        let mut format = Format {
            prefix: None,
            suffix: None,
            extension: String::new(),
            format_name: None,
        };
        if let Some(i) = text.rfind('/').filter(|&i| i > 0) {
            format.prefix = Some(text[..i].to_string());
            text = &text[i + 1..];
        }
        let mut ext = if let Some(i) = text.rfind(':') {
            let name = &text[i + 1..];
            format.format_name = Some(if name == "bare" { "nomarker" } else { name }.to_string());
            text[..i].to_string()
        } else if text.is_empty()
            || text.contains('.')
            || text == "auto"
            || NOTEBOOK_EXTENSIONS.contains(&format!(".{text}").as_str())
        {
            text.to_string()
        } else if FORMAT_NAMES.contains(&text) {
            format.format_name = Some(text.to_string());
            String::new()
        } else {
            return None;
        };
        if ext.rfind('.').is_some_and(|i| i > 0) {
            let (stem, extension) = splitext(&ext);
            format.suffix = Some(stem.to_string());
            ext = extension.to_string();
        }
        if !ext.starts_with('.') {
            ext.insert(0, '.');
        }
        if ext == ".auto" {
            if let Some(metadata) = metadata {
                ext = auto_extension(metadata)?;
            }
        }
        if let Some(name) = &format.format_name {
            if !FORMAT_NAMES.contains(&name.as_str()) {
                return None;
            }
        }
        if ext != ".auto" && !NOTEBOOK_EXTENSIONS.contains(&ext.as_str()) {
            return None;
        }
        format.extension = ext;
        Some(format)
    }

    /// Python's `os.path.splitext` for a name without separators.
    fn splitext(name: &str) -> (&str, &str) {
        match name.rfind('.') {
            Some(dot) if name[..dot].bytes().any(|b| b != b'.') => (&name[..dot], &name[dot..]),
            _ => (name, ""),
        }
    }

    /// The script extension `auto` stands for, from the notebook metadata.
    fn auto_extension(metadata: &Map) -> Option<String> {
        let get = |outer: &str, inner: &str| {
            metadata
                .get(outer)
                .and_then(as_object)
                .and_then(|m| m.get(inner))
        };
        let mut ext = match get("language_info", "file_extension") {
            None | Some(Json::Null) => None,
            Some(Json::Str(ext)) => Some(ext.clone()),
            Some(_) => return None,
        };
        let kernel_language = get("kernelspec", "language");
        if ext.as_deref() == Some(".py")
            && matches!(kernel_language, Some(Json::Str(l)) if l == "sage")
        {
            ext = Some(".sage".to_string());
        }
        if ext.is_none() {
            let language = kernel_language
                .filter(|l| l.is_truthy())
                .or_else(|| get("jupytext", "main_language").filter(|l| l.is_truthy()));
            if let Some(Json::Str(language)) = language {
                let usual = usual_language_name(language);
                ext = SCRIPT_LANGUAGES
                    .iter()
                    .find(|(_, lang)| usual_language_name(lang) == usual)
                    .map(|(ext, _)| ext.to_string());
            }
        }
        let ext = ext.filter(|e| !e.is_empty())?;
        Some(
            match ext.as_str() {
                ".r" => ".R",
                ".fs" => ".fsx",
                ".resource" => ".robot",
                ".C" => ".cpp",
                other => other,
            }
            .to_string(),
        )
    }

    fn usual_language_name(language: &str) -> String {
        let lower = language.to_lowercase();
        match lower.as_str() {
            "r" => "R".to_string(),
            l if l.starts_with("c++") => "c++".to_string(),
            "octave" => "matlab".to_string(),
            "cs" | "c#" => "csharp".to_string(),
            "fs" | "f#" => "fsharp".to_string(),
            "sas" => "SAS".to_string(),
            _ => lower,
        }
    }

    /// The short form: `[prefix/][suffix]ext[:name]`, the name omitted for `.md`, `.markdown`
    /// and `.Rmd` unless it is `myst` or `pandoc`.
    fn short_one(format: &Format) -> String {
        let mut out = String::new();
        if let Some(prefix) = &format.prefix {
            out.push_str(prefix);
            out.push('/');
        }
        match &format.suffix {
            Some(suffix) => {
                out.push_str(suffix);
                out.push_str(&format.extension);
            }
            None => out.push_str(
                format
                    .extension
                    .strip_prefix('.')
                    .unwrap_or(&format.extension),
            ),
        }
        if let Some(name) = format.format_name.as_deref().filter(|n| !n.is_empty()) {
            let silent_ext = matches!(format.extension.as_str(), ".md" | ".markdown" | ".Rmd");
            if !silent_ext || name == "pandoc" || name == "myst" {
                out.push(':');
                out.push_str(name);
            }
        }
        out
    }

    pub fn short_list(formats: &[Format]) -> String {
        formats.iter().map(short_one).collect::<Vec<_>>().join(",")
    }

    /// Whether `path` can be the file of `format` (jupytext's `base_path` succeeds), the path
    /// taken as given (no configuration-relative adjustment).
    pub fn path_matches(path: &str, format: &Format) -> bool {
        let (mut base, ext) = split_path_ext(path);
        if ext != format.extension {
            return false;
        }
        if let Some(suffix) = format.suffix.as_deref().filter(|s| !s.is_empty()) {
            match base.strip_suffix(suffix) {
                Some(rest) => base = rest,
                None => return false,
            }
        }
        let Some(prefix) = format.prefix.as_deref().filter(|p| !p.is_empty()) else {
            return true;
        };
        let (root, prefix) = match prefix.rfind("//") {
            Some(i) => (&prefix[..i], &prefix[i + 2..]),
            None => ("", prefix),
        };
        let (prefix_dir, prefix_file) = rsplit(prefix, '/');
        let (notebook_dir, notebook_file) = rsplit(base, '/');
        if !prefix_file.is_empty() && !notebook_file.starts_with(prefix_file) {
            return false;
        }
        let mut dir = notebook_dir.to_string();
        let mut parent_prefix = prefix_dir;
        let mut climbed: Vec<String> = Vec::new();
        while !parent_prefix.is_empty() {
            let (rest, expected) = rsplit(parent_prefix, '/');
            parent_prefix = rest;
            if expected == ".." {
                let Some(folder) = climbed.pop() else {
                    return false;
                };
                dir = if dir.is_empty() {
                    folder
                } else {
                    format!("{dir}/{folder}")
                };
            } else {
                let (rest, folder) = rsplit(&dir, '/');
                if folder != expected {
                    return false;
                }
                let (rest, folder) = (rest.to_string(), folder.to_string());
                climbed.push(folder);
                dir = rest;
            }
        }
        root.is_empty() || format!("/{dir}/").contains(&format!("/{root}/"))
    }

    fn rsplit(text: &str, sep: char) -> (&str, &str) {
        match text.rfind(sep) {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => ("", text),
        }
    }

    /// Python's `os.path.splitext` on a `/`-separated path.
    fn split_path_ext(path: &str) -> (&str, &str) {
        let name_start = path.rfind('/').map_or(0, |i| i + 1);
        let (_, ext) = splitext(&path[name_start..]);
        (&path[..path.len() - ext.len()], ext)
    }
}

// ---------------------------------------------------------------------------------------------
// Python string semantics

/// Python's `str.isalpha()` for one character (letters; close enough outside ASCII, where only
/// quoted or indented YAML lines could start anyway).
fn py_isalpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic()
    }
}

fn as_object(value: &Json) -> Option<&Map> {
    match value {
        Json::Object(map) => Some(map),
        _ => None,
    }
}

/// Python's `str()` of a lexer value (normally a string; a list or mapping, which no kernel
/// writes, comes out as JSON rather than Python's `repr`).
fn python_str(value: &Json) -> String {
    match value {
        Json::Str(s) => s.clone(),
        Json::Int(digits) => digits.clone(),
        Json::Bool(true) => "True".to_string(),
        Json::Bool(false) => "False".to_string(),
        Json::Null => "None".to_string(),
        Json::Float(f) => python_float_repr(*f),
        other => to_python_json_compact(other, false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::formats::{parse_list, path_matches, short_list};
    use super::*;

    fn one(text: &str) -> formats::Format {
        parse_list(&Json::Str(text.to_string()), None)
            .and_then(|mut list| list.pop())
            .expect("a valid format")
    }

    /// Paths checked with jupytext's `base_path` (the examples of `spec/sync.md` §2).
    #[test]
    fn destination_matching() {
        assert!(path_matches("nb.md", &one("md:myst")));
        assert!(path_matches("dir/nb.md", &one("md:myst")));
        assert!(!path_matches("nb.md", &one("py:percent")));
        assert!(path_matches("md/nb.md", &one("md//md:myst")));
        assert!(!path_matches("nb.md", &one("md//md:myst")));
        assert!(path_matches("mdnb.md", &one("md/md:myst")));
        assert!(!path_matches("md/nb.md", &one("md/md:myst")));
        assert!(path_matches("md/pre_nb.md", &one("md/pre_/md:myst")));
        assert!(path_matches("nb_md.md", &one("_md.md:myst")));
        assert!(!path_matches("nb.md", &one("_md.md:myst")));
        assert!(path_matches(
            "proj/scripts/sub/nb.md",
            &one("scripts///md:myst")
        ));
        assert!(!path_matches("nb.md", &one("scripts///md:myst")));
        assert!(path_matches("scripts/nb.md", &one("scripts//md:myst")));
        assert!(!path_matches(
            "proj/scripts/sub/nb.md",
            &one("scripts//md:myst")
        ));
        assert!(!path_matches("a/../mdnb.md", &one("../md/md:myst")));
    }

    #[test]
    fn short_forms() {
        let canonical =
            |text: &str| short_list(&parse_list(&Json::Str(text.into()), None).unwrap());
        assert_eq!(canonical("ipynb,myst"), "ipynb,md:myst");
        assert_eq!(canonical(".ipynb,.md:myst"), "ipynb,md:myst");
        assert_eq!(canonical("md:markdown"), "md");
        assert_eq!(
            canonical("ipynb,md:pandoc,py:percent"),
            "ipynb,md:pandoc,py:percent"
        );
        assert_eq!(
            canonical("notebooks///ipynb,scripts///md:myst"),
            "notebooks///ipynb,scripts///md:myst"
        );
        assert_eq!(canonical("ipynb,_md.md:myst,,"), "ipynb,_md.md:myst");
        assert!(parse_list(&Json::Str("ipynb,foo".into()), None).is_none());
        assert!(parse_list(&Json::Str("ipynb,md:nope".into()), None).is_none());
    }

    #[test]
    fn fences() {
        assert_eq!(fence_for("x"), "```");
        assert_eq!(fence_for("```\nx\n```"), "````");
        assert_eq!(fence_for("````python\n`````\n```"), "``````");
        assert_eq!(fence_for("  ```\nx"), "```");
        assert_eq!(fence_for("a\u{2028}````"), "`````");
    }

    #[test]
    fn old_nbformat_is_refused() {
        let nb = Notebook {
            nbformat: 3,
            nbformat_minor: 0,
            metadata: Map::new(),
            cells: Vec::new(),
            extra: Map::new(),
        };
        assert!(matches!(
            write(&nb, &WriteOptions::default()),
            Err(WriteError::UnsupportedNbformat { major: 3 })
        ));
    }
}
