//! YAML reading with PyYAML `safe_load` semantics (YAML 1.1 scalar resolution), into [`Json`].
//!
//! The syntax is parsed by `saphyr-parser` (a YAML 1.2 parser); everything where PyYAML reads
//! YAML differently is handled here:
//!
//! - characters PyYAML refuses anywhere in the stream (control characters, `\u{fffe}`, ...) are
//!   errors, as are tabs outside quoted scalars, comments and block scalar text (PyYAML's
//!   scanner lets no token start with a tab), anchor names outside `[0-9A-Za-z_-]`, anchors
//!   defined twice, empty keys without `?`, implicit keys over several lines;
//! - `\r\n`, `\r` and NEL (`\u{85}`) are line breaks read as `\n`; LINE SEPARATOR and PARAGRAPH
//!   SEPARATOR are line breaks that stay in the scalar where they break it;
//! - where the parser refuses what PyYAML reads (less indented lines inside quoted scalars or
//!   flow collections, `{}#comment`, `[-]`, `[?a]`, `&anchor: value`), the text is rewritten to
//!   an equivalent the parser accepts and parsed again;
//! - plain scalars are typed with YAML 1.1 rules (`yes`/`off` booleans, `017` octal, `0x`, `0b`,
//!   `1_000`, base 60 `1:30`, PyYAML's float pattern, `~`/`null`/empty), quoted ones stay strings;
//! - anchors and aliases are expanded, `<<` merge keys are applied (PyYAML 6.0.4 order), a
//!   duplicate key keeps its first position and its last value;
//! - keys that are not strings become the text Python's `json` module writes for them (`1`,
//!   `1.5`, `true`, `null`), marked as not strings on demand so that they are written back as
//!   PyYAML writes them; keys equal in Python (`1`, `1.0`, `true`) are the same key. (jupytext
//!   itself fails on such keys when it writes the `.ipynb`: nbformat wants string keys.)
//! - on demand, only the first document of a stream is read, as `next(yaml.safe_load_all(..))`
//!   reads it (jupytext's front matter raw cell): where that document ends is PyYAML's decision,
//!   and of what follows only the tokens PyYAML's scanner reads ahead are checked, with its rules
//!   (`lookahead`).
//!
//! Values that have no JSON form are errors: dates and timestamps (jupytext reads them as Python
//! dates and then fails writing the `.ipynb`: "Object of type date is not JSON serializable"),
//! `!!binary`, `!!set`, lists or mappings used as keys, recursive aliases, documents that
//! expand past a million nodes.
//!
//! Known differences, all on text no tool writes: nesting deeper than 255 levels is refused
//! (PyYAML goes to about 450); a LINE/PARAGRAPH SEPARATOR inside a block scalar is refused; a
//! few constructs PyYAML reads are refused (`[a -]`-like plain scalars in flow collections, an
//! indented plain `---` continuing a scalar, `[?"quoted"]`), and a flow entry `: x` on the line after `[? a, b` is read where
//! PyYAML fails. When only the first document is read, a quoted scalar whose last line is less
//! indented than its key and goes on after the closing quote may end the document elsewhere
//! than PyYAML does. The differential tests against PyYAML find about one such text in 10,000
//! randomly edited documents.

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::yaml::{implicit_tag, python_float_repr, ImplicitTag, NON_STRING_KEY};
use crate::notebook::{Json, Map};

mod lookahead;

/// A YAML document that PyYAML would refuse (or that has no JSON form, such as a date).
#[derive(Debug, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct YamlError {
    pub message: String,
    /// 1-based line of the offending character or node.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl YamlError {
    fn at(message: impl Into<String>, mark: Mark) -> YamlError {
        YamlError {
            message: message.into(),
            line: mark.line,
            column: mark.column,
        }
    }
}

/// A 1-based position in the text.
#[derive(Clone, Copy, Debug, Default)]
struct Mark {
    line: usize,
    column: usize,
}

/// Expanded aliases may not make a document larger than this many nodes.
const MAX_NODES: usize = 1_000_000;

/// Collections nested deeper than this are refused (PyYAML itself stops near 450 levels, when
/// Python's recursion limit is reached).
const MAX_DEPTH: usize = 400;

/// Parse a YAML document the way PyYAML's `safe_load` does. An empty document is `null`.
pub fn load(text: &str) -> Result<Json, YamlError> {
    load_with(text, LoadOptions::default())
}

/// What [`load_with`] reads, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Read the first document of the stream only, as `next(yaml.safe_load_all(text))` does:
    /// the document ends where PyYAML's parser finds its end (a `---` or `...` line, a `%`
    /// directive at column 0, a line indented less than a block mapping that does not start at
    /// column 0, the end of a flow collection) and what follows is not parsed. Only the
    /// token PyYAML's scanner reads ahead there is checked (a character that cannot start a
    /// token, an unterminated quoted scalar, a bad directive...).
    pub first_document: bool,
    /// Keep keys that are not strings apart from string keys: such a key is
    /// [`NON_STRING_KEY`] followed by its `json` text, which the emitter writes back as PyYAML
    /// writes the original key. Without it, the key is only its `json` text.
    pub mark_non_string_keys: bool,
}

/// Parse YAML the way PyYAML does, with [`LoadOptions`].
pub fn load_with(text: &str, options: LoadOptions) -> Result<Json, YamlError> {
    check_characters(text)?;
    let mut source = Source::new(text);
    let mut retries = 0;
    let root = loop {
        match compose(&source, options.first_document) {
            Ok(root) => break root,
            Err(Compose::Error(e)) => return Err(e),
            Err(Compose::Edit { at, error }) => {
                retries += 1;
                if retries > MAX_RETRIES || at.is_empty() {
                    return Err(error);
                }
                for (index, text) in at.iter().rev() {
                    source.insert(*index, text);
                }
            }
        }
    };
    let Some(root) = root else {
        return Ok(Json::Null);
    };
    let mut constructor = Constructor { nodes: 0 };
    let value = constructor.construct(&root, 0)?;
    value.into_json(root.mark, options.mark_non_string_keys)
}

/// How many times the text may be edited where PyYAML reads it and the YAML 1.2 parser does not.
const MAX_RETRIES: usize = 256;

/// Why composing stopped.
enum Compose {
    Error(YamlError),
    /// The parser refuses something PyYAML reads: insert each `(index, text)` of `at` (in
    /// ascending order) to say the same in a way the parser accepts, and parse again; `error` if
    /// that cannot be done. Used for indentation PyYAML ignores (inside quoted scalars and flow
    /// collections), a comment right after a token, `[-]`, and `[?a]`.
    Edit {
        at: Vec<(usize, String)>,
        error: YamlError,
    },
}

impl From<YamlError> for Compose {
    fn from(e: YamlError) -> Compose {
        Compose::Error(e)
    }
}

/// PyYAML's reader accepts only tab, line breaks and printable characters.
fn check_characters(text: &str) -> Result<(), YamlError> {
    let mut mark = Mark { line: 1, column: 1 };
    let mut previous_cr = false;
    for c in text.chars() {
        let printable = matches!(c,
            '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        if !printable {
            return Err(YamlError::at(
                format!(
                    "unacceptable character #x{:04x}: special characters are not allowed",
                    c as u32
                ),
                mark,
            ));
        }
        if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
            && !(c == '\n' && previous_cr)
        {
            mark.line += 1;
            mark.column = 0;
        } else if c == '\n' {
            // The `\n` of `\r\n`: the line was counted at the `\r`.
            mark.column = 0;
        }
        previous_cr = c == '\r';
        mark.column += 1;
    }
    Ok(())
}

/// The text as the parser sees it: a leading BOM dropped, every line break turned into `\n`.
/// LINE SEPARATOR and PARAGRAPH SEPARATOR are remembered by position, since they stay in the
/// scalars they break.
struct Source {
    text: String,
    chars: Vec<char>,
    /// Character index in `text` -> the separator that stood there.
    separators: HashMap<usize, char>,
    /// Index of the first character of each line.
    line_starts: Vec<usize>,
}

impl Source {
    fn new(original: &str) -> Source {
        let original = original.strip_prefix('\u{feff}').unwrap_or(original);
        let mut chars = Vec::with_capacity(original.len());
        let mut separators = HashMap::new();
        let mut iter = original.chars().peekable();
        while let Some(c) = iter.next() {
            match c {
                '\r' => {
                    if iter.peek() == Some(&'\n') {
                        iter.next();
                    }
                    chars.push('\n');
                }
                '\u{85}' => chars.push('\n'),
                '\u{2028}' | '\u{2029}' => {
                    separators.insert(chars.len(), c);
                    chars.push('\n');
                }
                _ => chars.push(c),
            }
        }
        let mut source = Source {
            text: String::new(),
            chars,
            separators,
            line_starts: Vec::new(),
        };
        source.refresh();
        source
    }

