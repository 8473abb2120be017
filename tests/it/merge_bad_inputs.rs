//! `nbmyst merge` on the unusual inputs of `../shared/bad-inputs.md` (made by
//! `scenarios/make_bad_inputs.py`), each given as theirs against a good notebook: the merge
//! column of that table (OK, TM: git's line merge and exit 1, BM: ours kept and exit 1, U: exit
//! above 128 and nothing touched).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{shared_dir, NBMYST};

/// Files merged as notebooks (exit 0: theirs' changes applied to an unchanged ours).
const OK: &[&str] = &[
    "crlf.ipynb",
    "duplicate-ids.ipynb",
    "invalid-id-chars.ipynb",
    "minified-one-line.ipynb",
    "missing-outputs.ipynb",
    "nan-value.ipynb",
    "nbformat4.0.ipynb",
    "nbformat4.4-with-ids.ipynb",
    "nbformat4.4.ipynb",
    "nbformat4.5-some-ids.ipynb",
    "nbformat4.5-without-ids.ipynb",
    "nbformat4.9-newer-minor.ipynb",
    "outputs-on-markdown.ipynb",
    "string-sources.ipynb",
    "unknown-fields.ipynb",
];

/// Files handed to git's line merge (exit 1, one line on stderr naming theirs).
const TM: &[&str] = &[
    "empty.ipynb",
    "whitespace.ipynb",
    "invalid-json.ipynb",
    "truncated.ipynb",
    "json-array.ipynb",
    "object-no-cells.ipynb",
    "object-unrelated.ipynb",
    "git-conflict-markers.ipynb",
    "nbformat3.ipynb",
    "nbformat5-future.ipynb",
    "missing-cell-metadata.ipynb",
    "missing-source.ipynb",
    "missing-nb-metadata.ipynb",
    "missing-nbformat.ipynb",
    "unknown-cell-type.ipynb",
    "utf8-bom.ipynb",
    "invalid-utf8.ipynb",
];

fn merge(dir: &Path, theirs: &str) -> (Option<i32>, String) {
    let out = Command::new(NBMYST)
        .args(["merge", "o", "a", theirs, "--path", "nb.ipynb"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run nbmyst");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = Command::new("python3")
        .arg(shared_dir().join("scenarios/make_bad_inputs.py"))
        .arg(dir.path())
        .output()
        .expect("make_bad_inputs.py");
    assert!(status.status.success(), "make_bad_inputs.py failed");
    dir
}

#[test]
fn the_merge_column_of_the_bad_inputs_table() {
    let bad = inputs();
    let good = fs::read(bad.path().join("good.ipynb")).expect("good.ipynb");
    let mut failures = Vec::new();
    for (name, want) in OK.iter().map(|n| (n, 0)).chain(TM.iter().map(|n| (n, 1))) {
        let work = tempfile::tempdir().expect("temp dir");
        fs::write(work.path().join("o"), &good).expect("base");
        fs::write(work.path().join("a"), &good).expect("ours");
        fs::copy(bad.path().join(name), work.path().join("b")).expect("theirs");
        let (code, stderr) = merge(work.path(), "b");
        let merged = fs::read(work.path().join("a")).expect("result");
        let lines = stderr.lines().count();
        let ok = match want {
            0 => {
                code == Some(0)
                    && nbmyst::notebook::read(&merged, &nbmyst::notebook::ReadOptions::FULL).is_ok()
            }
            _ => {
                code == Some(1)
                    && lines == 1
                    && stderr.contains("nb.ipynb")
                    && stderr.contains("theirs")
            }
        };
        if !ok {
            failures.push(format!("{name}: exit {code:?}, stderr {stderr:?}"));
        }
        if fs::read_dir(work.path()).expect("dir").count() != 3 {
            failures.push(format!("{name}: files left behind"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn binary_keeps_ours_and_usage_problems_exit_above_128() {
    let bad = inputs();
    let good = fs::read(bad.path().join("good.ipynb")).expect("good.ipynb");
    let work = tempfile::tempdir().expect("temp dir");
    fs::write(work.path().join("o"), &good).expect("base");
    fs::write(work.path().join("a"), b"ours as it was").expect("ours");
    fs::copy(bad.path().join("binary.ipynb"), work.path().join("b")).expect("theirs");
    let (code, stderr) = merge(work.path(), "b");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        fs::read(work.path().join("a")).expect("ours"),
        b"ours as it was"
    );

    for missing in ["no-such-file", "."] {
        let (code, stderr) = merge(work.path(), missing);
        assert!(
            code.is_some_and(|c| c > 128),
            "{missing}: {code:?} {stderr}"
        );
        assert_eq!(
            fs::read(work.path().join("a")).expect("ours"),
            b"ours as it was"
        );
    }
    // A command line clap refuses.
    let out = Command::new(NBMYST)
        .args(["merge", "o", "a"])
        .current_dir(work.path())
        .output()
        .expect("run nbmyst");
    assert!(out.status.code().is_some_and(|c| c > 128));
}
