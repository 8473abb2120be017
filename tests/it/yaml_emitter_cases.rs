//! The emitter against the verified examples of the spec: the single-value tables of
//! `spec/myst-format.md` §9.4 (read from the spec itself) and hard cases 21-27.

use std::path::PathBuf;

use nbmyst::myst::yaml::{dump_mapping, Dumper};
use nbmyst::notebook::{Json, Map};

fn shared() -> PathBuf {
    std::env::var_os("NBMYST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")))
}

/// A `serde_json` value as our model holds it; `float` makes numbers floats.
pub fn to_json(value: &serde_json::Value, float: bool) -> Json {
    match value {
        serde_json::Value::Null => Json::Null,
        serde_json::Value::Bool(b) => Json::Bool(*b),
        serde_json::Value::Number(n) if float || n.is_f64() => {
            Json::Float(n.as_f64().expect("a float"))
        }
        serde_json::Value::Number(n) => Json::Int(n.to_string()),
        serde_json::Value::String(s) => Json::Str(s.clone()),
        serde_json::Value::Array(items) => {
            Json::Array(items.iter().map(|v| to_json(v, float)).collect())
        }
        serde_json::Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_json(v, float)))
                .collect(),
        ),
    }
}

/// The text between the outer backticks of a table cell, with `\|` unescaped.
fn code(cell: &str) -> String {
    let cell = cell.trim();
    let ticks = cell.chars().take_while(|c| *c == '`').count();
    let inner = &cell[ticks..cell.len() - ticks];
    let inner = if ticks > 1 { inner.trim() } else { inner };
    inner.replace("\\|", "|")
}

fn dump_one(value: Json) -> String {
    let map: Map = [("a".to_owned(), value)].into_iter().collect();
    dump_mapping(&map, Dumper::Compact)
}

#[test]
fn spec_single_value_tables() {
    let spec = std::fs::read_to_string(shared().join("spec/myst-format.md"))
        .expect("read spec/myst-format.md");
    let start = spec
        .find("Full table of verified single values")
        .expect("the §9.4 tables");
    let end = spec[start..].find("### 9.5").expect("§9.5") + start;
    let mut checked = 0;
    for line in spec[start..end].lines() {
        if !line.starts_with("| `") {
            continue;
        }
        let float = line.contains(" (float)");
        let line = line.replace(" (float)", "");
        // Split on the ` | ` between the two cells (an escaped `\|` is not a separator).
        let body = line.trim().trim_start_matches('|').trim_end_matches('|');
        let split = body.find("` | `").expect("two cells") + 1;
        let (left, right) = (&body[..split], &body[split + 3..]);
        let input = code(left);
        let value: serde_json::Value = match input.as_str() {
            "inf" => serde_json::Value::Null,
            "-inf" | "nan" => serde_json::Value::Null,
            _ => serde_json::from_str(&input).unwrap_or_else(|e| panic!("cell {input:?}: {e}")),
        };
        let value = match input.as_str() {
            "inf" => Json::Float(f64::INFINITY),
            "-inf" => Json::Float(f64::NEG_INFINITY),
            "nan" => Json::Float(f64::NAN),
            // Integers of any size (serde_json would make a big one a float).
            digits
                if !float
                    && digits
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit()) =>
            {
                Json::Int(digits.to_owned())
            }
            _ => to_json(&value, float),
        };
        let expected = match right.split_once("(JSON: ") {
            Some((_, json)) => {
                serde_json::from_str::<String>(&code(json.trim().trim_end_matches(')')))
                    .expect("JSON line")
            }
            None => code(right),
        };
        let expected = expected.strip_prefix(':').expect("an option line");
        assert_eq!(dump_one(value), format!("{expected}\n"), "value {input}");
        checked += 1;
    }
    assert!(checked > 90, "only {checked} rows found");
}