    /// Recompute `text` and `line_starts` from `chars`.
    fn refresh(&mut self) {
        self.text = self.chars.iter().collect();
        self.line_starts = std::iter::once(0)
            .chain(
                self.chars
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == '\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
    }

    fn mark(&self, index: usize) -> Mark {
        let index = index.min(self.chars.len());
        let line = self.line_starts.partition_point(|start| *start <= index);
        Mark {
            line,
            column: index - self.line_starts[line - 1] + 1,
        }
    }

    /// Insert `text` at character `index` (see [`Compose::Edit`]).
    fn insert(&mut self, index: usize, text: &str) {
        let index = index.min(self.chars.len());
        let n = text.chars().count();
        self.chars.splice(index..index, text.chars());
        self.separators = self
            .separators
            .drain()
            .map(|(i, c)| (if i >= index { i + n } else { i }, c))
            .collect();
        self.refresh();
    }

    /// The text up to character `end`.
    fn truncated(&self, end: usize) -> Source {
        let end = end.min(self.chars.len());
        let mut source = Source {
            text: String::new(),
            chars: self.chars[..end].to_vec(),
            separators: self
                .separators
                .iter()
                .filter(|(i, _)| **i < end)
                .map(|(i, c)| (*i, *c))
                .collect(),
            line_starts: Vec::new(),
        };
        source.refresh();
        source
    }

    fn line_start(&self, index: usize) -> usize {
        let index = index.min(self.chars.len());
        self.line_starts[self.line_starts.partition_point(|start| *start <= index) - 1]
    }

    fn has_separator(&self, start: usize, end: usize) -> bool {
        !self.separators.is_empty() && (start..end).any(|i| self.separators.contains_key(&i))
    }

    /// The line break at `index` as PyYAML keeps it in a scalar.
    fn line_break(&self, index: usize) -> char {
        self.separators.get(&index).copied().unwrap_or('\n')
    }
}

/// A node of the document, before construction. Aliases share the anchored node.
#[derive(Debug)]
struct Node {
    kind: NodeKind,
    tag: Option<String>,
    mark: Mark,
}

/// A key node and its value node.
type Pair = (Rc<Node>, Rc<Node>);

#[derive(Debug)]
enum NodeKind {
    Scalar { value: String, plain: bool },
    Sequence(Vec<Rc<Node>>),
    Mapping(Vec<Pair>),
}

/// The text of a scalar, where the token checks of [`check_tokens`] do not look.
#[derive(Clone, Copy)]
enum Zone {
    /// A quoted scalar, quotes included: tabs allowed.
    Quoted { start: usize, end: usize },
    /// A plain scalar: tabs refused.
    Plain { start: usize, end: usize },
    /// A block scalar's text: tabs allowed past the indentation.
    Block {
        start: usize,
        end: usize,
        indent: usize,
    },
}

fn parse_error(source: &Source, error: &saphyr_parser::ScanError) -> YamlError {
    let marker = error.marker();
    let mark = source.mark(marker.index());
    YamlError::at(error.info().to_owned(), mark)
}

/// A collection being composed.
struct Open {
    anchor: usize,
    tag: Option<String>,
    mark: Mark,
    flow: bool,
    is_map: bool,
    children: Vec<Rc<Node>>,
}

/// The index just past the closing quote of the quoted scalar opening at `start`, and the
/// starts of its continuation lines.
fn quoted_extent(chars: &[char], start: usize) -> (usize, Vec<usize>) {
    let quote = chars[start];
    let mut lines = Vec::new();
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            if quote == '\'' && chars.get(i + 1) == Some(&'\'') {
                i += 2;
                continue;
            }
            return (i + 1, lines);
        }
        if quote == '"' && c == '\\' && chars.get(i + 1) != Some(&'\n') {
            i += 2;
            continue;
        }
        if c == '\n' {
            lines.push(i + 1);
        }
        i += 1;
    }
    (chars.len(), lines)
}

/// An edit that makes the parser accept what PyYAML reads (see [`Compose::Edit`]).
fn parser_fix(source: &Source, error: &saphyr_parser::ScanError) -> Option<Compose> {
    let index = error.marker().index();
    let info = error.info();
    let edit = |at: Vec<(usize, String)>| {
        Some(Compose::Edit {
            at,
            error: parse_error(source, error),
        })
    };
    match info {
        "invalid indentation in quoted scalar"
            if matches!(source.chars.get(index), Some('\'' | '"')) =>
        {
            // `index` is the opening quote: indent every continuation line up to its column.
            let column = index - source.line_start(index);
            let (_, lines) = quoted_extent(&source.chars, index);
            for &line in &lines {
                let text = &source.chars[line..];
                let marker =
                    text.starts_with(&['-', '-', '-']) || text.starts_with(&['.', '.', '.']);
                if marker && text.get(3).is_none_or(|c| matches!(c, ' ' | '\t' | '\n')) {
                    return Some(Compose::Error(YamlError::at(
                        "while scanning a quoted scalar: found unexpected document separator",
                        source.mark(line),
                    )));
                }
            }
            edit(
                lines
                    .into_iter()
                    .map(|line| (line, " ".repeat(column + 1)))
                    .collect(),
            )
        }
        "invalid indentation in flow construct" => {
            edit(vec![(source.line_start(index), " ".to_owned())])
        }
        // Raised only inside flow collections, where PyYAML ignores indentation.
        "invalid indentation" => edit(vec![(source.line_start(index), " ".to_owned())]),
        // A tab starting a continuation line of a quoted scalar: indent it with spaces first
        // (anywhere else the tab stays an error of `check_tokens`).
        "tab cannot be used as indentation" => {
            edit(vec![(source.line_start(index), " ".to_owned())])
        }
        // `{}#c`: a comment for PyYAML, but not `|#` (a block scalar header).
        "comments must be separated from other tokens by whitespace"
            if source.chars.get(index) == Some(&'#')
                && !source.chars[..index]
                    .iter()
                    .rev()
                    .find(|c| !(c.is_ascii_digit() || matches!(c, '+' | '-')))
                    .is_some_and(|c| matches!(c, '|' | '>')) =>
        {
            edit(vec![(index, " ".to_owned())])
        }
        "expected whitespace"
            if index == source.chars.len() && source.chars.last() == Some(&'?') =>
        {
            edit(vec![(index, " ".to_owned())])
        }
        "':' may not precede any of `[{` in flow mapping"
            if source.chars.get(index) == Some(&':') =>
        {
            edit(vec![(index + 1, " ".to_owned())])
        }
        // `[-]`: a plain `-` for PyYAML, said `['-']` (only where a token starts).
        "plain scalar cannot start with '-' followed by ,[]{}"
            if source.chars.get(index) == Some(&'-')
                && source.chars[..index]
                    .iter()
                    .rev()
                    .find(|c| **c != ' ')
                    .is_none_or(|c| matches!(c, '[' | '{' | ',' | '\n')) =>
        {
            edit(vec![(index, "'".to_owned()), (index + 1, "'".to_owned())])
        }
        // `key:` then a block scalar header no more indented than the key: PyYAML reads the
        // block scalar as the value, the parser wants the header indented further.
        "simple key expect ':'" => block_header_at_key_indent(source, index)
            .and_then(|header| edit(vec![(header, " ".to_owned())])),
        _ => anchor_before_colon(source, index).map(|at| Compose::Edit {
            at: vec![(at, " ".to_owned())],
            error: parse_error(source, error),
        }),
    }
}

/// The `|` or `>` header of the block scalar that ends before `index` when it is no more
/// indented than the key it is the value of (`key:` alone on the line before, maybe with
/// blank or comment lines between): PyYAML reads the block scalar as the value, the parser
/// wants the header indented further.
fn block_header_at_key_indent(source: &Source, index: usize) -> Option<usize> {
    let chars = &source.chars;
    let indent_of = |start: usize| chars[start..].iter().take_while(|c| **c == ' ').count();
    let mut line = source.line_start(index);
    // Back over the block scalar's text (blank lines, or lines indented past the header).
    let mut text_indent = usize::MAX;
    let header = loop {
        if line == 0 {
            return None;
        }
        line = source.line_start(line - 1);
        let indent = indent_of(line);
        match chars.get(line + indent) {
            None | Some('\n') => continue,
            Some('|' | '>') if indent < text_indent => break line + indent,
            _ => text_indent = text_indent.min(indent),
        }
    };
    let header_indent = header - source.line_start(header);
    // The line before: `key:` at the header's indentation.
    let mut before = source.line_start(header);
    loop {
        if before == 0 {
            return None;
        }
        let end = before - 1;
        before = source.line_start(end);
        let line = &chars[before..end];
        let comment = line
            .iter()
            .enumerate()
            .position(|(k, c)| *c == '#' && (k == 0 || matches!(line[k - 1], ' ' | '\t')));
        let text: String = line[..comment.unwrap_or(line.len())].iter().collect();
        let text = text.trim_end_matches([' ', '\t']);
        if text.trim_start().is_empty() {
            continue;
        }
        // The key's column: past the indentation and any `- ` of sequence entries.
        let mut key_indent = 0;
        let chars_of: Vec<char> = text.chars().collect();
        loop {
            while chars_of.get(key_indent) == Some(&' ') {
                key_indent += 1;
            }
            if chars_of.get(key_indent) == Some(&'-') && chars_of.get(key_indent + 1) == Some(&' ')
            {
                key_indent += 1;
            } else {
                break;
            }
        }
        return (text.ends_with(':') && key_indent == header_indent).then_some(header);
    }
}

