//! Notebook generator and shrinker for the differential conformance test.
//!
//! A seeded hand-rolled generator (no shared state, one case = one seed) that leans towards the
//! traps listed in `spec/hard-cases.md`: backtick runs at line start and indented, `+++`, `---`,
//! `:` line starts, `{code-cell}` lines inside markdown, magics, astral and separator characters,
//! CR/LF/CRLF, trailing Python whitespace, YAML look-alike strings, keys that need quotes or are
//! invalid, transient metadata, every jupytext filter form. A quarter of the notebooks are
//! realistic instead: what Jupyter, JupyterLab, VS Code, Colab and papermill write for Python,
//! R, Julia and Bash kernels (their metadata, tags, slideshow and hidden-cell settings, front
//! matter raw cells, ordinary Markdown and code). The notebook is kept as a small tree
//! ([`GenNotebook`]) and serialised to one line of JSON text that both nbmyst and the reference
//! tools read, so the shrinker can work on structure (cells, keys, lines) rather than on bytes.

use std::fmt::Write as _;

/// SplitMix64: tiny, fast, and good enough to spread test cases.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The generator for case `index` of a run seeded with `seed`: every case can be replayed on
    /// its own.
    pub fn for_case(seed: u64, index: u64) -> Rng {
        let mut mixer = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        let _ = mixer.next_u64();
        Rng(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Pick from `(weight, item)` pairs.
    pub fn weighted<T: Clone>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut roll = (self.next_u64() % u64::from(total)) as u32;
        for (weight, item) in items {
            if roll < *weight {
                return item.clone();
            }
            roll -= weight;
        }
        items[items.len() - 1].1.clone()
    }
}

/// A JSON value as it will be written in the notebook file. Numbers keep their literal spelling
/// (`1E+2`, `1.10`, `NaN`, integers beyond 64 bits) and objects may repeat a key, so the readers
/// see the same text Python's `json.loads` sees.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

impl V {
    pub fn s(text: impl AsRef<str>) -> V {
        V::Str(text.as_ref().to_string())
    }

    pub fn num(text: impl AsRef<str>) -> V {
        V::Num(text.as_ref().to_string())
    }

