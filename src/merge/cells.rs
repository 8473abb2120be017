//! The notebook merge: cell alignment, the merge of the cell sequence, and the merge of each
//! cell (see the module overview in [`super`]).

use std::collections::{HashMap, HashSet};

use crate::combine::{fresh_cell_id, match_cells};
use crate::myst::filter::MetadataFilter;
use crate::notebook::{json, Cell, CellType, Json, Map, Notebook};

use super::diff3::{self, Mode, Piece};
use super::text::{marker_lines, merge_source};
use super::value::{merge_maps, merge_scalar, KeyRules, ValueConflict};
use super::{Conflict, ConflictStyle, MergeOptions, MergeOutcome, OutputsChoice};

/// Cell metadata that Jupyter rewrites as a notebook is used (layout, timing): never a conflict.
/// A merged cell takes them from the side its outputs come from.
pub const TRANSIENT_CELL_METADATA: [&str; 8] = [
    "autoscroll",
    "collapsed",
    "scrolled",
    "trusted",
    "execution",
    "ExecuteTime",
    "heading_collapsed",
    "hidden",
];

/// Notebook metadata that Jupyter rewrites as a notebook is used (widget state): never a
/// conflict; ours' value is kept.
pub const TRANSIENT_NOTEBOOK_METADATA: [&str; 1] = ["widgets"];

/// Notebook metadata merged as one value: a kernelspec is one side's, never a mix.
pub const ATOMIC_NOTEBOOK_METADATA: [&str; 1] = ["kernelspec"];

/// Merge `ours` and `theirs`, with `base` as their common ancestor (`None`: they have none, as in
/// git's add/add, and only what both sides hold alike merges cleanly).
pub fn merge(
    base: Option<&Notebook>,
    ours: Notebook,
    theirs: Notebook,
    opts: &MergeOptions,
) -> MergeOutcome {
    let base_cells: &[Cell] = base.map_or(&[], |b| &b.cells);
    let align = Alignment::new(base_cells, &ours.cells, &theirs.cells);
    let side_duplicates = duplicate_ids(&[&ours.cells, &theirs.cells]);

    // The sequence of cells, merged as lines are.
    let mut regions = diff3::regions(&align.base_tok, &align.ours_tok, &align.theirs_tok, true);
    for r in &mut regions {
        // A cell one side deleted and the other edited is a conflict, as a line would be.
        let deleted_but_edited =
            |gone: &[Option<usize>], kept: &[Option<usize>], cells: &[Cell]| {
                r.base().any(|j| {
                    gone[j].is_none() && kept[j].is_some_and(|k| changed(&base_cells[j], &cells[k]))
                })
            };
        let conflict = match r.mode {
            Mode::Ours => deleted_but_edited(&align.ours_of, &align.theirs_of, &theirs.cells),
            Mode::Theirs => deleted_but_edited(&align.theirs_of, &align.ours_of, &ours.cells),
            _ => false,
        };
        if conflict {
            r.mode = Mode::Conflict;
        }
    }
    let regions = diff3::refine(regions, &align.ours_tok, &align.theirs_tok);
    let pieces = diff3::pieces(&regions, align.ours_tok.len());

    let Notebook {
        nbformat,
        nbformat_minor: ours_minor,
        metadata: ours_metadata,
        cells: ours_cells,
        extra: ours_extra,
    } = ours;
    let Notebook {
        nbformat_minor: theirs_minor,
        metadata: theirs_metadata,
        cells: theirs_cells,
        extra: theirs_extra,
        ..
    } = theirs;
    // Each cell is moved into the result once (a cell both sides moved to different places
    // appears at the first of them).
    let mut slots = Slots {
        ours: ours_cells.into_iter().map(Some).collect(),
        theirs: theirs_cells.into_iter().map(Some).collect(),
    };
    let mut out = Builder::new(opts);
    for piece in pieces {
        match piece {
            Piece::Ours(r) => {
                for i in r {
                    out.merged_cell(&align, align.ours_tok[i] as usize, base_cells, &mut slots);
                }
            }
            Piece::Theirs(r) => {
                for k in r {
                    out.merged_cell(&align, align.theirs_tok[k] as usize, base_cells, &mut slots);
                }
            }
            Piece::Conflict {
                ours: o, theirs: t, ..
            } => {
                // Each side's cells, merged with their versions elsewhere (a cell one side moved
                // here and the other edited in place is shown with both changes).
                let (open, sep, close, _) = marker_lines(&opts.markers);
                let at = out.cells.len();
                out.raw(open);
                for i in o {
                    out.merged_cell(&align, align.ours_tok[i] as usize, base_cells, &mut slots);
                }
                out.raw(sep);
                for k in t {
                    out.merged_cell(&align, align.theirs_tok[k] as usize, base_cells, &mut slots);
                }
                out.raw(close);
                out.conflicts.push(Conflict::Cells { cell: at });
            }
        }
    }

    // The notebook itself.
    let mut meta_conflicts = Vec::new();
    let rules = KeyRules {
        atomic: &ATOMIC_NOTEBOOK_METADATA,
        transient: &TRANSIENT_NOTEBOOK_METADATA,
        transient_theirs: false,
    };
    let metadata = merge_maps(
        base.map(|b| &b.metadata),
        &ours_metadata,
        &theirs_metadata,
        &rules,
        &[],
        &mut meta_conflicts,
    );
    prefix_paths(&mut meta_conflicts, "metadata");
    let extra = merge_maps(
        base.map(|b| &b.extra),
        &ours_extra,
        &theirs_extra,
        &KeyRules::default(),
        &[],
        &mut meta_conflicts,
    );
    let nbformat_minor = merge_scalar(base.map(|b| &b.nbformat_minor), &ours_minor, &theirs_minor)
        .unwrap_or_else(|_| ours_minor.max(theirs_minor));
    if !meta_conflicts.is_empty() {
        let intro = format!(
            "nbmyst: the notebook metadata changed differently on both sides. The notebook keeps \
             the values of {}: set the ones you want, then delete this cell.",
            opts.markers.labels.ours
        );
        let note = out.note(&intro, &meta_conflicts);
        out.insert_front(note, paths(&meta_conflicts));
    }

    let mut notebook = Notebook {
        nbformat,
        nbformat_minor,
        metadata,
        cells: out.cells,
        extra,
    };
    let upgraded = nbformat_minor >= 5 && (ours_minor < 5 || theirs_minor < 5);
    assign_ids(&mut notebook, &out.created, upgraded, &side_duplicates);
    MergeOutcome {
        notebook,
        conflicts: out.conflicts,
        outputs_choice_used: out.outputs_choice_used.get(),
    }
}

