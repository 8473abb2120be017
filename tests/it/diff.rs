//! `nbmyst diff` as git's external diff (`diff.nbmyst.command`), through real git commands:
//! one snapshot per kind of change, git's other callers (`git log -p --ext-diff`,
//! `git difftool`), colour, exit codes, a closed pipe, and the MyST hunks checked against
//! `git diff` of jupytext's own MyST files.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::{json, Value};

use crate::support::{insta_settings, jupytext_myst_of, GitSandbox, NBMYST};

// ---------------------------------------------------------------------------------------------
// Notebooks

fn notebook(cells: Vec<Value>) -> Value {
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.9"}
        },
        "nbformat": 4,
        "nbformat_minor": 5
    })
}

fn md(id: &str, source: &str) -> Value {
    json!({"cell_type": "markdown", "id": id, "metadata": {}, "source": source})
}

fn code(id: &str, source: &str, count: Option<u32>, outputs: Vec<Value>) -> Value {
    json!({
        "cell_type": "code", "id": id, "metadata": {}, "source": source,
        "execution_count": count, "outputs": outputs
    })
}

fn stream(text: &str) -> Value {
    json!({"output_type": "stream", "name": "stdout", "text": text})
}

fn result(count: u32, text: &str) -> Value {
    json!({
        "output_type": "execute_result", "execution_count": count, "metadata": {},
        "data": {"text/plain": text}
    })
}

/// A `display_data` with a PNG of the given size (a valid header; `fill` varies the bytes).
fn image(width: u32, height: u32, fill: u8) -> Value {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend(std::iter::repeat_n(fill, 40));
    json!({
        "output_type": "display_data", "metadata": {},
        "data": {
            "image/png": base64(&png),
            "text/plain": format!("<Figure size {width}x{height} with 1 Axes>")
        }
    })
}

