//! The block structure of a MyST text, as the tokeniser jupytext uses sees it.
//!
//! jupytext 1.19.6 tokenises MyST with markdown-it-py 4 (CommonMark rules plus tables) and three
//! plugins: front matter, MyST blocks (`% comment`, `+++` block breaks, `(target)=`) and MyST
//! roles (inline only). Cell boundaries depend only on block-level tokens, so this module
//! implements CommonMark's block phase with the same rule order, the same "which rule may
//! interrupt which" tables and the same line bookkeeping (tab stops, lazy continuation lines,
//! list item indentation), and reports the tokens the MyST reader looks at: front matter,
//! fences and block breaks, each with its nesting level and line range.
//!
//! Inline content is never parsed. Link reference definitions are recognised with the
//! CommonMark grammar (label, destination, optional title); the checks markdown-it makes on a
//! destination after percent-encoding it are approximated by the scheme test alone.
//!
//! Positions are byte offsets into the source; every marker the rules look at is ASCII, and
//! Unicode-aware tests (HTML tag whitespace, trimming) decode characters where they need to.

use crate::myst::filter::is_py_whitespace;

/// A block-level token the MyST reader uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// Nesting depth: 0 at the top level, more inside block quotes and list items.
    pub level: usize,
    /// First line and the line after the last one (0-based, counted at `\n`).
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A `---` header on the first line; `content` is the text between the markers.
    FrontMatter { content: String },
    /// A fenced code block.
    Fence {
        /// Everything after the opening backticks or tildes, not trimmed.
        info: String,
        /// The body lines, each ending with `\n`, de-indented by the opening line's indentation.
        content: String,
        /// Whether a closing fence was found (else the fence runs to the end of its container).
        closed: bool,
    },
    /// A `+++` line; `content` is what follows the pluses, stripped.
    BlockBreak { content: String },
}

/// Nesting beyond this depth is not parsed (markdown-it's `maxNesting`).
const MAX_NESTING: usize = 20;

/// Tokenise `src` (the text with line endings already normalised to `\n`).
pub(crate) fn parse(src: &str) -> Vec<Block> {
    if src.is_empty() {
        return Vec::new();
    }
    let mut state = State::new(src);
    let end = state.line_max;
    state.tokenize(0, end);
    state.blocks
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    FrontMatter,
    Table,
    Code,
    Fence,
    LineComment,
    Blockquote,
    BlockBreak,
    Target,
    Hr,
    List,
    Reference,
    HtmlBlock,
    Heading,
    LHeading,
    Paragraph,
}

/// Every rule, in the order they are tried on a new block.
const ALL_RULES: [Rule; 15] = [
    Rule::FrontMatter,
    Rule::Table,
    Rule::Code,
    Rule::Fence,
    Rule::LineComment,
    Rule::Blockquote,
    Rule::BlockBreak,
    Rule::Target,
    Rule::Hr,
    Rule::List,
    Rule::Reference,
    Rule::HtmlBlock,
    Rule::Heading,
    Rule::LHeading,
    Rule::Paragraph,
];

/// Rules that may end a paragraph (or a link reference definition) on the next line.
const PARAGRAPH_TERMINATORS: [Rule; 11] = [
    Rule::FrontMatter,
    Rule::Table,
    Rule::Fence,
    Rule::LineComment,
    Rule::Blockquote,
    Rule::BlockBreak,
    Rule::Target,
    Rule::Hr,
    Rule::List,
    Rule::HtmlBlock,
    Rule::Heading,
];

/// Rules that end a block quote's lazy continuation (and a table body).
const BLOCKQUOTE_TERMINATORS: [Rule; 10] = [
    Rule::FrontMatter,
    Rule::Fence,
    Rule::LineComment,
    Rule::Blockquote,
    Rule::BlockBreak,
    Rule::Target,
    Rule::Hr,
    Rule::List,
    Rule::HtmlBlock,
    Rule::Heading,
];

/// Rules that end a list between two items.
const LIST_TERMINATORS: [Rule; 7] = [
    Rule::FrontMatter,
    Rule::Fence,
    Rule::LineComment,
    Rule::Blockquote,
    Rule::BlockBreak,
    Rule::Target,
    Rule::Hr,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parent {
    Root,
    Blockquote,
    List,
    Paragraph,
    Reference,
    Table,
}

struct State<'s> {
    src: &'s str,
    bytes: &'s [u8],
    /// Offset where each line begins (after a container's markers, inside containers).
    b_marks: Vec<usize>,
    /// Offset of each line's `\n` (or the end of the text).
    e_marks: Vec<usize>,
    /// Number of space/tab characters between `b_marks` and the first other character.
    t_shift: Vec<usize>,
    /// Indentation in columns, tabs expanded to the next multiple of 4 (-1 marks a lazy line).
    s_count: Vec<i64>,
    /// Columns consumed before `b_marks` by container markers (for tab expansion).
    bs_count: Vec<i64>,
    blk_indent: i64,
    line: usize,
    line_max: usize,
    list_indent: i64,
    parent: Parent,
    level: usize,
    blocks: Vec<Block>,
}

