//! `../shared/bad-inputs.md`, sync and check columns: every bad file, as one side of a pair whose
//! other side is fine, made by `../shared/scenarios/make_bad_inputs.py`.
//!
//! SE: sync exits 2, names the file on stderr and writes nothing; CE: check exits 2 (1 for a
//! `.md` with conflict markers, which is a pair to resolve). OK: sync works, check passes after.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{shared_dir, GitSandbox};
use crate::sync_support::{edit, json, secs, set_mtime, t0, PAIRING_TOML};

/// The bad inputs, made once per test in a scratch folder.
fn bad_inputs() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("bad");
    let status = Command::new("python3")
        .arg(shared_dir().join("scenarios/make_bad_inputs.py"))
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run make_bad_inputs.py");
    assert!(status.success(), "make_bad_inputs.py failed");
    (dir, out)
}

/// A sandbox with the pairing configuration, `nb.ipynb` and `nb.md` as given (a good `.md` is
/// the good notebook's MyST, made by a first sync).
fn pair_with(bad: &Path, ipynb: &str, md: Option<&str>) -> GitSandbox {
    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", fs::read(bad.join("good.ipynb")).unwrap());
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    copy(bad, ipynb, &sb.work.join("nb.ipynb"));
    if let Some(md) = md {
        copy(bad, md, &sb.work.join("nb.md"));
    }
    sb
}

fn copy(bad: &Path, name: &str, to: &Path) {
    let bytes = fs::read(bad.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    fs::write(to, bytes).unwrap();
}

fn snapshot_files(sb: &GitSandbox) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&sb.work)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn bad_files_are_refused_by_name_and_nothing_is_written() {
    let (_keep, bad) = bad_inputs();
    // (file, side, check's exit status)
    let cases: &[(&str, &str, i32)] = &[
        ("empty.ipynb", "ipynb", 2),
        ("whitespace.ipynb", "ipynb", 2),
        ("invalid-json.ipynb", "ipynb", 2),
        ("truncated.ipynb", "ipynb", 2),
        ("json-array.ipynb", "ipynb", 2),
        ("json-string.ipynb", "ipynb", 2),
        ("object-no-cells.ipynb", "ipynb", 2),
        ("object-unrelated.ipynb", "ipynb", 2),
        ("binary.ipynb", "ipynb", 2),
        ("git-conflict-markers.ipynb", "ipynb", 2),
        ("nbformat3.ipynb", "ipynb", 2),
        ("nbformat5-future.ipynb", "ipynb", 2),
        ("missing-cell-metadata.ipynb", "ipynb", 2),
        ("missing-source.ipynb", "ipynb", 2),
        ("missing-nb-metadata.ipynb", "ipynb", 2),
        ("missing-nbformat.ipynb", "ipynb", 2),
        ("unknown-cell-type.ipynb", "ipynb", 2),
        ("utf8-bom.ipynb", "ipynb", 2),
        ("utf16.ipynb", "ipynb", 2),
        ("invalid-utf8.ipynb", "ipynb", 2),
        ("plain-markdown.md", "md", 2),
        ("myst-conflict-markers.md", "md", 1),
        ("myst-bad-yaml.md", "md", 2),
    ];
    let mut report = String::new();
    for &(name, side, check_status) in cases {
        let sb = if side == "ipynb" {
            pair_with(&bad, name, None)
        } else {
            pair_with(&bad, "good.ipynb", Some(name))
        };
        // Make the bad side the newer one: the clocks must not matter.
        let (bad_side, other) = if side == "ipynb" {
            ("nb.ipynb", "nb.md")
        } else {
            ("nb.md", "nb.ipynb")
        };
        set_mtime(&sb.work.join(other), t0());
        set_mtime(&sb.work.join(bad_side), t0() + secs(100));
        let before = snapshot_files(&sb);
        let out = sb.nbmyst(["sync", "nb.md"]);
        assert_eq!(out.status, Some(2), "{name}: sync\n{out}");
        let stderr = out.stderr_text();
        assert!(stderr.contains(bad_side), "{name}: {stderr}");
        assert_eq!(snapshot_files(&sb), before, "{name}: sync wrote something");
        let check = sb.nbmyst(["check", "nb.ipynb"]);
        assert_eq!(check.status, Some(check_status), "{name}: check\n{check}");
        assert_eq!(snapshot_files(&sb), before, "{name}: check wrote something");
        report.push_str(&format!(
            "## {name}\nsync: {stderr}check: {}{}\n",
            check.stdout_text(),
            check.stderr_text()
        ));
    }
    crate::support::insta_settings().bind(|| insta::assert_snapshot!("bad_input_messages", report));
}

