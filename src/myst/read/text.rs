//! Python string operations the reader must reproduce exactly (`str.strip`, `splitlines`,
//! `textwrap.dedent`, universal newlines).

use crate::myst::filter::is_py_whitespace;
use crate::notebook::lines;

/// What Python's `open(path, encoding="utf-8")` gives when it reads a file: `\r\n` and lone
/// `\r` become `\n` (universal newlines).
pub(crate) fn universal_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Python's `text.splitlines()`.
pub(crate) fn splitlines(text: &str) -> Vec<&str> {
    lines::splitlines(text).collect()
}

/// Python's `str.strip()`.
pub(crate) fn strip(text: &str) -> &str {
    text.trim_matches(is_py_whitespace)
}

/// Python's `str.lstrip()`.
pub(crate) fn lstrip(text: &str) -> &str {
    text.trim_start_matches(is_py_whitespace)
}

/// Python's `str.rstrip()`.
pub(crate) fn rstrip(text: &str) -> &str {
    text.trim_end_matches(is_py_whitespace)
}

/// Python's `textwrap.dedent`: lines made only of spaces and tabs become empty, then the
/// longest run of leading spaces/tabs common to the other lines is removed. Also returns the
/// number of characters removed from each non-blank line (for error positions).
pub(crate) fn dedent(text: &str) -> (String, usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    let blank_free: Vec<&str> = lines
        .iter()
        .map(|line| {
            if !line.is_empty() && line.bytes().all(|b| b == b' ' || b == b'\t') {
                ""
            } else {
                line
            }
        })
        .collect();
    let mut margin: Option<&str> = None;
    for line in &blank_free {
        let indent_len = line
            .bytes()
            .position(|b| b != b' ' && b != b'\t')
            .unwrap_or(line.len());
        if indent_len == line.len() {
            // No other character on this line: it does not count.
            continue;
        }
        let indent = &line[..indent_len];
        margin = Some(match margin {
            None => indent,
            Some(m) if indent.starts_with(m) => m,
            Some(m) if m.starts_with(indent) => indent,
            Some(m) => {
                let common = m
                    .bytes()
                    .zip(indent.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &m[..common]
            }
        });
    }
    let margin = margin.unwrap_or("");
    if margin.is_empty() {
        return (blank_free.join("\n"), 0);
    }
    let out: Vec<&str> = blank_free
        .iter()
        .map(|line| line.strip_prefix(margin).unwrap_or(line))
        .collect();
    (out.join("\n"), margin.len())
}

/// The 1-based line and column (in characters) of byte offset `offset` in `text`, counting
/// lines at `\n`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedent_like_textwrap() {
        // Expected values from Python's textwrap.dedent.
        assert_eq!(dedent("  a\n    b\n").0, "a\n  b\n");
        assert_eq!(dedent("  a\n  \n  b").0, "a\n\nb");
        assert_eq!(dedent("\ta\n  b").0, "\ta\n  b");
        assert_eq!(dedent("  a\n \tb").0, " a\n\tb");
        assert_eq!(dedent("a: 1\n").0, "a: 1\n");
        assert_eq!(dedent("   \n  x: 1\n").0, "\nx: 1\n");
    }

    #[test]
    fn python_strip_includes_information_separators() {
        assert_eq!(strip("\x1c a \u{3000}"), "a");
        assert_eq!(rstrip("a \u{a0}\t\n"), "a");
        assert_eq!(lstrip("\u{85}:x"), ":x");
    }

    #[test]
    fn universal_newlines_like_python_open() {
        assert_eq!(universal_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(universal_newlines("a\r\r\n"), "a\n\n");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\néx", 5), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
