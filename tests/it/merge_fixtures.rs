//! The merge fixtures: `tests/fixtures/merge/<case>/{base,ours,theirs,expected}.ipynb`, written by
//! `make_fixtures.py` from the rules (not from our output). Each case runs the binary as git
//! would (temporary names without extension, labels `base` / `HEAD` / `side`) and compares the
//! bytes of OURS with `expected.ipynb`; cells the merge adds are spelled `merge-added-N` there and
//! may have any id no input has. The exit status is 1 when the expected notebook holds markers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::NBMYST;

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/merge"))
}

fn ids(text: &str) -> Vec<Option<String>> {
    if text.is_empty() {
        return Vec::new();
    }
    let v: serde_json::Value = serde_json::from_str(text).expect("fixture JSON");
    v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c.get("id").and_then(|i| i.as_str()).map(str::to_owned))
        .collect()
}

fn run_case(dir: &Path) -> Result<(), String> {
    let read = |name: &str| fs::read_to_string(dir.join(format!("{name}.ipynb"))).expect("fixture");
    let (base, ours, theirs, expected) =
        (read("base"), read("ours"), read("theirs"), read("expected"));
    let work = tempfile::tempdir().expect("temp dir");
    for (name, text) in [
        (".merge_file_O", &base),
        (".merge_file_A", &ours),
        (".merge_file_B", &theirs),
    ] {
        fs::write(work.path().join(name), text).expect("write side");
    }
    let out = Command::new(NBMYST)
        .args(["merge", ".merge_file_O", ".merge_file_A", ".merge_file_B"])
        .args(["--marker-size", "7", "--path", "nb.ipynb"])
        .args([
            "--base-label",
            "base",
            "--ours-label",
            "HEAD",
            "--theirs-label",
            "side",
        ])
        .current_dir(work.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run nbmyst");
    let want_status = if expected.contains("\"<<<<<<< HEAD") {
        1
    } else {
        0
    };
    if out.status.code() != Some(want_status) || !out.stdout.is_empty() {
        return Err(format!(
            "exit {:?} (expected {want_status}), stdout {:?}, stderr {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut merged = fs::read_to_string(work.path().join(".merge_file_A")).expect("result");
    // Fresh ids of the cells the merge added.
    let inputs: Vec<Option<String>> = [&base, &ours, &theirs]
        .iter()
        .flat_map(|t| ids(t))
        .collect();
    let (want, got) = (ids(&expected), ids(&merged));
    if want.len() == got.len() {
        for (w, g) in want.iter().zip(&got) {
            if let (Some(w), Some(g)) = (w, g) {
                if w.starts_with("merge-added-") {
                    if inputs.contains(&Some(g.clone())) {
                        return Err(format!("added cell reuses the id {g} of an input"));
                    }
                    merged =
                        merged.replace(&format!("\"id\": \"{g}\""), &format!("\"id\": \"{w}\""));
                }
            }
        }
    }
    if merged != expected {
        return Err(format!(
            "merged notebook differs:\n--- expected\n{expected}\n--- merged\n{merged}"
        ));
    }
    if fs::read_dir(work.path()).expect("dir").count() != 3 {
        return Err("files left behind".to_owned());
    }
    Ok(())
}

#[test]
fn every_fixture_merges_as_expected() {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 14, "fixtures missing");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|dir| {
            run_case(dir).err().map(|e| {
                format!(
                    "{}: {e}",
                    dir.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
