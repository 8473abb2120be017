//! Differential conformance: nbmyst's writers against the real jupytext 1.19.6 and nbformat.
//!
//! Generated notebooks (see `differential_gen.rs`) are written as `.ipynb` JSON text; each text
//! is rendered
//! - as MyST by nbmyst (`notebook::read` without outputs, then `myst::write::write`) and by
//!   `jupytext.writes(nb, fmt="md:myst")` on the notebook as `jupytext.read` reads an `.ipynb`
//!   file (legacy `jupytext` metadata rearranged, as the command line reads it), and
//! - as `.ipynb` by nbmyst (`notebook::read` with outputs, then `notebook::write`) and by
//!   `nbformat.writes`,
//!
//! and the two texts must be byte-identical. The reference side runs in ONE Python process for
//! the whole run (`tests/differential/jupytext_render.py`, JSON lines over a pipe).
//!
//! jupytext's Python API is the reference for MyST, not its CLI: `jupytext.writes` reads no
//! configuration file and keeps `jupytext.formats` whatever the destination (the CLI drops it
//! when the output path is not part of the pairing, `spec/myst-format.md` §1.2). Both end the
//! text with exactly one `\n` (the MyST writer right-strips and appends it, so the CLI's "add a
//! final newline if missing" never fires). nbmyst is called with `WriteOptions::default()`, which
//! applies no configuration and keeps `formats` as well, so the texts are compared as they are.
//! For `.ipynb`, `nbformat.writes` returns the text without the final newline that every file
//! writer (and `notebook::write`) adds; the reference text gets that `\n` before comparing.
//!
//! Settings (environment):
//! - `NBMYST_PYTHON`: the interpreter that imports jupytext (default: the crate's `.venv-ci`, as in `support::python`, if
//!   present, else `python3`). jupytext missing or not 1.19.6 is a test failure, never a skip.
//! - `NBMYST_DIFF_CASES`: generated notebooks per run (default 2000, and never fewer).
//! - `NBMYST_DIFF_SEED`: the run's seed (default fixed); `NBMYST_DIFF_CASE=N` replays case N only.
//! - `NBMYST_DIFF_SHOW`: minimal reproductions printed per category (default 5; all are written
//!   to `$CARGO_TARGET_TMPDIR/differential/`).
//! - `NBMYST_DIFF_SHRINK`: mismatching cases shrunk per category (default 20); the others of
//!   that category are counted and listed by case number in the file (replay one with
//!   `NBMYST_DIFF_CASE`).
//! - `NBMYST_DIFF_CLI_CASES`: notebooks per configuration for the comparison of the `textconv`
//!   binary with jupytext's command line under a jupytext configuration (default 40; see
//!   `differential_textconv_matches_jupytext_cli`, which uses `NBMYST_DIFF_SEED` too).
//!
//! Every mismatch is shrunk (drop cells, drop metadata keys, simplify values, shorten sources,
//! keeping the same kind of mismatch) and printed with the input notebook and both outputs.
//! Notebooks jupytext itself refuses are counted apart; nbmyst must not panic on them.

#[path = "differential_gen.rs"]
mod gen;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use gen::{gen_notebook, GenNotebook, Rng};
use nbmyst::myst::write::{write as write_myst, WriteOptions};
use nbmyst::notebook::{self, ReadOptions};

const JUPYTEXT_VERSION: &str = "1.19.6";
const DEFAULT_CASES: u64 = 2000;
const DEFAULT_SEED: u64 = 0x6e62_6d79_7374_0001;
const DEFAULT_SHOW: usize = 5;
/// Mismatching cases shrunk per category; later ones are only listed by case number.
const DEFAULT_SHRINK: u64 = 20;
/// Oracle calls allowed for shrinking one mismatch.
const SHRINK_BUDGET: usize = 3000;

// ---------------------------------------------------------------------------------------------
// The reference side

fn python() -> PathBuf {
    crate::support::python()
}

fn helper_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/jupytext_render.py")
}

/// One Python process answering render requests, one notebook at a time.
struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    targets: usize,
}

impl Oracle {
    /// Start the helper for the given targets; fail the test with a clear message when the
    /// reference tools are missing or are not the expected version.
    fn start(targets: &[&str]) -> Oracle {
        Oracle::start_with_env(targets, &[])
    }

