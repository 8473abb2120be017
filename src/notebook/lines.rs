//! Python's `str.splitlines(True)`, which nbformat uses to store multi-line strings as lists.
//!
//! A line ends at `\n`, `\r\n`, `\r`, `\x0b`, `\x0c`, `\x1c`, `\x1d`, `\x1e`, `\x85`, U+2028
//! or U+2029, and keeps its terminator. `""` gives no line at all.

/// The lines of `text` with their terminators, as Python's `text.splitlines(True)`.
pub fn splitlines_keepends(text: &str) -> SplitLinesKeepEnds<'_> {
    SplitLinesKeepEnds { rest: text }
}

/// Iterator returned by [`splitlines_keepends`].
#[derive(Clone, Debug)]
pub struct SplitLinesKeepEnds<'a> {
    rest: &'a str,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Index of the first byte at or after `i` that may start a line break (below 0x1f, or the
/// lead bytes 0xC2 and 0xE2), or `bytes.len()`. Eight bytes at a time.
fn next_candidate(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
        let found = (w.wrapping_sub(ONES * 0x1f) & !w & HIGHS)
            | zero(w ^ (ONES * 0xC2))
            | zero(w ^ (ONES * 0xE2));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b < 0x1f || b == 0xC2 || b == 0xE2 {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// Byte length of the line (terminator included) at the start of `text`.
fn line_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        i = next_candidate(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'\r' => {
                return if bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                }
            }
            b'\n' | 0x0b | 0x0c | 0x1c..=0x1e => return i + 1,
            // U+0085 is C2 85 in UTF-8
            0xC2 if bytes.get(i + 1) == Some(&0x85) => return i + 2,
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                return i + 3
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

impl<'a> Iterator for SplitLinesKeepEnds<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = self.rest.split_at(line_len(self.rest));
        self.rest = rest;
        Some(line)
    }
}

/// The lines of `text` without their terminators, as Python's `text.splitlines()`.
pub fn splitlines(text: &str) -> impl Iterator<Item = &str> {
    splitlines_keepends(text).map(strip_line_end)
}

/// A line without its terminator (one of those [`splitlines_keepends`] splits at).
pub fn strip_line_end(line: &str) -> &str {
    if let Some(stripped) = line.strip_suffix("\r\n") {
        return stripped;
    }
    match line.char_indices().next_back() {
        Some((i, c)) if is_line_break(c) => &line[..i],
        _ => line,
    }
}

/// Is `c` one of the characters Python's `splitlines` breaks at?
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        splitlines_keepends(text).collect()
    }

    /// A plain character-by-character version to check the fast one against.
    fn naive(text: &str) -> Vec<&str> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_line_break(c) {
                let mut end = i + c.len_utf8();
                if c == '\r' && chars.peek().map(|&(_, next)| next) == Some('\n') {
                    chars.next();
                    end += 1;
                }
                lines.push(&text[start..end]);
                start = end;
            }
        }
        if start < text.len() {
            lines.push(&text[start..]);
        }
        lines
    }

    #[test]
    fn every_terminator_in_every_lane() {
        for terminator in [
            "\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{85}",
            "\u{2028}", "\u{2029}", "\u{1f}", "\u{a0}", "\u{2027}", "é", "\u{e2}",
        ] {
            for before in 0..18 {
                let text = format!(
                    "{}{terminator}{}",
                    "a".repeat(before),
                    "b".repeat(before % 5)
                );
                assert_eq!(split(&text), naive(&text), "{text:?}");
            }
        }
    }

    // Expected values: Python's str.splitlines(True).
    #[test]
    fn python_terminators() {
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("\n"), ["\n"]);
        assert_eq!(split("a"), ["a"]);
        assert_eq!(split("a\n\nb"), ["a\n", "\n", "b"]);
        assert_eq!(
            split("crlf\r\nlone cr\rff\u{c}vt\u{b}ls\u{2028}nel\u{85}end\n"),
            [
                "crlf\r\n",
                "lone cr\r",
                "ff\u{c}",
                "vt\u{b}",
                "ls\u{2028}",
                "nel\u{85}",
                "end\n"
            ]
        );
        assert_eq!(
            split("a\u{1c}b\u{1d}c\u{1e}d\u{2029}e\r"),
            ["a\u{1c}", "b\u{1d}", "c\u{1e}", "d\u{2029}", "e\r"]
        );
        assert_eq!(split("\r\r\n\n"), ["\r", "\r\n", "\n"]);
        // not terminators: \x1f, U+2027, U+00A0, \t
        assert_eq!(
            split("a\u{1f}\u{2027}\u{a0}\tb"),
            ["a\u{1f}\u{2027}\u{a0}\tb"]
        );
        assert_eq!(
            splitlines("a\r\nb\u{2028}c\rd\n").collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            split("\rprogress 50%\rprogress 100%\n"),
            ["\r", "progress 50%\r", "progress 100%\n"]
        );
    }
}
