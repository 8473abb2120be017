//! A JSON value that reads and writes the way Python's `json` module does.
//!
//! nbformat files are read with `json.loads` and written with
//! `json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`. That dialect differs from strict
//! JSON: `NaN`/`Infinity` are accepted, integers have any size, duplicate keys keep the last
//! value, and floats print as Python's `repr`. Objects keep the order of the file (Python's
//! `dict`), which matters for jupytext's MyST header; the nbformat writer sorts keys itself.
//!
//! Two departures from Python, both on inputs nbformat could not write back anyway: a lone
//! surrogate escape (`"\ud800"`) is an error (a Rust string cannot hold it), and nesting deeper
//! than [`MAX_DEPTH`] is an error (Python stops near the same depth with a `RecursionError`).
//!
//! The parser works on the bytes of a `&str` and allocates only for the values it builds; its
//! [`Parser::skip_value`] checks a value's syntax without building it, which is how a notebook is
//! read without its outputs.

use std::fmt;

use indexmap::IndexMap;

/// An object, in the order of the file (a duplicate key keeps its first position, last value).
pub type Map = IndexMap<String, Json>;

/// A JSON value in Python's reading of it.
///
/// Equality is equality of what is written: floats compare by their bits, so `NaN` equals
/// `NaN` (a notebook holding one equals itself) and `-0.0` differs from `0.0`.
#[derive(Clone, Debug)]
pub enum Json {
    Null,
    Bool(bool),
    /// An integer of any size, as canonical decimal digits (`-0` reads as `0`).
    Int(String),
    /// A number with a fraction or exponent, or `NaN` / `Infinity` / `-Infinity`.
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Map),
}

