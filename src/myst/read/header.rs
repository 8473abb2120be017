//! The YAML header: how jupytext decides that a text is MyST (§10.1), and how the header's keys
//! are shared out between the notebook metadata and a leading raw cell (§10.6).

use super::blocks::{Block, BlockKind};
use super::{Format, ReadError, ReadOptions};
use crate::myst::filter::{filter_metadata_moving, MetadataFilter, DEFAULT_ROOT_LEVEL_METADATA};
use crate::myst::yaml::{dump_mapping, non_string_key_json, Dumper};
use crate::myst::yaml_read;
use crate::notebook::{Json, Map};

/// Characters PyYAML's reader refuses anywhere in a stream.
fn is_yaml_printable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\x20'..='\x7e'
        | '\u{85}'
        | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}'
        | '\u{10000}'..='\u{10ffff}')
}

/// PyYAML reads the whole text before parsing a document: a character it refuses anywhere makes
/// the header sniff fail (§10.1).
fn check_printable(text: &str) -> Result<(), ReadError> {
    if let Some((offset, ch)) = text.char_indices().find(|&(_, c)| !is_yaml_printable(c)) {
        let (line, column) = super::text::line_column(text, offset);
        return Err(ReadError::UnacceptableCharacter { line, column, ch });
    }
    Ok(())
}

/// A YAML document marker line: `---` or `...` at column 0, then a blank or the line end.
fn marker(line: &str) -> Option<&'static str> {
    for mark in ["---", "..."] {
        if let Some(rest) = line.strip_prefix(mark) {
            if rest.is_empty() || rest.starts_with([' ', '\t']) {
                return Some(mark);
            }
        }
    }
    None
}

/// Whether a line is blank or a YAML comment.
fn blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// jupytext reads a text that starts with `---` as a YAML stream and looks at its documents
/// until one is a mapping (`formats.read_metadata`), and returns that mapping if any.
/// Errors are those PyYAML raises on the way.
pub(crate) fn first_mapping_document(text: &str) -> Result<Option<Map>, ReadError> {
    check_printable(text)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    // The first document starts after an explicit `---`, or right away.
    let mut start = usize::from(marker(lines[0]) == Some("---"));
    loop {
        let mut end = start;
        while end < n && marker(lines[end]).is_none() {
            end += 1;
        }
        let mut content = lines[start.min(end)..end].join("\n");
        if end < n {
            content.push('\n');
        }
        let (value, _) = load_with_dates(&content).map_err(|e| ReadError::HeaderYaml {
            line: e.line + start,
            column: e.column,
            message: e.message.clone(),
        })?;
        if let Json::Object(map) = value {
            return Ok(Some(map));
        }
        // Not a mapping: jupytext goes on with the next document.
        let mut next = end;
        loop {
            if next >= n {
                return Ok(None);
            }
            match marker(lines[next]) {
                Some("---") => break,
                Some(_) => next += 1,
                None if blank_or_comment(lines[next]) => next += 1,
                None => {
                    return Err(ReadError::HeaderYaml {
                        line: next + 1,
                        column: 1,
                        message: "expected '<document start>', but found another value".to_string(),
                    })
                }
            }
        }
        start = next + 1;
    }
}

/// Load header YAML. PyYAML reads `2024-01-01` as a date, which jupytext keeps in memory; our
/// YAML reader has no date value. When a text fails to load only because of dates, each plain
/// date is swapped for a one-character placeholder string (the writer's date placeholders) and
/// the text is loaded again; the dates, as PyYAML writes them back, are returned by index.
/// Keys that are not strings (`1:`, `true:`) are marked as such (see [`NON_STRING_KEY`](crate::myst::yaml::NON_STRING_KEY)).
pub(crate) fn load_with_dates(text: &str) -> Result<(Json, Vec<String>), yaml_read::YamlError> {
    match yaml_read::load_with(text, HEADER_YAML) {
        Ok(value) => Ok((value, Vec::new())),
        Err(err) if err.message.starts_with("the date ") => {
            let already_used = text.chars().any(|c| date_index(c).is_some());
            let swapped = (!already_used)
                .then(|| crate::myst::write::dates::quote_dates(text))
                .flatten()
                .filter(|(_, dates)| !dates.is_empty());
            if let Some((rewritten, dates)) = swapped {
                if let Ok(value) = yaml_read::load_with(&rewritten, HEADER_YAML) {
                    return Ok((value, dates));
                }
            }
            Err(err)
        }
        Err(err) => Err(err),
    }
}

