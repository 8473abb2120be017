//! Line merges: a cell's source (lines cut at `\n`, the view MyST shows of it), and whole files
//! as `git merge-file` merges them (the fallback when a side is not a notebook).

use super::diff3::{self, Interner, Level, Piece};
use super::{ConflictStyle, Markers};

/// The result of a line merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextMerge<T> {
    pub merged: T,
    /// How many conflict blocks the result holds.
    pub conflicts: usize,
}

/// Merge a cell source line by line. `base` is `None` when the cell has no common ancestor (it
/// was added on both sides): every line then counts as added, and only the lines the sides agree
/// on merge. A conflict stands between marker lines of `markers`; the result is the lines joined
/// with `\n`, so a source without a final newline keeps none.
pub fn merge_source(
    base: Option<&str>,
    ours: &str,
    theirs: &str,
    markers: &Markers,
) -> TextMerge<String> {
    if ours == theirs || base == Some(theirs) {
        return clean(ours);
    }
    if base == Some(ours) {
        return clean(theirs);
    }
    let b: Vec<&str> = base.map(split_lines).unwrap_or_default();
    let (o, t) = (split_lines(ours), split_lines(theirs));
    let mut interner = Interner::new();
    let (bt, ot, tt) = (
        interner.tokens(&b),
        interner.tokens(&o),
        interner.tokens(&t),
    );
    let pieces = diff3::merge(&bt, &ot, &tt, level(markers), |r| {
        o[r].iter()
            .any(|l| l.bytes().any(|c| c.is_ascii_alphanumeric()))
    });
    let mut lines: Vec<&str> = Vec::with_capacity(o.len().max(t.len()) + 8);
    let mut conflicts = 0;
    let (open, sep, close, mid) = marker_lines(markers);
    for p in pieces {
        match p {
            Piece::Ours(r) => lines.extend_from_slice(&o[r]),
            Piece::Theirs(r) => lines.extend_from_slice(&t[r]),
            Piece::Conflict { base, ours, theirs } => {
                conflicts += 1;
                lines.push(&open);
                lines.extend_from_slice(&o[ours]);
                if markers.style == ConflictStyle::Diff3 {
                    lines.push(&mid);
                    lines.extend_from_slice(&b[base]);
                }
                lines.push(&sep);
                lines.extend_from_slice(&t[theirs]);
                lines.push(&close);
            }
        }
    }
    TextMerge {
        merged: lines.join("\n"),
        conflicts,
    }
}

fn split_lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

fn clean(text: &str) -> TextMerge<String> {
    TextMerge {
        merged: text.to_owned(),
        conflicts: 0,
    }
}

fn level(markers: &Markers) -> Level {
    match markers.style {
        ConflictStyle::Merge => Level::ZealousAlnum,
        ConflictStyle::Diff3 => Level::Eager,
    }
}

/// The four marker lines (without line ends): `<<<<<<< ours`, `=======`, `>>>>>>> theirs`, and
/// diff3's `||||||| base`.
pub fn marker_lines(markers: &Markers) -> (String, String, String, String) {
    let line = |c: char, label: &str| {
        let mut s: String = std::iter::repeat_n(c, markers.size).collect();
        if !label.is_empty() {
            s.push(' ');
            s.push_str(label);
        }
        s
    };
    (
        line('<', &markers.labels.ours),
        line('=', ""),
        line('>', &markers.labels.theirs),
        line('|', &markers.labels.base),
    )
}

