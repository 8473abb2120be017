//! Shared pieces of the YAML differential tests: the Python reference process, JSON transport
//! of `Json` trees, and the generators of random metadata.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use nbmyst::notebook::{Json, Map};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The key that marks a float in the JSON sent to Python (its IEEE-754 bits as an integer).
pub const FLOAT_KEY: &str = "__nbmyst_float__";

/// How many random cases each differential test runs (`NBMYST_YAML_CASES`, default 2000).
pub fn case_count() -> usize {
    std::env::var("NBMYST_YAML_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// A runner seeded from `NBMYST_YAML_SEED` (default 0), so that runs are reproducible.
pub fn runner() -> TestRunner {
    let seed: u64 = std::env::var("NBMYST_YAML_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// The Python interpreter: `NBMYST_PYTHON`, else `/work/venv/bin/python` when present, else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NBMYST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new("/work/venv/bin/python");
    if venv.exists() {
        venv.to_path_buf()
    } else {
        PathBuf::from("python3")
    }
}

/// One long-lived Python process running a script of `tests/yaml/` that answers each input line
/// with one output line.
pub struct Reference {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    pub version: String,
}

impl Reference {
    /// Start `tests/yaml/<script>`; panics with the reason when Python or PyYAML is missing.
    pub fn start(script: &str) -> Reference {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/yaml")
            .join(script);
        let python = python();
        let mut child = Command::new(&python)
            .arg(&path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} (set NBMYST_PYTHON to a Python with PyYAML 6.0): {e}",
                    python.display()
                )
            });
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("read from the reference process");
        let first = first.trim_end().to_owned();
        let Some(version) = first.strip_prefix("ready ") else {
            panic!(
                "the PyYAML reference ({} {}) did not start: {first:?}; set NBMYST_PYTHON to a Python with PyYAML 6.0",
                python.display(),
                path.display()
            );
        };
        assert!(
            version.starts_with("6.0"),
            "PyYAML {version} found, the reference is PyYAML 6.0.x"
        );
        let version = version.to_owned();
        Reference {
            child,
            stdin,
            stdout,
            version,
        }
    }

    /// Send every line, then read every answer (a writer thread keeps the pipes from blocking).
    pub fn batch(&mut self, lines: Vec<String>) -> Vec<String> {
        let count = lines.len();
        let mut stdin = self.stdin.take().expect("stdin still open");
        let writer = std::thread::spawn(move || {
            for line in lines {
                stdin
                    .write_all(line.as_bytes())
                    .expect("write to the reference process");
                stdin
                    .write_all(b"\n")
                    .expect("write to the reference process");
            }
            stdin.flush().expect("flush to the reference process");
            stdin
        });
        let answers: Vec<String> = (0..count).map(|_| self.read_answer()).collect();
        self.stdin = Some(writer.join().expect("writer thread"));
        answers
    }

    /// Ask one question and wait for its answer.
    pub fn query(&mut self, line: &str) -> String {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin
            .write_all(line.as_bytes())
            .expect("write to the reference process");
        stdin
            .write_all(b"\n")
            .expect("write to the reference process");
        stdin.flush().expect("flush to the reference process");
        self.read_answer()
    }

    fn read_answer(&mut self) -> String {
        let mut answer = String::new();
        let n = self
            .stdout
            .read_line(&mut answer)
            .expect("read from the reference process");
        assert!(n > 0, "the reference process stopped early");
        answer.trim_end_matches('\n').to_owned()
    }
}

impl Drop for Reference {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Write `text` as a JSON string with only ASCII characters (`\uXXXX`, surrogate pairs).
pub fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// JSON text of a tree, floats as `{"__nbmyst_float__": "<bits>"}`.
pub fn json_text(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(digits) => out.push_str(digits),
        Json::Float(f) => out.push_str(&format!("{{\"{FLOAT_KEY}\": \"{}\"}}", f.to_bits())),
        Json::Str(s) => json_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_text(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => map_text(map, out),
    }
}

pub fn map_text(map: &Map, out: &mut String) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        json_string(key, out);
        out.push_str(": ");
        json_text(value, out);
    }
    out.push('}');
}

pub fn map_line(map: &Map) -> String {
    let mut out = String::new();
    map_text(map, &mut out);
    out
}

/// Fragments that exercise the emitter's and the resolver's special cases.
const PIECES: &[&str] = &[
    ": ",
    " #",
    "#",
    ":",
    "-",
    "- ",
    "?",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    "---",
    "...",
    "--",
    "yes",
    "No",
    "on",
    "OFF",
    "null",
    "~",
    "true",
    "False",
    "y",
    "n",
    "0x1F",
    "017",
    "0o17",
    "0b11",
    "1_000",
    "1:30",
    "1.5",
    ".5",
    "1e3",
    "1.0e+3",
    "-.inf",
    ".nan",
    "2020-01-01",
    "2020-01-01 10:00:00",
    "<<",
    "=",
    " ",
    "  ",
    "   ",
    "\n",
    "\n\n",
    "\n \n",
    " \n",
    "\n ",
    "\t",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{7}",
    "\u{0}",
    "\u{1b}",
    "\u{7f}",
    "\u{9f}",
    "\u{a0}",
    "\u{e9}",
    "\u{65e5}\u{672c}",
    "\u{1f600}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{fffd}",
    "\u{e000}",
    "\u{10ffff}",
    "\u{d7ff}",
    "\u{2615}",
    "a",
    "b",
    "word",
    "x y",
    "1",
    "0",
    "-1",
    "+1",
    "12",
    "3.0",
];