/// The cells of ours and theirs not yet moved into the result.
struct Slots {
    ours: Vec<Option<Cell>>,
    theirs: Vec<Option<Cell>>,
}

/// The ids that appear more than once on a side.
fn duplicate_ids(sides: &[&[Cell]]) -> HashSet<String> {
    let mut out = HashSet::new();
    for cells in sides {
        let mut seen = HashSet::new();
        for c in cells.iter() {
            if let Some(id) = c.id.as_deref() {
                if !seen.insert(id) {
                    out.insert(id.to_owned());
                }
            }
        }
    }
    out
}

/// Each cell's identity on each side: a cell and its versions share one token; base cell `j` is
/// token `j`.
struct Alignment {
    base_tok: Vec<u32>,
    ours_tok: Vec<u32>,
    theirs_tok: Vec<u32>,
    /// For each token, the index of its cell on that side.
    ours_of: Vec<Option<usize>>,
    theirs_of: Vec<Option<usize>>,
}

impl Alignment {
    fn new(base: &[Cell], ours: &[Cell], theirs: &[Cell]) -> Alignment {
        let mut ours_tok = side_tokens(ours, base);
        let mut theirs_tok = side_tokens(theirs, base);
        let mut next = base.len() as u32;

        // Cells both sides added: the same id, else the same type and source, is one cell.
        let mut by_id: HashMap<(&str, CellType), Vec<usize>> = HashMap::new();
        let mut by_source: HashMap<(CellType, &str), Vec<usize>> = HashMap::new();
        for (k, c) in theirs.iter().enumerate() {
            if theirs_tok[k].is_some() {
                continue;
            }
            if let Some(id) = &c.id {
                by_id.entry((id.as_str(), c.cell_type)).or_default().push(k);
            }
            by_source
                .entry((c.cell_type, c.source.as_str()))
                .or_default()
                .push(k);
        }
        for (i, c) in ours.iter().enumerate() {
            if ours_tok[i].is_some() {
                continue;
            }
            let free = |list: Option<&Vec<usize>>, taken: &[Option<u32>]| {
                list.and_then(|l| l.iter().copied().find(|&k| taken[k].is_none()))
            };
            let twin =
                c.id.as_deref()
                    .and_then(|id| free(by_id.get(&(id, c.cell_type)), &theirs_tok))
                    .or_else(|| {
                        free(
                            by_source.get(&(c.cell_type, c.source.as_str())),
                            &theirs_tok,
                        )
                    });
            ours_tok[i] = Some(next);
            if let Some(k) = twin {
                theirs_tok[k] = Some(next);
            }
            next += 1;
        }
        for t in theirs_tok.iter_mut().filter(|t| t.is_none()) {
            *t = Some(next);
            next += 1;
        }

        let count = next as usize;
        let ours_tok: Vec<u32> = ours_tok.into_iter().map(|t| t.unwrap_or(0)).collect();
        let theirs_tok: Vec<u32> = theirs_tok.into_iter().map(|t| t.unwrap_or(0)).collect();
        let index = |toks: &[u32]| {
            let mut of = vec![None; count];
            for (i, &t) in toks.iter().enumerate() {
                of[t as usize] = Some(i);
            }
            of
        };
        Alignment {
            base_tok: (0..base.len() as u32).collect(),
            ours_of: index(&ours_tok),
            theirs_of: index(&theirs_tok),
            ours_tok,
            theirs_tok,
        }
    }
}

