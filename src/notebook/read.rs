//! Reading `.ipynb` bytes into the model, as `nbformat.reads(text, as_version=4)` does, minus its
//! randomness.
//!
//! - Multi-line strings stored as lists are joined (sources; MIME bundles of outputs and
//!   attachments except JSON types; stream texts), transient fields are dropped (notebook
//!   `metadata.orig_nbformat`, `orig_nbformat_minor`, `signature`; cell `metadata.trusted`).
//! - Versions 4.0 to 4.x are kept as they are (minor included); no id is ever added, and
//!   duplicate or malformed ids stay as they are (nbformat replaces them with random ones).
//! - nbformat 3 is upgraded to 4.5 the way nbformat upgrades it, except that the cell ids are
//!   derived from each cell's index and source ([`fill_missing_ids`]), so reading the same
//!   file twice gives the same notebook.
//! - A cell or notebook without `metadata`, or a cell without `source`, is read with a warning
//!   (as empty); nbformat refuses those files.
//! - Anything that is not a notebook gets a [`ReadError`] naming the problem.

use std::collections::HashSet;

use super::json::{Json, JsonErrorKind, Map, Parser};
use super::lines::splitlines;
use super::{Cell, CellType, Notebook};

/// What to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Build the outputs of code cells. When false they are only checked for syntax and
    /// `Cell::outputs` is `None` (see [`Read::outputs_present`]); this keeps memory low when
    /// only the inputs matter (textconv).
    pub outputs: bool,
}

impl ReadOptions {
    /// Everything, outputs included.
    pub const FULL: ReadOptions = ReadOptions { outputs: true };
    /// Inputs only: outputs are checked but not kept.
    pub const WITHOUT_OUTPUTS: ReadOptions = ReadOptions { outputs: false };
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions::FULL
    }
}

/// A notebook read from bytes, with what was noticed on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub notebook: Notebook,
    pub warnings: Vec<ReadWarning>,
    /// One entry per cell: whether the cell has an `outputs` key in the file. It stays true
    /// when the outputs were skipped ([`ReadOptions::outputs`] false), where `Cell::outputs`
    /// is `None` for every code cell.
    pub outputs_present: Vec<bool>,
}

impl Read {
    /// The version the file had when it was upgraded in memory (nbformat 3), else `None`.
    pub fn upgraded_from(&self) -> Option<(u64, u64)> {
        self.warnings.iter().find_map(|w| match w {
            ReadWarning::Upgraded { major, minor } => Some((*major, *minor)),
            _ => None,
        })
    }
}

/// Something unusual that did not stop the reading. Cell indices count from 0, as nbformat
/// and jupytext print them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadWarning {
    #[error("UTF-8 byte order mark at the start of the file, skipped")]
    Bom,
    #[error("the notebook has no \"metadata\", read as empty")]
    MissingNotebookMetadata,
    #[error("no \"nbformat_minor\", read as 0")]
    MissingMinor,
    #[error("cell {cell} has no \"metadata\", read as empty")]
    MissingCellMetadata { cell: usize },
    #[error("cell {cell} has no \"source\", read as empty")]
    MissingSource { cell: usize },
    #[error("nbformat {major}.{minor} upgraded to 4.5 in memory")]
    Upgraded { major: u64, minor: u64 },
}

/// Why bytes are not a notebook we can read. Cell indices count from 0, as nbformat and
/// jupytext print them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("only whitespace, no notebook")]
    Whitespace,
    #[error("binary file (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("not UTF-8 (UTF-16 byte order mark)")]
    Utf16,
    #[error("not UTF-8 (invalid byte 0x{byte:02x} at offset {offset})")]
    InvalidUtf8 { offset: usize, byte: u8 },
    #[error("holds git conflict markers (line {line}); resolve them, or run git checkout --ours/--theirs")]
    ConflictMarkers { line: usize },
    #[error("truncated: unexpected end at line {line}")]
    Truncated { line: usize, column: usize },
    #[error("not valid JSON (line {line}, column {column}: {message})")]
    NotJson {
        line: usize,
        column: usize,
        message: &'static str,
    },
    #[error("not a notebook: top level is {found}")]
    NotAnObject { found: &'static str },
    #[error("not a notebook: no \"nbformat\": cannot tell the version")]
    NoNbformat,
    #[error("not a notebook: \"{key}\" is {found}, not a version number")]
    BadVersion { key: &'static str, found: String },
    #[error("nbformat {major} is newer than this nbmyst")]
    Newer { major: u64 },
    #[error(
        "nbformat {major} is too old: convert it with jupyter nbconvert --to notebook --nbformat 4"
    )]
    TooOld { major: u64 },
    #[error("not a notebook: no \"cells\"")]
    NoCells,
    #[error("not a notebook: nbformat 3 without \"worksheets\"")]
    NoWorksheets,
    #[error("{what} is {found}, expected {expected}")]
    WrongType {
        what: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("cell {cell} has no \"cell_type\"")]
    NoCellType { cell: usize },
    #[error("cell {cell} has unknown type {cell_type} (expected markdown, code or raw)")]
    UnknownCellType { cell: usize, cell_type: String },
}

