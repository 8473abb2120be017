//! Differential test of the YAML reader against PyYAML 6.0 `safe_load`
//! (`tests/yaml/pyyaml_load.py`): YAML texts written by our emitter for random trees, the same
//! texts with random edits, random plain scalars, and hand-written documents (the spec's
//! examples among them) are loaded by both; the values (or the fact that both refuse the text)
//! must agree. Mismatches are shrunk before being shown.

use nbmyst::myst::yaml::{dump_mapping, non_string_key_json, Dumper};
use nbmyst::myst::yaml_read::{load, load_with, LoadOptions};
use nbmyst::notebook::Json;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::yaml_support::{case_count, json_string, key, mapping, runner, text, Reference};

/// Hand-written documents: the spec's reading examples and YAML 1.1 features.
const DOCUMENTS: &[&str] = &[
    // spec/hard-cases.md 31, 19, 18, 42, 41
    "a: yes\nb: 010\nc: 1:30\nd: 0o10\ne: 1e3\n",
    "tags:\t[a]\n",
    "jupytext:\n  text_representation:\n    extension: .md\n",
    "a: 1\u{c}",
    "date: 2024-01-01\n",
    "orphan: null\n",
    // spec/myst-format.md §11
    "a: [yes, No, on, OFF, y, n, 017, 0o17, 0x1F, 0b11, 1_000, 1:30, 1e3, 1.0e3, 1.5e+3, .5, +1, ~, null, Null]\n",
    "a: <<\n",
    "a: =\n",
    "a: !!binary aGk=\n",
    // Collections, anchors and merges.
    "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n",
    "a: &a [1, 2]\nb: *a\nc: *a\n",
    "x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n",
    "<<: {a: 1}\n",
    "'<<': {a: 1}\n",
    "=: 1\n",
    "a: 1\na: 2\n",
    "1: a\n1.0: b\ntrue: c\n",
    "? [a, b]\n: 1\n",
    "? |\n  block key\n: 1\n",
    "- &a\n- *a\n",
    "a: &a 1\nb: &a 2\n",
    "a: &x.y 1\n",
    "a: *nothing\n",
    // Block scalars.
    "a: |\n  line 1\n  line 2\n",
    "a: |-\n  x\n\n",
    "a: |+\n  x\n\n",
    "a: >\n  folded\n  text\n\n  para\n",
    "a: |2\n    indented\n",
    "a: |\n  x\n\ty\n",
    "a: |\n  x\n  \ty\n",
    // Quoted scalars.
    "a: \"esc \\t \\x41 \\u00e9 \\U0001F600 \\N \\_ \\L \\P \\/ \\e \\0\"\n",
    "a: \"fold\n  ed\"\n",
    "a: \"esc\\\n  aped\"\n",
    "a: 'it''s'\n",
    "a: 'x\u{2028}  y'\n",
    "a: 'x\u{85}  y'\n",
    "a: \"x\u{2029}\n  y\"\n",
    "a: \"\\q\"\n",
    // Documents and directives.
    "",
    "# only a comment\n",
    "---\n",
    "--- a\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "\u{feff}a: 1\n",
    "a: \u{feff}b\n",
    // Explicit tags.
    "a: !!str 1\nb: !!int '3'\nc: !!float '1'\nd: !!bool yes\ne: !!null x\n",
    "a: ! 12\n",
    "a: !foo x\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1, y: 2]\n",
    // Line breaks.
    "a: 1\r\nb: 2\r\n",
    "a: 1\rb: 2\r",
    "a: x\u{2028}b: y\n",
    "a: plain\n  continued\n\n  para\n",
    // Flow details.
    "[a?]\n",
    "[?a]\n",
    "[:a]\n",
    "{a:b}\n",
    "[a, b, ]\n",
    "{a: 1, b: [2, {c: 3}]}\n",
    // Tabs.
    "a: b\t\n",
    "a:\tb\n",
    "a: b # c\td\n",
    "\ta: b\n",
];

