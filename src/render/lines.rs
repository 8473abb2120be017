//! Line diffs and git's unified hunks.
//!
//! Lines are compared through small integer ids (each distinct line is hashed once), so the
//! cost of a diff does not grow with the length of a line: an 8 MB line costs one hash, not
//! character comparisons. Hunks follow git's rules: `context` lines around each change, two
//! changes at most `2 * context` lines apart share a hunk, and the header is
//! `@@ -start,count +start,count @@` with git's default function line after it. Where a change
//! could sit at several places (an inserted cell between two blank lines), it is placed where
//! git places it ([`slide`]), so the hunks read as `git diff` of the same MyST text.

use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, group_diff_ops, Algorithm, DiffOp};

use super::paint::{Painter, Sign};

mod slide;

/// git's default number of context lines.
pub const DEFAULT_CONTEXT: usize = 3;

/// How long the line diff may search for a minimal result before it settles for a valid but
/// longer one. Only inputs of hundreds of thousands of changed lines come near it.
pub const DIFF_DEADLINE: Duration = Duration::from_secs(5);

/// git's limit on the function line shown after a hunk header, in bytes.
const FUNC_LINE_MAX: usize = 80;

/// Split `text` after each `\n`; the last line may lack one. Empty text has no lines.
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|&b| b == b'\n').collect()
}

/// The changes between two lists of lines.
#[derive(Debug)]
pub struct LineDiff<'a> {
    pub old: Vec<&'a [u8]>,
    pub new: Vec<&'a [u8]>,
    ops: Vec<DiffOp>,
}

/// One unified-diff hunk: line ranges (0-based) on each side and the operations inside.
#[derive(Clone, Debug, PartialEq)]
pub struct Hunk {
    pub old: Range<usize>,
    pub new: Range<usize>,
    pub ops: Vec<DiffOp>,
}

impl Hunk {
    /// `@@ -a,b +c,d @@`, with git's conventions: a count of 1 is left out, and an empty
    /// range starts at the line before it.
    pub fn range_header(&self) -> String {
        fn side(range: &Range<usize>) -> String {
            let count = range.len();
            let start = if count == 0 {
                range.start
            } else {
                range.start + 1
            };
            if count == 1 {
                format!("{start}")
            } else {
                format!("{start},{count}")
            }
        }
        format!("@@ -{} +{} @@", side(&self.old), side(&self.new))
    }
}

/// Which side's line numbers a cut is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutSide {
    Old,
    New,
}

impl Hunk {
    fn from_ops(ops: Vec<DiffOp>) -> Option<Hunk> {
        let first = ops.first()?;
        let last = ops.last()?;
        Some(Hunk {
            old: first.old_range().start..last.old_range().end,
            new: first.new_range().start..last.new_range().end,
            ops,
        })
    }

    /// Cut the hunk in two before line `at` (0-based) of `side`: lines of that side before
    /// `at` go to the first part. `None` unless each part holds a change, so no part is
    /// context alone.
    pub fn split_at(&self, side: CutSide, at: usize) -> Option<(Hunk, Hunk)> {
        let range = |op: &DiffOp| match side {
            CutSide::Old => op.old_range(),
            CutSide::New => op.new_range(),
        };
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for op in &self.ops {
            let r = range(op);
            if (r.is_empty() && r.start < at) || (!r.is_empty() && r.end <= at) {
                first.push(*op);
                continue;
            }
            if r.start >= at {
                second.push(*op);
                continue;
            }
            let k = at - r.start;
            let (a, b) = match (*op, side) {
                (
                    DiffOp::Equal {
                        old_index,
                        new_index,
                        len,
                    },
                    _,
                ) => (
                    DiffOp::Equal {
                        old_index,
                        new_index,
                        len: k,
                    },
                    DiffOp::Equal {
                        old_index: old_index + k,
                        new_index: new_index + k,
                        len: len - k,
                    },
                ),
                (
                    DiffOp::Insert {
                        old_index,
                        new_index,
                        new_len,
                    },
                    _,
                ) => (
                    DiffOp::Insert {
                        old_index,
                        new_index,
                        new_len: k,
                    },
                    DiffOp::Insert {
                        old_index,
                        new_index: new_index + k,
                        new_len: new_len - k,
                    },
                ),
                (
                    DiffOp::Delete {
                        old_index,
                        old_len,
                        new_index,
                    },
                    _,
                ) => (
                    DiffOp::Delete {
                        old_index,
                        old_len: k,
                        new_index,
                    },
                    DiffOp::Delete {
                        old_index: old_index + k,
                        old_len: old_len - k,
                        new_index,
                    },
                ),
                (
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    },
                    CutSide::New,
                ) => (
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len: k,
                    },
                    DiffOp::Insert {
                        old_index: old_index + old_len,
                        new_index: new_index + k,
                        new_len: new_len - k,
                    },
                ),
                (
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    },
                    CutSide::Old,
                ) => (
                    DiffOp::Delete {
                        old_index,
                        old_len: k,
                        new_index,
                    },
                    DiffOp::Replace {
                        old_index: old_index + k,
                        old_len: old_len - k,
                        new_index,
                        new_len,
                    },
                ),
            };
            first.push(a);
            second.push(b);
        }
        let changes = |ops: &[DiffOp]| ops.iter().any(|op| !matches!(op, DiffOp::Equal { .. }));
        if !changes(&first) || !changes(&second) {
            return None;
        }
        Some((Hunk::from_ops(first)?, Hunk::from_ops(second)?))
    }
}