fn obj(pairs: &[(&str, Json)]) -> Map {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn s(text: &str) -> Json {
    Json::Str(text.to_owned())
}

#[test]
fn hard_case_21_quoting() {
    let map = obj(&[
        ("a", s("yes")),
        ("b", s("1.0")),
        ("c", s("null")),
        ("d", s("")),
        ("e", s("a: b")),
        ("f", s("#x")),
        ("g", s("2024-01-01")),
        ("h", s("0o17")),
        ("i", s("1e3")),
    ]);
    assert_eq!(
        dump_mapping(&map, Dumper::Compact),
        "a: 'yes'\nb: '1.0'\nc: 'null'\nd: ''\ne: 'a: b'\nf: '#x'\ng: '2024-01-01'\nh: 0o17\ni: 1e3\n"
    );
}

#[test]
fn hard_case_22_keys() {
    assert_eq!(
        dump_mapping(&obj(&[("yes", Json::Int("1".into()))]), Dumper::Compact),
        "'yes': 1\n"
    );
    assert_eq!(
        dump_mapping(&obj(&[("_a", Json::Int("1".into()))]), Dumper::Compact),
        "_a: 1\n"
    );
    assert_eq!(
        dump_mapping(&obj(&[("2d", Json::Int("1".into()))]), Dumper::Compact),
        "2d: 1\n"
    );
}

#[test]
fn hard_cases_23_to_26_folding_and_unicode() {
    let caption = "This caption is long enough that PyYAML has to fold it over two lines at the eightieth column";
    assert_eq!(
        dump_mapping(&obj(&[("caption", s(caption))]), Dumper::Compact),
        "caption: This caption is long enough that PyYAML has to fold it over two lines at\n  the eightieth column\n"
    );
    let tags = [
        "remove-input",
        "remove-output",
        "hide-cell",
        "full-width",
        "margin",
        "skip-execution",
        "raises-exception",
    ];
    let tags = Json::Array(tags.iter().map(|t| s(t)).collect());
    assert_eq!(
        dump_mapping(&obj(&[("tags", tags)]), Dumper::Compact),
        "tags: [remove-input, remove-output, hide-cell, full-width, margin, skip-execution,\n  raises-exception]\n"
    );
    assert_eq!(
        dump_mapping(&obj(&[("note", s("line 1\nline 2"))]), Dumper::Compact),
        "note: 'line 1\n\n  line 2'\n"
    );
    assert_eq!(
        dump_mapping(
            &obj(&[("note", s("trailing space \nnext"))]),
            Dumper::Compact
        ),
        "note: \"trailing space \\nnext\"\n"
    );
    let map = obj(&[
        ("emoji_tab", s("\u{1f600}\t")),
        ("tab", s("a\tb")),
        ("title", s("Caf\u{e9} \u{2615} \u{1f600}")),
    ]);
    assert_eq!(
        dump_mapping(&map, Dumper::Compact),
        "emoji_tab: \"\\U0001F600\\t\"\ntab: \"a\\tb\"\ntitle: Caf\u{e9} \u{2615} \u{1f600}\n"
    );
}

#[test]
fn hard_case_27_scalars() {
    let map = obj(&[
        ("b", Json::Bool(true)),
        ("big", Json::Float(1e20)),
        ("d", Json::Object(obj(&[("k", s("v"))]))),
        ("e", Json::Object(Map::new())),
        ("el", Json::Array(vec![])),
        ("f", Json::Float(1.5)),
        ("i", Json::Int("10".into())),
        (
            "l",
            Json::Array(vec![Json::Int("1".into()), s("two"), Json::Null]),
        ),
        ("n", Json::Null),
        ("small", Json::Float(1e-7)),
    ]);
    assert_eq!(
        dump_mapping(&map, Dumper::Compact),
        "b: true\nbig: 1.0e+20\nd:\n  k: v\ne: {}\nel: []\nf: 1.5\ni: 10\nl: [1, two, null]\nn: null\nsmall: 1.0e-07\n"
    );
}

#[test]
fn simple_key_limit_counts_the_str_tag() {
    // Checked with PyYAML 6.0.4: a 122-character key is simple, a 123-character key is not.
    let short = "k".repeat(122);
    let long = "k".repeat(123);
    assert_eq!(
        dump_mapping(&obj(&[(&short, Json::Null)]), Dumper::Safe),
        format!("{short}: null\n")
    );
    assert_eq!(
        dump_mapping(&obj(&[(&long, Json::Null)]), Dumper::Safe),
        format!("? {long}\n: null\n")
    );
}