const HEADER_YAML: yaml_read::LoadOptions = yaml_read::LoadOptions {
    first_document: false,
    mark_non_string_keys: true,
};

/// The path of the first key in `map` that is not a string (a number, a boolean or null), if
/// any: jupytext fails when such a key reaches the notebook metadata (nbformat wants string
/// keys).
fn find_non_string_key(map: &Map, path: &str) -> Option<String> {
    map.iter().find_map(|(key, value)| {
        let shown = non_string_key_json(key).unwrap_or(key);
        let key_path = if path.is_empty() {
            shown.to_string()
        } else {
            format!("{path}.{shown}")
        };
        if non_string_key_json(key).is_some() {
            return Some(key_path);
        }
        match value {
            Json::Object(inner) => find_non_string_key(inner, &key_path),
            Json::Array(items) => items.iter().enumerate().find_map(|(i, item)| match item {
                Json::Object(inner) => find_non_string_key(inner, &format!("{key_path}[{i}]")),
                _ => None,
            }),
            _ => None,
        }
    })
}

/// The index of the date a placeholder character stands for.
fn date_index(c: char) -> Option<usize> {
    let first = crate::myst::write::dates::FIRST;
    let index = (c as u32).checked_sub(first)?;
    (index < 0xFFFE).then_some(index as usize)
}

/// The date a string stands for, if it is a placeholder from [`load_with_dates`].
fn as_date<'d>(s: &str, dates: &'d [String]) -> Option<&'d str> {
    let mut chars = s.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    dates.get(date_index(c)?).map(String::as_str)
}

/// The path of the first date in `value` (as a value or a key), if any.
pub(crate) fn find_date(value: &Json, dates: &[String], path: &str) -> Option<String> {
    if dates.is_empty() {
        return None;
    }
    match value {
        Json::Str(s) => as_date(s, dates).map(|_| path.to_string()),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_date(item, dates, &format!("{path}[{i}]"))),
        Json::Object(map) => map.iter().find_map(|(key, item)| {
            let key_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if as_date(key, dates).is_some() {
                return Some(key_path);
            }
            find_date(item, dates, &key_path)
        }),
        _ => None,
    }
}

/// `value` with its dates as `null`, for schema checks where a date is no string, list or
/// mapping, just as `null` is not.
pub(crate) fn dates_as_null(value: &Map, dates: &[String]) -> Map {
    fn walk(value: &Json, dates: &[String]) -> Json {
        match value {
            Json::Str(s) if as_date(s, dates).is_some() => Json::Null,
            Json::Array(items) => Json::Array(items.iter().map(|i| walk(i, dates)).collect()),
            Json::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), walk(v, dates)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    value
        .iter()
        .map(|(k, v)| (k.clone(), walk(v, dates)))
        .collect()
}

/// Put the dates back into a `yaml.safe_dump` text: a placeholder, being non-ASCII, is written
/// double-quoted with a `\U` escape; PyYAML writes the date plain.
fn restore_dates(dump: &str, dates: &[String]) -> String {
    let mut out = dump.to_string();
    for (index, text) in dates.iter().enumerate() {
        let code = crate::myst::write::dates::FIRST + index as u32;
        out = out.replace(&format!("\"\\U{code:08X}\""), text);
    }
    out
}

/// `metadata.get(key, {})` where jupytext then calls `.get` on the result: a value that is not
/// a mapping makes jupytext fail.
fn get_mapping<'a>(map: &'a Map, key: &str, path: &str) -> Result<Option<&'a Map>, ReadError> {
    match map.get(key) {
        None => Ok(None),
        Some(Json::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(ReadError::InvalidHeader {
            message: format!("`{path}` must be a mapping, not {}", other.kind_name()),
        }),
    }
}

