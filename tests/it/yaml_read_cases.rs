//! The YAML reader against the spec's reading rules (`spec/myst-format.md` §11,
//! `spec/hard-cases.md` 18, 19, 31, 42), and on random text (it must never panic).

use nbmyst::myst::yaml_read::load;
use nbmyst::notebook::Json;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn value_of(text: &str) -> Json {
    match load(text) {
        Ok(Json::Object(map)) => map
            .get("a")
            .cloned()
            .unwrap_or_else(|| panic!("no key a in {text:?}")),
        other => panic!("{text:?} read as {other:?}"),
    }
}

fn s(text: &str) -> Json {
    Json::Str(text.to_owned())
}

fn int(digits: &str) -> Json {
    Json::Int(digits.to_owned())
}

#[test]
fn spec_11_plain_scalars_use_yaml_1_1() {
    let cases = [
        ("yes", Json::Bool(true)),
        ("No", Json::Bool(false)),
        ("on", Json::Bool(true)),
        ("OFF", Json::Bool(false)),
        ("y", s("y")),
        ("n", s("n")),
        ("017", int("15")),
        ("0o17", s("0o17")),
        ("0x1F", int("31")),
        ("0b11", int("3")),
        ("1_000", int("1000")),
        ("1:30", int("90")),
        ("1e3", s("1e3")),
        ("1.0e3", s("1.0e3")),
        ("1.5e+3", Json::Float(1500.0)),
        (".5", Json::Float(0.5)),
        ("+1", int("1")),
        ("~", Json::Null),
        ("null", Json::Null),
        ("Null", Json::Null),
        ("", Json::Null),
        ("'yes'", s("yes")),
        ("\"1\"", s("1")),
    ];
    for (text, expected) in cases {
        assert_eq!(value_of(&format!("a: {text}\n")), expected, "a: {text}");
    }
}

#[test]
fn spec_11_values_without_json_form_are_errors() {
    // A date (jupytext then fails writing the .ipynb), `<<` and `=` as values, binary data.
    for text in [
        "a: 2020-01-01\n",
        "a: <<\n",
        "a: =\n",
        "a: !!binary aGk=\n",
        "date: 2024-01-01\n",
    ] {
        assert!(load(text).is_err(), "{text:?} should not load");
    }
}

#[test]
fn hard_case_31_options() {
    let doc = load("a: yes\nb: 010\nc: 1:30\nd: 0o10\ne: 1e3\n").expect("valid options");
    let expected: nbmyst::notebook::Map = [
        ("a", Json::Bool(true)),
        ("b", int("8")),
        ("c", int("90")),
        ("d", s("0o10")),
        ("e", s("1e3")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(doc, Json::Object(expected));
}

#[test]
fn hard_cases_18_19_form_feeds_and_tabs() {
    let form_feed = load("a = 1\u{c}b = 2\n").expect_err("a form feed is refused");
    assert!(form_feed.message.contains("#x000c"), "{form_feed}");
    let tab = load("tags:\t[a]\n").expect_err("a tab cannot start a token");
    assert_eq!((tab.line, tab.column), (1, 6), "{tab}");
    assert_eq!(value_of("a: 'x\ty'\n"), s("x\ty"));
    assert_eq!(value_of("a: |\n  x\ty\n"), s("x\ty\n"));
}

#[test]
fn header_as_jupytext_writes_it() {
    let text = "jupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n";
    let Ok(Json::Object(doc)) = load(text) else {
        panic!("header did not load")
    };
    let Some(Json::Object(jupytext)) = doc.get("jupytext") else {
        panic!("no jupytext")
    };
    let Some(Json::Object(repr)) = jupytext.get("text_representation") else {
        panic!("no text_representation")
    };
    assert_eq!(repr.get("format_version"), Some(&Json::Float(0.13)));
    assert_eq!(repr.get("jupytext_version"), Some(&s("1.19.6")));
    assert_eq!(doc.keys().collect::<Vec<_>>(), ["jupytext", "kernelspec"]);
}

#[test]
fn reader_never_panics_on_random_text() {
    let alphabet = prop::sample::select(vec![
        ' ',
        ' ',
        '\n',
        '\n',
        '\t',
        '\r',
        ':',
        '-',
        '?',
        '#',
        '"',
        '\'',
        '[',
        ']',
        '{',
        '}',
        ',',
        '&',
        '*',
        '!',
        '|',
        '>',
        '%',
        '@',
        '`',
        '\\',
        '~',
        '.',
        '0',
        '1',
        '9',
        'a',
        'x',
        'y',
        'e',
        '<',
        '=',
        '+',
        '_',
        '\u{85}',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\u{e9}',
        '\u{1f600}',
    ]);
    let strategy = prop::collection::vec(alphabet, 0..60)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    let mut runner = crate::yaml_support::runner();
    for _ in 0..20_000 {
        let text = strategy.new_tree(&mut runner).expect("generate").current();
        let _ = load(&text);
    }
}
