//! Which old cell is which new cell, for the outputs account.
//!
//! Deterministic and simple, in four steps:
//! 1. cells with the same id, when that id is unique on both sides;
//! 2. of the rest, cells with equal type and source, in order (a line-diff of the cell lists);
//! 3. of the rest, equal type and source anywhere (a moved cell);
//! 4. of the rest, cells that replaced each other in step 2's diff, paired in order (an edited
//!    cell without an id).
//!
//! Everything left is a removed or an added cell.

use std::collections::HashMap;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::notebook::{Cell, CellType};

/// One row of the alignment, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pair {
    /// Old cell `.0` is new cell `.1`.
    Both(usize, usize),
    /// An old cell with no new counterpart.
    Removed(usize),
    /// A new cell with no old counterpart.
    Added(usize),
}

/// Align two cell lists. The result lists every new cell in order, each removed cell placed
/// after the new cell that its nearest aligned predecessor became (removed cells before any
/// aligned cell come first).
pub fn align(old: &[Cell], new: &[Cell]) -> Vec<Pair> {
    let mut old_to_new: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_to_old: Vec<Option<usize>> = vec![None; new.len()];
    let link = |o: usize, n: usize, o2n: &mut [Option<usize>], n2o: &mut [Option<usize>]| {
        o2n[o] = Some(n);
        n2o[n] = Some(o);
    };

    // 1. unique ids
    let old_ids = unique_ids(old);
    let new_ids = unique_ids(new);
    for (id, &n) in &new_ids {
        if let Some(&o) = old_ids.get(id) {
            link(o, n, &mut old_to_new, &mut new_to_old);
        }
    }

    // 2. equal contents, in order
    let old_rest: Vec<usize> = (0..old.len())
        .filter(|&o| old_to_new[o].is_none())
        .collect();
    let new_rest: Vec<usize> = (0..new.len())
        .filter(|&n| new_to_old[n].is_none())
        .collect();
    let mut keys: HashMap<(CellType, &str), u32> = HashMap::new();
    let old_keys: Vec<u32> = old_rest.iter().map(|&o| key(&mut keys, &old[o])).collect();
    let new_keys: Vec<u32> = new_rest.iter().map(|&n| key(&mut keys, &new[n])).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys);
    let mut replaced = Vec::new();
    for op in &ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    link(
                        old_rest[old_index + k],
                        new_rest[new_index + k],
                        &mut old_to_new,
                        &mut new_to_old,
                    );
                }
            }
            DiffOp::Replace { .. } => replaced.push((op.old_range(), op.new_range())),
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }

    // 3. moved cells: equal contents anywhere, first come first served
    let mut waiting: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, &o) in old_rest.iter().enumerate().rev() {
        if old_to_new[o].is_none() {
            waiting.entry(old_keys[k]).or_default().push(o);
        }
    }
    for (k, &n) in new_rest.iter().enumerate() {
        if new_to_old[n].is_some() {
            continue;
        }
        if let Some(o) = waiting.get_mut(&new_keys[k]).and_then(Vec::pop) {
            link(o, n, &mut old_to_new, &mut new_to_old);
        }
    }

    // 4. edited cells: what replaced what, in order
    for (old_range, new_range) in replaced {
        let olds: Vec<usize> = old_range
            .map(|k| old_rest[k])
            .filter(|&o| old_to_new[o].is_none())
            .collect();
        let news: Vec<usize> = new_range
            .map(|k| new_rest[k])
            .filter(|&n| new_to_old[n].is_none())
            .collect();
        for (o, n) in olds.into_iter().zip(news) {
            link(o, n, &mut old_to_new, &mut new_to_old);
        }
    }

    order(&old_to_new, &new_to_old)
}