impl PartialEq for Json {
    fn eq(&self, other: &Json) -> bool {
        match (self, other) {
            (Json::Null, Json::Null) => true,
            (Json::Bool(a), Json::Bool(b)) => a == b,
            (Json::Int(a), Json::Int(b)) => a == b,
            (Json::Float(a), Json::Float(b)) => {
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
            }
            (Json::Str(a), Json::Str(b)) => a == b,
            (Json::Array(a), Json::Array(b)) => a == b,
            (Json::Object(a), Json::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl Json {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The object, if this is one, for changing it.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// What kind of value this is, for messages: "an object", "an array", "a string"...
    pub fn kind_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Int(_) => "an integer",
            Json::Float(_) => "a float",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Python's truth value (`bool(value)`): false for `null`, `false`, zero, and empty strings,
    /// arrays and objects.
    pub fn is_truthy(&self) -> bool {
        match self {
            Json::Null => false,
            Json::Bool(b) => *b,
            Json::Int(digits) => digits != "0",
            Json::Float(f) => *f != 0.0,
            Json::Str(s) => !s.is_empty(),
            Json::Array(a) => !a.is_empty(),
            Json::Object(m) => !m.is_empty(),
        }
    }
}

/// How deep arrays and objects may nest (Python's own limit is close to 1000).
pub const MAX_DEPTH: usize = 512;

/// Why a text is not JSON, and where (1-based line and column, the column counted in
/// characters as Python does).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    /// Byte offset of the problem in the text.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// The two kinds of JSON errors: a text that stops inside a value, and everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ends before the value does (a truncated file).
    UnexpectedEnd,
    /// A syntax error, described in a few words ("expected ',' or '}'").
    Syntax(&'static str),
}

impl JsonError {
    /// True when the text ended before the value did.
    pub fn is_truncated(&self) -> bool {
        self.kind == JsonErrorKind::UnexpectedEnd
    }

    /// The problem in a few words, without the position.
    pub fn message(&self) -> &'static str {
        match self.kind {
            JsonErrorKind::UnexpectedEnd => "unexpected end",
            JsonErrorKind::Syntax(message) => message,
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            JsonErrorKind::UnexpectedEnd => write!(
                f,
                "truncated: unexpected end at line {}, column {}",
                self.line, self.column
            ),
            JsonErrorKind::Syntax(message) => {
                write!(f, "line {}, column {}: {}", self.line, self.column, message)
            }
        }
    }
}

/// Parse a whole text as one JSON value (leading and trailing whitespace allowed).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser::new(text);
    let value = parser.parse_value()?;
    parser.finish()?;
    Ok(value)
}

/// Check that a whole text is one JSON value, without building it.
pub fn validate(text: &str) -> Result<(), JsonError> {
    let mut parser = Parser::new(text);
    parser.skip_value()?;
    parser.finish()
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, column)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bytes of `word` equal to zero get their high bit set (the lowest flagged byte is exact).
#[inline(always)]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Index of the first byte at or after `i` that is `"`, `\` or a control character (below
/// 0x20), or `bytes.len()`. Eight bytes at a time.
#[inline]
fn scan_plain(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let quote = zero_bytes(w ^ (ONES * u64::from(b'"')));
        let backslash = zero_bytes(w ^ (ONES * u64::from(b'\\')));
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
        let found = quote | backslash | control;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// A pull parser over one text. [`Parser::parse_value`] and [`Parser::skip_value`] read whole
/// values; [`Parser::begin_object`] / [`Parser::next_key`] and [`Parser::begin_array`] /
/// [`Parser::next_element`] let a caller walk the outer levels itself and choose, member by
/// member, what to build and what to skip.
pub struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn error_at(&self, kind: JsonErrorKind, offset: usize) -> JsonError {
        let (line, column) = line_column(self.bytes, offset);
        JsonError {
            kind,
            offset,
            line,
            column,
        }
    }

    fn syntax(&self, message: &'static str, offset: usize) -> JsonError {
        self.error_at(JsonErrorKind::Syntax(message), offset)
    }

    fn end(&self) -> JsonError {
        self.error_at(JsonErrorKind::UnexpectedEnd, self.bytes.len())
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b' ' || b == b'\n' || b == b'\r' || b == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The next byte after whitespace, without consuming it.
    pub fn peek(&mut self) -> Result<u8, JsonError> {
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.end()),
        }
    }

    /// Check that only whitespace is left.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.syntax("extra data after the value", self.pos));
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("nesting too deep", self.pos));
        }
        self.depth += 1;
        Ok(())
    }

    /// Consume the `{` that starts an object; then call [`Parser::next_key`] until it returns
    /// `None`, reading (or skipping) one value after each key.
    pub fn begin_object(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            b'{' => {
                self.enter()?;
                self.pos += 1;
                Ok(())
            }
            _ => Err(self.syntax("expected '{'", self.pos)),
        }
    }

    /// Consume the `[` that starts an array; then call [`Parser::next_element`] until it
    /// returns false, reading (or skipping) one value each time it returns true.
    pub fn begin_array(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            b'[' => {
                self.enter()?;
                self.pos += 1;
                Ok(())
            }
            _ => Err(self.syntax("expected '['", self.pos)),
        }
    }

    /// Move to the next member's key (left on its opening quote); false at the closing `}`.
    fn member_start(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        let b = self.peek()?;
        if *first {
            *first = false;
            if b == b'}' {
                self.pos += 1;
                self.depth -= 1;
                return Ok(false);
            }
        } else {
            match b {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(false);
                }
                _ => return Err(self.syntax("expected ',' or '}'", self.pos)),
            }
        }
        if self.peek()? != b'"' {
            return Err(self.syntax("expected a key in double quotes", self.pos));
        }
        self.pos += 1;
        Ok(true)
    }

    fn colon(&mut self) -> Result<(), JsonError> {
        if self.peek()? != b':' {
            return Err(self.syntax("expected ':'", self.pos));
        }
        self.pos += 1;
        Ok(())
    }

    /// The next key of the current object (its `:` consumed), or `None` at the closing `}`.
    /// `first` starts true for each object and is kept by the caller.
    pub fn next_key(&mut self, first: &mut bool) -> Result<Option<String>, JsonError> {
        if !self.member_start(first)? {
            return Ok(None);
        }
        let key = self.string_body()?;
        self.colon()?;
        Ok(Some(key))
    }

    /// True when another element of the current array follows (not consumed), false at the
    /// closing `]`. `first` starts true for each array and is kept by the caller.
    pub fn next_element(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        let b = self.peek()?;
        if *first {
            *first = false;
            if b == b']' {
                self.pos += 1;
                self.depth -= 1;
                return Ok(false);
            }
            return Ok(true);
        }
        match b {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.syntax("expected ',' or ']'", self.pos)),
        }
    }

    /// Read one value.
    pub fn parse_value(&mut self) -> Result<Json, JsonError> {
        match self.peek()? {
            b'{' => {
                self.begin_object()?;
                let mut map = Map::new();
                let mut first = true;
                while let Some(key) = self.next_key(&mut first)? {
                    let value = self.parse_value()?;
                    map.insert(key, value);
                }
                Ok(Json::Object(map))
            }
            b'[' => {
                self.begin_array()?;
                let mut items = Vec::new();
                let mut first = true;
                while self.next_element(&mut first)? {
                    items.push(self.parse_value()?);
                }
                Ok(Json::Array(items))
            }
            b'"' => {
                self.pos += 1;
                Ok(Json::Str(self.string_body()?))
            }
            _ => self.scalar(true),
        }
    }

    /// Check one value's syntax without building it.
    pub fn skip_value(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            b'{' => {
                self.begin_object()?;
                let mut first = true;
                while self.member_start(&mut first)? {
                    self.skip_string_body()?;
                    self.colon()?;
                    self.skip_value()?;
                }
                Ok(())
            }
            b'[' => {
                self.begin_array()?;
                let mut first = true;
                while self.next_element(&mut first)? {
                    self.skip_value()?;
                }
                Ok(())
            }
            b'"' => {
                self.pos += 1;
                self.skip_string_body()
            }
            _ => self.scalar(false).map(|_| ()),
        }
    }

    /// A number or a literal; built only when `build` (else `Json::Null` is returned).
    fn scalar(&mut self, build: bool) -> Result<Json, JsonError> {
        let start = self.pos;
        let b = self.peek()?;
        let literal = |p: &mut Parser<'a>, word: &'static [u8], value: Json| {
            let rest = &p.bytes[p.pos..];
            if rest.starts_with(word) {
                p.pos += word.len();
                Ok(value)
            } else if word.starts_with(rest) {
                Err(p.end())
            } else {
                Err(p.syntax("expected value", start))
            }
        };
        match b {
            b't' => literal(self, b"true", Json::Bool(true)),
            b'f' => literal(self, b"false", Json::Bool(false)),
            b'n' => literal(self, b"null", Json::Null),
            b'N' => literal(self, b"NaN", Json::Float(f64::NAN)),
            b'I' => literal(self, b"Infinity", Json::Float(f64::INFINITY)),
            b'-' if self.bytes.get(self.pos + 1) == Some(&b'I') => {
                literal(self, b"-Infinity", Json::Float(f64::NEG_INFINITY))
            }
            b'-' | b'0'..=b'9' => self.number(build),
            _ => Err(self.syntax("expected value", start)),
        }
    }

    /// A number, as Python's scanner reads it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
    /// (a `.` or `e` not followed by digits ends the number before it).
    fn number(&mut self, build: bool) -> Result<Json, JsonError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            Some(_) => return Err(self.syntax("expected value", start)),
            None => return Err(self.end()),
        }
        let mut is_float = false;
        // a fraction or exponent cut short by the end of the text is a truncation
        if &bytes[i..] == b"." {
            return Err(self.end());
        }
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 2;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            is_float = true;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            let rest = &bytes[i + 1..];
            if rest.is_empty() || rest == b"+" || rest == b"-" {
                return Err(self.end());
            }
            let mut j = i + 1;
            if matches!(bytes.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if bytes.get(j).is_some_and(u8::is_ascii_digit) {
                while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                i = j;
                is_float = true;
            }
        }
        self.pos = i;
        if !build {
            return Ok(Json::Null);
        }
        let digits = self.text.get(start..i).unwrap_or("0");
        if is_float {
            match digits.parse::<f64>() {
                Ok(f) => Ok(Json::Float(f)),
                Err(_) => Err(self.syntax("invalid number", start)),
            }
        } else if digits == "-0" {
            Ok(Json::Int("0".to_owned()))
        } else {
            Ok(Json::Int(digits.to_owned()))
        }
    }

    /// The slice `start..end` of the text (both ends are next to ASCII bytes).
    fn slice(&self, start: usize, end: usize) -> Result<&'a str, JsonError> {
        self.text
            .get(start..end)
            .ok_or_else(|| self.syntax("invalid UTF-8 boundary", start))
    }

    /// The rest of a string whose opening quote was consumed.
    fn string_body(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        let end = scan_plain(self.bytes, start);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok(self.slice(start, end)?.to_owned())
            }
            Some(b'\\') => {
                let mut out = String::with_capacity(end - start + 16);
                out.push_str(self.slice(start, end)?);
                self.pos = end;
                self.string_escaped(Some(&mut out))?;
                Ok(out)
            }
            Some(_) => Err(self.syntax("invalid control character in string", end)),
            None => Err(self.end()),
        }
    }

    /// Append the rest of a string whose opening quote was consumed to `out`.
    fn string_body_into(&mut self, out: &mut String) -> Result<(), JsonError> {
        let start = self.pos;
        let end = scan_plain(self.bytes, start);
        out.push_str(self.slice(start, end)?);
        self.pos = end;
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok(())
            }
            Some(b'\\') => self.string_escaped(Some(out)),
            Some(_) => Err(self.syntax("invalid control character in string", end)),
            None => Err(self.end()),
        }
    }

    /// Read an array whose items are all strings as their concatenation (`"".join(items)`,
    /// how nbformat stores multi-line text), without a string per item. Any other value, an
    /// array with other items included, comes back whole as `Err(value)`.
    pub fn parse_joined_strings(&mut self) -> Result<Result<String, Json>, JsonError> {
        if self.peek()? != b'[' {
            return Ok(Err(self.parse_value()?));
        }
        self.begin_array()?;
        let mut joined = String::new();
        let mut ends = Vec::new();
        let mut first = true;
        while self.next_element(&mut first)? {
            if self.peek()? == b'"' {
                self.pos += 1;
                self.string_body_into(&mut joined)?;
                ends.push(joined.len());
                continue;
            }
            // not all strings: rebuild the items read so far, then read the rest
            let mut items = Vec::with_capacity(ends.len() + 1);
            let mut start = 0;
            for end in ends {
                items.push(Json::Str(
                    joined.get(start..end).unwrap_or_default().to_owned(),
                ));
                start = end;
            }
            items.push(self.parse_value()?);
            while self.next_element(&mut first)? {
                items.push(self.parse_value()?);
            }
            return Ok(Err(Json::Array(items)));
        }
        Ok(Ok(joined))
    }

    /// Check the rest of a string whose opening quote was consumed.
    fn skip_string_body(&mut self) -> Result<(), JsonError> {
        let end = scan_plain(self.bytes, self.pos);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok(())
            }
            Some(b'\\') => {
                self.pos = end;
                self.string_escaped(None)
            }
            Some(_) => Err(self.syntax("invalid control character in string", end)),
            None => Err(self.end()),
        }
    }

    /// From a special byte inside a string to the closing quote, decoding escapes into `out`
    /// when given.
    fn string_escaped(&mut self, mut out: Option<&mut String>) -> Result<(), JsonError> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let at = self.pos;
                    let decoded = match self.bytes.get(at + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos = at + 2;
                            let c = self.unicode_escape(at)?;
                            if let Some(out) = out.as_deref_mut() {
                                out.push(c);
                            }
                            self.plain_run(out.as_deref_mut())?;
                            continue;
                        }
                        Some(_) => return Err(self.syntax("invalid escape", at)),
                        None => return Err(self.end()),
                    };
                    self.pos = at + 2;
                    if let Some(out) = out.as_deref_mut() {
                        out.push(decoded);
                    }
                }
                Some(_) => return Err(self.syntax("invalid control character in string", self.pos)),
                None => return Err(self.end()),
            }
            self.plain_run(out.as_deref_mut())?;
        }
    }

    /// Copy the run of ordinary characters at the current position.
    #[inline]
    fn plain_run(&mut self, out: Option<&mut String>) -> Result<(), JsonError> {
        let end = scan_plain(self.bytes, self.pos);
        if let Some(out) = out {
            out.push_str(self.slice(self.pos, end)?);
        }
        self.pos = end;
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for k in 0..4 {
            let digit = match self.bytes.get(self.pos + k) {
                Some(&b) => match (b as char).to_digit(16) {
                    Some(d) if b.is_ascii() => d,
                    _ => return Err(self.syntax("invalid \\uXXXX escape", self.pos)),
                },
                None => return Err(self.end()),
            };
            value = value * 16 + digit;
        }
        self.pos += 4;
        Ok(value)
    }

    /// The character of a `\uXXXX` escape (a surrogate pair taken together); `at` is the
    /// backslash, the position is just after `\u`.
    fn unicode_escape(&mut self, at: usize) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                let rest = &self.bytes[self.pos..];
                if rest.len() < 2 && b"\\u".starts_with(rest) {
                    return Err(self.end());
                }
                if !rest.starts_with(b"\\u") {
                    return Err(self.syntax("lone surrogate in \\u escape", at));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("lone surrogate in \\u escape", at));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.syntax("lone surrogate in \\u escape", at)),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid \\uXXXX escape", at))
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Python's `repr` of a float, as `json.dumps` writes it: the shortest digits that read back
/// to the same double, positional when the decimal exponent is in -4..16 (with at least one
/// fractional digit), else `d[.ddd]e±XX`; `NaN`, `Infinity`, `-Infinity`.
pub fn write_float(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if value == 0.0 {
        out.push_str(if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        });
        return;
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{value:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        out.push_str(&magnitude.to_string());
    }
}