fn is_space_or_tab(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl<'s> State<'s> {
    fn new(src: &'s str) -> State<'s> {
        let bytes = src.as_bytes();
        let mut state = State {
            src,
            bytes,
            b_marks: Vec::new(),
            e_marks: Vec::new(),
            t_shift: Vec::new(),
            s_count: Vec::new(),
            bs_count: Vec::new(),
            blk_indent: 0,
            line: 0,
            line_max: 0,
            list_indent: -1,
            parent: Parent::Root,
            level: 0,
            blocks: Vec::new(),
        };
        let length = bytes.len();
        let mut start = 0;
        while start < length {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(length, |p| start + p);
            let mut indent = 0;
            let mut offset = 0i64;
            let mut pos = start;
            while pos < end && is_space_or_tab(bytes[pos]) {
                indent += 1;
                if bytes[pos] == b'\t' {
                    offset += 4 - offset % 4;
                } else {
                    offset += 1;
                }
                pos += 1;
            }
            if pos == end && end == length {
                // A last line of blanks without `\n` gets no entry.
                break;
            }
            state.b_marks.push(start);
            state.e_marks.push(end);
            state.t_shift.push(indent);
            state.s_count.push(offset);
            state.bs_count.push(0);
            start = if end < length { end + 1 } else { length };
        }
        // A sentinel line simplifies bound checks.
        state.b_marks.push(length);
        state.e_marks.push(length);
        state.t_shift.push(0);
        state.s_count.push(0);
        state.bs_count.push(0);
        state.line_max = state.b_marks.len() - 1;
        state
    }

    fn byte(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn first_pos(&self, line: usize) -> usize {
        self.b_marks[line] + self.t_shift[line]
    }

    fn is_empty(&self, line: usize) -> bool {
        self.first_pos(line) >= self.e_marks[line]
    }

    fn is_code_block(&self, line: usize) -> bool {
        self.s_count[line] - self.blk_indent >= 4
    }

    fn skip_empty_lines(&self, mut from: usize) -> usize {
        while from < self.line_max {
            if self.first_pos(from) < self.e_marks[from] {
                break;
            }
            from += 1;
        }
        from
    }

    fn skip_spaces(&self, mut pos: usize) -> usize {
        while self.byte(pos).is_some_and(is_space_or_tab) {
            pos += 1;
        }
        pos
    }

    fn skip_char(&self, mut pos: usize, ch: u8) -> usize {
        while self.byte(pos) == Some(ch) {
            pos += 1;
        }
        pos
    }

    /// The text of `line` from its first non-blank character to its end.
    fn line_text(&self, line: usize) -> &'s str {
        let start = self.first_pos(line).min(self.e_marks[line]);
        &self.src[start..self.e_marks[line]]
    }

    fn push(&mut self, kind: BlockKind, start: usize, end: usize) {
        self.blocks.push(Block {
            kind,
            level: self.level,
            start,
            end,
        });
    }

    /// The lines `begin..end`, each with `indent` columns of leading blanks removed (tabs
    /// expanded, partially when a tab straddles the limit).
    fn get_lines(&self, begin: usize, end: usize, indent: i64, keep_last_lf: bool) -> String {
        let mut out: Vec<u8> = Vec::new();
        for line in begin..end {
            let mut line_indent = 0i64;
            let line_start = self.b_marks[line];
            let mut first = line_start;
            let last = if line + 1 < end || keep_last_lf {
                (self.e_marks[line] + 1).min(self.bytes.len())
            } else {
                self.e_marks[line]
            };
            while first < last && line_indent < indent {
                let ch = self.bytes[first];
                if is_space_or_tab(ch) {
                    if ch == b'\t' {
                        line_indent += 4 - (line_indent + self.bs_count[line]) % 4;
                    } else {
                        line_indent += 1;
                    }
                } else if first - line_start < self.t_shift[line] {
                    line_indent += 1;
                } else {
                    break;
                }
                first += 1;
            }
            if line_indent > indent {
                // A tab straddling the limit leaves the rest of its width as spaces.
                let pad = usize::try_from(line_indent - indent).unwrap_or(0);
                out.resize(out.len() + pad, b' ');
            }
            if first < last {
                out.extend_from_slice(&self.bytes[first..last]);
            }
        }
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn tokenize(&mut self, start: usize, end: usize) {
        let mut line = start;
        while line < end {
            line = self.skip_empty_lines(line);
            self.line = line;
            if line >= end {
                break;
            }
            if self.s_count[line] < self.blk_indent {
                // The end of a nested block (list item, block quote).
                break;
            }
            if self.level >= MAX_NESTING {
                self.line = end;
                break;
            }
            for rule in ALL_RULES {
                if self.apply(rule, line, end, false) {
                    break;
                }
            }
            if self.line <= line {
                // Cannot happen (paragraph always takes a line); stay safe on any input.
                self.line = line + 1;
            }
            line = self.line;
            if line < end && self.is_empty(line) {
                line += 1;
                self.line = line;
            }
        }
    }

    fn terminates(&mut self, rules: &[Rule], line: usize, end: usize) -> bool {
        rules.iter().any(|&rule| self.apply(rule, line, end, true))
    }

    fn apply(&mut self, rule: Rule, start: usize, end: usize, silent: bool) -> bool {
        match rule {
            Rule::FrontMatter => self.front_matter(start, end, silent),
            Rule::Table => self.table(start, end, silent),
            Rule::Code => self.code(start, end),
            Rule::Fence => self.fence(start, end, silent),
            Rule::LineComment => self.line_comment(start, end, silent),
            Rule::Blockquote => self.blockquote(start, end, silent),
            Rule::BlockBreak => self.block_break(start, silent),
            Rule::Target => self.target(start, silent),
            Rule::Hr => self.hr(start, silent),
            Rule::List => self.list(start, end, silent),
            Rule::Reference => self.reference(start, silent),
            Rule::HtmlBlock => self.html_block(start, end, silent),
            Rule::Heading => self.heading(start, silent),
            Rule::LHeading => self.lheading(start, end),
            Rule::Paragraph => self.paragraph(start),
        }
    }

    fn front_matter(&mut self, start: usize, end: usize, silent: bool) -> bool {
        if start != 0 || self.byte(0) != Some(b'-') {
            return false;
        }
        let first = self.first_pos(start);
        let max = self.e_marks[start];
        let mut pos = first + 1;
        while pos <= max && self.byte(pos) == Some(b'-') {
            pos += 1;
        }
        let marker_count = pos - first;
        if marker_count < 3 {
            return false;
        }
        if silent {
            return true;
        }
        let mut next = start;
        let mut auto_closed = false;
        loop {
            next += 1;
            if next >= end {
                // Unclosed: not front matter.
                return false;
            }
            let begin = self.first_pos(next);
            let max = self.e_marks[next];
            if self.s_count[next] == 0
                && self.src[begin.min(self.src.len())..].starts_with("...")
                && self.skip_spaces(begin + 3) >= max
            {
                auto_closed = true;
                break;
            }
            if begin < max && self.s_count[next] < self.blk_indent {
                break;
            }
            if self.byte(begin) != Some(b'-') {
                continue;
            }
            if self.is_code_block(next) {
                continue;
            }
            let mut p = begin + 1;
            while p < max && self.byte(p) == Some(b'-') {
                p += 1;
            }
            if p - begin < marker_count {
                continue;
            }
            if self.skip_spaces(p) < max {
                continue;
            }
            auto_closed = true;
            break;
        }
        let from = self.b_marks[start + 1];
        let to = self.e_marks[next - 1];
        let content = if from < to {
            self.src[from..to].to_string()
        } else {
            String::new()
        };
        self.line = next + usize::from(auto_closed);
        let line = self.line;
        self.push(BlockKind::FrontMatter { content }, start, line);
        true
    }

    fn table(&mut self, start: usize, end: usize, silent: bool) -> bool {
        if start + 2 > end {
            return false;
        }
        let next = start + 1;
        if self.s_count[next] < self.blk_indent || self.is_code_block(next) {
            return false;
        }
        let mut pos = self.first_pos(next);
        let max = self.e_marks[next];
        if pos >= max {
            return false;
        }
        let first_ch = self.bytes[pos];
        pos += 1;
        if !matches!(first_ch, b'|' | b'-' | b':') {
            return false;
        }
        if pos >= max {
            return false;
        }
        let second_ch = self.bytes[pos];
        pos += 1;
        if !matches!(second_ch, b'|' | b'-' | b':') && !is_space_or_tab(second_ch) {
            return false;
        }
        if first_ch == b'-' && is_space_or_tab(second_ch) {
            return false;
        }
        while pos < max {
            let ch = self.bytes[pos];
            if !matches!(ch, b'|' | b'-' | b':') && !is_space_or_tab(ch) {
                return false;
            }
            pos += 1;
        }
        let delimiter = self.line_text(next);
        let columns: Vec<&str> = delimiter.split('|').collect();
        let mut aligns = 0usize;
        for (i, column) in columns.iter().enumerate() {
            let t = md_trim(column);
            if t.is_empty() {
                if i == 0 || i == columns.len() - 1 {
                    continue;
                }
                return false;
            }
            if !is_delimiter_cell(t) {
                return false;
            }
            aligns += 1;
        }
        let header = md_trim(self.line_text(start));
        if !header.contains('|') || self.is_code_block(start) {
            return false;
        }
        let column_count = table_row_cells(header);
        if column_count == 0 || column_count != aligns {
            return false;
        }
        if silent {
            return true;
        }
        let old_parent = self.parent;
        self.parent = Parent::Table;
        let mut autocompleted = 0i64;
        let mut next = start + 2;
        while next < end {
            if self.s_count[next] < self.blk_indent {
                break;
            }
            if self.terminates(&BLOCKQUOTE_TERMINATORS, next, end) {
                break;
            }
            let row = md_trim(self.line_text(next));
            if row.is_empty() || self.is_code_block(next) {
                break;
            }
            let cells = table_row_cells(row);
            autocompleted += column_count as i64 - cells as i64;
            if autocompleted > 0x10000 {
                break;
            }
            next += 1;
        }
        self.parent = old_parent;
        self.line = next;
        true
    }

    fn code(&mut self, start: usize, end: usize) -> bool {
        if !self.is_code_block(start) {
            return false;
        }
        let mut next = start + 1;
        let mut last = next;
        while next < end {
            if self.is_empty(next) {
                next += 1;
                continue;
            }
            if self.is_code_block(next) {
                next += 1;
                last = next;
                continue;
            }
            break;
        }
        self.line = last;
        true
    }

    fn fence(&mut self, start: usize, end: usize, silent: bool) -> bool {
        let mut pos = self.first_pos(start);
        let max = self.e_marks[start];
        if self.is_code_block(start) || pos + 3 > max {
            return false;
        }
        let marker = self.bytes[pos];
        if marker != b'~' && marker != b'`' {
            return false;
        }
        let mem = pos;
        pos = self.skip_char(pos, marker);
        let length = pos - mem;
        if length < 3 {
            return false;
        }
        let params = &self.src[pos..max];
        if marker == b'`' && params.contains('`') {
            return false;
        }
        if silent {
            return true;
        }
        let mut next = start;
        let mut closed = false;
        loop {
            next += 1;
            if next >= end {
                break;
            }
            let begin = self.first_pos(next);
            let max = self.e_marks[next];
            if begin < max && self.s_count[next] < self.blk_indent {
                break;
            }
            match self.byte(begin) {
                None => break,
                Some(b) if b != marker => continue,
                Some(_) => {}
            }
            if self.is_code_block(next) {
                continue;
            }
            let after = self.skip_char(begin, marker);
            if after - begin < length {
                continue;
            }
            if self.skip_spaces(after) < max {
                continue;
            }
            closed = true;
            break;
        }
        let info = params.to_string();
        let content = self.get_lines(start + 1, next, self.s_count[start], true);
        self.line = next + usize::from(closed);
        let line = self.line;
        self.push(
            BlockKind::Fence {
                info,
                content,
                closed,
            },
            start,
            line,
        );
        true
    }

    fn line_comment(&mut self, start: usize, end: usize, silent: bool) -> bool {
        if self.is_code_block(start) || self.byte(self.first_pos(start)) != Some(b'%') {
            return false;
        }
        if silent {
            return true;
        }
        let mut next = start + 1;
        while next < end && self.byte(self.first_pos(next)) == Some(b'%') {
            next += 1;
        }
        self.line = next;
        true
    }

    fn blockquote(&mut self, start: usize, end: usize, silent: bool) -> bool {
        let old_line_max = self.line_max;
        let mut pos = self.first_pos(start);
        let mut max = self.e_marks[start];
        if self.is_code_block(start) || self.byte(pos) != Some(b'>') {
            return false;
        }
        pos += 1;
        if silent {
            return true;
        }
        let (mut last_line_empty, saved) = self.strip_quote_marker(start, pos, max);
        let mut saved_lines: Vec<SavedLine> = vec![saved];

        let old_parent = self.parent;
        self.parent = Parent::Blockquote;
        let mut next = start + 1;
        while next < end {
            let is_outdented = self.s_count[next] < self.blk_indent;
            pos = self.first_pos(next);
            max = self.e_marks[next];
            if pos >= max {
                // An empty line ends the quote.
                break;
            }
            if self.bytes[pos] == b'>' && !is_outdented {
                let (empty, saved) = self.strip_quote_marker(next, pos + 1, max);
                last_line_empty = empty;
                saved_lines.push(saved);
                next += 1;
                continue;
            }
            if last_line_empty {
                break;
            }
            if self.terminates(&BLOCKQUOTE_TERMINATORS, next, end) {
                self.line_max = next;
                if self.blk_indent != 0 {
                    saved_lines.push(self.line_state(next));
                    self.s_count[next] -= self.blk_indent;
                }
                break;
            }
            saved_lines.push(self.line_state(next));
            // A lazy continuation line.
            self.s_count[next] = -1;
            next += 1;
        }

        let old_indent = self.blk_indent;
        self.blk_indent = 0;
        self.level += 1;
        self.tokenize(start, next);
        self.level -= 1;
        self.line_max = old_line_max;
        self.parent = old_parent;
        for (i, saved) in saved_lines.into_iter().enumerate() {
            self.restore_line(start + i, saved);
        }
        self.blk_indent = old_indent;
        true
    }
}

/// A line's `b_marks`, `bs_count`, `s_count`, `t_shift`, saved while a container rewrites them.
type SavedLine = (usize, i64, i64, usize);

impl State<'_> {
    fn line_state(&self, line: usize) -> SavedLine {
        (
            self.b_marks[line],
            self.bs_count[line],
            self.s_count[line],
            self.t_shift[line],
        )
    }

    fn restore_line(&mut self, line: usize, saved: SavedLine) {
        self.b_marks[line] = saved.0;
        self.bs_count[line] = saved.1;
        self.s_count[line] = saved.2;
        self.t_shift[line] = saved.3;
    }

    /// Shift `line` past a `>` marker (`pos` is just after it): one optional space (or part of
    /// a tab) belongs to the marker, the rest is the quoted line's own indentation. Returns
    /// whether the quoted line is empty, and the line's previous state.
    fn strip_quote_marker(&mut self, line: usize, mut pos: usize, max: usize) -> (bool, SavedLine) {
        let saved = self.line_state(line);
        let mut initial = self.s_count[line] + 1;
        let mut offset = initial;
        let mut adjust_tab = false;
        let mut space_after_marker = false;
        match self.byte(pos) {
            Some(b' ') => {
                pos += 1;
                initial += 1;
                offset += 1;
                space_after_marker = true;
            }
            Some(b'\t') => {
                space_after_marker = true;
                if (self.bs_count[line] + offset) % 4 == 3 {
                    pos += 1;
                    initial += 1;
                    offset += 1;
                } else {
                    adjust_tab = true;
                }
            }
            _ => {}
        }
        self.b_marks[line] = pos;
        while pos < max {
            let ch = self.bytes[pos];
            if ch == b'\t' {
                offset += 4 - (offset + self.bs_count[line] + i64::from(adjust_tab)) % 4;
            } else if ch == b' ' {
                offset += 1;
            } else {
                break;
            }
            pos += 1;
        }
        let empty = pos >= max;
        self.bs_count[line] = self.s_count[line] + 1 + i64::from(space_after_marker);
        self.s_count[line] = offset - initial;
        self.t_shift[line] = pos - self.b_marks[line];
        (empty, saved)
    }

    fn block_break(&mut self, start: usize, silent: bool) -> bool {
        if self.is_code_block(start) {
            return false;
        }
        let mut pos = self.first_pos(start);
        let max = self.e_marks[start];
        if self.byte(pos) != Some(b'+') {
            return false;
        }
        pos += 1;
        let mut count = 1;
        while pos < max {
            let ch = self.bytes[pos];
            if ch != b'+' && !is_space_or_tab(ch) {
                break;
            }
            if ch == b'+' {
                count += 1;
            }
            pos += 1;
        }
        if count < 3 {
            return false;
        }
        if silent {
            return true;
        }
        let content = py_strip(&self.src[pos..max]).to_string();
        self.line = start + 1;
        self.push(BlockKind::BlockBreak { content }, start, start + 1);
        true
    }

    fn target(&mut self, start: usize, silent: bool) -> bool {
        if self.is_code_block(start) {
            return false;
        }
        let text = py_strip(self.line_text(start));
        let Some(inner) = text
            .strip_prefix('(')
            .and_then(|rest| rest.strip_suffix(")="))
        else {
            return false;
        };
        if inner.is_empty() {
            return false;
        }
        if silent {
            return true;
        }
        self.line = start + 1;
        true
    }

    fn hr(&mut self, start: usize, silent: bool) -> bool {
        let mut pos = self.first_pos(start);
        let max = self.e_marks[start];
        if self.is_code_block(start) {
            return false;
        }
        let Some(marker) = self.byte(pos) else {
            return false;
        };
        if !matches!(marker, b'*' | b'-' | b'_') {
            return false;
        }
        pos += 1;
        let mut count = 1;
        while pos < max {
            let ch = self.bytes[pos];
            pos += 1;
            if ch != marker && !is_space_or_tab(ch) {
                return false;
            }
            if ch == marker {
                count += 1;
            }
        }
        if count < 3 {
            return false;
        }
        if silent {
            return true;
        }
        self.line = start + 1;
        true
    }

    /// Position after a bullet list marker (`*`, `-`, `+` then a blank or the line end).
    fn skip_bullet_marker(&self, line: usize) -> Option<usize> {
        let pos = self.first_pos(line);
        let max = self.e_marks[line];
        let marker = self.byte(pos)?;
        if !matches!(marker, b'*' | b'-' | b'+') {
            return None;
        }
        let pos = pos + 1;
        if pos < max && !is_space_or_tab(self.bytes[pos]) {
            return None;
        }
        Some(pos)
    }

    /// Position after an ordered list marker (1-9 digits, `.` or `)`, then a blank or the end).
    fn skip_ordered_marker(&self, line: usize) -> Option<usize> {
        let start = self.first_pos(line);
        let max = self.e_marks[line];
        let mut pos = start;
        if pos + 1 >= max {
            return None;
        }
        if !self.bytes[pos].is_ascii_digit() {
            return None;
        }
        pos += 1;
        loop {
            if pos >= max {
                return None;
            }
            let ch = self.bytes[pos];
            pos += 1;
            if ch.is_ascii_digit() {
                if pos - start >= 10 {
                    return None;
                }
                continue;
            }
            if ch == b')' || ch == b'.' {
                break;
            }
            return None;
        }
        if pos < max && !is_space_or_tab(self.bytes[pos]) {
            return None;
        }
        Some(pos)
    }

    fn list(&mut self, start_line: usize, end: usize, silent: bool) -> bool {
        let mut start_line = start_line;
        if self.is_code_block(start_line) {
            return false;
        }
        if self.list_indent >= 0
            && self.s_count[start_line] - self.list_indent >= 4
            && self.s_count[start_line] < self.blk_indent
        {
            return false;
        }
        let terminating_paragraph = silent
            && self.parent == Parent::Paragraph
            && self.s_count[start_line] >= self.blk_indent;

        let is_ordered;
        let mut pos_after_marker;
        if let Some(pos) = self.skip_ordered_marker(start_line) {
            is_ordered = true;
            pos_after_marker = pos;
            let first = self.first_pos(start_line);
            let value: u64 = self.src[first..pos - 1].parse().unwrap_or(0);
            if terminating_paragraph && value != 1 {
                return false;
            }
        } else if let Some(pos) = self.skip_bullet_marker(start_line) {
            is_ordered = false;
            pos_after_marker = pos;
        } else {
            return false;
        }
        // An empty item cannot interrupt a paragraph.
        if terminating_paragraph && self.skip_spaces(pos_after_marker) >= self.e_marks[start_line] {
            return false;
        }
        let marker_char = self.bytes[pos_after_marker - 1];
        if silent {
            return true;
        }

        let old_parent = self.parent;
        self.parent = Parent::List;
        self.level += 1;
        let mut next = start_line;
        while next < end {
            let mut pos = pos_after_marker;
            let max = self.e_marks[next];
            let initial =
                self.s_count[next] + (pos_after_marker - self.first_pos(start_line)) as i64;
            let mut offset = initial;
            while pos < max {
                let ch = self.bytes[pos];
                if ch == b'\t' {
                    offset += 4 - (offset + self.bs_count[next]) % 4;
                } else if ch == b' ' {
                    offset += 1;
                } else {
                    break;
                }
                pos += 1;
            }
            let content_start = pos;
            let mut indent_after_marker = if content_start >= max {
                1
            } else {
                offset - initial
            };
            if indent_after_marker > 4 {
                indent_after_marker = 1;
            }
            let indent = initial + indent_after_marker;

            let old_t_shift = self.t_shift[start_line];
            let old_s_count = self.s_count[start_line];
            let old_list_indent = self.list_indent;
            self.list_indent = self.blk_indent;
            self.blk_indent = indent;
            self.t_shift[start_line] = content_start - self.b_marks[start_line];
            self.s_count[start_line] = offset;

            self.level += 1;
            if content_start >= max && self.is_empty(start_line + 1) {
                self.line = (self.line + 2).min(end);
            } else {
                self.tokenize(start_line, end);
            }
            self.level -= 1;

            self.blk_indent = self.list_indent;
            self.list_indent = old_list_indent;
            self.t_shift[start_line] = old_t_shift;
            self.s_count[start_line] = old_s_count;

            next = self.line;
            start_line = next;
            if next >= end {
                break;
            }
            if self.s_count[next] < self.blk_indent || self.is_code_block(start_line) {
                break;
            }
            if self.terminates(&LIST_TERMINATORS, next, end) {
                break;
            }
            let marker = if is_ordered {
                self.skip_ordered_marker(next)
            } else {
                self.skip_bullet_marker(next)
            };
            match marker {
                Some(pos) => pos_after_marker = pos,
                None => break,
            }
            if self.bytes[pos_after_marker - 1] != marker_char {
                break;
            }
        }
        self.level -= 1;
        self.line = next;
        self.parent = old_parent;
        true
    }

    /// The rest of `line` (from its first non-blank character, `\n` included) if it may continue
    /// a link reference definition.
    fn reference_next_line(&mut self, line: usize) -> Option<&'_ str> {
        let end = self.line_max;
        if line >= end || self.is_empty(line) {
            return None;
        }
        let continuation = self.is_code_block(line) || self.s_count[line] < 0;
        if !continuation {
            let old_parent = self.parent;
            self.parent = Parent::Reference;
            let terminate = self.terminates(&PARAGRAPH_TERMINATORS, line, end);
            self.parent = old_parent;
            if terminate {
                return None;
            }
        }
        let pos = self.first_pos(line);
        let max = (self.e_marks[line] + 1).min(self.src.len());
        Some(&self.src[pos..max])
    }

    fn reference(&mut self, start: usize, silent: bool) -> bool {
        let pos = self.first_pos(start);
        let max = self.e_marks[start];
        let mut next = start + 1;
        if self.is_code_block(start) || self.byte(pos) != Some(b'[') {
            return false;
        }
        let mut text: Vec<u8> = self.bytes[pos..(max + 1).min(self.bytes.len())].to_vec();
        let mut label_end = None;
        let mut p = 1;
        while p < text.len() {
            match text[p] {
                b'[' => return false,
                b']' => {
                    label_end = Some(p);
                    break;
                }
                b'\n' => {
                    if let Some(more) = self.reference_next_line(next) {
                        text.extend_from_slice(more.as_bytes());
                        next += 1;
                    }
                }
                b'\\' => {
                    p += 1;
                    if p < text.len() && text[p] == b'\n' {
                        if let Some(more) = self.reference_next_line(next) {
                            text.extend_from_slice(more.as_bytes());
                            next += 1;
                        }
                    }
                }
                _ => {}
            }
            p += 1;
        }
        let Some(label_end) = label_end else {
            return false;
        };
        if text.get(label_end + 1) != Some(&b':') {
            return false;
        }
        p = label_end + 2;
        while p < text.len() {
            let ch = text[p];
            if ch == b'\n' {
                if let Some(more) = self.reference_next_line(next) {
                    text.extend_from_slice(more.as_bytes());
                    next += 1;
                }
            } else if !is_space_or_tab(ch) {
                break;
            }
            p += 1;
        }
        let Some((dest_end, dest)) = parse_link_destination(&text, p) else {
            return false;
        };
        if !valid_link(&dest) {
            return false;
        }
        p = dest_end;
        let dest_end_line = next;
        let title_start = p;
        while p < text.len() {
            let ch = text[p];
            if ch == b'\n' {
                if let Some(more) = self.reference_next_line(next) {
                    text.extend_from_slice(more.as_bytes());
                    next += 1;
                }
            } else if !is_space_or_tab(ch) {
                break;
            }
            p += 1;
        }
        let mut title = parse_link_title(&text, p, None);
        while title.can_continue {
            let Some(more) = self.reference_next_line(next) else {
                break;
            };
            let from = text.len();
            text.extend_from_slice(more.as_bytes());
            next += 1;
            p = from;
            title = parse_link_title(&text, from, Some(title));
        }
        let mut has_title;
        if p < text.len() && title_start != p && title.ok {
            has_title = !title.empty;
            p = title.pos;
        } else {
            has_title = false;
            p = dest_end;
            next = dest_end_line;
        }
        while p < text.len() && is_space_or_tab(text[p]) {
            p += 1;
        }
        if p < text.len() && text[p] != b'\n' && has_title {
            // Garbage after the title: try again without it.
            has_title = false;
            p = dest_end;
            next = dest_end_line;
            while p < text.len() && is_space_or_tab(text[p]) {
                p += 1;
            }
        }
        let _ = has_title;
        if p < text.len() && text[p] != b'\n' {
            return false;
        }
        let label = String::from_utf8_lossy(&text[1..label_end]);
        if md_trim(&label).is_empty() {
            return false;
        }
        if silent {
            return true;
        }
        self.line = next;
        true
    }

    fn html_block(&mut self, start: usize, end: usize, silent: bool) -> bool {
        let pos = self.first_pos(start);
        if self.is_code_block(start) || self.byte(pos) != Some(b'<') {
            return false;
        }
        let text = self.line_text(start);
        let Some(kind) = html_block_kind(text) else {
            return false;
        };
        if silent {
            // Only the last kind (any other tag) cannot interrupt a paragraph.
            return kind != HtmlKind::OtherTag;
        }
        let ends_on_blank = matches!(kind, HtmlKind::BlockTag | HtmlKind::OtherTag);
        let mut next = start + 1;
        if !html_block_ends(kind, text) {
            while next < end {
                if self.s_count[next] < self.blk_indent && (ends_on_blank || !self.is_empty(next)) {
                    break;
                }
                let line_text = self.line_text(next);
                if html_block_ends(kind, line_text) {
                    if !line_text.is_empty() {
                        next += 1;
                    }
                    break;
                }
                next += 1;
            }
        }
        self.line = next;
        true
    }

    fn heading(&mut self, start: usize, silent: bool) -> bool {
        let mut pos = self.first_pos(start);
        let max = self.e_marks[start];
        if self.is_code_block(start) || self.byte(pos) != Some(b'#') || pos >= max {
            return false;
        }
        let mut level = 1;
        pos += 1;
        while self.byte(pos) == Some(b'#') && pos < max && level <= 6 {
            level += 1;
            pos += 1;
        }
        if level > 6 || (pos < max && !is_space_or_tab(self.bytes[pos])) {
            return false;
        }
        if silent {
            return true;
        }
        self.line = start + 1;
        true
    }

    fn lheading(&mut self, start: usize, end: usize) -> bool {
        if self.is_code_block(start) {
            return false;
        }
        let old_parent = self.parent;
        self.parent = Parent::Paragraph;
        let mut next = start + 1;
        let mut found = false;
        while next < end && !self.is_empty(next) {
            if self.s_count[next] - self.blk_indent > 3 {
                next += 1;
                continue;
            }
            if self.s_count[next] >= self.blk_indent {
                let pos = self.first_pos(next);
                let max = self.e_marks[next];
                if pos < max {
                    let marker = self.bytes[pos];
                    if marker == b'-' || marker == b'=' {
                        let after = self.skip_spaces(self.skip_char(pos, marker));
                        if after >= max {
                            found = true;
                            break;
                        }
                    }
                }
            }
            if self.s_count[next] < 0 {
                next += 1;
                continue;
            }
            if self.terminates(&PARAGRAPH_TERMINATORS, next, end) {
                break;
            }
            next += 1;
        }
        self.parent = old_parent;
        if !found {
            return false;
        }
        self.line = next + 1;
        true
    }

    fn paragraph(&mut self, start: usize) -> bool {
        let end = self.line_max;
        let old_parent = self.parent;
        self.parent = Parent::Paragraph;
        let mut next = start + 1;
        while next < end {
            if self.is_empty(next) {
                break;
            }
            // Indented and lazy lines always continue a paragraph.
            if self.s_count[next] - self.blk_indent > 3 || self.s_count[next] < 0 {
                next += 1;
                continue;
            }
            if self.terminates(&PARAGRAPH_TERMINATORS, next, end) {
                break;
            }
            next += 1;
        }
        self.line = next;
        self.parent = old_parent;
        true
    }
}

/// Python's `str.strip()`.
fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_whitespace)
}

