//! The notebook model and its `.ipynb` form (nbformat 4.0-4.5; 3.x upgraded on read).
//!
//! No I/O, no git, no terminal: bytes in, model out, and back.
//!
//! - [`read()`] turns the bytes of a file into a [`Notebook`] as `nbformat.reads(text,
//!   as_version=4)` does (lists of lines joined, transient fields dropped), or says in a
//!   [`ReadError`] why the bytes are not a notebook; [`ReadOptions::WITHOUT_OUTPUTS`] leaves
//!   the outputs out for a view of the inputs only.
//! - [`write()`] gives the bytes nbformat's writer saves for a notebook.
//! - [`json`] reads and prints Python's JSON dialect (NaN, big integers, float `repr`, the
//!   nbformat layout and `json.dumps`' default one-line form).
//! - [`lines`] has Python's `splitlines`, which decides where nbformat cuts text into lines.

pub mod json;
pub mod lines;
pub mod read;
pub mod write;

pub use json::{Json, Map};
pub use lines::{splitlines, splitlines_keepends};
pub use read::{read, Read, ReadError, ReadOptions, ReadWarning};
pub use write::write;

/// A notebook as nbformat holds it in memory (multi-line strings joined).
#[derive(Clone, Debug, PartialEq)]
pub struct Notebook {
    pub nbformat: u64,
    pub nbformat_minor: u64,
    pub metadata: Map,
    pub cells: Vec<Cell>,
    /// Top-level keys we do not model, kept as read.
    pub extra: Map,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CellType {
    Markdown,
    Code,
    Raw,
}

impl CellType {
    pub fn as_str(self) -> &'static str {
        match self {
            CellType::Markdown => "markdown",
            CellType::Code => "code",
            CellType::Raw => "raw",
        }
    }
}

/// One cell. Keys that are absent in the file stay absent when it is written back.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub cell_type: CellType,
    /// The cell id (nbformat 4.5); `None` when the key is absent.
    pub id: Option<String>,
    pub metadata: Map,
    /// The source, lists of lines joined.
    pub source: String,
    /// Code cells only: the outputs (objects, with nbformat's rejoined strings); `None` when the
    /// key is absent, or when the notebook was read without outputs (`ReadOptions`).
    pub outputs: Option<Vec<Json>>,
    /// Code cells only: `None` when the key is absent, else its value (`Json::Null` or an int).
    pub execution_count: Option<Json>,
    /// Attachments (any cell type), rejoined as nbformat does.
    pub attachments: Option<Json>,
    /// Keys we do not model (for markdown and raw cells this includes `outputs` and
    /// `execution_count` if a file has them), kept as read.
    pub extra: Map,
}

impl Cell {
    /// A new cell with empty metadata and no optional keys.
    pub fn new(cell_type: CellType, source: impl Into<String>) -> Cell {
        Cell {
            cell_type,
            id: None,
            metadata: Map::new(),
            source: source.into(),
            outputs: if cell_type == CellType::Code {
                Some(Vec::new())
            } else {
                None
            },
            execution_count: if cell_type == CellType::Code {
                Some(Json::Null)
            } else {
                None
            },
            attachments: None,
            extra: Map::new(),
        }
    }
}