/// Python's `repr` of a float (see [`write_float`]).
pub fn float_repr(value: f64) -> String {
    let mut out = String::new();
    write_float(&mut out, value);
    out
}

/// A string in double quotes as `json.dumps(..., ensure_ascii=False)` writes it: `"`, `\`,
/// `\n`, `\r`, `\t`, `\b`, `\f` as two-character escapes, other characters below 0x20 as
/// `\u00XX` (lowercase hex), everything else raw.
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        let end = scan_plain(bytes, start);
        out.push_str(&s[start..end]);
        let Some(&b) = bytes.get(end) else { break };
        push_escape(out, b);
        start = end + 1;
    }
    out.push('"');
}

fn push_escape(out: &mut String, b: u8) {
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => push_u_escape(out, u32::from(b)),
    }
}

fn push_u_escape(out: &mut String, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((unit >> shift) & 0xF) as usize]));
    }
}

/// A string as `json.dumps(..., ensure_ascii=True)` writes it: like [`write_str`], and every
/// character outside printable ASCII (DEL included) as `\uxxxx`, astral characters as a
/// surrogate pair.
pub fn write_str_ascii(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            ' '..='~' if c != '"' && c != '\\' => out.push(c),
            '\0'..='\u{7f}' => push_escape(out, c as u8),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u_escape(out, u32::from(*unit));
                }
            }
        }
    }
    out.push('"');
}

