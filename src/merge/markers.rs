//! Finding conflict markers left in a notebook or a text: a notebook that still holds them is
//! a merge in progress, never an edit to carry anywhere (`sync` refuses it).

use crate::notebook::Notebook;

/// Where a conflict marker stands: the cell (for a notebook) and the 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkerAt {
    pub cell: Option<usize>,
    pub line: usize,
}

/// Whether `line` is a conflict marker line of any size from 7 up: `<<<<<<<`, `|||||||`,
/// `>>>>>>>` (alone or followed by a space and a label) or `=======` alone, as git and nbmyst
/// write them (a `\r` line end allowed).
pub fn is_marker_line(line: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some(first) = line.chars().next() else {
        return false;
    };
    if !matches!(first, '<' | '=' | '>' | '|') {
        return false;
    }
    let run = line.chars().take_while(|&c| c == first).count();
    if run < 7 {
        return false;
    }
    let rest = &line[run..];
    match first {
        '=' => rest.is_empty(),
        _ => rest.is_empty() || rest.starts_with(' '),
    }
}

/// The first marker line of a text, if any.
pub fn find_in_text(text: &str) -> Option<MarkerAt> {
    text.split('\n').position(is_marker_line).map(|i| MarkerAt {
        cell: None,
        line: i + 1,
    })
}

/// The first marker line in a notebook's cell sources (markers inside a cell, marker cells,
/// metadata notes), if any.
pub fn find_in_notebook(nb: &Notebook) -> Option<MarkerAt> {
    nb.cells.iter().enumerate().find_map(|(i, c)| {
        find_in_text(&c.source).map(|m| MarkerAt {
            cell: Some(i),
            line: m.line,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::{Cell, CellType, Map};

    #[test]
    fn marker_lines_of_any_size() {
        for l in [
            "<<<<<<< HEAD",
            "<<<<<<<<<",
            "=======",
            "=========",
            ">>>>>>> side",
            "||||||| base",
            "<<<<<<<\r",
        ] {
            assert!(is_marker_line(l), "{l}");
        }
        for l in [
            "<<<<<< HEAD",
            "======= x",
            "<<<<<<<HEAD",
            "a <<<<<<<",
            "",
            "======",
        ] {
            assert!(!is_marker_line(l), "{l}");
        }
    }

    #[test]
    fn found_in_cells() {
        let nb = Notebook {
            nbformat: 4,
            nbformat_minor: 5,
            metadata: Map::new(),
            cells: vec![
                Cell::new(CellType::Code, "x = 1"),
                Cell::new(
                    CellType::Code,
                    "# c\n<<<<<<< HEAD\ny\n=======\nz\n>>>>>>> side",
                ),
            ],
            extra: Map::new(),
        };
        assert_eq!(
            find_in_notebook(&nb),
            Some(MarkerAt {
                cell: Some(1),
                line: 2
            })
        );
        assert_eq!(find_in_text("a\nb"), None);
    }
}