/// Merge whole files line by line as `git merge-file` does (its default level, the given marker
/// size, labels and style). Lines keep their ends; a side whose last line has no newline gets one
/// before the marker that follows it.
pub fn merge_files(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    markers: &Markers,
) -> TextMerge<Vec<u8>> {
    let split = |s| -> Vec<&[u8]> { <[u8]>::split_inclusive(s, |&c| c == b'\n').collect() };
    let (b, o, t) = (split(base), split(ours), split(theirs));
    let mut interner = Interner::new();
    let (bt, ot, tt) = (
        interner.tokens(&b),
        interner.tokens(&o),
        interner.tokens(&t),
    );
    let pieces = diff3::merge(&bt, &ot, &tt, level(markers), |r| {
        o[r].iter()
            .any(|l| l.iter().any(|c| c.is_ascii_alphanumeric()))
    });
    let mut out: Vec<u8> = Vec::with_capacity(ours.len().max(theirs.len()) + 256);
    let mut conflicts = 0;
    let (open, sep, close, mid) = marker_lines(markers);
    let block = |out: &mut Vec<u8>, lines: &[&[u8]]| {
        for l in lines {
            out.extend_from_slice(l);
        }
        if lines.last().is_some_and(|l| !l.ends_with(b"\n")) {
            out.push(b'\n');
        }
    };
    let marker = |out: &mut Vec<u8>, m: &str| {
        out.extend_from_slice(m.as_bytes());
        out.push(b'\n');
    };
    for p in pieces {
        match p {
            Piece::Ours(r) => o[r].iter().for_each(|l| out.extend_from_slice(l)),
            Piece::Theirs(r) => t[r].iter().for_each(|l| out.extend_from_slice(l)),
            Piece::Conflict { base, ours, theirs } => {
                conflicts += 1;
                marker(&mut out, &open);
                block(&mut out, &o[ours]);
                if markers.style == ConflictStyle::Diff3 {
                    marker(&mut out, &mid);
                    block(&mut out, &b[base]);
                }
                marker(&mut out, &sep);
                block(&mut out, &t[theirs]);
                marker(&mut out, &close);
            }
        }
    }
    TextMerge {
        merged: out,
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::Labels;

    fn markers() -> Markers {
        Markers {
            size: 7,
            labels: Labels {
                base: "base".into(),
                ours: "HEAD".into(),
                theirs: "side".into(),
            },
            style: ConflictStyle::Merge,
        }
    }

    #[test]
    fn sources_merge_line_by_line() {
        let m = merge_source(Some("a\nb\nc\nd"), "A\nb\nc\nd", "a\nb\nc\nD", &markers());
        assert_eq!(m.merged, "A\nb\nc\nD");
        assert_eq!(m.conflicts, 0);
    }

    #[test]
    fn a_conflict_stands_between_markers_inside_the_source() {
        let m = merge_source(
            Some("# c\nv = 2\nprint(v)"),
            "# c\nv = 200\nprint(v)",
            "# c\nv = 300\nprint(v)",
            &markers(),
        );
        assert_eq!(
            m.merged,
            "# c\n<<<<<<< HEAD\nv = 200\n=======\nv = 300\n>>>>>>> side\nprint(v)"
        );
        assert_eq!(m.conflicts, 1);
    }

    #[test]
    fn a_conflict_on_the_last_line_keeps_no_final_newline() {
        let m = merge_source(Some("x"), "y", "z", &markers());
        assert_eq!(m.merged, "<<<<<<< HEAD\ny\n=======\nz\n>>>>>>> side");
    }

    #[test]
    fn diff3_style_shows_the_base() {
        let mut mk = markers();
        mk.style = ConflictStyle::Diff3;
        mk.size = 9;
        let m = merge_source(Some("x"), "y", "z", &mk);
        assert_eq!(
            m.merged,
            "<<<<<<<<< HEAD\ny\n||||||||| base\nx\n=========\nz\n>>>>>>>>> side"
        );
    }

    #[test]
    fn files_merge_like_merge_file() {
        let m = merge_files(b"a\nb\nc\nd\n", b"a\nB\nc\nd\n", b"a\nb\nc\nD", &markers());
        assert_eq!(m.merged, b"a\nB\nc\nD");
        assert_eq!(m.conflicts, 0);
        let m = merge_files(b"a\nb", b"a\nB", b"a\nX", &markers());
        assert_eq!(
            String::from_utf8(m.merged).unwrap(),
            "a\n<<<<<<< HEAD\nB\n=======\nX\n>>>>>>> side\n"
        );
    }
}
