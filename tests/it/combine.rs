//! `combine`: putting outputs, ids and hidden metadata back on cells read from text.
//!
//! The jupytext mappings quoted below are the table of `spec/sync.md` §6.2 (also re-checked with
//! jupytext 1.19.6's `map_outputs_to_inputs` on the concrete sources used here). Each row says
//! whether nbmyst matches jupytext or differs on purpose.

use std::collections::HashSet;

use nbmyst::combine::{
    combine, first_input_difference, match_cells, CellMatch, CombineOptions, InputDifference,
    InputDifferenceKind,
};
use nbmyst::myst::filter::MetadataFilter;
use nbmyst::notebook::{Cell, CellType, Json, Map, Notebook};

fn s(v: &str) -> Json {
    Json::Str(v.to_string())
}

fn int(n: i64) -> Json {
    Json::Int(n.to_string())
}

fn obj(pairs: &[(&str, Json)]) -> Map {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn stream(text: &str) -> Json {
    Json::Object(obj(&[
        ("name", s("stdout")),
        ("output_type", s("stream")),
        ("text", s(text)),
    ]))
}

fn notebook(minor: u64, metadata: Map, cells: Vec<Cell>) -> Notebook {
    Notebook {
        nbformat: 4,
        nbformat_minor: minor,
        metadata,
        cells,
        extra: Map::new(),
    }
}

/// A prior notebook (4.5): cell j has id `cell{j}`, output `out{j}` and execution count j+1.
fn prior_of(cells: &[(CellType, &str)]) -> Notebook {
    let cells = cells
        .iter()
        .enumerate()
        .map(|(j, &(t, src))| {
            let mut c = Cell::new(t, src);
            c.id = Some(format!("cell{j}"));
            if t == CellType::Code {
                c.outputs = Some(vec![stream(&format!("out{j}"))]);
                c.execution_count = Some(int(j as i64 + 1));
            }
            c
        })
        .collect();
    notebook(5, Map::new(), cells)
}

/// A notebook as read from text: inputs only.
fn text_of(cells: &[(CellType, &str)]) -> Notebook {
    let cells = cells.iter().map(|&(t, src)| Cell::new(t, src)).collect();
    notebook(5, Map::new(), cells)
}

fn code(src: &str) -> (CellType, &str) {
    (CellType::Code, src)
}

fn md(src: &str) -> (CellType, &str) {
    (CellType::Markdown, src)
}

/// Check one row: our pairing, and what the combined notebook holds for each kind of match.
fn check_row(
    prior: &[(CellType, &str)],
    text: &[(CellType, &str)],
    jupytext: &[Option<usize>],
    ours: &[CellMatch],
) {
    let prior_nb = prior_of(prior);
    let text_nb = text_of(text);
    assert_eq!(
        match_cells(&text_nb.cells, &prior_nb.cells, &MetadataFilter::default()),
        ours
    );
    assert_eq!(jupytext.len(), ours.len());

    let out = combine(&text_nb, &prior_nb, &CombineOptions::default());
    assert_eq!(out.cells.len(), text.len());
    let mut ids = HashSet::new();
    for (i, (cell, m)) in out.cells.iter().zip(ours).enumerate() {
        assert_eq!(cell.source, text[i].1, "cell {i}: source from the text");
        assert_eq!(cell.cell_type, text[i].0);
        let id = cell.id.clone().expect("4.5: every cell has an id");
        assert!(ids.insert(id.clone()), "cell {i}: duplicate id {id}");
        match *m {
            CellMatch::Same(j) => {
                assert_eq!(cell, &{
                    let mut c = prior_nb.cells[j].clone();
                    c.source = text[i].1.to_string();
                    c
                });
            }
            CellMatch::Edited(j) => {
                assert_eq!(id, format!("cell{j}"), "cell {i}: edited cell keeps its id");
                if cell.cell_type == CellType::Code {
                    assert_eq!(
                        cell.outputs,
                        Some(vec![]),
                        "cell {i}: stale outputs dropped"
                    );
                    assert_eq!(cell.execution_count, Some(Json::Null));
                }
            }
            CellMatch::New => {
                assert!(!id.starts_with("cell"), "cell {i}: new cell, fresh id");
                if cell.cell_type == CellType::Code {
                    assert_eq!(cell.outputs, Some(vec![]));
                    assert_eq!(cell.execution_count, Some(Json::Null));
                }
            }
        }
    }
}

use CellMatch::{Edited, New, Same};

const A: &str = "a = load('data.csv')";
const B: &str = "b = a.describe()";
const C: &str = "c = b.plot()";
const A2: &str = "a = load('data2.csv')";
const B2: &str = "b = a.describe(include='all')";

// §6.2 `a,b` → `a,b`: 0→0 1→1. Same as jupytext.
#[test]
fn row_unchanged() {
    check_row(
        &[code(A), code(B)],
        &[code(A), code(B)],
        &[Some(0), Some(1)],
        &[Same(0), Same(1)],
    );
}

// §6.2 `f('x', 1)` → `f( "x" ,1 )\n`: 0→0, quotes, spaces and commas ignored. Same as jupytext:
// the cell keeps its outputs.
#[test]
fn row_reformatted() {
    check_row(
        &[code("f('x', 1)")],
        &[code("f( \"x\" ,1 )\n")],
        &[Some(0)],
        &[Same(0)],
    );
}

// §6.2 `a,b,c` → `a,B,c`: jupytext 0→0 1→1 2→2 with b's stale outputs on B. Differs: B keeps b's
// id, its outputs and execution count are dropped.
#[test]
fn row_middle_edited() {
    check_row(
        &[code(A), code(B), code(C)],
        &[code(A), code(B2), code(C)],
        &[Some(0), Some(1), Some(2)],
        &[Same(0), Edited(1), Same(2)],
    );
}

// §6.2 `a,b` → `A,b`: jupytext 0→0 (stale) 1→1. Differs: A is edited, outputs dropped.
#[test]
fn row_first_edited() {
    check_row(
        &[code(A), code(B)],
        &[code(A2), code(B)],
        &[Some(0), Some(1)],
        &[Edited(0), Same(1)],
    );
}

// §6.2 `a,b` → `A,B`: jupytext 0→0 1→1, both stale. Differs: both edited, outputs dropped.
#[test]
fn row_all_edited() {
    check_row(
        &[code(A), code(B)],
        &[code(A2), code(B2)],
        &[Some(0), Some(1)],
        &[Edited(0), Edited(1)],
    );
}

// §6.2 `a,b` → `new,a,b`: 0→- 1→0 2→1. Same as jupytext.
#[test]
fn row_prepended() {
    check_row(
        &[code(A), code(B)],
        &[code("new = 0"), code(A), code(B)],
        &[None, Some(0), Some(1)],
        &[New, Same(0), Same(1)],
    );
}

// §6.2 `a,b` → `a,new,B`: jupytext 0→0 1→1 2→-, the inserted cell takes b's outputs. Differs: the
// inserted cell is new, B is b edited (b's id, no outputs). Hard case 50.
#[test]
fn row_inserted_before_edited() {
    check_row(
        &[code(A), code(B)],
        &[code(A), code("new = 0"), code(B2)],
        &[Some(0), Some(1), None],
        &[Same(0), New, Edited(1)],
    );
}

// §6.2 `a,b,c` → `b,c`: 0→1 1→2. Same as jupytext; a's outputs are dropped with it.
#[test]
fn row_first_deleted() {
    check_row(
        &[code(A), code(B), code(C)],
        &[code(B), code(C)],
        &[Some(1), Some(2)],
        &[Same(1), Same(2)],
    );
}

// §6.2 `a,b` → `b,a`: 0→1 1→0. Same as jupytext.
#[test]
fn row_swapped() {
    check_row(
        &[code(A), code(B)],
        &[code(B), code(A)],
        &[Some(1), Some(0)],
        &[Same(1), Same(0)],
    );
}

// §6.2 split `a=1\nb=2` → `a=1`, `b=2`: jupytext 0→- 1→0, the second part takes all the outputs.
// Differs: neither part has the whole cell's source, so neither keeps outputs; the part most like
// the whole keeps its id.
#[test]
fn row_split() {
    let whole = "df = pd.read_csv('measurements.csv')\ndf";
    check_row(
        &[code(whole)],
        &[code("df = pd.read_csv('measurements.csv')"), code("df")],
        &[None, Some(0)],
        &[Edited(0), New],
    );
}

// §6.2 merge `a=1`, `b=2` → `a=1\nb=2`: jupytext 0→0 with a's stale outputs. Differs: the merged
// cell is an edit of the prior cell most like it, without outputs.
#[test]
fn row_merged() {
    check_row(
        &[code("df = pd.read_csv('measurements.csv')"), code("df")],
        &[code("df = pd.read_csv('measurements.csv')\ndf")],
        &[Some(0)],
        &[Edited(0)],
    );
}

// §6.2 `x,x` → `x`: 0→0. Same as jupytext.
#[test]
fn row_duplicate_removed() {
    check_row(
        &[code("x"), code("x")],
        &[code("x")],
        &[Some(0)],
        &[Same(0)],
    );
}

// §6.2 `x` → `x,x`: 0→0 1→-. Same as jupytext.
#[test]
fn row_duplicate_added() {
    check_row(
        &[code("x")],
        &[code("x"), code("x")],
        &[Some(0), None],
        &[Same(0), New],
    );
}

// §6.2 md `a`, code `b` → code `a`, code `b`: 0→- 1→1 (types must agree). Same as jupytext.
#[test]
fn row_type_changed() {
    check_row(
        &[md("a"), code("b")],
        &[code("a"), code("b")],
        &[None, Some(1)],
        &[New, Same(1)],
    );
}

// §6.2 `a,b` → `a,""` (emptied): 0→0 1→-. Same as jupytext.
#[test]
fn row_emptied() {
    check_row(
        &[code(A), code(B)],
        &[code(A), code("")],
        &[Some(0), None],
        &[Same(0), New],
    );
}

// §6.2 code `a`, md `t`, code `b` → code `a`, md `T`, code `b`: 0→0 1→1 2→2. Same mapping as
// jupytext (the markdown cell keeps its id; it has no outputs to lose).
#[test]
fn row_markdown_edited() {
    check_row(
        &[code(A), md("Some *text* here"), code(B)],
        &[code(A), md("Some text here!"), code(B)],
        &[Some(0), Some(1), Some(2)],
        &[Same(0), Edited(1), Same(2)],
    );
}

// §6.2 `a,b,c` → `X,a,Y,Z`: jupytext 0→- 1→0 2→1 3→2, Y and Z take b's and c's outputs. Differs:
// X, Y, Z are unrelated to b and c, so they are new and b, c are dropped.
#[test]
fn row_replaced() {
    check_row(
        &[code(A), code(B), code(C)],
        &[code("x = 0"), code(A), code("y = 1"), code("z = 2")],
        &[None, Some(0), Some(1), Some(2)],
        &[New, Same(0), New, New],
    );
}

// spec/sync.md §6.4: the observed 3-cell example. jupytext keeps `hi\n` and execution count 2 on
// the edited cell; nbmyst keeps its id and `collapsed`, not its outputs.
#[test]
fn observed_sync_example_keeps_id_and_hidden_metadata_of_edited_cell() {
    let mut prior = prior_of(&[code("x = 1\nx"), code("print('hi')")]);
    prior.cells[0].id = Some("cell1".into());
    prior.cells[1].id = Some("cell2".into());
    prior.cells[0]
        .metadata
        .insert("collapsed".into(), Json::Bool(true));
    let text = text_of(&[code("import os"), code("x = 1\nx"), code("print('hello')")]);
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(out.cells[1], prior.cells[0]);
    assert_eq!(out.cells[2].id.as_deref(), Some("cell2"));
    assert_eq!(out.cells[2].outputs, Some(vec![]));
    assert_eq!(out.cells[2].execution_count, Some(Json::Null));
    assert_eq!(out.cells[0].outputs, Some(vec![]));
}

#[test]
fn cell_ids_in_the_text_match_first() {
    // A moved and edited cell found through its id; a text id unknown to the prior notebook is
    // kept for the new cell.
    let prior = prior_of(&[code(A), code(B), code("zzz")]);
    let mut text = text_of(&[code("totally different"), code(A), code("brand new")]);
    text.cells[0].id = Some("cell1".into());
    text.cells[2].id = Some("mine".into());
    let m = match_cells(&text.cells, &prior.cells, &MetadataFilter::default());
    assert_eq!(m, [Edited(1), Same(0), New]);
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(out.cells[0].id.as_deref(), Some("cell1"));
    assert_eq!(out.cells[0].outputs, Some(vec![]));
    assert_eq!(out.cells[2].id.as_deref(), Some("mine"));

    // Same id but another type: not a match. Same id and same source: outputs kept.
    let mut text = text_of(&[md(A), code(B)]);
    text.cells[0].id = Some("cell0".into());
    text.cells[1].id = Some("cell1".into());
    assert_eq!(
        match_cells(&text.cells, &prior.cells, &MetadataFilter::default()),
        [New, Same(1)]
    );

    // A text id already taken by a kept cell, or invalid, is replaced by a fresh one.
    let mut text = text_of(&[code(A), code("new one"), code("another")]);
    text.cells[0].id = Some("cell0".into());
    text.cells[1].id = Some("cell0".into());
    text.cells[2].id = Some("not valid!".into());
    let out = combine(&text, &prior, &CombineOptions::default());
    let ids: Vec<&str> = out.cells.iter().filter_map(|c| c.id.as_deref()).collect();
    assert_eq!(ids[0], "cell0");
    assert_ne!(ids[1], "cell0");
    assert_ne!(ids[2], "not valid!");
}

#[test]
fn exact_source_wins_over_formatter_equivalent_source() {
    // Both prior cells are equal up to black_invariant; each text cell finds its exact twin.
    let prior = prior_of(&[code("f(1)"), code("f (1)")]);
    let text = text_of(&[code("f (1)"), code("f(1)")]);
    assert_eq!(
        match_cells(&text.cells, &prior.cells, &MetadataFilter::default()),
        [Same(1), Same(0)]
    );
}

#[test]
fn cells_with_the_same_source_are_told_apart_by_their_shown_metadata() {
    // Empty cells come back from the text without their blank lines (hard cases 5, 9): the one
    // with a tag must get the prior tagged cell, not the first empty one after its neighbour.
    let mut prior = prior_of(&[code(""), code("\n"), code("")]);
    prior.cells[2]
        .metadata
        .insert("tags".into(), Json::Array(vec![s("t")]));
    let mut text = text_of(&[code(""), code(""), code("")]);
    text.cells[2].metadata = prior.cells[2].metadata.clone();
    // jupytext (formatter-equivalent sources, in order): 0→0 1→1 2→2. Same.
    assert_eq!(
        match_cells(&text.cells, &prior.cells, &MetadataFilter::default()),
        [Same(0), Same(1), Same(2)]
    );
}

#[test]
fn every_cell_of_a_long_notebook_edited_keeps_its_id() {
    // 400 x 400 pairs in one gap: the comparison is limited to a band around each cell's
    // relative place, which still finds every in-place edit.
    let sources: Vec<String> = (0..400)
        .map(|k| format!("result_{k} = compute({k}, 'alpha')"))
        .collect();
    let prior = prior_of(&sources.iter().map(|x| code(x)).collect::<Vec<_>>());
    let edited: Vec<String> = sources.iter().map(|x| x.replace("alpha", "beta")).collect();
    let text = text_of(&edited.iter().map(|x| code(x)).collect::<Vec<_>>());
    let m = match_cells(&text.cells, &prior.cells, &MetadataFilter::default());
    assert_eq!(m, (0..400).map(Edited).collect::<Vec<_>>());
}

// Hard case 54: a 4.4 notebook stays 4.4 and gets no ids, not even on new cells (jupytext adds
// random ids to new cells there; nbformat does not define ids below 4.5).
#[test]
fn nbformat_4_4_gets_no_ids() {
    let mut prior = prior_of(&[code(A)]);
    prior.nbformat_minor = 4;
    prior.cells[0].id = None;
    let text = text_of(&[code(A), code("new = 1")]);
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!((out.nbformat, out.nbformat_minor), (4, 4));
    assert!(out.cells.iter().all(|c| c.id.is_none()));
    assert_eq!(out.cells[0], prior.cells[0]);
}

#[test]
fn nbformat_4_5_new_cells_get_valid_unique_deterministic_ids() {
    let prior = prior_of(&[code(A)]);
    let text = text_of(&[code("x"), code(A), code("x"), code("x"), md("x")]);
    let out = combine(&text, &prior, &CombineOptions::default());
    let ids: Vec<String> = out.cells.iter().map(|c| c.id.clone().unwrap()).collect();
    assert_eq!(ids[1], "cell0");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    for id in &ids {
        assert!(nbmyst::combine::is_valid_cell_id(id));
    }
    for id in [&ids[0], &ids[2], &ids[3], &ids[4]] {
        assert_eq!(id.len(), 8);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_eq!(out, combine(&text, &prior, &CombineOptions::default()));
}

#[test]
fn nbformat_and_unknown_top_level_keys_come_from_the_prior_notebook() {
    let mut prior = prior_of(&[code(A)]);
    prior.nbformat_minor = 5;
    prior.extra.insert("x-custom".into(), s("kept"));
    let mut text = text_of(&[code(A)]);
    text.nbformat_minor = 4;
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(out.nbformat_minor, 5);
    assert_eq!(out.extra, prior.extra);
}

#[test]
fn attachments_and_unknown_cell_keys_stay_on_matched_cells() {
    let mut prior = prior_of(&[
        md("![img](attachment:a.png) Some text"),
        md("![img](attachment:b.png) Other text"),
        md("dropped"),
    ]);
    let att = Json::Object(obj(&[(
        "a.png",
        Json::Object(obj(&[("image/png", s("iVBOR"))])),
    )]));
    for c in &mut prior.cells {
        c.attachments = Some(att.clone());
        c.extra.insert("x-unknown".into(), int(7));
    }
    let text = text_of(&[
        md("![img](attachment:a.png) Some text"),
        md("![img](attachment:b.png) Other text, edited"),
        md("a new paragraph, nothing like the old"),
    ]);
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(out.cells[0], prior.cells[0]);
    assert_eq!(out.cells[1].id.as_deref(), Some("cell1"));
    assert_eq!(out.cells[1].attachments, Some(att.clone()));
    assert_eq!(out.cells[1].extra, prior.cells[1].extra);
    assert_eq!(out.cells[2].attachments, None);
    assert!(out.cells[2].extra.is_empty());
}

#[test]
fn hidden_cell_metadata_comes_back_and_shown_metadata_follows_the_text() {
    let mut prior = prior_of(&[code(A), code(B)]);
    prior.cells[0].metadata = obj(&[
        ("collapsed", Json::Bool(true)),
        ("scrolled", s("auto")),
        ("ExecuteTime", Json::Object(obj(&[("end_time", s("t"))]))),
        (
            "execution",
            Json::Object(obj(&[("iopub.status.idle", s("t"))])),
        ),
        ("tags", Json::Array(vec![s("keep"), s("drop")])),
        ("lines_to_next_cell", int(2)),
        ("my key", int(1)),
        (
            "slideshow",
            Json::Object(obj(&[("slide_type", s("slide"))])),
        ),
    ]);
    prior.cells[1].metadata = obj(&[("tags", Json::Array(vec![]))]);
    let mut text = text_of(&[code(A), code(B2)]);
    // The user removed a tag and the slideshow key, and set `scrolled` by hand.
    text.cells[0].metadata = obj(&[
        ("tags", Json::Array(vec![s("keep")])),
        ("scrolled", Json::Bool(false)),
    ]);
    let out = combine(&text, &prior, &CombineOptions::default());
    let mut expected = obj(&[
        ("tags", Json::Array(vec![s("keep")])),
        // jupytext would put back the prior `"auto"`: a key written in the text wins here.
        ("scrolled", Json::Bool(false)),
        ("collapsed", Json::Bool(true)),
        ("ExecuteTime", Json::Object(obj(&[("end_time", s("t"))]))),
        (
            "execution",
            Json::Object(obj(&[("iopub.status.idle", s("t"))])),
        ),
        // Not a valid key for the text, so it was hidden: put back.
        ("my key", int(1)),
    ]);
    assert_eq!(out.cells[0].metadata, expected);
    // `lines_to_next_cell` is jupytext's text layout: never restored (as jupytext).
    assert!(!out.cells[0].metadata.contains_key("lines_to_next_cell"));
    // An empty `tags` list is hidden by the default filter: restored, on an edited cell too.
    expected = obj(&[("tags", Json::Array(vec![]))]);
    assert_eq!(out.cells[1].metadata, expected);
}

fn kernelspec() -> Json {
    Json::Object(obj(&[
        ("display_name", s("Python 3")),
        ("language", s("python")),
        ("name", s("python3")),
    ]))
}

fn language_info() -> Json {
    Json::Object(obj(&[("name", s("python")), ("version", s("3.11.7"))]))
}

fn text_representation() -> Json {
    Json::Object(obj(&[
        ("extension", s(".md")),
        ("format_name", s("myst")),
        ("format_version", Json::Float(0.13)),
        ("jupytext_version", s("1.19.6")),
    ]))
}

#[test]
fn notebook_metadata_default_filter() {
    // spec/sync.md §6.1: language_info, widgets, title come back from the .ipynb; kernelspec and
    // jupytext follow the header; text_representation is removed, default_lexer stays.
    let prior_md = obj(&[
        ("kernelspec", kernelspec()),
        ("language_info", language_info()),
        (
            "widgets",
            Json::Object(obj(&[("state", Json::Object(Map::new()))])),
        ),
        ("title", s("old")),
        ("orphan", Json::Bool(true)),
        (
            "jupytext",
            Json::Object(obj(&[("formats", s("ipynb,md:myst"))])),
        ),
    ]);
    let mut new_kernelspec = kernelspec();
    if let Json::Object(m) = &mut new_kernelspec {
        m.insert("display_name".into(), s("Python 3 (new)"));
    }
    let text_md = obj(&[
        (
            "jupytext",
            Json::Object(obj(&[
                ("formats", s("ipynb,md:myst")),
                ("text_representation", text_representation()),
            ])),
        ),
        ("kernelspec", new_kernelspec.clone()),
        ("title", s("new")),
    ]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let text = notebook(5, text_md, vec![]);
    let out = combine(&text, &prior, &CombineOptions::default());
    let expected = obj(&[
        (
            "jupytext",
            Json::Object(obj(&[("formats", s("ipynb,md:myst"))])),
        ),
        ("kernelspec", new_kernelspec),
        // jupytext would keep the .ipynb's `old`: a key written in the header wins here.
        ("title", s("new")),
        ("language_info", language_info()),
        ("widgets", prior_md["widgets"].clone()),
    ]);
    // `orphan` was deleted from the header: deleted from the notebook.
    assert_eq!(out.metadata, expected);
}

#[test]
fn notebook_metadata_jupytext_section() {
    // Only text_representation in the header's jupytext: the section goes away. default_lexer
    // added by the reader stays (hard case 51).
    let prior = notebook(5, obj(&[("kernelspec", kernelspec())]), vec![]);
    let text_md = obj(&[
        (
            "jupytext",
            Json::Object(obj(&[("text_representation", text_representation())])),
        ),
        ("kernelspec", kernelspec()),
    ]);
    let out = combine(
        &notebook(5, text_md, vec![]),
        &prior,
        &CombineOptions::default(),
    );
    assert_eq!(out.metadata, obj(&[("kernelspec", kernelspec())]));

    let text_md = obj(&[(
        "jupytext",
        Json::Object(obj(&[
            ("default_lexer", s("ipython3")),
            ("text_representation", text_representation()),
        ])),
    )]);
    let out = combine(
        &notebook(5, text_md, vec![]),
        &prior,
        &CombineOptions::default(),
    );
    assert_eq!(
        out.metadata,
        obj(&[(
            "jupytext",
            Json::Object(obj(&[("default_lexer", s("ipython3"))]))
        )])
    );
}

#[test]
fn notebook_metadata_minus_all_keeps_the_prior_metadata_whole() {
    // The MyST reader marks a header-less text with a lexer `-all` (myst-format.md §10.6).
    let prior_md = obj(&[
        ("kernelspec", kernelspec()),
        ("language_info", language_info()),
    ]);
    let text_md = obj(&[(
        "jupytext",
        Json::Object(obj(&[
            ("default_lexer", s("ipython3")),
            ("notebook_metadata_filter", s("-all")),
        ])),
    )]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let out = combine(
        &notebook(5, text_md, vec![]),
        &prior,
        &CombineOptions::default(),
    );
    assert_eq!(out.metadata, prior_md);
}

#[test]
fn notebook_metadata_nested_filter_restores_hidden_sub_keys() {
    // `language_info.name` shows only the name; the rest of language_info comes back.
    let filter = Json::Object(obj(&[(
        "notebook_metadata_filter",
        s("language_info.name"),
    )]));
    let mut prior_md = obj(&[
        ("language_info", language_info()),
        ("jupytext", filter.clone()),
    ]);
    let text_md = obj(&[
        ("language_info", Json::Object(obj(&[("name", s("python"))]))),
        ("jupytext", filter),
    ]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let out = combine(
        &notebook(5, text_md, vec![]),
        &prior,
        &CombineOptions::default(),
    );
    assert_eq!(out.metadata, prior_md);

    // A notebook filter that hides `jupytext`: the prior's jupytext section comes back.
    prior_md = obj(&[
        (
            "jupytext",
            Json::Object(obj(&[("formats", s("ipynb,md:myst"))])),
        ),
        ("kernelspec", kernelspec()),
    ]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let opts = CombineOptions {
        notebook_metadata_filter: Some(s("-jupytext")),
        cell_metadata_filter: None,
    };
    let text_md = obj(&[("kernelspec", kernelspec())]);
    assert_eq!(
        combine(&notebook(5, text_md, vec![]), &prior, &opts).metadata,
        prior_md
    );
}

#[test]
fn notebook_filter_hiding_jupytext_is_found_in_the_prior_notebook() {
    // `-all` stored in the notebook, a text without header and without the reader's mark (no
    // lexer): the prior filter still applies, so nothing is lost (jupytext drops `kernelspec`).
    let jupytext = Json::Object(obj(&[
        ("formats", s("ipynb,md:myst")),
        ("notebook_metadata_filter", s("-all")),
    ]));
    let prior_md = obj(&[("jupytext", jupytext), ("kernelspec", kernelspec())]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let out = combine(
        &notebook(5, Map::new(), vec![]),
        &prior,
        &CombineOptions::default(),
    );
    assert_eq!(out.metadata, prior_md);

    // A filter hiding `jupytext` only: the header shows kernelspec; the reader adds its
    // `default_lexer`; the prior `jupytext` section comes back around it.
    let jupytext = obj(&[
        ("formats", s("ipynb,md:myst")),
        ("notebook_metadata_filter", s("-jupytext")),
    ]);
    let prior_md = obj(&[
        ("jupytext", Json::Object(jupytext.clone())),
        ("kernelspec", kernelspec()),
    ]);
    let prior = notebook(5, prior_md, vec![]);
    let text_md = obj(&[
        (
            "jupytext",
            Json::Object(obj(&[
                ("default_lexer", s("ipython3")),
                ("text_representation", text_representation()),
            ])),
        ),
        ("kernelspec", kernelspec()),
    ]);
    let out = combine(
        &notebook(5, text_md, vec![]),
        &prior,
        &CombineOptions::default(),
    );
    let mut expected = obj(&[("default_lexer", s("ipython3"))]);
    expected.extend(jupytext);
    assert_eq!(
        out.metadata,
        obj(&[
            ("jupytext", Json::Object(expected)),
            ("kernelspec", kernelspec())
        ])
    );
}

// Hard case 52 / sync.md §10 item 3: `cell_metadata_filter = "-all"` in the configuration only.
// jupytext's combine ignores the configuration and keeps only `collapsed`; with the configuration
// passed in, nbmyst keeps all three.
#[test]
fn config_only_cell_filter_loses_nothing() {
    let mut prior = prior_of(&[code(A)]);
    prior.cells[0].metadata = obj(&[
        ("tags", Json::Array(vec![s("t")])),
        (
            "slideshow",
            Json::Object(obj(&[("slide_type", s("slide"))])),
        ),
        ("collapsed", Json::Bool(true)),
    ]);
    // Written with the configuration's `-all`: the text shows no cell metadata.
    let text = text_of(&[code(A2)]);
    let opts = CombineOptions {
        notebook_metadata_filter: None,
        cell_metadata_filter: Some(s("-all")),
    };
    let out = combine(&text, &prior, &opts);
    assert_eq!(out.cells[0].metadata, prior.cells[0].metadata);

    // Without it (jupytext's view): only the default-hidden key comes back.
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(
        out.cells[0].metadata,
        obj(&[("collapsed", Json::Bool(true))])
    );

    // The same filter stored in the notebook: restored either way (as jupytext).
    let jupytext = Json::Object(obj(&[("cell_metadata_filter", s("-all"))]));
    prior.metadata = obj(&[("jupytext", jupytext.clone())]);
    let mut text = text;
    text.metadata = obj(&[("jupytext", jupytext)]);
    let out = combine(&text, &prior, &CombineOptions::default());
    assert_eq!(out.cells[0].metadata, prior.cells[0].metadata);
}

// Hard case 53 / sync.md §10 item 4: `notebook_metadata_filter = "-all"` in the configuration and
// a kernel without a lexer: the text has no header and nothing marks it `-all`. jupytext drops
// `kernelspec`; with the configuration passed in, nbmyst keeps the metadata whole.
#[test]
fn config_only_notebook_filter_keeps_kernelspec() {
    let julia = Json::Object(obj(&[
        ("display_name", s("Julia 1.9")),
        ("language", s("julia")),
        ("name", s("julia-1.9")),
    ]));
    let prior_md = obj(&[
        ("kernelspec", julia),
        ("language_info", Json::Object(obj(&[("name", s("julia"))]))),
        ("widgets", Json::Object(Map::new())),
    ]);
    let prior = notebook(5, prior_md.clone(), vec![]);
    let text = notebook(5, Map::new(), vec![]);
    let opts = CombineOptions {
        notebook_metadata_filter: Some(s("-all")),
        cell_metadata_filter: None,
    };
    assert_eq!(combine(&text, &prior, &opts).metadata, prior_md);

    // jupytext's view: `language_info` and `widgets` only.
    let out = combine(&text, &prior, &CombineOptions::default());
    let keys: Vec<&str> = out.metadata.keys().map(String::as_str).collect();
    assert_eq!(keys, ["language_info", "widgets"]);
}

#[test]
fn input_difference_reports_the_first_differing_cell() {
    let opts = CombineOptions::default();
    let a = prior_of(&[code(A), md("text"), code(B)]);
    let mut b = text_of(&[code(A), md("text"), code(B)]);
    // Outputs, ids and hidden metadata do not count.
    b.cells[0]
        .metadata
        .insert("collapsed".into(), Json::Bool(true));
    assert_eq!(first_input_difference(&a, &b, &opts), None);

    b.cells[2].source = B2.into();
    b.cells[1].source = "text!".into();
    assert_eq!(
        first_input_difference(&a, &b, &opts),
        Some(InputDifference {
            cell: 1,
            kind: InputDifferenceKind::Source
        })
    );
    let mut c = text_of(&[code(A), code("text"), code(B)]);
    assert_eq!(
        first_input_difference(&a, &c, &opts).map(|d| (d.cell, d.kind)),
        Some((1, InputDifferenceKind::CellType))
    );
    c = text_of(&[code(A), md("text"), code(B)]);
    c.cells[0]
        .metadata
        .insert("tags".into(), Json::Array(vec![s("x")]));
    assert_eq!(
        first_input_difference(&a, &c, &opts).map(|d| (d.cell, d.kind)),
        Some((0, InputDifferenceKind::Metadata))
    );
    // With the configuration's `-all`, tags are not shown, hence not compared.
    let all_hidden = CombineOptions {
        notebook_metadata_filter: None,
        cell_metadata_filter: Some(s("-all")),
    };
    assert_eq!(first_input_difference(&a, &c, &all_hidden), None);
    c = text_of(&[code(A), md("text")]);
    assert_eq!(
        first_input_difference(&a, &c, &opts).map(|d| (d.cell, d.kind)),
        Some((2, InputDifferenceKind::CellCount))
    );
}

mod properties {
    //! combine(inputs_of(nb), nb) == nb; after random edits, unchanged cells keep their outputs
    //! and edited cells keep none.

    use super::*;
    use proptest::prelude::*;

    const NB_FILTERS: [Option<&str>; 5] = [
        None,
        Some("-all"),
        Some("all"),
        Some("language_info.name,-kernelspec"),
        Some("widgets,-jupytext"),
    ];
    const CELL_FILTERS: [Option<&str>; 5] = [
        None,
        Some("-all"),
        Some("all,-collapsed"),
        Some("tags,-all"),
        Some("-slideshow.slide_type"),
    ];

    fn cell_type() -> impl Strategy<Value = CellType> {
        prop_oneof![
            3 => Just(CellType::Code),
            2 => Just(CellType::Markdown),
            1 => Just(CellType::Raw),
        ]
    }

    fn cell_metadata() -> impl Strategy<Value = Map> {
        let entry = prop_oneof![
            Just(("collapsed".to_string(), Json::Bool(true))),
            Just(("scrolled".to_string(), s("auto"))),
            Just((
                "ExecuteTime".to_string(),
                Json::Object(obj(&[("end_time", s("t"))]))
            )),
            Just(("tags".to_string(), Json::Array(vec![]))),
            Just(("tags".to_string(), Json::Array(vec![s("a"), s("b")]))),
            Just((
                "slideshow".to_string(),
                Json::Object(obj(&[("slide_type", s("slide")), ("x", int(1))]))
            )),
            Just(("my key".to_string(), int(3))),
            Just(("keep".to_string(), Json::Null)),
        ];
        proptest::collection::vec(entry, 0..4).prop_map(|v| v.into_iter().collect())
    }

    /// Sources from a small alphabet (spaces, quotes, brackets, newlines) without `§`, which
    /// marks edits below.
    fn source() -> impl Strategy<Value = String> {
        "[ab1 ,'\"()\\\\\n#=\t]{0,24}"
    }

    prop_compose! {
        fn arb_cell()(
            t in cell_type(),
            src in source(),
            metadata in cell_metadata(),
            n_out in 0..3usize,
            count in proptest::option::of(0..50i64),
            attach in any::<bool>(),
            extra in any::<bool>(),
        ) -> Cell {
            let mut c = Cell::new(t, src);
            c.metadata = metadata;
            if t == CellType::Code {
                c.outputs = Some((0..n_out).map(|k| stream(&format!("o{k}"))).collect());
                c.execution_count = Some(count.map_or(Json::Null, int));
            }
            if attach && t != CellType::Code {
                c.attachments = Some(Json::Object(obj(&[("a.png", Json::Object(Map::new()))])));
            }
            if extra {
                c.extra.insert("x-extra".into(), s("e"));
            }
            c
        }
    }

    prop_compose! {
        fn arb_notebook()(
            cells in proptest::collection::vec(arb_cell(), 0..8),
            minor in prop_oneof![Just(4u64), Just(5u64)],
            nb_filter in proptest::sample::select(NB_FILTERS.to_vec()),
            cell_filter in proptest::sample::select(CELL_FILTERS.to_vec()),
            with_jupytext in any::<bool>(),
            config in any::<bool>(),
        ) -> (Notebook, CombineOptions) {
            // Distinct sources: suffix duplicates with their position.
            let mut seen = HashSet::new();
            let mut cells = cells;
            for (k, c) in cells.iter_mut().enumerate() {
                if !seen.insert(c.source.clone()) {
                    c.source.push_str(&format!("#{k}"));
                    seen.insert(c.source.clone());
                }
                if minor >= 5 {
                    c.id = Some(format!("id-{k}"));
                }
            }
            let mut metadata = obj(&[
                ("kernelspec", kernelspec()),
                ("language_info", language_info()),
                ("widgets", Json::Object(obj(&[("state", int(0))]))),
            ]);
            let mut opts = CombineOptions::default();
            let mut jupytext = Map::new();
            if config {
                opts.notebook_metadata_filter = nb_filter.map(s);
                opts.cell_metadata_filter = cell_filter.map(s);
            } else {
                if let Some(f) = nb_filter {
                    jupytext.insert("notebook_metadata_filter".into(), s(f));
                }
                if let Some(f) = cell_filter {
                    jupytext.insert("cell_metadata_filter".into(), s(f));
                }
            }
            if with_jupytext {
                jupytext.insert("formats".into(), s("ipynb,md:myst"));
            }
            if !jupytext.is_empty() {
                metadata.insert("jupytext".into(), Json::Object(jupytext));
            }
            (notebook(minor, metadata, cells), opts)
        }
    }

    /// What reading the paired text back gives: visible metadata only, no ids, no outputs.
    /// The notebook-level filter is applied as the writer does; cell filters likewise.
    fn inputs_of(nb: &Notebook, opts: &CombineOptions, reader_mark: bool) -> Notebook {
        let setting = |key: &str| match nb.metadata.get("jupytext") {
            Some(Json::Object(j)) => j.get(key).cloned(),
            _ => None,
        };
        let nb_filter = opts
            .notebook_metadata_filter
            .clone()
            .or_else(|| setting("notebook_metadata_filter"));
        let cell_filter = opts
            .cell_metadata_filter
            .clone()
            .or_else(|| setting("cell_metadata_filter"));
        let mut metadata = if nb_filter == Some(s("-all")) {
            // No header. The reader marks the text `-all` only when it saw a lexer; either way
            // the filter the text was written with must be found.
            if reader_mark {
                obj(&[(
                    "jupytext",
                    Json::Object(obj(&[("notebook_metadata_filter", s("-all"))])),
                )])
            } else {
                Map::new()
            }
        } else {
            let mut m = visible(&nb.metadata, nb_filter.as_ref(), true);
            // The reader marks the text's format.
            let mut j = match m.shift_remove("jupytext") {
                Some(Json::Object(j)) => j,
                _ => Map::new(),
            };
            j.insert("text_representation".into(), text_representation());
            m.insert("jupytext".into(), Json::Object(j));
            m
        };
        metadata.sort_keys();
        let cells = nb
            .cells
            .iter()
            .map(|c| {
                let mut t = Cell::new(c.cell_type, c.source.clone());
                t.metadata = visible(&c.metadata, cell_filter.as_ref(), false);
                t
            })
            .collect();
        notebook(5, metadata, cells)
    }

    /// The metadata the text shows, computed by hand from spec/myst-format.md §8.3 for the
    /// filters used above.
    fn visible(md: &Map, filter: Option<&Json>, notebook_level: bool) -> Map {
        let f = match filter {
            Some(Json::Str(f)) => Some(f.as_str()),
            _ => None,
        };
        let valid = |k: &str| {
            k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.@/-".contains(&b))
        };
        let mut out: Map = md
            .iter()
            .filter(|(k, _)| valid(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let keep_only =
            |out: &mut Map, keys: &[&str]| out.retain(|k, _| keys.contains(&k.as_str()));
        let default_nb = [
            "jupytext",
            "kernelspec",
            "kernel_info",
            "orphan",
            "tocdepth",
        ];
        let default_cell = ["collapsed", "scrolled", "ExecuteTime"];
        match (notebook_level, f) {
            (true, None) => keep_only(&mut out, &default_nb),
            (true, Some("all")) => {}
            (true, Some("-all")) => out.clear(),
            (true, Some("language_info.name,-kernelspec")) => {
                keep_only(&mut out, &["jupytext", "language_info"]);
                if let Some(Json::Object(li)) = out.get_mut("language_info") {
                    li.retain(|k, _| k == "name");
                }
            }
            (true, Some("widgets,-jupytext")) => keep_only(&mut out, &["kernelspec", "widgets"]),
            (false, None) | (false, Some("-slideshow.slide_type")) => {
                let empty_tags = Json::Array(vec![]);
                out.retain(|k, v| {
                    let hidden = default_cell.contains(&k.as_str());
                    !hidden && (k != "tags" || *v != empty_tags)
                });
                if f.is_some() {
                    if let Some(Json::Object(ss)) = out.get_mut("slideshow") {
                        ss.shift_remove("slide_type");
                    }
                }
            }
            (false, Some("-all")) => out.clear(),
            (false, Some("all,-collapsed")) => {
                out.shift_remove("collapsed");
            }
            (false, Some("tags,-all")) => keep_only(&mut out, &["tags"]),
            (level, f) => panic!("no visible() rule for {level} {f:?}"),
        }
        out
    }

    /// Random edits of the text: keep, edit (a new line with a `§` token), insert, delete.
    #[derive(Clone, Debug)]
    enum Op {
        Keep,
        Edit,
        Delete,
        InsertBefore(CellType),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            5 => Just(Op::Keep),
            2 => Just(Op::Edit),
            1 => Just(Op::Delete),
            1 => cell_type().prop_map(Op::InsertBefore),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn combine_of_own_inputs_is_identity((nb, opts) in arb_notebook(), mark in any::<bool>()) {
            let text = inputs_of(&nb, &opts, mark);
            let out = combine(&text, &nb, &opts);
            prop_assert_eq!(out, nb);
        }

        #[test]
        fn unchanged_cells_keep_outputs_edited_cells_keep_none(
            (nb, opts) in arb_notebook(),
            ops in proptest::collection::vec(op(), 8),
            appended in proptest::collection::vec(cell_type(), 0..3),
            mark in any::<bool>(),
        ) {
            let mut text = inputs_of(&nb, &opts, mark);
            // Where each text cell comes from: Some(prior index) if unchanged, None otherwise.
            let mut origin: Vec<Option<usize>> = Vec::new();
            let mut cells = Vec::new();
            for (j, cell) in text.cells.iter().enumerate() {
                match &ops[j % ops.len()] {
                    Op::Keep => {
                        cells.push(cell.clone());
                        origin.push(Some(j));
                    }
                    Op::Edit => {
                        let mut c = cell.clone();
                        c.source.push_str(&format!("\n§{j}"));
                        cells.push(c);
                        origin.push(None);
                    }
                    Op::Delete => {}
                    Op::InsertBefore(t) => {
                        cells.push(Cell::new(*t, format!("inserted §{j}")));
                        origin.push(None);
                        cells.push(cell.clone());
                        origin.push(Some(j));
                    }
                }
            }
            for (k, t) in appended.iter().enumerate() {
                cells.push(Cell::new(*t, format!("appended §{k}")));
                origin.push(None);
            }
            text.cells = cells;

            let out = combine(&text, &nb, &opts);
            prop_assert_eq!(out.cells.len(), text.cells.len());
            let mut ids = HashSet::new();
            for (cell, from) in out.cells.iter().zip(&origin) {
                match from {
                    Some(j) => prop_assert_eq!(cell, &nb.cells[*j]),
                    None => {
                        if cell.cell_type == CellType::Code {
                            prop_assert_eq!(&cell.outputs, &Some(vec![]));
                            prop_assert_eq!(&cell.execution_count, &Some(Json::Null));
                        }
                    }
                }
                if nb.nbformat_minor >= 5 {
                    let id = cell.id.clone().unwrap_or_default();
                    prop_assert!(nbmyst::combine::is_valid_cell_id(&id));
                    prop_assert!(ids.insert(id));
                } else {
                    prop_assert_eq!(&cell.id, &None);
                }
            }
        }
    }
}
