//! Property: writing a notebook, reading it back and writing again gives the same bytes, on
//! generated notebooks full of the characters and values nbformat treats specially.

use nbmyst::notebook::{read, write, Cell, CellType, Json, Map, Notebook, ReadOptions};
use proptest::prelude::*;

/// Pieces of text that exercise escapes, line breaks and non-ASCII.
const PIECES: &[&str] = &[
    "a", "xyz", " ", "\n", "\r", "\r\n", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{1f}",
    "\u{85}", "\u{2028}", "\u{2029}", "\"", "\\", "\u{0}", "\u{7}", "\u{1b}", "\u{7f}", "é", "😀",
    "\u{feff}", "\u{a0}", "#", "/", "\t", "<<<<<<< ", "```",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..10).prop_map(|pieces| pieces.concat())
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "a",
                "b",
                "name",
                "tags",
                "trusted",
                "signature",
                "é",
                "Z",
                ""
            ][..]
        )
        .prop_map(str::to_owned),
        text(),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        prop::sample::select(
            &[
                0.0,
                -0.0,
                1.0,
                0.1,
                1e16,
                1e15,
                1e-5,
                1e-4,
                1.5e-7,
                1e300,
                f64::NAN
            ][..]
        ),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
    ]
}

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|i| Json::Int(i.to_string())),
        Just(Json::Int("123456789012345678901234567890".to_owned())),
        float().prop_map(Json::Float),
        text().prop_map(Json::Str),
    ]
}

fn json() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Json::Object(members.into_iter().collect())),
        ]
    })
}

fn map() -> impl Strategy<Value = Map> {
    prop::collection::vec((key(), json()), 0..4).prop_map(|members| members.into_iter().collect())
}

const MIMES: &[&str] = &[
    "text/plain",
    "text/html",
    "image/png",
    "image/svg+xml",
    "application/javascript",
    "application/json",
    "application/vnd.custom+json",
    "application/pdf",
];

