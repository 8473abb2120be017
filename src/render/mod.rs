//! Diff rendering, plain or in git's colours: git's file headers, unified hunks of the MyST
//! views, the outputs account of each cell whose outputs changed, and the raw diff used when a
//! side is not a readable notebook.
//!
//! Nothing here reads files, the environment or argv: the `diff` driver hands over bytes,
//! notebooks, their MyST text and a [`paint::Painter`].

pub mod align;
pub mod header;
pub mod lines;
pub mod notebook;
pub mod outputs;
pub mod paint;

use std::io;

use header::FileHeader;
use lines::LineDiff;
use paint::Painter;

/// Write git's diff of two files as bytes (`None`: the side is absent): headers, then
/// `Binary files a/P and b/P differ` when a side holds a NUL byte, else unified hunks of the
/// lines. Returns whether it reported a change.
pub fn write_raw_diff(
    painter: &mut Painter,
    header: &FileHeader,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    context: usize,
) -> io::Result<bool> {
    let bytes_differ = old != new;
    let changed = bytes_differ || header.reports_change();
    if !changed {
        return Ok(false);
    }
    header.write(painter)?;
    if !bytes_differ {
        return Ok(true);
    }
    let (old, new) = (old.unwrap_or_default(), new.unwrap_or_default());
    if old.contains(&0) || new.contains(&0) {
        header.write_binary(painter)?;
        return Ok(true);
    }
    let diff = LineDiff::of_texts(old, new);
    let hunks = diff.hunks(context);
    if !hunks.is_empty() {
        header.write_names(painter)?;
        for hunk in &hunks {
            diff.write_hunk(painter, hunk)?;
        }
    }
    Ok(true)
}