    /// [`Oracle::start`] with these environment variables set for the helper.
    fn start_with_env(targets: &[&str], env: &[(&str, &Path)]) -> Oracle {
        let python = python();
        let mut child = Command::new(&python)
            .arg(helper_script())
            .arg("--to")
            .arg(targets.join(","))
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} ({e}): the differential test needs Python with jupytext \
                     {JUPYTEXT_VERSION}; set NBMYST_PYTHON to an interpreter that has it \
                     (pip install jupytext=={JUPYTEXT_VERSION})",
                    python.display()
                )
            });
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        let handshake: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            panic!(
                "{} {} did not start (first line {line:?}); the differential test needs \
                 Python with jupytext {JUPYTEXT_VERSION} (set NBMYST_PYTHON)",
                python.display(),
                helper_script().display()
            )
        });
        if let Some(fatal) = handshake.get("fatal") {
            panic!(
                "{}: {fatal}; the differential test needs jupytext {JUPYTEXT_VERSION} \
                 (pip install jupytext=={JUPYTEXT_VERSION}, or set NBMYST_PYTHON)",
                python.display()
            );
        }
        let version = handshake["versions"]["jupytext"].as_str().unwrap_or("?");
        assert_eq!(
            version,
            JUPYTEXT_VERSION,
            "{} has jupytext {version}, the differential test compares with {JUPYTEXT_VERSION} \
             (pip install jupytext=={JUPYTEXT_VERSION}, or set NBMYST_PYTHON); versions: {}",
            python.display(),
            handshake["versions"]
        );
        eprintln!("differential: reference tools {}", handshake["versions"]);
        Oracle {
            child,
            stdin,
            stdout,
            targets: targets.len(),
        }
    }

    /// The reference rendering of one notebook text, one answer per target.
    fn render(&mut self, json: &str) -> Vec<Result<String, String>> {
        let sent = self
            .stdin
            .write_all(json.as_bytes())
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush());
        if let Err(e) = sent {
            panic!("the reference helper stopped reading ({e})");
        }
        (0..self.targets)
            .map(|_| {
                let mut line = String::new();
                match self.stdout.read_line(&mut line) {
                    Ok(n) if n > 0 => {}
                    _ => panic!("the reference helper died while rendering {json}"),
                }
                let answer: serde_json::Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("bad helper answer ({e}): {line}"));
                match (answer.get("ok"), answer.get("err")) {
                    (Some(serde_json::Value::String(text)), _) => Ok(text.clone()),
                    (_, Some(serde_json::Value::String(message))) => Err(message.clone()),
                    _ => panic!("bad helper answer: {line}"),
                }
            })
            .collect()
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Our side, with panics caught and their messages kept quiet

mod quiet_panics {
    use std::cell::{Cell, RefCell};
    use std::sync::Once;

    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
        static LAST: RefCell<String> = const { RefCell::new(String::new()) };
    }

    /// Run `f`, turning a panic into `Err(message)` without printing it.
    pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            let default = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if QUIET.with(Cell::get) {
                    LAST.with(|last| *last.borrow_mut() = info.to_string());
                } else {
                    default(info);
                }
            }));
        });
        QUIET.with(|q| q.set(true));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        QUIET.with(|q| q.set(false));
        result.map_err(|_| LAST.with(|last| last.borrow().clone()))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Ours {
    Ok(String),
    Err(String),
    Panic(String),
}

fn ours_myst(json: &str) -> Ours {
    let outcome = quiet_panics::catch(|| {
        let read = notebook::read(json.as_bytes(), &ReadOptions::WITHOUT_OUTPUTS)
            .map_err(|e| e.to_string())?;
        write_myst(&read.notebook, &WriteOptions::default()).map_err(|e| e.to_string())
    });
    match outcome {
        Ok(Ok(text)) => Ours::Ok(text),
        Ok(Err(message)) => Ours::Err(message),
        Err(message) => Ours::Panic(message),
    }
}

fn ours_ipynb(json: &str) -> Ours {
    let outcome = quiet_panics::catch(|| {
        let read =
            notebook::read(json.as_bytes(), &ReadOptions::FULL).map_err(|e| e.to_string())?;
        Ok::<String, String>(notebook::write(&read.notebook))
    });
    match outcome {
        Ok(Ok(text)) => Ours::Ok(text),
        Ok(Err(message)) => Ours::Err(message),
        Err(message) => Ours::Panic(message),
    }
}

// ---------------------------------------------------------------------------------------------
// Classifying a difference

/// Byte offset of the first difference (on a character boundary of `expected`).
fn first_difference(expected: &str, ours: &str) -> usize {
    let mut at = 0;
    for ((i, a), b) in expected.char_indices().zip(ours.chars()) {
        if a != b {
            return i;
        }
        at = i + a.len_utf8();
    }
    at
}

/// Header keys a category names; differences under other top-level keys are grouped.
const HEADER_KEYS: &[&str] = &[
    "jupytext",
    "kernelspec",
    "kernel_info",
    "language_info",
    "orphan",
    "tocdepth",
    "title",
    "authors",
    "widgets",
    "toc",
];

