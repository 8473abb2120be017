//! Where a group of changed lines sits when it could sit at several places, decided as git
//! decides it (its "slider" compaction with the indent heuristic, on by default since git 2.14).
//!
//! A group of added (or removed) lines can slide up or down while the line it leaves equals the
//! line it takes. Each group is slid as far up, then as far down, as it goes, merging with
//! neighbours it meets. If some position lines it up with a change on the other side, it goes
//! there (the last such position); otherwise every position within reach (at most 100 lines) is
//! scored by the indentation and blank lines around its two ends, and the best one wins, the
//! lower one on a tie. The penalties are git's, tuned on a corpus of human-rated diffs.

use similar::DiffOp;

/// Indentation counts no further.
const MAX_INDENT: i32 = 200;
/// Blank lines count no further when looking around a split.
const MAX_BLANKS: i32 = 20;
/// How far a group is slid at most when scoring positions.
const MAX_SLIDING: usize = 100;

/// The split has nothing above it.
const START_OF_FILE_PENALTY: i32 = 1;
/// The split has nothing but blank lines below it.
const END_OF_FILE_PENALTY: i32 = 21;
/// Per blank line around the split.
const TOTAL_BLANK_WEIGHT: i32 = -30;
/// Per blank line after the split.
const POST_BLANK_WEIGHT: i32 = 6;
/// The line after the split is indented more than the one before.
const RELATIVE_INDENT_PENALTY: i32 = -4;
const RELATIVE_INDENT_WITH_BLANK_PENALTY: i32 = 10;
/// The line after the split is indented less than the ones before and after it.
const RELATIVE_OUTDENT_PENALTY: i32 = 24;
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY: i32 = 17;
/// The line after the split is indented less than the one before, not less than the next.
const RELATIVE_DEDENT_PENALTY: i32 = 23;
const RELATIVE_DEDENT_WITH_BLANK_PENALTY: i32 = 17;
/// Weight of comparing two positions' summed indentation (shallower wins).
const INDENT_WEIGHT: i32 = 60;

/// One side: its lines, their ids, and which lines are changed.
struct Side<'s, 'a> {
    lines: &'s [&'a [u8]],
    ids: &'s [u32],
    changed: Vec<bool>,
}

/// A run of changed lines `start..end` (empty between two unchanged lines).
#[derive(Clone, Copy, Debug)]
struct Group {
    start: usize,
    end: usize,
}

impl Side<'_, '_> {
    fn len(&self) -> usize {
        self.ids.len()
    }

    fn is_changed(&self, i: usize) -> bool {
        self.changed.get(i).copied().unwrap_or(false)
    }

    fn first_group(&self) -> Group {
        let mut end = 0;
        while self.is_changed(end) {
            end += 1;
        }
        Group { start: 0, end }
    }

    /// The group after `g` (past one unchanged line); `false` at the end.
    fn next(&self, g: &mut Group) -> bool {
        if g.end >= self.len() {
            return false;
        }
        g.start = g.end + 1;
        g.end = g.start;
        while self.is_changed(g.end) {
            g.end += 1;
        }
        true
    }

    /// The group before `g`; `false` at the start.
    fn previous(&self, g: &mut Group) -> bool {
        if g.start == 0 {
            return false;
        }
        g.end = g.start - 1;
        g.start = g.end;
        while g.start > 0 && self.is_changed(g.start - 1) {
            g.start -= 1;
        }
        true
    }

    /// Move the group one line down if the line below equals its first line.
    fn slide_down(&mut self, g: &mut Group) -> bool {
        if g.end < self.len() && self.ids[g.start] == self.ids[g.end] {
            self.changed[g.start] = false;
            self.changed[g.end] = true;
            g.start += 1;
            g.end += 1;
            while self.is_changed(g.end) {
                g.end += 1;
            }
            true
        } else {
            false
        }
    }

    /// Move the group one line up if the line above equals its last line.
    fn slide_up(&mut self, g: &mut Group) -> bool {
        if g.start > 0 && self.ids[g.start - 1] == self.ids[g.end - 1] {
            g.start -= 1;
            g.end -= 1;
            self.changed[g.start] = true;
            self.changed[g.end] = false;
            while g.start > 0 && self.is_changed(g.start - 1) {
                g.start -= 1;
            }
            true
        } else {
            false
        }
    }