fn error(ename: &str, evalue: &str, lines: &[&str]) -> Value {
    json!({"output_type": "error", "ename": ename, "evalue": evalue, "traceback": lines})
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The notebook every case starts from.
fn base_cells() -> Vec<Value> {
    vec![
        md("intro", "# Analysis\n\nSome prose."),
        code("load", "import math\nx = 2", Some(1), vec![]),
        code("show", "print(x)", Some(2), vec![stream("2\n")]),
        code("plot", "plot(x)", Some(3), vec![image(4, 3, 1)]),
        md("notes", "## Notes\n\nMore prose."),
        code("last", "x * 10", Some(4), vec![result(4, "20")]),
    ]
}

fn bytes_of(nb: &Value) -> String {
    let mut text = serde_json::to_string_pretty(nb).unwrap();
    text.push('\n');
    text
}

/// A repository with the diff driver, `nb.ipynb` committed from `base_cells`.
fn repo() -> GitSandbox {
    let repo = GitSandbox::new();
    repo.use_diff_command("");
    repo.write("nb.ipynb", bytes_of(&notebook(base_cells())));
    repo.commit("base");
    repo
}

/// `git diff` after writing `cells` to `nb.ipynb`.
fn diff_after(cells: Vec<Value>) -> crate::support::CommandOutput {
    let repo = repo();
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    repo.git(["diff"])
}

fn snapshot(name: &str, out: &crate::support::CommandOutput) {
    insta_settings().bind(|| insta::assert_snapshot!(name, out));
}

// ---------------------------------------------------------------------------------------------
// Each kind of change

#[test]
fn cell_edited() {
    let mut cells = base_cells();
    cells[2] = code("show", "print(x, x)", Some(5), vec![stream("2 2\n")]);
    snapshot("cell_edited", &diff_after(cells));
}

#[test]
fn cell_added() {
    let mut cells = base_cells();
    cells.insert(
        3,
        code("extra", "y = x + 1\nprint(y)", Some(5), vec![stream("3\n")]),
    );
    snapshot("cell_added", &diff_after(cells));
}

#[test]
fn cell_removed() {
    let mut cells = base_cells();
    cells.remove(3);
    snapshot("cell_removed", &diff_after(cells));
}

#[test]
fn cell_moved() {
    let mut cells = base_cells();
    let last = cells.remove(5);
    cells.insert(2, last);
    let out = diff_after(cells);
    // The moved cell kept its outputs: no outputs block.
    assert!(!out.stdout_text().contains("## outputs"), "{out}");
    snapshot("cell_moved", &out);
}

#[test]
fn outputs_only() {
    let mut cells = base_cells();
    cells[1] = code("load", "import math\nx = 2", Some(11), vec![]);
    cells[2] = code("show", "print(x)", Some(12), vec![stream("2\n")]);
    cells[3] = code("plot", "plot(x)", Some(13), vec![image(4, 3, 1)]);
    cells[5] = code(
        "last",
        "x * 10",
        Some(14),
        vec![stream("warning: slow\n"), result(14, "21")],
    );
    let out = diff_after(cells);
    // No MyST hunk: the sources did not change.
    assert!(!out.stdout_text().contains("@@"), "{out}");
    snapshot("outputs_only", &out);
}

#[test]
fn image_changed() {
    let mut cells = base_cells();
    cells[3] = code("plot", "plot(x)", Some(3), vec![image(5, 3, 2)]);
    cells.push(code("again", "plot(x)", Some(9), vec![image(4, 3, 1)]));
    let repo = repo();
    let mut base = base_cells();
    base.push(code("again", "plot(x)", Some(5), vec![image(4, 3, 1)]));
    repo.write("nb.ipynb", bytes_of(&notebook(base)));
    repo.commit("with a second plot");
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    let out = repo.git(["diff"]);
    // The identical re-generated image is one count change, not a block.
    assert!(
        out.stdout_text()
            .contains("## execution count changed, outputs the same: cell 6 (5 -> 9)"),
        "{out}"
    );
    snapshot("image_changed", &out);
}

#[test]
fn error_output() {
    let mut cells = base_cells();
    cells[5] = code(
        "last",
        "x / 0",
        Some(5),
        vec![error(
            "ZeroDivisionError",
            "division by zero",
            &[
                "\u{1b}[0;31m---------------------------------------------------------------------------\u{1b}[0m",
                "\u{1b}[0;31mZeroDivisionError\u{1b}[0m                         Traceback (most recent call last)",
                "Cell \u{1b}[0;32mIn[5], line 1\u{1b}[0m\n\u{1b}[0;32m----> 1\u{1b}[0m x \u{1b}[38;5;241m/\u{1b}[39m \u{1b}[38;5;241m0\u{1b}[39m\n",
                "\u{1b}[0;31mZeroDivisionError\u{1b}[0m: division by zero",
            ],
        )],
    );
    let out = diff_after(cells);
    assert!(!out.stdout_text().contains('\u{1b}'), "{out}");
    snapshot("error_output", &out);
}

#[test]
fn metadata_only() {
    let mut nb = notebook(base_cells());
    nb["metadata"]["language_info"]["version"] = json!("3.12.1");
    nb["metadata"]["kernelspec"]["display_name"] = json!("Python 3.12");
    nb["cells"][1]["metadata"] = json!({"ExecuteTime": {"end_time": "2024-01-01T00:00:00Z"}});
    nb["cells"][2]["metadata"] = json!({"tags": ["keep"]});
    let repo = repo();
    repo.write("nb.ipynb", bytes_of(&nb));
    snapshot("metadata_only", &repo.git(["diff"]));
}

#[test]
fn only_the_json_text() {
    let repo = repo();
    let text = serde_json::to_string(&notebook(base_cells())).unwrap();
    repo.write("nb.ipynb", text);
    let out = repo.git(["diff"]).success();
    snapshot("only_the_json_text", &out);
}

#[test]
fn cells_without_ids() {
    let strip = |cells: Vec<Value>| -> Value {
        let mut nb = notebook(cells);
        nb["nbformat_minor"] = json!(4);
        for cell in nb["cells"].as_array_mut().unwrap() {
            cell.as_object_mut().unwrap().remove("id");
        }
        nb
    };
    let repo = repo();
    repo.write("nb.ipynb", bytes_of(&strip(base_cells())));
    repo.commit("nbformat 4.4");
    let mut cells = base_cells();
    cells[2] = code("show", "print(x + 1)", Some(5), vec![stream("3\n")]);
    repo.write("nb.ipynb", bytes_of(&strip(cells)));
    let out = repo.git(["diff"]);
    assert!(out.stdout_text().contains("## outputs of cell 2"), "{out}");
    snapshot("cells_without_ids", &out);
}

#[test]
fn notebook_added_deleted_renamed() {
    let repo = repo();
    repo.write(
        "new.ipynb",
        bytes_of(&notebook(vec![code(
            "a",
            "print(1)",
            Some(1),
            vec![stream("1\n")],
        )])),
    );
    repo.git(["add", "new.ipynb"]).success();
    snapshot("notebook_added", &repo.git(["diff", "--cached"]));
    repo.commit("add new");

    repo.git(["rm", "-q", "new.ipynb"]).success();
    snapshot("notebook_deleted", &repo.git(["diff", "--cached"]));
    repo.commit("delete new");

    std::fs::create_dir_all(repo.work.join("dir with space")).unwrap();
    repo.git(["mv", "nb.ipynb", "dir with space/renamed ünï.ipynb"])
        .success();
    let mut cells = base_cells();
    cells[0] = md("intro", "# Analysis, renamed\n\nSome prose.");
    repo.write(
        "dir with space/renamed ünï.ipynb",
        bytes_of(&notebook(cells)),
    );
    repo.git(["add", "-A"]).success();
    snapshot("notebook_renamed", &repo.git(["diff", "--cached", "-M"]));
    repo.commit("rename");

    // A pure rename: git's header lines only.
    repo.git(["mv", "dir with space/renamed ünï.ipynb", "plain.ipynb"])
        .success();
    snapshot(
        "notebook_renamed_only",
        &repo.git(["diff", "--cached", "-M"]),
    );
}

#[test]
fn invalid_side_gives_a_raw_diff_and_one_warning() {
    let repo = repo();
    let text = bytes_of(&notebook(base_cells()));
    let cut = text.len() / 3;
    repo.write("nb.ipynb", format!("{}\nBROKEN_TAIL_LINE\n", &text[..cut]));
    let out = repo.git(["diff"]);
    assert_eq!(out.status, Some(0));
    assert_eq!(out.stderr_text().lines().count(), 1, "{out}");
    snapshot("invalid_side", &out);

    repo.write("nb.ipynb", b"\x89PNG\r\n\x1a\n\x00\x00binary");
    let out = repo.git(["diff"]);
    assert_eq!(out.status, Some(0));
    snapshot("binary_side", &out);
}

#[test]
fn unmerged_path() {
    let repo = repo();
    repo.git(["branch", "side"]).success();
    let mut ours = base_cells();
    ours[1] = code("load", "import math\nx = 3", Some(1), vec![]);
    repo.write("nb.ipynb", bytes_of(&notebook(ours)));
    repo.commit("ours");
    repo.git(["checkout", "-q", "side"]).success();
    let mut theirs = base_cells();
    theirs[1] = code("load", "import math\nx = 4", Some(1), vec![]);
    repo.write("nb.ipynb", bytes_of(&notebook(theirs)));
    repo.commit("theirs");
    repo.git(["checkout", "-q", "main"]).success();
    assert_eq!(repo.git(["merge", "-q", "side"]).status, Some(1));
    let out = repo.git(["diff", "--cached"]).success();
    insta_settings().bind(|| {
        insta::assert_snapshot!(out, @r"
        * Unmerged path nb.ipynb
        [EOF]
        ")
    });
}

#[test]
fn kill_switch_gives_gits_plain_diff() {
    let mut cells = base_cells();
    cells[1] = code("load", "import math\nx = 3", Some(1), vec![]);
    let repo = repo();
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    let mut cmd = repo.command("git");
    cmd.arg("diff").env("NBMYST", "0");
    let out = repo.run(cmd).success();
    // The raw JSON lines, as git shows them without a driver, and no warning.
    let mut plain = repo.command("git");
    plain.args(["diff", "--no-ext-diff"]);
    assert_eq!(out.stdout_text(), repo.run(plain).success().stdout_text());
    assert!(out.stderr.is_empty(), "{out}");
}

// ---------------------------------------------------------------------------------------------
// git's other callers

#[test]
fn git_log_p_ext_diff() {
    let repo = repo();
    let mut cells = base_cells();
    cells[2] = code("show", "print(x)", Some(7), vec![stream("2\n")]);
    repo.write("nb.ipynb", bytes_of(&notebook(cells.clone())));
    repo.commit("re-run");
    cells[4] = md("notes", "## Notes\n\nProse rewritten.");
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    repo.commit("notes");
    let out = repo.git(["log", "-p", "--ext-diff", "--format=commit %s"]);
    snapshot("git_log_p_ext_diff", &out.success());
    // Without --ext-diff git log does not call the driver: raw JSON.
    let raw = repo.git(["log", "-p", "-1"]).success();
    assert!(raw.stdout_text().contains("\"cell_type\""), "{raw}");
}

#[test]
fn git_difftool_uses_the_driver_for_notebooks() {
    let repo = repo();
    repo.write("notes.txt", "one\n");
    repo.commit("text file");
    let mut cells = base_cells();
    cells[1] = code("load", "import math\nx = 5", Some(1), vec![]);
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    repo.write("notes.txt", "two\n");
    // The path's diff command wins over the tool git sets through GIT_EXTERNAL_DIFF.
    let out = repo.git(["difftool", "--no-prompt", "-x", "echo TOOL"]);
    let text = out.stdout_text();
    assert_eq!(out.status, Some(0), "{out}");
    assert!(text.contains("+x = 5"), "{out}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("TOOL ") && l.ends_with("notes.txt")),
        "{out}"
    );
    assert!(!text.contains("\"cell_type\""), "{out}");
}

#[test]
fn two_files_outside_git() {
    let repo = GitSandbox::new();
    repo.write("a.ipynb", bytes_of(&notebook(base_cells())));
    let mut cells = base_cells();
    cells[2] = code("show", "print(x)", Some(2), vec![stream("two\n")]);
    repo.write("b.ipynb", bytes_of(&notebook(cells)));
    let out = repo.nbmyst(["diff", "a.ipynb", "b.ipynb"]).success();
    snapshot("two_files", &out);
    // Identical files: nothing.
    let out = repo.nbmyst(["diff", "a.ipynb", "a.ipynb"]).success();
    assert!(out.stdout.is_empty());
    // `-` is standard input.
    let mut cmd = repo.command(NBMYST);
    cmd.args(["diff", "a.ipynb", "-"])
        .stdin(std::fs::File::open(repo.work.join("b.ipynb")).unwrap());
    let piped = repo.run(cmd).success();
    assert_eq!(
        piped.stdout_text().lines().skip(3).collect::<Vec<_>>(),
        out_without_header(&repo)
    );
}

fn out_without_header(repo: &GitSandbox) -> Vec<String> {
    repo.nbmyst(["diff", "a.ipynb", "b.ipynb"])
        .stdout_text()
        .lines()
        .skip(3)
        .map(str::to_owned)
        .collect()
}

#[test]
fn usage_errors() {
    let repo = GitSandbox::new();
    let out = repo.nbmyst(["diff", "a", "b", "c"]);
    insta_settings().bind(|| {
        insta::assert_snapshot!(out, @r"
        ------- stderr -------
        nbmyst: error: diff takes 1, 2, 7 or 9 arguments, not 3
        nbmyst: hint: git passes 7 (9 for a rename, 1 for an unmerged path); to compare two notebooks: nbmyst diff OLD.ipynb NEW.ipynb; options come first, their value after a space or `=` (-U 1, --unified=1)
        [exit status: 2]
        [EOF]
        ")
    });
    let out = repo.nbmyst(["diff", "missing.ipynb", "other.ipynb"]);
    assert_eq!(out.status, Some(2), "{out}");
}

// ---------------------------------------------------------------------------------------------
// Colour, context, exit codes, pipes

/// `git diff` with extra environment variables (and `TERM`, which the sandbox leaves unset).
fn git_diff_with(
    repo: &GitSandbox,
    env: &[(&str, &str)],
    args: &[&str],
) -> crate::support::CommandOutput {
    let mut cmd = repo.command("git");
    cmd.arg("diff").args(args).env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    repo.run(cmd)
}

#[test]
fn colour_under_gits_pager_not_in_pipes() {
    let repo = repo();
    let mut cells = base_cells();
    cells[2] = code("show", "print(x)  ", Some(5), vec![stream("3\n")]);
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));

    let plain = git_diff_with(&repo, &[], &[]).success();
    assert!(!plain.stdout_text().contains('\u{1b}'));
    let no_color = git_diff_with(
        &repo,
        &[("GIT_PAGER_IN_USE", "true"), ("NO_COLOR", "1")],
        &[],
    );
    assert!(!no_color.stdout_text().contains('\u{1b}'));
    let dumb = {
        let mut cmd = repo.command("git");
        cmd.arg("diff")
            .env("GIT_PAGER_IN_USE", "true")
            .env("TERM", "dumb");
        repo.run(cmd)
    };
    assert!(!dumb.stdout_text().contains('\u{1b}'));

    let paged = git_diff_with(&repo, &[("GIT_PAGER_IN_USE", "true")], &[]).success();
    let shown = paged.stdout_text().replace('\u{1b}', "\\e");
    insta_settings().bind(|| insta::assert_snapshot!("colour_under_pager", shown));

    // An explicit flag wins over NO_COLOR.
    repo.use_diff_command("--color=always");
    let forced = git_diff_with(&repo, &[("NO_COLOR", "1")], &[]);
    assert_eq!(forced.stdout_text().replace('\u{1b}', "\\e"), shown);
}

#[test]
fn context_from_git_diff_opts() {
    let mut cells = base_cells();
    cells[1] = code("load", "import math\nx = 3", Some(1), vec![]);
    let repo = repo();
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    let out = git_diff_with(&repo, &[("GIT_DIFF_OPTS", "--unified=1")], &[]).success();
    insta_settings().bind(|| {
        insta::assert_snapshot!(out, @r"
        diff --git a/nb.ipynb b/nb.ipynb
        index 2b6ce79..9f38236 100644
        --- a/nb.ipynb
        +++ b/nb.ipynb
        @@ -19,3 +19,3 @@ Some prose.
         import math
        -x = 2
        +x = 3
         ```
        [EOF]
        ")
    });
}

#[test]
fn exit_code_when_git_trusts_it() {
    let repo = repo();
    repo.use_diff_command("--exit-code");
    repo.git(["config", "diff.nbmyst.trustExitCode", "true"])
        .success();
    let version = nbmyst::git::version().unwrap().unwrap();
    if version < nbmyst::git::GitVersion(2, 46, 0) && std::env::var_os("CI").is_none() {
        eprintln!("git {version:?} has no trustExitCode; skipped");
        return;
    }
    // Nothing changed but the JSON text: no significant change.
    let text = serde_json::to_string(&notebook(base_cells())).unwrap();
    repo.write("nb.ipynb", text);
    assert_eq!(repo.git(["diff", "--quiet"]).status, Some(0));
    assert_eq!(repo.git(["diff", "--exit-code"]).status, Some(0));
    let mut cells = base_cells();
    cells[2] = code("show", "print(x)", Some(2), vec![stream("3\n")]);
    repo.write("nb.ipynb", bytes_of(&notebook(cells)));
    assert_eq!(repo.git(["diff", "--quiet"]).status, Some(1));
    let out = repo.git(["diff", "--exit-code"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(out.stderr.is_empty(), "{out}");
    // Without the flag the driver exits 0 even when git trusts it.
    repo.use_diff_command("");
    assert_eq!(repo.git(["diff", "--quiet"]).status, Some(0));
}

#[test]
fn closed_pipe_ends_quietly() {
    let repo = GitSandbox::new();
    let long: String = (0..20_000).map(|i| format!("row_{i} = {i}\n")).collect();
    repo.write(
        "a.ipynb",
        bytes_of(&notebook(vec![code("c", "x = 1", Some(1), vec![])])),
    );
    repo.write(
        "b.ipynb",
        bytes_of(&notebook(vec![code("c", &long, Some(1), vec![])])),
    );
    let mut cmd = repo.command(NBMYST);
    cmd.args(["diff", "a.ipynb", "b.ipynb"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader goes away after one line.
    let output = child.wait_with_output().unwrap();
    assert_eq!(first, "diff --git a/a.ipynb b/b.ipynb\n");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_8_mb_line_stays_fast() {
    let repo = GitSandbox::new();
    let line = format!("s = '{}'\n", "x".repeat(8 << 20));
    repo.write(
        "a.ipynb",
        bytes_of(&notebook(vec![code(
            "c",
            &format!("{line}a = 1"),
            Some(1),
            vec![],
        )])),
    );
    repo.write(
        "b.ipynb",
        bytes_of(&notebook(vec![code(
            "c",
            &format!("{line}a = 2"),
            Some(1),
            vec![],
        )])),
    );
    let start = std::time::Instant::now();
    let out = repo
        .nbmyst(["diff", "-U", "0", "a.ipynb", "b.ipynb"])
        .success();
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        out.stdout_text().contains("\n-a = 1\n+a = 2\n"),
        "{}",
        &out.stdout_text()[..200]
    );
}

// ---------------------------------------------------------------------------------------------
// The MyST hunks are git's diff of jupytext's MyST

/// Everything after the `+++` line.
fn body(text: &str) -> String {
    let at = text.find("\n+++ ").expect("a +++ line");
    let rest = &text[at + 1..];
    rest[rest.find('\n').unwrap() + 1..].to_owned()
}

#[test]
fn myst_hunks_equal_git_diff_of_jupytext_myst() {
    let changes: Vec<Vec<Value>> = vec![
        {
            let mut cells = base_cells();
            cells[0] = md(
                "intro",
                "# Analysis\n\nSome prose, edited.\n\nA new paragraph.",
            );
            cells[1] = code("load", "import math\nimport os\nx = 2", Some(1), vec![]);
            cells[4] = md("notes", "## Notes\n\nMore prose.\n\n- a list");
            cells
        },
        {
            let mut cells = base_cells();
            cells.insert(1, md("added", "Added text."));
            cells.remove(5);
            cells
        },
        {
            let mut cells = base_cells();
            cells[2]["metadata"] = json!({"tags": ["keep"]});
            cells.swap(0, 4);
            cells
        },
    ];
    let base = bytes_of(&notebook(base_cells()));
    let base_md = jupytext_myst_of(&[("nb.ipynb", base.as_bytes())], "nb.ipynb");
    for (i, cells) in changes.into_iter().enumerate() {
        let repo = GitSandbox::new();
        repo.write("old.ipynb", &base);
        let changed = bytes_of(&notebook(cells));
        repo.write("new.ipynb", &changed);
        repo.write("old.md", &base_md);
        repo.write(
            "new.md",
            jupytext_myst_of(&[("nb.ipynb", changed.as_bytes())], "nb.ipynb"),
        );
        let ours = repo.nbmyst(["diff", "old.ipynb", "new.ipynb"]).success();
        let gits = repo.git(["diff", "--no-index", "old.md", "new.md"]);
        assert_eq!(gits.status, Some(1), "{gits}");
        assert_eq!(
            body(&ours.stdout_text()),
            body(&gits.stdout_text()),
            "change {i}:\n{ours}\n{gits}"
        );
    }
}