/// markdown-it's trim: the characters JavaScript's `trim` removes, without U+FEFF.
fn md_trim(text: &str) -> &str {
    text.trim_matches(is_md_trim_char)
}

fn is_md_trim_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A table delimiter cell: `^:?-+:?$`.
fn is_delimiter_cell(cell: &str) -> bool {
    let inner = cell.strip_prefix(':').unwrap_or(cell);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.bytes().all(|b| b == b'-')
}

/// The number of cells in a table row: split at `|` not preceded by a backslash, an empty first
/// and last piece removed.
fn table_row_cells(row: &str) -> usize {
    let bytes = row.as_bytes();
    let mut pieces: Vec<bool> = Vec::new(); // whether each piece is empty
    let mut escaped = false;
    let mut piece_len = 0usize;
    for &b in bytes {
        if b == b'|' && !escaped {
            pieces.push(piece_len == 0);
            piece_len = 0;
        } else {
            piece_len += 1;
        }
        escaped = b == b'\\';
    }
    pieces.push(piece_len == 0);
    let mut count = pieces.len();
    if pieces.first() == Some(&true) {
        count -= 1;
        pieces.remove(0);
    }
    if pieces.last() == Some(&true) {
        count -= 1;
    }
    count
}

/// The seven kinds of CommonMark HTML blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HtmlKind {
    /// `<script`, `<pre`, `<style`, `<textarea`: ends at the matching closing tag.
    Raw,
    /// `<!--`: ends at `-->`.
    Comment,
    /// `<?`: ends at `?>`.
    Processing,
    /// `<!X`: ends at `>`.
    Declaration,
    /// `<![CDATA[`: ends at `]]>`.
    Cdata,
    /// A known block-level tag name: ends at a blank line.
    BlockTag,
    /// Any other complete tag alone on its line: ends at a blank line, cannot interrupt a
    /// paragraph.
    OtherTag,
}

