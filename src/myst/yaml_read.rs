//! YAML reading with PyYAML `safe_load` semantics (YAML 1.1 scalar resolution), into [`Json`].

use crate::notebook::Json;

/// Parse a YAML document the way PyYAML's `safe_load` does.
pub fn load(text: &str) -> Result<Json, YamlError> {
    let _ = text;
    unimplemented!("yaml reader")
}

/// A YAML document that PyYAML would refuse (or that has no JSON form, such as a date).
#[derive(Debug, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}