/// Read a notebook from the bytes of an `.ipynb` file.
pub fn read(bytes: &[u8], opts: &ReadOptions) -> Result<Read, ReadError> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let doc = match parse_document(text, !opts.outputs) {
        Ok(doc) => doc,
        Err(e) => {
            if let Some(line) = conflict_marker_line(text) {
                return Err(ReadError::ConflictMarkers { line });
            }
            return Err(match e.kind {
                JsonErrorKind::UnexpectedEnd => ReadError::Truncated {
                    line: e.line,
                    column: e.column,
                },
                JsonErrorKind::Syntax(message) => ReadError::NotJson {
                    line: e.line,
                    column: e.column,
                    message,
                },
            });
        }
    };
    match doc {
        Document::NotObject(found) => Err(ReadError::NotAnObject { found }),
        Document::Object { members, cells } => build(members, cells, opts, warnings),
    }
}

/// Bytes to text: the checks that come before JSON.
fn decode<'a>(bytes: &'a [u8], warnings: &mut Vec<ReadWarning>) -> Result<&'a str, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    if bytes.contains(&0) {
        let offset = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(ReadError::Binary { offset });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            return Err(ReadError::InvalidUtf8 {
                offset,
                byte: bytes.get(offset).copied().unwrap_or(0),
            });
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            warnings.push(ReadWarning::Bom);
            rest
        }
        None => text,
    };
    if text
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
    {
        return Err(ReadError::Whitespace);
    }
    Ok(text)
}

/// The 1-based line of the first git conflict marker line (`<<<<<<< `, `|||||||`, `=======`,
/// `>>>>>>> `), if any.
pub fn conflict_marker_line(text: &str) -> Option<usize> {
    text.split('\n').position(is_conflict_marker).map(|i| i + 1)
}