const RAW_TAGS: [&str; 4] = ["script", "pre", "style", "textarea"];

const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The ASCII letters and digits at the start of `text`.
fn leading_alnum(text: &str) -> &str {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(text.len());
    &text[..end]
}

/// Which HTML block starts with `text` (a line from its first non-blank character), if any.
fn html_block_kind(text: &str) -> Option<HtmlKind> {
    let rest = text.strip_prefix('<')?;
    // 1: raw text elements, followed by whitespace, `>` or the line end.
    let name = leading_alnum(rest);
    let after = &rest[name.len()..];
    if RAW_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
        && (after.is_empty() || after.starts_with('>') || starts_with_py_space(after))
    {
        return Some(HtmlKind::Raw);
    }
    if rest.starts_with("!--") {
        return Some(HtmlKind::Comment);
    }
    if rest.starts_with('?') {
        return Some(HtmlKind::Processing);
    }
    if rest.starts_with('!') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(HtmlKind::Declaration);
    }
    if rest.starts_with("![CDATA[") {
        return Some(HtmlKind::Cdata);
    }
    let tag = rest.strip_prefix('/').unwrap_or(rest);
    let name = leading_alnum(tag);
    let after = &tag[name.len()..];
    if BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
        && (after.is_empty()
            || after.starts_with('>')
            || after.starts_with("/>")
            || starts_with_py_space(after))
    {
        return Some(HtmlKind::BlockTag);
    }
    if is_lone_tag(text) {
        return Some(HtmlKind::OtherTag);
    }
    None
}

