//! Interoperability with jupytext 1.19.6 (`$NBMYST_PYTHON -m jupytext`), on every corpus notebook
//! that has outputs:
//!
//! - after `nbmyst sync`, `jupytext --sync` on the same pair changes nothing;
//! - after an edit of the `.md` and `jupytext --sync`, `nbmyst check` passes;
//! - on a pair that jupytext made, `nbmyst check` passes exactly when jupytext's own next
//!   `--sync` would change neither the `.md` nor the notebook's cells.
//!
//! These tests fail (never skip) when jupytext 1.19.6 is missing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{shared_dir, NBMYST};
use crate::sync_support::{
    inputs, json, jupytext_batch, require_jupytext, secs, set_mtime, t0, PAIRING_TOML,
};

/// The (cell type, source) of each cell of a notebook.
type CellInputs = Vec<(String, String)>;

/// Corpus notebooks with at least one output, except those jupytext itself cannot convert
/// (`corpus/failures.txt`) and those whose own `jupytext.formats` pair them with something else
/// than MyST (both tools then leave MyST alone).
fn corpus_with_outputs() -> Vec<PathBuf> {
    let corpus = shared_dir().join("corpus");
    let failures = fs::read_to_string(corpus.join("failures.txt")).unwrap_or_default();
    let mut out = Vec::new();
    for entry in fs::read_dir(corpus.join("ipynb")).expect("corpus") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if failures.lines().any(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|n| n.trim_end_matches(':') == stem)
        }) {
            continue;
        }
        let Ok(nb) = serde_json::from_str::<Value>(&fs::read_to_string(&path).unwrap()) else {
            continue;
        };
        let has_outputs = nb["cells"].as_array().is_some_and(|cells| {
            cells
                .iter()
                .any(|c| c["outputs"].as_array().is_some_and(|o| !o.is_empty()))
        });
        let own_formats = !nb["metadata"]["jupytext"]["formats"].is_null();
        if has_outputs && !own_formats {
            out.push(path);
        }
    }
    out.sort();
    assert!(
        out.len() >= 30,
        "expected the corpus in {}",
        corpus.display()
    );
    out
}

/// A folder per notebook under `root/<group>/`, each `nb.ipynb`, with the pairing configuration
/// at `root`.
fn lay_out(root: &Path, group: &str, notebooks: &[PathBuf]) -> Vec<PathBuf> {
    fs::write(root.join("jupytext.toml"), PAIRING_TOML).unwrap();
    notebooks
        .iter()
        .map(|nb| {
            let dir = root.join(group).join(nb.file_stem().unwrap());
            fs::create_dir_all(&dir).unwrap();
            // The corpus is read-only; the copy must not be.
            fs::write(dir.join("nb.ipynb"), fs::read(nb).unwrap()).unwrap();
            dir
        })
        .collect()
}

fn nbmyst(root: &Path, args: &[&str]) -> Output {
    Command::new(NBMYST)
        .args(args)
        .current_dir(root)
        .env("JUPYTEXT_CEILING_DIRECTORIES", root)
        .env("HOME", root)
        .env_remove("XDG_CONFIG_HOME")
        .env("XDG_CONFIG_DIRS", root)
        .env("GIT_CEILING_DIRECTORIES", root.parent().unwrap())
        .output()
        .expect("run nbmyst")
}

