//! The diff of two notebooks: unified hunks of their MyST views, and under each cell whose
//! outputs changed a short block accounting for them; then one line each for what the view
//! does not show (execution counts alone, hidden metadata, the JSON text alone).
//!
//! ```text
//! diff --git a/nb.ipynb b/nb.ipynb
//! index 1f0e3d1..9c4b2a7 100644
//! --- a/nb.ipynb
//! +++ b/nb.ipynb
//! @@ -14,7 +14,7 @@ print(v1)
//!  ```{code-cell} ipython3
//!  # cell 2
//! -v2 = 2
//! +v2 = 20
//!  print(v2)
//!  ```
//!
//! ## outputs of cell 2 (# cell 2), execution count 3 -> 4
//!  [0] stream stdout
//! -  | v2=2
//! +  | v2=20
//! ## execution count changed, outputs the same: cell 4 (5 -> 6)
//! ```

use std::io;

use crate::myst::filter::{
    filter_metadata, is_py_whitespace, MetadataFilter, DEFAULT_CELL_METADATA,
};
use crate::notebook::{Cell, CellType, Json, Map, Notebook};

use super::align::{align, Pair};
use super::header::FileHeader;
use super::lines::{CutSide, LineDiff};
use super::outputs::{account, clean_line, AccountLine};
use super::paint::{Painter, Sign};

/// How many cells a summary line names before it says "and N more".
pub const SUMMARY_MAX_CELLS: usize = 10;

/// How many characters of a cell's first line name it in a block title.
const EXCERPT_CHARS: usize = 40;

/// One side of the diff: the notebook and its MyST view.
pub struct NotebookSide<'a> {
    pub notebook: &'a Notebook,
    /// The MyST text of the notebook, as textconv prints it.
    pub myst: &'a str,
    /// The cell metadata filter the view was written with (from the configuration or the
    /// notebook), to tell metadata the view shows from metadata it hides.
    pub cell_filter: MetadataFilter,
}

/// What is shown of a notebook diff, before it is written.
struct Plan<'t> {
    diff: LineDiff<'t>,
    blocks: Vec<Block>,
    summaries: Vec<String>,
}

/// Where a block goes: after the line that ends its cell, on the new side (or on the old side
/// for a removed cell). Line numbers count from 1.
#[derive(Clone, Copy, Debug)]
enum Position {
    Old(usize),
    New(usize),
}

/// The outputs account of one cell.
struct Block {
    position: Position,
    title: String,
    old: Vec<AccountLine>,
    new: Vec<AccountLine>,
}

/// Write the diff of two notebooks (`None`: the file is added or deleted) under `header`, with
/// `context` lines around each change. `bytes_differ` says whether the files differ at all,
/// so a change of the JSON text alone still gets a line. Returns whether it reported a change
/// (a change of the JSON text alone does not count).
pub fn write_notebook_diff(
    painter: &mut Painter,
    header: &FileHeader,
    old: Option<&NotebookSide>,
    new: Option<&NotebookSide>,
    context: usize,
    bytes_differ: bool,
) -> io::Result<bool> {
    let plan = plan(old, new);
    let hunks = plan.diff.hunks(context);
    let changed = header.reports_change()
        || !hunks.is_empty()
        || !plan.blocks.is_empty()
        || !plan.summaries.is_empty();
    if !changed && !bytes_differ {
        return Ok(false);
    }
    header.write(painter)?;
    let layout_only = !changed && bytes_differ;
    if hunks.is_empty() && plan.blocks.is_empty() && plan.summaries.is_empty() && !layout_only {
        return Ok(changed);
    }
    header.write_names(painter)?;
    let mut blocks = plan.blocks.iter().peekable();
    for hunk in &hunks {
        while let Some(block) =
            blocks.next_if(|b| ends_before(b.position, hunk.old.start, hunk.new.start))
        {
            write_block(painter, block, context)?;
        }
        // A block whose cell ends inside the hunk cuts it there, when both parts change text.
        let mut rest = hunk.clone();
        while let Some(block) = blocks.peek() {
            if !ends_before(block.position, rest.old.end, rest.new.end) {
                break;
            }
            let cut = match block.position {
                Position::Old(end) => rest.split_at(CutSide::Old, end),
                Position::New(end) => rest.split_at(CutSide::New, end),
            };
            let Some((first, second)) = cut.filter(|(first, second)| {
                plan.diff.changes_text(first) && plan.diff.changes_text(second)
            }) else {
                break;
            };
            plan.diff.write_hunk(painter, &first)?;
            write_block(painter, block, context)?;
            blocks.next();
            rest = second;
        }
        plan.diff.write_hunk(painter, &rest)?;
        while let Some(block) =
            blocks.next_if(|b| ends_before(b.position, hunk.old.end, hunk.new.end))
        {
            write_block(painter, block, context)?;
        }
    }
    for block in blocks {
        write_block(painter, block, context)?;
    }
    for summary in &plan.summaries {
        painter.note(summary)?;
    }
    if layout_only {
        painter.note("## only the JSON text differs: cells, outputs and metadata are the same")?;
    }
    Ok(changed)
}