/// Each cell of a side paired with its base cell, as a token (the base index): by id first (ids
/// that are unique on both sides and of the same cell type), then the other cells by
/// [`match_cells`] (equal source, then similar source between matched neighbours).
fn side_tokens(cells: &[Cell], base: &[Cell]) -> Vec<Option<u32>> {
    fn unique_ids(cells: &[Cell]) -> HashMap<&str, Option<usize>> {
        let mut ids: HashMap<&str, Option<usize>> = HashMap::new();
        for (j, c) in cells.iter().enumerate() {
            if let Some(id) = c.id.as_deref() {
                ids.entry(id).and_modify(|e| *e = None).or_insert(Some(j));
            }
        }
        ids
    }
    let mut toks: Vec<Option<u32>> = vec![None; cells.len()];
    let mut used = vec![false; base.len()];
    let (base_ids, side_ids) = (unique_ids(base), unique_ids(cells));
    for (id, i) in &side_ids {
        let (Some(i), Some(Some(j))) = (*i, base_ids.get(id).copied()) else {
            continue;
        };
        if cells[i].cell_type == base[j].cell_type {
            toks[i] = Some(j as u32);
            used[j] = true;
        }
    }
    let filter = MetadataFilter::default();
    let rest: Vec<usize> = (0..cells.len()).filter(|&i| toks[i].is_none()).collect();
    let rest_base: Vec<usize> = (0..base.len()).filter(|&j| !used[j]).collect();
    if rest.is_empty() || rest_base.is_empty() {
        return toks;
    }
    if rest.len() == cells.len() && rest_base.len() == base.len() {
        for (i, m) in match_cells(cells, base, &filter).iter().enumerate() {
            toks[i] = m.prior().map(|j| j as u32);
        }
        return toks;
    }
    // What the matcher looks at, without the outputs and without ids (those were used above).
    let light = |c: &Cell| Cell {
        cell_type: c.cell_type,
        id: None,
        metadata: c.metadata.clone(),
        source: c.source.clone(),
        outputs: None,
        execution_count: None,
        attachments: None,
        extra: Map::new(),
    };
    let sub: Vec<Cell> = rest.iter().map(|&i| light(&cells[i])).collect();
    let sub_base: Vec<Cell> = rest_base.iter().map(|&j| light(&base[j])).collect();
    for (k, m) in match_cells(&sub, &sub_base, &filter).iter().enumerate() {
        toks[rest[k]] = m.prior().map(|j| rest_base[j] as u32);
    }
    toks
}