/// The format a header declares for `.md` files (`formats.read_format_from_metadata`):
/// `text_representation` when its extension is `.md`, else the `.md` entry of `formats`.
fn declared_format(metadata: &Map) -> Result<Option<Option<String>>, ReadError> {
    let mut metadata = metadata.clone();
    crate::myst::write::rearrange_jupytext_metadata(&mut metadata);
    let Some(jupytext) = get_mapping(&metadata, "jupytext", "jupytext")? else {
        return Ok(None);
    };
    if let Some(repr) = get_mapping(
        jupytext,
        "text_representation",
        "jupytext.text_representation",
    )? {
        let extension_ok =
            matches!(repr.get("extension"), Some(Json::Str(e)) if e.ends_with(".md"));
        if extension_ok {
            if let Some(name) = repr.get("format_name").filter(|v| v.is_truthy()) {
                return Ok(Some(Some(python_str(name))));
            }
        }
    }
    if let Some(formats) = jupytext.get("formats").filter(|v| v.is_truthy()) {
        for entry in format_entries(formats) {
            if entry.0 == ".md" {
                return Ok(Some(entry.1));
            }
        }
    }
    Ok(None)
}

/// The `(extension, format name)` of each entry of a `formats` value, as jupytext's long form
/// has them (`ipynb,md:myst`, `notebooks///ipynb`, `_md.md:myst`, or a list of such strings).
fn format_entries(formats: &Json) -> Vec<(String, Option<String>)> {
    let items: Vec<String> = match formats {
        Json::Str(s) => s.split(',').map(str::to_string).collect(),
        Json::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    items
        .iter()
        .map(|item| {
            let item = item.trim();
            let (path, name) = match item.rsplit_once(':') {
                Some((path, name)) => (path, Some(name.to_string())),
                None => (item, None),
            };
            let base = path.rsplit('/').next().unwrap_or(path);
            let ext = base.rsplit('.').next().unwrap_or(base);
            (format!(".{ext}"), name)
        })
        .collect()
}

fn python_str(value: &Json) -> String {
    match value {
        Json::Str(s) => s.clone(),
        Json::Bool(true) => "True".into(),
        Json::Bool(false) => "False".into(),
        Json::Int(digits) => digits.clone(),
        other => other.kind_name().to_string(),
    }
}

/// `^---\s*$`, jupytext's header rule.
fn is_header_rule(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.chars().all(crate::myst::filter::is_py_whitespace))
}

/// The `jupyter:` section of a `---` header, where jupytext's other Markdown formats keep the
/// notebook metadata (`header.header_to_metadata_and_cell`): the lines from `jupyter:` (alone on
/// its line, column 0) to the next line that is not indented, parsed as YAML. `None` when there
/// is no such section, or no closing `---`.
fn jupyter_section(text: &str) -> Result<Option<Json>, ReadError> {
    let mut started = false;
    let mut ended = false;
    let mut in_jupyter = false;
    let mut jupyter: Vec<&str> = Vec::new();
    for line in super::text::splitlines(text) {
        if is_header_rule(line) {
            if !started {
                started = true;
                continue;
            }
            ended = true;
            break;
        }
        if !started {
            if super::text::strip(line).is_empty() {
                continue;
            }
            break;
        }
        let is_jupyter_line = line.strip_prefix("jupyter").is_some_and(|rest| {
            let rest = super::text::lstrip(rest);
            rest.strip_prefix(':')
                .is_some_and(|after| super::text::strip(after).is_empty())
        });
        if is_jupyter_line {
            in_jupyter = true;
        } else if !line.is_empty() && !line.starts_with(crate::myst::filter::is_py_whitespace) {
            in_jupyter = false;
        }
        if in_jupyter {
            jupyter.push(line);
        }
    }
    if !ended || jupyter.is_empty() {
        return Ok(None);
    }
    let first_line = super::text::splitlines(text)
        .iter()
        .position(|l| *l == jupyter[0])
        .unwrap_or(0);
    let (value, _) = load_with_dates(&jupyter.join("\n")).map_err(|e| ReadError::HeaderYaml {
        line: e.line + first_line,
        column: e.column,
        message: e.message.clone(),
    })?;
    Ok(match value {
        Json::Object(mut map) => map.shift_remove("jupyter"),
        _ => None,
    })
}