/// Whether a cell ending at `position` ends at or before the given line counts.
fn ends_before(position: Position, old_lines: usize, new_lines: usize) -> bool {
    match position {
        Position::Old(end) => end <= old_lines,
        Position::New(end) => end <= new_lines,
    }
}

fn plan<'t>(old: Option<&'t NotebookSide>, new: Option<&'t NotebookSide>) -> Plan<'t> {
    let old_text = old.map_or("", |s| s.myst);
    let new_text = new.map_or("", |s| s.myst);
    let diff = LineDiff::of_texts(old_text.as_bytes(), new_text.as_bytes());
    let no_cells: &[Cell] = &[];
    let old_cells = old.map_or(no_cells, |s| &s.notebook.cells);
    let new_cells = new.map_or(no_cells, |s| &s.notebook.cells);
    let old_ends = cell_ends(old_text, old_cells);
    let new_ends = cell_ends(new_text, new_cells);

    let mut blocks = Vec::new();
    let mut counts_only = Vec::new();
    let mut hidden_cells = Vec::new();
    for pair in align(old_cells, new_cells) {
        match pair {
            Pair::Both(o, n) => {
                let (before, after) = (&old_cells[o], &new_cells[n]);
                // Equal outputs have equal accounts: skip decoding their images.
                let same_outputs =
                    before.cell_type == after.cell_type && before.outputs == after.outputs;
                let (old_account, new_account) = if same_outputs {
                    (Vec::new(), Vec::new())
                } else {
                    (cell_account(before), cell_account(after))
                };
                let counts = (before.cell_type == CellType::Code
                    && after.cell_type == CellType::Code
                    && count_text(before) != count_text(after))
                .then(|| (count_text(before), count_text(after)));
                if old_account != new_account {
                    let mut title = format!("## outputs of cell {n}{}", excerpt(after));
                    if let Some((a, b)) = &counts {
                        title.push_str(&format!(", execution count {a} -> {b}"));
                    }
                    blocks.push(Block {
                        position: Position::New(new_ends[n]),
                        title,
                        old: old_account,
                        new: new_account,
                    });
                } else if let Some((a, b)) = counts {
                    counts_only.push(format!("cell {n} ({a} -> {b})"));
                }
                if let (Some(old), Some(new)) = (old, new) {
                    let keys =
                        hidden_cell_changes(before, after, &old.cell_filter, &new.cell_filter);
                    if !keys.is_empty() {
                        hidden_cells.push(format!("cell {n} ({})", keys.join(", ")));
                    }
                }
            }
            Pair::Added(n) => {
                let new_account = cell_account(&new_cells[n]);
                if !new_account.is_empty() {
                    blocks.push(Block {
                        position: Position::New(new_ends[n]),
                        title: format!("## outputs of new cell {n}{}", excerpt(&new_cells[n])),
                        old: Vec::new(),
                        new: new_account,
                    });
                }
            }
            Pair::Removed(o) => {
                let old_account = cell_account(&old_cells[o]);
                if !old_account.is_empty() {
                    blocks.push(Block {
                        position: Position::Old(old_ends[o]),
                        title: format!("## outputs of removed cell {o}{}", excerpt(&old_cells[o])),
                        old: old_account,
                        new: Vec::new(),
                    });
                }
            }
        }
    }

    let mut summaries = Vec::new();
    if let (Some(old), Some(new)) = (old, new) {
        summaries.extend(notebook_summary(old, new));
    }
    if !hidden_cells.is_empty() {
        summaries.push(format!(
            "## cell metadata not in the MyST view changed: {}",
            capped(&hidden_cells)
        ));
    }
    if !counts_only.is_empty() {
        summaries.push(format!(
            "## execution count changed, outputs the same: {}",
            capped(&counts_only)
        ));
    }
    Plan {
        diff,
        blocks,
        summaries,
    }
}