/// Whether `side` differs from `base` in what a user edits: type, source, metadata other than
/// [`TRANSIENT_CELL_METADATA`], attachments, unknown fields (not outputs or execution counts).
fn changed(base: &Cell, side: &Cell) -> bool {
    base.cell_type != side.cell_type
        || base.source != side.source
        || base.attachments != side.attachments
        || base.extra != side.extra
        || !same_except(&base.metadata, &side.metadata, &TRANSIENT_CELL_METADATA)
}

fn same_except(a: &Map, b: &Map, ignored: &[&str]) -> bool {
    let kept = |k: &String| !ignored.contains(&k.as_str());
    a.iter()
        .filter(|(k, _)| kept(k))
        .all(|(k, v)| b.get(k) == Some(v))
        && b.keys().filter(|k| kept(k)).all(|k| a.contains_key(k))
}

/// Whose execution state (outputs, execution count, transient metadata) a merged cell takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provenance {
    Ours,
    Theirs,
    /// Neither side's: the merged source is new.
    Neither,
}

/// The merged cells, as they are built.
struct Builder<'a> {
    opts: &'a MergeOptions,
    cells: Vec<Cell>,
    /// Whether each cell was made by the merge (markers, notes): those get fresh ids.
    created: Vec<bool>,
    conflicts: Vec<Conflict>,
    /// Set when [`MergeOptions::outputs`] decided a cell's outputs.
    outputs_choice_used: std::cell::Cell<bool>,
}

