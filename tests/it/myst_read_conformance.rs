//! The MyST reader against jupytext 1.19.6's own reading of the corpus: `myst/NAME.md` read must
//! equal `roundtrip/NAME.ipynb`, and `myst-in/NAME.md` must equal `myst-in-read/NAME.ipynb`
//! (`jupytext --to ipynb`). Cell ids are random in jupytext, so ours take the expected ones
//! before the notebooks are compared as written `.ipynb` text. A conversion jupytext refused
//! (`corpus/failures.txt`) must be refused too.

use std::path::Path;

use nbmyst::myst::read::{read_bytes, ReadOptions};
use nbmyst::notebook::{self, write, Notebook};

use crate::ipynb_conformance::{first_difference, shared_dir};

/// How one corpus file fared.
enum Outcome {
    Identical,
    Different(String),
}

/// Read `md` and compare with `expected` (the `.ipynb` path); `refused` when jupytext failed.
fn check(md: &Path, expected: &Path, refused: bool) -> Outcome {
    let bytes = std::fs::read(md).unwrap_or_else(|e| panic!("{}: {e}", md.display()));
    let ours = read_bytes(&bytes, &ReadOptions::default());
    if refused {
        return match ours {
            Err(_) => Outcome::Identical,
            Ok(_) => Outcome::Different("jupytext refuses this file, we read it".to_string()),
        };
    }
    let want_text =
        std::fs::read_to_string(expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    let want: Notebook = notebook::read(want_text.as_bytes(), &notebook::ReadOptions::FULL)
        .unwrap_or_else(|e| panic!("{}: {e}", expected.display()))
        .notebook;
    let mut ours = match ours {
        Ok(read) => read.notebook,
        Err(e) => return Outcome::Different(format!("read error: {e}")),
    };
    if ours.cells.len() != want.cells.len() {
        return Outcome::Different(format!(
            "{} cells, expected {}",
            ours.cells.len(),
            want.cells.len()
        ));
    }
    for (cell, reference) in ours.cells.iter_mut().zip(&want.cells) {
        cell.id.clone_from(&reference.id);
    }
    let got = write(&ours);
    if got == want_text {
        Outcome::Identical
    } else {
        Outcome::Different(first_difference(&want_text, &got))
    }
}

/// The names jupytext refused for `folder` (from `failures.txt`).
fn refused_in(folder: &str) -> Vec<String> {
    let failures = std::fs::read_to_string(shared_dir().join("corpus/failures.txt"))
        .expect("corpus/failures.txt");
    failures
        .lines()
        .filter_map(|line| {
            let (dir, rest) = line.split_once(' ')?;
            let (name, _) = rest.split_once(':')?;
            (dir == folder).then(|| name.to_string())
        })
        .collect()
}

/// Run one corpus pair of folders; returns (identical, total, leftovers).
fn run_pair(md_dir: &str, ipynb_dir: &str) -> (usize, usize, Vec<String>) {
    let corpus = shared_dir().join("corpus");
    let refused = refused_in(ipynb_dir);
    let mut names: Vec<String> = std::fs::read_dir(corpus.join(md_dir))
        .expect("corpus folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".md")?.to_string();
            Some(name)
        })
        .collect();
    names.sort();
    let mut identical = 0;
    let mut leftovers = Vec::new();
    for name in &names {
        let md = corpus.join(md_dir).join(format!("{name}.md"));
        let expected = corpus.join(ipynb_dir).join(format!("{name}.ipynb"));
        let is_refused = refused.contains(name);
        if !is_refused && !expected.exists() {
            leftovers.push(format!("{md_dir}/{name}.md: no reference in {ipynb_dir}/"));
            continue;
        }
        match check(&md, &expected, is_refused) {
            Outcome::Identical => identical += 1,
            Outcome::Different(why) => leftovers.push(format!("{md_dir}/{name}.md: {why}")),
        }
    }
    (identical, names.len(), leftovers)
}

#[test]
fn corpus_read_as_jupytext_reads_it() {
    let mut all_leftovers = Vec::new();
    let mut figures = Vec::new();
    for (md_dir, ipynb_dir, floor) in [("myst", "roundtrip", 83), ("myst-in", "myst-in-read", 7)] {
        let (identical, total, leftovers) = run_pair(md_dir, ipynb_dir);
        println!("myst read: identical {identical} / {total} ({md_dir} -> {ipynb_dir})");
        figures.push((md_dir, identical, total, floor));
        all_leftovers.extend(leftovers);
    }
    for leftover in &all_leftovers {
        println!("  leftover: {leftover}");
    }
    for (md_dir, identical, total, floor) in figures {
        assert!(
            identical >= floor,
            "{md_dir}: {identical} / {total} identical, below the floor of {floor}"
        );
    }
}
