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
    // Hunks are the gaps between equal runs: the positions of the equal runs are all that is
    // relied on.
    let mut hunks: Vec<Hunk> = Vec::new();
    let (mut old_end, mut new_end) = (0, 0);
    let gap =
        |old_at: usize, new_at: usize, old_end: usize, new_end: usize, hunks: &mut Vec<Hunk>| {
            if old_at > old_end || new_at > new_end {
                hunks.push(Hunk {
                    base: old_end,
                    base_len: old_at.saturating_sub(old_end),
                    side: new_end,
                    side_len: new_at.saturating_sub(new_end),
                });
            }
        };
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            gap(o.start, n.start, old_end, new_end, &mut hunks);
            old_end = o.end;
            new_end = n.end;
        }
    }
    gap(old.len(), new.len(), old_end, new_end, &mut hunks);
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
    let h1: Vec<Span> = diff(base, ours).iter().map(Span::from).collect();
    let h2: Vec<Span> = diff(base, theirs).iter().map(Span::from).collect();
    let (n0, n1, n2) = (
        base.len() as isize,
        ours.len() as isize,
        theirs.len() as isize,
    );
    let mut out: Vec<Region> = Vec::new();
    let (mut a, mut b) = (0, 0);
    while a < h1.len() && b < h2.len() {
        let (x, y) = (h1[a], h2[b]);
        if x.b + x.bl < y.b {
            // Ours alone; theirs is unchanged there, at the offset it has before its next hunk.
            let i2 = y.s - y.b + x.b;
            append(&mut out, Mode::Ours, [(x.b, x.bl), (x.s, x.sl), (i2, x.bl)]);
            a += 1;
            continue;
        }
        if y.b + y.bl < x.b {
            let i1 = x.s - x.b + y.b;
            append(
                &mut out,
                Mode::Theirs,
                [(y.b, y.bl), (i1, y.bl), (y.s, y.sl)],
            );
            b += 1;
            continue;
        }
        let identical = eager
            && x.b == y.b
            && x.bl == y.bl
            && x.sl == y.sl
            && ours[x.s as usize..(x.s + x.sl) as usize]
                == theirs[y.s as usize..(y.s + y.sl) as usize];
        if !identical {
            // The union of both hunks, each side's range widened by the tokens of the base the
            // other hunk covers. A start can be off when an earlier hunk of that side lies in
            // between; that hunk joined the previous region, which this one joins, so only the
            // ends count then.
            let lo = x.b.min(y.b);
            let hi = (x.b + x.bl).max(y.b + y.bl);
            let i1 = x.s - (x.b - lo);
            let i2 = y.s - (y.b - lo);
            let e1 = x.s + x.sl + (hi - (x.b + x.bl));
            let e2 = y.s + y.sl + (hi - (y.b + y.bl));
            append(
                &mut out,
                Mode::Conflict,
                [(lo, hi - lo), (i1, e1 - i1), (i2, e2 - i2)],
            );
        }
        let (e1, e2) = (x.b + x.bl, y.b + y.bl);
        if e1 >= e2 {
            b += 1;
        }
        if e2 >= e1 {
            a += 1;
        }
    }
    for x in &h1[a..] {
        let i2 = x.b + n2 - n0;
        append(&mut out, Mode::Ours, [(x.b, x.bl), (x.s, x.sl), (i2, x.bl)]);
    }
    for y in &h2[b..] {
        let i1 = y.b + n1 - n0;
        append(
            &mut out,
            Mode::Theirs,
            [(y.b, y.bl), (i1, y.bl), (y.s, y.sl)],
        );
    }
    out
}

/// A hunk in signed positions (the arithmetic of [`regions`] may step below zero on the way).
#[derive(Clone, Copy)]
struct Span {
    b: isize,
    bl: isize,
    s: isize,
    sl: isize,
}

impl From<&Hunk> for Span {
    fn from(h: &Hunk) -> Span {
        Span {
            b: h.base as isize,
            bl: h.base_len as isize,
            s: h.side as isize,
            sl: h.side_len as isize,
        }
    }
}

/// Add a region given as (start, length) on base, ours and theirs, joining it with the previous
/// one when they overlap or touch on either side (a join of different modes is a conflict). The
/// joined region takes the later region's ends: an earlier estimate may run past a change of the
/// other side that the later region accounts for.
fn append(out: &mut Vec<Region>, mode: Mode, [r0, r1, r2]: [(isize, isize); 3]) {
    let end = |(start, len): (isize, isize)| (start + len).max(0) as usize;
    if let Some(m) = out.last_mut() {
        if r1.0 <= (m.i1 + m.chg1) as isize || r2.0 <= (m.i2 + m.chg2) as isize {
            if mode != m.mode {
                m.mode = Mode::Conflict;
            }
            m.chg0 = end(r0).saturating_sub(m.i0);
            m.chg1 = end(r1).saturating_sub(m.i1);
            m.chg2 = end(r2).saturating_sub(m.i2);
            return;
        }
    }
    let start = |(start, _): (isize, isize)| start.max(0) as usize;
    let (i0, i1, i2) = (start(r0), start(r1), start(r2));
    out.push(Region {
        mode,
        i0,
        chg0: end(r0).saturating_sub(i0),
        i1,
        chg1: end(r1).saturating_sub(i1),
        i2,
        chg2: end(r2).saturating_sub(i2),
    });
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

#[cfg(test)]
mod fuzz {
    use super::*;

    #[test]
    fn ranges_stay_in_bounds() {
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s % n
        };
        for _ in 0..20000 {
            let mut seq = |n: u64| -> Vec<u32> { (0..next(n)).map(|_| next(4) as u32).collect() };
            let (b, o, t) = (seq(7), seq(7), seq(7));
            let rs = regions(&b, &o, &t, true);
            for r in &rs {
                assert!(
                    r.i0 + r.chg0 <= b.len()
                        && r.i1 + r.chg1 <= o.len()
                        && r.i2 + r.chg2 <= t.len(),
                    "{b:?} {o:?} {t:?} {rs:?}"
                );
            }
            // A side that changed nothing gives the other; the same change on both sides is it.
            let flat = |b: &[u32], o: &[u32], t: &[u32]| -> Option<Vec<u32>> {
                let mut out = Vec::new();
                for p in merge(b, o, t, Level::ZealousAlnum, |_| true) {
                    match p {
                        Piece::Ours(r) => out.extend_from_slice(&o[r]),
                        Piece::Theirs(r) => out.extend_from_slice(&t[r]),
                        Piece::Conflict { .. } => return None,
                    }
                }
                Some(out)
            };
            assert_eq!(flat(&b, &o, &b).as_ref(), Some(&o), "{b:?} {o:?}");
            assert_eq!(flat(&b, &b, &t).as_ref(), Some(&t), "{b:?} {t:?}");
            assert_eq!(flat(&b, &o, &o).as_ref(), Some(&o), "{b:?} {o:?}");
        }
    }
}
