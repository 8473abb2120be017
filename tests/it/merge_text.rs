//! The line merge done in process (used when git cannot be run) against `git merge-file` itself,
//! on random triples of short files: the same bytes and the same number of conflicts.
//!
//! Known difference: where several diffs are equally short (repeated lines), git's and ours may
//! align them differently; the triples here have one best alignment.

use std::process::Command;

use nbmyst::merge::text::merge_files;
use nbmyst::merge::{Labels, Markers};
use proptest::prelude::*;

/// A base of distinct lines and two sides made of edits to it (replaced, inserted, deleted lines;
/// new lines distinct too), so that every diff has one best alignment and the comparison is about
/// the merge rules, not about which of several equally short diffs each tool picks. The last line
/// sometimes has no newline.
fn triple() -> impl Strategy<Value = (Vec<u8>, Vec<u8>, Vec<u8>)> {
    let side = || prop::collection::vec((0usize..10, 0u8..4), 0..5);
    (1usize..10, side(), side(), any::<bool>()).prop_map(|(n, o, t, cut)| {
        let base: Vec<String> = (0..n).map(|i| format!("line {i}\n")).collect();
        let edit = |ops: &[(usize, u8)], tag: &str| {
            let mut lines = base.clone();
            for (k, (at, op)) in ops.iter().enumerate() {
                let at = at % (lines.len() + 1);
                let new = format!("{tag} {k}\n");
                match op {
                    0 if at < lines.len() => lines[at] = new,
                    1 if at < lines.len() => {
                        lines.remove(at);
                    }
                    _ => lines.insert(at, new),
                }
            }
            lines
        };
        let join = |lines: Vec<String>| {
            let mut text = lines.concat().into_bytes();
            if cut && text.last() == Some(&b'\n') {
                text.pop();
            }
            text
        };
        let (ours, theirs) = (edit(&o, "ours"), edit(&t, "theirs"));
        (join(base), join(ours), join(theirs))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn same_as_git_merge_file((base, ours, theirs) in triple(), size in 7usize..10) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, bytes) in [("o", &base), ("a", &ours), ("b", &theirs)] {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        let git = Command::new("git")
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["merge-file", "-p", &format!("--marker-size={size}")])
            .args(["-L", "HEAD", "-L", "base", "-L", "side", "a", "o", "b"])
            .output()
            .expect("git merge-file");
        let markers = Markers {
            size,
            labels: Labels { base: "base".into(), ours: "HEAD".into(), theirs: "side".into() },
            ..Markers::default()
        };
        let ours_merge = merge_files(&base, &ours, &theirs, &markers);
        prop_assert_eq!(
            String::from_utf8_lossy(&ours_merge.merged),
            String::from_utf8_lossy(&git.stdout)
        );
        prop_assert_eq!(Some(ours_merge.conflicts as i32), git.status.code());
    }
}
