//! The MyST reader beyond the spec's examples: format detection, the bad inputs of
//! `bad-inputs.md` ("Markdown side"), configuration defaults, round-trip warnings and error
//! positions. Expected notebooks come from `jupytext --to ipynb` (1.19.6) on the same text.

use nbmyst::myst::read::{
    detect, find_conflict_marker, is_myst, read, read_with, Format, ReadError, ReadOptions,
    ReadWarning,
};
use nbmyst::notebook::json::{parse, to_python_json_compact};
use nbmyst::notebook::{Json, Notebook};

/// `(cell_type, source)` of each cell.
fn cells(nb: &Notebook) -> Vec<(&'static str, &str)> {
    nb.cells
        .iter()
        .map(|c| (c.cell_type.as_str(), c.source.as_str()))
        .collect()
}

fn metadata_json(nb: &Notebook) -> String {
    to_python_json_compact(&Json::Object(nb.metadata.clone()), false, true)
}

fn canonical(json: &str) -> String {
    to_python_json_compact(&parse(json).expect("JSON"), false, true)
}

fn warnings(text: &str) -> Vec<ReadWarning> {
    read_with(text, &ReadOptions::default())
        .expect("readable")
        .warnings
}

const HEADER: &str = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n";

// ---------------------------------------------------------------------------------------------
// Format detection (§10.1)

