//! Every notebook-level input of `bad-inputs.md`, as written by
//! `scenarios/make_bad_inputs.py`: each one is read, or refused with its own error kind and a
//! message that names the problem.

use std::path::Path;

use nbmyst::notebook::{read, write, Json, Read, ReadError, ReadOptions, ReadWarning};

use crate::ipynb_conformance::{shared_dir, without_ids};

/// Run `make_bad_inputs.py` into a fresh temporary folder.
fn make_bad_inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = shared_dir().join("scenarios").join("make_bad_inputs.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(status.success(), "{} failed", script.display());
    dir
}

fn bytes(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_ok(dir: &Path, name: &str, opts: &ReadOptions) -> Read {
    read(&bytes(dir, name), opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn unreadable_inputs_each_get_their_error() {
    let dir = make_bad_inputs();
    let cases: Vec<(&str, ReadError, &str)> = vec![
        ("empty.ipynb", ReadError::Empty, "empty file"),
        ("whitespace.ipynb", ReadError::Whitespace, "only whitespace, no notebook"),
        (
            "invalid-json.ipynb",
            // Python: "Expecting property name enclosed in double quotes: line 3 column 24"
            ReadError::NotJson {
                line: 3,
                column: 24,
                message: "expected a key in double quotes",
            },
            "not valid JSON (line 3, column 24: expected a key in double quotes)",
        ),
        (
            "truncated.ipynb",
            // Python: "Expecting value: line 40 column 1"
            ReadError::Truncated { line: 40, column: 1 },
            "truncated: unexpected end at line 40",
        ),
        (
            "json-array.ipynb",
            ReadError::NotAnObject { found: "an array" },
            "not a notebook: top level is an array",
        ),
        (
            "json-string.ipynb",
            ReadError::NotAnObject { found: "a string" },
            "not a notebook: top level is a string",
        ),
        ("object-no-cells.ipynb", ReadError::NoCells, "not a notebook: no \"cells\""),
        (
            "object-unrelated.ipynb",
            ReadError::NoNbformat,
            "not a notebook: no \"nbformat\": cannot tell the version",
        ),
        (
            "missing-nbformat.ipynb",
            ReadError::NoNbformat,
            "not a notebook: no \"nbformat\": cannot tell the version",
        ),
        (
            "nbformat5-future.ipynb",
            ReadError::Newer { major: 5 },
            "nbformat 5 is newer than this nbmyst",
        ),
        (
            "unknown-cell-type.ipynb",
            // jupytext: "NotImplementedError: cell 1, type: sql"
            ReadError::UnknownCellType {
                cell: 1,
                cell_type: "\"sql\"".to_owned(),
            },
            "cell 1 has unknown type \"sql\" (expected markdown, code or raw)",
        ),
        (
            "binary.ipynb",
            ReadError::Binary { offset: 8 },
            "binary file (NUL byte at offset 8)",
        ),
        ("utf16.ipynb", ReadError::Utf16, "not UTF-8 (UTF-16 byte order mark)"),
        (
            "invalid-utf8.ipynb",
            // Python: "can't decode byte 0xff in position 141"
            ReadError::InvalidUtf8 {
                offset: 141,
                byte: 0xff,
            },
            "not UTF-8 (invalid byte 0xff at offset 141)",
        ),
        (
            "git-conflict-markers.ipynb",
            // `grep -n '^<<<<<<<'`: line 28
            ReadError::ConflictMarkers { line: 28 },
            "holds git conflict markers (line 28); resolve them, or run git checkout --ours/--theirs",
        ),
    ];
    for (name, error, message) in cases {
        for opts in [ReadOptions::FULL, ReadOptions::WITHOUT_OUTPUTS] {
            let got = read(&bytes(dir.path(), name), &opts);
            assert_eq!(got.as_ref().err(), Some(&error), "{name} {opts:?}");
            assert_eq!(error.to_string(), message, "{name}");
        }
    }
}

/// Files in nbformat's layout that nbformat reads: writing them back gives the same bytes
/// (ids, versions, unknown keys and NaN all kept; no id invented).
#[test]
fn readable_inputs_write_back_unchanged() {
    let dir = make_bad_inputs();
    for name in [
        "good.ipynb",
        "nbformat4.0.ipynb",
        "nbformat4.1.ipynb",
        "nbformat4.2.ipynb",
        "nbformat4.3.ipynb",
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
        "nan-value.ipynb",
        "huge-single-line.ipynb",
        "dir with space ünï.ipynb",
    ] {
        let text = String::from_utf8(bytes(dir.path(), name)).unwrap();
        let result = read_ok(dir.path(), name, &ReadOptions::FULL);
        assert_eq!(result.warnings, [], "{name}");
        assert!(write(&result.notebook) == text, "{name} changed on writing");
        // without outputs: the same notebook, minus the outputs of code cells
        let inputs = read_ok(dir.path(), name, &ReadOptions::WITHOUT_OUTPUTS);
        let mut expected = result.notebook.clone();
        for cell in &mut expected.cells {
            if cell.cell_type == nbmyst::notebook::CellType::Code {
                cell.outputs = None;
            }
        }
        assert_eq!(inputs.notebook, expected, "{name}");
        assert_eq!(inputs.outputs_present, result.outputs_present, "{name}");
    }
}

#[test]
fn readable_inputs_keep_what_they_hold() {
    let dir = make_bad_inputs();
    let full = |name| read_ok(dir.path(), name, &ReadOptions::FULL);
    let ids = |r: &Read| -> Vec<Option<String>> {
        r.notebook.cells.iter().map(|c| c.id.clone()).collect()
    };

    let r = full("nbformat4.9-newer-minor.ipynb");
    assert_eq!((r.notebook.nbformat, r.notebook.nbformat_minor), (4, 9));
    let r = full("nbformat4.5-without-ids.ipynb");
    assert_eq!(ids(&r), [None, None, None, None]);
    let r = full("duplicate-ids.ipynb");
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        ids(&r),
        [some("intro"), some("first"), some("first"), some("second")]
    );
    let r = full("invalid-id-chars.ipynb");
    assert_eq!(ids(&r)[0], some("has space/and slash"));

    let r = full("missing-outputs.ipynb");
    assert_eq!(r.notebook.cells[1].outputs, None);
    assert_eq!(r.notebook.cells[1].execution_count, None);
    assert_eq!(r.outputs_present, [false, false, false, true]);

    let r = full("outputs-on-markdown.ipynb");
    assert!(r.notebook.cells[0].extra.contains_key("outputs"));
    assert_eq!(r.outputs_present, [true, true, false, true]);

    let r = full("unknown-fields.ipynb");
    assert!(r.notebook.extra.contains_key("x_top_level"));
    assert!(r.notebook.metadata.contains_key("x_tool"));
    assert!(r.notebook.cells[1].extra.contains_key("x_cell_field"));
    let output = r.notebook.cells[1].outputs.as_ref().unwrap()[0]
        .as_object()
        .unwrap();
    assert_eq!(output["x_output_field"], Json::Str("kept".to_owned()));

    let r = full("nan-value.ipynb");
    assert!(matches!(r.notebook.cells[1].execution_count, Some(Json::Float(f)) if f.is_nan()));
}

/// Inputs that read into the same notebook as `good.ipynb`, some with a warning.
#[test]
fn variants_of_the_good_notebook() {
    let dir = make_bad_inputs();
    let good = String::from_utf8(bytes(dir.path(), "good.ipynb")).unwrap();
    for (name, warnings) in [
        ("string-sources.ipynb", vec![]),
        ("minified-one-line.ipynb", vec![]),
        ("crlf.ipynb", vec![]),
        ("utf8-bom.ipynb", vec![ReadWarning::Bom]),
        (
            "missing-cell-metadata.ipynb",
            vec![ReadWarning::MissingCellMetadata { cell: 0 }],
        ),
    ] {
        let r = read_ok(dir.path(), name, &ReadOptions::FULL);
        assert_eq!(r.warnings, warnings, "{name}");
        assert!(write(&r.notebook) == good, "{name}");
    }
    let r = read_ok(dir.path(), "missing-source.ipynb", &ReadOptions::FULL);
    assert_eq!(r.warnings, [ReadWarning::MissingSource { cell: 2 }]);
    assert_eq!(r.notebook.cells[2].source, "");
    assert_eq!(
        r.warnings[0].to_string(),
        "cell 2 has no \"source\", read as empty"
    );
    let r = read_ok(dir.path(), "missing-nb-metadata.ipynb", &ReadOptions::FULL);
    assert_eq!(r.warnings, [ReadWarning::MissingNotebookMetadata]);
    assert!(r.notebook.metadata.is_empty());
}

/// `nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"` of `nbformat3.ipynb`
/// (nbformat 5.11.1); its ids are random.
const NBFORMAT3_BY_NBFORMAT: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "5bed9070",
   "metadata": {},
   "source": [
    "# Old notebook"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "6229cf16",
   "metadata": {
    "collapsed": false
   },
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "1\n"
     ]
    }
   ],
   "source": [
    "x = 1\n",
    "print(x)"
   ]
  },
  {
   "cell_type": "markdown",
   "id": "8ec9128c",
   "metadata": {},
   "source": [
    "Prose."
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

#[test]
fn nbformat3_is_upgraded_as_nbformat_does() {
    let dir = make_bad_inputs();
    let r = read_ok(dir.path(), "nbformat3.ipynb", &ReadOptions::FULL);
    assert_eq!(r.warnings, [ReadWarning::Upgraded { major: 3, minor: 0 }]);
    assert_eq!(r.upgraded_from(), Some((3, 0)));
    let written = write(&r.notebook);
    assert_eq!(without_ids(&written), without_ids(NBFORMAT3_BY_NBFORMAT));
    crate::ipynb_v3::assert_derived_ids(&r);
    // deterministic: the same ids every time
    let again = read_ok(dir.path(), "nbformat3.ipynb", &ReadOptions::FULL);
    assert_eq!(again.notebook, r.notebook);
}
