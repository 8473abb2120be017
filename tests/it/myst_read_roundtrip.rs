//! Property: for notebooks free of the known round-trip breakers (`spec/hard-cases.md`), reading
//! back what the writer wrote gives the same cells (type, source, metadata) and kernelspec.
//!
//! Breakers kept out of the generator: trailing newlines and blank first lines in sources,
//! trailing blanks of markdown, whitespace-only or empty markdown, markdown lines that open a
//! fence, a `+++` break or an HTML block, indented backtick lines in code, code starting with an
//! indented `:`, line separators other than `\n`, CR, and metadata keys the writer filters.

use proptest::prelude::*;

use nbmyst::myst::read::read;
use nbmyst::myst::write::{write, WriteOptions};
use nbmyst::notebook::{Cell, CellType, Json, Map, Notebook};

/// A word of text: ASCII letters and punctuation, a few non-ASCII letters.
fn word() -> impl Strategy<Value = String> {
    prop::string::string_regex("[a-zA-Z0-9éß日_*#.,:;!?()'\"/=-]{1,8}").expect("regex")
}

/// A line made of words and single spaces, maybe indented.
fn line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "", "", " ", "  ", "    ", "\t"]),
        prop::collection::vec(word(), 1..5),
    )
        .prop_map(|(indent, words)| format!("{indent}{}", words.join(" ")))
}

/// Whether a markdown line could start a block that changes the cell structure.
fn risky_markdown_line(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    rest.starts_with(['+', '`', '~', '<', '-', '|', '>', '*', '_', '['])
        || rest.starts_with(|c: char| c.is_ascii_digit())
}

fn markdown_source() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![4 => line(), 1 => Just(String::new())], 1..5)
        .prop_map(|lines| {
            let lines: Vec<String> = lines
                .into_iter()
                .filter(|l| !risky_markdown_line(l))
                .collect();
            lines.join("\n").trim_matches(['\n', ' ', '\t']).to_string()
        })
        .prop_filter("not empty", |s| !s.is_empty())
}

/// Code lines: anything but indented backtick runs; column-0 backticks make a longer fence.
fn code_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => line(),
        1 => Just("```python".to_string()),
        1 => Just("````".to_string()),
        1 => Just("~~~".to_string()),
        1 => Just("+++".to_string()),
        1 => Just("---".to_string()),
        1 => Just(":not: options".to_string()),
        1 => Just(String::new()),
    ]
}

fn code_source() -> impl Strategy<Value = String> {
    prop::collection::vec(code_line(), 0..5)
        .prop_map(|lines| lines.join("\n"))
        .prop_filter("no breaker", |s| {
            let first = s.split('\n').next().unwrap_or("");
            let first_blank = !s.is_empty() && first.trim().is_empty();
            let indented_colon =
                first.starts_with([' ', '\t']) && first.trim_start().starts_with(':');
            !s.ends_with('\n') && !first_blank && !indented_colon
        })
}

fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        any::<bool>().prop_map(Json::Bool),
        (-1000i64..1000).prop_map(|i| Json::Int(i.to_string())),
        prop::sample::select(vec![
            "yes",
            "No",
            "1.0",
            "",
            "a: b",
            "#x",
            "2024-01-01",
            "0o17",
            "1e3",
            "null",
            "~",
            "x y",
            "é",
            "- a",
            "[a]",
            "it's",
        ])
        .prop_map(|s| Json::Str(s.to_string())),
        word().prop_map(Json::Str),
    ]
}

fn cell_metadata() -> impl Strategy<Value = Map> {
    (
        prop::option::of(prop::collection::btree_set("[a-z][a-z0-9-]{0,6}", 1..4)),
        prop::option::of(scalar()),
        prop::option::of(scalar()),
        prop::option::of(prop::sample::select(vec!["slide", "subslide", "skip"])),
    )
        .prop_map(|(tags, a, b, slide)| {
            let mut map = Map::new();
            if let Some(tags) = tags {
                map.insert(
                    "tags".to_string(),
                    Json::Array(tags.into_iter().map(Json::Str).collect()),
                );
            }
            if let Some(a) = a {
                map.insert("a".to_string(), a);
            }
            if let Some(b) = b {
                map.insert("key.b".to_string(), b);
            }
            if let Some(slide) = slide {
                let inner: Map = [("slide_type".to_string(), Json::Str(slide.to_string()))]
                    .into_iter()
                    .collect();
                map.insert("slideshow".to_string(), Json::Object(inner));
            }
            map
        })
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        (markdown_source(), cell_metadata()).prop_map(|(s, m)| {
            let mut c = Cell::new(CellType::Markdown, s);
            c.metadata = m;
            c
        }),
        (code_source(), cell_metadata()).prop_map(|(s, m)| {
            let mut c = Cell::new(CellType::Code, s);
            c.metadata = m;
            c
        }),
        (code_source(), cell_metadata()).prop_map(|(s, m)| {
            let mut c = Cell::new(CellType::Raw, s);
            c.metadata = m;
            c
        }),
    ]
}

fn kernelspec() -> Map {
    [
        ("display_name", "Python 3"),
        ("language", "python"),
        ("name", "python3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Json::Str(v.to_string())))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn read_back_keeps_every_input(cells in prop::collection::vec(cell(), 0..6)) {
        let mut metadata = Map::new();
        metadata.insert("kernelspec".to_string(), Json::Object(kernelspec()));
        let nb = Notebook {
            nbformat: 4,
            nbformat_minor: 5,
            metadata,
            cells,
            extra: Map::new(),
        };
        let text = write(&nb, &WriteOptions::default()).expect("writable");
        let back = read(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let shape = |nb: &Notebook| -> Vec<(CellType, String, Map)> {
            nb.cells
                .iter()
                .map(|c| (c.cell_type, c.source.clone(), c.metadata.clone()))
                .collect()
        };
        prop_assert_eq!(shape(&back), shape(&nb), "text:\n{}", text);
        prop_assert_eq!(back.metadata.get("kernelspec"), nb.metadata.get("kernelspec"));
    }
}
