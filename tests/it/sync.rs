//! `nbmyst sync` end to end: pairs in real git repositories (and outside one), decided by
//! content and git evidence, with jupytext's own output as the reference for what is written.

use std::fs;
use std::path::Path;

use crate::support::GitSandbox;
use crate::sync_support::{
    cell_with, edit, inputs, json, jupytext, mtime, require_jupytext, secs, set_mtime, source, t0,
    PAIRING_TOML, SAMPLE_NB,
};

/// A sandbox with `jupytext.toml` pairing notebooks with MyST and `nb.ipynb` (the sample).
fn paired_sandbox() -> GitSandbox {
    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", SAMPLE_NB);
    sb
}

fn read(sb: &GitSandbox, rel: &str) -> String {
    fs::read_to_string(sb.work.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// What jupytext writes as the MyST of `rel` (with the sandbox's configuration).
fn jupytext_md(sb: &GitSandbox, rel: &str) -> String {
    let out_dir = tempfile::tempdir().expect("temp");
    // Written beside the notebook so the same jupytext.toml applies.
    let target = sb.work.join(format!("{rel}.ref.md"));
    let out = jupytext(
        &sb.work,
        &["--to", "md:myst", "-o", target.to_str().unwrap(), rel],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(&target).expect("jupytext output");
    fs::remove_file(target).expect("remove");
    drop(out_dir);
    text
}

#[test]
fn creates_the_md_as_jupytext_writes_it_and_keeps_the_notebook() {
    require_jupytext();
    let sb = paired_sandbox();
    let before = json(&sb.work.join("nb.ipynb"));
    let out = sb.nbmyst(["sync", "nb.ipynb"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb and nb.md from nb.ipynb (nb.md did not exist)\n"
    );
    assert_eq!(read(&sb, "nb.md"), jupytext_md(&sb, "nb.ipynb"));
    // The notebook only gains what jupytext's reader adds (the lexer), so the next
    // `jupytext --sync` finds nothing to do; cells, outputs and ids are untouched.
    let after = json(&sb.work.join("nb.ipynb"));
    assert_eq!(after["cells"], before["cells"]);
    assert_eq!(after["metadata"]["jupytext"]["default_lexer"], "ipython3");
    assert_eq!(
        after["metadata"]["language_info"],
        before["metadata"]["language_info"]
    );
}

#[test]
fn creates_the_notebook_from_the_md_as_jupytext_reads_it() {
    require_jupytext();
    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write(
        "nb.md",
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    \
         format_version: 0.13\n    jupytext_version: 1.19.6\nkernelspec:\n  display_name: \
         Python 3\n  language: python\n  name: python3\n---\n\n# Title\n\n```{code-cell} \
         ipython3\n:tags: [a]\n\nx = 1\nx\n```\n\nText.\n",
    );
    sb.nbmyst(["sync", "nb.md"]).success();
    let ours = json(&sb.work.join("nb.ipynb"));
    let out = jupytext(&sb.work, &["--to", "ipynb", "-o", "ref.ipynb", "nb.md"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = json(&sb.work.join("ref.ipynb"));
    assert_eq!(inputs(&ours), inputs(&reference));
    assert_eq!(ours["metadata"], reference["metadata"]);
    assert_eq!(ours["nbformat_minor"], reference["nbformat_minor"]);
    for (a, b) in ours["cells"]
        .as_array()
        .unwrap()
        .iter()
        .zip(reference["cells"].as_array().unwrap())
    {
        assert_eq!(a["metadata"], b["metadata"]);
        assert_eq!(a.get("outputs"), b.get("outputs"));
        // jupytext's ids are random; ours are derived from the cell, and valid.
        let id = a["id"].as_str().unwrap();
        assert!(!id.is_empty() && id.len() <= 64);
    }
    // The same again: deterministic ids, nothing to do.
    let first = read(&sb, "nb.ipynb");
    sb.nbmyst(["sync"]).success();
    assert_eq!(read(&sb, "nb.ipynb"), first);
}

#[test]
fn a_pair_in_step_is_not_rewritten() {
    let sb = paired_sandbox();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    // An older jupytext_version in the header alone is no reason to rewrite the .md.
    edit(
        &sb.work.join("nb.md"),
        "jupytext_version: 1.19.6",
        "jupytext_version: 1.16.0",
    );
    for (rel, offset) in [("nb.ipynb", 0), ("nb.md", 5)] {
        set_mtime(&sb.work.join(rel), t0() + secs(offset));
    }
    let md = read(&sb, "nb.md");
    let out = sb.nbmyst(["sync", "nb.md", "nb.ipynb"]).success();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(read(&sb, "nb.md"), md);
    assert_eq!(mtime(&sb.work.join("nb.md")), t0() + secs(5));
    assert_eq!(mtime(&sb.work.join("nb.ipynb")), t0());
}

/// The common flow: run the notebook (new outputs and counts), then let an assistant edit the
/// `.md`. Only the `.md` changed as far as MyST can tell, so its edit wins, and the new outputs
/// of the cells it did not touch stay.
#[test]
fn md_edit_after_a_rerun_wins_and_keeps_the_new_outputs() {
    let sb = paired_sandbox();
    sb.nbmyst(["sync"]).success(); // nothing tracked yet: nothing to do
    sb.nbmyst(["sync", "."]).success();
    sb.commit("pair");
    // Re-run: new execution counts and outputs.
    let nb_path = sb.work.join("nb.ipynb");
    let rerun = read(&sb, "nb.ipynb")
        .replace("\"execution_count\": 1", "\"execution_count\": 7")
        .replace("\"hi\\n\"", "\"hi again\\n\"");
    fs::write(&nb_path, rerun).unwrap();
    edit(
        &sb.work.join("nb.md"),
        "Monthly totals.",
        "Monthly totals, in mm.",
    );
    // The notebook was saved last.
    set_mtime(&sb.work.join("nb.md"), t0());
    set_mtime(&nb_path, t0() + secs(60));
    let out = sb.nbmyst(["sync", "nb.md"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb from nb.md (nb.md changed since the last commit)\n"
    );
    let nb = json(&nb_path);
    assert_eq!(
        source(&nb["cells"][0]),
        "# Rainfall\n\nMonthly totals, in mm."
    );
    assert_eq!(cell_with(&nb, "sum(x)")["execution_count"], 7);
    assert_eq!(
        cell_with(&nb, "print")["outputs"][0]["text"][0],
        "hi again\n"
    );
    assert_eq!(cell_with(&nb, "print")["id"], "code-print");
    sb.nbmyst(["check"]).success();
}

/// Timestamp drift: with a committed pair, the side that changed since HEAD wins even when the
/// other file is newer.
#[test]
fn timestamp_drift_md_edit_then_notebook_touched() {
    let sb = paired_sandbox();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");
    edit(&sb.work.join("nb.md"), "print('hi')", "print('hello')");
    set_mtime(&sb.work.join("nb.md"), t0());
    set_mtime(&sb.work.join("nb.ipynb"), t0() + secs(3600));
    sb.nbmyst(["sync"]).success();
    let nb = json(&sb.work.join("nb.ipynb"));
    let cell = cell_with(&nb, "print('hello')");
    // An edited cell keeps its id but not its old outputs.
    assert_eq!(cell["id"], "code-print");
    assert_eq!(cell["outputs"], serde_json::json!([]));
    assert_eq!(cell["execution_count"], serde_json::Value::Null);
    // Unchanged cells keep theirs.
    assert_eq!(
        cell_with(&nb, "sum(x)")["outputs"][0]["data"]["text/plain"][0],
        "6"
    );
    assert!(read(&sb, "nb.md").contains("print('hello')"));
    sb.nbmyst(["check"]).success();
}

#[test]
fn timestamp_drift_notebook_edit_then_md_touched() {
    let sb = paired_sandbox();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");
    edit(
        &sb.work.join("nb.ipynb"),
        "\"The end.\"",
        "\"The very end.\"",
    );
    set_mtime(&sb.work.join("nb.ipynb"), t0());
    set_mtime(&sb.work.join("nb.md"), t0() + secs(3600));
    let out = sb.nbmyst(["sync", "nb.md"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.md from nb.ipynb (nb.ipynb changed since the last commit)\n"
    );
    assert!(read(&sb, "nb.md").contains("The very end."));
    sb.nbmyst(["check"]).success();
}

#[test]
fn both_sides_changing_the_same_cell_is_refused_and_nothing_written() {
    let sb = paired_sandbox();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");
    edit(&sb.work.join("nb.md"), "print('hi')", "print('md')");
    edit(
        &sb.work.join("nb.ipynb"),
        "\"print('hi')\"",
        "\"print('nb')\"",
    );
    let (md, nb) = (read(&sb, "nb.md"), read(&sb, "nb.ipynb"));
    let out = sb.nbmyst(["sync", "nb.md"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out
        .stderr_text()
        .starts_with("nbmyst: error: nb.md and nb.ipynb both changed since the last commit"));
    assert_eq!((read(&sb, "nb.md"), read(&sb, "nb.ipynb")), (md, nb));
}

/// Without git evidence the clocks decide: the `.md` wins unless the notebook is newer by more
/// than `outdated_text_notebook_margin`.
#[test]
fn without_git_the_md_wins_unless_the_notebook_is_newer_by_the_margin() {
    let dir = tempfile::tempdir().unwrap();
    let run = |margin: Option<&str>, md_at: u64, nb_at: u64| -> (String, String) {
        let case = tempfile::tempdir_in(dir.path()).unwrap();
        let p = case.path();
        let mut toml = PAIRING_TOML.to_owned();
        if let Some(m) = margin {
            toml.push_str(&format!("outdated_text_notebook_margin = {m}\n"));
        }
        fs::write(p.join("jupytext.toml"), toml).unwrap();
        fs::write(p.join("nb.ipynb"), SAMPLE_NB).unwrap();
        nbmyst_in(p, &["sync", "nb.ipynb"]);
        edit(&p.join("nb.md"), "The end.", "The md end.");
        edit(&p.join("nb.ipynb"), "\"The end.\"", "\"The nb end.\"");
        set_mtime(&p.join("nb.md"), t0() + secs(md_at));
        set_mtime(&p.join("nb.ipynb"), t0() + secs(nb_at));
        nbmyst_in(p, &["sync", "."]);
        let nb = json(&p.join("nb.ipynb"));
        let md = fs::read_to_string(p.join("nb.md")).unwrap();
        (source(&nb["cells"][3]), md)
    };
    let winner = |(nb, md): (String, String)| {
        let md_side = if md.contains("The md end.") {
            "md"
        } else {
            "nb"
        };
        assert!(nb.contains(&format!("The {md_side} end.")), "{nb} / {md}");
        md_side
    };
    assert_eq!(winner(run(None, 10, 10)), "md"); // same time: the .md
    assert_eq!(winner(run(None, 10, 20)), "nb"); // notebook newer by 10 s
    assert_eq!(winner(run(Some("60"), 10, 20)), "md"); // ... but not by more than 60 s
    assert_eq!(winner(run(None, 20, 10)), "md");
}

/// Run nbmyst in a folder outside any repository, with no configuration from outside it.
fn nbmyst_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(crate::support::NBMYST)
        .args(args)
        .current_dir(dir)
        .env("JUPYTEXT_CEILING_DIRECTORIES", dir)
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .env("XDG_CONFIG_DIRS", dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .output()
        .expect("run nbmyst");
    assert!(
        out.status.success(),
        "nbmyst {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn default_covers_tracked_pairs_and_folders_also_untracked_ones() {
    let sb = paired_sandbox();
    sb.write("README.md", "# A project\n\nNot a notebook.\n");
    sb.write("sub/other.ipynb", SAMPLE_NB);
    sb.commit("notebooks");
    sb.write("untracked/new.ipynb", SAMPLE_NB);
    let out = sb.nbmyst(["sync"]).success();
    assert_eq!(
        out.stdout_text(),
        "updated nb.ipynb and nb.md from nb.ipynb (nb.md did not exist)\n\
         updated sub/other.ipynb and sub/other.md from sub/other.ipynb (sub/other.md did not exist)\n"
    );
    assert!(!sb.work.join("untracked/new.md").exists());
    assert!(!sb.work.join("README.ipynb").exists());
    sb.nbmyst(["sync", "untracked"]).success();
    assert!(sb.work.join("untracked/new.md").exists());
    // From a subfolder, the default is still the whole repository; paths are printed as seen
    // from there.
    edit(&sb.work.join("nb.md"), "The end.", "The end, again.");
    sb.commit("more");
    edit(
        &sb.work.join("nb.md"),
        "The end, again.",
        "The end, thrice.",
    );
    let mut cmd = sb.command(crate::support::NBMYST);
    cmd.arg("sync").current_dir(sb.work.join("sub"));
    let out = sb.run(cmd).success();
    assert!(
        out.stdout_text()
            .starts_with("updated ../nb.ipynb from ../nb.md"),
        "{out}"
    );
}

/// Aider runs its `lint-cmd` with the edited files, whatever they are.
#[test]
fn other_files_are_ignored_as_aider_passes_them() {
    let sb = paired_sandbox();
    sb.write("script.py", "print(1)\n");
    sb.write("notes.md", "Plain notes.\n");
    let out = sb.nbmyst(["sync", "script.py", "notes.md", "nb.ipynb"]);
    assert_eq!(out.status, Some(0), "{out}");
    assert_eq!(out.stderr_text(), "");
}

#[test]
fn metadata_pairing_keeps_the_formats_line_as_jupytext_does() {
    require_jupytext();
    let sb = GitSandbox::new();
    let nb = SAMPLE_NB.replace(
        " \"metadata\": {\n  \"kernelspec\"",
        " \"metadata\": {\n  \"jupytext\": {\"formats\": \"ipynb,md:myst\"},\n  \"kernelspec\"",
    );
    sb.write("nb.ipynb", &nb);
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    let md = read(&sb, "nb.md");
    assert!(md.contains("  formats: ipynb,md:myst\n"), "{md}");
    assert_eq!(md, jupytext_md(&sb, "nb.ipynb"));
    // jupytext --sync agrees that nothing is left to do.
    let (md_before, nb_before) = (read(&sb, "nb.md"), read(&sb, "nb.ipynb"));
    let out = jupytext(&sb.work, &["--sync", "nb.ipynb"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        (read(&sb, "nb.md"), read(&sb, "nb.ipynb")),
        (md_before, nb_before)
    );
}

#[test]
fn prefixed_pairing_in_another_folder() {
    let sb = GitSandbox::new();
    sb.write(
        "jupytext.toml",
        "formats = \"notebooks///ipynb,scripts///md:myst\"\n",
    );
    sb.write("notebooks/a/nb.ipynb", SAMPLE_NB);
    sb.nbmyst(["sync", "notebooks"]).success();
    assert!(sb.work.join("scripts/a/nb.md").exists());
    sb.nbmyst(["check", "scripts/a/nb.md"]).success();
}

#[cfg(unix)]
#[test]
fn writes_keep_permissions_and_go_through_symlinks() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let sb = paired_sandbox();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    let md = sb.work.join("nb.md");
    fs::set_permissions(&md, fs::Permissions::from_mode(0o640)).unwrap();
    fs::create_dir(sb.work.join("real")).unwrap();
    fs::rename(sb.work.join("nb.ipynb"), sb.work.join("real/nb.ipynb")).unwrap();
    symlink("real/nb.ipynb", sb.work.join("nb.ipynb")).unwrap();
    edit(&md, "print('hi')", "print('linked')");
    set_mtime(&md, t0() + secs(100));
    set_mtime(&sb.work.join("real/nb.ipynb"), t0());
    sb.nbmyst(["sync", "nb.md"]).success();
    assert!(fs::symlink_metadata(sb.work.join("nb.ipynb"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&sb, "real/nb.ipynb").contains("print('linked')"));
    edit(
        &sb.work.join("real/nb.ipynb"),
        "print('linked')",
        "print('again')",
    );
    set_mtime(&sb.work.join("real/nb.ipynb"), t0() + secs(1000));
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    assert_eq!(
        fs::metadata(&md).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(read(&sb, "nb.md").contains("print('again')"));
    let leftovers: Vec<_> = fs::read_dir(&sb.work)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".nbmyst-"))
        .collect();
    assert!(leftovers.is_empty());
}