fn files(dirs: &[PathBuf]) -> BTreeMap<PathBuf, Vec<u8>> {
    dirs.iter()
        .flat_map(|d| ["nb.ipynb", "nb.md"].map(|f| d.join(f)))
        .map(|p| {
            let bytes = fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

fn sync_runs(dirs: &[PathBuf]) -> Vec<Vec<String>> {
    dirs.iter()
        .map(|d| {
            vec![
                "--sync".to_owned(),
                d.join("nb.ipynb").display().to_string(),
            ]
        })
        .collect()
}

/// A MyST text without its YAML header.
fn body(md: &[u8]) -> &[u8] {
    if !md.starts_with(b"---\n") {
        return md;
    }
    match md[4..].windows(5).position(|w| w == b"\n---\n") {
        Some(at) => &md[4 + at + 5..],
        None => md,
    }
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn jupytext_sync_changes_nothing_after_nbmyst_sync_and_check_passes_after_jupytext_sync() {
    require_jupytext();
    let notebooks = corpus_with_outputs();
    let tmp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(tmp.path()).unwrap();
    let dirs = lay_out(&root, "a", &notebooks);

    let out = nbmyst(&root, &["sync", "a"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = nbmyst(&root, &["check", "a"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // jupytext --sync, with the .md newer (text wins) and then with the notebook newer.
    for (md_at, nb_at) in [(100, 0), (0, 100)] {
        for d in &dirs {
            set_mtime(&d.join("nb.md"), t0() + secs(md_at));
            set_mtime(&d.join("nb.ipynb"), t0() + secs(nb_at));
        }
        let before = files(&dirs);
        jupytext_batch(&root, &root, &sync_runs(&dirs));
        let after = files(&dirs);
        let changed: Vec<String> = before
            .iter()
            .filter(|(p, b)| after.get(*p) != Some(b))
            .map(|(p, _)| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert!(
            changed.is_empty(),
            "jupytext --sync changed {} files after nbmyst sync: {changed:?}",
            changed.len()
        );
    }

    // An edit of the .md, synced by jupytext: nbmyst agrees the pair is in step.
    for d in &dirs {
        let md = d.join("nb.md");
        let text = fs::read_to_string(&md).unwrap();
        fs::write(&md, format!("{text}\n+++\n\nAdded by the test.\n")).unwrap();
        set_mtime(&md, t0() + secs(200));
        set_mtime(&d.join("nb.ipynb"), t0());
    }
    jupytext_batch(&root, &root, &sync_runs(&dirs));
    for d in &dirs {
        let nb = json(&d.join("nb.ipynb"));
        let last = inputs(&nb).pop().unwrap_or_default();
        assert_eq!(last.1, "Added by the test.", "{}", name(d));
    }
    let out = nbmyst(&root, &["check", "a"]);
    assert!(
        out.status.success(),
        "nbmyst check after jupytext --sync:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_on_pairs_jupytext_made_agrees_with_jupytext_next_sync() {
    require_jupytext();
    let notebooks = corpus_with_outputs();
    let tmp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(tmp.path()).unwrap();
    let dirs = lay_out(&root, "c", &notebooks);
    jupytext_batch(&root, &root, &sync_runs(&dirs));

    let out = nbmyst(&root, &["check", "--format", "json", "c"]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status: BTreeMap<String, String> = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ipynb = p["ipynb"].as_str().unwrap();
            let dir = Path::new(ipynb).parent().unwrap().file_name().unwrap();
            (
                dir.to_string_lossy().into_owned(),
                p["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(status.len(), dirs.len());

    // jupytext's next sync, the .md newer: does it change the .md or the cells?
    let before: Vec<(CellInputs, Vec<u8>)> = dirs
        .iter()
        .map(|d| {
            (
                inputs(&json(&d.join("nb.ipynb"))),
                fs::read(d.join("nb.md")).unwrap(),
            )
        })
        .collect();
    for d in &dirs {
        set_mtime(&d.join("nb.md"), t0() + secs(100));
        set_mtime(&d.join("nb.ipynb"), t0());
    }
    jupytext_batch(&root, &root, &sync_runs(&dirs));
    let mut disagreements = Vec::new();
    let mut moving = 0;
    let mut header_only = Vec::new();
    for (d, (cells, md)) in dirs.iter().zip(before) {
        let new_md = fs::read(d.join("nb.md")).unwrap();
        let cells_kept = inputs(&json(&d.join("nb.ipynb"))) == cells;
        let expected = if cells_kept && new_md == md {
            "in_step"
        } else if cells_kept && body(&new_md) == body(&md) {
            // jupytext rewrote only its own header, from metadata its reader added to the
            // notebook (as it adds `default_lexer`): the cells and the text agree both ways, and
            // `check` does not count notebook metadata the text does not show.
            header_only.push(name(d));
            continue;
        } else {
            "out_of_step"
        };
        if expected == "out_of_step" {
            moving += 1;
        }
        if status[&name(d)] != expected {
            disagreements.push(format!("{}: check says {}", name(d), status[&name(d)]));
        }
    }
    assert!(
        header_only.len() <= 2,
        "jupytext rewrote the header of {header_only:?}"
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} pairs ({moving} not at rest for jupytext): {disagreements:#?}",
        disagreements.len(),
        dirs.len()
    );

    // And once jupytext has settled them, check passes on all.
    let out = nbmyst(&root, &["check", "c"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
