//! Properties of the notebook merge on random triples: a side that did nothing gives the other
//! side; the same change on both sides is that change; swapping ours and theirs only swaps them;
//! no line either side added is lost; the result is always a valid notebook.

use std::collections::HashSet;

use nbmyst::merge::{self, MergeOptions, MergeOutcome, OutputsChoice};
use nbmyst::notebook::{self, Cell, CellType, Json, Map, Notebook, ReadOptions};
use proptest::prelude::*;

/// A small deterministic generator (xorshift), so one proptest seed makes one whole triple.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const WORDS: [&str; 6] = ["import os", "x = 1", "print(x)", "", "# note", "y = x"];

fn stream(text: &str) -> Json {
    let mut m = Map::new();
    m.insert("name".into(), Json::Str("stdout".into()));
    m.insert("output_type".into(), Json::Str("stream".into()));
    m.insert("text".into(), Json::Str(text.into()));
    Json::Object(m)
}

fn cell(rng: &mut Rng, id: String, fresh: &mut dyn FnMut() -> String) -> Cell {
    let code = rng.chance(60);
    let lines: Vec<String> = (0..rng.below(5))
        .map(|_| {
            if rng.chance(30) {
                fresh()
            } else {
                WORDS[rng.below(WORDS.len())].to_owned()
            }
        })
        .collect();
    let mut c = Cell::new(
        if code {
            CellType::Code
        } else {
            CellType::Markdown
        },
        lines.join("\n"),
    );
    c.id = Some(id);
    if code && rng.chance(50) {
        let n = rng.below(9) + 1;
        c.outputs = Some(vec![stream(&format!("out {n}\n"))]);
        c.execution_count = Some(Json::Int(n.to_string()));
    }
    c
}

fn base_notebook(rng: &mut Rng) -> Notebook {
    let mut counter = 0;
    let mut fresh = || {
        counter += 1;
        format!("base line {counter}")
    };
    let cells = (0..rng.below(8))
        .map(|i| cell(rng, format!("cell-{i}"), &mut fresh))
        .collect();
    let mut metadata = Map::new();
    let mut ks = Map::new();
    ks.insert("name".into(), Json::Str("python3".into()));
    ks.insert("display_name".into(), Json::Str("Python 3".into()));
    metadata.insert("kernelspec".into(), Json::Object(ks));
    Notebook {
        nbformat: 4,
        nbformat_minor: 5,
        metadata,
        cells,
        extra: Map::new(),
    }
}

/// A side: the base with random edits. New lines are `<tag> line N`, so a lost line is noticed.
fn edit(rng: &mut Rng, base: &Notebook, tag: &str) -> Notebook {
    let mut nb = base.clone();
    let mut counter = 0;
    let mut fresh = || {
        counter += 1;
        format!("{tag} line {counter}")
    };
    for _ in 0..rng.below(4) {
        let n = nb.cells.len();
        match rng.below(9) {
            0 | 1 if n > 0 => {
                // Replace or insert a line.
                let c = &mut nb.cells[rng.below(n)];
                let mut lines: Vec<String> = c.source.split('\n').map(str::to_owned).collect();
                let k = rng.below(lines.len());
                if rng.chance(50) {
                    lines[k] = fresh();
                } else {
                    lines.insert(k, fresh());
                }
                c.source = lines.join("\n");
            }
            2 if n > 0 => {
                let c = &mut nb.cells[rng.below(n)];
                let mut lines: Vec<&str> = c.source.split('\n').collect();
                lines.remove(rng.below(lines.len()));
                c.source = lines.join("\n");
            }
            3 => {
                let mut c = cell(rng, String::new(), &mut fresh);
                // Ids derived from the content, as a tool adding the same cell would.
                let mut id = format!("new-{:x}", fxhash(&c.source));
                while nb
                    .cells
                    .iter()
                    .any(|o| o.id.as_deref() == Some(id.as_str()))
                {
                    id.push('x');
                }
                c.id = Some(id);
                nb.cells.insert(rng.below(n + 1), c);
            }
            4 if n > 0 => {
                nb.cells.remove(rng.below(n));
            }
            5 if n > 1 => {
                let c = nb.cells.remove(rng.below(n));
                nb.cells.insert(rng.below(n), c);
            }
            6 if n > 0 => {
                let c = &mut nb.cells[rng.below(n)];
                c.metadata
                    .insert("tags".into(), Json::Array(vec![Json::Str(tag.into())]));
            }
            7 if n > 0 => {
                let c = &mut nb.cells[rng.below(n)];
                if c.cell_type == CellType::Code {
                    c.outputs = Some(vec![stream(&format!("{tag} ran\n"))]);
                    c.execution_count = Some(Json::Int((rng.below(50) + 10).to_string()));
                    c.metadata
                        .insert("collapsed".into(), Json::Bool(rng.chance(50)));
                }
            }
            8 => {
                let v = format!("3.{}", rng.below(3) + 10);
                let mut li = Map::new();
                li.insert("version".into(), Json::Str(v));
                nb.metadata.insert("language_info".into(), Json::Object(li));
            }
            _ => {}
        }
    }
    nb
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    }) & 0xffff_ffff
}

