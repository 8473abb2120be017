//! A JSON value that reads and writes the way Python's `json` module does.
//!
//! nbformat files are read with `json.loads` and written with
//! `json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`. That dialect differs from strict
//! JSON: `NaN`/`Infinity` are accepted, integers have any size, duplicate keys keep the last
//! value, and floats print as Python's `repr`. Objects keep the order of the file (Python's
//! `dict`), which matters for jupytext's MyST header; the nbformat writer sorts keys itself.

use indexmap::IndexMap;

/// An object, in the order of the file (a duplicate key keeps its first position, last value).
pub type Map = IndexMap<String, Json>;

/// A JSON value in Python's reading of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// An integer of any size, as canonical decimal digits (`-0` reads as `0`).
    Int(String),
    /// A number with a fraction or exponent, or `NaN` / `Infinity` / `-Infinity`.
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Map),
}