/// Where in jupytext's MyST text the first difference falls.
fn classify_myst(expected: &str, ours: &str) -> String {
    let at = first_difference(expected, ours);
    if at >= expected.len() {
        return "end of text: nbmyst writes more".to_string();
    }
    enum State {
        Outside,
        Header(String),
        CellStart(String, &'static str),
        OptionsBlock(String),
        CompactOptions(String, &'static str),
        Body(String, &'static str),
    }
    let mut state = if expected.starts_with("---\n") {
        State::Header(String::new())
    } else {
        State::Outside
    };
    let mut offset = 0;
    let mut first = true;
    for line in expected.split_inclusive('\n') {
        let end = offset + line.len();
        let bare = line.trim_end_matches('\n');
        let (region, next) = match state {
            State::Header(key) if first => ("header: opening line".to_string(), State::Header(key)),
            State::Header(key) => {
                if bare == "---" {
                    ("header: closing line".to_string(), State::Outside)
                } else {
                    let key = if !bare.starts_with(' ') && !bare.starts_with('-') {
                        // Keys from a front-matter raw cell are arbitrary: group them.
                        let key = bare.split(':').next().unwrap_or("");
                        if HEADER_KEYS.contains(&key) {
                            key.to_string()
                        } else {
                            "other key".to_string()
                        }
                    } else {
                        key
                    };
                    (format!("header: {key}"), State::Header(key))
                }
            }
            State::Outside => {
                let ticks = bare.len() - bare.trim_start_matches('`').len();
                if bare.starts_with("+++") {
                    ("`+++` line".to_string(), State::Outside)
                } else if ticks >= 3 && bare[ticks..].starts_with("{code-cell}") {
                    (
                        "code-cell fence line".to_string(),
                        State::CellStart(bare[..ticks].to_string(), "code"),
                    )
                } else if ticks >= 3 && bare[ticks..].starts_with("{raw-cell}") {
                    (
                        "raw-cell fence line".to_string(),
                        State::CellStart(bare[..ticks].to_string(), "raw"),
                    )
                } else {
                    ("markdown text".to_string(), State::Outside)
                }
            }
            State::CellStart(fence, kind) => {
                if bare == fence {
                    ("closing fence".to_string(), State::Outside)
                } else if bare == "---" {
                    (
                        "cell options (--- block)".to_string(),
                        State::OptionsBlock(fence),
                    )
                } else if bare.starts_with(':') {
                    (
                        "cell options (:key: lines)".to_string(),
                        State::CompactOptions(fence, kind),
                    )
                } else {
                    (format!("{kind} cell body"), State::Body(fence, kind))
                }
            }
            State::OptionsBlock(fence) => {
                if bare == "---" {
                    (
                        "cell options (--- block)".to_string(),
                        State::Body(fence, "code/raw"),
                    )
                } else {
                    (
                        "cell options (--- block)".to_string(),
                        State::OptionsBlock(fence),
                    )
                }
            }
            State::CompactOptions(fence, kind) => {
                if bare.is_empty() {
                    (
                        "cell options (:key: lines)".to_string(),
                        State::Body(fence, kind),
                    )
                } else {
                    (
                        "cell options (:key: lines)".to_string(),
                        State::CompactOptions(fence, kind),
                    )
                }
            }
            State::Body(fence, kind) => {
                if bare == fence {
                    ("closing fence".to_string(), State::Outside)
                } else {
                    (format!("{kind} cell body"), State::Body(fence, kind))
                }
            }
        };
        if at < end {
            return region;
        }
        state = next;
        offset = end;
        first = false;
    }
    "end of text".to_string()
}

/// Where in nbformat's JSON text the first difference falls: the key path of that line
/// (nbformat writes one member per line, indented one space per level).
fn classify_ipynb(expected: &str, ours: &str) -> String {
    let at = first_difference(expected, ours);
    if at >= expected.len() {
        return "end of text: nbmyst writes more".to_string();
    }
    let mut path: Vec<String> = Vec::new();
    let mut offset = 0;
    for line in expected.split_inclusive('\n') {
        let end = offset + line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim_start_matches(' ');
        path.truncate(indent.saturating_sub(1));
        if let Some(rest) = body.strip_prefix('"') {
            if let Some(close) = key_end(rest) {
                if rest[close..].starts_with("\": ") {
                    while path.len() < indent.saturating_sub(1) {
                        path.push("[]".to_string());
                    }
                    path.push(rest[..close].to_string());
                }
            }
        }
        if at < end {
            let mut keys: Vec<&str> = path
                .iter()
                .map(String::as_str)
                .filter(|k| *k != "[]")
                .collect();
            keys.truncate(4);
            return if keys.is_empty() {
                "top level".to_string()
            } else {
                keys.join("/")
            };
        }
        offset = end;
    }
    "end of text".to_string()
}

/// End of a JSON string's content (the index of its closing quote).
fn key_end(rest: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The run

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Myst,
    Ipynb,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Myst => "md:myst",
            Target::Ipynb => "ipynb",
        }
    }

    fn reference(self) -> &'static str {
        match self {
            Target::Myst => "jupytext",
            Target::Ipynb => "nbformat",
        }
    }

    fn ours(self, json: &str) -> Ours {
        match self {
            Target::Myst => ours_myst(json),
            Target::Ipynb => ours_ipynb(json),
        }
    }

    /// The reference text as a file holds it.
    fn normalise_reference(self, text: String) -> String {
        match self {
            Target::Myst => text,
            Target::Ipynb => text + "\n",
        }
    }

    fn classify(self, expected: &str, ours: &str) -> String {
        match self {
            Target::Myst => classify_myst(expected, ours),
            Target::Ipynb => classify_ipynb(expected, ours),
        }
    }
}