/// The last `&name:` before `index` where `&` starts a token: PyYAML ends the anchor name at
/// the `:`, the parser does not. Returns where to put a space.
fn anchor_before_colon(source: &Source, index: usize) -> Option<usize> {
    let chars = &source.chars[..index.min(source.chars.len())];
    (0..chars.len()).rev().find_map(|amp| {
        if chars[amp] != '&'
            || !(amp == 0 || matches!(chars[amp - 1], ' ' | '\n' | '[' | '{' | ','))
        {
            return None;
        }
        let name_len = chars[amp + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .count();
        let colon = amp + 1 + name_len;
        (name_len > 0 && source.chars.get(colon) == Some(&':')).then_some(colon)
    })
}

/// Whether an empty key at `index` follows a `?` indicator (PyYAML accepts an empty key only
/// there, or with an anchor or tag).
fn follows_question_mark(source: &Source, index: usize) -> bool {
    let mut i = index.min(source.chars.len());
    loop {
        while i > 0 && matches!(source.chars[i - 1], ' ' | '\t') {
            i -= 1;
        }
        if i > 0 && source.chars[i - 1] == '\n' {
            // Go to the end of the previous line, dropping a comment.
            let end = i - 1;
            let start = source.line_start(end);
            let line = &source.chars[start..end];
            let comment = line
                .iter()
                .enumerate()
                .position(|(k, c)| *c == '#' && (k == 0 || matches!(line[k - 1], ' ' | '\t')));
            i = start + comment.unwrap_or(line.len());
            continue;
        }
        // An indicator `?` stands alone: white space or a flow indicator before it.
        return i > 0
            && source.chars[i - 1] == '?'
            && (i == 1 || matches!(source.chars[i - 2], ' ' | '\t' | '\n' | '[' | '{' | ','));
    }
}

/// Build the node tree of the single document (or of the first one), checking what the parser
/// lets through and PyYAML does not.
fn compose(source: &Source, first_document: bool) -> Result<Option<Rc<Node>>, Compose> {
    let parsed = parse(source, first_document, true)?;
    check_tokens(source, &parsed.zones, parsed.limit)?;
    Ok(parsed.root)
}

/// How the root node of a document ends.
#[derive(Clone, Copy, Debug)]
struct RootEnd {
    /// Where it ends: after a scalar or a flow collection; for a block collection, where the
    /// token that ends it starts.
    at: usize,
    /// The column of a block collection: only a token less indented (or a document marker,
    /// a directive, the end of the text) ends it.
    block_column: Option<usize>,
    /// Where a collection starts (its opening bracket, for a flow one).
    opened: usize,
    /// Whether the root is a collection rather than a scalar.
    collection: bool,
}

/// The node tree of a document, before the checks of [`check_tokens`].
struct Parsed {
    root: Option<Rc<Node>>,
    root_end: Option<RootEnd>,
    zones: Vec<Zone>,
    /// The end of the text PyYAML's scanner reads.
    limit: usize,
}

/// Parse the single document of the stream, or its first document; `may_cut`: see
/// [`first_document_before`].
fn parse(source: &Source, first_document: bool, may_cut: bool) -> Result<Parsed, Compose> {
    let mut parser = Parser::new_from_str(&source.text);
    // The end of the text PyYAML's scanner reads: all of it, unless only the first document
    // is read.
    let mut limit = source.chars.len();
    let mut root_end: Option<RootEnd> = None;
    // Where the root starts when it is a collection, and its column when a block one.
    let mut root_opened = 0;
    let mut root_block_column: Option<usize> = None;
    let mut anchors: HashMap<usize, Rc<Node>> = HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Rc<Node>> = None;
    let mut documents = 0;
    let mut zones: Vec<Zone> = Vec::new();
    while let Some(next) = parser.next_event() {
        let flow_level = stack.iter().filter(|open| open.flow).count();
        let (event, span) = match next {
            Ok(ok) => ok,
            Err(e) => {
                // Past the root of the first document, only what PyYAML's scanner reads ahead
                // can fail (the parser refuses a directive without `...` before it, PyYAML
                // does not).
                let error_at = e.marker().index();
                if let Some(end) = root_end.filter(|_| first_document && stack.is_empty()) {
                    check_after_root(source, end)?;
                    limit = end.at;
                    break;
                } else if first_document && may_cut {
                    if let Some(parsed) = first_document_before(source, error_at) {
                        return Ok(parsed);
                    }
                }
                return Err(parser_fix(source, &e)
                    .unwrap_or_else(|| Compose::Error(parse_error(source, &e))));
            }
        };
        let start = span.start.index();
        let mark = source.mark(start);
        let mut node_end = span.end.index();
        let is_key = stack
            .last()
            .is_some_and(|open| open.is_map && open.children.len() % 2 == 0);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(
                        YamlError::at("expected a single document in the stream", mark).into(),
                    );
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let empty = style == ScalarStyle::Plain && span.start.index() == span.end.index();
                if is_key
                    && empty
                    && anchor == 0
                    && tag.is_none()
                    && !follows_question_mark(source, start)
                {
                    let found = if stack.last().is_some_and(|open| open.flow) {
                        "while parsing a flow node: expected the node content, but found ':'"
                    } else {
                        "while parsing a block mapping: expected <block end>, but found ':'"
                    };
                    return Err(YamlError::at(found, mark).into());
                }
                let parent_flow = stack.last().is_some_and(|open| open.flow);
                let simple = matches!(
                    style,
                    ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                );
                if is_key && simple && !follows_question_mark(source, start) {
                    // PyYAML's implicit keys are on one line and shorter than 1024 characters.
                    let end = span.end.index().min(source.chars.len());
                    let text_end = match style {
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                            quoted_extent(&source.chars, start).0.min(end)
                        }
                        _ => end,
                    };
                    let long =
                        source.chars[start..text_end].contains(&'\n') || text_end - start > 1024;
                    let followed_by_colon = source.chars[text_end..]
                        .iter()
                        .find(|c| !matches!(c, ' ' | '\n'))
                        .is_some_and(|c| *c == ':');
                    if long && (flow_level == 0 || followed_by_colon) {
                        let message = "while scanning a simple key: could not find expected ':'";
                        return Err(YamlError::at(message, mark).into());
                    }
                }
                if style == ScalarStyle::Plain
                    && value.starts_with('?')
                    && (parent_flow || (flow_level > 0 && value.len() > 1))
                {
                    // PyYAML reads `[?a]` as `[? a]` (a key indicator, then the scalar), and `[?]`
                    // as `[{? }]`.
                    let at = if value.len() > 1 || is_key {
                        vec![(start + 1, " ".to_owned())]
                    } else {
                        vec![(start, "{".to_owned()), (start + 1, " }".to_owned())]
                    };
                    return Err(Compose::Edit {
                        at,
                        error: YamlError::at("unexpected '?'", mark),
                    });
                }
                let node = scalar_node(source, &value, style, tag, span, flow_level, &mut zones)?;
                let node = Rc::new(Node { mark, ..node });
                if anchor != 0 {
                    anchors.insert(anchor, Rc::clone(&node));
                }
                node
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(node) => Rc::clone(node),
                None => {
                    return Err(YamlError::at(
                        "found an alias to an anchor not yet complete (recursive)",
                        mark,
                    )
                    .into())
                }
            },
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::at("collections nested too deeply", mark).into());
                }
                // `[? ]`: an explicit empty key in a flow sequence, which the parser cannot
                // read; `[? ~]` says the same.
                if matches!(event, Event::MappingStart(..))
                    && source.chars.get(start) == Some(&'?')
                    && stack.last().is_some_and(|open| open.flow && !open.is_map)
                {
                    let next = source.chars[start + 1..]
                        .iter()
                        .find(|c| !matches!(c, ' ' | '\n'));
                    if matches!(next, None | Some(']' | ',')) {
                        return Err(Compose::Edit {
                            at: vec![(start + 1, " ~".to_owned())],
                            error: YamlError::at("unexpected '?'", mark),
                        });
                    }
                }
                if stack.is_empty() {
                    root_opened = start;
                    if span.start.index() == span.end.index() {
                        root_block_column = Some(start - source.line_start(start));
                    }
                }
                stack.push(Open {
                    anchor,
                    tag: tag.as_ref().map(|t| format!("{}{}", t.handle, t.suffix)),
                    mark,
                    flow: span.start.index() < span.end.index(),
                    is_map: matches!(event, Event::MappingStart(..)),
                    children: Vec::new(),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = stack.pop() else {
                    return Err(YamlError::at("unbalanced collection end", mark).into());
                };
                // A flow collection ends after its bracket, a block one where the token that
                // ends it starts.
                node_end = if open.flow { start + 1 } else { start };
                let kind = if open.is_map {
                    let mut pairs = Vec::with_capacity(open.children.len() / 2);
                    let mut iter = open.children.into_iter();
                    while let (Some(k), Some(v)) = (iter.next(), iter.next()) {
                        pairs.push((k, v));
                    }
                    NodeKind::Mapping(pairs)
                } else {
                    NodeKind::Sequence(open.children)
                };
                let node = Rc::new(Node {
                    kind,
                    tag: open.tag,
                    mark: open.mark,
                });
                if open.anchor != 0 {
                    anchors.insert(open.anchor, Rc::clone(&node));
                }
                node
            }
            Event::DocumentEnd if first_document => {
                if let Some(end) = root_end {
                    check_after_root(source, end)?;
                    limit = end.at;
                } else {
                    limit = start;
                }
                break;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => {
                let collection = !matches!(node.kind, NodeKind::Scalar { .. });
                root = Some(node);
                root_end = Some(RootEnd {
                    at: node_end,
                    block_column: root_block_column.filter(|_| collection),
                    opened: root_opened,
                    collection,
                });
            }
        }
    }
    Ok(Parsed {
        root,
        root_end,
        zones,
        limit,
    })
}

