//! `combine` on the corpus: each notebook of `corpus/ipynb` combined with jupytext's reading of
//! its own MyST text (`corpus/roundtrip`, made by `jupytext --to ipynb` from `corpus/myst`), as a
//! `sync` after an unchanged `.md` would do.

use std::collections::HashSet;

use nbmyst::combine::{combine, match_cells, CellMatch, CombineOptions};
use nbmyst::myst::filter::MetadataFilter;
use nbmyst::notebook::{read, write, CellType, Notebook, ReadOptions};

use crate::ipynb_conformance::{notebooks_in, shared_dir};

fn read_notebook(path: &std::path::Path) -> Option<Notebook> {
    let bytes = std::fs::read(path).ok()?;
    read(&bytes, &ReadOptions::FULL).ok().map(|r| r.notebook)
}

#[test]
fn corpus_round_trip_keeps_every_output_of_unchanged_cells() {
    let corpus = shared_dir().join("corpus");
    let (mut notebooks, mut identical, mut cells, mut same, mut edited, mut new) =
        (0, 0, 0, 0, 0, 0);
    for path in notebooks_in(&corpus.join("roundtrip")) {
        let Some(name) = path.file_name() else {
            continue;
        };
        let (Some(mut text), Some(prior)) = (
            read_notebook(&path),
            read_notebook(&corpus.join("ipynb").join(name)),
        ) else {
            continue;
        };
        // The reader gives no ids (jupytext's are random).
        for cell in &mut text.cells {
            cell.id = None;
        }
        notebooks += 1;
        let out = combine(&text, &prior, &CombineOptions::default());
        let matches = match_cells(&text.cells, &prior.cells, &MetadataFilter::default());
        let name = name.to_string_lossy();

        assert_eq!(out.nbformat_minor, prior.nbformat_minor, "{name}");
        assert_eq!(out.cells.len(), text.cells.len(), "{name}");
        let mut ids = HashSet::new();
        for (k, (cell, m)) in out.cells.iter().zip(&matches).enumerate() {
            cells += 1;
            assert_eq!(cell.source, text.cells[k].source, "{name} cell {k}");
            if let Some(id) = &cell.id {
                assert!(ids.insert(id.clone()), "{name}: duplicate id {id}");
            }
            match *m {
                CellMatch::Same(j) => {
                    same += 1;
                    let p = &prior.cells[j];
                    assert_eq!(
                        (
                            &cell.id,
                            &cell.outputs,
                            &cell.execution_count,
                            &cell.attachments
                        ),
                        (&p.id, &p.outputs, &p.execution_count, &p.attachments),
                        "{name} cell {k}"
                    );
                    // Every prior key is back, the text's values first.
                    for key in p.metadata.keys() {
                        let layout = ["lines_to_next_cell", "cell_marker"].contains(&key.as_str());
                        assert!(
                            layout || cell.metadata.contains_key(key),
                            "{name} cell {k} {key}"
                        );
                    }
                }
                CellMatch::Edited(j) => {
                    edited += 1;
                    assert_eq!(cell.id, prior.cells[j].id, "{name} cell {k}");
                    if cell.cell_type == CellType::Code {
                        assert_eq!(cell.outputs, Some(vec![]), "{name} cell {k}");
                    }
                }
                CellMatch::New => new += 1,
            }
        }
        // A prior cell whose source came back unchanged is found again, outputs and all.
        for (j, p) in prior.cells.iter().enumerate() {
            let unique = prior.cells.iter().filter(|q| q.source == p.source).count() == 1;
            let back = text
                .cells
                .iter()
                .any(|t| t.source == p.source && t.cell_type == p.cell_type);
            if unique && back {
                assert!(
                    matches.contains(&CellMatch::Same(j)),
                    "{name}: prior cell {j} unchanged in the text but not kept"
                );
            }
        }
        if write(&out) == write(&prior) {
            identical += 1;
        }
    }
    assert!(notebooks > 70, "corpus not found: {notebooks} notebooks");
    eprintln!(
        "combine corpus: {identical}/{notebooks} notebooks identical after the round trip; \
         {cells} cells: {same} same, {edited} edited, {new} new"
    );
}