/// What one notebook gave on both sides.
enum Verdict {
    Same,
    /// The reference refused the notebook; what we did with it (never a panic).
    Rejected {
        reference: String,
        ours: Ours,
    },
    Mismatch {
        category: String,
        expected: Result<String, String>,
        ours: Ours,
    },
}

fn judge(target: Target, oracle: &mut Oracle, json: &str) -> Verdict {
    let reference = oracle
        .render(json)
        .remove(0)
        .map(|t| target.normalise_reference(t));
    let ours = target.ours(json);
    match (reference, ours) {
        (Err(reference), Ours::Panic(message)) => Verdict::Mismatch {
            category: format!(
                "nbmyst panics {} (reference refuses too)",
                panic_site(&message)
            ),
            expected: Err(reference),
            ours: Ours::Panic(message),
        },
        (Err(reference), ours) => Verdict::Rejected { reference, ours },
        (Ok(expected), Ours::Ok(text)) if expected == text => Verdict::Same,
        (Ok(expected), Ours::Ok(text)) => Verdict::Mismatch {
            category: target.classify(&expected, &text),
            expected: Ok(expected),
            ours: Ours::Ok(text),
        },
        (Ok(expected), Ours::Err(message)) => Verdict::Mismatch {
            category: "nbmyst fails, reference writes".to_string(),
            expected: Ok(expected),
            ours: Ours::Err(message),
        },
        (Ok(expected), Ours::Panic(message)) => Verdict::Mismatch {
            category: format!("nbmyst panics {}", panic_site(&message)),
            expected: Ok(expected),
            ours: Ours::Panic(message),
        },
    }
}

struct Repro {
    category: String,
    case: u64,
    shrink_calls: usize,
    input: String,
    /// The generated notebook before shrinking.
    original: String,
    expected: Result<String, String>,
    ours: Ours,
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    let parsed = if let Some(hex) = value.strip_prefix("0x") {
        u64::from_str_radix(hex, 16)
    } else {
        value.parse()
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value:?} is not a number")))
}

/// Where a panic happened (`at src/x.rs:1:2`), from the hook's message, so that different
/// panics are told apart (and shrunk apart).
fn panic_site(message: &str) -> String {
    let first = message.lines().next().unwrap_or("");
    match first.strip_prefix("panicked at ") {
        Some(site) => format!("at {}", site.trim_end_matches(':')),
        None => String::new(),
    }
}

/// How the reference refused: the first line of its message, shortened, digits as `N`
/// (`sequence item 3: ...` and `sequence item 0: ...` are the same refusal).
fn error_kind(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let mut kind = String::new();
    for c in first.chars().take(70) {
        if c.is_ascii_digit() {
            if !kind.ends_with('N') {
                kind.push('N');
            }
        } else {
            kind.push(c);
        }
    }
    kind
}

fn show_text(text: &str) -> String {
    // Both raw (as a reader sees it) and as a JSON string (every invisible character shown).
    let mut json = String::new();
    gen::write_string(&mut json, text, false);
    format!("~~~~\n{text}\n~~~~ (as JSON: {json})")
}