/// Characters that matter to YAML, for random edits.
const EDIT_CHARS: &[char] = &[
    ' ', ' ', ' ', '\n', '\n', '\t', ':', '-', '#', '"', '\'', '[', ']', '{', '}', ',', '&', '*',
    '!', '?', '|', '>', '%', '@', '`', '\\', '~', '.', '0', '1', 'a', 'y', '\u{2028}', '\u{85}',
    '\r',
];

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    /// Indent (or dedent) the line containing the position.
    Indent(usize, bool),
    DuplicateLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let c = prop::sample::select(EDIT_CHARS);
    prop_oneof![
        (any::<usize>(), c.clone()).prop_map(|(p, c)| Edit::Insert(p, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), c).prop_map(|(p, c)| Edit::Replace(p, c)),
        (any::<usize>(), any::<bool>()).prop_map(|(p, d)| Edit::Indent(p, d)),
        any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let len = chars.len();
        match *edit {
            Edit::Insert(p, c) => chars.insert(p % (len + 1), c),
            Edit::Delete(p) if len > 0 => {
                chars.remove(p % len);
            }
            Edit::Replace(p, c) if len > 0 => chars[p % len] = c,
            Edit::Indent(p, dedent) if len > 0 => {
                let p = p % len;
                let line_start = chars[..p]
                    .iter()
                    .rposition(|c| *c == '\n')
                    .map_or(0, |i| i + 1);
                if dedent {
                    if chars.get(line_start) == Some(&' ') {
                        chars.remove(line_start);
                    }
                } else {
                    chars.insert(line_start, ' ');
                }
            }
            Edit::DuplicateLine(p) if len > 0 => {
                let p = p % len;
                let line_start = chars[..p]
                    .iter()
                    .rposition(|c| *c == '\n')
                    .map_or(0, |i| i + 1);
                let line_end = chars[p..]
                    .iter()
                    .position(|c| *c == '\n')
                    .map_or(len, |i| p + i + 1);
                let line: Vec<char> = chars[line_start..line_end].to_vec();
                chars.splice(line_start..line_start, line);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A YAML text to load.
fn document() -> impl Strategy<Value = String> {
    let dumped = || {
        (mapping(), any::<bool>()).prop_map(|(map, safe)| {
            dump_mapping(&map, if safe { Dumper::Safe } else { Dumper::Compact })
        })
    };
    prop_oneof![
        3 => dumped(),
        4 => (dumped(), prop::collection::vec(edit(), 1..4)).prop_map(|(text, edits)| apply(&text, &edits)),
        2 => (key(), text()).prop_map(|(k, v)| format!("{k}: {v}\n")),
        1 => prop::collection::vec(text(), 1..4).prop_map(|items| {
            items.iter().map(|item| format!("- {item}\n")).collect::<String>()
        }),
        1 => prop::collection::vec(text(), 1..4).prop_map(|items| format!("[{}]\n", items.join(", "))),
    ]
}

/// The canonical form `pyyaml_load.py` gives a value (see there).
fn canon(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(digits) => {
            out.push('i');
            out.push_str(digits);
        }
        Json::Float(f) if f.is_nan() => out.push_str("fnan"),
        Json::Float(f) => out.push_str(&format!("f{}", f.to_bits())),
        Json::Str(s) => canon_text(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canon(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match non_string_key_json(k) {
                    Some(json) => {
                        out.push('n');
                        canon_text(json, out);
                    }
                    None => canon_text(k, out),
                }
                out.push(':');
                canon(v, out);
            }
            out.push('}');
        }
    }
}

fn canon_text(s: &str, out: &mut String) {
    out.push_str("s\"");
    for c in s.chars() {
        if (' '..='~').contains(&c) && c != '"' && c != '\\' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out.push('"');
}

fn question(text: &str) -> String {
    let mut line = String::new();
    json_string(text, &mut line);
    line
}

/// Compare our reading of `text` with the reference answer; describe the difference if any.
fn mismatch(text: &str, answer: &str) -> Option<String> {
    compare(load(text), answer)
}

fn compare(ours: Result<Json, nbmyst::myst::yaml_read::YamlError>, answer: &str) -> Option<String> {
    let expected: serde_json::Value = match serde_json::from_str(answer) {
        Ok(v) => v,
        Err(e) => return Some(format!("unreadable reference answer {answer:?}: {e}")),
    };
    match (expected.get("ok").and_then(|v| v.as_str()), ours) {
        (Some(want), Ok(value)) => {
            let mut got = String::new();
            canon(&value, &mut got);
            (got != want).then(|| format!("  pyyaml: {want}\n  ours:   {got}\n"))
        }
        (None, Err(_)) => None,
        (Some(want), Err(e)) => Some(format!("  pyyaml: {want}\n  ours:   error {e}\n")),
        (None, Ok(value)) => {
            let mut got = String::new();
            canon(&value, &mut got);
            Some(format!(
                "  pyyaml: {}\n  ours:   {got}\n",
                expected["error"]
            ))
        }
    }
}

#[test]
fn reader_matches_pyyaml_safe_load() {
    let mut reference = Reference::start("pyyaml_load.py");
    let mut runner = runner();
    let strategy = document();
    let n = case_count();
    let mut trees = Vec::with_capacity(n);
    let mut texts: Vec<String> = DOCUMENTS.iter().map(|d| d.to_string()).collect();
    for _ in 0..n {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        texts.push(tree.current());
        trees.push(tree);
    }
    let answers = reference.batch(texts.iter().map(|t| question(t)).collect());
    let failing: Vec<usize> = (0..texts.len())
        .filter(|&i| mismatch(&texts[i], &answers[i]).is_some())
        .collect();
    let shown = failing.iter().take(
        std::env::var("NBMYST_YAML_SHOW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(8),
    );
    for &i in shown {
        let (text, answer) = if i < DOCUMENTS.len() {
            (texts[i].clone(), answers[i].clone())
        } else {
            // Shrink: simplify while the case still fails, step back when it passes.
            let tree = &mut trees[i - DOCUMENTS.len()];
            let mut last = (tree.current(), answers[i].clone());
            let mut failed = true;
            for _ in 0..3000 {
                let moved = if failed {
                    tree.simplify()
                } else {
                    tree.complicate()
                };
                if !moved {
                    break;
                }
                let candidate = tree.current();
                let answer = reference.query(&question(&candidate));
                failed = mismatch(&candidate, &answer).is_some();
                if failed {
                    last = (candidate, answer);
                }
            }
            last
        };
        eprintln!(
            "mismatch (case {i}) for {text:?}\n{}",
            mismatch(&text, &answer).unwrap_or_default()
        );
    }
    let total = texts.len();
    eprintln!(
        "yaml reader differential (PyYAML {}): {total} texts, {} mismatches",
        reference.version,
        failing.len()
    );
    assert!(
        failing.is_empty(),
        "{} of {total} texts read differently from PyYAML",
        failing.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The first document of a stream (a front matter raw cell, as jupytext reads it)

/// Lines that may follow the first document: they end it or not, and PyYAML's scanner reads
/// some of them ahead.
const TAIL_LINES: &[&str] = &[
    "x",
    "s",
    "b: 2",
    "- x",
    "? x",
    ": x",
    "]",
    ",",
    "}",
    "\"x",
    "'x",
    "\"x\"",
    "\"x\" y",
    "\"x\": y",
    "[x, y]",
    "[x,",
    "{a: 1}",
    "&a x",
    "*a",
    "!x y",
    "!x, y",
    "|",
    "|x",
    ">-",
    "\tx",
    "x\ty",
    "tab:\tvalue",
    "x #c",
    "@x",
    "`x",
    "%foo",
    "%YAML 1.1",
    "%YAML 2",
    "%TAG ! x",
    "# c",
    "",
    "  y",
    "...",
    "---",
    "--- x",
    "x: |x",
    "x: [",
    "1: x",
    "yes: no",
];

/// A front matter as jupytext finds one: `---`, a document (indented or not), maybe lines that
/// end it, a last line that is `---` or `...` at column 0.
fn stream() -> impl Strategy<Value = String> {
    let tail = prop::collection::vec(prop::sample::select(TAIL_LINES), 0..3);
    let end = prop::sample::select(&["---", "---", "...", "--- ", "---\t"][..]);
    (
        document(),
        0..3usize,
        tail,
        end,
        prop::collection::vec(edit(), 0..2),
    )
        .prop_map(|(doc, indent, tail, end, edits)| {
            let pad = " ".repeat(indent);
            let mut body = String::new();
            for line in doc.lines() {
                body.push_str(&pad);
                body.push_str(line);
                body.push('\n');
            }
            for line in tail {
                body.push_str(line);
                body.push('\n');
            }
            let mut body = apply(&body, &edits);
            if !body.ends_with('\n') {
                body.push('\n');
            }
            format!("---\n{body}{end}")
        })
}

fn first_document_question(text: &str) -> String {
    format!("{{\"first\": {}}}", question(text))
}

/// Only whether the first document is a mapping, and which, matters to jupytext: a scalar, a
/// list and a refusal all leave the front matter in its raw cell.
fn first_document_mismatch(text: &str, answer: &str) -> Option<String> {
    let options = LoadOptions {
        first_document: true,
        mark_non_string_keys: true,
    };
    let ours = load_with(text, options);
    let reference_is_mapping = answer.starts_with("{\"ok\": \"{");
    if !reference_is_mapping && !matches!(ours, Ok(Json::Object(_))) {
        return None;
    }
    compare(ours, answer)
}

/// `load_with` reading the first document against PyYAML's `next(yaml.safe_load_all(text))`,
/// keys that are not strings told apart.
#[test]
fn first_document_matches_pyyaml_safe_load_all() {
    let mut reference = Reference::start("pyyaml_load.py");
    let mut runner = runner();
    let strategy = stream();
    let n = case_count();
    let mut trees = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    for _ in 0..n {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        texts.push(tree.current());
        trees.push(tree);
    }
    let answers = reference.batch(texts.iter().map(|t| first_document_question(t)).collect());
    let failing: Vec<usize> = (0..texts.len())
        .filter(|&i| first_document_mismatch(&texts[i], &answers[i]).is_some())
        .collect();
    let show = std::env::var("NBMYST_YAML_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    for &i in failing.iter().take(show) {
        let tree = &mut trees[i];
        let mut last = (tree.current(), answers[i].clone());
        let mut failed = true;
        for _ in 0..3000 {
            let moved = if failed {
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !moved {
                break;
            }
            let candidate = tree.current();
            let answer = reference.query(&first_document_question(&candidate));
            failed = first_document_mismatch(&candidate, &answer).is_some();
            if failed {
                last = (candidate, answer);
            }
        }
        let (text, answer) = last;
        eprintln!(
            "mismatch (case {i}) for {text:?}\n{}",
            first_document_mismatch(&text, &answer).unwrap_or_default()
        );
    }
    let total = texts.len();
    eprintln!(
        "yaml first-document differential (PyYAML {}): {total} streams, {} mismatches",
        reference.version,
        failing.len()
    );
    assert!(
        failing.is_empty(),
        "{} of {total} streams read differently from PyYAML",
        failing.len()
    );
}