    pub fn obj(pairs: &[(&str, V)]) -> V {
        V::Obj(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
}

/// How a cell's source is stored in the file.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceForm {
    /// One string.
    Joined,
    /// A list of lines split after each `\n` (what nbformat writes).
    Lines,
    /// A list of pieces split at arbitrary character positions (allowed: the reader joins them).
    Chunks(Vec<usize>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct GenCell {
    pub cell_type: &'static str,
    pub id: Option<String>,
    pub metadata: Vec<(String, V)>,
    pub source: String,
    pub source_form: SourceForm,
    /// Code cells: `outputs` (None = key absent, which only happens in shrunk cases).
    pub outputs: Option<Vec<V>>,
    /// Code cells: `execution_count` (None = key absent).
    pub execution_count: Option<V>,
    pub attachments: Option<V>,
    /// Unknown keys, kept by the readers and writers.
    pub extra: Vec<(String, V)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GenNotebook {
    pub nbformat_minor: u64,
    pub metadata: Vec<(String, V)>,
    pub cells: Vec<GenCell>,
    pub extra: Vec<(String, V)>,
    /// Write non-ASCII characters as `\uXXXX` escapes (surrogate pairs for astral ones).
    pub ascii_escapes: bool,
    /// Put `cells` before `metadata` in the file (key order must not matter to the readers).
    pub cells_first: bool,
}

// ---------------------------------------------------------------------------------------------
// Serialisation

impl GenNotebook {
    /// The notebook as one line of JSON text (no raw line breaks, so it fits a JSON-lines pipe).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut top: Vec<(String, V)> = Vec::new();
        let cells = V::Arr(self.cells.iter().map(GenCell::to_value).collect());
        let metadata = V::Obj(self.metadata.clone());
        if self.cells_first {
            top.push(("cells".into(), cells));
            top.push(("metadata".into(), metadata));
        } else {
            top.push(("metadata".into(), metadata));
            top.push(("cells".into(), cells));
        }
        top.push(("nbformat".into(), V::num("4")));
        top.push((
            "nbformat_minor".into(),
            V::Num(self.nbformat_minor.to_string()),
        ));
        top.extend(self.extra.iter().cloned());
        write_value(&mut out, &V::Obj(top), self.ascii_escapes);
        out
    }
}

impl GenCell {
    fn to_value(&self) -> V {
        let mut pairs: Vec<(String, V)> = vec![("cell_type".into(), V::s(self.cell_type))];
        if let Some(id) = &self.id {
            pairs.push(("id".into(), V::s(id)));
        }
        pairs.push(("metadata".into(), V::Obj(self.metadata.clone())));
        if let Some(outputs) = &self.outputs {
            pairs.push(("outputs".into(), V::Arr(outputs.clone())));
        }
        if let Some(count) = &self.execution_count {
            pairs.push(("execution_count".into(), count.clone()));
        }
        if let Some(attachments) = &self.attachments {
            pairs.push(("attachments".into(), attachments.clone()));
        }
        pairs.push((
            "source".into(),
            source_value(&self.source, &self.source_form),
        ));
        pairs.extend(self.extra.iter().cloned());
        V::Obj(pairs)
    }
}

fn source_value(source: &str, form: &SourceForm) -> V {
    match form {
        SourceForm::Joined => V::s(source),
        SourceForm::Lines => V::Arr(split_keep_lf(source).into_iter().map(V::s).collect()),
        SourceForm::Chunks(cuts) => {
            let chars: Vec<char> = source.chars().collect();
            let mut pieces = Vec::new();
            let mut start = 0;
            for &cut in cuts {
                let cut = cut.min(chars.len());
                if cut > start {
                    pieces.push(V::Str(chars[start..cut].iter().collect()));
                    start = cut;
                }
            }
            if start < chars.len() || pieces.is_empty() {
                pieces.push(V::Str(chars[start..].iter().collect()));
            }
            V::Arr(pieces)
        }
    }
}

/// Split after each `\n`, keeping it (the way notebooks store sources as lists).
pub fn split_keep_lf(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

pub fn write_value(out: &mut String, value: &V, ascii: bool) {
    match value {
        V::Null => out.push_str("null"),
        V::Bool(true) => out.push_str("true"),
        V::Bool(false) => out.push_str("false"),
        V::Num(text) => out.push_str(text),
        V::Str(text) => write_string(out, text, ascii),
        V::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, ascii);
            }
            out.push(']');
        }
        V::Obj(pairs) => {
            out.push('{');
            for (i, (key, item)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, key, ascii);
                out.push_str(": ");
                write_value(out, item, ascii);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal; control characters always escaped (so the text has no raw line break).
pub fn write_string(out: &mut String, text: &str, ascii: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    // Upper-case hex: the readers must accept both cases.
                    let _ = write!(out, "\\u{:04X}", unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Generation

/// Line fragments of sources, biased towards what changes the MyST structure or its bytes.
const LINES: &[(u32, &str)] = &[
    (30, "plain text"),
    (6, "x = 1"),
    (4, "print(\"hello\")"),
    (4, "def f(a, b):"),
    (4, "    return a + b"),
    (3, "# Heading"),
    (3, "- item"),
    (2, "> quote"),
    (2, "    indented code"),
    (2, "$$ x^2 $$"),
    (2, "<div>html</div>"),
    (2, "(label)="),
    (2, "% comment"),
    // fences
    (6, "```"),
    (3, "```python"),
    (3, "````"),
    (2, "`````"),
    (2, "``````` x"),
    (3, "  ```"),
    (2, "   ````"),
    (2, "    ```"),
    (4, "```{code-cell}"),
    (3, "```{code-cell} ipython3"),
    (2, "````{code-cell} python"),
    (2, "``` {code-cell}"),
    (2, "   ```{code-cell}"),
    (3, "```{raw-cell}"),
    (2, "```{note}"),
    (2, "~~~"),
    (2, "~~~{code-cell}"),
    (2, "`inline` code"),
    // cell breaks
    (6, "+++"),
    (2, "+ + +"),
    (2, "++++"),
    (2, " +++"),
    (2, "+++ {\"k\": 1}"),
    (1, "+++ {\"tags\": [\"a\"]}"),
    (1, "+++ not json"),
    (1, "+++   "),
    // yaml-ish
    (6, "---"),
    (2, "---x"),
    (2, "----"),
    (2, "..."),
    (3, "title: My doc"),
    (2, "tags: [a, b]"),
    (1, "kernelspec: python3"),
    (1, "- a"),
    // colons
    (4, ":tags: [a]"),
    (3, ":x"),
    (2, " :x"),
    (2, ":::{note}"),
    (2, ":::"),
    (2, ":"),
    (1, ":key:\tvalue"),
    // magics
    (3, "%time x = 1"),
    (3, "%%bash"),
    (2, "%%time"),
    (3, "!pip install numpy"),
    (2, "%matplotlib inline"),
    (2, "y = !ls"),
    (1, "x = %env HOME"),
    // unicode
    (3, "Café ☕ déjà vu"),
    (2, "日本語のテキスト"),
    (3, "emoji 😀 and 𝔘𝔫𝔦"),
    (1, "\u{10FFFD} private astral"),
    (1, "zero\u{200b}width"),
    (1, "bom \u{feff} inside"),
    (1, "rtl \u{202e} override"),
    // control and separator characters inside a line
    (3, "form\u{c}feed"),
    (2, "vertical\u{b}tab"),
    (2, "next\u{85}line"),
    (3, "line\u{2028}separator"),
    (1, "para\u{2029}separator"),
    (1, "group\u{1c}\u{1d}\u{1e}seps"),
    (1, "unit\u{1f}sep"),
    (1, "bell\u{7}del\u{7f}"),
    (1, "nul\u{0}char"),
    (1, "esc\u{1b}[31mred\u{1b}[0m"),
    (2, "lone\rcr"),
    // whitespace
    (3, "trailing spaces   "),
    (2, "trailing tab\t"),
    (2, "trailing nbsp\u{a0}"),
    (1, "trailing ideographic\u{3000}"),
    (1, "trailing\u{1f}"),
    (3, "\tindented with tab"),
    (3, "  two spaces"),
    (6, ""),
    (2, "   "),
    (1, "\t"),
    (1, "\u{a0}"),
    (1, "\u{c}"),
];

/// Whole sources that are traps on their own.
const SPECIAL_SOURCES: &[&str] = &[
    "",
    " ",
    "   ",
    "\n",
    "\n\n",
    "x\n",
    "x\n\n",
    "x\n\n\n",
    "\nx",
    "\n\nx",
    " \t\n",
    "\u{a0}",
    "\u{c}",
    "---",
    "---\nx",
    "---\ntitle: My doc\n---\n\nText",
    "---\ntitle: T\n---",
    ":x",
    " :x",
    ":::{note}\nhi\n:::",
    "+++",
    "+ + +",
    "```",
    "```{code-cell}\nx\n```",
    "Example:\n\n```{code-cell} python\nprint(1)\n```",
    "```{code-cell}\nunclosed",
    "````\nx\n`````",
    "doc = '''\n  ```\n  x\n  ```\n'''",
    "a\r\nb\r\n",
    "a\rb",
    "a = 1\u{c}b = 2",
    "a\u{2028}b",
    "last \u{a0}\t\n\n",
    "%%bash\necho hi",
    "!pip install x\n%matplotlib inline\ny = !ls",
    "<div>\n```{code-cell}\nx\n```\n</div>",
    "- item\n\n  ```{code-cell}\n  nested\n  ```",
];

/// Raw first cells that jupytext may merge into the header (§2.4).
const FRONT_MATTERS: &[&str] = &[
    "---\ntitle: Hello\nauthor: Me\n---",
    "---\ntitle: T\ndate: 2024-01-01\n---",
    "---\ntitle: T\nauthors: [A, B]\n---",
    "  ---\ntitle: spaced\n---  \n",
    "---\ntitle: 'yes'\nn: 017\nm: 0o17\n---",
    "---\nkernelspec: python3\n---",
    "---\njupytext:\n  formats: ipynb,md:myst\n---",
    "---\n- a\n- b\n---",
    "---\n---",
    "---\ntitle: [unclosed\n---",
    "---\ntitle: x\n---\nmore",
    "---\ntitle: é 😀\nnested:\n  a: 1\n---",
    "---\r\ntitle: crlf\r\n---",
    "---\norphan: null\n---",
    "---\ntitle: x\n...",
];

/// Lines of a YAML front matter, to stress the YAML reader and the header merge (§2.4, §11).
const YAML_LINES: &[&str] = &[
    "title: Hello",
    "title: 'yes'",
    "author: Me",
    "authors: [A, B]",
    "authors:\n- name: A\n  affiliation: B",
    "date: 2024-01-01",
    "time: 2024-01-01 10:00:00",
    "n: 017",
    "m: 0o17",
    "f: 1e3",
    "g: 1.5e+3",
    "h: .5",
    "i: +1",
    "x: 0x1F",
    "b: 0b11",
    "u: 1_000",
    "t: 1:30",
    "big: 100000000000000000000",
    "inf: .inf",
    "nan: .NaN",
    "yes: yes",
    "on: Off",
    "y: y",
    "c: ~",
    "d: null",
    "e:",
    "fl: {a: 1, b: [x, y]}",
    "q: 'it''s'",
    "dq: \"a\\tb \\u00e9 \\U0001F600\"",
    "multi: |\n  line1\n  line2",
    "folded: >\n  a\n  b",
    "keep: |+\n  x\n",
    "anchor: &x [1, 2]\nalias: *x",
    "# a comment",
    "k: v # trailing comment",
    "nested:\n  a: 1\n  b: [1, 2]\n  c:\n    d: null",
    "list:\n- a\n- b: 1",
    "tag: !!str 1",
    "dup: 1\ndup: 2",
    "é: unicode key",
    "'quoted key': 1",
    "\"a b\": 2",
    "2d: 1",
    "_private: 1",
    "long: word word word word word word word word word word word word word word word word word",
    "kernelspec:\n  name: other\n  display_name: Other",
    "kernelspec: python3",
    "jupytext:\n  formats: ipynb,md:myst",
    "jupytext:\n  notebook_metadata_filter: all",
    "jupytext:\n  root_level_metadata_filter: -title",
    "language_info:\n  name: python",
    "orphan: true",
    "tocdepth: 2",
    "tab:\tvalue",
    "- item",
    "[unclosed",
    "? complex key\n: value",
];

fn gen_front_matter(rng: &mut Rng) -> String {
    let n = rng.weighted(&[(1, 0usize), (6, 1), (5, 2), (3, 3), (1, 5)]);
    let mut text = String::from(rng.weighted(&[(20, "---\n"), (1, "--- \n"), (1, "\n---\n")]));
    for _ in 0..n {
        text.push_str(rng.pick(YAML_LINES));
        text.push('\n');
    }
    text.push_str(rng.weighted(&[(20, "---"), (2, "---\n"), (1, "--- "), (1, "...")]));
    if rng.chance(5) {
        text = text.replace('\n', "\r\n");
    }
    text
}

/// Strings that stress the YAML emitter and the JSON escaper.
#[rustfmt::skip]
const TRICKY_STRINGS: &[&str] = &[
    "plain", "", " x", "x ", "yes", "No", "on", "OFF", "y", "n", "true", "null", "Null", "~", "1",
    "-1", "+1", "1.5", ".5", "1e3", "1.0e3", "1.0e+3", "0x1F", "0o17", "017", "0b11", "1_000",
    "1:30", ".inf", "-.Inf", ".nan", "2020-01-01", "2020-01-01 10:00:00", "<<", "=", "a: b", "a:b",
    "a:", "a #b", "a#b", "#a", "- a", "-a", "-", "? a", "?a", ":a", "@a", "`a", "!a", "&a", "*a",
    "%a", "|a", ">a", "'a", "\"a", "a'b", "[a", "a]", "{a}", "a,b", "---a", "...a", "--a", "a\tb",
    "\u{7}", "a\u{7f}b", "\u{feff}x", "\u{a0}x", "é", "日本", "😀", "😀\t", "a\\b", "line 1\nline 2",
    "trailing space \nnext", "a\n\nb", "a\n", "\nab", "a\r\nb", "a\u{2028}b", "a\u{85}b", " \n x",
    "it's 'quoted'", "C:\\path\\x", "a/b", "text/html", "hide-input", "remove-output", "\u{1b}[0m",
    "\u{0}", "\u{ffff}", "\u{fffe}", "x\u{85}", "\u{2029}", "'", "''", "\"", "#", "&", "%", "@",
    "`", "{}", "[]", "a,", ",a",
    "tab\tword word word word word word word word word word word word word word word word end",
];

const KEYS: &[(u32, &str)] = &[
    (6, "a"),
    (4, "b"),
    (4, "key"),
    (3, "k"),
    (2, "A"),
    (2, "z"),
    (2, "a-b"),
    (2, "a.b"),
    (2, "a/b"),
    (2, "a_b"),
    (2, "_a"),
    (2, "_private"),
    (2, "2d"),
    (2, "1"),
    (2, "1.5"),
    (2, "@a"),
    (2, "yes"),
    (2, "no"),
    (2, "null"),
    (2, "true"),
    (1, "-"),
    (1, "-a"),
    (1, "..."),
    (1, "---"),
    (1, "2020-01-01"),
    (1, "caption"),
    (1, "title"),
    (1, "note"),
    (1, "name"),
    (1, "format"),
    // invalid at the levels jupytext filters (dropped from the text)
    (2, "my key"),
    (1, "é"),
    (1, "a:b"),
    (1, "key!"),
    (1, ""),
    (1, "a\nb"),
    (1, "😀"),
];

const LONG_KEY: &str = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "0", "1", "-1", "2", "10", "42", "-7", "17e0", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "100000000000000000000", "-0", "1.5", "3.0", "-0.0", "0.1", "1e20",
    "1E+2", "1.10", "1e16", "1e15", "1e-7", "0.0001", "0.00001", "123456789.123", "2.5e-300",
    "1.7976931348623157e308", "5e-324", "1e400", "NaN", "Infinity", "-Infinity",
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "hide-input", "remove-output", "remove-cell", "hide-cell", "full-width", "margin",
    "skip-execution", "raises-exception", "a", "b", "yes", "1", "a b", "é", "😀", "a:b",
    "t00-long-tag-name", "t01-long-tag-name", "t02-long-tag-name", "t03-long-tag-name",
    "t04-long-tag-name", "t05-long-tag-name", "t06-long-tag-name", "t07-long-tag-name",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "word", "a", "the", "notebook", "é", "日本", "😀", "x", "longerword", "--", "#", ":", "'", "\"",
    "\\", ",", "[", "]", "{", "}", "?", "!", "&", "*", "|", ">",
];

const NOTEBOOK_FILTERS: &[&str] = &[
    "-all",
    "all",
    "kernelspec",
    "-kernelspec",
    "all,-language_info",
    "all,-language_info,-widgets",
    "widgets,-kernelspec",
    "toc.base_numbering,language_info.name,-jupytext",
    "all,-language_info.codemirror_mode",
    "-jupytext",
    "title,-all",
    " title , authors ",
    "+title",
    "jupytext.formats,-all",
    "-kernelspec.language",
];

const CELL_FILTERS: &[&str] = &[
    "-all",
    "all",
    "tags",
    "tags,-all",
    "-tags",
    "all,-tags",
    "slideshow.slide_type,-all",
    "all,-slideshow.slide_type",
    "collapsed",
    "jupyter.source_hidden,-all",
    "ExecuteTime,scrolled",
    "-a,-b",
    "a.b,-all",
];

const FORMATS: &[&str] = &[
    "ipynb,md:myst",
    "ipynb,md",
    "ipynb,py:percent",
    "ipynb,.md:myst",
    "ipynb,myst",
    "md:myst,ipynb",
    "notebooks///ipynb,scripts///md:myst",
    "ipynb,_md.md:myst",
    "ipynb,md:myst,py:percent",
];

/// Generate one notebook: most are built to stress the writers, some look like what Jupyter,
/// JupyterLab, VS Code, Colab and papermill write (see [`gen_realistic_notebook`]).
pub fn gen_notebook(rng: &mut Rng) -> GenNotebook {
    if rng.chance(25) {
        return gen_realistic_notebook(rng);
    }
    let nbformat_minor = rng.weighted(&[(70, 5u64), (20, 4), (5, 2), (5, 0)]);
    let metadata = gen_notebook_metadata(rng);
    let ncells = rng.weighted(&[(5, 0usize), (25, 1), (25, 2), (20, 3), (15, 5), (10, 9)]);
    let mut cells = Vec::with_capacity(ncells);
    for index in 0..ncells {
        cells.push(gen_cell(rng, index, nbformat_minor));
    }
    let mut extra = Vec::new();
    if rng.chance(3) {
        extra.push(("x_unknown_top".to_string(), gen_value(rng, 1)));
    }
    GenNotebook {
        nbformat_minor,
        metadata,
        cells,
        extra,
        ascii_escapes: rng.chance(10),
        cells_first: rng.chance(20),
    }
}

fn kernelspec(rng: &mut Rng) -> V {
    let (display, language, name) = rng.pick(&[
        ("Python 3", "python", "python3"),
        ("Python 3 (ipykernel)", "python", "python3"),
        ("R", "R", "ir"),
        ("Julia 1.9.0", "julia", "julia-1.9"),
        ("Bash", "bash", "bash"),
    ]);
    let mut pairs = vec![
        ("display_name".to_string(), V::s(display)),
        ("language".to_string(), V::s(language)),
        ("name".to_string(), V::s(name)),
    ];
    if rng.chance(15) {
        pairs.reverse();
    }
    if rng.chance(10) {
        pairs.push(("env".to_string(), V::Obj(vec![])));
    }
    V::Obj(pairs)
}

fn language_info(rng: &mut Rng) -> V {
    let (name, lexer, version) = rng.pick(&[
        ("python", "ipython3", "3.11.7"),
        ("python", "python", "3.9"),
        ("R", "r", "4.3.1"),
        ("julia", "julia", "1.9.0"),
        ("bash", "bash", "5.2"),
    ]);
    let mut pairs = Vec::new();
    if rng.chance(50) {
        pairs.push((
            "codemirror_mode".to_string(),
            V::obj(&[("name", V::s("ipython")), ("version", V::num("3"))]),
        ));
    }
    if rng.chance(40) {
        pairs.push(("file_extension".to_string(), V::s(".py")));
        pairs.push(("mimetype".to_string(), V::s("text/x-python")));
    }
    pairs.push(("name".to_string(), V::s(name)));
    if rng.chance(70) {
        // an empty or null lexer falls back to jupytext.default_lexer (a falsy `or`)
        let value = rng.weighted(&[(30, V::s(lexer)), (1, V::s("")), (1, V::Null)]);
        pairs.push(("pygments_lexer".to_string(), value));
    }
    if rng.chance(60) {
        pairs.push(("version".to_string(), V::s(version)));
    }
    V::Obj(pairs)
}

fn gen_jupytext_section(rng: &mut Rng) -> V {
    let mut pairs = Vec::new();
    if rng.chance(15) {
        pairs.push((
            "text_representation".to_string(),
            V::obj(&[
                ("extension", V::s(".md")),
                ("format_name", V::s("myst")),
                ("format_version", V::s("9")),
            ]),
        ));
    }
    if rng.chance(55) {
        pairs.push((
            "notebook_metadata_filter".to_string(),
            V::s(rng.weighted(&[(5, "-all"), (4, "other")])),
        ));
        if let Some((_, value)) = pairs.last_mut() {
            if *value == V::s("other") {
                *value = if rng.chance(8) {
                    odd_filter(rng)
                } else {
                    V::s(rng.pick(NOTEBOOK_FILTERS))
                };
            }
        }
    }
    if rng.chance(30) {
        let value = if rng.chance(8) {
            odd_filter(rng)
        } else {
            V::s(rng.pick(CELL_FILTERS))
        };
        pairs.push(("cell_metadata_filter".to_string(), value));
    }
    if rng.chance(30) {
        pairs.push(("formats".to_string(), V::s(rng.pick(FORMATS))));
    }
    if rng.chance(15) {
        pairs.push((
            "default_lexer".to_string(),
            V::s(rng.pick(&["ipython3", "python", "r"])),
        ));
    }
    if rng.chance(10) {
        pairs.push(("main_language".to_string(), V::s("python")));
    }
    if rng.chance(5) {
        pairs.push(("root_level_metadata_filter".to_string(), V::s("-title")));
    }
    if rng.chance(5) {
        pairs.push((
            "root_level_metadata_as_raw_cell".to_string(),
            V::Bool(false),
        ));
    }
    if rng.chance(4) {
        // legacy filters as dictionaries (§1.2)
        pairs.push((
            "metadata_filter".to_string(),
            V::obj(&[
                (
                    "notebook",
                    V::obj(&[
                        ("additional", V::Arr(vec![V::s("title")])),
                        ("excluded", V::s("all")),
                    ]),
                ),
                ("cells", V::obj(&[("excluded", V::s("all"))])),
            ]),
        ));
    }
    if rng.chance(5) {
        pairs.push(("custom".to_string(), gen_value(rng, 1)));
    }
    if rng.chance(10) {
        let n = pairs.len();
        if n > 1 {
            pairs.swap(0, n - 1);
        }
    }
    V::Obj(pairs)
}

/// A filter that is not a string: a boolean, or the legacy dictionary form (§8.2).
fn odd_filter(rng: &mut Rng) -> V {
    match rng.below(4) {
        0 => V::Bool(true),
        1 => V::Bool(false),
        2 => V::obj(&[
            ("additional", V::Arr(vec![V::s("tags"), V::s("title")])),
            ("excluded", V::s("all")),
        ]),
        _ => V::obj(&[
            ("additional", V::s("all")),
            ("excluded", V::Arr(vec![V::s("a")])),
        ]),
    }
}

fn gen_notebook_metadata(rng: &mut Rng) -> Vec<(String, V)> {
    let mut meta: Vec<(String, V)> = Vec::new();
    if rng.chance(55) {
        meta.push(("kernelspec".into(), kernelspec(rng)));
    }
    if rng.chance(50) {
        meta.push(("language_info".into(), language_info(rng)));
    }
    if rng.chance(60) {
        let section = if rng.chance(2) {
            rng.pick(&[V::Null, V::s("x"), V::Arr(vec![]), V::Obj(vec![])])
        } else {
            gen_jupytext_section(rng)
        };
        meta.push(("jupytext".into(), section));
    }
    if rng.chance(3) {
        meta.push(("jupytext_formats".into(), V::s("ipynb,md")));
    }
    if rng.chance(8) {
        meta.push((
            "orphan".into(),
            rng.pick(&[V::Bool(true), V::Bool(false), V::Null]),
        ));
    }
    if rng.chance(8) {
        meta.push(("tocdepth".into(), V::num("2")));
    }
    if rng.chance(5) {
        meta.push(("kernel_info".into(), V::obj(&[("name", V::s("python3"))])));
    }
    if rng.chance(10) {
        let title = gen_string(rng);
        meta.push(("title".into(), V::Str(title)));
    }
    if rng.chance(6) {
        meta.push((
            "authors".into(),
            V::Arr(vec![V::obj(&[
                ("affiliation", V::s("B")),
                ("name", V::s("A")),
            ])]),
        ));
    }
    if rng.chance(6) {
        meta.push((
            "widgets".into(),
            V::obj(&[(
                "application/vnd.jupyter.widget-state+json",
                V::obj(&[("state", V::Obj(vec![])), ("version_major", V::num("2"))]),
            )]),
        ));
    }
    if rng.chance(5) {
        meta.push(("toc".into(), V::obj(&[("base_numbering", V::num("1"))])));
    }
    if rng.chance(4) {
        meta.push(("celltoolbar".into(), V::s("Tags")));
    }
    if rng.chance(5) {
        meta.push(("my title".into(), V::s("x")));
    }
    if rng.chance(3) {
        meta.push(("signature".into(), V::s("sha256:0123")));
    }
    if rng.chance(3) {
        meta.push(("orig_nbformat".into(), V::num("3")));
    }
    if rng.chance(10) {
        let key = gen_key(rng);
        let value = gen_value(rng, 2);
        meta.push((key, value));
    }
    if rng.chance(30) {
        // file order need not be sorted
        let n = meta.len();
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            meta.swap(i, j);
        }
    }
    meta
}

fn gen_key(rng: &mut Rng) -> String {
    if rng.chance(2) {
        return LONG_KEY.to_string();
    }
    rng.weighted(KEYS).to_string()
}

/// A string value: a tricky literal, or words (sometimes long enough to fold), or a mix.
pub fn gen_string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=4 => rng.pick(TRICKY_STRINGS).to_string(),
        5..=6 => {
            let n = rng.range(1, 5);
            (0..n)
                .map(|_| rng.pick(WORDS))
                .collect::<Vec<_>>()
                .join(" ")
        }
        7 => {
            // long, to fold at column 80; sometimes with double spaces or breaks
            let n = rng.range(10, 30);
            let mut text = String::new();
            for i in 0..n {
                if i > 0 {
                    text.push_str(rng.weighted(&[
                        (20, " "),
                        (2, "  "),
                        (1, "\n"),
                        (1, " \n"),
                        (1, "\t"),
                    ]));
                }
                text.push_str(rng.pick(WORDS));
            }
            text
        }
        8 => {
            let a = rng.pick(TRICKY_STRINGS);
            let b = rng.pick(TRICKY_STRINGS);
            format!("{a}{}{b}", rng.pick(&["", " ", "\n", "  "]))
        }
        _ => gen_line(rng).to_string(),
    }
}

/// A JSON value of any type, nested at most `depth` levels.
pub fn gen_value(rng: &mut Rng, depth: usize) -> V {
    let roll = if depth == 0 {
        rng.below(6)
    } else {
        rng.below(9)
    };
    match roll {
        0 => V::Null,
        1 => V::Bool(rng.chance(50)),
        2 => V::num(rng.pick(NUMBERS)),
        3..=5 => V::Str(gen_string(rng)),
        6 | 7 => {
            let n = rng.weighted(&[(2, 0usize), (4, 1), (4, 2), (3, 3), (1, 9)]);
            V::Arr((0..n).map(|_| gen_value(rng, depth - 1)).collect())
        }
        _ => {
            let n = rng.weighted(&[(2, 0usize), (4, 1), (4, 2), (2, 3)]);
            V::Obj(
                (0..n)
                    .map(|_| (gen_nested_key(rng), gen_value(rng, depth - 1)))
                    .collect(),
            )
        }
    }
}

/// Keys below the top level of a metadata mapping are not filtered, so anything goes.
fn gen_nested_key(rng: &mut Rng) -> String {
    if rng.chance(70) {
        gen_key(rng)
    } else {
        rng.pick(TRICKY_STRINGS).to_string()
    }
}

fn gen_line(rng: &mut Rng) -> &'static str {
    rng.weighted(LINES)
}

/// A cell source: lines from the fragment table joined by a line ending, with optional leading
/// and trailing blank lines; or one of the special whole sources.
pub fn gen_source(rng: &mut Rng) -> String {
    if rng.chance(12) {
        return rng.pick(SPECIAL_SOURCES).to_string();
    }
    let eol = rng.weighted(&[(85, "\n"), (8, "\r\n"), (3, "\r"), (4, "mixed")]);
    let n = rng.weighted(&[(10, 1usize), (10, 2), (8, 3), (6, 5), (3, 9)]);
    let mut text = String::new();
    if rng.chance(8) {
        text.push_str(rng.pick(&["\n", "\n\n", " \n", "\t\n"]));
    }
    for i in 0..n {
        if i > 0 {
            let sep = if eol == "mixed" {
                rng.pick(&["\n", "\r\n", "\r", "\u{2028}", "\u{c}"])
            } else {
                eol
            };
            text.push_str(sep);
        }
        text.push_str(gen_line(rng));
    }
    let trailing = rng.weighted(&[(60, 0usize), (25, 1), (10, 2), (5, 3)]);
    for _ in 0..trailing {
        text.push_str(if eol == "mixed" { "\n" } else { eol });
    }
    if rng.chance(5) {
        text.push_str(rng.pick(&["  ", "\t", "\u{a0}", "\u{3000}", " \n "]));
    }
    text
}

fn gen_cell_metadata(rng: &mut Rng, cell_type: &str) -> Vec<(String, V)> {
    let mut meta: Vec<(String, V)> = Vec::new();
    if rng.chance(45) {
        return meta;
    }
    if rng.chance(35) {
        let n = rng.weighted(&[(3, 0usize), (6, 1), (4, 2), (2, 3), (1, 8)]);
        let tags = if rng.chance(5) {
            rng.pick(&[
                V::s("hide-input"),
                V::Null,
                V::Obj(vec![]),
                V::Arr(vec![V::num("1"), V::Null]),
            ])
        } else {
            V::Arr((0..n).map(|_| V::s(rng.pick(TAGS))).collect())
        };
        meta.push(("tags".into(), tags));
    }
    if rng.chance(12) {
        meta.push(("collapsed".into(), V::Bool(rng.chance(50))));
    }
    if rng.chance(10) {
        meta.push((
            "scrolled".into(),
            rng.pick(&[V::Bool(true), V::Bool(false), V::s("auto")]),
        ));
    }
    if rng.chance(10) {
        meta.push((
            "ExecuteTime".into(),
            V::obj(&[
                ("end_time", V::s("2024-01-01T10:00:01.000Z")),
                ("start_time", V::s("2024-01-01T10:00:00.000Z")),
            ]),
        ));
    }
    if rng.chance(8) {
        meta.push((
            "execution".into(),
            V::obj(&[
                ("iopub.execute_input", V::s("2024-01-01T10:00:00.000Z")),
                ("iopub.status.idle", V::s("2024-01-01T10:00:01.000Z")),
            ]),
        ));
    }
    if rng.chance(5) {
        meta.push(("trusted".into(), V::Bool(true)));
    }
    if rng.chance(4) {
        let key = rng.pick(&[
            "autoscroll",
            "lines_to_next_cell",
            "skipline",
            "cell_marker",
            "deletable",
            "editable",
        ]);
        meta.push((
            key.into(),
            rng.pick(&[V::Bool(false), V::num("2"), V::s("\"\"\"")]),
        ));
    }
    if rng.chance(12) {
        let kind = rng.pick(&["slide", "subslide", "fragment", "-", "skip", "notes"]);
        meta.push(("slideshow".into(), V::obj(&[("slide_type", V::s(kind))])));
    }
    if rng.chance(8) {
        meta.push((
            "jupyter".into(),
            V::obj(&[
                ("outputs_hidden", V::Bool(false)),
                ("source_hidden", V::Bool(true)),
            ]),
        ));
    }
    if cell_type == "raw" && rng.chance(25) {
        meta.push((
            "format".into(),
            V::s(rng.pick(&["text/html", "text/latex", "text/markdown", "text/x-python"])),
        ));
    }
    if rng.chance(5) {
        meta.push(("name".into(), V::s(rng.pick(&["my-cell", "yes", "a b"]))));
    }
    let generic = rng.weighted(&[(5, 0usize), (6, 1), (3, 2), (1, 4)]);
    for _ in 0..generic {
        let key = gen_key(rng);
        let depth = rng.range(0, 3);
        let value = gen_value(rng, depth);
        meta.push((key, value));
    }
    if rng.chance(2) && !meta.is_empty() {
        // a duplicate key: Python keeps the last value at the first position
        let (key, _) = meta[0].clone();
        meta.push((key, gen_value(rng, 1)));
    }
    if rng.chance(25) {
        let n = meta.len();
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            meta.swap(i, j);
        }
    }
    meta
}