/// A mismatch or refusal as shown; `with_original` adds the notebook before shrinking.
fn format_repro(target: Target, repro: &Repro, seed: u64, with_original: bool) -> String {
    let expected = match &repro.expected {
        Ok(text) => show_text(text),
        Err(message) => format!("error: {message}"),
    };
    let ours = match &repro.ours {
        Ours::Ok(text) => show_text(text),
        Ours::Err(message) => format!("error: {message}"),
        Ours::Panic(message) => format!("PANIC: {message}"),
    };
    let mut text = format!(
        "--- [{}] {} (case {} of seed {seed:#x}, shrunk with {} calls)\ninput notebook:\n{}\n{} output:\n{}\nnbmyst output:\n{}\n",
        target.name(),
        repro.category,
        repro.case,
        repro.shrink_calls,
        repro.input,
        target.reference(),
        expected,
        ours
    );
    if with_original && repro.original != repro.input {
        text.push_str(&format!(
            "generated notebook before shrinking:\n{}\n\n",
            repro.original
        ));
    }
    text
}

fn run(target: Target) {
    let mut cases = env_u64("NBMYST_DIFF_CASES")
        .unwrap_or(DEFAULT_CASES)
        .max(DEFAULT_CASES);
    let seed = env_u64("NBMYST_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_u64("NBMYST_DIFF_CASE");
    let show = env_u64("NBMYST_DIFF_SHOW").map_or(DEFAULT_SHOW, |n| n as usize);
    let shrink_limit = env_u64("NBMYST_DIFF_SHRINK").unwrap_or(DEFAULT_SHRINK);
    if only.is_some() {
        cases = 1;
    }
    let mut oracle = Oracle::start(&[target.name()]);
    let started = std::time::Instant::now();

    let mut same = 0u64;
    // per kind of refusal: cases, cases nbmyst refused too, one shrunk example
    let mut rejected: BTreeMap<String, (u64, u64, Option<Repro>)> = BTreeMap::new();
    let mut mismatching_cases: BTreeMap<String, u64> = BTreeMap::new();
    let mut repros: Vec<Repro> = Vec::new();
    let mut unshrunk: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for i in 0..cases {
        let case = only.unwrap_or(i);
        let nb = gen_notebook(&mut Rng::for_case(seed, case));
        let json = nb.to_json();
        match judge(target, &mut oracle, &json) {
            Verdict::Same => same += 1,
            Verdict::Rejected { reference, ours } => {
                let kind = error_kind(&reference);
                let entry = rejected.entry(kind.clone()).or_default();
                entry.0 += 1;
                entry.1 += u64::from(matches!(ours, Ours::Err(_)));
                if entry.2.is_none() {
                    entry.2 = Some(shrink_refusal(target, &mut oracle, nb, case, &kind));
                }
            }
            Verdict::Mismatch { category, .. } => {
                let seen = mismatching_cases.entry(category.clone()).or_default();
                *seen += 1;
                if *seen > shrink_limit {
                    unshrunk.entry(category).or_default().push(case);
                    continue;
                }
                let (small, calls) = shrink_mismatch(target, &mut oracle, nb, &category);
                let original = json.clone();
                let input = small.to_json();
                if repros.iter().any(|r| r.input == input) {
                    continue;
                }
                if let Verdict::Mismatch {
                    category,
                    expected,
                    ours,
                } = judge(target, &mut oracle, &input)
                {
                    repros.push(Repro {
                        category,
                        case,
                        shrink_calls: calls,
                        input,
                        original,
                        expected,
                        ours,
                    });
                }
            }
        }
    }

    // Report
    let mismatches: u64 = mismatching_cases.values().sum();
    let rejected_total: u64 = rejected.values().map(|(n, _, _)| n).sum();
    let mut report = format!(
        "differential [{}]: {cases} cases (seed {seed:#x}) in {:.1}s: {same} identical, {mismatches} mismatching, \
         {rejected_total} refused by {}\n",
        target.name(),
        started.elapsed().as_secs_f64(),
        target.reference()
    );
    for (category, count) in &mismatching_cases {
        let distinct = repros.iter().filter(|r| &r.category == category).count();
        report.push_str(&format!(
            "  mismatch  {count:5} cases  {distinct:3} minimal inputs  {category}\n"
        ));
    }
    for (kind, (count, ours_failed, _)) in &rejected {
        report.push_str(&format!(
            "  refused   {count:5} cases  {kind} (nbmyst: {} written, {ours_failed} refused, no panic)\n",
            count - ours_failed
        ));
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential");
    let file = dir.join(format!(
        "{}-mismatches.txt",
        target.name().replace(':', "-")
    ));
    let mut full = report.clone();
    for repro in &repros {
        full.push_str(&format_repro(target, repro, seed, true));
    }
    let mut refusals = String::new();
    for (_, _, example) in rejected.values() {
        if let Some(repro) = example {
            refusals.push_str(&format_repro(target, repro, seed, false));
        }
    }
    if !refusals.is_empty() {
        refusals.insert_str(
            0,
            &format!(
                "\nOne minimal example of each refusal by {} (not failures):\n",
                target.reference()
            ),
        );
        full.push_str(&refusals);
    }
    for (category, cases) in &unshrunk {
        let list: Vec<String> = cases.iter().map(u64::to_string).collect();
        full.push_str(&format!(
            "--- [{}] {category}: not shrunk, cases {}\n",
            target.name(),
            list.join(" ")
        ));
    }
    let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &full));
    eprint!("{report}");
    if repros.is_empty() {
        eprint!("{refusals}");
        return;
    }
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for repro in &repros {
        let count = shown.entry(&repro.category).or_default();
        *count += 1;
        if *count <= show {
            eprintln!("{}", format_repro(target, repro, seed, false));
        }
    }
    let hidden: usize = shown.values().map(|n| n.saturating_sub(show)).sum();
    if hidden > 0 {
        eprintln!("({hidden} more minimal inputs not shown; NBMYST_DIFF_SHOW raises the limit)");
    }
    match saved {
        Ok(()) => eprintln!("all minimal inputs: {}", file.display()),
        Err(e) => eprintln!("could not save {}: {e}", file.display()),
    }
    panic!(
        "{mismatches} of {cases} notebooks differ from {} (see above)\n{report}",
        target.reference()
    );
}