/// The display order: new cells in order, each removed cell after the new cell that its
/// nearest aligned predecessor became.
fn order(old_to_new: &[Option<usize>], new_to_old: &[Option<usize>]) -> Vec<Pair> {
    // after[n + 1]: removed cells shown after new cell n; after[0]: before every new cell.
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); new_to_old.len() + 1];
    let mut predecessor: Option<usize> = None;
    for (o, target) in old_to_new.iter().enumerate() {
        match target {
            Some(n) => predecessor = Some(*n),
            None => after[predecessor.map_or(0, |n| n + 1)].push(o),
        }
    }
    let mut pairs = Vec::with_capacity(old_to_new.len() + new_to_old.len());
    pairs.extend(after[0].iter().map(|&o| Pair::Removed(o)));
    for (n, source) in new_to_old.iter().enumerate() {
        pairs.push(match source {
            Some(o) => Pair::Both(*o, n),
            None => Pair::Added(n),
        });
        pairs.extend(after[n + 1].iter().map(|&o| Pair::Removed(o)));
    }
    pairs
}

/// Ids that occur exactly once, with their cell index.
fn unique_ids(cells: &[Cell]) -> HashMap<&str, usize> {
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(id) = cell.id.as_deref() {
            seen.entry(id)
                .and_modify(|slot| *slot = None)
                .or_insert(Some(i));
        }
    }
    seen.into_iter()
        .filter_map(|(id, slot)| slot.map(|i| (id, i)))
        .collect()
}

/// A small number standing for a cell's type and source.
fn key<'c>(keys: &mut HashMap<(CellType, &'c str), u32>, cell: &'c Cell) -> u32 {
    let next = u32::try_from(keys.len()).unwrap_or(u32::MAX);
    *keys
        .entry((cell.cell_type, cell.source.as_str()))
        .or_insert(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(spec: &[(&str, Option<&str>)]) -> Vec<Cell> {
        spec.iter()
            .map(|(source, id)| {
                let mut cell = Cell::new(CellType::Code, *source);
                cell.id = id.map(str::to_owned);
                cell
            })
            .collect()
    }

    fn plain(sources: &[&str]) -> Vec<Cell> {
        cells(&sources.iter().map(|s| (*s, None)).collect::<Vec<_>>())
    }

    use Pair::*;

    #[test]
    fn same_cells() {
        let a = plain(&["a", "b"]);
        assert_eq!(align(&a, &a), [Both(0, 0), Both(1, 1)]);
    }

    #[test]
    fn edited_cell_without_ids_is_paired() {
        let old = plain(&["a", "b", "c"]);
        let new = plain(&["a", "B", "c"]);
        assert_eq!(align(&old, &new), [Both(0, 0), Both(1, 1), Both(2, 2)]);
    }

    #[test]
    fn added_and_removed() {
        let old = plain(&["a", "b", "c"]);
        let new = plain(&["x", "a", "c", "d"]);
        assert_eq!(
            align(&old, &new),
            [Added(0), Both(0, 1), Removed(1), Both(2, 2), Added(3)]
        );
        assert_eq!(align(&old, &[]), [Removed(0), Removed(1), Removed(2)]);
        assert_eq!(align(&[], &new[..1]), [Added(0)]);
    }

    #[test]
    fn moved_cell_without_ids() {
        let old = plain(&["a", "b", "c", "d"]);
        let new = plain(&["b", "c", "d", "a"]);
        assert_eq!(
            align(&old, &new),
            [Both(1, 0), Both(2, 1), Both(3, 2), Both(0, 3)]
        );
    }

    #[test]
    fn ids_win_over_contents_and_duplicates_are_ignored() {
        let old = cells(&[("x", Some("one")), ("x", Some("two")), ("y", Some("dup"))]);
        let new = cells(&[
            ("x", Some("two")),
            ("x", Some("one")),
            ("y", Some("dup")),
            ("z", Some("dup")),
        ]);
        assert_eq!(
            align(&old, &new),
            [Both(1, 0), Both(0, 1), Both(2, 2), Added(3)]
        );
    }
}