fn write_scalar(out: &mut String, value: &Json, ensure_ascii: bool) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Int(digits) => out.push_str(digits),
        Json::Float(f) => write_float(out, *f),
        Json::Str(s) if ensure_ascii => write_str_ascii(out, s),
        Json::Str(s) => write_str(out, s),
        Json::Array(_) | Json::Object(_) => {}
    }
}

/// A newline and `level` spaces (nbformat indents by one space per level).
pub fn write_newline_indent(out: &mut String, level: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', level));
}

/// The members of an object in code point order of their keys (Python's `sort_keys=True`).
pub fn sorted_members(map: &Map) -> Vec<(&String, &Json)> {
    let mut members: Vec<(&String, &Json)> = map.iter().collect();
    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
    members
}

/// Write `value` as `json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)` does,
/// its first line continuing the current line and nested lines indented from `level`.
pub fn write_pretty(out: &mut String, value: &Json, level: usize) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in sorted_members(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_str(out, key);
                out.push_str(": ");
                write_pretty(out, item, level + 1);
            }
            write_newline_indent(out, level);
            out.push('}');
        }
        Json::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_pretty(out, item, level + 1);
            }
            write_newline_indent(out, level);
            out.push(']');
        }
        Json::Object(_) => out.push_str("{}"),
        Json::Array(_) => out.push_str("[]"),
        scalar => write_scalar(out, scalar, false),
    }
}

