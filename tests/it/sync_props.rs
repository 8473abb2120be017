//! Properties of sync and check, on generated notebooks, through the library (no process per
//! case), in folders outside any repository (file times decide) and in git repositories:
//!
//! 1. ipynb -> md -> ipynb keeps every input (cell types, sources, tags, notebook kernelspec);
//! 2. with combine, every cell the `.md` edit left alone keeps its outputs, execution count and id;
//! 3. after any sequence of edits on either side followed by `sync`, `check` passes and a second
//!    `sync` writes nothing.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use nbmyst::cli::{CheckArgs, CheckFormat, SyncArgs};
use nbmyst::drivers::Env;
use nbmyst::myst::{self, write::WriteOptions};
use nbmyst::notebook::{self, Cell, CellType, Json, Map, Notebook, ReadOptions};
use proptest::prelude::*;

use crate::sync_support::PAIRING_TOML;

const WORDS: &[&str] = &[
    "rain", "total", "mean", "plot", "data", "é", "x", "42", "mm", "Ünï", "`code`", "*em*",
];
const CODE_LINES: &[&str] = &[
    "x = 1",
    "print('hi')",
    "df = load()",
    "# a comment",
    "for i in range(3):\n    total += i",
    "import os",
    "y = {'a': [1, 2]}",
    "%matplotlib inline",
    "x",
];

/// A cell that MyST can hold: no leading or trailing blank line, no fence or `+++` line, a
/// marker that makes every source unique.
#[derive(Clone, Debug)]
enum GenCell {
    Markdown {
        words: Vec<String>,
        heading: bool,
    },
    Code {
        lines: Vec<String>,
        tags: Vec<String>,
    },
    Raw {
        words: Vec<String>,
    },
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(WORDS).prop_map(str::to_owned), 1..6)
}

fn gen_cell() -> impl Strategy<Value = GenCell> {
    prop_oneof![
        (words(), any::<bool>()).prop_map(|(words, heading)| GenCell::Markdown { words, heading }),
        (
            prop::collection::vec(
                prop::sample::select(CODE_LINES).prop_map(str::to_owned),
                1..4
            ),
            prop::collection::vec(prop::sample::select(&["a", "b", "hide-input"][..]), 0..3)
        )
            .prop_map(|(lines, tags)| {
                let mut tags: Vec<String> = tags.into_iter().map(str::to_owned).collect();
                tags.dedup();
                GenCell::Code { lines, tags }
            }),
        words().prop_map(|words| GenCell::Raw { words }),
    ]
}

fn to_cell(g: &GenCell, index: usize) -> Cell {
    match g {
        GenCell::Markdown { words, heading } => {
            let text = format!("{} m{index}", words.join(" "));
            Cell::new(
                CellType::Markdown,
                if *heading { format!("# {text}") } else { text },
            )
        }
        GenCell::Code { lines, tags } => {
            let mut cell = Cell::new(
                CellType::Code,
                format!("c{index} = {index}\n{}", lines.join("\n")),
            );
            if !tags.is_empty() {
                cell.metadata.insert(
                    "tags".to_owned(),
                    Json::Array(tags.iter().map(|t| Json::Str(t.clone())).collect()),
                );
            }
            cell.execution_count = Some(Json::Int(index.to_string()));
            cell.outputs = Some(vec![stream(&format!("out {index}\n"))]);
            cell
        }
        GenCell::Raw { words } => Cell::new(CellType::Raw, format!("{} r{index}", words.join(" "))),
    }
}

fn stream(text: &str) -> Json {
    let mut map = Map::new();
    map.insert("name".to_owned(), Json::Str("stdout".to_owned()));
    map.insert("output_type".to_owned(), Json::Str("stream".to_owned()));
    map.insert("text".to_owned(), Json::Str(text.to_owned()));
    Json::Object(map)
}