#[test]
fn odd_but_valid_notebooks_sync_and_keep_what_they_hold() {
    let (_keep, bad) = bad_inputs();
    let cases = [
        "nbformat4.0.ipynb",
        "nbformat4.4.ipynb",
        "nbformat4.4-with-ids.ipynb",
        "nbformat4.5-without-ids.ipynb",
        "nbformat4.5-some-ids.ipynb",
        "nbformat4.9-newer-minor.ipynb",
        "duplicate-ids.ipynb",
        "invalid-id-chars.ipynb",
        "missing-outputs.ipynb",
        "outputs-on-markdown.ipynb",
        "unknown-fields.ipynb",
        "string-sources.ipynb",
        "minified-one-line.ipynb",
        "nan-value.ipynb",
        "crlf.ipynb",
    ];
    for name in cases {
        let sb = GitSandbox::new();
        sb.write("jupytext.toml", PAIRING_TOML);
        copy(&bad, name, &sb.work.join("nb.ipynb"));
        let original = json(&sb.work.join("nb.ipynb"));
        let out = sb.nbmyst(["sync", "nb.ipynb"]);
        assert_eq!(out.status, Some(0), "{name}\n{out}");
        sb.nbmyst(["check"]).success();
        let synced = json(&sb.work.join("nb.ipynb"));
        assert_eq!(
            synced["nbformat_minor"], original["nbformat_minor"],
            "{name}"
        );
        for (a, b) in synced["cells"]
            .as_array()
            .unwrap()
            .iter()
            .zip(original["cells"].as_array().unwrap())
        {
            // No id invented, none dropped; unknown keys and missing ones as they were.
            assert_eq!(a.get("id"), b.get("id"), "{name}");
            let keys = |c: &serde_json::Value| {
                let mut k: Vec<String> = c.as_object().unwrap().keys().cloned().collect();
                k.sort();
                k
            };
            assert_eq!(keys(a), keys(b), "{name}");
            // The same outputs, in nbformat's layout (strings split into lists of lines).
            assert_eq!(
                a.get("outputs").map(joined),
                b.get("outputs").map(joined),
                "{name}"
            );
        }
        // An edit of the .md reaches the notebook; the rest stays.
        sb.commit("pair");
        let md = sb.work.join("nb.md");
        let text = fs::read_to_string(&md).unwrap();
        fs::write(&md, format!("{text}\n+++\n\nAdded in the md.\n")).unwrap();
        sb.nbmyst(["sync", "nb.md"]).success();
        sb.nbmyst(["check"]).success();
        let edited = json(&sb.work.join("nb.ipynb"));
        let cells = edited["cells"].as_array().unwrap();
        assert!(
            crate::sync_support::source(cells.last().unwrap()).contains("Added in the md."),
            "{name}"
        );
        assert_eq!(
            edited["nbformat_minor"], original["nbformat_minor"],
            "{name}"
        );
        if name == "unknown-fields.ipynb" {
            let keys = |v: &serde_json::Value| v.as_object().unwrap().len();
            assert_eq!(keys(&edited), keys(&original), "{name}: top-level keys");
            assert_eq!(edited["cells"][0], original["cells"][0], "{name}");
        }
    }
}

/// A JSON value with every list of strings joined into one string (nbformat's two layouts of
/// multi-line text become one).
fn joined(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Value::String(items.iter().filter_map(Value::as_str).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(joined).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), joined(v))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_side_is_never_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (_keep, bad) = bad_inputs();
    let sb = pair_with(&bad, "good.ipynb", None);
    sb.commit("pair");
    edit(
        &sb.work.join("nb.ipynb"),
        "\"source\": [",
        "\"source\": [\"# new\\n\",",
    );
    let md = sb.work.join("nb.md");
    fs::set_permissions(&md, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&md).unwrap();
    let out = sb.nbmyst(["sync", "nb.ipynb"]);
    insta::assert_snapshot!(out, @r"
    ------- stderr -------
    nbmyst: error: nb.md is read-only; not replacing it
    nbmyst: hint: make it writable (`chmod u+w nb.md`) to let nbmyst update it
    [exit status: 2]
    [EOF]
    ");
    assert_eq!(fs::read(&md).unwrap(), before);
    assert_eq!(
        fs::metadata(&md).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn missing_paths_and_directories() {
    let (_keep, bad) = bad_inputs();
    let sb = pair_with(&bad, "good.ipynb", None);
    fs::create_dir(sb.work.join("a-directory.ipynb")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("nowhere.ipynb", sb.work.join("dangling.ipynb")).unwrap();
    let out = sb.nbmyst(["sync", "missing.ipynb", "dangling.ipynb", "nb.ipynb"]);
    insta::assert_snapshot!(out, @r"
    ------- stderr -------
    nbmyst: error: missing.ipynb: no such file or directory
    nbmyst: error: dangling.ipynb: no such file or directory
    [exit status: 2]
    [EOF]
    ");
    let out = sb.nbmyst(["check", "missing.md"]);
    assert_eq!(out.status, Some(2));
    // A folder named like a notebook is walked (outside git) or skipped.
    sb.nbmyst(["sync", "a-directory.ipynb"]).success();
}
