//! `nbmyst sync` when both sides of a pair changed since HEAD (a three-way merge on the MyST
//! view), and the conflict flow of a paired notebook under real `git merge`: the conflict is
//! resolved in the `.md`, and `sync` carries the resolution into the `.ipynb`.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{path_with_nbmyst, CommandOutput, GitSandbox};
use crate::sync_support::{
    cell_with, edit, inputs, json, secs, set_mtime, source, PAIRING_TOML, SAMPLE_NB,
};

fn read(sb: &GitSandbox, rel: &str) -> String {
    fs::read_to_string(sb.work.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// A repository with `nb.ipynb` (the sample) and its `nb.md` committed.
fn paired_repo() -> GitSandbox {
    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", SAMPLE_NB);
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");
    sb
}

/// The same, with the merge driver registered through `gitconfig.snippet` (as users include it).
fn paired_repo_with_driver() -> GitSandbox {
    let snippet = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/gitconfig.snippet"));
    let sb = GitSandbox::new();
    sb.git(["config", "include.path", &snippet.display().to_string()])
        .success();
    sb.write(".gitattributes", "*.ipynb diff=nbmyst merge=nbmyst\n");
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", SAMPLE_NB);
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");
    sb
}

/// `git ARGS` with our binary first on `PATH` (the snippet calls plain `nbmyst`).
fn git(sb: &GitSandbox, args: &[&str]) -> CommandOutput {
    let mut cmd = sb.command("git");
    cmd.args(args).env("PATH", path_with_nbmyst());
    sb.run(cmd)
}

fn outputs(nb: &Value, needle: &str) -> Value {
    cell_with(nb, needle)["outputs"].clone()
}

/// On branch `side` the `.ipynb` is edited (`from` -> `to`) and synced; on `main` the `.md`
/// is, each committed; then `git merge side` from main.
fn branches(sb: &GitSandbox, side: (&str, &str), main: (&str, &str)) -> CommandOutput {
    sb.git(["branch", "side"]).success();
    sb.git(["checkout", "-q", "side"]).success();
    edit(&sb.work.join("nb.ipynb"), side.0, side.1);
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("side");
    sb.git(["checkout", "-q", "main"]).success();
    edit(&sb.work.join("nb.md"), main.0, main.1);
    sb.nbmyst(["sync", "nb.md"]).success();
    sb.commit("main");
    git(sb, &["merge", "--no-edit", "side"])
}

#[test]
fn edits_of_different_cells_on_both_sides_are_merged() {
    let sb = paired_repo();
    let before = json(&sb.work.join("nb.ipynb"));
    edit(
        &sb.work.join("nb.md"),
        "Monthly totals.",
        "Monthly totals, in mm.",
    );
    edit(
        &sb.work.join("nb.ipynb"),
        "\"The end.\"",
        "\"The notebook end.\"",
    );
    let out = sb.nbmyst(["sync", "nb.md"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb and nb.md by merging the edits nb.md and nb.ipynb made since the last \
         commit\n"
    );
    let md = read(&sb, "nb.md");
    assert!(md.contains("Monthly totals, in mm.") && md.contains("The notebook end."));
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(
        inputs(&after),
        [
            ("markdown", "# Rainfall\n\nMonthly totals, in mm."),
            ("code", "x = [1, 2, 3]\nsum(x)"),
            ("code", "print('hi')"),
            ("markdown", "The notebook end."),
        ]
        .map(|(t, s)| (t.to_owned(), s.to_owned()))
    );
    // Outputs, ids and hidden metadata of the cells neither side touched are kept.
    for needle in ["sum(x)", "print('hi')"] {
        assert_eq!(outputs(&after, needle), outputs(&before, needle));
        assert_eq!(
            cell_with(&after, needle)["id"],
            cell_with(&before, needle)["id"]
        );
    }
    assert_eq!(
        cell_with(&after, "print('hi')")["metadata"]["ExecuteTime"],
        cell_with(&before, "print('hi')")["metadata"]["ExecuteTime"]
    );
    sb.nbmyst(["check"]).success();
    // A fixed point: nothing more to do.
    let again = sb.nbmyst(["sync"]).success();
    assert_eq!(again.stdout_text(), "");
}

#[test]
fn edits_of_the_same_cell_conflict_and_nothing_is_written() {
    let sb = paired_repo();
    edit(&sb.work.join("nb.md"), "print('hi')", "print('md')");
    edit(
        &sb.work.join("nb.md"),
        "Monthly totals.",
        "Monthly totals, in mm.",
    );
    edit(
        &sb.work.join("nb.ipynb"),
        "\"print('hi')\"",
        "\"print('nb')\"",
    );
    let (md, nb) = (read(&sb, "nb.md"), read(&sb, "nb.ipynb"));
    let out = sb.nbmyst(["sync", "nb.md"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert_eq!(out.stdout_text(), "");
    let err = out.stderr_text();
    assert!(
        err.starts_with(
            "nbmyst: error: nb.md and nb.ipynb both changed since the last commit, and their \
             edits conflict; nothing written:\n"
        ),
        "{err}"
    );
    // The conflicting cell is shown between markers naming each side, and only it.
    assert!(
        err.contains("<<<<<<< nb.md\nprint('md')\n=======\nprint('nb')\n>>>>>>> nb.ipynb\n"),
        "{err}"
    );
    assert!(!err.contains("Monthly"), "{err}");
    assert!(err.contains("nbmyst: hint: "), "{err}");
    assert!(err.contains("nbmyst sync nb.md"), "{err}");
    assert_eq!((read(&sb, "nb.md"), read(&sb, "nb.ipynb")), (md, nb));

    // Following the hint: the `.md` takes the notebook's version of that cell, and the
    // remaining edits merge.
    edit(&sb.work.join("nb.md"), "print('md')", "print('nb')");
    sb.nbmyst(["sync", "nb.md"]).success();
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(
        source(&after["cells"][0]),
        "# Rainfall\n\nMonthly totals, in mm."
    );
    assert_eq!(source(&after["cells"][2]), "print('nb')");
    sb.nbmyst(["check"]).success();
}

#[test]
fn git_merge_of_both_files_changed_on_both_branches_leaves_the_pair_in_step() {
    let sb = paired_repo_with_driver();
    let before = json(&sb.work.join("nb.ipynb"));
    let out = branches(
        &sb,
        ("\"The end.\"", "\"The notebook end.\""),
        ("Monthly totals.", "Monthly totals, in mm."),
    );
    assert_eq!(out.status, Some(0), "{out}");
    let md = read(&sb, "nb.md");
    assert!(md.contains("Monthly totals, in mm.") && md.contains("The notebook end."));
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(outputs(&after, "sum(x)"), outputs(&before, "sum(x)"));
    sb.nbmyst(["check"]).success();
}

/// The resolved `.md` of the conflict flow: main's text with the cell both branches edited
/// given as the user settles it.
fn resolve_md(sb: &GitSandbox) {
    let md = read(sb, "nb.md");
    assert!(
        md.contains("<<<<<<< "),
        "git leaves markers in nb.md:\n{md}"
    );
    let head = sb.git(["show", "HEAD:nb.md"]).success().stdout_text();
    sb.write("nb.md", head.replace("print('main')", "print('both')"));
}

#[test]
fn a_conflict_resolved_in_the_md_is_carried_into_the_notebook() {
    let sb = paired_repo_with_driver();
    let before = json(&sb.work.join("nb.ipynb"));
    let out = branches(
        &sb,
        ("\"print('hi')\"", "\"print('side')\""),
        ("print('hi')", "print('main')"),
    );
    assert_eq!(out.status, Some(1), "{out}");
    let unmerged = sb.git(["ls-files", "-u"]).stdout_text();
    assert!(
        unmerged.contains("nb.ipynb") && unmerged.contains("nb.md"),
        "{unmerged}"
    );
    // Our driver leaves its markers in the notebook, which stays JSON.
    assert!(read(&sb, "nb.ipynb").contains("<<<<<<< "));

    resolve_md(&sb);
    sb.git(["add", "nb.md"]).success();
    let out = sb.nbmyst(["sync", "nb.md"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb from nb.md (nb.ipynb is unmerged; nb.md is taken as the resolution)\n"
    );
    let nb_text = read(&sb, "nb.ipynb");
    assert!(!nb_text.contains("<<<<<<<") && !nb_text.contains(">>>>>>>"));
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(after["cells"].as_array().map(Vec::len), Some(4));
    assert_eq!(source(&after["cells"][2]), "print('both')");
    assert_eq!(outputs(&after, "sum(x)"), outputs(&before, "sum(x)"));
    assert_eq!(
        cell_with(&after, "sum(x)")["id"],
        cell_with(&before, "sum(x)")["id"]
    );
    sb.nbmyst(["check"]).success();
    git(&sb, &["add", "nb.ipynb", "nb.md"]).success();
    git(&sb, &["commit", "-q", "--no-edit"]).success();
    assert_eq!(sb.git(["ls-files", "-u"]).stdout_text(), "");
    sb.nbmyst(["check"]).success();
}

#[test]
fn git_markers_in_the_raw_notebook_never_outweigh_the_resolved_md() {
    // No driver: git merges the notebook's JSON as text, and leaves its markers in it.
    let sb = paired_repo();
    let before = json(&sb.work.join("nb.ipynb"));
    let out = branches(
        &sb,
        ("\"print('hi')\"", "\"print('side')\""),
        ("print('hi')", "print('main')"),
    );
    assert_eq!(out.status, Some(1), "{out}");
    assert!(serde_json::from_str::<Value>(&read(&sb, "nb.ipynb")).is_err());

    resolve_md(&sb);
    sb.nbmyst(["sync", "nb.md"]).success();
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(source(&after["cells"][2]), "print('both')");
    // Outputs come from HEAD's notebook for the cells the resolution left alone.
    assert_eq!(outputs(&after, "sum(x)"), outputs(&before, "sum(x)"));
    sb.nbmyst(["check"]).success();
}

#[test]
fn a_notebook_holding_markers_loses_to_the_md_after_the_merge_is_committed() {
    let sb = paired_repo_with_driver();
    let out = branches(
        &sb,
        ("\"print('hi')\"", "\"print('side')\""),
        ("print('hi')", "print('main')"),
    );
    assert_eq!(out.status, Some(1), "{out}");
    // The notebook is committed with the driver's markers still in it (the index is clean),
    // the `.md` resolved; then the notebook is the newer file by far.
    resolve_md(&sb);
    sb.commit("merge, notebook unresolved");
    assert!(read(&sb, "nb.ipynb").contains("<<<<<<< "));
    let now = std::time::SystemTime::now();
    set_mtime(&sb.work.join("nb.md"), now - secs(3600));
    set_mtime(&sb.work.join("nb.ipynb"), now);
    let out = sb.nbmyst(["sync"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb from nb.md (nb.ipynb holds conflict markers; nb.md is taken as the \
         resolution)\n"
    );
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(source(&after["cells"][2]), "print('both')");
    assert!(!read(&sb, "nb.ipynb").contains("<<<<<<<"));
    sb.nbmyst(["check"]).success();
}