/// Shrink a notebook the reference refuses while it refuses it the same way.
fn shrink_refusal(
    target: Target,
    oracle: &mut Oracle,
    nb: GenNotebook,
    case: u64,
    kind: &str,
) -> Repro {
    let original = nb.to_json();
    let (small, calls) = gen::shrink(
        nb,
        SHRINK_BUDGET,
        |candidate| matches!(judge(target, oracle, &candidate.to_json()), Verdict::Rejected { reference, .. } if error_kind(&reference) == kind),
    );
    let input = small.to_json();
    let (expected, ours) = match judge(target, oracle, &input) {
        Verdict::Rejected { reference, ours } => (Err(reference), ours),
        _ => (Err(kind.to_string()), target.ours(&input)),
    };
    Repro {
        category: format!("refused by {}: {kind}", target.reference()),
        case,
        shrink_calls: calls,
        input,
        original,
        expected,
        ours,
    }
}

/// Shrink a mismatching notebook while it still mismatches in the same category.
fn shrink_mismatch(
    target: Target,
    oracle: &mut Oracle,
    nb: GenNotebook,
    category: &str,
) -> (GenNotebook, usize) {
    gen::shrink(
        nb,
        SHRINK_BUDGET,
        |candidate| matches!(judge(target, oracle, &candidate.to_json()), Verdict::Mismatch { category: c, .. } if c == category),
    )
}

#[test]
fn differential_myst_matches_jupytext() {
    run(Target::Myst);
}

#[test]
fn differential_ipynb_matches_nbformat() {
    run(Target::Ipynb);
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("NBMYST_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// The realistic notebooks of the benchmark kit (markdown with fences and math, magics, raw
/// cells, tags and transient metadata, large outputs) must also be identical on both sides.
#[test]
fn differential_bench_notebooks_match_jupytext() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential/bench-notebooks");
    let script = shared_dir().join("bench/gen_notebooks.py");
    let status = Command::new(python()).arg(&script).arg(&dir).status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "{} {} failed ({status:?}); set NBMYST_SHARED to the shared folder",
        python().display(),
        script.display()
    );
    let mut oracle = Oracle::start(&["md:myst", "ipynb"]);
    for size in ["small", "medium", "large", "outputs"] {
        let path = dir.join(format!("{size}.ipynb"));
        let text = std::fs::read_to_string(&path).expect("generated notebook");
        // Line breaks in an nbformat file only separate tokens: as spaces the file is one
        // line of the same JSON, which the helper's line protocol needs.
        let answers = oracle.render(&text.replace('\n', " "));
        let expected_myst = answers[0]
            .clone()
            .expect("jupytext writes the bench notebooks");
        let expected_ipynb = answers[1]
            .clone()
            .expect("nbformat writes the bench notebooks")
            + "\n";
        let myst = ours_myst(&text);
        assert!(
            myst == Ours::Ok(expected_myst.clone()),
            "{size}: MyST differs from jupytext at byte {}",
            match &myst {
                Ours::Ok(ours) => first_difference(&expected_myst, ours).to_string(),
                other => format!("- ({other:?})"),
            }
        );
        assert!(
            ours_ipynb(&text) == Ours::Ok(expected_ipynb),
            "{size}: .ipynb differs from nbformat"
        );
        assert_eq!(
            text,
            answers[1].clone().unwrap_or_default() + "\n",
            "{size}: the file is nbformat's own"
        );
    }
}