fn starts_with_py_space(text: &str) -> bool {
    text.chars().next().is_some_and(is_py_whitespace)
}

/// Whether `text` (one line) ends the HTML block of `kind`.
fn html_block_ends(kind: HtmlKind, text: &str) -> bool {
    match kind {
        HtmlKind::Raw => {
            let lower = text.to_ascii_lowercase();
            RAW_TAGS.iter().any(|t| lower.contains(&format!("</{t}>")))
        }
        HtmlKind::Comment => text.contains("-->"),
        HtmlKind::Processing => text.contains("?>"),
        HtmlKind::Declaration => text.contains('>'),
        HtmlKind::Cdata => text.contains("]]>"),
        HtmlKind::BlockTag | HtmlKind::OtherTag => text.is_empty(),
    }
}

/// An opening or closing tag followed only by whitespace (CommonMark HTML block kind 7), with
/// Python's Unicode whitespace for `\s`.
fn is_lone_tag(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let only_space_from = |i: usize| chars[i..].iter().all(|&c| is_py_whitespace(c));
    if chars.first() != Some(&'<') {
        return false;
    }
    let mut i = 1;
    let closing = chars.get(i) == Some(&'/');
    if closing {
        i += 1;
    }
    if !chars.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    i += 1;
    while chars
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == '-')
    {
        i += 1;
    }
    if closing {
        while chars.get(i).is_some_and(|&c| is_py_whitespace(c)) {
            i += 1;
        }
        return chars.get(i) == Some(&'>') && only_space_from(i + 1);
    }
    tag_rest_matches(&chars, i)
}