const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn gen_text_payload(rng: &mut Rng) -> V {
    let text = gen_source(rng);
    if rng.chance(50) {
        V::Arr(split_keep_lf(&text).into_iter().map(V::s).collect())
    } else {
        V::Str(text)
    }
}

fn gen_mime_bundle(rng: &mut Rng) -> V {
    let mut data = vec![("text/plain".to_string(), gen_text_payload(rng))];
    if rng.chance(30) {
        data.push((
            "text/html".to_string(),
            V::Arr(vec![
                V::s("<table>\n"),
                V::s("<tr><td>1</td></tr>\n"),
                V::s("</table>"),
            ]),
        ));
    }
    if rng.chance(25) {
        let png = if rng.chance(50) {
            V::Str(format!("{PNG_B64}\n"))
        } else {
            V::Arr(vec![
                V::s(&PNG_B64[..40]),
                V::Str(format!("{}\n", &PNG_B64[40..])),
            ])
        };
        data.push(("image/png".to_string(), png));
    }
    if rng.chance(10) {
        data.push((
            "application/json".to_string(),
            V::obj(&[
                ("a", V::Arr(vec![V::num("1"), V::s("x\ny")])),
                ("b", V::Null),
            ]),
        ));
    }
    if rng.chance(8) {
        data.push(("image/svg+xml".to_string(), V::s("<svg>\n</svg>\n")));
    }
    if rng.chance(8) {
        data.push((
            "application/javascript".to_string(),
            V::s("var x = 1;\nalert(x)"),
        ));
    }
    if rng.chance(8) {
        data.push((
            "application/vnd.custom+json".to_string(),
            V::Arr(vec![V::s("a\n"), V::s("b")]),
        ));
    }
    V::Obj(data)
}