#[test]
fn differential_classifies_myst_regions() {
    let text = "---\njupytext:\n  x: 1\nkernelspec:\n  name: p\n---\n\nmd\n\n+++ {\"a\": 1}\n\n```{code-cell} ipython3\n:tags: [a]\n\nbody\n```\n\n````{raw-cell}\n---\nk: v\n---\nraw\n````\n";
    let cases = [
        ("  x: 1", "header: jupytext"),
        ("  name: p", "header: kernelspec"),
        ("md\n", "markdown text"),
        ("+++ {", "`+++` line"),
        ("```{code-cell} ipython3", "code-cell fence line"),
        (":tags:", "cell options (:key: lines)"),
        ("body", "code cell body"),
        ("k: v", "cell options (--- block)"),
        ("raw\n", "code/raw cell body"),
        ("````\n", "closing fence"),
    ];
    for (needle, region) in cases {
        let at = text.find(needle).expect(needle);
        let mut ours = text.to_string();
        ours.insert(at, '!');
        assert_eq!(
            classify_myst(text, &ours),
            region,
            "difference at {needle:?}"
        );
    }
    assert_eq!(
        classify_myst("a\n", "a\nb"),
        "end of text: nbmyst writes more"
    );
}

#[test]
fn differential_classifies_ipynb_paths() {
    let text = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {\n    \"tags\": []\n   },\n   \"source\": [\n    \"x\\n\",\n    \"y\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4\n}\n";
    for (needle, path) in [
        ("\"code\"", "cells/cell_type"),
        ("\"tags\"", "cells/metadata/tags"),
        ("\"y\"", "cells/source"),
        ("\"nbformat\"", "nbformat"),
    ] {
        let at = text.find(needle).expect(needle) + 1;
        let mut ours = text.to_string();
        ours.insert(at, '!');
        assert_eq!(
            classify_ipynb(text, &ours),
            path,
            "difference at {needle:?}"
        );
    }
}

#[test]
fn differential_helper_renders_like_jupytext_cli() {
    // The helper's md:myst answer for a notebook whose `formats` the CLI keeps equals the CLI's
    // output file; a `formats` entry the CLI drops is kept by the API (spec §1.2).
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = r#"{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "end  \n\n"}], "metadata": {"jupytext": {"formats": "ipynb,md:myst"}}, "nbformat": 4, "nbformat_minor": 4}"#;
    let dropped = r#"{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "x"}], "metadata": {"jupytext": {"formats": "ipynb,py:percent"}}, "nbformat": 4, "nbformat_minor": 4}"#;
    let mut oracle = Oracle::start(&["md:myst", "ipynb"]);
    for (name, json, cli_keeps_formats) in [("kept", kept, true), ("dropped", dropped, false)] {
        let answers = oracle.render(json);
        let api = answers[0].clone().expect("jupytext writes it");
        assert!(answers[1].is_ok(), "nbformat writes it");
        let ipynb = dir.path().join(format!("{name}.ipynb"));
        let md = dir.path().join(format!("{name}.md"));
        std::fs::write(&ipynb, json).expect("write notebook");
        let jupytext = python().with_file_name("jupytext");
        if !jupytext.exists() {
            // Without the CLI next to the interpreter, the API side alone is checked.
            assert!(api.contains("formats:"));
            continue;
        }
        let status = Command::new(&jupytext)
            .args(["--quiet", "--to", "md:myst", "-o"])
            .arg(&md)
            .arg(&ipynb)
            .current_dir(dir.path())
            .status()
            .expect("run the jupytext CLI");
        assert!(status.success());
        let cli = std::fs::read_to_string(&md).expect("read the CLI output");
        assert!(
            api.ends_with('\n') && !api.ends_with("\n\n"),
            "one final newline: {api:?}"
        );
        if cli_keeps_formats {
            assert_eq!(api, cli);
        } else {
            assert_ne!(api, cli);
            let without: String = api
                .lines()
                .filter(|l| !l.contains("formats:"))
                .map(|l| format!("{l}\n"))
                .collect();
            assert_eq!(without, cli, "the CLI only drops the formats line");
        }
    }
}

/// Configurations for the command-line comparison: (case name, file name, contents).
const CLI_CONFIGS: &[(&str, &str, &str)] = &[
    ("none", "", ""),
    (
        "no-header",
        "jupytext.toml",
        "notebook_metadata_filter = \"-all\"\n",
    ),
    (
        "no-cell-metadata",
        "jupytext.toml",
        "cell_metadata_filter = \"-all\"\n",
    ),
    (
        "tags-only",
        "jupytext.toml",
        "notebook_metadata_filter = \"-all\"\ncell_metadata_filter = \"tags,-all\"\n",
    ),
    (
        "drop-transient",
        "jupytext.toml",
        "cell_metadata_filter = \"-ExecuteTime,-execution,-papermill,-colab,-id,-outputId\"\n",
    ),
    ("paired", "jupytext.toml", "formats = \"ipynb,md:myst\"\n"),
    (
        "paired-no-header",
        "jupytext.toml",
        "formats = \"ipynb,md:myst\"\nnotebook_metadata_filter = \"-all\"\n",
    ),
    (
        "paired-in-folder",
        "jupytext.toml",
        "formats = \"ipynb,md//md:myst\"\n",
    ),
    (
        "all-but-language",
        "jupytext.toml",
        "notebook_metadata_filter = \"all,-language_info\"\ncell_metadata_filter = \"all\"\n",
    ),
    (
        "root-level",
        "jupytext.toml",
        "root_level_metadata_filter = \"-title,-colab\"\n",
    ),
    (
        "yaml",
        ".jupytext.yml",
        "notebook_metadata_filter: \"-all\"\ncell_metadata_filter: -ExecuteTime\n",
    ),
    (
        "pyproject",
        "pyproject.toml",
        "[tool.jupytext]\nnotebook_metadata_filter = \"-all\"\ncell_metadata_filter = \"-all\"\n",
    ),
];

/// `nbmyst textconv nb.ipynb` (the binary, run in the notebook's folder) against jupytext's
/// command line `jupytext --to md:myst -o nb.md nb.ipynb` run there too, on generated notebooks
/// with each configuration of [`CLI_CONFIGS`] beside them (configuration applies only to the
/// command line with `-o`). `NBMYST_DIFF_CLI_CASES` notebooks per configuration (default 40),
/// from the run's seed. Notebooks the command line refuses (nbformat's validation, for one) are
/// counted apart; textconv must still exit 0 on them.
#[test]
fn differential_textconv_matches_jupytext_cli() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential/cli");
    let _ = std::fs::remove_dir_all(&root);
    let no_global = root.join("no-global-config");
    std::fs::create_dir_all(&no_global).expect("a scratch folder");
    // No configuration outside the case folders counts, on either side.
    let env: [(&str, &Path); 3] = [
        ("JUPYTEXT_CEILING_DIRECTORIES", &root),
        ("XDG_CONFIG_HOME", &no_global),
        ("XDG_CONFIG_DIRS", &no_global),
    ];
    let cases = env_u64("NBMYST_DIFF_CLI_CASES").unwrap_or(40);
    let seed = env_u64("NBMYST_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let mut oracle = Oracle::start_with_env(&["cli:md:myst"], &env);
    let (mut same, mut refused) = (0u64, 0u64);
    let mut failures = Vec::new();
    for (name, file, contents) in CLI_CONFIGS {
        for case in 0..cases {
            let dir = root.join(name).join(case.to_string());
            std::fs::create_dir_all(&dir).expect("a case folder");
            if !file.is_empty() {
                std::fs::write(dir.join(file), contents).expect("configuration written");
            }
            let nb = gen::gen_notebook(&mut Rng::for_case(seed, case));
            let path = dir.join("nb.ipynb");
            std::fs::write(&path, nb.to_json()).expect("notebook written");
            let request = serde_json::Value::String(path.to_string_lossy().into_owned());
            let expected = oracle.render(&request.to_string()).remove(0);
            let output = Command::new(crate::support::NBMYST)
                .arg("textconv")
                .arg("nb.ipynb")
                .current_dir(&dir)
                .envs(env.iter().map(|(k, v)| (*k, *v)))
                .output()
                .expect("nbmyst runs");
            let ours = String::from_utf8_lossy(&output.stdout).into_owned();
            if !output.status.success() {
                failures.push(format!(
                    "{}: textconv failed ({}): {}",
                    path.display(),
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
                continue;
            }
            match expected {
                Err(_) => refused += 1,
                Ok(text) if text == ours => same += 1,
                Ok(text) => failures.push(format!(
                    "{} [{name}]: differs from jupytext at byte {}\n--- jupytext\n{text}--- nbmyst\n{ours}",
                    path.display(),
                    first_difference(&text, &ours)
                )),
            }
        }
    }
    eprintln!(
        "differential [textconv vs jupytext CLI]: {} configurations x {cases} notebooks (seed \
         {seed:#x}): {same} identical, {refused} refused by jupytext, {} failing",
        CLI_CONFIGS.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{}\n{} textconv outputs differ from the jupytext command line",
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        failures.len()
    );
}