/// How many steps the attribute matcher may take on one line before giving up (a line that
/// long and ambiguous is not taken for an HTML tag).
const TAG_MATCH_BUDGET: usize = 1 << 20;

/// Whether `attribute* \s* /? > \s* $` matches `chars[start..]`, where an attribute is
/// `\s+ name (\s* = \s* value)?`. Explores every way to split the line into attributes (a
/// Unicode blank may belong to an unquoted value or separate two attributes), once per
/// position.
fn tag_rest_matches(chars: &[char], start: usize) -> bool {
    let space = |c: &char| is_py_whitespace(*c);
    let is_value_char = |c: &char| !matches!(c, '"' | '\'' | '=' | '<' | '>' | '`') && *c > ' ';
    let mut seen = vec![false; chars.len() + 1];
    let mut todo = vec![start];
    seen[start] = true;
    let mut budget = TAG_MATCH_BUDGET;
    let reach = |p: usize, seen: &mut Vec<bool>, todo: &mut Vec<usize>| {
        if !seen[p] {
            seen[p] = true;
            todo.push(p);
        }
    };
    while let Some(i) = todo.pop() {
        // The end of the tag.
        let mut j = i;
        while chars.get(j).is_some_and(space) {
            j += 1;
        }
        budget = budget.saturating_sub(j - i + 1);
        if budget == 0 {
            return false;
        }
        let blanks_end = j;
        if chars.get(j) == Some(&'/') {
            j += 1;
        }
        if chars.get(j) == Some(&'>') && chars[j + 1..].iter().all(space) {
            return true;
        }
        // One more attribute: blanks, a name, then maybe `= value`.
        let j = blanks_end;
        if j == i
            || !chars
                .get(j)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        {
            continue;
        }
        let mut name_end = j + 1;
        while chars
            .get(name_end)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
        {
            name_end += 1;
        }
        reach(name_end, &mut seen, &mut todo);
        let mut k = name_end;
        while chars.get(k).is_some_and(space) {
            k += 1;
        }
        if chars.get(k) != Some(&'=') {
            continue;
        }
        k += 1;
        let blanks_start = k;
        while chars.get(k).is_some_and(space) {
            k += 1;
        }
        // `\s*` may leave blanks to an unquoted value (Unicode blanks are value characters).
        for v in blanks_start..=k {
            match chars.get(v) {
                Some(&quote @ ('"' | '\'')) => {
                    if let Some(close) = chars[v + 1..].iter().position(|&c| c == quote) {
                        reach(v + 1 + close + 1, &mut seen, &mut todo);
                    }
                }
                Some(c) if is_value_char(c) => {
                    let mut e = v;
                    while chars.get(e).is_some_and(is_value_char) {
                        e += 1;
                        budget = budget.saturating_sub(1);
                        // A value may stop anywhere in its run.
                        reach(e, &mut seen, &mut todo);
                    }
                }
                _ => {}
            }
        }
        budget = budget.saturating_sub(1);
        if budget == 0 {
            return false;
        }
    }
    false
}