fn notebook(cells: &[GenCell]) -> Notebook {
    let mut metadata = Map::new();
    let mut kernelspec = Map::new();
    for (k, v) in [
        ("display_name", "Python 3"),
        ("language", "python"),
        ("name", "python3"),
    ] {
        kernelspec.insert(k.to_owned(), Json::Str(v.to_owned()));
    }
    metadata.insert("kernelspec".to_owned(), Json::Object(kernelspec));
    let mut cells: Vec<Cell> = cells
        .iter()
        .enumerate()
        .map(|(i, g)| to_cell(g, i))
        .collect();
    for (i, cell) in cells.iter_mut().enumerate() {
        cell.id = Some(format!("cell-{i}"));
    }
    Notebook {
        nbformat: 4,
        nbformat_minor: 5,
        metadata,
        cells,
        extra: Map::new(),
    }
}

/// The environment of a run in `dir`, with no configuration from outside it.
fn env(dir: &Path) -> Env {
    Env {
        cwd: Some(dir.to_path_buf()),
        jupytext_ceiling_directories: Some(dir.as_os_str().to_owned()),
        xdg_config_home: Some(dir.join(".none").into_os_string()),
        xdg_config_dirs: Some(dir.join(".none").into_os_string()),
        home: Some(dir.as_os_str().to_owned()),
        ..Env::default()
    }
}

