//! The merge driver under real git: registered through `gitconfig.snippet` (as users include
//! it), on a notebook of six cells (0 and 3 markdown, the others code with outputs, ids
//! `cell-0`..`cell-5`) made by the scenarios' `nbtool.py`.

use std::fs;
use std::path::PathBuf;

use crate::support::{nbtool, path_with_nbmyst, CommandOutput, GitSandbox};

fn snippet() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/gitconfig.snippet"))
}

/// A repository using the snippet, with `nb.ipynb` committed on `main` and branch `side`.
fn repo() -> GitSandbox {
    let sb = GitSandbox::new();
    sb.git(["config", "include.path", &snippet().display().to_string()])
        .success();
    sb.write(".gitattributes", "*.ipynb diff=nbmyst merge=nbmyst\n");
    nbtool(&sb.work, &["new", "nb.ipynb"]);
    sb.commit("base");
    sb.git(["branch", "side"]).success();
    sb
}

/// `git ARGS` with our binary first on `PATH` (the snippet calls plain `nbmyst`).
fn git(sb: &GitSandbox, args: &[&str]) -> CommandOutput {
    let mut cmd = sb.command("git");
    cmd.args(args).env("PATH", path_with_nbmyst());
    sb.run(cmd)
}

fn edit(sb: &GitSandbox, ops: &[&str]) {
    let mut args = vec!["edit", "nb.ipynb"];
    args.extend_from_slice(ops);
    nbtool(&sb.work, &args);
}

fn on(sb: &GitSandbox, branch: &str) {
    sb.git(["checkout", "-q", branch]).success();
}

fn notebook(sb: &GitSandbox) -> serde_json::Value {
    serde_json::from_slice(&fs::read(sb.work.join("nb.ipynb")).expect("nb.ipynb"))
        .expect("the merged notebook is JSON")
}

fn src(nb: &serde_json::Value, i: usize) -> String {
    match &nb["cells"][i]["source"] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().filter_map(|l| l.as_str()).collect(),
        _ => String::new(),
    }
}

fn sources(nb: &serde_json::Value) -> String {
    (0..nb["cells"].as_array().map_or(0, Vec::len))
        .map(|i| src(nb, i) + "\n")
        .collect()
}

fn outputs(nb: &serde_json::Value, i: usize) -> String {
    nb["cells"][i]["outputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| match &o["text"] {
            serde_json::Value::Array(a) => a.iter().filter_map(|l| l.as_str()).collect(),
            serde_json::Value::String(s) => s.clone(),
            _ => String::new(),
        })
        .collect()
}

/// The checks of `scenarios/nbtool.py validate` (structure, ids, minor version).
fn assert_valid(sb: &GitSandbox, minor: &str) {
    nbtool(&sb.work, &["validate", "nb.ipynb", "--minor", minor]);
}

fn unmerged(sb: &GitSandbox) -> bool {
    !sb.git(["ls-files", "-u"]).stdout.is_empty()
}

/// Two branches editing the given lines; `git merge side` from main.
fn merge_edits(ours: &[&str], theirs: &[&str]) -> (GitSandbox, CommandOutput) {
    let sb = repo();
    on(&sb, "side");
    edit(&sb, theirs);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, ours);
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    (sb, out)
}