/// A link destination at `pos`: `<...>` or a run without spaces and control characters, with
/// balanced parentheses. Returns the position after it and its text (backslash escapes removed).
fn parse_link_destination(text: &[u8], mut pos: usize) -> Option<(usize, String)> {
    let start = pos;
    let max = text.len();
    if text.get(pos) == Some(&b'<') {
        pos += 1;
        while pos < max {
            match text[pos] {
                b'\n' | b'<' => return None,
                b'>' => {
                    let dest = unescape(&text[start + 1..pos]);
                    return Some((pos + 1, dest));
                }
                b'\\' if pos + 1 < max => {
                    pos += 2;
                    continue;
                }
                _ => {}
            }
            pos += 1;
        }
        return None;
    }
    let mut level = 0;
    while pos < max {
        let code = text[pos];
        if code <= b' ' || code == 0x7f {
            break;
        }
        if code == b'\\' && pos + 1 < max {
            if text[pos + 1] == b' ' {
                break;
            }
            pos += 2;
            continue;
        }
        if code == b'(' {
            level += 1;
            if level > 32 {
                return None;
            }
        }
        if code == b')' {
            if level == 0 {
                break;
            }
            level -= 1;
        }
        pos += 1;
    }
    if start == pos || level != 0 {
        return None;
    }
    Some((pos, unescape(&text[start..pos.min(max)])))
}