/// The account of a code cell's outputs (other cells have none).
fn cell_account(cell: &Cell) -> Vec<AccountLine> {
    match (&cell.cell_type, &cell.outputs) {
        (CellType::Code, Some(outputs)) => account(outputs),
        _ => Vec::new(),
    }
}

/// An execution count as text: the number, or `none`.
fn count_text(cell: &Cell) -> String {
    match &cell.execution_count {
        None | Some(Json::Null) => "none".to_owned(),
        Some(Json::Int(digits)) => digits.clone(),
        Some(other) => crate::notebook::json::to_python_json_compact(other, false, true),
    }
}

/// ` (first line of the source)`, shortened; empty for an empty cell.
fn excerpt(cell: &Cell) -> String {
    let Some(line) = cell.source.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return String::new();
    };
    let line = clean_line(line);
    let mut short: String = line.chars().take(EXCERPT_CHARS).collect();
    if short.len() < line.len() {
        short.push_str("...");
    }
    format!(" ({short})")
}

/// `a, b, c, and 4 more`.
fn capped(items: &[String]) -> String {
    let mut text = items[..items.len().min(SUMMARY_MAX_CELLS)].join(", ");
    if items.len() > SUMMARY_MAX_CELLS {
        text.push_str(&format!(", and {} more", items.len() - SUMMARY_MAX_CELLS));
    }
    text
}

/// Keys of a cell's metadata that changed but that the MyST view does not show, plus
/// `attachments` when those changed.
fn hidden_cell_changes(
    old: &Cell,
    new: &Cell,
    old_filter: &MetadataFilter,
    new_filter: &MetadataFilter,
) -> Vec<String> {
    let mut keys = Vec::new();
    if old.metadata != new.metadata {
        let default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
        let shown_old = filter_metadata(&old.metadata, old_filter, &default);
        let shown_new = filter_metadata(&new.metadata, new_filter, &default);
        for key in changed_keys(&old.metadata, &new.metadata) {
            // `trusted` never reaches the view; other keys are hidden when the filtered
            // metadata agree on them.
            if key == "trusted" || shown_old.get(&key) == shown_new.get(&key) {
                keys.push(key);
            }
        }
    }
    if old.attachments != new.attachments {
        keys.push("attachments".to_owned());
    }
    keys
}

/// Keys whose values differ (present on one side only included), in the new side's order, then
/// the removed ones in the old side's order.
fn changed_keys(old: &Map, new: &Map) -> Vec<String> {
    let mut keys: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    keys.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    keys
}

/// Lines about the notebook itself: metadata keys that changed but are not in the view's YAML
/// header, and a change of the nbformat version.
fn notebook_summary(old: &NotebookSide, new: &NotebookSide) -> Vec<String> {
    let mut lines = Vec::new();
    let (a, b) = (old.notebook, new.notebook);
    if a.metadata != b.metadata {
        let headers = [yaml_header(old.myst), yaml_header(new.myst)];
        let hidden: Vec<String> = changed_keys(&a.metadata, &b.metadata)
            .into_iter()
            .filter(|key| !headers.iter().any(|h| names_key(h, key)))
            .collect();
        if !hidden.is_empty() {
            lines.push(format!(
                "## notebook metadata not in the MyST view changed: {}",
                hidden.join(", ")
            ));
        }
    }
    if (a.nbformat, a.nbformat_minor) != (b.nbformat, b.nbformat_minor) {
        lines.push(format!(
            "## nbformat {}.{} -> {}.{}",
            a.nbformat, a.nbformat_minor, b.nbformat, b.nbformat_minor
        ));
    }
    lines
}

/// The YAML header of a MyST text (between the `---` lines), or "".
fn yaml_header(text: &str) -> &str {
    let Some(body) = text.strip_prefix("---\n") else {
        return "";
    };
    match body.find("\n---\n") {
        Some(end) => &body[..end + 1],
        None => "",
    }
}

