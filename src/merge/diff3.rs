//! A three-way merge of token sequences with the rules of git's own merge (`xdiff/xmerge.c`):
//! both sides are diffed against the base, changes that overlap or touch conflict, identical
//! changes merge, and (at the zealous level) a conflict is narrowed to the tokens the two sides
//! really disagree on.
//!
//! Tokens are `u32`s: the caller interns lines (or cell identities) so that equal tokens mean equal
//! items. The result is a list of [`Piece`]s that say, in order, which ranges of which side make
//! up the merge, and where the conflicts are; rendering is the caller's business.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

/// How long one diff may search for a minimal script before it settles for a correct, larger one.
const DIFF_DEADLINE: Duration = Duration::from_secs(5);

/// One change of a side against the base: `base[base..base + base_len]` became
/// `side[side..side + side_len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub base: usize,
    pub base_len: usize,
    pub side: usize,
    pub side_len: usize,
}

/// The changes that turn `old` into `new`, in order, adjacent edits joined into one hunk.
pub fn diff(old: &[u32], new: &[u32]) -> Vec<Hunk> {
    let deadline = Instant::now() + DIFF_DEADLINE;
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline));
    let mut hunks: Vec<Hunk> = Vec::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match hunks.last_mut() {
            Some(h) if h.base + h.base_len == o.start && h.side + h.side_len == n.start => {
                h.base_len += o.len();
                h.side_len += n.len();
            }
            _ => hunks.push(Hunk {
                base: o.start,
                base_len: o.len(),
                side: n.start,
                side_len: n.len(),
            }),
        }
    }
    hunks
}

/// What a region of the merge takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Both sides changed it differently.
    Conflict,
    /// Only ours changed it (or ours' change is taken).
    Ours,
    /// Only theirs changed it.
    Theirs,
    /// Both sides made the same change: ours' copy is kept as unchanged text.
    Identical,
}

/// A changed region: `base[i0..i0 + chg0]` became `ours[i1..i1 + chg1]` and
/// `theirs[i2..i2 + chg2]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub mode: Mode,
    pub i0: usize,
    pub chg0: usize,
    pub i1: usize,
    pub chg1: usize,
    pub i2: usize,
    pub chg2: usize,
}

impl Region {
    pub fn base(&self) -> Range<usize> {
        self.i0..self.i0 + self.chg0
    }
    pub fn ours(&self) -> Range<usize> {
        self.i1..self.i1 + self.chg1
    }
    pub fn theirs(&self) -> Range<usize> {
        self.i2..self.i2 + self.chg2
    }
}

/// One part of the merged sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// These tokens of ours (unchanged, or changed by ours alone, or changed alike on both sides).
    Ours(Range<usize>),
    /// These tokens of theirs (changed by theirs alone).
    Theirs(Range<usize>),
    /// A conflict: the base's tokens, and each side's version.
    Conflict {
        base: Range<usize>,
        ours: Range<usize>,
        theirs: Range<usize>,
    },
}

/// The regions of a three-way merge, before any refinement. `eager`: identical changes on both
/// sides are no conflict (git's levels above "minimal").
pub fn regions(base: &[u32], ours: &[u32], theirs: &[u32], eager: bool) -> Vec<Region> {
    let h1 = diff(base, ours);
    let h2 = diff(base, theirs);
    let mut out: Vec<Region> = Vec::new();
    let (mut a, mut b) = (0, 0);
    while a < h1.len() && b < h2.len() {
        let (x, y) = (h1[a], h2[b]);
        if x.base + x.base_len < y.base {
            append(
                &mut out,
                Region {
                    mode: Mode::Ours,
                    i0: x.base,
                    chg0: x.base_len,
                    i1: x.side,
                    chg1: x.side_len,
                    i2: (y.side + x.base).saturating_sub(y.base),
                    chg2: x.base_len,
                },
            );
            a += 1;
            continue;
        }
        if y.base + y.base_len < x.base {
            append(
                &mut out,
                Region {
                    mode: Mode::Theirs,
                    i0: y.base,
                    chg0: y.base_len,
                    i1: (x.side + y.base).saturating_sub(x.base),
                    chg1: y.base_len,
                    i2: y.side,
                    chg2: y.side_len,
                },
            );
            b += 1;
            continue;
        }
        let identical = eager
            && x.base == y.base
            && x.base_len == y.base_len
            && x.side_len == y.side_len
            && ours[x.side..x.side + x.side_len] == theirs[y.side..y.side + y.side_len];
        if !identical {
            // The union of both hunks, each side's range widened by the unchanged tokens that the
            // other hunk covers.
            let lo = x.base.min(y.base);
            let hi = (x.base + x.base_len).max(y.base + y.base_len);
            let i1 = x.side - (x.base - lo);
            let i2 = y.side - (y.base - lo);
            let chg1 = x.side_len + (x.base - lo) + (hi - (x.base + x.base_len));
            let chg2 = y.side_len + (y.base - lo) + (hi - (y.base + y.base_len));
            append(
                &mut out,
                Region {
                    mode: Mode::Conflict,
                    i0: lo,
                    chg0: hi - lo,
                    i1,
                    chg1,
                    i2,
                    chg2,
                },
            );
        }
        let (e1, e2) = (x.base + x.base_len, y.base + y.base_len);
        if e1 >= e2 {
            b += 1;
        }
        if e2 >= e1 {
            a += 1;
        }
    }
    for x in &h1[a..] {
        append(
            &mut out,
            Region {
                mode: Mode::Ours,
                i0: x.base,
                chg0: x.base_len,
                i1: x.side,
                chg1: x.side_len,
                i2: (x.base + theirs.len()).saturating_sub(base.len()),
                chg2: x.base_len,
            },
        );
    }
    for y in &h2[b..] {
        append(
            &mut out,
            Region {
                mode: Mode::Theirs,
                i0: y.base,
                chg0: y.base_len,
                i1: (y.base + ours.len()).saturating_sub(base.len()),
                chg1: y.base_len,
                i2: y.side,
                chg2: y.side_len,
            },
        );
    }
    out
}