fn gen_output(rng: &mut Rng) -> V {
    match rng.below(4) {
        0 => V::obj(&[
            ("name", V::s(rng.pick(&["stdout", "stderr"]))),
            ("output_type", V::s("stream")),
            ("text", gen_text_payload(rng)),
        ]),
        1 => V::obj(&[
            ("data", gen_mime_bundle(rng)),
            (
                "execution_count",
                rng.pick(&[V::num("1"), V::Null, V::num("12")]),
            ),
            ("metadata", V::Obj(vec![])),
            ("output_type", V::s("execute_result")),
        ]),
        2 => {
            let meta = if rng.chance(30) {
                V::obj(&[("image/png", V::obj(&[("width", V::num("10"))]))])
            } else {
                V::Obj(vec![])
            };
            V::obj(&[
                ("data", gen_mime_bundle(rng)),
                ("metadata", meta),
                ("output_type", V::s("display_data")),
            ])
        }
        _ => V::obj(&[
            ("ename", V::s("ValueError")),
            ("evalue", V::Str(gen_string(rng))),
            ("output_type", V::s("error")),
            (
                "traceback",
                V::Arr(vec![
                    V::s("\u{1b}[0;31m---------\u{1b}[0m"),
                    V::s("line 1\nline 2"),
                    V::s("ValueError: bad"),
                ]),
            ),
        ]),
    }
}

