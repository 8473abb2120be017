//! `nbmyst check`: read-only, content only, exit 0/1/2, text and JSON reports.

use std::fs;

use crate::support::GitSandbox;
use crate::sync_support::{edit, mtime, secs, set_mtime, t0, PAIRING_TOML, SAMPLE_NB};

fn synced_sandbox() -> GitSandbox {
    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", SAMPLE_NB);
    sb.write("sub/two.ipynb", SAMPLE_NB);
    sb.nbmyst(["sync", "."]).success();
    sb.commit("pairs");
    sb
}

#[test]
fn pairs_in_step_pass_whatever_the_file_times() {
    let sb = synced_sandbox();
    // Times never count: an old .md beside a new notebook is still in step.
    set_mtime(&sb.work.join("nb.md"), t0());
    set_mtime(&sb.work.join("nb.ipynb"), t0() + secs(86_400));
    let out = sb.nbmyst(["check"]);
    insta::assert_snapshot!(out, @"[EOF]");
    // Nothing written, not even a time.
    assert_eq!(mtime(&sb.work.join("nb.md")), t0());
}

#[test]
fn a_pair_out_of_step_names_the_cell_and_the_fix() {
    let sb = synced_sandbox();
    edit(&sb.work.join("nb.md"), "print('hi')", "print('changed')");
    let md_before = fs::read(sb.work.join("nb.md")).unwrap();
    let out = sb.nbmyst(["check"]);
    insta::assert_snapshot!(out, @r"
    nb.md:26: out of step with nb.ipynb: cell 3 (code): the source differs; run: nbmyst sync nb.md
    1 of 2 pairs out of step; `nbmyst sync` brings them in step
    [exit status: 1]
    [EOF]
    ");
    assert_eq!(fs::read(sb.work.join("nb.md")).unwrap(), md_before);
    // The fix it names works.
    sb.nbmyst(["sync", "nb.md"]).success();
    sb.nbmyst(["check"]).success();
}

#[test]
fn kinds_of_differences() {
    let sb = synced_sandbox();
    let md = sb.work.join("nb.md");
    let text = fs::read_to_string(&md).unwrap();
    let cases = [
        // A new cell at the end.
        (format!("{text}\n+++\n\nMore.\n"), "cell_count"),
        // Only the header.
        (
            text.replace("display_name: Python 3 (ipykernel)", "display_name: Python"),
            "header",
        ),
        // A tag removed.
        (text.replace(":tags: [keep]\n", ""), "metadata"),
    ];
    for (new_text, kind) in cases {
        fs::write(&md, &new_text).unwrap();
        let out = sb.nbmyst(["check", "--format", "json", "nb.md"]);
        assert_eq!(out.status, Some(1), "{kind}\n{out}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["out_of_step"], 1);
        assert_eq!(doc["pairs"][0]["difference"], kind, "{doc}");
        assert_eq!(doc["pairs"][0]["fix"], "nbmyst sync nb.md");
    }
    // The notebook missing its .md.
    fs::remove_file(&md).unwrap();
    let out = sb.nbmyst(["check", "nb.ipynb"]);
    insta::assert_snapshot!(out, @r"
    nb.md: nb.md does not exist; run: nbmyst sync nb.ipynb
    1 of 1 pairs out of step; `nbmyst sync` brings them in step
    [exit status: 1]
    [EOF]
    ");
}

#[test]
fn json_lists_every_pair_and_errors_outweigh_pairs_out_of_step() {
    let sb = synced_sandbox();
    edit(&sb.work.join("nb.md"), "The end.", "The end!");
    let out = sb.nbmyst(["check", "--format", "json"]);
    assert_eq!(out.status, Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["checked"], 2);
    assert_eq!(doc["errors"], 0);
    let statuses: Vec<&str> = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["out_of_step", "in_step"]);
    assert_eq!(doc["pairs"][0]["line"], 29);
    assert_eq!(doc["pairs"][0]["cell_index"], 3);
    // A truncated notebook elsewhere: exit 2, and the pair out of step is still listed.
    let two = sb.work.join("sub/two.ipynb");
    let bytes = fs::read(&two).unwrap();
    fs::write(&two, &bytes[..bytes.len() / 2]).unwrap();
    let out = sb.nbmyst(["check"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(
        out.stdout_text().starts_with("nb.md:29: out of step"),
        "{out}"
    );
    assert!(
        out.stderr_text()
            .starts_with("nbmyst: error: sub/two.ipynb: truncated"),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let sb = synced_sandbox();
    let out = sb.nbmyst(["check", "--format", "xml"]);
    assert_eq!(out.status, Some(2));
}

/// A pair whose `.md` says what the notebook says but reads back differently (a trailing
/// newline in a code cell, which MyST cannot keep): jupytext's next `--sync` would change the
/// notebook, so the pair is not at rest; `sync` makes it so.
#[test]
fn a_notebook_its_md_cannot_hold_is_out_of_step_until_synced() {
    let sb = synced_sandbox();
    let nb = sb.work.join("nb.ipynb");
    edit(&nb, "\"print('hi')\"", "\"print('hi')\\n\"");
    let out = sb.nbmyst(["check", "nb.ipynb"]);
    insta::assert_snapshot!(out, @r"
    nb.md: out of step with nb.ipynb: cell 3 (code): the source differs; nb.md says what nb.ipynb says, but reads back differently; run: nbmyst sync nb.md
    1 of 1 pairs out of step; `nbmyst sync` brings them in step
    [exit status: 1]
    [EOF]
    ");
    let md_before = fs::read(sb.work.join("nb.md")).unwrap();
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.nbmyst(["check"]).success();
    assert_eq!(fs::read(sb.work.join("nb.md")).unwrap(), md_before);
}