/// How jupytext 1.19.6 classifies a `.md` text (`jupytext.reads` without a format).
pub(crate) fn detect(text: &str, blocks: &[Block], assume_myst: bool) -> Result<Format, ReadError> {
    let mut header_metadata = Map::new();
    match jupyter_section(text)? {
        Some(Json::Object(ns)) if !ns.is_empty() => header_metadata = ns,
        Some(value) if value.is_truthy() => {
            return Err(ReadError::InvalidHeader {
                message: format!("`jupyter` must be a mapping, not {}", value.kind_name()),
            })
        }
        _ => {
            if text.starts_with("---") {
                if let Some(first) = first_mapping_document(text)? {
                    let says_myst = get_mapping(&first, "jupytext", "jupytext")?
                        .map(|j| {
                            get_mapping(j, "text_representation", "jupytext.text_representation")
                        })
                        .transpose()?
                        .flatten()
                        .and_then(|r| r.get("format_name"))
                        .is_some_and(|n| n.as_str() == Some("myst"));
                    if says_myst {
                        header_metadata = first;
                    }
                }
            }
        }
    }
    match declared_format(&header_metadata)? {
        Some(Some(name)) if name == "myst" => return Ok(Format::Myst),
        Some(Some(name)) => return Ok(Format::Other(name)),
        _ => {}
    }
    if assume_myst {
        return Ok(Format::Myst);
    }
    let has_text_representation = get_mapping(&header_metadata, "jupytext", "jupytext")?
        .is_some_and(|j| j.contains_key("text_representation"));
    if has_text_representation {
        return Ok(Format::Other("md".to_string()));
    }
    let has_cell_fence = blocks.iter().any(|b| match &b.kind {
        BlockKind::Fence { info, .. } => {
            info.starts_with(super::CODE_DIRECTIVE) || info.starts_with(super::RAW_DIRECTIVE)
        }
        _ => false,
    });
    if has_cell_fence {
        Ok(Format::Myst)
    } else {
        Ok(Format::Other("md".to_string()))
    }
}