fn gen_cell(rng: &mut Rng, index: usize, nbformat_minor: u64) -> GenCell {
    let front_matter = index == 0 && rng.chance(10);
    let cell_type = if front_matter {
        "raw"
    } else {
        rng.weighted(&[(40, "markdown"), (45, "code"), (15, "raw")])
    };
    let source = if front_matter {
        if rng.chance(40) {
            rng.pick(FRONT_MATTERS).to_string()
        } else {
            gen_front_matter(rng)
        }
    } else {
        gen_source(rng)
    };
    let source_form = match rng.below(10) {
        0..=4 => SourceForm::Joined,
        5..=8 => SourceForm::Lines,
        _ => {
            let len = source.chars().count();
            let mut cuts: Vec<usize> = (0..rng.range(1, 4)).map(|_| rng.below(len + 1)).collect();
            cuts.sort_unstable();
            SourceForm::Chunks(cuts)
        }
    };
    let id = if nbformat_minor >= 5 {
        Some(if rng.chance(50) {
            format!("cell-{index}")
        } else {
            format!("{:08x}", rng.next_u64() as u32)
        })
    } else {
        None
    };
    let metadata = if front_matter && rng.chance(50) {
        Vec::new()
    } else {
        gen_cell_metadata(rng, cell_type)
    };
    let (outputs, execution_count) = if cell_type == "code" {
        let n = rng.weighted(&[(60, 0usize), (25, 1), (10, 2), (5, 3)]);
        let outputs = (0..n).map(|_| gen_output(rng)).collect();
        let count = if n > 0 || rng.chance(30) {
            V::Num(rng.range(1, 40).to_string())
        } else {
            V::Null
        };
        (Some(outputs), Some(count))
    } else {
        (None, None)
    };
    let attachments = if cell_type != "code" && rng.chance(4) {
        let png = if rng.chance(50) {
            V::s(PNG_B64)
        } else {
            V::Arr(vec![V::s(&PNG_B64[..20]), V::s(&PNG_B64[20..])])
        };
        Some(V::obj(&[("image.png", V::obj(&[("image/png", png)]))]))
    } else {
        None
    };
    let mut extra = Vec::new();
    if rng.chance(2) {
        extra.push(("x_unknown_cell".to_string(), V::num("1")));
    }
    GenCell {
        cell_type,
        id,
        metadata,
        source,
        source_form,
        outputs,
        execution_count,
        attachments,
        extra,
    }
}

// ---------------------------------------------------------------------------------------------
// Realistic notebooks

/// The kernel of a realistic notebook.
#[derive(Clone, Copy, PartialEq)]
enum Kernel {
    Python,
    R,
    Julia,
    Bash,
}

/// The tool that wrote a realistic notebook, which decides the metadata it carries.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Jupyter,
    Lab,
    VsCode,
    Colab,
    Papermill,
}

/// Tags as people write them: the MyST ones, papermill's, and some that need YAML quoting.
#[rustfmt::skip]
const REAL_TAGS: &[&str] = &[
    "hide-input", "hide-output", "hide-cell", "remove-input", "remove-output", "remove-cell",
    "parameters", "injected-parameters", "skip-execution", "raises-exception", "full-width",
    "margin", "thebe-init", "hide_input", "remove_cell", "ästhetik", "a:b", "has space", "#hash",
    "tag,with,comma", "[bracket]", "{brace}", "'quoted'", "\"double\"", "x: y", "- dash", "yes",
    "null", "123", "1.5", "@at", "!bang", "*star", "&amp", "%pct", "|pipe", ">gt", "?q", "`tick`",
    "trailing ", " leading", "UPPER", "日本", "😀", "",
];

#[rustfmt::skip]
const REAL_MARKDOWN: &[&str] = &[
    "# Analysis of the data",
    "## Setup\n\nWe load the libraries first.",
    "### Results\n\n- point one\n- point two with `code`\n- [a link](https://example.org)",
    "The model is $y = ax + b$, fitted with least squares:\n\n$$\n\\hat{a} = \\frac{\\sum x_i y_i}{\\sum x_i^2}\n$$",
    "| col | value |\n|-----|-------|\n| a   | 1     |\n| b   | 2     |",
    "![plot](attachment:image.png)",
    "<div class=\"alert alert-info\">\n<b>Note:</b> this cell is HTML.\n</div>",
    "```python\nprint('a fenced example')\n```",
    "```{note}\nA MyST admonition.\n```",
    ":::{warning}\nColon fence.\n:::",
    "(section-label)=\n## Labelled section",
    "1. first\n2. second\n   - nested\n\n> a quote",
    "Text with trailing spaces  \nand a hard break.",
    "<a href=\"https://colab.research.google.com/github/x/y/blob/main/nb.ipynb\" target=\"_parent\"><img src=\"https://colab.research.google.com/assets/colab-badge.svg\" alt=\"Open In Colab\"/></a>",
    "---\n\nA thematic break above.",
    "Some **bold**, *italic*, ~~struck~~ and a footnote[^1].\n\n[^1]: The note.",
    "",
];

#[rustfmt::skip]
const REAL_PYTHON: &[&str] = &[
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt",
    "%matplotlib inline",
    "%load_ext autoreload\n%autoreload 2",
    "!pip install -q seaborn",
    "%%time\nresult = sum(range(10**6))",
    "df = pd.read_csv(\"data.csv\")\ndf.head()",
    "def f(x):\n    \"\"\"Square.\"\"\"\n    return x ** 2\n\n\nf(3)",
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [4, 5, 6])\nplt.show()",
    "# Parameters\nalpha = 0.5\nepochs = 10\n",
    "for i in range(3):\n    print(i)",
    "x = !ls\nx",
    "%%bash\necho \"hello\"",
    "from google.colab import drive\ndrive.mount('/content/drive')",
    "class Model:\n    pass\n",
    "",
];

#[rustfmt::skip]
const REAL_R: &[&str] = &[
    "library(ggplot2)\nlibrary(dplyr)",
    "df <- read.csv(\"data.csv\")\nhead(df)",
    "ggplot(df, aes(x, y)) + geom_point()",
    "summary(lm(y ~ x, data = df))",
    "x <- c(1, 2, 3)\nmean(x)",
];

#[rustfmt::skip]
const REAL_JULIA: &[&str] = &[
    "using Plots\nusing DataFrames",
    "f(x) = x^2\nf.(1:3)",
    "df = DataFrame(a = 1:3, b = [\"x\", \"y\", \"z\"])",
    "plot(sin, 0, 2π)",
];

#[rustfmt::skip]
const REAL_BASH: &[&str] = &[
    "ls -la",
    "echo $HOME\npwd",
    "for f in *.csv; do\n  wc -l \"$f\"\ndone",
    "cat <<EOF\n---\nnot: yaml\n---\nEOF",
];

#[rustfmt::skip]
const REAL_RAW: &[&str] = &[
    "---\ntitle: Report\nauthor: Jane Doe\ndate: 2024-03-01\n---",
    "---\ntitle: \"Quarterly numbers\"\nsubtitle: Draft\ntags: [finance, q1]\n---",
    "---\njupyter:\n  kernelspec:\n    name: python3\n---",
    ".. note::\n\n   reStructuredText in a raw cell.",
    "\\begin{equation}\nE = mc^2\n\\end{equation}",
    "<!-- an HTML comment -->",
    "",
];

fn real_kernel(rng: &mut Rng) -> Kernel {
    rng.weighted(&[
        (70, Kernel::Python),
        (12, Kernel::R),
        (10, Kernel::Julia),
        (8, Kernel::Bash),
    ])
}

fn real_kernelspec(rng: &mut Rng, kernel: Kernel, tool: Tool) -> V {
    let (display, language, name) = match kernel {
        Kernel::Python => rng.pick(&[
            ("Python 3", "python", "python3"),
            ("Python 3 (ipykernel)", "python", "python3"),
            ("base", "python", "conda-base-py"),
            ("Python [conda env:ml]", "python", "conda-env-ml-py"),
            (".venv", "python", "python3"),
        ]),
        Kernel::R => ("R", "R", "ir"),
        Kernel::Julia => rng.pick(&[
            ("Julia 1.9.3", "julia", "julia-1.9"),
            ("Julia 1.10.0", "julia", "julia-1.10"),
        ]),
        Kernel::Bash => ("Bash", "bash", "bash"),
    };
    if tool == Tool::Colab {
        // Colab writes no language.
        return V::obj(&[("display_name", V::s(display)), ("name", V::s(name))]);
    }
    V::obj(&[
        ("display_name", V::s(display)),
        ("language", V::s(language)),
        ("name", V::s(name)),
    ])
}

fn real_language_info(rng: &mut Rng, kernel: Kernel) -> V {
    match kernel {
        Kernel::Python => V::obj(&[
            (
                "codemirror_mode",
                V::obj(&[("name", V::s("ipython")), ("version", V::num("3"))]),
            ),
            ("file_extension", V::s(".py")),
            ("mimetype", V::s("text/x-python")),
            ("name", V::s("python")),
            ("nbconvert_exporter", V::s("python")),
            ("pygments_lexer", V::s("ipython3")),
            ("version", V::s(rng.pick(&["3.11.7", "3.10.12", "3.12.1"]))),
        ]),
        Kernel::R => V::obj(&[
            ("codemirror_mode", V::s("r")),
            ("file_extension", V::s(".r")),
            ("mimetype", V::s("text/x-r-source")),
            ("name", V::s("R")),
            ("pygments_lexer", V::s("r")),
            ("version", V::s("4.3.2")),
        ]),
        Kernel::Julia => V::obj(&[
            ("file_extension", V::s(".jl")),
            ("mimetype", V::s("application/julia")),
            ("name", V::s("julia")),
            ("version", V::s("1.9.3")),
        ]),
        Kernel::Bash => V::obj(&[
            ("codemirror_mode", V::s("shell")),
            ("file_extension", V::s(".sh")),
            ("mimetype", V::s("text/x-sh")),
            ("name", V::s("bash")),
        ]),
    }
}