/// Whether a YAML header has a mapping key `key` (at the top level or under `jupyter:`).
fn names_key(header: &str, key: &str) -> bool {
    header.lines().any(|line| {
        line.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// For each cell, the line (counted from 1) of the MyST text where the cell ends: its last
/// source line, or its closing fence. Found by looking for each cell's source in order after
/// the previous one; a cell that cannot be found (a YAML front-matter raw cell, merged into the
/// header) gets the previous cell's line.
fn cell_ends(text: &str, cells: &[Cell]) -> Vec<usize> {
    let total_lines = text.lines().count();
    let mut cursor = match yaml_header(text) {
        "" => 0,
        header => "---\n".len() + header.len() + "---\n".len(),
    };
    let mut line = text[..cursor].matches('\n').count();
    let mut last = line;
    let mut ends = Vec::with_capacity(cells.len());
    for cell in cells {
        let mut at = cursor;
        let fenced = cell.cell_type != CellType::Markdown;
        if fenced {
            let directive = if cell.cell_type == CellType::Code {
                "{code-cell}"
            } else {
                "{raw-cell}"
            };
            if let Some(found) = text[at..].find(directive) {
                at += found;
                at = text[at..].find('\n').map_or(text.len(), |nl| at + nl + 1);
            }
        }
        let source = cell.source.trim_end_matches(is_py_whitespace);
        let end = if source.is_empty() {
            Some(at)
        } else {
            text[at..]
                .find(source)
                .map(|found| at + found + source.len())
        };
        match end {
            Some(end) => {
                line += text[cursor..end].matches('\n').count();
                cursor = end;
                last = (line + 1 + usize::from(fenced)).min(total_lines);
                ends.push(last);
            }
            None => ends.push(last),
        }
    }
    ends
}

/// Write one block: its title, then the diff of the two accounts with `context` lines around
/// each change, each changed output's first line, and `...` where lines are left out.
fn write_block(painter: &mut Painter, block: &Block, context: usize) -> io::Result<()> {
    painter.note(&block.title)?;
    let with_newline = |lines: &[AccountLine]| -> Vec<Vec<u8>> {
        lines
            .iter()
            .map(|l| {
                let mut bytes = l.text.clone().into_bytes();
                bytes.push(b'\n');
                bytes
            })
            .collect()
    };
    let old = with_newline(&block.old);
    let new = with_newline(&block.new);
    let diff = LineDiff::new(
        old.iter().map(Vec::as_slice).collect(),
        new.iter().map(Vec::as_slice).collect(),
    );
    // Rows in display order: (sign, line, is an output's first line).
    let mut rows: Vec<(Sign, &[u8], bool)> = Vec::new();
    for op in diff.ops() {
        let equal = matches!(op, similar::DiffOp::Equal { .. });
        for i in op.old_range() {
            let sign = if equal { Sign::Context } else { Sign::Old };
            rows.push((sign, &old[i], block.old[i].header));
        }
        if !equal {
            for i in op.new_range() {
                rows.push((Sign::New, &new[i], block.new[i].header));
            }
        }
    }
    let mut shown = vec![false; rows.len()];
    let mut output_start = 0;
    for (r, row) in rows.iter().enumerate() {
        if row.2 {
            output_start = r;
        }
        if row.0 != Sign::Context {
            let from = r.saturating_sub(context);
            let to = (r + context).min(rows.len() - 1);
            shown[from..=to].iter_mut().for_each(|s| *s = true);
            shown[output_start] = true;
        }
    }
    let mut skipped = false;
    for (r, row) in rows.iter().enumerate() {
        if shown[r] {
            if skipped {
                painter.body(Sign::Context, b"...\n")?;
                skipped = false;
            }
            painter.body(row.0, row.1)?;
        } else {
            skipped = true;
        }
    }
    if skipped {
        painter.body(Sign::Context, b"...\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(source: &str) -> Cell {
        Cell::new(CellType::Code, source)
    }

    #[test]
    fn cell_ends_in_a_myst_text() {
        let text = "---\njupytext:\n  x: 1\n---\n\n# Title\n\n```{code-cell} ipython3\nx = 1\nprint(x)\n```\n\n```{code-cell} ipython3\n```\n";
        let cells = [
            Cell::new(CellType::Markdown, "# Title"),
            code("x = 1\nprint(x)"),
            code(""),
        ];
        assert_eq!(cell_ends(text, &cells), [6, 11, 14]);
    }

    #[test]
    fn summaries_are_capped() {
        let items: Vec<String> = (0..12).map(|i| format!("cell {i}")).collect();
        assert!(capped(&items).ends_with("cell 9, and 2 more"));
        assert_eq!(capped(&items[..2]), "cell 0, cell 1");
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt(&code("\n  # cell 2\nx")), " (# cell 2)");
        assert_eq!(excerpt(&code("")), "");
        let long = "y".repeat(50);
        assert_eq!(excerpt(&code(&long)), format!(" ({}...)", "y".repeat(40)));
    }
}