/// A MIME bundle as nbformat holds it after reading: JSON types hold any value, the others a
/// string.
fn bundle() -> impl Strategy<Value = Json> {
    prop::collection::vec((prop::sample::select(MIMES), json(), text()), 0..4).prop_map(|items| {
        let mut map = Map::new();
        for (mime, value, text) in items {
            let is_json = mime == "application/json" || mime.ends_with("+json");
            map.insert(
                mime.to_owned(),
                if is_json { value } else { Json::Str(text) },
            );
        }
        Json::Object(map)
    })
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn output() -> impl Strategy<Value = Json> {
    prop_oneof![
        text().prop_map(|t| object(vec![
            ("output_type", Json::Str("stream".into())),
            ("name", Json::Str("stdout".into())),
            ("text", Json::Str(t)),
        ])),
        (bundle(), map(), any::<bool>()).prop_map(|(data, metadata, result)| {
            let mut members = vec![("data", data), ("metadata", Json::Object(metadata))];
            if result {
                members.push(("output_type", Json::Str("execute_result".into())));
                members.push(("execution_count", Json::Int("3".into())));
            } else {
                members.push(("output_type", Json::Str("display_data".into())));
            }
            object(members)
        }),
        prop::collection::vec(text(), 0..3).prop_map(|lines| object(vec![
            ("output_type", Json::Str("error".into())),
            ("ename", Json::Str("E".into())),
            ("evalue", Json::Str("v\nw".into())),
            (
                "traceback",
                Json::Array(lines.into_iter().map(Json::Str).collect())
            ),
        ])),
        (json(), json()).prop_map(|(a, b)| object(vec![
            ("output_type", Json::Str("other".into())),
            ("x_a", a),
            ("x_b", b),
        ])),
    ]
}

fn cell() -> impl Strategy<Value = Cell> {
    (
        prop::sample::select(&[CellType::Markdown, CellType::Code, CellType::Raw][..]),
        prop::option::of("[a-z0-9-]{1,10}"),
        map(),
        text(),
        prop::option::of(prop::collection::vec(output(), 0..3)),
        prop::option::of(prop_oneof![
            Just(Json::Null),
            (0u32..100).prop_map(|n| Json::Int(n.to_string()))
        ]),
        prop::option::of(prop::collection::vec(("[a-z.]{1,6}", bundle()), 0..3)),
        prop::collection::vec(("x_[a-z]{1,4}", json()), 0..2),
    )
        .prop_map(
            |(cell_type, id, metadata, source, outputs, count, attachments, extra)| {
                let code = cell_type == CellType::Code;
                Cell {
                    cell_type,
                    id,
                    metadata,
                    source,
                    outputs: if code { outputs } else { None },
                    execution_count: if code { count } else { None },
                    attachments: attachments.map(|items| Json::Object(items.into_iter().collect())),
                    extra: extra.into_iter().collect(),
                }
            },
        )
}

fn notebook() -> impl Strategy<Value = Notebook> {
    (
        0u64..10,
        map(),
        prop::collection::vec(cell(), 0..5),
        prop::collection::vec(("x_[a-z]{1,4}", json()), 0..2),
    )
        .prop_map(|(minor, metadata, cells, extra)| Notebook {
            nbformat: 4,
            nbformat_minor: minor,
            metadata,
            cells,
            extra: extra.into_iter().collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn write_read_write_is_stable(nb in notebook()) {
        let written = write(&nb);
        let back = read(written.as_bytes(), &ReadOptions::FULL)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        let again = write(&back.notebook);
        prop_assert_eq!(&again, &written);
        // without outputs: the same cells, outputs of code cells left out
        let inputs = read(written.as_bytes(), &ReadOptions::WITHOUT_OUTPUTS)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&inputs.outputs_present, &back.outputs_present);
        for (a, b) in inputs.notebook.cells.iter().zip(&back.notebook.cells) {
            prop_assert_eq!(&a.outputs, &None);
            prop_assert_eq!((&a.source, &a.metadata, &a.id), (&b.source, &b.metadata, &b.id));
        }
    }

    /// Any JSON value survives printing and parsing (compact and pretty forms).
    #[test]
    fn json_print_parse_round_trip(value in json()) {
        let pretty = nbmyst::notebook::json::to_pretty_string(&value);
        let compact = nbmyst::notebook::json::to_python_json_compact(&value, true, false);
        for text in [&pretty, &compact] {
            let back = nbmyst::notebook::json::parse(text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(nbmyst::notebook::json::to_pretty_string(&back), pretty.clone());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Reading never panics: arbitrary bytes, and written notebooks cut short or with a byte
    /// changed. A notebook cut short is always reported as truncated.
    #[test]
    fn reading_damaged_input_never_panics(
        nb in notebook(),
        noise in prop::collection::vec(any::<u8>(), 0..64),
        cut in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let _ = read(&noise, &ReadOptions::FULL);
        let written = write(&nb);
        let at = cut.index(written.len());
        let truncated = written.as_bytes()[..at].to_vec();
        let trimmed = truncated.iter().rposition(|b| !b" \t\r\n".contains(b)).map_or(0, |i| i + 1);
        if trimmed > 0 && trimmed < written.trim_end().len() {
            if let Ok(text) = std::str::from_utf8(&truncated) {
                let error = read(text.as_bytes(), &ReadOptions::FULL).unwrap_err();
                let tail: String = text.chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
                prop_assert!(
                    matches!(error, nbmyst::notebook::ReadError::Truncated { .. }),
                    "{error}: ...{tail:?}"
                );
            }
        }
        let mut changed = written.into_bytes();
        changed[at] = byte;
        for opts in [ReadOptions::FULL, ReadOptions::WITHOUT_OUTPUTS] {
            let _ = read(&changed, &opts);
        }
    }
}