fn real_notebook_metadata(rng: &mut Rng, kernel: Kernel, tool: Tool) -> Vec<(String, V)> {
    let mut meta: Vec<(String, V)> = Vec::new();
    match tool {
        Tool::Colab => {
            meta.push((
                "colab".into(),
                V::obj(&[
                    ("collapsed_sections", V::Arr(vec![])),
                    ("name", V::s("Copy of analysis.ipynb")),
                    ("provenance", V::Arr(vec![])),
                    ("toc_visible", V::Bool(true)),
                    ("authorship_tag", V::s("ABX9TyPhAbC+dEf/123")),
                    ("include_colab_link", V::Bool(rng.chance(50))),
                ]),
            ));
            if rng.chance(40) {
                meta.push(("accelerator".into(), V::s("GPU")));
                meta.push(("gpuClass".into(), V::s("standard")));
            }
        }
        Tool::VsCode => {
            meta.push((
                "vscode".into(),
                V::obj(&[(
                    "interpreter",
                    V::obj(&[(
                        "hash",
                        V::s("f3a8d1c2b4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f7a"),
                    )]),
                )]),
            ));
        }
        Tool::Papermill => {
            meta.push((
                "papermill".into(),
                V::obj(&[
                    ("default_parameters", V::Obj(vec![])),
                    ("duration", V::num("3.271828")),
                    ("end_time", V::s("2024-03-01T10:00:03.271828")),
                    ("environment_variables", V::Obj(vec![])),
                    ("exception", V::Null),
                    ("input_path", V::s("template.ipynb")),
                    ("output_path", V::s("output/run 1.ipynb")),
                    (
                        "parameters",
                        V::obj(&[("alpha", V::num("0.5")), ("name", V::s("run: 1"))]),
                    ),
                    ("start_time", V::s("2024-03-01T10:00:00.000000")),
                    ("version", V::s("2.5.0")),
                ]),
            ));
        }
        Tool::Jupyter | Tool::Lab => {}
    }
    if rng.chance(85) {
        meta.push(("kernelspec".into(), real_kernelspec(rng, kernel, tool)));
    }
    if rng.chance(80) {
        meta.push(("language_info".into(), real_language_info(rng, kernel)));
    }
    if tool == Tool::Jupyter && rng.chance(30) {
        meta.push((
            "toc".into(),
            V::obj(&[
                ("base_numbering", V::num("1")),
                ("nav_menu", V::Obj(vec![])),
                ("number_sections", V::Bool(true)),
                ("sideBar", V::Bool(true)),
                ("skip_h1_title", V::Bool(false)),
                ("title_cell", V::s("Table of Contents")),
                ("title_sidebar", V::s("Contents")),
                ("toc_cell", V::Bool(false)),
                ("toc_position", V::Obj(vec![])),
                ("toc_section_display", V::Bool(true)),
                ("toc_window_display", V::Bool(false)),
            ]),
        ));
    }
    if tool == Tool::Jupyter && rng.chance(20) {
        meta.push((
            "varInspector".into(),
            V::obj(&[
                (
                    "cols",
                    V::obj(&[("lenName", V::num("16")), ("lenType", V::num("16"))]),
                ),
                (
                    "kernels_config",
                    V::obj(&[(
                        "python",
                        V::obj(&[
                            ("delete_cmd_postfix", V::s("")),
                            ("delete_cmd_prefix", V::s("del ")),
                            ("library", V::s("var_list.py")),
                            ("varRefreshCmd", V::s("print(var_dic_list())")),
                        ]),
                    )]),
                ),
                (
                    "types_to_exclude",
                    V::Arr(vec![
                        V::s("module"),
                        V::s("function"),
                        V::s("builtin_function_or_method"),
                    ]),
                ),
                ("window_display", V::Bool(false)),
            ]),
        ));
    }
    if tool == Tool::Jupyter && rng.chance(20) {
        meta.push((
            "celltoolbar".into(),
            V::s(rng.pick(&["Slideshow", "Tags", "Edit Metadata", "Raw Cell Format"])),
        ));
    }
    if tool == Tool::Lab && rng.chance(30) {
        meta.push(("toc-autonumbering".into(), V::Bool(true)));
        meta.push(("toc-showcode".into(), V::Bool(false)));
        meta.push(("toc-showmarkdowntxt".into(), V::Bool(false)));
    }
    if matches!(tool, Tool::Jupyter | Tool::Lab | Tool::Colab) && rng.chance(15) {
        meta.push((
            "widgets".into(),
            V::obj(&[(
                "application/vnd.jupyter.widget-state+json",
                V::obj(&[
                    (
                        "state",
                        V::obj(&[(
                            "0a1b2c3d4e5f",
                            V::obj(&[
                                ("model_module", V::s("@jupyter-widgets/controls")),
                                ("model_name", V::s("FloatSliderModel")),
                                ("state", V::obj(&[("value", V::num("0.5"))])),
                            ]),
                        )]),
                    ),
                    ("version_major", V::num("2")),
                    ("version_minor", V::num("0")),
                ]),
            )]),
        ));
    }
    if rng.chance(15) {
        meta.push((
            "jupytext".into(),
            V::obj(&[
                (
                    "formats",
                    V::s(rng.pick(&["ipynb,md:myst", "ipynb,py:percent", "md:myst,ipynb"])),
                ),
                (
                    "text_representation",
                    V::obj(&[
                        ("extension", V::s(".md")),
                        ("format_name", V::s("myst")),
                        ("format_version", V::num("0.13")),
                        ("jupytext_version", V::s("1.16.1")),
                    ]),
                ),
            ]),
        ));
    }
    if rng.chance(8) {
        meta.push((
            "title".into(),
            V::s(rng.pick(&["Analysis", "Report: Q1", "yes"])),
        ));
    }
    meta
}

fn real_source(rng: &mut Rng, kernel: Kernel) -> String {
    let table = match kernel {
        Kernel::Python => REAL_PYTHON,
        Kernel::R => REAL_R,
        Kernel::Julia => REAL_JULIA,
        Kernel::Bash => REAL_BASH,
    };
    rng.pick(table).to_string()
}

fn real_cell_metadata(
    rng: &mut Rng,
    tool: Tool,
    cell_type: &str,
    index: usize,
) -> Vec<(String, V)> {
    let mut meta: Vec<(String, V)> = Vec::new();
    if tool == Tool::Colab {
        meta.push((
            "id".into(),
            V::Str(format!("{:012x}", rng.next_u64() >> 16)),
        ));
        if cell_type == "markdown" && index == 0 {
            meta.push(("colab_type".into(), V::s("text")));
        }
        if cell_type == "code" && rng.chance(50) {
            meta.push((
                "colab".into(),
                V::obj(&[
                    ("base_uri", V::s("https://localhost:8080/")),
                    ("height", V::num("206")),
                ]),
            ));
            meta.push((
                "outputId".into(),
                V::s("1c2d3e4f-aaaa-bbbb-cccc-1234567890ab"),
            ));
            meta.push((
                "executionInfo".into(),
                V::obj(&[
                    ("elapsed", V::num("1234")),
                    ("status", V::s("ok")),
                    ("timestamp", V::num("1709287200000")),
                    ("user_tz", V::num("-60")),
                ]),
            ));
        }
    }
    if tool == Tool::VsCode && cell_type == "code" && rng.chance(20) {
        meta.push((
            "vscode".into(),
            V::obj(&[(
                "languageId",
                V::s(rng.pick(&["python", "sql", "shellscript"])),
            )]),
        ));
    }
    if tool == Tool::Papermill {
        meta.push((
            "papermill".into(),
            V::obj(&[
                ("duration", V::num("0.012")),
                ("end_time", V::s("2024-03-01T10:00:00.512000")),
                ("exception", V::Bool(false)),
                ("start_time", V::s("2024-03-01T10:00:00.500000")),
                ("status", V::s("completed")),
            ]),
        ));
        if cell_type == "code" && rng.chance(40) {
            meta.push((
                "execution".into(),
                V::obj(&[
                    ("iopub.execute_input", V::s("2024-03-01T10:00:00.501000Z")),
                    ("iopub.status.busy", V::s("2024-03-01T10:00:00.500000Z")),
                    ("iopub.status.idle", V::s("2024-03-01T10:00:00.512000Z")),
                    ("shell.execute_reply", V::s("2024-03-01T10:00:00.511000Z")),
                ]),
            ));
        }
    }
    if rng.chance(25) {
        let n = rng.weighted(&[(6, 1usize), (3, 2), (1, 4)]);
        let tags = (0..n).map(|_| V::s(rng.pick(REAL_TAGS))).collect();
        meta.push(("tags".into(), V::Arr(tags)));
    }
    if rng.chance(10) {
        let kind = rng.pick(&["slide", "subslide", "fragment", "-", "skip", "notes"]);
        meta.push(("slideshow".into(), V::obj(&[("slide_type", V::s(kind))])));
    }
    if rng.chance(6) {
        meta.push(("editable".into(), V::Bool(false)));
    }
    if rng.chance(6) {
        meta.push(("deletable".into(), V::Bool(false)));
    }
    if rng.chance(8) {
        let hidden: &[(&str, V)] = if rng.chance(50) {
            &[("source_hidden", V::Bool(true))]
        } else {
            &[
                ("outputs_hidden", V::Bool(true)),
                ("source_hidden", V::Bool(true)),
            ]
        };
        meta.push(("jupyter".into(), V::obj(hidden)));
    }
    if cell_type == "code" && rng.chance(8) {
        meta.push(("collapsed".into(), V::Bool(rng.chance(50))));
    }
    if cell_type == "code" && rng.chance(6) {
        meta.push(("scrolled".into(), rng.pick(&[V::Bool(true), V::s("auto")])));
    }
    if cell_type == "code" && tool == Tool::Jupyter && rng.chance(10) {
        meta.push((
            "ExecuteTime".into(),
            V::obj(&[
                ("end_time", V::s("2024-03-01T10:00:01.000000Z")),
                ("start_time", V::s("2024-03-01T10:00:00.000000Z")),
            ]),
        ));
    }
    if cell_type == "raw" && rng.chance(30) {
        meta.push((
            "raw_mimetype".into(),
            V::s(rng.pick(&["text/restructuredtext", "text/latex", "text/html"])),
        ));
    }
    meta
}