fn is_conflict_marker(line: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line == "=======" {
        return true;
    }
    ["<<<<<<<", "|||||||", ">>>>>>>"].iter().any(|marker| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

// ---------------------------------------------------------------------------------------------
// JSON to raw members

/// A cell object as found in the file.
struct RawCell {
    members: Map,
    /// `outputs` was present and skipped (not built).
    outputs_skipped: bool,
}

enum RawItem {
    Cell(RawCell),
    Other(Json),
}

enum RawCells {
    Items(Vec<RawItem>),
    Other(Json),
}

enum Document {
    NotObject(&'static str),
    Object {
        /// Every top-level member except `cells`.
        members: Map,
        cells: Option<RawCells>,
    },
}

fn kind_of_first_byte(b: u8) -> &'static str {
    match b {
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}

/// Parse the whole text, walking the top level and the cells so that outputs can be skipped.
fn parse_document(text: &str, skip_outputs: bool) -> Result<Document, super::json::JsonError> {
    let mut p = Parser::new(text);
    let first = p.peek()?;
    if first != b'{' {
        p.skip_value()?;
        p.finish()?;
        return Ok(Document::NotObject(kind_of_first_byte(first)));
    }
    p.begin_object()?;
    let mut members = Map::new();
    let mut cells = None;
    let mut first_key = true;
    while let Some(key) = p.next_key(&mut first_key)? {
        if key == "cells" {
            cells = Some(parse_cells(&mut p, skip_outputs)?);
        } else {
            let value = p.parse_value()?;
            members.insert(key, value);
        }
    }
    p.finish()?;
    Ok(Document::Object { members, cells })
}

fn parse_cells(p: &mut Parser<'_>, skip_outputs: bool) -> Result<RawCells, super::json::JsonError> {
    if p.peek()? != b'[' {
        return Ok(RawCells::Other(p.parse_value()?));
    }
    p.begin_array()?;
    let mut items = Vec::new();
    let mut first = true;
    while p.next_element(&mut first)? {
        if p.peek()? != b'{' {
            items.push(RawItem::Other(p.parse_value()?));
            continue;
        }
        p.begin_object()?;
        let mut members = Map::new();
        let mut outputs_skipped = false;
        let mut first_key = true;
        while let Some(key) = p.next_key(&mut first_key)? {
            let known_not_code =
                matches!(members.get("cell_type"), Some(Json::Str(t)) if t != "code");
            if skip_outputs && key == "outputs" && !known_not_code {
                p.skip_value()?;
                members.shift_remove("outputs");
                outputs_skipped = true;
            } else if key == "source" {
                let value = match p.parse_joined_strings()? {
                    Ok(joined) => Json::Str(joined),
                    Err(value) => value,
                };
                members.insert(key, value);
            } else {
                let value = p.parse_value()?;
                if key == "outputs" {
                    outputs_skipped = false;
                }
                members.insert(key, value);
            }
        }
        items.push(RawItem::Cell(RawCell {
            members,
            outputs_skipped,
        }));
    }
    Ok(RawCells::Items(items))
}

// ---------------------------------------------------------------------------------------------
// Raw members to the model

fn version_number(members: &Map, key: &'static str) -> Result<Option<u64>, ReadError> {
    match members.get(key) {
        None => Ok(None),
        Some(Json::Int(digits)) => match digits.parse::<u64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(ReadError::BadVersion {
                key,
                found: digits.clone(),
            }),
        },
        Some(other) => Err(ReadError::BadVersion {
            key,
            found: other.kind_name().to_owned(),
        }),
    }
}

fn build(
    mut members: Map,
    cells: Option<RawCells>,
    opts: &ReadOptions,
    mut warnings: Vec<ReadWarning>,
) -> Result<Read, ReadError> {
    let major = version_number(&members, "nbformat")?.ok_or(ReadError::NoNbformat)?;
    match major {
        4 => {}
        3 => return build_v3(members, opts, warnings),
        0..=2 => return Err(ReadError::TooOld { major }),
        _ => return Err(ReadError::Newer { major }),
    }
    let minor = match version_number(&members, "nbformat_minor")? {
        Some(minor) => minor,
        None => {
            warnings.push(ReadWarning::MissingMinor);
            0
        }
    };
    let metadata = notebook_metadata(&mut members, &mut warnings)?;
    let items = match cells {
        None => return Err(ReadError::NoCells),
        Some(RawCells::Other(value)) => {
            return Err(ReadError::WrongType {
                what: "\"cells\"".to_owned(),
                expected: "an array",
                found: value.kind_name(),
            })
        }
        Some(RawCells::Items(items)) => items,
    };
    let mut cells = Vec::with_capacity(items.len());
    let mut outputs_present = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let raw = match item {
            RawItem::Cell(raw) => raw,
            RawItem::Other(value) => {
                return Err(ReadError::WrongType {
                    what: format!("cell {index}"),
                    expected: "an object",
                    found: value.kind_name(),
                })
            }
        };
        outputs_present.push(raw.outputs_skipped || raw.members.contains_key("outputs"));
        cells.push(cell_from_members(index, raw.members, true, &mut warnings)?);
    }
    members.shift_remove("nbformat");
    members.shift_remove("nbformat_minor");
    Ok(Read {
        notebook: Notebook {
            nbformat: major,
            nbformat_minor: minor,
            metadata,
            cells,
            extra: members,
        },
        warnings,
        outputs_present,
    })
}

/// Take the notebook `metadata` out of the top-level members, transient keys dropped.
fn notebook_metadata(members: &mut Map, warnings: &mut Vec<ReadWarning>) -> Result<Map, ReadError> {
    let mut metadata = match members.shift_remove("metadata") {
        Some(Json::Object(map)) => map,
        Some(other) => {
            return Err(ReadError::WrongType {
                what: "the notebook \"metadata\"".to_owned(),
                expected: "an object",
                found: other.kind_name(),
            })
        }
        None => {
            warnings.push(ReadWarning::MissingNotebookMetadata);
            Map::new()
        }
    };
    for key in ["orig_nbformat", "orig_nbformat_minor", "signature"] {
        metadata.shift_remove(key);
    }
    Ok(metadata)
}

/// Is this MIME type one of the JSON types whose values are left as they are?
pub fn is_json_mime(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// `"".join(items)` when every item is a string.
fn join_strings(items: &[Json]) -> Option<String> {
    let mut len = 0;
    for item in items {
        len += item.as_str()?.len();
    }
    let mut out = String::with_capacity(len);
    for item in items {
        out.push_str(item.as_str().unwrap_or_default());
    }
    Some(out)
}

/// Join the list-of-strings values of a MIME bundle, except JSON types.
fn rejoin_bundle(bundle: &mut Json) {
    let Json::Object(map) = bundle else { return };
    for (mime, value) in map.iter_mut() {
        if is_json_mime(mime) {
            continue;
        }
        if let Json::Array(items) = value {
            if let Some(joined) = join_strings(items) {
                *value = Json::Str(joined);
            }
        }
    }
}

fn rejoin_attachments(attachments: &mut Json) {
    if let Json::Object(map) = attachments {
        for bundle in map.values_mut() {
            rejoin_bundle(bundle);
        }
    }
}

fn rejoin_output(output: &mut Json) {
    let Json::Object(map) = output else { return };
    let output_type = map
        .get("output_type")
        .cloned()
        .unwrap_or(Json::Str(String::new()));
    match output_type.as_str() {
        Some("execute_result" | "display_data") => {
            if let Some(data) = map.get_mut("data") {
                rejoin_bundle(data);
            }
        }
        _ if output_type.is_truthy() => {
            if let Some(text) = map.get_mut("text") {
                if let Json::Array(items) = text {
                    if let Some(joined) = join_strings(items) {
                        *text = Json::Str(joined);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Build a cell from its members. `rejoin` applies nbformat 4's joining of lists of lines
/// (not done for cells upgraded from nbformat 3, which have their own rules).
fn cell_from_members(
    index: usize,
    members: Map,
    rejoin: bool,
    warnings: &mut Vec<ReadWarning>,
) -> Result<Cell, ReadError> {
    let cell_type = match members.get("cell_type") {
        None => return Err(ReadError::NoCellType { cell: index }),
        Some(Json::Str(t)) => match t.as_str() {
            "markdown" => CellType::Markdown,
            "code" => CellType::Code,
            "raw" => CellType::Raw,
            _ => {
                return Err(ReadError::UnknownCellType {
                    cell: index,
                    cell_type: super::json::to_python_json_compact(
                        &Json::Str(t.clone()),
                        false,
                        false,
                    ),
                })
            }
        },
        Some(other) => {
            return Err(ReadError::UnknownCellType {
                cell: index,
                cell_type: super::json::to_python_json_compact(other, false, false),
            })
        }
    };
    let is_code = cell_type == CellType::Code;
    let mut cell = Cell {
        cell_type,
        id: None,
        metadata: Map::new(),
        source: String::new(),
        outputs: None,
        execution_count: None,
        attachments: None,
        extra: Map::new(),
    };
    let mut has_metadata = false;
    let mut has_source = false;
    for (key, value) in members {
        match (key.as_str(), value) {
            ("cell_type", _) => {}
            ("id", Json::Str(id)) => cell.id = Some(id),
            ("metadata", Json::Object(mut map)) => {
                map.shift_remove("trusted");
                cell.metadata = map;
                has_metadata = true;
            }
            ("metadata", other) => {
                return Err(ReadError::WrongType {
                    what: format!("cell {index} \"metadata\""),
                    expected: "an object",
                    found: other.kind_name(),
                })
            }
            ("source", Json::Str(source)) => {
                cell.source = source;
                has_source = true;
            }
            ("source", Json::Array(items)) => match join_strings(&items) {
                Some(source) => {
                    cell.source = source;
                    has_source = true;
                }
                None => {
                    return Err(ReadError::WrongType {
                        what: format!("cell {index} \"source\""),
                        expected: "a string or an array of strings",
                        found: "an array with other items",
                    })
                }
            },
            ("source", other) => {
                return Err(ReadError::WrongType {
                    what: format!("cell {index} \"source\""),
                    expected: "a string or an array of strings",
                    found: other.kind_name(),
                })
            }
            ("outputs", Json::Array(mut outputs)) if is_code => {
                if rejoin {
                    outputs.iter_mut().for_each(rejoin_output);
                }
                cell.outputs = Some(outputs);
            }
            ("execution_count", value) if is_code => cell.execution_count = Some(value),
            ("attachments", mut value) => {
                if rejoin {
                    rejoin_attachments(&mut value);
                }
                cell.attachments = Some(value);
            }
            (_, value) => {
                cell.extra.insert(key, value);
            }
        }
    }
    if !has_metadata {
        warnings.push(ReadWarning::MissingCellMetadata { cell: index });
    }
    if !has_source {
        warnings.push(ReadWarning::MissingSource { cell: index });
    }
    Ok(cell)
}

// ---------------------------------------------------------------------------------------------
// Cell ids

/// A cell id derived from a cell's index and source: 8 lowercase hex digits (the shape of
/// nbformat's random ids), the same on every run. `attempt` varies the result when an id is
/// already taken.
pub fn derived_cell_id(index: usize, source: &str, attempt: u32) -> String {
    // FNV-1a, 64 bits, folded to 32.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(&(index as u64).to_le_bytes());
    feed(&attempt.to_le_bytes());
    feed(source.as_bytes());
    format!("{:08x}", (hash ^ (hash >> 32)) as u32)
}

/// Give every cell without an id one derived from its index and source
/// ([`derived_cell_id`]), unique among the notebook's ids. nbformat uses random ids where
/// it needs new ones; deriving them keeps the output deterministic.
pub fn fill_missing_ids(cells: &mut [Cell]) {
    let mut taken: HashSet<String> = cells.iter().filter_map(|c| c.id.clone()).collect();
    for (index, cell) in cells.iter_mut().enumerate() {
        if cell.id.is_some() {
            continue;
        }
        let mut attempt = 0;
        let id = loop {
            let id = derived_cell_id(index, &cell.source, attempt);
            if !taken.contains(&id) {
                break id;
            }
            attempt += 1;
        };
        taken.insert(id.clone());
        cell.id = Some(id);
    }
}

// ---------------------------------------------------------------------------------------------
// nbformat 3

/// nbformat 3's joining of a list of lines: without separator when the first line ends with a
/// line break (it was split keeping them), else with `\n`.
fn join_lines_v3(value: &mut Json) {
    let Json::Array(items) = value else { return };
    let keep_ends = items
        .first()
        .and_then(Json::as_str)
        .is_some_and(|first| first.ends_with('\n') || first.ends_with('\r'));
    let separator = if keep_ends { "" } else { "\n" };
    if items.iter().all(|item| item.as_str().is_some()) {
        let joined = items
            .iter()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>()
            .join(separator);
        *value = Json::Str(joined);
    }
}

/// nbformat 3 output keys that were stored as lists of lines.
const V3_MULTILINE_OUTPUT_KEYS: [&str; 6] = ["text", "html", "svg", "latex", "javascript", "json"];

/// nbformat 3 short output keys and their MIME types, in nbformat's order.
const V3_MIME_KEYS: [(&str, &str); 8] = [
    ("text", "text/plain"),
    ("html", "text/html"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpeg", "image/jpeg"),
    ("latex", "text/latex"),
    ("json", "application/json"),
    ("javascript", "application/javascript"),
];

fn to_mime_keys(map: &mut Map) {
    for (alias, mime) in V3_MIME_KEYS {
        if let Some(value) = map.shift_remove(alias) {
            map.insert(mime.to_owned(), value);
        }
    }
}

fn upgrade_output_v3(output: Json) -> Json {
    let Json::Object(mut map) = output else {
        return output;
    };
    for key in V3_MULTILINE_OUTPUT_KEYS {
        if let Some(value) = map.get_mut(key) {
            join_lines_v3(value);
        }
    }
    let output_type = map
        .get("output_type")
        .and_then(Json::as_str)
        .map(str::to_owned);
    match output_type.as_deref() {
        Some(kind @ ("pyout" | "display_data")) => {
            if !map.contains_key("metadata") {
                map.insert("metadata".to_owned(), Json::Object(Map::new()));
            }
            if kind == "pyout" {
                map.insert(
                    "output_type".to_owned(),
                    Json::Str("execute_result".to_owned()),
                );
                let count = map.shift_remove("prompt_number").unwrap_or(Json::Null);
                map.insert("execution_count".to_owned(), count);
            }
            let mut data = Map::new();
            let mut kept = Map::new();
            for (key, value) in map {
                if matches!(key.as_str(), "output_type" | "execution_count" | "metadata") {
                    kept.insert(key, value);
                } else {
                    data.insert(key, value);
                }
            }
            to_mime_keys(&mut data);
            if let Some(Json::Object(metadata)) = kept.get_mut("metadata") {
                to_mime_keys(metadata);
            }
            if let Some(value) = data.get_mut("application/json") {
                if let Some(parsed) = value.as_str().and_then(|s| super::json::parse(s).ok()) {
                    *value = parsed;
                }
            }
            kept.insert("data".to_owned(), Json::Object(data));
            Json::Object(kept)
        }
        Some("pyerr") => {
            map.insert("output_type".to_owned(), Json::Str("error".to_owned()));
            Json::Object(map)
        }
        Some("stream") => {
            let name = map
                .shift_remove("stream")
                .unwrap_or_else(|| Json::Str("stdout".to_owned()));
            map.insert("name".to_owned(), name);
            Json::Object(map)
        }
        _ => Json::Object(map),
    }
}

/// Upgrade one nbformat 3 cell's members to nbformat 4 members.
fn upgrade_cell_v3(index: usize, mut cell: Map) -> Result<Map, ReadError> {
    let cell_type = match cell.get("cell_type") {
        Some(Json::Str(t)) => t.clone(),
        Some(_) => String::new(),
        None => return Err(ReadError::NoCellType { cell: index }),
    };
    // nbformat 3's rejoin_lines
    if cell_type == "code" {
        if let Some(input) = cell.get_mut("input") {
            join_lines_v3(input);
        }
    } else {
        for key in ["source", "rendered"] {
            if let Some(value) = cell.get_mut(key) {
                join_lines_v3(value);
            }
        }
    }
    if !cell.contains_key("metadata") {
        cell.insert("metadata".to_owned(), Json::Object(Map::new()));
    }
    // every upgraded cell gets a new id (derived later)
    cell.shift_remove("id");
    match cell_type.as_str() {
        "code" => {
            cell.shift_remove("language");
            if let Some(collapsed) = cell.shift_remove("collapsed") {
                if let Some(Json::Object(metadata)) = cell.get_mut("metadata") {
                    metadata.insert("collapsed".to_owned(), collapsed);
                }
            }
            let source = cell
                .shift_remove("input")
                .unwrap_or_else(|| Json::Str(String::new()));
            cell.insert("source".to_owned(), source);
            let count = cell.shift_remove("prompt_number").unwrap_or(Json::Null);
            cell.insert("execution_count".to_owned(), count);
            if let Some(outputs) = cell.get_mut("outputs") {
                if let Json::Array(items) = outputs {
                    let items = std::mem::take(items);
                    *outputs = Json::Array(items.into_iter().map(upgrade_output_v3).collect());
                }
            }
        }
        "heading" => {
            cell.insert("cell_type".to_owned(), Json::Str("markdown".to_owned()));
            let level = match cell.shift_remove("level") {
                Some(Json::Int(digits)) => digits.parse::<usize>().unwrap_or(0).min(64),
                _ => 1,
            };
            let text = match cell.get("source") {
                Some(Json::Str(s)) => splitlines(s).collect::<Vec<_>>().join(" "),
                _ => String::new(),
            };
            let source = format!("{} {}", "#".repeat(level), text);
            cell.insert("source".to_owned(), Json::Str(source));
        }
        "html" => {
            cell.insert("cell_type".to_owned(), Json::Str("markdown".to_owned()));
        }
        _ => {}
    }
    Ok(cell)
}

fn build_v3(
    mut members: Map,
    opts: &ReadOptions,
    mut warnings: Vec<ReadWarning>,
) -> Result<Read, ReadError> {
    let minor = version_number(&members, "nbformat_minor")?.unwrap_or(0);
    warnings.push(ReadWarning::Upgraded { major: 3, minor });
    let worksheets = match members.shift_remove("worksheets") {
        Some(Json::Array(worksheets)) => worksheets,
        Some(other) => {
            return Err(ReadError::WrongType {
                what: "\"worksheets\"".to_owned(),
                expected: "an array",
                found: other.kind_name(),
            })
        }
        None => return Err(ReadError::NoWorksheets),
    };
    let mut metadata = notebook_metadata(&mut members, &mut warnings)?;
    metadata.shift_remove("name");
    for key in [
        "nbformat",
        "nbformat_minor",
        "orig_nbformat",
        "orig_nbformat_minor",
        "cells",
    ] {
        members.shift_remove(key);
    }
    let mut cells = Vec::new();
    let mut outputs_present = Vec::new();
    for (w, worksheet) in worksheets.into_iter().enumerate() {
        let items = match worksheet {
            Json::Object(mut ws) => match ws.shift_remove("cells") {
                Some(Json::Array(items)) => items,
                other => {
                    return Err(ReadError::WrongType {
                        what: format!("worksheet {w} \"cells\""),
                        expected: "an array",
                        found: other.as_ref().map_or("missing", Json::kind_name),
                    })
                }
            },
            other => {
                return Err(ReadError::WrongType {
                    what: format!("worksheet {w}"),
                    expected: "an object",
                    found: other.kind_name(),
                })
            }
        };
        for item in items {
            let index = cells.len();
            let Json::Object(raw) = item else {
                return Err(ReadError::WrongType {
                    what: format!("cell {index}"),
                    expected: "an object",
                    found: item.kind_name(),
                });
            };
            let upgraded = upgrade_cell_v3(index, raw)?;
            outputs_present.push(upgraded.contains_key("outputs"));
            let mut cell = cell_from_members(index, upgraded, false, &mut warnings)?;
            if !opts.outputs {
                cell.outputs = None;
            }
            cells.push(cell);
        }
    }
    fill_missing_ids(&mut cells);
    Ok(Read {
        notebook: Notebook {
            nbformat: 4,
            nbformat_minor: 5,
            metadata,
            cells,
            extra: members,
        },
        warnings,
        outputs_present,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_full(text: &str) -> Result<Read, ReadError> {
        read(text.as_bytes(), &ReadOptions::FULL)
    }

    #[test]
    fn conflict_markers_are_found_on_their_own_lines() {
        assert_eq!(conflict_marker_line("{\n<<<<<<< HEAD\n"), Some(2));
        assert_eq!(conflict_marker_line("{\r\n=======\r\n"), Some(2));
        assert_eq!(conflict_marker_line("a\nb\n>>>>>>> theirs"), Some(3));
        assert_eq!(conflict_marker_line("|||||||"), Some(1));
        assert_eq!(conflict_marker_line(" <<<<<<< x\n========\n<<<<<<<x"), None);
        // only when the JSON does not parse
        let text = "{\n=======\n}";
        assert_eq!(
            read_full(text).err(),
            Some(ReadError::ConflictMarkers { line: 2 })
        );
    }

    #[test]
    fn checks_before_json_come_in_order() {
        assert_eq!(
            read(b"\xff\xfe{\x00", &ReadOptions::FULL).err(),
            Some(ReadError::Utf16)
        );
        assert_eq!(
            read(b"{\"a\": \"\x00\xff\"}", &ReadOptions::FULL).err(),
            Some(ReadError::Binary { offset: 7 })
        );
        assert_eq!(
            read(b"{\"a\": \"\xc3\"}", &ReadOptions::FULL).err(),
            Some(ReadError::InvalidUtf8 {
                offset: 7,
                byte: 0xc3
            })
        );
        assert_eq!(
            read(b"\xef\xbb\xbf \n", &ReadOptions::FULL).err(),
            Some(ReadError::Whitespace)
        );
        assert_eq!(read_full("").err(), Some(ReadError::Empty));
        assert_eq!(
            read_full("null").err(),
            Some(ReadError::NotAnObject { found: "null" })
        );
        assert_eq!(
            read_full("-1").err(),
            Some(ReadError::NotAnObject { found: "a number" })
        );
        // JSON errors come before notebook errors, as in Python
        assert!(matches!(read_full("[1, }"), Err(ReadError::NotJson { .. })));
    }

    #[test]
    fn structure_errors_name_the_place() {
        let cases = [
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {}}"#,
             "\"cells\" is an object, expected an array"),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": [], "cells": []}"#,
             "the notebook \"metadata\" is an array, expected an object"),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [3]}"#,
             "cell 0 is an integer, expected an object"),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"source": ""}]}"#,
             "cell 0 has no \"cell_type\""),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": 1}]}"#,
             "cell 0 has unknown type 1 (expected markdown, code or raw)"),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", "metadata": 1}]}"#,
             "cell 0 \"metadata\" is an integer, expected an object"),
            (r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", "metadata": {}, "source": ["a", 1]}]}"#,
             "cell 0 \"source\" is an array with other items, expected a string or an array of strings"),
            (r#"{"nbformat": -4, "cells": []}"#,
             "not a notebook: \"nbformat\" is -4, not a version number"),
            (r#"{"nbformat": 4.0, "cells": []}"#,
             "not a notebook: \"nbformat\" is a float, not a version number"),
        ];
        for (text, message) in cases {
            for opts in [ReadOptions::FULL, ReadOptions::WITHOUT_OUTPUTS] {
                let error = read(text.as_bytes(), &opts).err().map(|e| e.to_string());
                assert_eq!(error.as_deref(), Some(message), "{text}");
            }
        }
    }

    #[test]
    fn odd_fields_are_kept_aside() {
        let r = read_full(
            r#"{"nbformat": 4, "cells": [{"cell_type": "code", "id": 5, "metadata": {"trusted": true},
                "source": "x", "outputs": null}]}"#,
        )
        .unwrap();
        assert_eq!(
            r.warnings,
            [
                ReadWarning::MissingMinor,
                ReadWarning::MissingNotebookMetadata
            ]
        );
        let cell = &r.notebook.cells[0];
        assert_eq!(cell.id, None);
        assert_eq!(cell.extra.get("id"), Some(&Json::Int("5".into())));
        assert_eq!(cell.outputs, None);
        assert_eq!(cell.extra.get("outputs"), Some(&Json::Null));
        assert!(cell.metadata.is_empty());
        assert_eq!(r.outputs_present, [true]);
    }

    #[test]
    fn skipping_outputs() {
        // outputs before cell_type are skipped even on a markdown cell (their type is not
        // known yet); after it, a markdown cell's outputs are kept among its other keys
        let text = r#"{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
            {"outputs": [1], "cell_type": "markdown", "metadata": {}, "source": []},
            {"cell_type": "markdown", "outputs": [2], "metadata": {}, "source": []},
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": ["a"]}],
             "metadata": {}, "source": [], "outputs": "twice"}]}"#;
        let r = read(text.as_bytes(), &ReadOptions::WITHOUT_OUTPUTS).unwrap();
        assert_eq!(r.outputs_present, [true, true, true]);
        assert!(r.notebook.cells[0].extra.is_empty());
        assert_eq!(
            r.notebook.cells[1].extra.get("outputs"),
            Some(&Json::Array(vec![Json::Int("2".into())]))
        );
        assert_eq!(r.notebook.cells[2].outputs, None);
        // a duplicate key keeps its last value
        let r = read_full(text).unwrap();
        assert_eq!(r.notebook.cells[2].outputs, None);
        assert_eq!(
            r.notebook.cells[2].extra.get("outputs"),
            Some(&Json::Str("twice".into()))
        );
        // skipped outputs are still checked
        let bad = text.replace("[2]", "[2,]");
        assert!(matches!(
            read(bad.as_bytes(), &ReadOptions::WITHOUT_OUTPUTS),
            Err(ReadError::NotJson { .. })
        ));
    }

    #[test]
    fn derived_ids_are_stable_and_unique() {
        assert_eq!(derived_cell_id(0, "", 0), derived_cell_id(0, "", 0));
        assert_ne!(derived_cell_id(0, "x", 0), derived_cell_id(1, "x", 0));
        assert_ne!(derived_cell_id(0, "x", 0), derived_cell_id(0, "x", 1));
        let mut cells = vec![Cell::new(CellType::Code, "x"); 3];
        cells[1].id = Some(derived_cell_id(0, "x", 0));
        fill_missing_ids(&mut cells);
        let ids: HashSet<_> = cells.iter().map(|c| c.id.clone().unwrap()).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(cells[1].id, Some(derived_cell_id(0, "x", 0)));
    }
}