/// `nbmyst sync` in `dir`: (exit status, stdout, stderr).
fn sync(dir: &Path) -> (u8, String, String) {
    let args = SyncArgs {
        paths: vec![".".into()],
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = match nbmyst::drivers::sync::run(&args, &env(dir), &mut out, &mut err) {
        Ok(code) => code,
        Err(e) => panic!("sync failed: {e}"),
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn check(dir: &Path) -> (u8, String) {
    let args = CheckArgs {
        paths: vec![".".into()],
        format: CheckFormat::Text,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = match nbmyst::drivers::check::run(&args, &env(dir), &mut out, &mut err) {
        Ok(code) => code,
        Err(e) => panic!("check failed: {e}"),
    };
    out.extend_from_slice(&err);
    (code, String::from_utf8_lossy(&out).into_owned())
}

fn read_nb(path: &Path) -> Notebook {
    notebook::read(&fs::read(path).unwrap(), &ReadOptions::FULL)
        .unwrap()
        .notebook
}

fn write_nb(path: &Path, nb: &Notebook) {
    fs::write(path, notebook::write(nb)).unwrap();
}

fn inputs(nb: &Notebook) -> Vec<(CellType, String, Option<Json>)> {
    nb.cells
        .iter()
        .map(|c| {
            (
                c.cell_type,
                c.source.clone(),
                c.metadata.get("tags").cloned(),
            )
        })
        .collect()
}

/// Give `path` a modification time `n` seconds after a fixed point (later steps, later times).
fn stamp(path: &Path, n: u64) {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + n);
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn setup(nb: &Notebook) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("jupytext.toml"), PAIRING_TOML).unwrap();
    write_nb(&dir.path().join("nb.ipynb"), nb);
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn ipynb_to_md_to_ipynb_keeps_every_input(cells in prop::collection::vec(gen_cell(), 0..8)) {
        let nb = notebook(&cells);
        let dir = setup(&nb);
        let p = dir.path();
        let (code, _, err) = sync(p);
        prop_assert_eq!(code, 0, "{}", err);
        fs::remove_file(p.join("nb.ipynb")).unwrap();
        let (code, _, err) = sync(p);
        prop_assert_eq!(code, 0, "{}", err);
        let rebuilt = read_nb(&p.join("nb.ipynb"));
        prop_assert_eq!(inputs(&rebuilt), inputs(&nb));
        prop_assert_eq!(rebuilt.metadata.get("kernelspec"), nb.metadata.get("kernelspec"));
        prop_assert_eq!(check(p).0, 0);
    }

    #[test]
    fn cells_the_md_edit_left_alone_keep_their_outputs(
        cells in prop::collection::vec(gen_cell(), 1..8),
        edits in prop::collection::vec((0usize..8, 0u8..3, gen_cell()), 1..4),
    ) {
        let nb = notebook(&cells);
        let dir = setup(&nb);
        let p = dir.path();
        prop_assert_eq!(sync(p).0, 0);
        // Edit the notebook read from the .md, as someone editing the text would.
        let md_path = p.join("nb.md");
        let mut text_nb = myst::read::read(&fs::read_to_string(&md_path).unwrap()).unwrap();
        let mut touched = vec![false; text_nb.cells.len()];
        for (k, (at, op, new)) in edits.iter().enumerate() {
            let fresh = to_cell(new, 100 + k);
            let fresh = Cell { outputs: None, execution_count: None, ..fresh };
            let len = text_nb.cells.len();
            match op {
                0 if len > 0 => {
                    let i = at % len;
                    text_nb.cells[i].source.push_str(" edited");
                    touched[i] = true;
                }
                1 if len > 0 => {
                    let i = at % len;
                    text_nb.cells.remove(i);
                    touched.remove(i);
                }
                _ => {
                    let i = at % (len + 1);
                    text_nb.cells.insert(i, fresh);
                    touched.insert(i, true);
                }
            }
        }
        let text = myst::write::write(&text_nb, &WriteOptions::default()).unwrap();
        fs::write(&md_path, text).unwrap();
        stamp(&p.join("nb.ipynb"), 0);
        stamp(&md_path, 10);
        let (code, _, err) = sync(p);
        prop_assert_eq!(code, 0, "{}", err);
        let synced = read_nb(&p.join("nb.ipynb"));
        prop_assert_eq!(synced.cells.len(), text_nb.cells.len());
        for (i, cell) in synced.cells.iter().enumerate() {
            prop_assert_eq!(&cell.source, &text_nb.cells[i].source);
            if touched[i] {
                continue;
            }
            let original = nb.cells.iter().find(|c| c.source == cell.source).unwrap();
            prop_assert_eq!(&cell.outputs, &original.outputs);
            prop_assert_eq!(&cell.execution_count, &original.execution_count);
            prop_assert_eq!(&cell.id, &original.id);
        }
        prop_assert_eq!(check(p).0, 0);
    }

    #[test]
    fn check_passes_after_any_edits_and_a_sync(
        cells in prop::collection::vec(gen_cell(), 0..6),
        steps in prop::collection::vec((any::<bool>(), 0usize..8, 0u8..5, gen_cell()), 1..5),
    ) {
        let nb = notebook(&cells);
        let dir = setup(&nb);
        let p = dir.path();
        let (md_path, nb_path) = (p.join("nb.md"), p.join("nb.ipynb"));
        prop_assert_eq!(sync(p).0, 0);
        let mut clock = 0;
        for (k, (on_md, at, op, new)) in steps.iter().enumerate() {
            clock += 10;
            if *on_md {
                let mut text = fs::read_to_string(&md_path).unwrap();
                // Raw text edits, some of them awkward for MyST.
                match op {
                    0 => text.push_str(&format!("\nAdded {k}.\n")),
                    1 => text.push_str(&format!("\n```{{code-cell}} ipython3\nz{k} = {k}\n```\n")),
                    2 => text = text.replacen("```\n", "```\n\n+++\n\n", 1),
                    3 => text.push_str("\n\n\n"),
                    _ => text = text.replace("x = ", "xy = "),
                }
                fs::write(&md_path, text).unwrap();
                stamp(&md_path, clock);
            } else {
                let mut edited = read_nb(&nb_path);
                let len = edited.cells.len();
                match op {
                    0 if len > 0 => edited.cells[at % len].source.push('\n'),
                    1 if len > 0 => { edited.cells.remove(at % len); }
                    2 if len > 0 => {
                        if let Some(outputs) = &mut edited.cells[at % len].outputs {
                            outputs.push(stream("rerun\n"));
                        }
                    }
                    _ => edited.cells.insert(at % (len + 1), to_cell(new, 200 + k)),
                }
                write_nb(&nb_path, &edited);
                stamp(&nb_path, clock);
            }
            if k % 2 == 1 {
                let (code, _, err) = sync(p);
                prop_assert_eq!(code, 0, "{}", err);
            }
        }
        let (code, _, err) = sync(p);
        prop_assert_eq!(code, 0, "{}", err);
        let (code, report) = check(p);
        prop_assert_eq!(code, 0, "{}", report);
        let (code, out, _) = sync(p);
        prop_assert_eq!((code, out.as_str()), (0, ""));
    }
}