impl<'a> LineDiff<'a> {
    /// The diff of two texts, split into lines.
    pub fn of_texts(old: &'a [u8], new: &'a [u8]) -> LineDiff<'a> {
        LineDiff::new(split_lines(old), split_lines(new))
    }

    /// The diff of two lists of lines.
    pub fn new(old: Vec<&'a [u8]>, new: Vec<&'a [u8]>) -> LineDiff<'a> {
        let mut ids: HashMap<&[u8], u32> = HashMap::with_capacity(old.len() + new.len());
        let mut intern = |line: &'a [u8]| {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            *ids.entry(line).or_insert(next)
        };
        let old_ids: Vec<u32> = old.iter().map(|l| intern(l)).collect();
        let new_ids: Vec<u32> = new.iter().map(|l| intern(l)).collect();
        let deadline = Instant::now().checked_add(DIFF_DEADLINE);
        let ops = capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, deadline);
        let ops = slide::compact(&old, &new, &old_ids, &new_ids, &ops);
        LineDiff { old, new, ops }
    }

    /// Whether the two sides have the same lines.
    pub fn is_equal(&self) -> bool {
        self.ops.iter().all(|op| matches!(op, DiffOp::Equal { .. }))
    }

    /// Every operation, in order.
    pub fn ops(&self) -> &[DiffOp] {
        &self.ops
    }

    /// The hunks with `context` lines of context, as git groups them.
    pub fn hunks(&self, context: usize) -> Vec<Hunk> {
        if self.is_equal() {
            return Vec::new();
        }
        group_diff_ops(self.ops.clone(), context)
            .into_iter()
            .filter_map(Hunk::from_ops)
            .collect()
    }

    /// git's default function line for a hunk: the nearest old line above the hunk that starts
    /// with a letter, `_` or `$`, cut to 80 bytes, trailing blanks removed.
    pub fn func_line(&self, hunk: &Hunk) -> &'a [u8] {
        let found = self.old[..hunk.old.start.min(self.old.len())]
            .iter()
            .rev()
            .find(|line| {
                line.first()
                    .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_' || b == b'$')
            });
        let Some(line) = found else {
            return b"";
        };
        let cut = &line[..line.len().min(FUNC_LINE_MAX)];
        let end = cut
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |at| at + 1);
        &cut[..end]
    }

    /// Whether the hunk adds or removes a line that is not blank.
    pub fn changes_text(&self, hunk: &Hunk) -> bool {
        let blank = |line: &[u8]| line.iter().all(u8::is_ascii_whitespace);
        hunk.ops.iter().any(|op| {
            !matches!(op, DiffOp::Equal { .. })
                && (op.old_range().any(|i| !blank(self.old[i]))
                    || op.new_range().any(|i| !blank(self.new[i])))
        })
    }

    /// Write one hunk: its header, then its lines.
    pub fn write_hunk(&self, painter: &mut Painter, hunk: &Hunk) -> io::Result<()> {
        painter.hunk_header(&hunk.range_header(), self.func_line(hunk))?;
        for op in &hunk.ops {
            for i in op.old_range() {
                let sign = if matches!(op, DiffOp::Equal { .. }) {
                    Sign::Context
                } else {
                    Sign::Old
                };
                painter.body(sign, self.old[i])?;
            }
            if !matches!(op, DiffOp::Equal { .. }) {
                for i in op.new_range() {
                    painter.body(Sign::New, self.new[i])?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unified(old: &str, new: &str, context: usize) -> String {
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        let mut out = Vec::new();
        let mut painter = Painter::new(&mut out, false);
        for hunk in diff.hunks(context) {
            diff.write_hunk(&mut painter, &hunk).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    // Expected texts: `git diff --no-index` (2.47) on the same files.
    #[test]
    fn hunks_match_git() {
        let old = "func one\n1\n2\n3\n4\n5\n6\n7\n";
        let new = "func one\n1\n2\n3\n4\n5\n6x\n7\n";
        assert_eq!(
            unified(old, new, 3),
            "@@ -4,5 +4,5 @@ func one\n 3\n 4\n 5\n-6\n+6x\n 7\n"
        );
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nC\nd\ne\nf\ng\nh\nnonl";
        assert_eq!(
            unified(old, new, 3),
            "@@ -1,8 +1,9 @@\n a\n b\n-c\n+C\n d\n e\n f\n g\n h\n+nonl\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("", "a\n", 3), "@@ -0,0 +1 @@\n+a\n");
        assert_eq!(unified("a\nb\n", "", 3), "@@ -1,2 +0,0 @@\n-a\n-b\n");
        assert_eq!(unified("a\n", "a\n", 3), "");
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let lines = |changed: &[usize]| -> String {
            (1..=20)
                .map(|i| match changed.contains(&i) {
                    true => format!("changed {i}\n"),
                    false => format!("{i}\n"),
                })
                .collect()
        };
        let old = lines(&[]);
        let new = lines(&[2, 19]);
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        let hunks = diff.hunks(3);
        assert_eq!(hunks.len(), 2);
        assert_eq!(hunks[0].range_header(), "@@ -1,5 +1,5 @@");
        assert_eq!(hunks[1].range_header(), "@@ -16,5 +16,5 @@");
        // Six equal lines between two changes, context 3: one hunk; context 0: two.
        let new = lines(&[2, 9]);
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        assert_eq!(diff.hunks(3).len(), 1);
        assert_eq!(diff.hunks(0).len(), 2);
        // Seven: two hunks.
        let new = lines(&[2, 10]);
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        assert_eq!(diff.hunks(3).len(), 2);
    }

    #[test]
    fn hunks_split_where_both_parts_change() {
        let old = "a\nb\nc\n";
        let new = "a\nB\nc\nD\nE\n";
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        let hunk = &diff.hunks(3)[0];
        assert_eq!(hunk.range_header(), "@@ -1,3 +1,5 @@");
        let (first, second) = hunk.split_at(CutSide::New, 3).unwrap();
        assert_eq!(first.range_header(), "@@ -1,3 +1,3 @@");
        assert_eq!(second.range_header(), "@@ -3,0 +4,2 @@");
        // In the middle of an insertion.
        let (first, second) = hunk.split_at(CutSide::New, 4).unwrap();
        assert_eq!(first.range_header(), "@@ -1,3 +1,4 @@");
        assert_eq!(second.range_header(), "@@ -3,0 +5 @@");
        // Only context before the cut: no split.
        assert_eq!(hunk.split_at(CutSide::New, 1), None);
        assert_eq!(hunk.split_at(CutSide::Old, 1), None);
        let (first, second) = hunk.split_at(CutSide::Old, 2).unwrap();
        assert_eq!(first.range_header(), "@@ -1,2 +1,2 @@");
        assert_eq!(second.range_header(), "@@ -3 +3,3 @@");
    }

    #[test]
    fn long_lines_are_compared_whole() {
        let long = "x".repeat(8 << 20);
        let old = format!("a\n{long}\nb\n");
        let new = format!("a\n{long}\nc\n");
        let start = Instant::now();
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        assert_eq!(diff.hunks(0)[0].range_header(), "@@ -3 +3 @@");
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn function_line_is_cut_at_80_bytes() {
        let name = format!("def {}():   ", "f".repeat(100));
        let old = format!("{name}\n1\n2\n3\n4\n");
        let new = format!("{name}\n1\n2\n3\n5\n");
        let diff = LineDiff::of_texts(old.as_bytes(), new.as_bytes());
        let hunk = &diff.hunks(1)[0];
        assert_eq!(diff.func_line(hunk), &name.as_bytes()[..80]);
        // A hunk that starts at the first line has nothing above it.
        let hunk = &diff.hunks(4)[0];
        assert_eq!(diff.func_line(hunk), b"");
    }
}