impl<'a> Builder<'a> {
    fn new(opts: &'a MergeOptions) -> Builder<'a> {
        Builder {
            opts,
            cells: Vec::new(),
            created: Vec::new(),
            conflicts: Vec::new(),
            outputs_choice_used: std::cell::Cell::new(false),
        }
    }

    fn push(&mut self, cell: Cell, created: bool) -> usize {
        self.cells.push(cell);
        self.created.push(created);
        self.cells.len() - 1
    }

    fn raw(&mut self, text: String) {
        self.push(Cell::new(CellType::Raw, text), true);
    }

    /// The cell of token `tok`, merged from its versions (once: a later call does nothing).
    fn merged_cell(&mut self, align: &Alignment, tok: usize, base: &[Cell], slots: &mut Slots) {
        let b = base.get(tok);
        let o = align.ours_of[tok].and_then(|i| slots.ours[i].take());
        let t = align.theirs_of[tok].and_then(|k| slots.theirs[k].take());
        match (o, t) {
            (Some(o), Some(t)) => self.merge_pair(b, o, t),
            (Some(c), None) | (None, Some(c)) => {
                self.push(c, false);
            }
            (None, None) => {}
        }
    }

    fn merge_pair(&mut self, b: Option<&Cell>, o: Cell, t: Cell) {
        if o == t || b == Some(&t) {
            self.push(o, false);
            return;
        }
        if b == Some(&o) {
            self.push(t, false);
            return;
        }
        if o.cell_type != t.cell_type {
            // One side changed the type: its version wins if the other side changed nothing a
            // user edits; else both versions are shown.
            if b.is_some_and(|b| !changed(b, &t)) {
                self.push(o, false);
            } else if b.is_some_and(|b| !changed(b, &o)) {
                self.push(t, false);
            } else {
                self.cells_conflict(vec![o], vec![t]);
            }
            return;
        }

        let source = merge_source(
            b.map(|b| b.source.as_str()),
            &o.source,
            &t.source,
            &self.opts.markers,
        );
        // A source in conflict holds ours' lines first, and usually ends as one side's: until
        // the user decides, it keeps ours' outputs rather than none.
        let side = match (source.merged == o.source, source.merged == t.source) {
            _ if source.conflicts > 0 => Provenance::Ours,
            (true, true) => self.rerun_side(b, &o, &t),
            (true, false) => Provenance::Ours,
            (false, true) => Provenance::Theirs,
            (false, false) => Provenance::Neither,
        };
        let mut conflicts = Vec::new();
        let rules = KeyRules {
            atomic: &[],
            transient: &TRANSIENT_CELL_METADATA,
            transient_theirs: side == Provenance::Theirs,
        };
        let mut metadata = merge_maps(
            b.map(|b| &b.metadata),
            &o.metadata,
            &t.metadata,
            &rules,
            &[],
            &mut conflicts,
        );
        let state_side = match side {
            Provenance::Ours => Some(&o),
            Provenance::Theirs => Some(&t),
            Provenance::Neither => None,
        };
        // Execution state comes from one side, or (a new source) is reset to the base's.
        let state_meta = match (state_side, b) {
            (Some(s), _) => Some(&s.metadata),
            (None, Some(b)) => Some(&b.metadata),
            (None, None) => None,
        };
        if let Some(state) = state_meta {
            for key in TRANSIENT_CELL_METADATA {
                match state.get(key) {
                    Some(v) => {
                        metadata.insert(key.to_owned(), v.clone());
                    }
                    None => {
                        metadata.shift_remove(key);
                    }
                }
            }
        }
        prefix_paths(&mut conflicts, "metadata");
        let extra = merge_maps(
            b.map(|b| &b.extra),
            &o.extra,
            &t.extra,
            &KeyRules::default(),
            &[],
            &mut conflicts,
        );
        let attachments =
            match merge_scalar(b.map(|b| &b.attachments), &o.attachments, &t.attachments) {
                Ok(a) => a,
                Err(_) if side == Provenance::Theirs => t.attachments.clone(),
                Err(ours) => ours,
            };
        let (outputs, execution_count) = match side {
            Provenance::Ours => (o.outputs, o.execution_count),
            Provenance::Theirs => (t.outputs, t.execution_count),
            Provenance::Neither => (
                (o.outputs.is_some() || t.outputs.is_some()).then(Vec::new),
                (o.execution_count.is_some() || t.execution_count.is_some()).then_some(Json::Null),
            ),
        };
        let cell = Cell {
            cell_type: o.cell_type,
            // A side that gave the cell a new id (a cell it re-created) wins, as for any value;
            // of two new ids the smaller, so that the result does not depend on the order of the
            // sides.
            id: merge_scalar(b.map(|b| &b.id), &o.id, &t.id)
                .unwrap_or_else(|_| o.id.clone().min(t.id.clone()).or(o.id).or(t.id)),
            metadata,
            source: source.merged,
            outputs,
            execution_count,
            attachments,
            extra,
        };
        if !conflicts.is_empty() {
            let intro = format!(
                "nbmyst: the metadata of the next cell changed differently on both sides. The \
                 cell keeps the values of {}: set the ones you want, then delete this cell.",
                self.opts.markers.labels.ours
            );
            let note = self.note(&intro, &conflicts);
            let at = self.push(note, true);
            self.conflicts.push(Conflict::CellMetadata {
                note: at,
                paths: paths(&conflicts),
            });
        }
        let at = self.push(cell, false);
        if source.conflicts > 0 {
            self.conflicts.push(Conflict::Source {
                cell: at,
                blocks: source.conflicts,
            });
        }
    }

    /// Both sides left the source as the merge has it: whose outputs does the cell keep?
    fn rerun_side(&self, b: Option<&Cell>, o: &Cell, t: &Cell) -> Provenance {
        fn state(c: &Cell) -> (Option<&Vec<Json>>, Option<&Json>) {
            (c.outputs.as_ref(), c.execution_count.as_ref())
        }
        if state(o) == state(t) {
            return Provenance::Ours;
        }
        let ours_ran = b.is_none_or(|b| state(b) != state(o));
        let theirs_ran = b.is_none_or(|b| state(b) != state(t));
        match (ours_ran, theirs_ran) {
            (true, false) => Provenance::Ours,
            (false, true) => Provenance::Theirs,
            _ => match self.outputs_choice() {
                OutputsChoice::Ours => Provenance::Ours,
                OutputsChoice::Theirs => Provenance::Theirs,
                OutputsChoice::Clear => Provenance::Neither,
            },
        }
    }

    /// The outputs setting, noting that it was asked for.
    fn outputs_choice(&self) -> OutputsChoice {
        self.outputs_choice_used.set(true);
        self.opts.outputs
    }

    /// Whole cells in conflict: ours' cells and theirs' cells between marker cells.
    fn cells_conflict(&mut self, ours: Vec<Cell>, theirs: Vec<Cell>) {
        let (open, sep, close, _) = marker_lines(&self.opts.markers);
        let at = self.cells.len();
        self.raw(open);
        for c in ours {
            self.push(c, false);
        }
        self.raw(sep);
        for c in theirs {
            self.push(c, false);
        }
        self.raw(close);
        self.conflicts.push(Conflict::Cells { cell: at });
    }

    /// A raw cell showing conflicting values between markers, after an explanation.
    fn note(&self, intro: &str, conflicts: &[ValueConflict]) -> Cell {
        let (open, sep, close, mid) = marker_lines(&self.opts.markers);
        let show = |path: &[String], v: &Option<Json>| {
            let value = match v {
                Some(v) => json::to_python_json_compact(v, false, true),
                None => "(absent)".to_owned(),
            };
            format!("{}: {value}", path.join("."))
        };
        let mut lines = vec![intro.to_owned(), open];
        lines.extend(conflicts.iter().map(|c| show(&c.path, &c.ours)));
        if self.opts.markers.style == ConflictStyle::Diff3 {
            lines.push(mid);
            lines.extend(conflicts.iter().map(|c| show(&c.path, &c.base)));
        }
        lines.push(sep);
        lines.extend(conflicts.iter().map(|c| show(&c.path, &c.theirs)));
        lines.push(close);
        Cell::new(CellType::Raw, lines.join("\n"))
    }

    /// Put a note at the top; the cell indices of earlier conflicts move down by one.
    fn insert_front(&mut self, note: Cell, paths: Vec<String>) {
        self.cells.insert(0, note);
        self.created.insert(0, true);
        for c in &mut self.conflicts {
            match c {
                Conflict::Source { cell, .. } | Conflict::Cells { cell } => *cell += 1,
                Conflict::CellMetadata { note, .. } => *note += 1,
                Conflict::NotebookMetadata { .. } => {}
            }
        }
        self.conflicts
            .insert(0, Conflict::NotebookMetadata { paths });
    }
}

fn prefix_paths(conflicts: &mut [ValueConflict], prefix: &str) {
    for c in conflicts {
        c.path.insert(0, prefix.to_owned());
    }
}

fn paths(conflicts: &[ValueConflict]) -> Vec<String> {
    conflicts.iter().map(|c| c.path.join(".")).collect()
}

/// Cell ids at nbformat 4.5 and later: cells the merge made get fresh ids (when the notebook's
/// cells have ids at all), an id that the merge duplicated is replaced, and when the merge raised
/// the minor version (one side was older) every cell gets one. Duplicates the sides already had
/// stay as they were. Below 4.5 nothing is touched.
fn assign_ids(
    nb: &mut Notebook,
    created: &[bool],
    upgraded: bool,
    side_duplicates: &HashSet<String>,
) {
    if nb.nbformat != 4 || nb.nbformat_minor < 5 {
        return;
    }
    let kept_ids = nb
        .cells
        .iter()
        .zip(created)
        .any(|(c, &made)| !made && c.id.is_some());
    let only_made = created.iter().all(|&made| made);
    let give_new = kept_ids || only_made || upgraded;
    let mut taken: HashSet<String> = nb.cells.iter().filter_map(|c| c.id.clone()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    for (pos, cell) in nb.cells.iter_mut().enumerate() {
        let needs = match &cell.id {
            None => give_new && (created[pos] || upgraded),
            Some(id) => seen.contains(id) && !side_duplicates.contains(id),
        };
        if needs {
            let id = fresh_cell_id(&cell.source, pos, &taken);
            taken.insert(id.clone());
            cell.id = Some(id);
        }
        if let Some(id) = &cell.id {
            seen.insert(id.clone());
        }
    }
}
