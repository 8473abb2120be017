//! Writing the model as the bytes nbformat's writer produces (`nbformat.write`: `writes` plus a
//! final newline), which is what Jupyter, jupytext and nbdime save.
//!
//! Multi-line strings become lists of lines with Python's `str.splitlines(True)`: every cell
//! source; in MIME bundles of attachments and of code cells' `execute_result` / `display_data`
//! outputs, the string values of `text/*`, `application/javascript` and `image/svg+xml`; the
//! string `text` of `stream` outputs. Transient fields are left out (notebook
//! `metadata.orig_nbformat`, `orig_nbformat_minor`, `signature`; cell `metadata.trusted`).
//! Keys are sorted at every level and indented by one space
//! (`json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`). Absent keys stay absent: a
//! cell id is written only when the cell has one.

use super::json::{write_newline_indent, write_pretty, write_str, Json, Map};
use super::lines::splitlines_keepends;
use super::{Cell, CellType, Notebook};

/// Notebook metadata keys nbformat never writes.
const TRANSIENT_NOTEBOOK_KEYS: [&str; 3] = ["orig_nbformat", "orig_nbformat_minor", "signature"];
/// Cell metadata keys nbformat never writes.
const TRANSIENT_CELL_KEYS: [&str; 1] = ["trusted"];

/// The `.ipynb` text of a notebook, byte for byte what `nbformat.write` gives (final newline
/// included).
pub fn write(nb: &Notebook) -> String {
    let mut out = String::new();
    write_node(&mut out, &notebook_node(nb), 0);
    out.push('\n');
    out
}

/// Does nbformat store strings of this MIME type as lists of lines?
pub fn is_split_mime(mime: &str) -> bool {
    mime.starts_with("text/") || mime == "application/javascript" || mime == "image/svg+xml"
}

/// A view of what is written, borrowing from the model.
enum Node<'a> {
    Json(&'a Json),
    /// A string written as the list of its lines.
    Lines(&'a str),
    Str(&'a str),
    Number(u64),
    /// Members in any order (sorted when written).
    Object(Vec<(&'a str, Node<'a>)>),
    Array(Vec<Node<'a>>),
}

fn write_node(out: &mut String, node: &Node<'_>, level: usize) {
    match node {
        Node::Json(value) => write_pretty(out, value, level),
        Node::Str(s) => write_str(out, s),
        Node::Number(n) => out.push_str(&n.to_string()),
        Node::Lines(text) => {
            if text.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, line) in splitlines_keepends(text).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_str(out, line);
            }
            write_newline_indent(out, level);
            out.push(']');
        }
        Node::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_node(out, item, level + 1);
            }
            write_newline_indent(out, level);
            out.push(']');
        }
        Node::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut sorted: Vec<&(&str, Node<'_>)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_str(out, key);
                out.push_str(": ");
                write_node(out, value, level + 1);
            }
            write_newline_indent(out, level);
            out.push('}');
        }
    }
}

/// A map's members, some keys left out.
fn map_node<'a>(map: &'a Map, skip: &[&str]) -> Node<'a> {
    Node::Object(
        map.iter()
            .filter(|(key, _)| !skip.contains(&key.as_str()))
            .map(|(key, value)| (key.as_str(), Node::Json(value)))
            .collect(),
    )
}

/// Add the `extra` members whose keys are not already written.
fn push_extra<'a>(members: &mut Vec<(&'a str, Node<'a>)>, extra: &'a Map) {
    for (key, value) in extra {
        if !members.iter().any(|(k, _)| *k == key.as_str()) {
            members.push((key.as_str(), Node::Json(value)));
        }
    }
}

fn bundle_node(bundle: &Json) -> Node<'_> {
    let Json::Object(map) = bundle else {
        return Node::Json(bundle);
    };
    Node::Object(
        map.iter()
            .map(|(mime, value)| {
                let node = match value {
                    Json::Str(s) if is_split_mime(mime) => Node::Lines(s),
                    _ => Node::Json(value),
                };
                (mime.as_str(), node)
            })
            .collect(),
    )
}

fn output_node(output: &Json) -> Node<'_> {
    let Json::Object(map) = output else {
        return Node::Json(output);
    };
    let output_type = map.get("output_type").and_then(Json::as_str).unwrap_or("");
    let has_bundle = matches!(output_type, "execute_result" | "display_data");
    Node::Object(
        map.iter()
            .map(|(key, value)| {
                let node = match (key.as_str(), value) {
                    ("data", _) if has_bundle => bundle_node(value),
                    ("text", Json::Str(text)) if output_type == "stream" => Node::Lines(text),
                    _ => Node::Json(value),
                };
                (key.as_str(), node)
            })
            .collect(),
    )
}

fn attachments_node(attachments: &Json) -> Node<'_> {
    let Json::Object(map) = attachments else {
        return Node::Json(attachments);
    };
    Node::Object(
        map.iter()
            .map(|(name, bundle)| (name.as_str(), bundle_node(bundle)))
            .collect(),
    )
}

fn cell_node(cell: &Cell) -> Node<'_> {
    let mut members = vec![
        ("cell_type", Node::Str(cell.cell_type.as_str())),
        ("metadata", map_node(&cell.metadata, &TRANSIENT_CELL_KEYS)),
        ("source", Node::Lines(&cell.source)),
    ];
    if let Some(id) = &cell.id {
        members.push(("id", Node::Str(id)));
    }
    if let Some(outputs) = &cell.outputs {
        let items = if cell.cell_type == CellType::Code {
            outputs.iter().map(output_node).collect()
        } else {
            outputs.iter().map(Node::Json).collect()
        };
        members.push(("outputs", Node::Array(items)));
    }
    if let Some(count) = &cell.execution_count {
        members.push(("execution_count", Node::Json(count)));
    }
    if let Some(attachments) = &cell.attachments {
        members.push(("attachments", attachments_node(attachments)));
    }
    push_extra(&mut members, &cell.extra);
    Node::Object(members)
}

fn notebook_node(nb: &Notebook) -> Node<'_> {
    let mut members = vec![
        (
            "cells",
            Node::Array(nb.cells.iter().map(cell_node).collect()),
        ),
        ("metadata", map_node(&nb.metadata, &TRANSIENT_NOTEBOOK_KEYS)),
        ("nbformat", Node::Number(nb.nbformat)),
        ("nbformat_minor", Node::Number(nb.nbformat_minor)),
    ];
    push_extra(&mut members, &nb.extra);
    Node::Object(members)
}