fn no_stray_files(sb: &GitSandbox) {
    let status = sb.git(["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        !status.stdout_text().contains("??"),
        "files left behind:\n{status}"
    );
}

#[test]
fn clean_merge_of_different_cells_keeps_each_sides_outputs() {
    let (sb, out) = merge_edits(
        &["line:1:1=v1 = 10", "rerun:1:11=v1=10\\n"],
        &["line:4:1=v4 = 40", "rerun:4:14=v4=40\\n"],
    );
    assert_eq!(out.status, Some(0), "{out}");
    assert!(!unmerged(&sb));
    assert!(out.stdout.is_empty() || !out.stdout_text().contains("nbmyst"));
    let nb = notebook(&sb);
    assert_eq!(src(&nb, 1), "# cell 1\nv1 = 10\nprint(v1)");
    assert_eq!(src(&nb, 4), "# cell 4\nv4 = 40\nprint(v4)");
    assert_eq!(
        (outputs(&nb, 1), nb["cells"][1]["execution_count"].as_i64()),
        ("v1=10\n".into(), Some(11))
    );
    assert_eq!(
        (outputs(&nb, 4), nb["cells"][4]["execution_count"].as_i64()),
        ("v4=40\n".into(), Some(14))
    );
    assert_eq!(outputs(&nb, 2), "v2=2\n");
    assert_valid(&sb, "5");
    nbtool(&sb.work, &["canonical", "nb.ipynb"]);
    no_stray_files(&sb);
}

#[test]
fn same_line_on_both_sides_conflicts_inside_the_cell_and_textconv_shows_it() {
    let (sb, out) = merge_edits(&["line:2:1=v2 = 200"], &["line:2:1=v2 = 300"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(unmerged(&sb));
    assert_valid(&sb, "5");
    let nb = notebook(&sb);
    assert_eq!(
        src(&nb, 2),
        "# cell 2\n<<<<<<< HEAD\nv2 = 200\n=======\nv2 = 300\n>>>>>>> side\nprint(v2)"
    );
    // The MyST view of the conflicted notebook shows the markers at the start of lines.
    let view = sb.nbmyst(["textconv", "nb.ipynb"]).success().stdout_text();
    let block = "```{code-cell}\n# cell 2\n<<<<<<< HEAD\nv2 = 200\n=======\nv2 = 300\n>>>>>>> side\nprint(v2)\n```";
    assert!(view.contains(block), "{view}");
}

#[test]
fn same_cell_edited_on_different_lines_merges() {
    let (sb, out) = merge_edits(&["line:2:0=# cell two"], &["line:2:2=print(v2, 'x')"]);
    assert_eq!(out.status, Some(0), "{out}");
    let nb = notebook(&sb);
    assert_eq!(src(&nb, 2), "# cell two\nv2 = 2\nprint(v2, 'x')");
    // A source that is neither side's has no outputs.
    assert_eq!(outputs(&nb, 2), "");
    assert!(nb["cells"][2]["execution_count"].is_null());
}

#[test]
fn insert_insert_at_the_same_place_shows_both_cells_between_markers() {
    let (sb, out) = merge_edits(
        &["insert:3:code=ours_new = 1"],
        &["insert:3:code=theirs_new = 1"],
    );
    assert_eq!(out.status, Some(1), "{out}");
    assert_valid(&sb, "5");
    let nb = notebook(&sb);
    let texts: Vec<String> = (3..8).map(|i| src(&nb, i)).collect();
    assert_eq!(
        texts,
        [
            "<<<<<<< HEAD",
            "ours_new = 1",
            "=======",
            "theirs_new = 1",
            ">>>>>>> side"
        ]
    );
    assert_eq!(nb["cells"][3]["cell_type"], "raw");
}

#[test]
fn delete_versus_modify_conflicts_and_keeps_the_edit() {
    let (sb, out) = merge_edits(&["delete:4"], &["line:4:1=v4 = 44"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert_valid(&sb, "5");
    assert!(sources(&notebook(&sb)).contains("v4 = 44"));
}

#[test]
fn a_moved_cell_keeps_the_other_sides_edit() {
    let sb = repo();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 44"]);
    sb.commit("theirs");
    on(&sb, "main");
    // Move cell 4 to the top.
    let mut nb = notebook(&sb);
    let cells = nb["cells"].as_array_mut().expect("cells");
    let moved = cells.remove(4);
    cells.insert(0, moved);
    sb.write(
        "nb.ipynb",
        serde_json::to_string_pretty(&nb).expect("json") + "\n",
    );
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_eq!(out.status, Some(0), "{out}");
    let nb = notebook(&sb);
    assert_eq!(src(&nb, 0), "# cell 4\nv4 = 44\nprint(v4)");
    assert_eq!(nb["cells"].as_array().map(Vec::len), Some(6));
}

#[test]
fn metadata_only_and_outputs_only_changes_merge_cleanly() {
    let (sb, out) = merge_edits(
        &["cellmeta:2:tags=[\"keep\"]", "rerun:5:9=v5=5 again\\n"],
        &["line:2:1=v2 = 22"],
    );
    assert_eq!(out.status, Some(0), "{out}");
    let nb = notebook(&sb);
    assert_eq!(
        nb["cells"][2]["metadata"]["tags"],
        serde_json::json!(["keep"])
    );
    assert!(src(&nb, 2).contains("v2 = 22"));
    assert_eq!(outputs(&nb, 5), "v5=5 again\n");
}

#[test]
fn both_reran_takes_ours_or_the_configured_side() {
    let ops_ours = ["rerun:1:21=v1=1 (ours run)\\n"];
    let ops_theirs = ["rerun:1:31=v1=1 (theirs run)\\n", "line:5:1=v5 = 50"];
    let (sb, out) = merge_edits(&ops_ours, &ops_theirs);
    assert_eq!(out.status, Some(0), "{out}");
    assert_eq!(out_of(&sb, 1), "v1=1 (ours run)\n");

    let sb = repo();
    sb.git(["config", "merge.nbmyst.outputs", "theirs"])
        .success();
    on(&sb, "side");
    edit(&sb, &ops_theirs);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &ops_ours);
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_eq!(out.status, Some(0), "{out}");
    assert_eq!(out_of(&sb, 1), "v1=1 (theirs run)\n");
}

fn out_of(sb: &GitSandbox, i: usize) -> String {
    outputs(&notebook(sb), i)
}

#[test]
fn kernelspec_changed_on_both_sides_is_a_conflict_shown_at_the_top() {
    let (sb, out) = merge_edits(
        &["nbmeta:kernelspec={\"display_name\": \"Python 3.11\", \"language\": \"python\", \"name\": \"py311\"}"],
        &["nbmeta:kernelspec={\"display_name\": \"Python 3.12\", \"language\": \"python\", \"name\": \"py312\"}"],
    );
    assert_eq!(out.status, Some(1), "{out}");
    assert_valid(&sb, "5");
    let nb = notebook(&sb);
    assert_eq!(nb["metadata"]["kernelspec"]["name"], "py311");
    let note = src(&nb, 0);
    assert!(
        note.contains("<<<<<<< HEAD\nmetadata.kernelspec: {\"display_name\": \"Python 3.11\""),
        "{note}"
    );
    assert!(
        note.contains("=======\nmetadata.kernelspec: {\"display_name\": \"Python 3.12\""),
        "{note}"
    );
}

#[test]
fn nbformat_4_4_stays_4_4_without_ids() {
    let sb = GitSandbox::new();
    sb.git(["config", "include.path", &snippet().display().to_string()])
        .success();
    sb.write(".gitattributes", "*.ipynb diff=nbmyst merge=nbmyst\n");
    nbtool(&sb.work, &["new", "nb.ipynb", "--minor", "4"]);
    sb.commit("base");
    sb.git(["branch", "side"]).success();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_eq!(out.status, Some(0), "{out}");
    nbtool(
        &sb.work,
        &["validate", "nb.ipynb", "--minor", "4", "--no-ids"],
    );
    nbtool(&sb.work, &["canonical", "nb.ipynb"]);
}

#[test]
fn criss_cross_merge_uses_the_driver_for_the_virtual_base() {
    let sb = repo();
    sb.git(["branch", "X"]).success();
    sb.git(["branch", "Y"]).success();
    on(&sb, "X");
    edit(&sb, &["line:1:1=v1 = 11"]);
    sb.commit("X1");
    on(&sb, "Y");
    edit(&sb, &["line:1:1=v1 = 12"]);
    sb.commit("Y1");
    // Both branches merge the other and settle the conflict the same way.
    on(&sb, "X");
    git(&sb, &["merge", "--no-commit", "--no-ff", "Y"]);
    nbtool(&sb.work, &["new", "nb.ipynb"]);
    edit(&sb, &["line:1:1=v1 = 13"]);
    sb.commit("X2");
    on(&sb, "Y");
    git(&sb, &["merge", "--no-commit", "--no-ff", "X~1"]);
    nbtool(&sb.work, &["new", "nb.ipynb"]);
    edit(&sb, &["line:1:1=v1 = 13"]);
    sb.commit("Y2");
    on(&sb, "X");
    edit(&sb, &["line:2:1=v2 = 20"]);
    sb.commit("X3");
    on(&sb, "Y");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("Y3");
    on(&sb, "X");
    let bases = sb.git(["merge-base", "--all", "X", "Y"]).stdout_text();
    assert_eq!(bases.lines().count(), 2, "not a criss-cross history");
    let out = git(&sb, &["merge", "--no-edit", "Y"]);
    assert_eq!(out.status, Some(0), "{out}");
    let text = sources(&notebook(&sb));
    for want in ["v1 = 13", "v2 = 20", "v4 = 40"] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert!(!text.contains("<<<<<<<"), "{text}");
    no_stray_files(&sb);
}

#[test]
fn rebase_cherry_pick_stash_pop_and_checkout_m_use_the_driver() {
    // rebase
    let sb = repo();
    on(&sb, "side");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("F1");
    on(&sb, "main");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("M1");
    on(&sb, "side");
    let out = git(&sb, &["rebase", "main"]);
    assert_eq!(out.status, Some(0), "rebase: {out}");
    let text = sources(&notebook(&sb));
    assert!(
        text.contains("v1 = 10") && text.contains("v4 = 40"),
        "{text}"
    );

    // cherry-pick
    let sb = repo();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("pick me");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("ours");
    let out = git(&sb, &["cherry-pick", "side"]);
    assert_eq!(out.status, Some(0), "cherry-pick: {out}");
    let text = sources(&notebook(&sb));
    assert!(
        text.contains("v1 = 10") && text.contains("v4 = 40"),
        "{text}"
    );

    // stash pop
    let sb = repo();
    edit(&sb, &["line:1:1=v1 = 10"]);
    git(&sb, &["stash", "-q"]).success();
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("upstream");
    let out = git(&sb, &["stash", "pop"]);
    assert_eq!(out.status, Some(0), "stash pop: {out}");
    let text = sources(&notebook(&sb));
    assert!(
        text.contains("v1 = 10") && text.contains("v4 = 40"),
        "{text}"
    );

    // checkout -m
    let sb = repo();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    let out = git(&sb, &["checkout", "-m", "side"]);
    assert_eq!(out.status, Some(0), "checkout -m: {out}");
    let text = sources(&notebook(&sb));
    assert!(
        text.contains("v1 = 10") && text.contains("v4 = 40"),
        "{text}"
    );
}

#[test]
fn a_side_that_is_not_a_notebook_gets_gits_line_merge() {
    let sb = repo();
    on(&sb, "side");
    let broken = fs::read_to_string(sb.work.join("nb.ipynb"))
        .expect("nb")
        .replacen(
            "\"v2 = 2\\n\",",
            "<<<<<<< HEAD\n\"v2 = 2222\\n\",\n=======\n\"v2 = 3333\\n\",\n>>>>>>> other",
            1,
        );
    sb.write("nb.ipynb", broken);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_eq!(out.status, Some(1), "{out}");
    let err = out.stderr_text();
    let ours_line = err
        .lines()
        .find(|l| l.starts_with("nbmyst:"))
        .expect("one line saying why");
    assert!(
        ours_line.contains("nb.ipynb") && ours_line.contains("theirs"),
        "{err}"
    );
    let text = fs::read_to_string(sb.work.join("nb.ipynb")).expect("nb");
    for want in ["v1 = 10", "v2 = 2222", "v2 = 3333", "print(v5)"] {
        assert!(text.contains(want), "{want} lost:\n{text}");
    }
    no_stray_files(&sb);
}

#[test]
fn nbmyst_0_makes_the_driver_do_gits_line_merge() {
    let sb = repo();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("ours");
    let mut cmd = sb.command("git");
    cmd.args(["merge", "--no-edit", "side"])
        .env("PATH", path_with_nbmyst())
        .env("NBMYST", "0");
    let out = sb.run(cmd);
    // The JSON lines of the two cells are far apart: git's own merge is clean too.
    assert_eq!(out.status, Some(0), "{out}");
    let merged = fs::read(sb.work.join("nb.ipynb")).expect("nb");
    // Exactly what git merge-file gives for the same three blobs.
    let base = sb.git(["show", "HEAD~2:nb.ipynb"]).stdout;
    let ours = sb.git(["show", "HEAD^1:nb.ipynb"]).stdout;
    let theirs = sb.git(["show", "side:nb.ipynb"]).stdout;
    for (name, bytes) in [("o", base), ("a", ours), ("b", theirs)] {
        fs::write(sb.tmp.join(name), bytes).expect("write");
    }
    let mut cmd = sb.command("git");
    cmd.current_dir(&sb.tmp)
        .args(["merge-file", "-p", "a", "o", "b"]);
    assert_eq!(sb.run(cmd).stdout, merged);
}

#[test]
fn a_bad_driver_line_stops_the_merge_and_touches_nothing() {
    let sb = repo();
    sb.git(["config", "merge.nbmyst.driver", "nbmyst merge %O %A"])
        .success();
    on(&sb, "side");
    edit(&sb, &["line:4:1=v4 = 40"]);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:1:1=v1 = 10"]);
    sb.commit("ours");
    let before = fs::read(sb.work.join("nb.ipynb")).expect("nb");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_ne!(out.status, Some(0));
    assert_ne!(
        out.status,
        Some(1),
        "a usage error must not read as a conflict: {out}"
    );
    assert!(!sb.work.join(".git/MERGE_HEAD").exists());
    assert_eq!(fs::read(sb.work.join("nb.ipynb")).expect("nb"), before);
}

#[test]
fn conflict_style_diff3_shows_the_base_lines() {
    let sb = repo();
    sb.git(["config", "merge.conflictStyle", "diff3"]).success();
    on(&sb, "side");
    edit(&sb, &["line:2:1=v2 = 300"]);
    sb.commit("theirs");
    on(&sb, "main");
    edit(&sb, &["line:2:1=v2 = 200"]);
    sb.commit("ours");
    let out = git(&sb, &["merge", "--no-edit", "side"]);
    assert_eq!(out.status, Some(1), "{out}");
    let nb = notebook(&sb);
    let text = src(&nb, 2);
    assert!(
        text.starts_with("# cell 2\n<<<<<<< HEAD\nv2 = 200\n||||||| ")
            && text.ends_with("\nv2 = 2\n=======\nv2 = 300\n>>>>>>> side\nprint(v2)"),
        "{text}"
    );
}

#[test]
fn merge_help_is_reviewed() {
    let sb = GitSandbox::new();
    let help = sb.nbmyst(["merge", "--help"]).success().stdout_text();
    crate::support::insta_settings().bind(|| insta::assert_snapshot!("merge_help", help));
}