/// The first document when the parser fails at `error_at` before the root node is complete:
/// the parser reads further ahead than PyYAML, which may have seen the root end already. The
/// text is cut where the error is (or else where its line starts) and read again; that reading
/// stands when its root ends before `error_at` and what follows it is fine for PyYAML.
fn first_document_before(source: &Source, error_at: usize) -> Option<Parsed> {
    [error_at, source.line_start(error_at)]
        .into_iter()
        .find_map(|cut| {
            let mut parsed = parse(&source.truncated(cut), true, false).ok()?;
            let root_end = parsed
                .root_end
                .filter(|end| end.collection && error_at >= end.at)?;
            check_after_root(source, root_end).ok()?;
            parsed.limit = root_end.at;
            Some(parsed)
        })
}

/// What PyYAML does past the root node of the first document, which ends as `end` says: the
/// token after a block collection must be less indented than it (or be a document marker or a
/// directive), and the tokens its scanner reads ahead must scan (see [`lookahead`]).
fn check_after_root(source: &Source, end: RootEnd) -> Result<(), Compose> {
    if !end.collection {
        return Ok(());
    }
    let chars = &source.chars;
    let at = next_token(chars, end.at);
    if at >= chars.len() {
        return Ok(());
    }
    let line_start = source.line_start(at);
    let rest = &chars[at..];
    let marker = at == line_start
        && (rest.starts_with(&['-', '-', '-']) || rest.starts_with(&['.', '.', '.']))
        && chars
            .get(at + 3)
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n'));
    let directive = at == line_start && rest[0] == '%';
    match end.block_column {
        Some(column) => {
            if !(marker || directive || at - line_start < column) {
                return Err(YamlError::at(
                    "while parsing a block collection: expected <block end>",
                    source.mark(at),
                )
                .into());
            }
            lookahead::scan(source, end.at, true, None)
        }
        // A flow collection: its opening bracket may still be a key while the line goes on.
        None => lookahead::scan(source, end.at, false, Some(end.opened)),
    }
}

/// Where PyYAML's scanner finds the next token from `from`: past spaces, line breaks and
/// comments (a tab stops it: no token may start with one).
fn next_token(chars: &[char], from: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            ' ' | '\n' => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

/// A block scalar header at `at` (`|` or `>`) as PyYAML's scanner reads it: a chomping
/// indicator (`+`, `-`) and an indentation indicator (1 to 9) in either order, then spaces and
/// a comment, then the line end.
fn check_block_header(source: &Source, at: usize) -> Result<(), Compose> {
    let chars = &source.chars;
    let error = |i: usize, message: &str| -> Compose {
        YamlError::at(
            format!("while scanning a block scalar: {message}"),
            source.mark(i),
        )
        .into()
    };
    let mut i = at + 1;
    let is_chomp = |c: Option<&char>| matches!(c, Some('+' | '-'));
    let is_digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
    let indentation = |i: usize| -> Result<usize, Compose> {
        if chars.get(i) == Some(&'0') {
            return Err(error(
                i,
                "expected indentation indicator in the range 1-9, but found 0",
            ));
        }
        Ok(i + 1)
    };
    if is_chomp(chars.get(i)) {
        i += 1;
        if is_digit(chars.get(i)) {
            i = indentation(i)?;
        }
    } else if is_digit(chars.get(i)) {
        i = indentation(i)?;
        if is_chomp(chars.get(i)) {
            i += 1;
        }
    }
    if chars.get(i).is_some_and(|c| !matches!(c, ' ' | '\n')) {
        return Err(error(i, "expected chomping or indentation indicators"));
    }
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
    }
    if chars.get(i).is_some_and(|c| *c != '\n') {
        return Err(error(i, "expected a comment or a line break"));
    }
    Ok(())
}