/// Add a region, joining it with the previous one when they overlap or touch on either side (a
/// join of different modes is a conflict).
fn append(out: &mut Vec<Region>, r: Region) {
    if let Some(m) = out.last_mut() {
        if r.i1 <= m.i1 + m.chg1 || r.i2 <= m.i2 + m.chg2 {
            if r.mode != m.mode {
                m.mode = Mode::Conflict;
            }
            m.chg0 = (r.i0 + r.chg0).max(m.i0 + m.chg0) - m.i0;
            m.chg1 = (r.i1 + r.chg1).max(m.i1 + m.chg1) - m.i1;
            m.chg2 = (r.i2 + r.chg2).max(m.i2 + m.chg2) - m.i2;
            return;
        }
    }
    out.push(r);
}

/// git's zealous level: each conflict whose sides are both non-empty is narrowed to the parts
/// where ours and theirs differ (the tokens they agree on are taken as merged); one whose sides
/// are equal is no conflict at all.
pub fn refine(regions: Vec<Region>, ours: &[u32], theirs: &[u32]) -> Vec<Region> {
    let mut out = Vec::with_capacity(regions.len());
    for r in regions {
        if r.mode != Mode::Conflict || r.chg1 == 0 || r.chg2 == 0 {
            out.push(r);
            continue;
        }
        let hunks = diff(&ours[r.ours()], &theirs[r.theirs()]);
        if hunks.is_empty() {
            out.push(Region {
                mode: Mode::Identical,
                ..r
            });
            continue;
        }
        for (k, h) in hunks.iter().enumerate() {
            // Only the first part keeps the base range (it is shown in diff3 style only, which
            // never refines).
            let (i0, chg0) = if k == 0 { (r.i0, r.chg0) } else { (r.i0, 0) };
            out.push(Region {
                mode: Mode::Conflict,
                i0,
                chg0,
                i1: r.i1 + h.base,
                chg1: h.base_len,
                i2: r.i2 + h.side,
                chg2: h.side_len,
            });
        }
    }
    out
}

/// Join two conflicts when few tokens of ours stand between them: three or fewer, or (when
/// `keep` says so) tokens that are not worth keeping out of a conflict. `keep(range)` is true
/// when the tokens of ours in `range` must stay outside.
pub fn simplify(regions: &mut Vec<Region>, keep: impl Fn(Range<usize>) -> bool) {
    let mut k = 0;
    while k + 1 < regions.len() {
        let (m, next) = (regions[k], regions[k + 1]);
        let begin = m.i1 + m.chg1;
        let end = next.i1;
        if m.mode != Mode::Conflict
            || next.mode != Mode::Conflict
            || (end.saturating_sub(begin) > 3 && keep(begin..end))
        {
            k += 1;
            continue;
        }
        let joined = &mut regions[k];
        joined.chg1 = next.i1 + next.chg1 - joined.i1;
        joined.chg2 = next.i2 + next.chg2 - joined.i2;
        joined.chg0 = (next.i0 + next.chg0).max(joined.i0 + joined.chg0) - joined.i0;
        regions.remove(k + 1);
    }
}

/// The merged sequence as pieces of the sides, in order.
pub fn pieces(regions: &[Region], ours_len: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let push_ours = |out: &mut Vec<Piece>, r: Range<usize>| {
        if !r.is_empty() {
            out.push(Piece::Ours(r));
        }
    };
    let mut i = 0;
    for m in regions {
        match m.mode {
            Mode::Conflict => {
                push_ours(&mut out, i..m.i1.max(i));
                out.push(Piece::Conflict {
                    base: m.base(),
                    ours: m.ours(),
                    theirs: m.theirs(),
                });
            }
            Mode::Ours => push_ours(&mut out, i..(m.i1 + m.chg1).max(i)),
            Mode::Theirs => {
                push_ours(&mut out, i..m.i1.max(i));
                if m.chg2 > 0 {
                    out.push(Piece::Theirs(m.theirs()));
                }
            }
            Mode::Identical => continue,
        }
        i = (m.i1 + m.chg1).max(i);
    }
    push_ours(&mut out, i..ours_len.max(i));
    out
}