/// `json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)` (nbformat's layout, no
/// final newline).
pub fn to_pretty_string(value: &Json) -> String {
    let mut out = String::new();
    write_pretty(&mut out, value, 0);
    out
}

/// `json.dumps(value, ensure_ascii=..., sort_keys=...)` with Python's default separators
/// (`", "` and `": "`) on one line: `{"a": [1, 2.0], "b": "\u00e9"}`.
pub fn to_python_json_compact(value: &Json, ensure_ascii: bool, sort_keys: bool) -> String {
    let mut out = String::new();
    write_compact(&mut out, value, ensure_ascii, sort_keys);
    out
}

/// [`to_python_json_compact`] of an object given as its map (no clone into a [`Json`]).
pub fn map_to_python_json_compact(map: &Map, ensure_ascii: bool, sort_keys: bool) -> String {
    let mut out = String::new();
    write_compact_object(&mut out, map, ensure_ascii, sort_keys);
    out
}

fn write_compact_object(out: &mut String, map: &Map, ensure_ascii: bool, sort_keys: bool) {
    out.push('{');
    let members = if sort_keys {
        sorted_members(map)
    } else {
        map.iter().collect()
    };
    for (i, (key, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if ensure_ascii {
            write_str_ascii(out, key);
        } else {
            write_str(out, key);
        }
        out.push_str(": ");
        write_compact(out, item, ensure_ascii, sort_keys);
    }
    out.push('}');
}

/// See [`to_python_json_compact`].
pub fn write_compact(out: &mut String, value: &Json, ensure_ascii: bool, sort_keys: bool) {
    match value {
        Json::Object(map) => write_compact_object(out, map, ensure_ascii, sort_keys),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(out, item, ensure_ascii, sort_keys);
            }
            out.push(']');
        }
        scalar => write_scalar(out, scalar, ensure_ascii),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(members: &[(&str, Json)]) -> Json {
        Json::Object(
            members
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn int(digits: &str) -> Json {
        Json::Int(digits.to_owned())
    }

    fn err(text: &str) -> JsonError {
        match parse(text) {
            Ok(value) => panic!("{text:?} parsed as {value:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn python_dialect_values() {
        let value = parse(
            r#"{"a": NaN, "b": Infinity, "c": -Infinity, "d": 12345678901234567890, "e": -0,
               "f": -0.0, "g": 1E+2, "h": 1.10, "i": true, "j": null, "k": "\/"}"#,
        )
        .unwrap();
        let map = value.as_object().unwrap();
        assert!(matches!(map["a"], Json::Float(f) if f.is_nan()));
        assert_eq!(map["b"], Json::Float(f64::INFINITY));
        assert_eq!(map["c"], Json::Float(f64::NEG_INFINITY));
        assert_eq!(map["d"], int("12345678901234567890"));
        assert_eq!(map["e"], int("0"));
        assert!(matches!(map["f"], Json::Float(f) if f == 0.0 && f.is_sign_negative()));
        assert_eq!(map["g"], Json::Float(100.0));
        assert_eq!(map["h"], Json::Float(1.1));
        assert_eq!(map["i"], Json::Bool(true));
        assert_eq!(map["j"], Json::Null);
        assert_eq!(map["k"], Json::Str("/".into()));
    }

    #[test]
    fn duplicate_keys_keep_first_position_last_value() {
        // json.loads('{"a": 1, "b": 2, "a": 3}') == {'a': 3, 'b': 2}, in that order
        let value = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(value, obj(&[("a", int("3")), ("b", int("2"))]));
    }

    #[test]
    fn escapes_and_surrogate_pairs() {
        let value = parse(r#""tab\t nl\n q\" bs\\ \u00e9 \ud83d\ude00 \b\f\r""#).unwrap();
        assert_eq!(
            value,
            Json::Str("tab\t nl\n q\" bs\\ é 😀 \u{8}\u{c}\r".into())
        );
    }

    #[test]
    fn equality_is_equality_of_the_written_text() {
        assert_eq!(Json::Float(f64::NAN), Json::Float(-f64::NAN));
        assert_ne!(Json::Float(0.0), Json::Float(-0.0));
        assert_ne!(Json::Float(1.0), int("1"));
        assert_eq!(parse("[NaN, 1.5]").unwrap(), parse("[NaN, 1.50]").unwrap());
    }

    #[test]
    fn joined_strings() {
        let joined = |text: &str| {
            let mut p = Parser::new(text);
            let value = p.parse_joined_strings().unwrap();
            p.finish().unwrap();
            value
        };
        assert_eq!(
            joined(r#"["a", "b\n", "\u00e9c"]"#),
            Ok("ab\néc".to_owned())
        );
        assert_eq!(joined("[]"), Ok(String::new()));
        assert_eq!(joined(r#""x""#), Err(Json::Str("x".into())));
        assert_eq!(
            joined(r#"["a\"", "b", 1, "c"]"#),
            Err(parse(r#"["a\"", "b", 1, "c"]"#).unwrap())
        );
        assert!(Parser::new(r#"["a", "b""#)
            .parse_joined_strings()
            .unwrap_err()
            .is_truncated());
    }

    #[test]
    fn huge_float_is_infinity() {
        // float('1e400') == inf in Python
        assert_eq!(parse("1e400").unwrap(), Json::Float(f64::INFINITY));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = err("{\n \"cells\": [\n  {\"cell_type\": \"code\",, }\n ]\n}\n");
        assert_eq!(
            e.kind,
            JsonErrorKind::Syntax("expected a key in double quotes")
        );
        assert_eq!((e.line, e.column), (3, 24));
        assert_eq!(
            e.to_string(),
            "line 3, column 24: expected a key in double quotes"
        );
        let e = err("{\"a\": 1 \"b\": 2}");
        assert_eq!(e.to_string(), "line 1, column 9: expected ',' or '}'");
        let e = err("[1 2]");
        assert_eq!(e.message(), "expected ',' or ']'");
        let e = err("{\"a\" 1}");
        assert_eq!(e.message(), "expected ':'");
        let e = err("[1,]");
        assert_eq!(e.message(), "expected value");
        let e = err("{} x");
        assert_eq!(e.message(), "extra data after the value");
        let e = err("[1.]");
        assert_eq!(e.message(), "expected ',' or ']'");
        let e = err("01");
        assert_eq!(e.message(), "extra data after the value");
        let e = err("\"a\\x\"");
        assert_eq!(e.message(), "invalid escape");
        let e = err("\"é\u{1}\"");
        assert_eq!(
            (e.message(), e.column),
            ("invalid control character in string", 3)
        );
    }

    #[test]
    fn strict_strings_refuse_raw_control_characters() {
        for text in ["\"a\nb\"", "\"a\tb\"", "\"\u{0}\"", "\"\u{1f}\""] {
            assert_eq!(err(text).message(), "invalid control character in string");
        }
        // DEL and C1 controls are fine
        assert_eq!(
            parse("\"\u{7f}\u{85}\"").unwrap(),
            Json::Str("\u{7f}\u{85}".into())
        );
    }

    #[test]
    fn lone_surrogates_are_errors() {
        for text in [
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\ud800\u0041""#,
            r#""\ud800x""#,
        ] {
            assert_eq!(
                err(text).message(),
                "lone surrogate in \\u escape",
                "{text}"
            );
        }
    }

    #[test]
    fn truncation_is_its_own_kind() {
        for text in [
            "{",
            "[1, 2",
            "{\"a\": ",
            "\"abc",
            "{\"a\": tr",
            "-",
            "[1, 2,",
            "\"\\u00",
            "\"\\",
            "{\"a\"",
            "\"\\ud83d",
            "[1.",
            "[1e",
            "[1E+",
            "[-1.5e-",
            "[0.5e",
        ] {
            let e = err(text);
            assert!(e.is_truncated(), "{text:?}: {e:?}");
            assert_eq!(e.offset, text.len());
        }
        let e = err("{\n \"a\": [\n  1,");
        assert_eq!(
            e.to_string(),
            "truncated: unexpected end at line 3, column 5"
        );
    }

    #[test]
    fn skip_checks_the_same_syntax() {
        for text in [
            "{\"a\": [1, 2.5e3, \"x\\u00e9\", {\"b\": null}], \"c\": -Infinity}",
            "[]",
            "{}",
            "\"\\ud83d\\ude00\"",
        ] {
            assert!(validate(text).is_ok(), "{text}");
        }
        for text in [
            "{\"a\" 1}",
            "[1,]",
            "\"\\ud800\"",
            "\"a\nb\"",
            "[1 2]",
            "{\"a\": 1,}",
        ] {
            assert_eq!(validate(text).unwrap_err(), err(text), "{text}");
        }
    }

    #[test]
    fn nesting_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(err(&deep).message(), "nesting too deep");
        assert_eq!(validate(&deep).unwrap_err().message(), "nesting too deep");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    // Expected strings below are Python's repr(float(...)) (CPython 3.11).
    #[test]
    fn float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (1e20, "1e+20"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1.5e-7, "1.5e-07"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.00001, "1e-05"),
            (0.0001, "0.0001"),
            (1.1, "1.1"),
            (123.456, "123.456"),
            (-2.5, "-2.5"),
            (1.2345678901234567e16, "1.2345678901234568e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (1e100, "1e+100"),
            (1.5e-10, "1.5e-10"),
            (123456789.0, "123456789.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(*value), *expected, "{value:e}");
        }
    }

    #[test]
    fn strings_escape_as_python() {
        let mut out = String::new();
        write_str(
            &mut out,
            "tab\t nl\n cr\r bs\\ q\" bell\u{7} esc\u{1b} del\u{7f} nbsp\u{a0} ls\u{2028} bom\u{feff} 😀 slash/ é \u{b}\u{8}\u{c}",
        );
        assert_eq!(
            out,
            "\"tab\\t nl\\n cr\\r bs\\\\ q\\\" bell\\u0007 esc\\u001b del\u{7f} nbsp\u{a0} ls\u{2028} bom\u{feff} 😀 slash/ é \\u000b\\b\\f\""
        );
    }

    // Expected: json.dumps({"s": "é\x7f😀\n\x01", "n": [1, 2.0, None, True], "e": {}, "a": []})
    #[test]
    fn compact_form_matches_python_defaults() {
        let value = obj(&[
            ("s", Json::Str("é\u{7f}😀\n\u{1}\"".into())),
            (
                "n",
                Json::Array(vec![
                    int("1"),
                    Json::Float(2.0),
                    Json::Null,
                    Json::Bool(true),
                ]),
            ),
            ("e", obj(&[])),
            ("a", Json::Array(vec![])),
        ]);
        assert_eq!(
            to_python_json_compact(&value, true, false),
            r#"{"s": "\u00e9\u007f\ud83d\ude00\n\u0001\"", "n": [1, 2.0, null, true], "e": {}, "a": []}"#
        );
        assert_eq!(
            map_to_python_json_compact(value.as_object().unwrap(), true, false),
            to_python_json_compact(&value, true, false)
        );
        assert_eq!(
            to_python_json_compact(&value, false, true),
            "{\"a\": [], \"e\": {}, \"n\": [1, 2.0, null, true], \"s\": \"é\u{7f}😀\\n\\u0001\\\"\"}"
        );
    }

    #[test]
    fn pretty_form_matches_nbformat_layout() {
        let value = parse(r#"{"b": [1, {"y": [], "x": {}}], "a": "é", "c": {"k": 1.0}}"#).unwrap();
        assert_eq!(
            to_pretty_string(&value),
            "{\n \"a\": \"é\",\n \"b\": [\n  1,\n  {\n   \"x\": {},\n   \"y\": []\n  }\n ],\n \"c\": {\n  \"k\": 1.0\n }\n}"
        );
    }

    #[test]
    fn scan_finds_specials_in_every_lane() {
        for len in 0..20 {
            for special in [b'"', b'\\', 0x01u8, 0x1f] {
                let mut bytes = vec![b'a'; len];
                bytes.push(special);
                bytes.extend_from_slice(b"zzzzzzzzzz");
                assert_eq!(scan_plain(&bytes, 0), len);
            }
            let bytes = "é".repeat(len);
            assert_eq!(scan_plain(bytes.as_bytes(), 0), bytes.len());
        }
    }
}