/// Remove backslash escapes of ASCII punctuation.
fn unescape(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_punctuation() {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Links markdown-it refuses: `javascript:`, `vbscript:`, `file:` and `data:` other than
/// `data:image/{gif,png,jpeg,webp};`.
fn valid_link(url: &str) -> bool {
    let lower = py_strip(url).to_lowercase();
    let bad = ["vbscript:", "javascript:", "file:", "data:"]
        .iter()
        .any(|p| lower.starts_with(p));
    if !bad {
        return true;
    }
    ["gif", "png", "jpeg", "webp"]
        .iter()
        .any(|t| lower.starts_with(&format!("data:image/{t};")))
}

/// The state of a link title being parsed, possibly across lines.
#[derive(Clone, Copy, Debug)]
struct Title {
    ok: bool,
    can_continue: bool,
    pos: usize,
    marker: u8,
    empty: bool,
}

/// A link title (`"..."`, `'...'` or `(...)`) at `start`, or the continuation of `prev`.
fn parse_link_title(text: &[u8], start: usize, prev: Option<Title>) -> Title {
    let max = text.len();
    let mut pos = start;
    let mut body_start = start;
    let mut state = Title {
        ok: false,
        can_continue: false,
        pos: 0,
        marker: 0,
        empty: true,
    };
    match prev {
        Some(prev) => {
            state.marker = prev.marker;
            state.empty = prev.empty;
        }
        None => {
            if pos >= max {
                return state;
            }
            let marker = text[pos];
            if !matches!(marker, b'"' | b'\'' | b'(') {
                return state;
            }
            body_start += 1;
            pos += 1;
            state.marker = if marker == b'(' { b')' } else { marker };
        }
    }
    while pos < max {
        let code = text[pos];
        if code == state.marker {
            state.pos = pos + 1;
            state.empty = state.empty && body_start == pos;
            state.ok = true;
            return state;
        } else if code == b'(' && state.marker == b')' {
            return state;
        } else if code == b'\\' && pos + 1 < max {
            pos += 1;
        }
        pos += 1;
    }
    state.can_continue = true;
    state.empty = state.empty && body_start >= pos;
    state
}

#[cfg(test)]
mod tests {
    //! Expected tokens from markdown-it-py 4.3 with jupytext's parser configuration, on the
    //! text plus `\n` as jupytext passes it: (type, level, first line, end line, info, content).
    use super::*;

    type Expected<'a> = (&'a str, usize, usize, usize, &'a str, &'a str);

    #[track_caller]
    fn check(src: &str, expected: &[Expected]) {
        let got: Vec<(String, usize, usize, usize, String, String)> = parse(src)
            .into_iter()
            .map(|b| {
                let (kind, info, content) = match b.kind {
                    BlockKind::FrontMatter { content } => ("front_matter", String::new(), content),
                    BlockKind::Fence { info, content, .. } => ("fence", info, content),
                    BlockKind::BlockBreak { content } => {
                        ("myst_block_break", String::new(), content)
                    }
                };
                (kind.to_string(), b.level, b.start, b.end, info, content)
            })
            .collect();
        let want: Vec<(String, usize, usize, usize, String, String)> = expected
            .iter()
            .map(|&(k, l, a, b, i, c)| (k.to_string(), l, a, b, i.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want, "tokens of {src:?}");
    }

    #[test]
    fn long_ambiguous_tag_lines_finish() {
        // Every U+00A0 may end an unquoted value or separate two attributes.
        let line = format!("<a{}>", " b=c\u{a0}".repeat(20_000));
        assert!(is_lone_tag(&line));
        let line = format!("<a b={}x", "c\u{a0}".repeat(50_000));
        assert!(!is_lone_tag(&line));
    }

    #[test]
    fn unclosed_fences_say_so() {
        let blocks = parse("```{code-cell}\nx\n\n");
        assert!(matches!(
            blocks[0].kind,
            BlockKind::Fence { closed: false, .. }
        ));
        let blocks = parse("```{code-cell}\nx\n```\n");
        assert!(matches!(
            blocks[0].kind,
            BlockKind::Fence { closed: true, .. }
        ));
    }

    #[test]
    fn fence_interrupts_paragraph() {
        check(
            "para line\n```{code-cell}\ny\n```\nafter\n",
            &[("fence", 0, 1, 4, "{code-cell}", "y\n")],
        );
    }

    #[test]
    fn html_block_hides_fence() {
        check(
            "<details>\n```{code-cell}\nx\n```\n</details>\n\ntext\n",
            &[],
        );
    }

    #[test]
    fn html_comment_runs_to_its_end() {
        check(
            "<!-- a\n\n```{code-cell}\nx\n```\n-->\n```{code-cell}\ny\n```\n",
            &[("fence", 0, 6, 9, "{code-cell}", "y\n")],
        );
    }

    #[test]
    fn lone_tag_cannot_interrupt_paragraph() {
        check(
            "text\n<custom-tag attr=\"x\">\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 2, 5, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn lone_tag_with_unicode_blank_attribute() {
        check("<a b=c\u{a0}d=e>\n```{code-cell}\nx\n```\n", &[]);
    }

    #[test]
    fn indented_fences() {
        check(
            "   ```{code-cell}\n   x = 1\n       y\n   ```\n\n    ```{code-cell}\n    z\n    ```\n\n> ```{code-cell}\n> q\n> ```\n",
            &[
            ("fence", 0, 0, 4, "{code-cell}", "x = 1\n    y\n"),
            ("fence", 1, 9, 12, "{code-cell}", "q\n")
            ],
        );
    }

    #[test]
    fn list_item_holds_fence() {
        check(
            "- item\n\n  ```{code-cell}\n  nested\n  ```\n```{code-cell}\ntop\n```\n",
            &[
                ("fence", 2, 2, 5, "{code-cell}", "nested\n"),
                ("fence", 0, 5, 8, "{code-cell}", "top\n"),
            ],
        );
    }

    #[test]
    fn list_item_fence_ended_by_outdent() {
        check(
            "- ```\n code\n```{code-cell}\nx\n```\n",
            &[
                ("fence", 2, 0, 1, "", ""),
                ("fence", 0, 2, 5, "{code-cell}", "x\n"),
            ],
        );
    }

    #[test]
    fn lazy_quote_line() {
        check(
            "> quote\nlazy\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 2, 5, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn tab_expansion_in_quote() {
        check(
            ">\t```{code-cell}\n>\t\tx\n>\t```\n",
            &[("fence", 1, 0, 3, "{code-cell}", "\tx\n")],
        );
    }

    #[test]
    fn block_breaks() {
        check(
            "a\n+++\nb\n\n+++   \n\nc\n\n+++ {\"k\": [1, 2]}\nd\n\n + + +\ne\n    +++\n++\n",
            &[
                ("myst_block_break", 0, 1, 2, "", ""),
                ("myst_block_break", 0, 4, 5, "", ""),
                ("myst_block_break", 0, 8, 9, "", "{\"k\": [1, 2]}"),
                ("myst_block_break", 0, 11, 12, "", ""),
            ],
        );
    }

    #[test]
    fn table_ends_at_block_break() {
        check(
            "| a | b |\n|---|---|\n| 1 | 2 |\n+++\nx\n",
            &[("myst_block_break", 0, 3, 4, "", "")],
        );
    }

    #[test]
    fn table_row_without_pipe() {
        check(
            "| a | b |\n| - | - |\nrow\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 3, 6, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn reference_definition_then_tag() {
        check("[a]: /url\n<custom-tag>\n```{code-cell}\nx\n```\n", &[]);
    }

    #[test]
    fn reference_title_across_lines() {
        check(
            "[a]: /url 'title\ncontinued'\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 2, 5, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn javascript_reference_is_paragraph() {
        check(
            "[a]: javascript:x\n<custom-tag>\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 2, 5, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn front_matter() {
        check(
            "---\na: 1\n---\n```{code-cell}\nx\n```\n",
            &[
                ("front_matter", 0, 0, 3, "", "a: 1"),
                ("fence", 0, 3, 6, "{code-cell}", "x\n"),
            ],
        );
    }

    #[test]
    fn front_matter_dot_close() {
        check(
            "---\na: 1\n...\ntext\n",
            &[("front_matter", 0, 0, 3, "", "a: 1")],
        );
    }

    #[test]
    fn front_matter_long_markers() {
        check(
            "----\na: 1\n---\n\n------\nb: 2\n----------\n\n",
            &[("front_matter", 0, 0, 5, "", "a: 1\n---\n")],
        );
    }

    #[test]
    fn front_matter_unclosed() {
        check("---\na: 1\n\n", &[]);
    }

    #[test]
    fn front_matter_in_list_item() {
        check("- ---\n  a: 1\n  ---\n\n", &[]);
    }

    #[test]
    fn unclosed_fence_keeps_last_line() {
        check(
            "```{code-cell}\nx = 1\n\n",
            &[("fence", 0, 0, 3, "{code-cell}", "x = 1\n\n")],
        );
    }

    #[test]
    fn tilde_and_backtick_info() {
        check(
            "~~~{raw-cell} `x`\nr\n~~~\n``` a`b\nnot a fence\n```\n",
            &[
                ("fence", 0, 0, 3, "{raw-cell} `x`", "r\n"),
                ("fence", 0, 5, 6, "", ""),
            ],
        );
    }

    #[test]
    fn ordered_list_interrupts_only_at_one() {
        check(
            "text\n2. two\n```{code-cell}\nx\n```\ntext\n1. one\n   ```{code-cell}\n   y\n   ```\n",
            &[
                ("fence", 0, 2, 5, "{code-cell}", "x\n"),
                ("fence", 2, 7, 10, "{code-cell}", "y\n"),
            ],
        );
    }

    #[test]
    fn setext_heading_and_hr() {
        check(
            "Title\n===\n---\n***\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 4, 7, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn myst_comment_and_target() {
        check(
            "% comment\n% more\n(label)=\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 3, 6, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn deep_nesting_stops() {
        check(">>>>>>>>>>>>>>>>>>>>>>>>> ```{code-cell}\nx\n", &[]);
    }

    #[test]
    fn form_feed_is_not_a_line_break() {
        check(
            "```{code-cell}\na = 1\u{c}b = 2\n```\n\nafter\n",
            &[("fence", 0, 0, 3, "{code-cell}", "a = 1\u{c}b = 2\n")],
        );
    }

    #[test]
    fn raw_html_until_closing_tag() {
        check(
            "<script>\n```{code-cell}\n</script>\n```{code-cell}\nx\n```\n",
            &[("fence", 0, 3, 6, "{code-cell}", "x\n")],
        );
    }

    #[test]
    fn empty_list_item_then_blank() {
        check(
            "-\n\n  ```{code-cell}\n  x\n  ```\n",
            &[("fence", 0, 2, 5, "{code-cell}", "x\n")],
        );
    }
}