    /// Leading blanks (a tab to the next multiple of 8), or `None` for a blank line.
    fn indent(&self, i: usize) -> Option<i32> {
        let mut indent = 0;
        for &b in self.lines[i] {
            match b {
                b' ' => indent += 1,
                b'\t' => indent += 8 - indent % 8,
                b'\n' | b'\r' | b'\x0b' | b'\x0c' => {}
                _ => return Some(indent),
            }
            if indent >= MAX_INDENT {
                return Some(MAX_INDENT);
            }
        }
        None
    }

    /// What surrounds a split just above line `split`.
    fn measure(&self, split: usize) -> Split {
        let (end_of_file, indent) = if split >= self.len() {
            (true, None)
        } else {
            (false, self.indent(split))
        };
        let mut pre_blank = 0;
        let mut pre_indent = None;
        for i in (0..split.min(self.len())).rev() {
            if let Some(found) = self.indent(i) {
                pre_indent = Some(found);
                break;
            }
            pre_blank += 1;
            if pre_blank == MAX_BLANKS {
                pre_indent = Some(0);
                break;
            }
        }
        let mut post_blank = 0;
        let mut post_indent = None;
        for i in split + 1..self.len() {
            if let Some(found) = self.indent(i) {
                post_indent = Some(found);
                break;
            }
            post_blank += 1;
            if post_blank == MAX_BLANKS {
                post_indent = Some(0);
                break;
            }
        }
        Split {
            end_of_file,
            indent,
            pre_blank,
            pre_indent,
            post_blank,
            post_indent,
        }
    }
}

/// The surroundings of a split.
struct Split {
    end_of_file: bool,
    indent: Option<i32>,
    pre_blank: i32,
    pre_indent: Option<i32>,
    post_blank: i32,
    post_indent: Option<i32>,
}

/// The badness of a position (lower is better).
#[derive(Clone, Copy, Default)]
struct Score {
    effective_indent: i32,
    penalty: i32,
}

impl Score {
    fn add(&mut self, m: &Split) {
        if m.pre_indent.is_none() && m.pre_blank == 0 {
            self.penalty += START_OF_FILE_PENALTY;
        }
        if m.end_of_file {
            self.penalty += END_OF_FILE_PENALTY;
        }
        let post_blank = if m.indent.is_none() {
            1 + m.post_blank
        } else {
            0
        };
        let total_blank = m.pre_blank + post_blank;
        self.penalty += TOTAL_BLANK_WEIGHT * total_blank;
        self.penalty += POST_BLANK_WEIGHT * post_blank;
        let indent = m.indent.or(m.post_indent);
        self.effective_indent += indent.unwrap_or(-1);
        let any_blanks = total_blank != 0;
        let (Some(indent), Some(pre_indent)) = (indent, m.pre_indent) else {
            return;
        };
        if indent > pre_indent {
            self.penalty += if any_blanks {
                RELATIVE_INDENT_WITH_BLANK_PENALTY
            } else {
                RELATIVE_INDENT_PENALTY
            };
        } else if indent < pre_indent {
            let outdent = m.post_indent.is_some_and(|post| post > indent);
            self.penalty += match (outdent, any_blanks) {
                (true, true) => RELATIVE_OUTDENT_WITH_BLANK_PENALTY,
                (true, false) => RELATIVE_OUTDENT_PENALTY,
                (false, true) => RELATIVE_DEDENT_WITH_BLANK_PENALTY,
                (false, false) => RELATIVE_DEDENT_PENALTY,
            };
        }
    }

    /// Negative when `self` is better than `other`.
    fn compare(&self, other: &Score) -> i32 {
        let indents = (self.effective_indent > other.effective_indent) as i32
            - (self.effective_indent < other.effective_indent) as i32;
        INDENT_WEIGHT * indents + (self.penalty - other.penalty)
    }
}