/// A notebook like those Jupyter, JupyterLab, VS Code, Colab or papermill write: consistent
/// kernels (Python, R, Julia, Bash), their metadata, tags and slideshow settings, front matter
/// raw cells, ordinary Markdown and code.
pub fn gen_realistic_notebook(rng: &mut Rng) -> GenNotebook {
    let kernel = real_kernel(rng);
    let tool = rng.weighted(&[
        (30, Tool::Jupyter),
        (25, Tool::Lab),
        (15, Tool::VsCode),
        (20, Tool::Colab),
        (10, Tool::Papermill),
    ]);
    let nbformat_minor = match tool {
        Tool::Colab => 0,
        Tool::Jupyter => rng.pick(&[2, 4, 5]),
        _ => rng.pick(&[4, 5]),
    };
    let metadata = real_notebook_metadata(rng, kernel, tool);
    let ncells = rng.weighted(&[(2, 1usize), (4, 3), (4, 6), (2, 12)]);
    let mut cells = Vec::with_capacity(ncells);
    for index in 0..ncells {
        let cell_type = if index == 0 && rng.chance(12) {
            "raw"
        } else {
            rng.weighted(&[(40, "markdown"), (55, "code"), (5, "raw")])
        };
        let mut source = match cell_type {
            "markdown" => rng.pick(REAL_MARKDOWN).to_string(),
            "code" => real_source(rng, kernel),
            _ => rng.pick(REAL_RAW).to_string(),
        };
        let mut metadata = real_cell_metadata(rng, tool, cell_type, index);
        if tool == Tool::Papermill && cell_type == "code" && index == 1 {
            source = "# Parameters\nalpha = 0.5\nname = \"run: 1\"\n".to_string();
            metadata.push(("tags".into(), V::Arr(vec![V::s("injected-parameters")])));
        }
        let source_form = if rng.chance(70) {
            SourceForm::Lines
        } else {
            SourceForm::Joined
        };
        let id = (nbformat_minor >= 5).then(|| format!("{:08x}", rng.next_u64() as u32));
        let (outputs, execution_count) = if cell_type == "code" {
            let n = rng.weighted(&[(50, 0usize), (35, 1), (15, 2)]);
            let outputs: Vec<V> = (0..n).map(|_| gen_output(rng)).collect();
            let count = if n > 0 || rng.chance(50) {
                V::Num((index + 1).to_string())
            } else {
                V::Null
            };
            (Some(outputs), Some(count))
        } else {
            (None, None)
        };
        let attachments = (cell_type == "markdown" && source.contains("attachment:"))
            .then(|| V::obj(&[("image.png", V::obj(&[("image/png", V::s(PNG_B64))]))]));
        cells.push(GenCell {
            cell_type,
            id,
            metadata,
            source,
            source_form,
            outputs,
            execution_count,
            attachments,
            extra: Vec::new(),
        });
    }
    GenNotebook {
        nbformat_minor,
        metadata,
        cells,
        extra: Vec::new(),
        ascii_escapes: false,
        cells_first: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Shrinking

/// Every notebook one step simpler than `nb`, most drastic first: fewer cells, fewer metadata
/// keys (top level, then nested), simpler values, shorter sources, fewer outputs.
pub fn shrink_candidates(nb: &GenNotebook) -> Vec<GenNotebook> {
    let mut out = Vec::new();
    // drop cells: halves, then one by one
    let n = nb.cells.len();
    if n > 1 {
        for (lo, hi) in [(0, n / 2), (n / 2, n)] {
            let mut c = nb.clone();
            c.cells.drain(lo..hi);
            out.push(c);
        }
    }
    for i in 0..n {
        let mut c = nb.clone();
        c.cells.remove(i);
        out.push(c);
    }
    // notebook metadata, extra keys, encoding tweaks
    for path_candidate in shrink_pairs(&nb.metadata) {
        let mut c = nb.clone();
        c.metadata = path_candidate;
        out.push(c);
    }
    if !nb.extra.is_empty() {
        let mut c = nb.clone();
        c.extra.clear();
        out.push(c);
    }
    if nb.nbformat_minor != 4 {
        // nbformat 4.4: no cell ids, one line less in every cell of the reproduction
        let mut c = nb.clone();
        c.nbformat_minor = 4;
        for cell in &mut c.cells {
            cell.id = None;
        }
        out.push(c);
    }
    if nb.ascii_escapes {
        let mut c = nb.clone();
        c.ascii_escapes = false;
        out.push(c);
    }
    if nb.cells_first {
        let mut c = nb.clone();
        c.cells_first = false;
        out.push(c);
    }
    // cells
    for i in 0..n {
        for cell in shrink_cell(&nb.cells[i]) {
            let mut c = nb.clone();
            c.cells[i] = cell;
            out.push(c);
        }
    }
    out
}

fn shrink_cell(cell: &GenCell) -> Vec<GenCell> {
    let mut out = Vec::new();
    if let Some(outputs) = &cell.outputs {
        if !outputs.is_empty() {
            let mut c = cell.clone();
            c.outputs = Some(Vec::new());
            out.push(c);
            for i in 0..outputs.len() {
                for simpler in shrink_value(&outputs[i]) {
                    let mut c = cell.clone();
                    if let Some(list) = c.outputs.as_mut() {
                        list[i] = simpler;
                    }
                    out.push(c);
                }
            }
        }
    }
    if cell.attachments.is_some() {
        let mut c = cell.clone();
        c.attachments = None;
        out.push(c);
    }
    if !cell.extra.is_empty() {
        let mut c = cell.clone();
        c.extra.clear();
        out.push(c);
    }
    for pairs in shrink_pairs(&cell.metadata) {
        let mut c = cell.clone();
        c.metadata = pairs;
        out.push(c);
    }
    if cell.source_form != SourceForm::Joined {
        let mut c = cell.clone();
        c.source_form = SourceForm::Joined;
        out.push(c);
    }
    for source in shrink_text(&cell.source) {
        let mut c = cell.clone();
        c.source = source;
        out.push(c);
    }
    if cell.cell_type != "markdown" {
        let mut c = cell.clone();
        c.cell_type = "markdown";
        c.outputs = None;
        c.execution_count = None;
        out.push(c);
    }
    if matches!(&cell.execution_count, Some(V::Num(_))) {
        let mut c = cell.clone();
        c.execution_count = Some(V::Null);
        out.push(c);
    }
    out
}

/// Simpler versions of a list of key/value pairs: without one key, with one value simplified.
fn shrink_pairs(pairs: &[(String, V)]) -> Vec<Vec<(String, V)>> {
    let mut out = Vec::new();
    if pairs.len() > 1 {
        out.push(Vec::new());
    }
    for i in 0..pairs.len() {
        let mut c = pairs.to_vec();
        c.remove(i);
        out.push(c);
    }
    for i in 0..pairs.len() {
        for value in shrink_value(&pairs[i].1) {
            let mut c = pairs.to_vec();
            c[i].1 = value;
            out.push(c);
        }
        for key in shrink_text(&pairs[i].0) {
            let mut c = pairs.to_vec();
            c[i].0 = key;
            out.push(c);
        }
    }
    out
}

fn shrink_value(value: &V) -> Vec<V> {
    match value {
        V::Null => Vec::new(),
        V::Bool(_) | V::Num(_) => vec![V::Null],
        V::Str(text) => {
            let mut out = vec![V::Null];
            out.extend(shrink_text(text).into_iter().map(V::Str));
            out
        }
        V::Arr(items) => {
            let mut out = vec![V::Null];
            if !items.is_empty() {
                out.push(V::Arr(Vec::new()));
            }
            for i in 0..items.len() {
                let mut c = items.clone();
                c.remove(i);
                out.push(V::Arr(c));
            }
            for i in 0..items.len() {
                for simpler in shrink_value(&items[i]) {
                    let mut c = items.clone();
                    c[i] = simpler;
                    out.push(V::Arr(c));
                }
            }
            out
        }
        V::Obj(pairs) => {
            let mut out = vec![V::Null];
            out.extend(shrink_pairs(pairs).into_iter().map(V::Obj));
            out
        }
    }
}

/// Shorter texts: without a line (any line ending), then without halves, then without one
/// character (only for short texts, to bound the work).
pub fn shrink_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if text.is_empty() {
        return out;
    }
    out.push(String::new());
    // lines, split after every character Python's splitlines breaks at
    let lines = split_lines_keep_ends(text);
    if lines.len() > 1 {
        for i in 0..lines.len() {
            let mut c = String::new();
            for (j, line) in lines.iter().enumerate() {
                if j != i {
                    c.push_str(line);
                }
            }
            out.push(c);
        }
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 1 {
        let half = chars.len() / 2;
        out.push(chars[half..].iter().collect());
        out.push(chars[..half].iter().collect());
    }
    if chars.len() <= 64 {
        for i in 0..chars.len() {
            let mut c = chars.clone();
            c.remove(i);
            out.push(c.into_iter().collect());
        }
    }
    out.dedup();
    out.retain(|candidate| candidate != text);
    out
}

/// Lines with their terminators, at Python's `str.splitlines` break characters.
fn split_lines_keep_ends(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = match c {
            '\r' => {
                if let Some((_, '\n')) = iter.peek() {
                    iter.next();
                    i + 2
                } else {
                    i + 1
                }
            }
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => i + c.len_utf8(),
            _ => continue,
        };
        out.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Shrink `start` while `still_fails` holds, trying candidates greedily (first simpler candidate
/// that still fails is taken) until none does or `budget` checks were spent.
pub fn shrink<F>(start: GenNotebook, budget: usize, mut still_fails: F) -> (GenNotebook, usize)
where
    F: FnMut(&GenNotebook) -> bool,
{
    let mut current = start;
    let mut spent = 0;
    'outer: loop {
        for candidate in shrink_candidates(&current) {
            if spent >= budget {
                break 'outer;
            }
            spent += 1;
            if still_fails(&candidate) {
                current = candidate;
                continue 'outer;
            }
        }
        break;
    }
    (current, spent)
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_per_case() {
        for index in 0..50 {
            let a = gen_notebook(&mut Rng::for_case(7, index)).to_json();
            let b = gen_notebook(&mut Rng::for_case(7, index)).to_json();
            assert_eq!(a, b);
        }
        let a = gen_notebook(&mut Rng::for_case(7, 1)).to_json();
        let b = gen_notebook(&mut Rng::for_case(8, 1)).to_json();
        assert_ne!(a, b, "different seeds should give different notebooks");
    }

    #[test]
    fn json_text_is_one_line_of_valid_json() {
        for index in 0..500 {
            let nb = gen_notebook(&mut Rng::for_case(1, index));
            let text = nb.to_json();
            assert!(
                !text.contains('\n') && !text.contains('\r'),
                "raw line break in case {index}"
            );
            // serde_json rejects NaN/Infinity and keeps the last duplicate key: compare only the
            // cases it can read, on structure.
            if text.contains("NaN") || text.contains("Infinity") || text.contains("1e400") {
                continue;
            }
            let parsed: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("case {index} is not JSON ({e}): {text}"));
            let cells = parsed["cells"].as_array().expect("cells");
            assert_eq!(cells.len(), nb.cells.len());
            for (cell, generated) in cells.iter().zip(&nb.cells) {
                let source = match &cell["source"] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(items) => {
                        items.iter().map(|i| i.as_str().unwrap_or("")).collect()
                    }
                    other => panic!("source {other:?}"),
                };
                assert_eq!(source, generated.source, "case {index}");
            }
        }
    }

    #[test]
    fn generator_reaches_the_hard_cases() {
        let mut seen = std::collections::BTreeMap::<&str, usize>::new();
        type Probe = (&'static str, fn(&GenNotebook, &str) -> bool);
        let probes: &[Probe] = &[
            ("markdown", |nb, _| {
                nb.cells.iter().any(|c| c.cell_type == "markdown")
            }),
            ("code", |nb, _| {
                nb.cells.iter().any(|c| c.cell_type == "code")
            }),
            ("raw", |nb, _| nb.cells.iter().any(|c| c.cell_type == "raw")),
            ("no cells", |nb, _| nb.cells.is_empty()),
            ("backticks at line start", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.source.lines().any(|l| l.starts_with("````")))
            }),
            ("indented backticks", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains("\n  ```"))
            }),
            ("+++ line", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.source.lines().any(|l| l == "+++"))
            }),
            ("--- start", |nb, _| {
                nb.cells.iter().any(|c| c.source.starts_with("---"))
            }),
            (": start", |nb, _| {
                nb.cells.iter().any(|c| c.source.starts_with(':'))
            }),
            ("{code-cell} in markdown", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.cell_type == "markdown" && c.source.contains("{code-cell}"))
            }),
            ("magics", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.source.contains("%%bash") || c.source.contains("!pip"))
            }),
            ("astral", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.source.chars().any(|ch| ch as u32 > 0xffff))
            }),
            ("form feed", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains('\u{c}'))
            }),
            ("vertical tab", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains('\u{b}'))
            }),
            ("NEL", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains('\u{85}'))
            }),
            ("U+2028", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains('\u{2028}'))
            }),
            ("CRLF", |nb, _| {
                nb.cells.iter().any(|c| c.source.contains("\r\n"))
            }),
            ("lone CR", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.source.contains("\rx") || c.source.contains("\rc"))
            }),
            ("trailing NBSP", |nb, _| {
                nb.cells.iter().any(|c| c.source.ends_with('\u{a0}'))
            }),
            ("empty source", |nb, _| {
                nb.cells.iter().any(|c| c.source.is_empty())
            }),
            ("whitespace-only source", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| !c.source.is_empty() && c.source.chars().all(char::is_whitespace))
            }),
            ("tags", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.metadata.iter().any(|(k, _)| k == "tags"))
            }),
            ("collapsed", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.metadata.iter().any(|(k, _)| k == "collapsed"))
            }),
            ("ExecuteTime", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.metadata.iter().any(|(k, _)| k == "ExecuteTime"))
            }),
            ("invalid cell key", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.metadata.iter().any(|(k, _)| k == "my key"))
            }),
            ("nested map", |_, json| json.contains(": {\"")),
            ("cell key needing quotes", |nb, _| {
                nb.cells.iter().any(|c| {
                    c.metadata
                        .iter()
                        .any(|(k, _)| ["yes", "null", "1", "@a"].contains(&k.as_str()))
                })
            }),
            ("long string in cell metadata", |nb, _| {
                nb.cells.iter().any(|c| {
                    c.metadata
                        .iter()
                        .any(|(_, v)| matches!(v, V::Str(s) if s.chars().count() > 80))
                })
            }),
            ("front matter with a date", |nb, _| {
                nb.cells
                    .first()
                    .is_some_and(|c| c.cell_type == "raw" && c.source.contains("date: 2024"))
            }),
            ("kernelspec", |nb, _| {
                nb.metadata.iter().any(|(k, _)| k == "kernelspec")
            }),
            ("language_info with lexer", |_, json| {
                json.contains("pygments_lexer")
            }),
            ("language_info without lexer", |nb, _| {
                nb.metadata.iter().any(|(k, v)| {
                    k == "language_info"
                        && matches!(v, V::Obj(p) if !p.iter().any(|(k, _)| k == "pygments_lexer"))
                })
            }),
            ("cell filter", |_, json| {
                json.contains("cell_metadata_filter")
            }),
            ("notebook filter -all", |_, json| {
                json.contains("\"notebook_metadata_filter\": \"-all\"")
            }),
            ("formats", |_, json| json.contains("\"formats\"")),
            ("front matter raw cell", |nb, _| {
                nb.cells
                    .first()
                    .is_some_and(|c| c.cell_type == "raw" && c.source.starts_with("---\ntitle"))
            }),
            ("ascii escapes", |nb, _| nb.ascii_escapes),
            ("nbformat 4.4", |nb, _| nb.nbformat_minor == 4),
            ("outputs", |nb, _| {
                nb.cells
                    .iter()
                    .any(|c| c.outputs.as_ref().is_some_and(|o| !o.is_empty()))
            }),
            ("NaN", |_, json| json.contains("NaN")),
            ("big int", |_, json| json.contains("100000000000000000000")),
            // realistic notebooks
            ("Colab", |_, json| {
                json.contains("\"colab\": {\"collapsed_sections\"")
            }),
            ("VS Code", |_, json| {
                json.contains("\"vscode\": {\"interpreter\"")
            }),
            ("papermill", |_, json| {
                json.contains("\"injected-parameters\"")
            }),
            ("varInspector", |_, json| json.contains("\"varInspector\"")),
            ("toc extension", |_, json| {
                json.contains("\"toc_window_display\"")
            }),
            ("R kernel", |_, json| json.contains("\"name\": \"ir\"")),
            ("Julia kernel", |_, json| {
                json.contains("\"name\": \"julia-1.")
            }),
            ("Bash kernel", |_, json| json.contains("\"name\": \"bash\"")),
            ("tag with odd characters", |_, json| {
                json.contains("\"tag,with,comma\"")
            }),
            ("source_hidden", |_, json| {
                json.contains("\"source_hidden\": true")
            }),
            ("editable", |_, json| json.contains("\"editable\": false")),
        ];
        for index in 0..2000 {
            let nb = gen_notebook(&mut Rng::for_case(3, index));
            let json = nb.to_json();
            for (name, probe) in probes {
                if probe(&nb, &json) {
                    *seen.entry(name).or_default() += 1;
                }
            }
        }
        let missing: Vec<&str> = probes
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !seen.contains_key(n))
            .collect();
        assert!(
            missing.is_empty(),
            "never generated in 2000 cases: {missing:?} (seen: {seen:?})"
        );
    }

    #[test]
    fn shrinker_reaches_a_minimal_notebook() {
        // Pretend the writer fails on any source holding a form feed: the shrinker must end with
        // one cell whose source is just the form feed, and no metadata.
        let fails = |nb: &GenNotebook| nb.cells.iter().any(|c| c.source.contains('\u{c}'));
        let start = (0..10_000)
            .map(|i| gen_notebook(&mut Rng::for_case(11, i)))
            .find(|nb| fails(nb) && nb.cells.len() > 2 && !nb.metadata.is_empty())
            .expect("a notebook with a form feed");
        let (small, _) = shrink(start, 100_000, fails);
        assert_eq!(small.cells.len(), 1);
        assert_eq!(small.cells[0].source, "\u{c}");
        assert!(small.cells[0].metadata.is_empty());
        assert!(small.metadata.is_empty());
        assert_eq!(small.cells[0].cell_type, "markdown");
    }

    #[test]
    fn split_lines_follows_python() {
        assert_eq!(
            split_lines_keep_ends("a\r\nb\rc\u{2028}d\u{c}e\n"),
            vec!["a\r\n", "b\r", "c\u{2028}", "d\u{c}", "e\n"]
        );
        assert_eq!(split_lines_keep_ends("x"), vec!["x"]);
        assert!(split_lines_keep_ends("").is_empty());
    }
}