fn triple(seed: u64) -> (Notebook, Notebook, Notebook) {
    let mut rng = Rng(seed | 1);
    let base = base_notebook(&mut rng);
    let ours = edit(&mut rng, &base, "ours");
    let theirs = edit(&mut rng, &base, "theirs");
    (base, ours, theirs)
}

fn run(
    base: &Notebook,
    ours: &Notebook,
    theirs: &Notebook,
    outputs: OutputsChoice,
) -> MergeOutcome {
    let opts = MergeOptions {
        outputs,
        ..MergeOptions::default()
    };
    merge::merge(Some(base), ours.clone(), theirs.clone(), &opts)
}

/// The lines of every source.
fn lines(nb: &Notebook) -> HashSet<String> {
    nb.cells
        .iter()
        .flat_map(|c| c.source.split('\n').map(str::to_owned))
        .collect()
}

/// The result written and read back: a notebook, no warnings, ids unique at 4.5, no outputs on
/// markdown or raw cells.
fn assert_valid(out: &MergeOutcome, sides: [&Notebook; 2]) {
    let bytes = notebook::write(&out.notebook);
    let back = notebook::read(bytes.as_bytes(), &ReadOptions::FULL).expect("readable result");
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(
        back.notebook, out.notebook,
        "write then read changes the result"
    );
    let nb = &out.notebook;
    assert_eq!((nb.nbformat, nb.nbformat_minor), (4, 5));
    let mut seen = HashSet::new();
    for c in &nb.cells {
        let id = c.id.as_deref().expect("every cell has an id at 4.5");
        assert!(seen.insert(id), "duplicate id {id}");
        if c.cell_type != CellType::Code {
            assert!(c.outputs.is_none() && c.execution_count.is_none());
        }
    }
    let _ = sides;
}

fn has_markers(nb: &Notebook) -> bool {
    nb.cells.iter().any(|c| {
        c.source
            .split('\n')
            .any(|l| ["<<<<<<<", ">>>>>>>"].iter().any(|m| l.starts_with(m)) || l == "=======")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn merge_properties(seed in any::<u64>()) {
        let (base, ours, theirs) = triple(seed);

        // A side that changed nothing gives the other side.
        let m = run(&base, &ours, &base, OutputsChoice::Ours);
        prop_assert!(m.is_clean());
        prop_assert_eq!(&m.notebook, &ours);
        let m = run(&base, &base, &theirs, OutputsChoice::Ours);
        prop_assert!(m.is_clean());
        prop_assert_eq!(&m.notebook, &theirs);
        // The same change on both sides.
        let m = run(&base, &ours, &ours, OutputsChoice::Ours);
        prop_assert!(m.is_clean());
        prop_assert_eq!(&m.notebook, &ours);

        // Both ways round.
        let m = run(&base, &ours, &theirs, OutputsChoice::Ours);
        let w = run(&base, &theirs, &ours, OutputsChoice::Theirs);
        assert_valid(&m, [&ours, &theirs]);
        assert_valid(&w, [&theirs, &ours]);
        prop_assert_eq!(m.is_clean(), w.is_clean());
        prop_assert_eq!(m.conflicts.len(), w.conflicts.len());
        prop_assert_eq!(has_markers(&m.notebook), !m.is_clean());
        if m.is_clean() {
            prop_assert_eq!(&m.notebook, &w.notebook, "swapping the sides changes a clean merge");
        }

        // No line either side added is lost.
        let merged = lines(&m.notebook);
        let before = lines(&base);
        for side in [&ours, &theirs] {
            for l in lines(side) {
                if !before.contains(&l) {
                    prop_assert!(merged.contains(&l), "line {:?} lost", l);
                }
            }
        }
    }
}

/// Every notebook of the shared corpus: merging it with itself (with itself as base, and with no
/// base at all) is clean and gives it back as nbformat writes it.
#[test]
fn corpus_notebooks_merge_with_themselves() {
    let dir = crate::support::shared_dir().join("corpus/ipynb");
    let mut checked = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("corpus folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "ipynb") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("corpus file");
            let Ok(read) = notebook::read(&bytes, &ReadOptions::FULL) else {
                continue;
            };
            if !read.warnings.is_empty() {
                continue;
            }
            let nb = read.notebook;
            let want = notebook::write(&nb);
            for base in [Some(&nb), None] {
                let m = merge::merge(base, nb.clone(), nb.clone(), &MergeOptions::default());
                assert!(m.is_clean(), "{}: {:?}", path.display(), m.conflicts);
                assert_eq!(notebook::write(&m.notebook), want, "{}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} corpus notebooks read");
}