/// Slide the groups of `side` against `other`.
fn compact_side(side: &mut Side, other: &Side) {
    let mut g = side.first_group();
    let mut go = other.first_group();
    loop {
        if g.end != g.start {
            let mut group_size;
            let mut earliest_end;
            let mut end_matching_other;
            loop {
                group_size = g.end - g.start;
                end_matching_other = None;
                while side.slide_up(&mut g) {
                    other.previous(&mut go);
                }
                earliest_end = g.end;
                if go.end > go.start {
                    end_matching_other = Some(g.end);
                }
                while side.slide_down(&mut g) {
                    other.next(&mut go);
                    if go.end > go.start {
                        end_matching_other = Some(g.end);
                    }
                }
                if group_size == g.end - g.start {
                    break;
                }
            }
            if g.end == earliest_end {
                // It cannot move.
            } else if end_matching_other.is_some() {
                while go.end == go.start {
                    if !side.slide_up(&mut g) || !other.previous(&mut go) {
                        break;
                    }
                }
            } else {
                // From one line above the highest position (or the earliest end, or 100
                // lines up), down to the lowest.
                let mut shift = earliest_end
                    .max(g.end.saturating_sub(group_size + 1))
                    .max(g.end.saturating_sub(MAX_SLIDING));
                let mut best: Option<(usize, Score)> = None;
                while shift <= g.end {
                    let mut score = Score::default();
                    score.add(&side.measure(shift));
                    score.add(&side.measure(shift - group_size));
                    if best.is_none_or(|(_, b)| score.compare(&b) <= 0) {
                        best = Some((shift, score));
                    }
                    shift += 1;
                }
                if let Some((best_shift, _)) = best {
                    while g.end > best_shift {
                        if !side.slide_up(&mut g) || !other.previous(&mut go) {
                            break;
                        }
                    }
                }
            }
        }
        if !side.next(&mut g) || !other.next(&mut go) {
            break;
        }
    }
}

/// `ops` with each group of changes placed where git would place it.
pub(super) fn compact(
    old: &[&[u8]],
    new: &[&[u8]],
    old_ids: &[u32],
    new_ids: &[u32],
    ops: &[DiffOp],
) -> Vec<DiffOp> {
    let mut old_side = Side {
        lines: old,
        ids: old_ids,
        changed: vec![false; old_ids.len()],
    };
    let mut new_side = Side {
        lines: new,
        ids: new_ids,
        changed: vec![false; new_ids.len()],
    };
    for op in ops {
        if !matches!(op, DiffOp::Equal { .. }) {
            old_side.changed[op.old_range()].fill(true);
            new_side.changed[op.new_range()].fill(true);
        }
    }
    compact_side(&mut old_side, &new_side);
    compact_side(&mut new_side, &old_side);
    to_ops(&old_side.changed, &new_side.changed)
}

/// Operations from the changed flags of both sides.
fn to_ops(old: &[bool], new: &[bool]) -> Vec<DiffOp> {
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let (start_i, start_j) = (i, j);
        while i < old.len() && j < new.len() && !old[i] && !new[j] {
            i += 1;
            j += 1;
        }
        if i > start_i {
            ops.push(DiffOp::Equal {
                old_index: start_i,
                new_index: start_j,
                len: i - start_i,
            });
        }
        let (from_i, from_j) = (i, j);
        while i < old.len() && old[i] {
            i += 1;
        }
        while j < new.len() && new[j] {
            j += 1;
        }
        match (i - from_i, j - from_j) {
            (0, 0) => {
                // Both sides unchanged but one ran out: cannot happen with consistent flags;
                // stop rather than loop.
                if i == from_i && j == from_j && (i >= old.len() || j >= new.len()) {
                    if i < old.len() || j < new.len() {
                        ops.push(DiffOp::Replace {
                            old_index: i,
                            old_len: old.len() - i,
                            new_index: j,
                            new_len: new.len() - j,
                        });
                    }
                    break;
                }
            }
            (old_len, 0) => ops.push(DiffOp::Delete {
                old_index: from_i,
                old_len,
                new_index: from_j,
            }),
            (0, new_len) => ops.push(DiffOp::Insert {
                old_index: from_i,
                new_index: from_j,
                new_len,
            }),
            (old_len, new_len) => ops.push(DiffOp::Replace {
                old_index: from_i,
                old_len,
                new_index: from_j,
                new_len,
            }),
        }
    }
    ops
}
