//! What PyYAML's scanner reads past the root node of the first document of a stream.
//!
//! `next(yaml.safe_load_all(text))` stops parsing once the first document has ended, but the
//! scanner has read some tokens further: the parser looks at one token to see that the document
//! is over, and the scanner reads on while that token could still turn out to be a mapping key
//! (a scalar, an alias, an anchor, a tag or a flow collection: on the same line, until a `:`
//! settles it, plus the first token of the next line). A scanner error in those tokens makes
//! the whole load fail; nothing after them is read. This module follows those tokens with
//! PyYAML's rules for where each one ends and what it refuses.

use super::{Compose, Source, YamlError};

/// Characters that end a plain scalar chunk, and that no token but a quoted scalar holds.
fn is_blank(c: Option<char>) -> bool {
    matches!(c, None | Some(' ' | '\t' | '\n'))
}

fn is_break_or_end(c: Option<char>) -> bool {
    matches!(c, None | Some('\n'))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_')
}

/// A possible mapping key the scanner keeps reading for: where it starts, on which line.
#[derive(Clone, Copy)]
struct Key {
    index: usize,
    line: usize,
    /// The key is the root node's opening bracket: should a `:` make it a key, the root is not
    /// that collection at all but a mapping with a collection for its key.
    root: bool,
}

/// PyYAML's longest simple key, in characters.
const SIMPLE_KEY_LENGTH: usize = 1024;

struct Scanner<'a> {
    source: &'a Source,
    chars: &'a [char],
    pos: usize,
    flow_level: usize,
    allow_simple_key: bool,
    /// The key the parser's next token may be (the only one that makes the scanner read on).
    key: Option<Key>,
}

/// Scan from `start` as PyYAML does once the parser needs the token after the root: the first
/// token is read in any case, the next ones while a possible key is pending: `key_index` (the
/// root's opening bracket, for a flow collection on one line) or the first token when it may be
/// a key. `allow_simple_key` is the scanner's state at `start`.
pub(super) fn scan(
    source: &Source,
    start: usize,
    allow_simple_key: bool,
    key_index: Option<usize>,
) -> Result<(), Compose> {
    let mut scanner = Scanner {
        source,
        chars: &source.chars,
        pos: start,
        flow_level: 0,
        allow_simple_key,
        key: key_index.map(|index| Key {
            index,
            line: source.mark(index).line,
            root: true,
        }),
    };
    let mut first = true;
    loop {
        if !first {
            scanner.drop_stale_key();
            if scanner.key.is_none() {
                return Ok(());
            }
        }
        if !scanner.fetch(first)? {
            return Ok(());
        }
        first = false;
    }
}