/// Whole strings that must be quoted (or must not).
const WHOLE: &[&str] = &[
    "",
    "yes",
    "Yes",
    "YES",
    "no",
    "NO",
    "on",
    "On",
    "off",
    "true",
    "TRUE",
    "false",
    "null",
    "Null",
    "NULL",
    "~",
    "1",
    "-1",
    "+1",
    "1.5",
    ".5",
    "1.",
    "1e3",
    "1.0e3",
    "1.0e+3",
    "0x1F",
    "0o17",
    "017",
    "08",
    "0b11",
    "0b2",
    "1_000",
    "1:30",
    "1:30.5",
    "1:60",
    "190:20:30",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "2020-01-01",
    "2020-1-1",
    "2020-01-01 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 Z",
    "2002-12-14",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "-",
    "?",
    ":",
    "- a",
    "? a",
    ": a",
    "a: b",
    "a:",
    "a #b",
    "a#b",
    "#a",
    "-a",
    "?a",
    ":a",
    "--a",
    "---",
    "...",
    "---a",
    "...a",
    "a'b",
    "'a",
    "\"a",
    "[a",
    "a]",
    "{a}",
    "a,b",
    "y",
    "n",
    "0",
    "00",
    "-0",
    "+0",
    "0.0",
    "-0.0",
    "1e+3",
    "12e03",
    "6.8523015e+5",
    "685.230_15e+03",
    "685_230.15",
    "0.",
    "-.5",
    "_1",
    "1_",
    "0x_",
    "0b_",
    "0_",
    "1__0",
    "0o",
    "0x",
    "0xg",
];

const WORDS: &[&str] = &[
    "the",
    "notebook",
    "caption",
    "long",
    "word",
    "a",
    "is",
    "metadata",
    "jupytext",
    "x",
    "of",
    "data",
    "très",
    "日本語",
    "😀",
    "it's",
    "a:b",
    "#tag",
    "1.5",
    "yes",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(String::from),
        2 => "[a-zA-Z0-9]{1,8}",
        1 => "[ -~]{1,10}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Words separated mostly by single spaces, long enough to fold.
fn long_text() -> impl Strategy<Value = String> {
    let separator =
        prop_oneof![8 => Just(" ".to_owned()), 1 => Just("  ".to_owned()), 1 => piece()];
    prop::collection::vec((prop::sample::select(WORDS), separator), 10..45).prop_map(|words| {
        let mut s = String::new();
        for (word, separator) in words {
            s.push_str(word);
            s.push_str(&separator);
        }
        s.trim_end_matches(' ').to_owned()
    })
}

/// Strings that look like numbers.
fn number_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<u16>().prop_map(|i| format!("0{i:o}")),
        any::<u16>().prop_map(|i| format!("0x{i:X}")),
        (any::<u8>(), 0u8..70).prop_map(|(a, b)| format!("{a}:{b}")),
        (0u16..3000, 0u8..14, 0u8..40).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (1u32..100_000, 0u32..1000).prop_map(|(a, b)| format!("{a}.{b}e+{}", b % 20)),
    ]
}

/// A string mixing all of the above.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(piece(), 0..7).prop_map(|v| v.concat()),
        2 => prop::sample::select(WHOLE).prop_map(String::from),
        1 => number_like(),
        2 => long_text(),
    ]
}

/// A mapping key: mostly identifiers, sometimes any text, sometimes near the simple-key limit.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z][a-zA-Z0-9_.-]{0,12}",
        3 => text(),
        1 => (118usize..132).prop_map(|n| "k".repeat(n)),
        1 => (110usize..130).prop_map(|n| format!("{} {}", "k".repeat(n / 2), "k".repeat(n / 2))),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<f64>(),
        2 => prop::sample::select(&[
            0.0, -0.0, 1.0, 0.1, 0.5, 1.5, 3.0, 1e15, 1e16, 1e17, 1e20, 1e-4, 1e-5, 1e-7, 1e300, 5e-324,
            f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 123456789.125, 0.30000000000000004,
        ][..]),
        2 => any::<i32>().prop_map(f64::from),
        1 => (any::<i32>(), -30i32..30).prop_map(|(m, e)| f64::from(m) * 10f64.powi(e)),
    ]
}

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        1 => Just(Json::Null),
        1 => any::<bool>().prop_map(Json::Bool),
        2 => any::<i64>().prop_map(|i| Json::Int(i.to_string())),
        1 => ("-?[1-9][0-9]{18,40}").prop_map(Json::Int),
        2 => float().prop_map(Json::Float),
        8 => text().prop_map(Json::Str),
    ]
}

/// A random metadata value: scalars, lists and mappings nested up to four levels.
pub fn value() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|pairs| Json::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A random top-level metadata mapping.
pub fn mapping() -> impl Strategy<Value = Map> {
    prop::collection::vec((key(), value()), 0..7).prop_map(|pairs| pairs.into_iter().collect())
}