/// Which merge git's `merge-file` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Identical changes merge; every other overlap is one conflict (what diff3-style output uses).
    Eager,
    /// Conflicts narrowed to where the sides differ, and joined across three or fewer tokens
    /// (`git merge`'s own level).
    Zealous,
    /// As zealous, and also joined across tokens `keep` rejects (lines without a letter or digit):
    /// `git merge-file`'s level.
    ZealousAlnum,
}

/// The whole merge at a level: regions, refinement, joining, pieces. `keep` is asked at
/// [`Level::ZealousAlnum`] only.
pub fn merge(
    base: &[u32],
    ours: &[u32],
    theirs: &[u32],
    level: Level,
    keep: impl Fn(Range<usize>) -> bool,
) -> Vec<Piece> {
    let mut rs = regions(base, ours, theirs, true);
    if level != Level::Eager {
        rs = refine(rs, ours, theirs);
        match level {
            Level::ZealousAlnum => simplify(&mut rs, keep),
            _ => simplify(&mut rs, |_| true),
        }
    }
    pieces(&rs, ours.len())
}

/// Interns items as tokens: equal items, equal tokens.
pub struct Interner<'a, T: ?Sized> {
    ids: std::collections::HashMap<&'a T, u32>,
}

impl<'a, T: ?Sized + std::hash::Hash + Eq> Interner<'a, T> {
    pub fn new() -> Interner<'a, T> {
        Interner {
            ids: std::collections::HashMap::new(),
        }
    }

    pub fn token(&mut self, item: &'a T) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(item).or_insert(next)
    }

    pub fn tokens(&mut self, items: &[&'a T]) -> Vec<u32> {
        items.iter().map(|s| self.token(s)).collect()
    }
}

impl<'a, T: ?Sized + std::hash::Hash + Eq> Default for Interner<'a, T> {
    fn default() -> Self {
        Interner::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<u32> {
        s.bytes().map(u32::from).collect()
    }

    /// Render pieces of single-letter tokens: conflicts as `<ours|theirs>`.
    fn show(base: &str, ours: &str, theirs: &str, level: Level) -> String {
        let (b, o, t) = (toks(base), toks(ours), toks(theirs));
        let pieces = merge(&b, &o, &t, level, |_| true);
        let mut out = String::new();
        for p in pieces {
            match p {
                Piece::Ours(r) => out.extend(r.map(|i| o[i] as u8 as char)),
                Piece::Theirs(r) => out.extend(r.map(|i| t[i] as u8 as char)),
                Piece::Conflict { ours, theirs, .. } => {
                    out.push('<');
                    out.extend(ours.map(|i| o[i] as u8 as char));
                    out.push('|');
                    out.extend(theirs.map(|i| t[i] as u8 as char));
                    out.push('>');
                }
            }
        }
        out
    }

    #[test]
    fn one_sided_and_separate_changes_merge() {
        assert_eq!(show("abcdef", "abcdef", "abXdef", Level::Zealous), "abXdef");
        assert_eq!(show("abcdef", "aYcdef", "abcdef", Level::Zealous), "aYcdef");
        assert_eq!(show("abcdef", "aYcdef", "abcdXf", Level::Zealous), "aYcdXf");
        assert_eq!(show("abcdef", "bcdef", "abcde", Level::Zealous), "bcde");
    }

    #[test]
    fn touching_changes_conflict_as_in_git() {
        assert_eq!(
            show("abcdef", "aYcdef", "abXdef", Level::Eager),
            "a<Yc|bX>def"
        );
        // Insertions at the same place.
        assert_eq!(show("ab", "aXb", "aYb", Level::Zealous), "a<X|Y>b");
    }

    #[test]
    fn identical_changes_merge() {
        assert_eq!(show("abc", "aXc", "aXc", Level::Eager), "aXc");
        assert_eq!(show("abc", "ac", "ac", Level::Eager), "ac");
    }

    #[test]
    fn zealous_narrows_conflicts() {
        // Both replaced b with a text that shares its ends.
        assert_eq!(show("abc", "aPQRc", "aPZRc", Level::Zealous), "aP<Q|Z>Rc");
        assert_eq!(show("abc", "aPQRc", "aPZRc", Level::Eager), "a<PQR|PZR>c");
    }

    #[test]
    fn zealous_joins_conflicts_close_together() {
        assert_eq!(
            show("a123b", "aX123Yb", "aZ123Wb", Level::Zealous),
            "a<X123Y|Z123W>b"
        );
        assert_eq!(
            show("a1234b", "aX1234Yb", "aZ1234Wb", Level::Zealous),
            "a<X|Z>1234<Y|W>b"
        );
        assert_eq!(show("abc", "XbY", "ZbW", Level::Zealous), "<XbY|ZbW>");
    }

    #[test]
    fn empty_base_is_a_two_way_merge() {
        assert_eq!(show("", "abc", "abc", Level::Zealous), "abc");
        assert_eq!(show("", "abXc", "abYc", Level::Zealous), "ab<X|Y>c");
        assert_eq!(show("", "", "abc", Level::Zealous), "abc");
    }
}
