//! Three-way merge of notebooks: no I/O, no git; three notebooks in, one notebook and its
//! conflicts out.
//!
//! 1. Cells are aligned across the sides ([`cells`]): each side's cells are matched with the
//!    base's by [`crate::combine::match_cells`] (cell id, then equal source, then similar source
//!    between matched neighbours), and the cells both sides added are paired by id or by equal
//!    source. Every cell then has an identity shared by its versions.
//! 2. The sequences of identities are merged as lines are ([`diff3`]): insertions, deletions and
//!    moves of whole cells from one side apply; changes both sides made at the same place
//!    conflict, and show as the two versions between marker cells. A cell deleted on one side and
//!    edited on the other is such a conflict.
//! 3. Each cell kept is merged field by field: its source line by line ([`text`], markers inside
//!    the source on a conflict), its metadata key by key ([`value`]; a conflict is shown in a
//!    note cell before it), its outputs and execution count by provenance (the side whose source
//!    the merged source equals; both sides re-ran an unchanged cell: [`OutputsChoice`]; a source
//!    equal to neither side's gets none; one in conflict keeps ours' until the user decides).
//! 4. Notebook metadata merge key by key; a conflict is shown in a note cell at the top.
//!
//! The result is always a valid notebook of the sides' format version: no ids are added below
//! nbformat 4.5, and at 4.5 the cells the merge adds get fresh ids that no other cell has.

pub mod cells;
pub mod diff3;
pub mod markers;
pub mod text;
pub mod value;

use crate::notebook::Notebook;

pub use cells::merge;

/// Marker size git uses when the `conflict-marker-size` attribute is not set.
pub const DEFAULT_MARKER_SIZE: usize = 7;

/// The conflict labels, as git passes them (`%S`, `%X`, `%Y`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels {
            base: "base".to_owned(),
            ours: "ours".to_owned(),
            theirs: "theirs".to_owned(),
        }
    }
}

/// git's `merge.conflictStyle`: `merge` shows both sides, `diff3` (and `zdiff3`) the base too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConflictStyle {
    #[default]
    Merge,
    Diff3,
}

/// How conflicts are marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Markers {
    /// Characters in each marker (`<<<<<<<` is 7).
    pub size: usize,
    pub labels: Labels,
    pub style: ConflictStyle,
}

impl Default for Markers {
    fn default() -> Markers {
        Markers {
            size: DEFAULT_MARKER_SIZE,
            labels: Labels::default(),
            style: ConflictStyle::Merge,
        }
    }
}

/// Whose outputs a cell gets when both sides re-ran it without changing its source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputsChoice {
    #[default]
    Ours,
    Theirs,
    /// Neither: no outputs, no execution count.
    Clear,
}

impl OutputsChoice {
    /// Parse a configuration value (`ours`, `theirs`, `clear`; case does not matter).
    pub fn parse(value: &str) -> Option<OutputsChoice> {
        match value.trim().to_ascii_lowercase().as_str() {
            "ours" => Some(OutputsChoice::Ours),
            "theirs" => Some(OutputsChoice::Theirs),
            "clear" => Some(OutputsChoice::Clear),
            _ => None,
        }
    }
}

/// Everything the merge needs besides the notebooks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeOptions {
    pub markers: Markers,
    pub outputs: OutputsChoice,
}

/// One conflict left in the merged notebook, for messages and tests. Cell indices are those of
/// the merged notebook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Conflict markers inside the source of this cell (`blocks` of them).
    Source { cell: usize, blocks: usize },
    /// Whole cells: each side's version between the marker cells starting at this index.
    Cells { cell: usize },
    /// Notebook metadata (or top-level fields) changed differently on both sides; the note
    /// cell at index 0 lists them.
    NotebookMetadata { paths: Vec<String> },
    /// The metadata of the cell after the note at `note` changed differently on both sides.
    CellMetadata { note: usize, paths: Vec<String> },
}

/// A merged notebook and what conflicts it holds (none: a clean merge).
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOutcome {
    pub notebook: Notebook,
    pub conflicts: Vec<Conflict>,
    /// Whether [`MergeOptions::outputs`] decided anything (some cell was re-run on both sides):
    /// if not, the merge is the same whatever it says.
    pub outputs_choice_used: bool,
}

impl MergeOutcome {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}
