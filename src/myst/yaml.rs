//! Our YAML emitter: PyYAML 6.0's `SafeDumper` layout for JSON-like trees (indent 2, width 80,
//! keys in insertion order). Writing YAML byte-identical to PyYAML is what MyST byte identity
//! needs, so this is written here rather than taken from a crate.

use crate::notebook::Map;

/// Which PyYAML dumper's layout to reproduce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dumper {
    /// jupytext's `CompactDumper` with `allow_unicode=True`: lists of scalars in flow style
    /// (`[a, b]`), non-ASCII written as is. Used for the header and for cell options.
    Compact,
    /// `yaml.safe_dump(sort_keys=False)`: every list in block style, `allow_unicode` off.
    Safe,
}

/// Dump a mapping as a top-level block mapping; the text ends with `\n` (`{}\n` when empty).
pub fn dump_mapping(map: &Map, dumper: Dumper) -> String {
    let _ = (map, dumper);
    unimplemented!("yaml emitter")
}