/// A directive line at `at` (`%NAME ...` at column 0) as PyYAML's scanner reads it: a name of
/// `[0-9A-Za-z_-]` ended by a space or the line end; `%YAML` takes a `MAJOR.MINOR` version,
/// `%TAG` a handle and a prefix; any other directive ignores the rest of its line. Then only
/// spaces and a comment may follow.
fn check_directive(source: &Source, at: usize) -> Result<(), Compose> {
    let chars = &source.chars;
    let line_end = chars[at..]
        .iter()
        .position(|c| *c == '\n')
        .map_or(chars.len(), |p| at + p);
    let line = &chars[at..line_end];
    let error = |offset: usize, message: &str| -> Compose {
        YamlError::at(
            format!("while scanning a directive: {message}"),
            source.mark(at + offset),
        )
        .into()
    };
    let is_name_char = |c: &char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    let name_len = line[1..].iter().take_while(|c| is_name_char(c)).count();
    let after_name = 1 + name_len;
    if name_len == 0 || line.get(after_name).is_some_and(|c| *c != ' ') {
        return Err(error(
            after_name,
            "expected alphabetic or numeric character",
        ));
    }
    let name: String = line[1..after_name].iter().collect();
    let skip_spaces = |mut i: usize| {
        while line.get(i) == Some(&' ') {
            i += 1;
        }
        i
    };
    let mut i = after_name;
    match name.as_str() {
        "YAML" => {
            i = skip_spaces(i);
            for part in 0..2 {
                let digits = line[i.min(line.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits == 0 {
                    return Err(error(i, "expected a digit"));
                }
                i += digits;
                match (part, line.get(i)) {
                    (0, Some('.')) => i += 1,
                    (0, _) => return Err(error(i, "expected a digit or '.'")),
                    (_, None | Some(' ')) => {}
                    (_, _) => return Err(error(i, "expected a digit or ' '")),
                }
            }
            // The version itself is only checked when the next document starts.
        }
        "TAG" => {
            i = skip_spaces(i);
            if line.get(i) != Some(&'!') {
                return Err(error(i, "expected '!'"));
            }
            i += 1;
            if line.get(i).is_some_and(|c| *c != ' ') {
                // `!name!` or `!!`
                i += line[i..].iter().take_while(|c| is_name_char(c)).count();
                if line.get(i) != Some(&'!') {
                    return Err(error(i, "expected '!'"));
                }
                i += 1;
            }
            if line.get(i) != Some(&' ') {
                return Err(error(i, "expected ' '"));
            }
            i = skip_spaces(i);
            let is_uri_char =
                |c: &&char| c.is_ascii_alphanumeric() || "-;/?:@&=+$,_.!~*'()[]%".contains(**c);
            let prefix = line[i..].iter().take_while(is_uri_char).count();
            if prefix == 0 {
                return Err(error(i, "expected URI"));
            }
            i += prefix;
            if i < line.len() && line[i] != ' ' {
                return Err(error(i, "expected ' '"));
            }
        }
        _ => i = line.len(),
    }
    i = skip_spaces(i);
    if i < line.len() && line[i] != '#' {
        return Err(error(i, "expected a comment or a line break"));
    }
    Ok(())
}

/// A scalar node: its value re-read when a LINE/PARAGRAPH SEPARATOR breaks it, checked for
/// what PyYAML refuses in flow context, and its tab zone recorded.
fn scalar_node(
    source: &Source,
    value: &str,
    style: ScalarStyle,
    tag: Option<String>,
    span: Span,
    flow_level: usize,
    zones: &mut Vec<Zone>,
) -> Result<Node, YamlError> {
    let (start, end) = (span.start.index(), span.end.index().min(source.chars.len()));
    let mark = source.mark(start);
    let plain = style == ScalarStyle::Plain;
    let mut value = if plain && start == end {
        String::new()
    } else {
        value.to_owned()
    };
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            // The parser's span may run past the closing quote, over trailing white space.
            let end = quoted_extent(&source.chars, start).0.min(end);
            zones.push(Zone::Quoted { start, end });
            if source.has_separator(start, end) && end > start + 1 {
                let mode = if style == ScalarStyle::SingleQuoted {
                    Fold::Single
                } else {
                    Fold::Double
                };
                value = fold_flow_scalar(source, start + 1, end - 1, mode)?;
            }
        }
        ScalarStyle::Plain => {
            zones.push(Zone::Plain { start, end });
            if source.has_separator(start, end) {
                value = fold_flow_scalar(source, start, end, Fold::Plain)?;
            }
            let first = value.chars().next();
            if first.is_some_and(|c| ",[]{}#&*!|>'\"%@`".contains(c)) {
                return Err(YamlError::at(
                    format!(
                        "found character {:?} that cannot start any token",
                        first.unwrap_or_default()
                    ),
                    mark,
                ));
            }
            if flow_level > 0 && value.contains('?') {
                return Err(YamlError::at(
                    "'?' cannot appear in a plain scalar inside a flow collection",
                    mark,
                ));
            }
            if flow_level > 0 && value.starts_with(':') {
                return Err(YamlError::at(
                    "a plain scalar in a flow collection cannot start with ':'",
                    mark,
                ));
            }
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            if source.has_separator(start, end) {
                return Err(YamlError::at(
                    "a line or paragraph separator inside a block scalar is not supported",
                    mark,
                ));
            }
            let header = block_header(source, start);
            // With no text, only the `+` (keep) indicator keeps the line breaks.
            let keep = header.is_some_and(|h| {
                source.chars[h + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, '+' | '-'))
                    .any(|c| *c == '+')
            });
            // The text starts on the line after the header.
            let text_start = match header {
                Some(h) if h >= start => source.chars[h..end]
                    .iter()
                    .position(|c| *c == '\n')
                    .map_or(end, |p| h + p + 1),
                _ => start,
            };
            if value.chars().all(|c| c == '\n') {
                // No text: only `+` keeps the blank lines, and only those after the header.
                let blank_lines = source.chars[text_start..end]
                    .iter()
                    .filter(|c| **c == '\n')
                    .count();
                value = if keep {
                    "\n".repeat(blank_lines)
                } else {
                    String::new()
                };
            }
            // Text running to the end of the stream with no line break after its last line:
            // PyYAML adds no line break for that line (the parser does, even for a last line
            // of spaces).
            let last_line = source.line_start(source.chars.len());
            if end >= source.chars.len() && source.line_start(text_start) <= last_line {
                let spaces_only = source.chars[last_line..].iter().all(|c| *c == ' ');
                let added = if spaces_only { "\n\n" } else { "\n" };
                if last_line < source.chars.len() && value.ends_with(added) {
                    value.pop();
                }
            }
            let line_start = source.line_start(text_start);
            let indent = if text_start > line_start {
                text_start - line_start
            } else {
                // The first line with text gives the indentation.
                source.chars[text_start..end]
                    .split(|c| *c == '\n')
                    .find(|line| line.iter().any(|c| *c != ' '))
                    .map_or(0, |line| line.iter().take_while(|c| **c == ' ').count())
            };
            if indent == 0
                && source.chars[text_start..end]
                    .iter()
                    .any(|c| !matches!(c, ' ' | '\n'))
            {
                // PyYAML indents block scalar text by one at least, even at the top level.
                return Err(YamlError::at(
                    "expected '<document start>', but found text at column 1",
                    mark,
                ));
            }
            zones.push(Zone::Block {
                start: text_start,
                end,
                indent,
            });
        }
    }
    Ok(Node {
        kind: NodeKind::Scalar { value, plain },
        tag,
        mark,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fold {
    Plain,
    Single,
    Double,
}

/// The position of the `|` or `>` header of the block scalar whose text span starts at `start`.
fn block_header(source: &Source, start: usize) -> Option<usize> {
    // The span starts at the header when the scalar has no text, else at its text.
    let at_start = matches!(source.chars.get(start), Some('|' | '>')).then_some(start);
    previous_block_header(source, start).or(at_start)
}

/// A `|` or `>` header ending the lines before `start` (blank lines and a comment allowed).
fn previous_block_header(source: &Source, start: usize) -> Option<usize> {
    // Walk back over blank lines to the header line, and drop its comment.
    let mut end = start;
    loop {
        let line_start = source.line_start(end.saturating_sub(1));
        let line = &source.chars[line_start..end];
        let comment = line
            .iter()
            .enumerate()
            .position(|(k, c)| *c == '#' && (k == 0 || matches!(line[k - 1], ' ' | '\t')));
        let line = &line[..comment.unwrap_or(line.len())];
        let trimmed = line
            .iter()
            .rposition(|c| !matches!(c, ' ' | '\t' | '\n'))
            .map(|p| &line[..=p]);
        match trimmed {
            Some(text) => {
                let indicator_start = text
                    .iter()
                    .rposition(|c| !(c.is_ascii_digit() || matches!(c, '+' | '-')))?;
                return matches!(text[indicator_start], '|' | '>')
                    .then_some(line_start + indicator_start);
            }
            None if line_start == 0 => return None,
            None => end = line_start - 1,
        }
    }
}

/// Read a flow scalar's text (between the quotes) the way PyYAML does: line breaks fold, a
/// LINE/PARAGRAPH SEPARATOR break stays as itself, escapes in double quotes.
fn fold_flow_scalar(
    source: &Source,
    start: usize,
    end: usize,
    mode: Fold,
) -> Result<String, YamlError> {
    let chars = &source.chars[start..end];
    let n = chars.len();
    let mut out = String::new();
    let mut i = 0;
    let is_white = |c: char| c == ' ' || c == '\t';
    while i < n {
        let c = chars[i];
        if is_white(c) {
            let ws_start = i;
            while i < n && is_white(chars[i]) {
                i += 1;
            }
            if i < n && chars[i] == '\n' {
                out.extend(fold_breaks(source, start, chars, &mut i, true));
            } else {
                out.extend(&chars[ws_start..i]);
            }
        } else if c == '\n' {
            out.extend(fold_breaks(source, start, chars, &mut i, true));
        } else if mode == Fold::Single && c == '\'' {
            out.push('\'');
            i += 2;
        } else if mode == Fold::Double && c == '\\' {
            let Some(&e) = chars.get(i + 1) else {
                return Err(YamlError::at(
                    "unfinished escape in a double-quoted scalar",
                    source.mark(start + i),
                ));
            };
            i += 2;
            let simple = match e {
                '0' => Some('\0'),
                'a' => Some('\u{7}'),
                'b' => Some('\u{8}'),
                't' | '\t' => Some('\t'),
                'n' => Some('\n'),
                'v' => Some('\u{b}'),
                'f' => Some('\u{c}'),
                'r' => Some('\r'),
                'e' => Some('\u{1b}'),
                ' ' => Some(' '),
                '"' => Some('"'),
                '\\' => Some('\\'),
                '/' => Some('/'),
                'N' => Some('\u{85}'),
                '_' => Some('\u{a0}'),
                'L' => Some('\u{2028}'),
                'P' => Some('\u{2029}'),
                _ => None,
            };
            if let Some(s) = simple {
                out.push(s);
            } else if let Some(len) = match e {
                'x' => Some(2),
                'u' => Some(4),
                'U' => Some(8),
                _ => None,
            } {
                let hex: String = chars[i..(i + len).min(n)].iter().collect();
                let code = (hex.len() == len && hex.chars().all(|h| h.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                let Some(decoded) = code else {
                    return Err(YamlError::at(
                        "invalid escape in a double-quoted scalar",
                        source.mark(start + i),
                    ));
                };
                out.push(decoded);
                i += len;
            } else if e == '\n' {
                // An escaped line break: dropped, with the indentation of the next lines.
                i -= 1;
                let breaks = fold_breaks(source, start, chars, &mut i, false);
                out.extend(breaks);
            } else {
                return Err(YamlError::at(
                    format!("found unknown escape character {e:?} in a double-quoted scalar"),
                    source.mark(start + i - 1),
                ));
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

/// At a line break (`chars[*i] == '\n'`): skip it, the following blank lines and indentation,
/// and return what the run of breaks reads as. `first_counts` is false after an escaped break,
/// which adds nothing itself.
fn fold_breaks(
    source: &Source,
    offset: usize,
    chars: &[char],
    i: &mut usize,
    first_counts: bool,
) -> Vec<char> {
    let first = source.line_break(offset + *i);
    *i += 1;
    let mut breaks = Vec::new();
    loop {
        while *i < chars.len() && (chars[*i] == ' ' || chars[*i] == '\t') {
            *i += 1;
        }
        if *i < chars.len() && chars[*i] == '\n' {
            breaks.push(source.line_break(offset + *i));
            *i += 1;
        } else {
            break;
        }
    }
    let mut out = Vec::new();
    if first_counts {
        if first != '\n' {
            out.push(first);
        } else if breaks.is_empty() {
            out.push(' ');
        }
    }
    out.extend(breaks);
    out
}

/// What PyYAML's scanner refuses between the scalars: a tab (no token may start with one;
/// tabs are only accepted in quoted scalars, comments and block scalar text past the
/// indentation), an anchor or alias name outside `[0-9A-Za-z_-]`, an anchor defined twice.
fn check_tokens(source: &Source, zones: &[Zone], limit: usize) -> Result<(), Compose> {
    let chars = &source.chars[..limit.min(source.chars.len())];
    let n = chars.len();
    // Characters inside scalars, where only the tabs left unmarked are errors.
    let mut in_scalar = vec![false; n];
    for zone in zones {
        match *zone {
            Zone::Quoted { start, end } => in_scalar[start..end.min(n)]
                .iter_mut()
                .for_each(|m| *m = true),
            Zone::Plain { start, end } => {
                for i in start..end.min(n) {
                    in_scalar[i] = chars[i] != '\t';
                }
            }
            Zone::Block { start, end, indent } => {
                let mut column = indent;
                let mut only_spaces = true;
                for i in start..end.min(n) {
                    let c = chars[i];
                    in_scalar[i] = !(c == '\t' && only_spaces && column < indent);
                    if c == '\n' {
                        column = 0;
                        only_spaces = true;
                    } else {
                        only_spaces &= c == ' ';
                        column += 1;
                    }
                }
            }
        }
    }
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if in_scalar[i] {
            i += 1;
            continue;
        }
        let after_space = i == 0 || matches!(chars[i - 1], ' ' | '\n');
        match c {
            '\t' => {
                return Err(YamlError::at(
                    "found character '\\t' that cannot start any token",
                    source.mark(i),
                )
                .into())
            }
            '#' if after_space => {
                // A comment runs to the end of the line.
                while i < n && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '%' if i == 0 || chars[i - 1] == '\n' => {
                while i < n && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '!' => {
                let start = i;
                while i < n && !matches!(chars[i], ' ' | '\n' | '\t') {
                    if matches!(chars[i], ',' | '[' | ']' | '{' | '}') {
                        return Err(YamlError::at(
                            "while scanning a tag: expected ' '",
                            source.mark(start),
                        )
                        .into());
                    }
                    i += 1;
                }
                continue;
            }
            '|' | '>' => {
                // A block scalar header: indicators, then white space or the end of the line.
                let mut j = i + 1;
                while j < n && (chars[j].is_ascii_digit() || matches!(chars[j], '+' | '-')) {
                    j += 1;
                }
                if j < n && !matches!(chars[j], ' ' | '\n') {
                    return Err(YamlError::at(
                        "while scanning a block scalar: expected chomping or indentation indicators",
                        source.mark(j),
                    ).into());
                }
                i = j;
                continue;
            }
            '&' | '*' => {
                let start = i + 1;
                let mut end = start;
                while end < n
                    && !matches!(chars[end], ' ' | '\n' | '\t' | ',' | '[' | ']' | '{' | '}')
                {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                // PyYAML's name stops at `:` (and `?%@` and backquote): `&a: b` is an anchor
                // on an empty key.
                if let Some(stop) = name.find([':', '?', '%', '@', '`']) {
                    if stop > 0 {
                        return Err(Compose::Edit {
                            at: vec![(start + name[..stop].chars().count(), " ".to_owned())],
                            error: YamlError::at("unexpected anchor", source.mark(i)),
                        });
                    }
                }
                // PyYAML refuses a name followed by `[` or `{`.
                if name.is_empty()
                    || matches!(chars.get(end), Some('[' | '{'))
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    let what = if c == '&' { "an anchor" } else { "an alias" };
                    return Err(YamlError::at(
                        format!("while scanning {what}: expected alphabetic or numeric character in {name:?}"),
                        source.mark(i),
                    ).into());
                }
                if c == '&' {
                    if let Some(first) = anchors.insert(name.clone(), i) {
                        let first = source.mark(first);
                        return Err(YamlError::at(
                            format!(
                                "found duplicate anchor {name:?}; first occurrence at line {}",
                                first.line
                            ),
                            source.mark(i),
                        )
                        .into());
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// A constructed value, as Python holds it before `json` writes it.
#[derive(Clone, Debug)]
enum Value {
    Null,
    Bool(bool),
    Int(String),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Dict(IndexMap<KeyId, (Value, Value)>),
    /// Something `json` cannot write (a date, bytes, a set): the reason.
    Unrepresentable(String),
}

/// Python's equality classes of hashable keys: `1 == 1.0 == True`, `0 == -0.0 == False`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    /// An integral number, as canonical decimal digits.
    Integral(String),
    /// Any other float, by its bits (NaN normalised: PyYAML returns one NaN object).
    Float(u64),
    Str(String),
}

impl Value {
    fn key_id(&self, mark: Mark) -> Result<KeyId, YamlError> {
        Ok(match self {
            Value::Null => KeyId::Null,
            Value::Bool(b) => KeyId::Integral(if *b { "1" } else { "0" }.to_owned()),
            Value::Int(digits) => KeyId::Integral(digits.clone()),
            Value::Float(f) if f.is_nan() => KeyId::Float(f64::NAN.to_bits()),
            Value::Float(f) if f.is_finite() && f.fract() == 0.0 => {
                let digits = format!("{f:.0}");
                KeyId::Integral(if digits == "-0" {
                    "0".to_owned()
                } else {
                    digits
                })
            }
            Value::Float(f) => KeyId::Float(f.to_bits()),
            Value::Str(s) => KeyId::Str(s.clone()),
            Value::List(_) | Value::Dict(_) => {
                return Err(YamlError::at(
                    "while constructing a mapping: found unhashable key",
                    mark,
                ))
            }
            Value::Unrepresentable(why) => {
                return Err(YamlError::at(format!("{why} cannot be a key"), mark))
            }
        })
    }

    /// The JSON form, with keys written as Python's `json.dumps` writes them (after
    /// [`NON_STRING_KEY`] when `mark_keys` and the key is not a string).
    fn into_json(self, mark: Mark, mark_keys: bool) -> Result<Json, YamlError> {
        Ok(match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Int(digits) => Json::Int(digits),
            Value::Float(f) => Json::Float(f),
            Value::Str(s) => Json::Str(s),
            Value::List(items) => Json::Array(
                items
                    .into_iter()
                    .map(|v| v.into_json(mark, mark_keys))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Dict(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (_, (key, value)) in entries {
                    let is_string = matches!(key, Value::Str(_));
                    let key = match key {
                        Value::Str(s) => s,
                        Value::Null => "null".to_owned(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(digits) => digits,
                        Value::Float(f) if f.is_nan() => "NaN".to_owned(),
                        Value::Float(f) if f.is_infinite() => {
                            if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
                        }
                        Value::Float(f) => python_float_repr(f),
                        _ => return Err(YamlError::at("a key has no JSON form", mark)),
                    };
                    let key = if mark_keys && !is_string {
                        format!("{NON_STRING_KEY}{key}")
                    } else {
                        key
                    };
                    map.insert(key, value.into_json(mark, mark_keys)?);
                }
                Json::Object(map)
            }
            Value::Unrepresentable(why) => {
                return Err(YamlError::at(format!("{why} has no JSON form"), mark))
            }
        })
    }
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

struct Constructor {
    nodes: usize,
}

impl Constructor {
    fn construct(&mut self, node: &Rc<Node>, depth: usize) -> Result<Value, YamlError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > 2 * MAX_DEPTH {
            return Err(YamlError::at(
                "document too large after expanding aliases",
                node.mark,
            ));
        }
        let tag = node
            .tag
            .as_deref()
            .and_then(|t| if t == "!" { None } else { Some(t) });
        let explicit = tag.map(|t| t.strip_prefix(TAG_PREFIX).unwrap_or(t));
        match &node.kind {
            NodeKind::Scalar { value, plain } => {
                let resolve = *plain || node.tag.as_deref() == Some("!");
                match explicit {
                    None if resolve => self.implicit_scalar(value, node.mark),
                    None => Ok(Value::Str(value.clone())),
                    Some(t) => self.tagged_scalar(t, value, node.mark),
                }
            }
            NodeKind::Sequence(items) => match explicit {
                None | Some("seq") => Ok(Value::List(
                    items
                        .iter()
                        .map(|n| self.construct(n, depth + 1))
                        .collect::<Result<_, _>>()?,
                )),
                Some("omap" | "pairs") => {
                    let mut pairs = Vec::new();
                    for item in items {
                        let NodeKind::Mapping(entries) = &item.kind else {
                            return Err(YamlError::at("expected a mapping of length 1", item.mark));
                        };
                        if entries.len() != 1 {
                            return Err(YamlError::at("expected a single mapping item", item.mark));
                        }
                        let (k, v) = &entries[0];
                        pairs.push(Value::List(vec![
                            self.construct(k, depth + 1)?,
                            self.construct(v, depth + 1)?,
                        ]));
                    }
                    Ok(Value::List(pairs))
                }
                Some(other) => Err(self.unknown_tag(other, node.mark)),
            },
            NodeKind::Mapping(_) => match explicit {
                None | Some("map") => self.mapping(node, depth),
                Some("set") => Ok(Value::Unrepresentable("a set".to_owned())),
                Some(other) => Err(self.unknown_tag(other, node.mark)),
            },
        }
    }

    fn unknown_tag(&self, tag: &str, mark: Mark) -> YamlError {
        YamlError::at(
            format!("could not determine a constructor for the tag {tag:?}"),
            mark,
        )
    }

    /// A mapping: merge keys first (PyYAML's `flatten_mapping`), then the pairs in order.
    fn mapping(&mut self, node: &Rc<Node>, depth: usize) -> Result<Value, YamlError> {
        let pairs = flatten(node)?;
        let mut dict: IndexMap<KeyId, (Value, Value)> = IndexMap::with_capacity(pairs.len());
        for (key_node, value_node) in pairs {
            let key = match &key_node.kind {
                // `=` as a key is the string "=".
                NodeKind::Scalar { value, plain: true }
                    if key_node.tag.is_none() && value == "=" =>
                {
                    Value::Str(value.clone())
                }
                _ => self.construct(&key_node, depth + 1)?,
            };
            let id = key.key_id(key_node.mark)?;
            let value = self.construct(&value_node, depth + 1)?;
            match dict.get_mut(&id) {
                Some(entry) => entry.1 = value,
                None => {
                    dict.insert(id, (key, value));
                }
            }
        }
        Ok(Value::Dict(dict))
    }

    fn implicit_scalar(&self, value: &str, mark: Mark) -> Result<Value, YamlError> {
        match implicit_tag(value) {
            None => Ok(Value::Str(value.to_owned())),
            Some(ImplicitTag::Bool) => Ok(Value::Bool(matches!(
                value,
                "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON"
            ))),
            Some(ImplicitTag::Null) => Ok(Value::Null),
            Some(ImplicitTag::Int) => yaml_int(value, mark),
            Some(ImplicitTag::Float) => yaml_float(value, mark),
            Some(ImplicitTag::Timestamp) => {
                Ok(Value::Unrepresentable(format!("the date {value:?}")))
            }
            Some(ImplicitTag::Merge) => Err(self.unknown_tag("tag:yaml.org,2002:merge", mark)),
            Some(ImplicitTag::Value) => Err(self.unknown_tag("tag:yaml.org,2002:value", mark)),
            Some(ImplicitTag::Yaml) => Err(self.unknown_tag("tag:yaml.org,2002:yaml", mark)),
        }
    }

    fn tagged_scalar(&self, tag: &str, value: &str, mark: Mark) -> Result<Value, YamlError> {
        match tag {
            "str" => Ok(Value::Str(value.to_owned())),
            "null" => Ok(Value::Null),
            "bool" => match value.to_lowercase().as_str() {
                "yes" | "true" | "on" => Ok(Value::Bool(true)),
                "no" | "false" | "off" => Ok(Value::Bool(false)),
                _ => Err(YamlError::at(format!("{value:?} is not a boolean"), mark)),
            },
            "int" => yaml_int(value, mark),
            "float" => yaml_float(value, mark),
            "binary" => Ok(Value::Unrepresentable("binary data".to_owned())),
            "timestamp" => Ok(Value::Unrepresentable(format!("the date {value:?}"))),
            "seq" | "map" | "omap" | "pairs" | "set" => Err(YamlError::at(
                format!("expected a collection for the tag !!{tag}, but found a scalar"),
                mark,
            )),
            other => Err(self.unknown_tag(other, mark)),
        }
    }
}

/// The pairs of a mapping node with `<<` merge keys replaced by the merged pairs, which come
/// first (so that the mapping's own keys win), as PyYAML 6.0's `flatten_mapping` does. A merged
/// pair is skipped when an earlier merged pair has the very same key object in Python: the same
/// node (through an alias), or a key string Python shares (empty, or one Latin-1 character).
fn flatten(node: &Rc<Node>) -> Result<Vec<Pair>, YamlError> {
    let NodeKind::Mapping(pairs) = &node.kind else {
        return Err(YamlError::at("expected a mapping node", node.mark));
    };
    let mut merged = Vec::new();
    let mut seen: std::collections::HashSet<MergeKey> = std::collections::HashSet::new();
    let mut own = Vec::new();
    let mut add = |merged: &mut Vec<Pair>, pairs: Vec<Pair>| {
        for (key, value) in pairs {
            if seen.insert(MergeKey::of(&key)) {
                merged.push((key, value));
            }
        }
    };
    for (key, value) in pairs {
        let is_merge = match &key.kind {
            NodeKind::Scalar { value, plain } => match key.tag.as_deref() {
                None => *plain && value == "<<",
                Some(tag) => tag == "tag:yaml.org,2002:merge",
            },
            _ => false,
        };
        if !is_merge {
            own.push((Rc::clone(key), Rc::clone(value)));
            continue;
        }
        match &value.kind {
            NodeKind::Mapping(_) => add(&mut merged, flatten(value)?),
            NodeKind::Sequence(items) => {
                for item in items {
                    if !matches!(item.kind, NodeKind::Mapping(_)) {
                        return Err(YamlError::at(
                            "while constructing a mapping: expected a mapping for merging",
                            item.mark,
                        ));
                    }
                    add(&mut merged, flatten(item)?);
                }
            }
            NodeKind::Scalar { .. } => return Err(YamlError::at(
                "while constructing a mapping: expected a mapping or list of mappings for merging",
                value.mark,
            )),
        }
    }
    merged.extend(own);
    Ok(merged)
}

/// The identity of a merged key's value in Python.
#[derive(Hash, PartialEq, Eq)]
enum MergeKey {
    Shared(String),
    Node(*const Node),
}

impl MergeKey {
    fn of(key: &Rc<Node>) -> MergeKey {
        match &key.kind {
            NodeKind::Scalar { value, .. }
                if value.chars().count() <= 1 && value.chars().all(|c| (c as u32) < 256) =>
            {
                MergeKey::Shared(value.clone())
            }
            _ => MergeKey::Node(Rc::as_ptr(key)),
        }
    }
}

/// PyYAML's `construct_yaml_int`: underscores dropped, sign, `0b`, `0x`, leading-zero octal,
/// base 60, else decimal; any size.
fn yaml_int(text: &str, mark: Mark) -> Result<Value, YamlError> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let invalid = || YamlError::at(format!("invalid literal for int(): {text:?}"), mark);
    let (negative, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        Some(_) => (false, cleaned.as_str()),
        None => return Err(invalid()),
    };
    let magnitude = if body == "0" {
        Some(BigUint::zero())
    } else if let Some(bin) = body.strip_prefix("0b") {
        BigUint::parse(bin, 2)
    } else if let Some(hex) = body.strip_prefix("0x") {
        BigUint::parse(hex, 16)
    } else if body.starts_with('0') {
        BigUint::parse(body, 8)
    } else if body.contains(':') {
        let mut total = BigUint::zero();
        for part in body.split(':') {
            let part = BigUint::parse(part, 10).ok_or_else(invalid)?;
            total = total.mul_add(60, 0).add(&part);
        }
        Some(total)
    } else {
        BigUint::parse(body, 10)
    };
    let digits = magnitude.ok_or_else(invalid)?.to_decimal();
    Ok(Value::Int(if negative && digits != "0" {
        format!("-{digits}")
    } else {
        digits
    }))
}

/// PyYAML's `construct_yaml_float`.
fn yaml_float(text: &str, mark: Mark) -> Result<Value, YamlError> {
    let cleaned: String = text
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_lowercase();
    let invalid = || YamlError::at(format!("could not convert string to float: {text:?}"), mark);
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        Some(_) => (1.0, cleaned.as_str()),
        None => return Err(invalid()),
    };
    let value = if body == ".inf" {
        f64::INFINITY
    } else if body == ".nan" {
        return Ok(Value::Float(f64::NAN));
    } else if body.contains(':') {
        let mut total = 0.0;
        let mut base = 1.0;
        for part in body.split(':').rev() {
            total += python_float(part).ok_or_else(invalid)? * base;
            base *= 60.0;
        }
        total
    } else {
        python_float(body).ok_or_else(invalid)?
    };
    Ok(Value::Float(sign * value))
}

/// Python's `float()` of a string (surrounding white space allowed).
fn python_float(text: &str) -> Option<f64> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() > 1 {
        return None;
    }
    let ok = match unsigned {
        "inf" | "infinity" | "nan" => true,
        _ => {
            let mantissa_end = unsigned.find('e').unwrap_or(unsigned.len());
            let mantissa = &unsigned[..mantissa_end];
            let digits = mantissa.chars().filter(char::is_ascii_digit).count();
            digits > 0
                && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
                && mantissa.matches('.').count() <= 1
                && match unsigned.get(mantissa_end + 1..) {
                    None => true,
                    Some(exp) => {
                        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                        !exp.is_empty() && exp.chars().all(|c| c.is_ascii_digit())
                    }
                }
        }
    };
    if !ok {
        return None;
    }
    lower.parse().ok()
}

/// Just enough of an unsigned big integer for YAML integers of any size.
#[derive(Clone, Debug)]
struct BigUint {
    /// Base 10^9 limbs, least significant first.
    limbs: Vec<u32>,
}

const LIMB: u64 = 1_000_000_000;

impl BigUint {
    fn zero() -> BigUint {
        BigUint { limbs: vec![0] }
    }

    fn mul_add(mut self, factor: u32, addend: u32) -> BigUint {
        let mut carry = u64::from(addend);
        for limb in &mut self.limbs {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.limbs.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
        self
    }

    fn add(mut self, other: &BigUint) -> BigUint {
        let mut carry = 0u64;
        for i in 0..self.limbs.len().max(other.limbs.len()) {
            if i == self.limbs.len() {
                self.limbs.push(0);
            }
            let v = u64::from(self.limbs[i]) + u64::from(*other.limbs.get(i).unwrap_or(&0)) + carry;
            self.limbs[i] = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
        self
    }

    /// Digits in `radix` (no sign, no underscores); `None` when empty or invalid, as Python's
    /// `int(text, radix)` refuses them.
    fn parse(text: &str, radix: u32) -> Option<BigUint> {
        if text.is_empty() {
            return None;
        }
        let mut n = BigUint::zero();
        for c in text.chars() {
            n = n.mul_add(radix, c.to_digit(radix)?);
        }
        Some(n)
    }

    fn to_decimal(&self) -> String {
        let mut limbs = self.limbs.clone();
        while limbs.len() > 1 && limbs.last() == Some(&0) {
            limbs.pop();
        }
        let mut out = limbs.last().map_or_else(String::new, |l| l.to_string());
        for limb in limbs.iter().rev().skip(1) {
            out.push_str(&format!("{limb:09}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Json)]) -> Json {
        Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn int(s: &str) -> Json {
        Json::Int(s.to_owned())
    }

    #[test]
    fn yaml_1_1_scalars() {
        let doc = load("a: yes\nb: 010\nc: 1:30\nd: 0o10\ne: 1e3\nf: ~\ng:\nh: 0x1F\ni: 0b11\nj: 1_000\nk: .5\nl: '1'\n")
            .expect("valid yaml");
        assert_eq!(
            doc,
            map(&[
                ("a", Json::Bool(true)),
                ("b", int("8")),
                ("c", int("90")),
                ("d", Json::Str("0o10".into())),
                ("e", Json::Str("1e3".into())),
                ("f", Json::Null),
                ("g", Json::Null),
                ("h", int("31")),
                ("i", int("3")),
                ("j", int("1000")),
                ("k", Json::Float(0.5)),
                ("l", Json::Str("1".into())),
            ])
        );
    }

    #[test]
    fn tabs_and_form_feeds_are_errors() {
        assert!(load(":tags:\t[a]".trim_start_matches(':')).is_err());
        assert!(load("a: 1\u{c}").is_err());
        assert_eq!(
            load("a: 'x\ty'").expect("tab in quotes"),
            map(&[("a", Json::Str("x\ty".into()))])
        );
        assert_eq!(
            load("a: b # c\td").expect("tab in comment"),
            map(&[("a", Json::Str("b".into()))])
        );
    }

    #[test]
    fn separators_stay_in_scalars() {
        assert_eq!(
            load("a: 'x\u{2028}  b'").expect("valid"),
            map(&[("a", Json::Str("x\u{2028}b".into()))])
        );
        assert_eq!(
            load("a: 'x\u{85}  b'").expect("valid"),
            map(&[("a", Json::Str("x b".into()))])
        );
        assert_eq!(
            load("a: x\u{2028}b: y").expect("valid"),
            map(&[("a", Json::Str("x".into())), ("b", Json::Str("y".into()))])
        );
    }

    #[test]
    fn keys_and_merges() {
        assert_eq!(
            load("1: a\n1.0: b\ntrue: c\nnull: d\n1.5: e").expect("valid"),
            map(&[
                ("1", Json::Str("c".into())),
                ("null", Json::Str("d".into())),
                ("1.5", Json::Str("e".into()))
            ])
        );
        assert_eq!(
            load("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3").expect("valid"),
            map(&[
                ("base", map(&[("x", int("1")), ("y", int("2"))])),
                ("d", map(&[("x", int("1")), ("y", int("3"))])),
            ])
        );
        assert!(load("date: 2024-01-01").is_err());
        assert!(load("[a]: 1").is_err());
    }

    #[test]
    fn non_string_keys_marked() {
        let options = LoadOptions {
            mark_non_string_keys: true,
            ..LoadOptions::default()
        };
        let marked = |json: &str| format!("{NON_STRING_KEY}{json}");
        assert_eq!(
            load_with("1: a\n'1': b\nx:\n  ~: c", options).expect("valid"),
            map(&[
                (&marked("1"), Json::Str("a".into())),
                ("1", Json::Str("b".into())),
                ("x", map(&[(&marked("null"), Json::Str("c".into()))])),
            ])
        );
    }

    /// Streams checked with PyYAML's `next(yaml.safe_load_all(text))`.
    #[test]
    fn first_document() {
        let first = |text: &str| {
            let options = LoadOptions {
                first_document: true,
                ..LoadOptions::default()
            };
            load_with(text, options).ok()
        };
        let a1 = Some(map(&[("a", int("1"))]));
        assert_eq!(first("---\na: 1\n---\nb: ["), a1);
        assert_eq!(first("---\na: 1\n...\nb: 2\n"), a1);
        assert_eq!(first("---\na: 1\n%foo bar\n---"), a1);
        assert_eq!(first("---\n{a: 1} junk\nb: 2\n---"), a1);
        assert_eq!(first("---\n a: 1\ns\n---"), a1);
        assert_eq!(first("---\n a: 1\ntab:\tvalue\n---"), a1);
        assert_eq!(first("---\n a: 1\nx\n\t@\n---"), a1);
        assert_eq!(first("---\n a: 1\n\"x\": @\n---"), a1);
        assert_eq!(first("---\n a: 1\n[x,\n\"y\"\n---"), a1);
        assert_eq!(first("---\n a: 1\n>-\n\tx\n---"), a1);
        // What PyYAML's scanner reads past the document must scan.
        assert_eq!(first("---\n a: 1\n\"x\n---"), None);
        assert_eq!(first("---\n a: 1\n\"x\" @\n---"), None);
        assert_eq!(first("---\n a: 1\n[x,\n@\n---"), None);
        assert_eq!(first("---\n a: 1\n\tx\n---"), None);
        assert_eq!(first("---\n a: 1\n|x\n---"), None);
        assert_eq!(first("---\n a: 1\n&\n---"), None);
        assert_eq!(first("---\na: 1\n%YAML 2\n---"), None);
        assert_eq!(first("---\na: 1\n%foo\t\n---"), None);
        // A document at column 0 only ends at a marker or a directive.
        assert_eq!(first("---\na: 1\n- x\n---"), None);
        assert_eq!(first("---\n  a: 1\n b: 2\n---"), a1);
        // A flow mapping that turns out to be a key.
        assert_eq!(first("---\n{}x: |x\n---"), None);
        assert!(load("a: 1\n---\nb: 2").is_err());
    }

    #[test]
    fn deep_or_huge_documents_are_errors() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert!(load(&deep).is_err());
        // The parser stops at 256 levels (PyYAML near 450); 200 is fine for both.
        let fine = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(load(&fine).is_ok());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            laughs.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(load(&laughs).is_err());
    }

    #[test]
    fn big_and_signed_numbers() {
        assert_eq!(
            load("- -0x_1F\n- 123456789012345678901234567890\n- -0\n- +1:00").expect("valid"),
            Json::Array(vec![
                int("-31"),
                int("123456789012345678901234567890"),
                int("0"),
                int("60")
            ])
        );
        assert_eq!(
            load("- -1:30.5\n- 1.e+2\n- -.inf").expect("valid"),
            Json::Array(vec![
                Json::Float(-90.5),
                Json::Float(100.0),
                Json::Float(f64::NEG_INFINITY)
            ])
        );
    }
}