#[test]
fn crlf_text_with_a_myst_header_is_read() {
    // Python opens the file with universal newlines: CRLF is no obstacle.
    let text = "---\r\njupytext:\r\n  text_representation:\r\n    extension: .md\r\n    format_name: myst\r\n---\r\n\r\nText\r\n\r\n```{code-cell} ipython3\r\nz = 3\r\n```";
    let nb = read(text).expect("MyST");
    assert_eq!(cells(&nb), [("markdown", "Text"), ("code", "z = 3")]);
    assert_eq!(
        metadata_json(&nb),
        canonical(r#"{"jupytext": {"default_lexer": "ipython3"}}"#)
    );
}

#[test]
fn a_header_without_extension_is_not_myst() {
    // corpus/myst-in/extra_crlf_no_final_newline.md: jupytext reads it as plain Markdown.
    let text = "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\nText\n\n```{code-cell} ipython3\nz = 3\n```";
    assert_eq!(detect(text), Ok(Format::Other("md".to_string())));
    assert!(matches!(read(text), Err(ReadError::NotMyst { .. })));
    // Given the format, it is MyST all the same.
    let opts = ReadOptions {
        assume_myst: true,
        ..ReadOptions::default()
    };
    let nb = read_with(text, &opts).expect("MyST").notebook;
    assert_eq!(cells(&nb), [("markdown", "Text"), ("code", "z = 3")]);
}

#[test]
fn a_jupyter_section_naming_another_format_wins() {
    let text = "---\njupyter:\n  jupytext:\n    text_representation:\n      extension: .md\n      format_name: markdown\n---\n\n```{code-cell}\nx\n```\n";
    assert_eq!(detect(text), Ok(Format::Other("markdown".to_string())));
    let opts = ReadOptions {
        assume_myst: true,
        ..ReadOptions::default()
    };
    assert!(read_with(text, &opts).is_err());
}

#[test]
fn a_root_header_naming_another_format_is_ignored() {
    // Only `format_name: myst` makes jupytext keep a root-level header for detection; the cell
    // fence then decides.
    let text = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: markdown\n---\n\n```{code-cell}\nx\n```\n";
    assert_eq!(detect(text), Ok(Format::Myst));
    let nb = read(text).expect("MyST");
    assert_eq!(cells(&nb), [("code", "x")]);
    assert_eq!(metadata_json(&nb), "{}");
}

#[test]
fn a_jupyter_section_spares_the_whole_text_sniff() {
    // jupytext finds the metadata in the `jupyter:` section and never reads the whole text as
    // YAML, so a form feed further down does no harm.
    let text = "---\njupyter:\n  kernelspec:\n    name: x\n    display_name: X\n---\n\na = 1\x0cb = 2\n```{code-cell}\nx = 1\n```\n";
    let nb = read(text).expect("MyST");
    assert_eq!(
        cells(&nb),
        [
            ("markdown", "a = 1"),
            ("code", "x = 1"),
            ("markdown", "```")
        ]
    );
    assert_eq!(
        metadata_json(&nb),
        canonical(r#"{"kernelspec": {"display_name": "X", "name": "x"}}"#)
    );
}

#[test]
fn a_cell_fence_at_any_depth_makes_myst() {
    let text = "- item\n\n  ```{code-cell}\n  x\n  ```\n";
    assert!(is_myst(text));
    let nb = read(text).expect("MyST");
    assert_eq!(
        cells(&nb),
        [("markdown", "- item\n\n  ```{code-cell}\n  x\n  ```")]
    );
    assert_eq!(metadata_json(&nb), "{}");
    assert_eq!(warnings(text), [ReadWarning::NestedCellFence { line: 3 }]);
}

#[test]
fn the_jupyter_section_of_a_markdown_header_counts() {
    let text = "---\njupyter:\n  jupytext:\n    text_representation:\n      extension: .md\n      format_name: myst\n---\n\nx\n";
    assert!(is_myst(text));
}

#[test]
fn a_form_feed_anywhere_breaks_a_text_with_a_header() {
    // hard case 18: PyYAML reads the whole text while jupytext sniffs the header.
    let text = format!("{HEADER}\n```{{code-cell}}\na = 1\x0cb = 2\n```\n");
    assert_eq!(
        read(&text),
        Err(ReadError::UnacceptableCharacter {
            line: 15,
            column: 6,
            ch: '\x0c'
        })
    );
    assert!(!is_myst(&text));
}

// ---------------------------------------------------------------------------------------------
// bad-inputs.md, Markdown side (the files of scenarios/make_bad_inputs.py)

#[test]
fn plain_markdown_is_not_myst() {
    let text = "# Notes\n\nNot MyST: a plain fence.\n\n```python\nx = 1\n```\n";
    assert!(!is_myst(text));
    assert_eq!(
        read(text),
        Err(ReadError::NotMyst {
            format: "md".to_string()
        })
    );
}

#[test]
fn well_formed_myst() {
    let text = format!("{HEADER}\n# Title\n\n```{{code-cell}}\nx = 1\nprint(x)\n```\n");
    let read = read_with(&text, &ReadOptions::default()).expect("MyST");
    assert_eq!(
        cells(&read.notebook),
        [("markdown", "# Title"), ("code", "x = 1\nprint(x)")]
    );
    assert_eq!(
        metadata_json(&read.notebook),
        canonical(
            r#"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"#
        )
    );
    assert!(read.warnings.is_empty());
    assert_eq!(
        to_python_json_compact(&Json::Object(read.text_representation), false, false),
        r#"{"extension": ".md", "format_name": "myst", "format_version": 0.13, "jupytext_version": "1.19.6"}"#
    );
}

#[test]
fn conflict_markers_are_found_by_line() {
    let text = format!(
        "{HEADER}\n# Title\n\n```{{code-cell}}\n<<<<<<< HEAD\nx = 2\n=======\nx = 3\n>>>>>>> side\nprint(x)\n```\n"
    );
    assert_eq!(find_conflict_marker(&text), Some(17));
    // jupytext itself reads the markers as code.
    let nb = read(&text).expect("MyST");
    assert_eq!(
        nb.cells[1].source,
        "<<<<<<< HEAD\nx = 2\n=======\nx = 3\n>>>>>>> side\nprint(x)"
    );
}

#[test]
fn a_setext_underline_is_not_a_conflict_marker() {
    assert_eq!(find_conflict_marker("Title\n=======\n\ntext\n"), None);
    assert_eq!(find_conflict_marker("a\n<<<<<<<\nb\n"), Some(2));
    assert_eq!(find_conflict_marker("a\n>>>>>>> theirs\n"), Some(2));
    assert_eq!(find_conflict_marker("<<<<<<<< eight\n"), None);
}

#[test]
fn a_broken_yaml_header_is_an_error_with_its_position() {
    let text = "---\njupytext: [unclosed\n---\n\n```{code-cell}\nx = 1\n```\n";
    match read(text) {
        Err(ReadError::HeaderYaml { line, column, .. }) => assert_eq!((line, column), (3, 1)),
        other => panic!("expected a YAML error, got {other:?}"),
    }
}

#[test]
fn an_unclosed_fence_runs_to_the_end() {
    let text = "# Title\n\n```{code-cell}\nx = 1\n";
    let read = read_with(text, &ReadOptions::default()).expect("MyST");
    assert_eq!(
        cells(&read.notebook),
        [("markdown", "# Title"), ("code", "x = 1\n")]
    );
    assert_eq!(read.warnings, [ReadWarning::UnclosedFence { line: 3 }]);
}

// ---------------------------------------------------------------------------------------------
// Configuration defaults (the header's own settings win)

#[test]
fn config_can_drop_unpromoted_header_keys() {
    let text = "---\ntitle: T\nmy key: 1\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n---\n\nx\n";
    let default = read(text).expect("MyST");
    assert_eq!(
        cells(&default),
        [("raw", "---\nmy key: 1\n---"), ("markdown", "x")]
    );
    let opts = ReadOptions {
        root_level_metadata_as_raw_cell: Some(false),
        ..ReadOptions::default()
    };
    let nb = read_with(text, &opts).expect("MyST").notebook;
    assert_eq!(cells(&nb), [("markdown", "x")]);
    assert_eq!(metadata_json(&nb), canonical(r#"{"title": "T"}"#));
}

#[test]
fn config_root_level_filter_applies_without_a_header_setting() {
    let text = "---\ntitle: T\nmy key: 1\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n---\n\nx\n";
    let opts = ReadOptions {
        root_level_metadata_filter: Some("-title".to_string()),
        ..ReadOptions::default()
    };
    let nb = read_with(text, &opts).expect("MyST").notebook;
    assert_eq!(
        cells(&nb),
        [("raw", "---\ntitle: T\nmy key: 1\n---"), ("markdown", "x")]
    );
    assert_eq!(metadata_json(&nb), "{}");
}

// ---------------------------------------------------------------------------------------------
// Dates in the header (PyYAML reads them as dates)

const MYST_JUPYTEXT: &str =
    "jupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n";

#[test]
fn dates_sent_back_to_the_raw_cell_are_written_as_pyyaml_writes_them() {
    let text = format!(
        "---\ntitle: T\ndate: 2024-1-1 1:02:03\ndates:\n- 2024-01-01\n- 2020-02-29t10:00:00.5Z\n{MYST_JUPYTEXT}  root_level_metadata_filter: -date,-dates\n---\n\nx\n"
    );
    let nb = read(&text).expect("MyST");
    assert_eq!(
        cells(&nb),
        [
            (
                "raw",
                "---\ndate: 2024-01-01 01:02:03\ndates:\n- 2024-01-01\n- 2020-02-29 10:00:00.500000+00:00\n---"
            ),
            ("markdown", "x")
        ]
    );
    assert_eq!(
        metadata_json(&nb),
        canonical(r#"{"jupytext": {"root_level_metadata_filter": "-date,-dates"}, "title": "T"}"#)
    );
}

#[test]
fn keys_that_are_not_strings_go_back_to_the_raw_cell_as_they_were() {
    let text = format!(
        "---\n{MYST_JUPYTEXT}  root_level_metadata_filter: -meta\nmeta:\n  1: a\n  true: b\n  c: [1, {{2: x}}]\n---\n\nhello\n"
    );
    let nb = read(&text).expect("readable");
    assert_eq!(
        cells(&nb),
        [
            ("raw", "---\nmeta:\n  1: b\n  c:\n  - 1\n  - 2: x\n---"),
            ("markdown", "hello")
        ]
    );
    assert_eq!(
        metadata_json(&nb),
        canonical(r#"{"jupytext": {"root_level_metadata_filter": "-meta"}}"#)
    );
}

#[test]
fn a_key_that_is_not_a_string_in_the_notebook_metadata_is_refused() {
    // jupytext: "TypeError: expected string or bytes-like object, got 'int'" at the top level,
    // "AssertionError" (nbformat's signature) deeper.
    let text = format!("---\n1: x\n{MYST_JUPYTEXT}---\n\nx\n");
    assert_eq!(
        read(&text),
        Err(ReadError::NonStringHeaderKey {
            key: "1".to_string()
        })
    );
    let text = format!("---\nother:\n  a: [{{yes: z}}]\n{MYST_JUPYTEXT}---\n\nx\n");
    assert_eq!(
        read(&text),
        Err(ReadError::NonStringHeaderKey {
            key: "other.a[0].true".to_string()
        })
    );
}

#[test]
fn a_date_in_the_notebook_metadata_is_refused() {
    // jupytext: "TypeError: Object of type date is not JSON serializable".
    let text = format!("---\ndate: 2024-01-01\n{MYST_JUPYTEXT}---\n\nx\n");
    assert_eq!(
        read(&text),
        Err(ReadError::HeaderDate {
            key: "date".to_string()
        })
    );
    // jupytext's filter fails on a date key.
    let text = format!(
        "---\n2024-03-03: key date\n{MYST_JUPYTEXT}  root_level_metadata_filter: -x\n---\n\nx\n"
    );
    assert!(matches!(read(&text), Err(ReadError::HeaderDate { .. })));
}

#[test]
fn a_date_header_without_myst_marker_is_plain_markdown() {
    // jupytext reads it as its other Markdown format (hard case 42).
    let text = "---\ndate: 2024-01-01\n---\n\ntext\n";
    assert_eq!(detect(text), Ok(Format::Other("md".to_string())));
}

// ---------------------------------------------------------------------------------------------
// Round-trip warnings

#[test]
fn an_indented_fence_in_code_is_reported() {
    // hard case 2
    let text = "```{code-cell}\ndoc = '''\n  ```\n  x\n  ```\n'''\n```\n";
    assert_eq!(
        warnings(text),
        [ReadWarning::IndentedClosingFence {
            kind: "code",
            open_line: 1,
            line: 3
        }]
    );
}

#[test]
fn a_block_break_inside_text_is_reported() {
    // hard case 3
    let text = "Intro\n+++\nOutro\n\n+++\n\n+ + +\n```{code-cell}\nx\n```\n";
    assert_eq!(
        warnings(text),
        [
            ReadWarning::BlockBreakInText { line: 2 },
            ReadWarning::BlockBreakInText { line: 7 }
        ]
    );
}

#[test]
fn metadata_without_markdown_is_reported() {
    // hard case 14
    let text = "+++ {\"tags\": [\"lost\"]}\n\n```{code-cell}\nx\n```\n\n+++ {\"a\": 1}\n+++ {\"b\": 2}\ntext\n";
    let read = read_with(text, &ReadOptions::default()).expect("MyST");
    assert_eq!(cells(&read.notebook), [("code", "x"), ("markdown", "text")]);
    assert_eq!(
        read.warnings,
        [
            ReadWarning::LostMarkdownMetadata { line: 1 },
            ReadWarning::BlockBreakInText { line: 7 },
            ReadWarning::LostMarkdownMetadata { line: 7 },
            ReadWarning::BlockBreakInText { line: 8 },
        ]
    );
}

#[test]
fn line_separators_are_reported() {
    // hard case 16
    let text = "```{code-cell}\na = 1\x0cb = 2\n```\n\nafter\n";
    let read = read_with(text, &ReadOptions::default()).expect("MyST");
    assert_eq!(
        cells(&read.notebook),
        [("code", "a = 1\nb = 2"), ("markdown", "```\n\nafter")]
    );
    assert_eq!(
        read.warnings,
        [ReadWarning::LineSeparator {
            line: 2,
            ch: '\x0c'
        }]
    );
}

#[test]
fn mixed_languages_are_reported() {
    let text = "```{code-cell} python\nx\n```\n\n```{code-cell} r\ny\n```\n";
    let read = read_with(text, &ReadOptions::default()).expect("MyST");
    assert_eq!(
        read.warnings,
        [ReadWarning::MixedLexers {
            line: 5,
            lexer: "r".to_string(),
            first: "python".to_string()
        }]
    );
    assert_eq!(
        metadata_json(&read.notebook),
        canonical(
            r#"{"jupytext": {"default_lexer": "python", "notebook_metadata_filter": "-all"}}"#
        )
    );
}

#[test]
fn writer_output_reads_without_warnings() {
    let text = format!(
        "{HEADER}\n# A\n\n+++\n\nB\n\n```{{code-cell}} ipython3\n:tags: [t]\n\nx\n```\n\n+++ {{\"k\": 1}}\n\nC\n\n````{{raw-cell}}\n```\n````\n"
    );
    assert_eq!(warnings(&text), []);
}

// ---------------------------------------------------------------------------------------------
// Errors and their positions

#[test]
fn a_tab_after_an_option_key_is_a_yaml_error() {
    // hard case 19: PyYAML reports line 1, column 6 of `tags:\t[a]`.
    let text = "```{code-cell}\n:tags:\t[a]\n\nx\n```\n";
    match read(text) {
        Err(ReadError::CellOptionsYaml {
            kind,
            index,
            line,
            yaml_line,
            column,
            ..
        }) => assert_eq!((kind, index, line, yaml_line, column), ("code", 0, 1, 2, 7)),
        other => panic!("expected a YAML error, got {other:?}"),
    }
}

#[test]
fn options_are_validated_like_nbformat() {
    // hard case 32
    let text = "# md\n\n```{code-cell}\n:tags: hide-input\n\nx\n```\n";
    assert!(matches!(
        read(text),
        Err(ReadError::InvalidCellMetadata {
            kind: "code",
            index: 1,
            line: 3,
            ..
        })
    ));
}

#[test]
fn markdown_metadata_must_be_a_json_object() {
    assert!(matches!(
        read("a\n\n+++ {bad}\n\nb\n```{code-cell}\nx\n```\n"),
        Err(ReadError::MarkdownMetadataJson {
            index: 1,
            line: 3,
            ..
        })
    ));
    assert!(matches!(
        read("+++ [1]\n\nb\n```{code-cell}\nx\n```\n"),
        Err(ReadError::MarkdownMetadataNotObject {
            index: 0,
            line: 1,
            found: "a list"
        })
    ));
}

#[test]
fn a_null_header_key_cannot_be_read() {
    // hard case 41
    let text = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\norphan: null\n---\n\n```{code-cell}\n1\n```\n";
    assert_eq!(
        read(text),
        Err(ReadError::NullHeaderKey {
            key: "orphan".to_string()
        })
    );
}

#[test]
fn the_header_must_be_a_mapping() {
    let opts = ReadOptions {
        assume_myst: true,
        ..ReadOptions::default()
    };
    let err = |text: &str| read_with(text, &opts).map(|_| ()).unwrap_err();
    assert_eq!(
        err("---\n---\n\nx\n"),
        ReadError::HeaderNotMapping { found: "empty" }
    );
    assert_eq!(
        err("---\n- a\n---\n\nx\n"),
        ReadError::HeaderNotMapping { found: "a list" }
    );
    assert!(matches!(
        err("---\nkernelspec: python3\n---\n\nx\n"),
        ReadError::InvalidHeader { .. }
    ));
}

#[test]
fn invalid_utf8_is_refused() {
    // corpus/myst-in/invalid_file_896.md is Latin-1 on purpose.
    let bytes = b"# caf\xe9\n\n```{code-cell}\nx\n```\n";
    assert_eq!(
        nbmyst::myst::read::read_bytes(bytes, &ReadOptions::default()),
        Err(ReadError::NotUtf8 { offset: 5 })
    );
}