/// The notebook metadata and the optional leading raw cell made from the header mapping
/// (`TextNotebookConverter.split_frontmatter`, `header.metadata_to_metadata_and_cell`).
pub(crate) fn distribute(
    mut header: Map,
    dates: &[String],
    opts: &ReadOptions,
) -> Result<(Map, Option<String>), ReadError> {
    let namespace = match header.shift_remove("jupyter") {
        None => Map::new(),
        Some(Json::Object(ns)) => ns,
        Some(other) => {
            return Err(ReadError::InvalidHeader {
                message: format!("`jupyter` must be a mapping, not {}", other.kind_name()),
            })
        }
    };
    // The format options come from the header's `jupytext` section (and the `jupyter`
    // namespace's), then from the configuration.
    let mut options = Map::new();
    for (source, path) in [(&namespace, "jupyter.jupytext"), (&header, "jupytext")] {
        match source.get("jupytext") {
            None => {}
            Some(Json::Object(section)) => {
                options.extend(section.iter().map(|(k, v)| (k.clone(), v.clone())))
            }
            Some(other) => {
                return Err(ReadError::InvalidHeader {
                    message: format!("`{path}` must be a mapping, not {}", other.kind_name()),
                })
            }
        }
    }
    if let Some(repr) = options.get("text_representation") {
        if !matches!(repr, Json::Object(_)) {
            return Err(ReadError::InvalidHeader {
                message: format!(
                    "`jupytext.text_representation` must be a mapping, not {}",
                    repr.kind_name()
                ),
            });
        }
    }
    let filter_value = match options.get("root_level_metadata_filter") {
        Some(value) => value.clone(),
        None => Json::Str(opts.root_level_metadata_filter.clone().unwrap_or_default()),
    };
    let as_raw_cell = match options.get("root_level_metadata_as_raw_cell") {
        Some(value) => value.is_truthy(),
        None => opts.root_level_metadata_as_raw_cell.unwrap_or(true),
    };
    let filter = match &filter_value {
        Json::Object(map) if map.keys().any(|k| k != "additional" && k != "excluded") => None,
        value => MetadataFilter::from_json(value),
    };
    let Some(filter) = filter else {
        return Err(ReadError::InvalidHeader {
            message: format!(
                "`jupytext.root_level_metadata_filter` cannot be {}",
                filter_value.kind_name()
            ),
        });
    };
    // jupytext's filter fails on a top-level key that is not a string, or a date.
    if let Some(key) = header.keys().find_map(|k| non_string_key_json(k)) {
        return Err(ReadError::NonStringHeaderKey {
            key: key.to_string(),
        });
    }
    if let Some(key) = header.keys().find(|k| as_date(k, dates).is_some()) {
        return Err(ReadError::HeaderDate {
            key: as_date(key, dates).unwrap_or_default().to_string(),
        });
    }
    let default = MetadataFilter::parse(DEFAULT_ROOT_LEVEL_METADATA);
    let promoted = filter_metadata_moving(&mut header, &filter, &default);
    let mut metadata = namespace;
    recursive_update(&mut metadata, promoted, "")?;
    // jupytext fails writing the `.ipynb` when a date or a key that is not a string reaches
    // the notebook metadata (what stays in the raw cell is written back as it was).
    if let Some(key) = find_date(&Json::Object(metadata.clone()), dates, "") {
        return Err(ReadError::HeaderDate { key });
    }
    if let Some(key) = find_non_string_key(&metadata, "") {
        return Err(ReadError::NonStringHeaderKey { key });
    }
    let raw_cell = (!header.is_empty() && as_raw_cell).then(|| {
        let dump = dump_mapping(&header, Dumper::Safe);
        format!("---\n{}---", restore_dates(&dump, dates))
    });
    Ok((metadata, raw_cell))
}

/// jupytext's `recursive_update`: mappings merge, other values replace, and `null` deletes the
/// key (jupytext fails when the key is not there).
fn recursive_update(target: &mut Map, update: Map, path: &str) -> Result<(), ReadError> {
    for (key, value) in update {
        let key_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match value {
            Json::Null => {
                if target.shift_remove(&key).is_none() {
                    return Err(ReadError::NullHeaderKey { key: key_path });
                }
            }
            Json::Object(inner) => match target.get_mut(&key) {
                Some(Json::Object(existing)) => recursive_update(existing, inner, &key_path)?,
                Some(_) if inner.is_empty() => {}
                Some(other) => {
                    return Err(ReadError::InvalidHeader {
                        message: format!(
                            "`{key_path}` is {} in one place and a mapping in another",
                            other.kind_name()
                        ),
                    })
                }
                None => {
                    let mut fresh = Map::new();
                    recursive_update(&mut fresh, inner, &key_path)?;
                    target.insert(key, Json::Object(fresh));
                }
            },
            other => {
                target.insert(key, other);
            }
        }
    }
    Ok(())
}