impl Scanner<'_> {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn line(&self) -> usize {
        self.source.mark(self.pos).line
    }

    fn column(&self) -> usize {
        self.pos - self.source.line_start(self.pos)
    }

    fn error(&self, context: &str, problem: String) -> Compose {
        YamlError::at(format!("{context}: {problem}"), self.source.mark(self.pos)).into()
    }

    fn drop_stale_key(&mut self) {
        if let Some(key) = self.key {
            if key.line != self.line() || self.pos - key.index > SIMPLE_KEY_LENGTH {
                self.key = None;
            }
        }
    }

    /// A token that may be a key starts here: it becomes the key when it is the first token
    /// (otherwise the key at this level is replaced, which ends the reading at level 0).
    fn save_key(&mut self, first: bool) {
        if self.allow_simple_key && self.flow_level == 0 {
            self.key = first.then(|| Key {
                index: self.pos,
                line: self.line(),
                root: false,
            });
        }
    }

    /// A token that removes the possible key of its level.
    fn remove_key(&mut self) {
        if self.flow_level == 0 {
            self.key = None;
        }
    }

    /// Skip spaces, comments and line breaks (`scan_to_next_token`).
    fn skip_to_token(&mut self) {
        loop {
            while self.peek(0) == Some(' ') {
                self.pos += 1;
            }
            if self.peek(0) == Some('#') {
                while !is_break_or_end(self.peek(0)) {
                    self.pos += 1;
                }
            }
            if self.peek(0) == Some('\n') {
                self.pos += 1;
                if self.flow_level == 0 {
                    self.allow_simple_key = true;
                }
            } else {
                return;
            }
        }
    }

    /// Read one token; false at the end of the text.
    fn fetch(&mut self, first: bool) -> Result<bool, Compose> {
        self.skip_to_token();
        self.drop_stale_key();
        let Some(c) = self.peek(0) else {
            return Ok(false);
        };
        let next = self.peek(1);
        let at_line_start = self.column() == 0;
        let marker = at_line_start && self.at_document_marker();
        match c {
            '%' if at_line_start => {
                self.key = None;
                super::check_directive(self.source, self.pos)?;
                return Ok(false);
            }
            _ if marker => {
                self.key = None;
                self.allow_simple_key = false;
                self.pos += 3;
            }
            '[' | '{' => {
                self.save_key(first);
                self.flow_level += 1;
                self.allow_simple_key = true;
                self.pos += 1;
            }
            ']' | '}' => {
                self.remove_key();
                self.flow_level = self.flow_level.saturating_sub(1);
                self.allow_simple_key = false;
                self.pos += 1;
            }
            ',' => {
                self.allow_simple_key = true;
                self.remove_key();
                self.pos += 1;
            }
            '-' if is_blank(next) => {
                if self.flow_level == 0 && !self.allow_simple_key {
                    return Err(self.error(
                        "while scanning a block entry",
                        "sequence entries are not allowed here".into(),
                    ));
                }
                self.allow_simple_key = true;
                self.remove_key();
                self.pos += 1;
            }
            '?' if self.flow_level > 0 || is_blank(next) => {
                if self.flow_level == 0 && !self.allow_simple_key {
                    return Err(self.error(
                        "while scanning a key",
                        "mapping keys are not allowed here".into(),
                    ));
                }
                self.allow_simple_key = self.flow_level == 0;
                self.remove_key();
                self.pos += 1;
            }
            ':' if self.flow_level > 0 || is_blank(next) => {
                if self.flow_level == 0 {
                    if let Some(key) = self.key {
                        if key.root {
                            return Err(self.error(
                                "while constructing a mapping",
                                "found a flow collection used as a key".into(),
                            ));
                        }
                        // The key is settled: nothing more is read for it.
                        self.key = None;
                        self.allow_simple_key = false;
                    } else if !self.allow_simple_key {
                        return Err(self.error(
                            "while scanning a value",
                            "mapping values are not allowed here".into(),
                        ));
                    } else {
                        self.allow_simple_key = true;
                    }
                } else {
                    self.allow_simple_key = false;
                }
                self.pos += 1;
            }
            '*' | '&' => {
                self.save_key(first);
                self.allow_simple_key = false;
                self.scan_anchor(c)?;
            }
            '!' => {
                self.save_key(first);
                self.allow_simple_key = false;
                self.scan_tag()?;
            }
            '|' | '>' if self.flow_level == 0 => {
                self.allow_simple_key = true;
                self.remove_key();
                super::check_block_header(self.source, self.pos)?;
                // Nothing in the text of a block scalar is refused, and no key is left.
                return Ok(false);
            }
            '\'' | '"' => {
                self.save_key(first);
                self.allow_simple_key = false;
                self.scan_quoted(c == '"')?;
            }
            _ if self.starts_plain(c, next) => {
                self.save_key(first);
                self.scan_plain();
            }
            _ => {
                return Err(self.error(
                    "while scanning for the next token",
                    format!("found character {c:?} that cannot start any token"),
                ))
            }
        }
        Ok(true)
    }

    fn starts_plain(&self, c: char, next: Option<char>) -> bool {
        let special = matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '-'
                | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        );
        !special
            || (!is_blank(next) && (c == '-' || (self.flow_level == 0 && matches!(c, '?' | ':'))))
    }

    fn scan_anchor(&mut self, indicator: char) -> Result<(), Compose> {
        let what = if indicator == '*' {
            "while scanning an alias"
        } else {
            "while scanning an anchor"
        };
        self.pos += 1;
        let mut length = 0;
        while self.peek(length).is_some_and(is_name_char) {
            length += 1;
        }
        let after = self.peek(length);
        let ends =
            is_blank(after) || matches!(after, Some('?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'));
        if length == 0 || !ends {
            self.pos += length;
            return Err(self.error(
                what,
                format!("expected alphabetic or numeric character, but found {after:?}"),
            ));
        }
        self.pos += length;
        Ok(())
    }

    fn scan_tag(&mut self) -> Result<(), Compose> {
        const CONTEXT: &str = "while scanning a tag";
        match self.peek(1) {
            Some('<') => {
                self.pos += 2;
                self.scan_uri()?;
                if self.peek(0) != Some('>') {
                    return Err(self.error(
                        CONTEXT,
                        format!("expected '>', but found {:?}", self.peek(0)),
                    ));
                }
                self.pos += 1;
            }
            next if is_blank(next) => self.pos += 1,
            _ => {
                let mut length = 1;
                let mut handle = false;
                while let Some(c) = self.peek(length).filter(|c| *c != ' ' && *c != '\n') {
                    if c == '!' {
                        handle = true;
                        break;
                    }
                    length += 1;
                }
                if handle {
                    self.pos += 1;
                    if self.peek(0) != Some(' ') {
                        while self.peek(0).is_some_and(is_name_char) {
                            self.pos += 1;
                        }
                        if self.peek(0) != Some('!') {
                            return Err(self.error(
                                CONTEXT,
                                format!("expected '!', but found {:?}", self.peek(0)),
                            ));
                        }
                        self.pos += 1;
                    }
                } else {
                    self.pos += 1;
                }
                self.scan_uri()?;
            }
        }
        if !is_break_or_end(self.peek(0)) && self.peek(0) != Some(' ') {
            return Err(self.error(
                CONTEXT,
                format!("expected ' ', but found {:?}", self.peek(0)),
            ));
        }
        Ok(())
    }

    fn scan_uri(&mut self) -> Result<(), Compose> {
        let start = self.pos;
        loop {
            match self.peek(0) {
                Some('%') => {
                    let mut bytes = Vec::new();
                    while self.peek(0) == Some('%') {
                        self.pos += 1;
                        let hex: String = (0..2).filter_map(|k| self.peek(k)).collect();
                        let Some(byte) = (hex.len() == 2)
                            .then(|| u8::from_str_radix(&hex, 16).ok())
                            .flatten()
                        else {
                            return Err(self.error(
                                "while scanning a tag",
                                "expected URI escape sequence of 2 hexadecimal numbers".into(),
                            ));
                        };
                        bytes.push(byte);
                        self.pos += 2;
                    }
                    if std::str::from_utf8(&bytes).is_err() {
                        return Err(self.error(
                            "while scanning a tag",
                            "invalid UTF-8 in a URI escape".into(),
                        ));
                    }
                }
                Some(c) if c.is_ascii_alphanumeric() || "-;/?:@&=+$,_.!~*'()[]".contains(c) => {
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if self.pos == start {
            return Err(self.error(
                "while scanning a tag",
                format!("expected URI, but found {:?}", self.peek(0)),
            ));
        }
        Ok(())
    }

    fn scan_quoted(&mut self, double: bool) -> Result<(), Compose> {
        const CONTEXT: &str = "while scanning a quoted scalar";
        let quote = if double { '"' } else { '\'' };
        self.pos += 1;
        loop {
            match self.peek(0) {
                None => return Err(self.error(CONTEXT, "found unexpected end of stream".into())),
                Some(c) if c == quote => {
                    if !double && self.peek(1) == Some('\'') {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') if double => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some(
                            '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"'
                            | '\\' | '/' | 'N' | '_' | 'L' | 'P',
                        ) => self.pos += 1,
                        Some(code @ ('x' | 'u' | 'U')) => {
                            let length = match code {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            self.pos += 1;
                            for k in 0..length {
                                if !self.peek(k).is_some_and(|c| c.is_ascii_hexdigit()) {
                                    return Err(self.error(
                                        CONTEXT,
                                        format!("expected escape sequence of {length} hexadecimal numbers"),
                                    ));
                                }
                            }
                            self.pos += length;
                        }
                        Some('\n') => {
                            self.pos += 1;
                            self.quoted_breaks()?;
                        }
                        other => {
                            return Err(self.error(
                                CONTEXT,
                                format!("found unknown escape character {other:?}"),
                            ))
                        }
                    }
                }
                Some('\n') => {
                    self.pos += 1;
                    self.quoted_breaks()?;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Line starts inside a quoted scalar: a document marker there is refused.
    fn quoted_breaks(&mut self) -> Result<(), Compose> {
        loop {
            if self.at_document_marker() {
                return Err(self.error(
                    "while scanning a quoted scalar",
                    "found unexpected document separator".into(),
                ));
            }
            while matches!(self.peek(0), Some(' ' | '\t')) {
                self.pos += 1;
            }
            if self.peek(0) == Some('\n') {
                self.pos += 1;
            } else {
                return Ok(());
            }
        }
    }

    /// A plain scalar (PyYAML's `scan_plain`, with the indentation of the top level: any
    /// column continues it in block context).
    fn scan_plain(&mut self) {
        loop {
            if self.peek(0) == Some('#') {
                return;
            }
            let mut length = 0;
            while let Some(c) = self.peek(length) {
                let after = self.peek(length + 1);
                let ends = matches!(c, ' ' | '\t' | '\n')
                    || (c == ':'
                        && (is_blank(after)
                            || (self.flow_level > 0
                                && matches!(after, Some(',' | '[' | ']' | '{' | '}')))))
                    || (self.flow_level > 0 && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'));
                if ends {
                    break;
                }
                length += 1;
            }
            if length == 0 {
                return;
            }
            self.allow_simple_key = false;
            self.pos += length;
            if !self.plain_spaces() || self.peek(0) == Some('#') {
                return;
            }
        }
    }

    /// The spaces and line breaks after a plain chunk; false when there are none (or a
    /// document marker follows a line break).
    fn plain_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek(0) == Some(' ') {
            self.pos += 1;
        }
        if self.peek(0) != Some('\n') {
            return self.pos > start;
        }
        self.allow_simple_key = true;
        loop {
            match self.peek(0) {
                Some(' ') => self.pos += 1,
                Some('\n') => {
                    self.pos += 1;
                    if self.at_document_marker() {
                        return false;
                    }
                }
                _ => return true,
            }
        }
    }

    /// `---` or `...` then a blank or the end, at the position (which starts a line).
    fn at_document_marker(&self) -> bool {
        let rest = &self.chars[self.pos..];
        rest.len() >= 3
            && (rest[..3] == ['-', '-', '-'] || rest[..3] == ['.', '.', '.'])
            && is_blank(rest.get(3).copied())
    }
}
