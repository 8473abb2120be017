//! `nbmyst textconv` through real git commands, with jupytext as the oracle: a repository whose
//! notebooks go through our textconv must show exactly what a twin repository shows whose files
//! hold jupytext's MyST for the same notebooks.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{jupytext_myst, jupytext_myst_of, nbtool, GitSandbox};

/// Three committed versions of a notebook and one uncommitted, made with the scenarios' helper,
/// and jupytext's MyST of each.
struct History {
    _dir: tempfile::TempDir,
    notebooks: Vec<PathBuf>,
    myst: Vec<PathBuf>,
}

impl History {
    fn new() -> History {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let edits: [&[&str]; 4] = [
            &[],
            &["line:2:1=v2 = 20", "cellmeta:2:tags=[\"keep\"]"],
            &[
                "line:4:1=v4 = 40",
                "src:3=## Section 3\\n\\nProse rewritten.",
            ],
            &["insert:1:code=added = 'cell'", "delete:6"],
        ];
        nbtool(d, &["new", "nb.ipynb"]);
        let mut notebooks = Vec::new();
        for (i, ops) in edits.iter().enumerate() {
            if !ops.is_empty() {
                let mut args = vec!["edit", "nb.ipynb"];
                args.extend_from_slice(ops);
                nbtool(d, &args);
            }
            let path = d.join(format!("v{i}.ipynb"));
            fs::copy(d.join("nb.ipynb"), &path).unwrap();
            notebooks.push(path);
        }
        let pairs: Vec<_> = notebooks
            .iter()
            .map(|nb| (nb.clone(), nb.with_extension("md")))
            .collect();
        jupytext_myst(d, d, &pairs);
        let myst = pairs.into_iter().map(|(_, md)| md).collect();
        History {
            _dir: dir,
            notebooks,
            myst,
        }
    }
}

/// Build the same history in a repository: `files[i]` is committed as `nb.ipynb` for all but the
/// last version, which is left in the work tree (staged when `stage_last`).
fn build(repo: &GitSandbox, files: &[PathBuf], stage_last: bool) {
    let (last, committed) = files.split_last().unwrap();
    for (i, file) in committed.iter().enumerate() {
        fs::copy(file, repo.work.join("nb.ipynb")).unwrap();
        repo.commit(&format!("version {i}"));
    }
    fs::copy(last, repo.work.join("nb.ipynb")).unwrap();
    if stage_last {
        repo.git(["add", "nb.ipynb"]).success();
    }
}

/// Output with what legitimately differs between the twins taken out: `index` lines (blob ids)
/// and commit ids (replaced by their position in history).
fn normalise(repo: &GitSandbox, text: &str) -> String {
    let ids = repo
        .git(["rev-list", "--reverse", "HEAD"])
        .success()
        .stdout_text();
    let mut text = text.to_owned();
    for (i, id) in ids.lines().enumerate() {
        text = text.replace(id, &format!("<commit {i}>"));
    }
    text.lines()
        .filter(|line| !line.starts_with("index "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Run the same git command in both twins and compare.
fn same_in_both(ours: &GitSandbox, oracle: &GitSandbox, args: &[&str]) {
    let got = ours.git(args);
    assert_eq!(got.status, Some(0), "git {args:?} with textconv:\n{got}");
    let want = oracle.git(args).success();
    let (got_text, want_text) = (
        normalise(ours, &got.stdout_text()),
        normalise(oracle, &want.stdout_text()),
    );
    assert!(
        !want_text.trim().is_empty() || args[0] == "diff",
        "git {args:?} printed nothing in the oracle repository"
    );
    pretty_assert_eq(&got_text, &want_text, &format!("git {}", args.join(" ")));
    assert_eq!(got.stderr_text(), "", "git {args:?}: textconv warned");
    assert!(!got_text.contains("\"cell_type\""), "JSON in git {args:?}");
}

fn pretty_assert_eq(got: &str, want: &str, what: &str) {
    if got != want {
        panic!("{what}: output differs from jupytext's\n--- got (textconv) ---\n{got}\n--- want (jupytext) ---\n{want}\n");
    }
}

fn twins(cache: bool, stage_last: bool) -> (GitSandbox, GitSandbox) {
    let history = History::new();
    let ours = GitSandbox::new();
    ours.use_textconv(cache);
    build(&ours, &history.notebooks, stage_last);
    let oracle = GitSandbox::new();
    // Same attributes, but no driver configured: git diffs the MyST files as they are.
    oracle.write(".gitattributes", "*.ipynb diff=nbmyst\n");
    build(&oracle, &history.myst, stage_last);
    (ours, oracle)
}

const HISTORY_COMMANDS: &[&[&str]] = &[
    &["log", "-p", "-U10"],
    &["log", "-p", "--follow", "--", "nb.ipynb"],
    &["show", "HEAD"],
    &["show", "HEAD~1"],
    &["diff", "HEAD~2", "HEAD"],
    &["diff", "-R", "HEAD~1", "HEAD"],
    &["diff", "--word-diff", "HEAD~1", "HEAD"],
    &["diff"],
    &["diff", "HEAD"],
    &["blame", "-l", "--root", "nb.ipynb"],
    &["blame", "-l", "--root", "HEAD", "--", "nb.ipynb"],
    &["grep", "--textconv", "-n", "v", "HEAD", "--", "nb.ipynb"],
    &[
        "grep",
        "--textconv",
        "-n",
        "-e",
        "print",
        "-e",
        "cell",
        "--",
        "nb.ipynb",
    ],
    &["cat-file", "--textconv", "HEAD:nb.ipynb"],
];

#[test]
fn git_commands_show_jupytext_myst() {
    let (ours, oracle) = twins(false, false);
    for args in HISTORY_COMMANDS {
        same_in_both(&ours, &oracle, args);
    }
}

#[test]
fn git_diff_cached_shows_jupytext_myst() {
    for cache in [false, true] {
        let (ours, oracle) = twins(cache, true);
        for args in [
            &["diff", "--cached"][..],
            &["diff", "--cached", "HEAD~1"],
            &["diff", "HEAD"],
        ] {
            same_in_both(&ours, &oracle, args);
        }
    }
}

#[test]
fn git_commands_with_the_textconv_cache() {
    let (ours, oracle) = twins(true, false);
    for args in HISTORY_COMMANDS {
        // cold, then warm: both must equal the oracle
        same_in_both(&ours, &oracle, args);
        same_in_both(&ours, &oracle, args);
    }
    let notes = ours
        .git(["for-each-ref", "refs/notes/textconv/nbmyst"])
        .success();
    assert!(!notes.stdout.is_empty(), "no textconv cache was written");
}

#[test]
fn git_keeps_json_where_textconv_does_not_apply() {
    let (ours, _) = twins(false, false);
    let patch = ours
        .git(["format-patch", "-1", "--stdout"])
        .success()
        .stdout_text();
    assert!(patch.contains("+    \"v4 = 40\\n\","), "{patch}");
    assert!(!patch.contains("{code-cell}"), "{patch}");
    let raw = ours
        .git(["log", "-p", "--no-textconv", "-1"])
        .success()
        .stdout_text();
    assert!(raw.contains("+    \"v4 = 40\\n\","), "{raw}");
}

#[test]
fn gitconfig_snippet_works_through_include_path() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snippet = manifest.join("gitconfig.snippet");
    let example = manifest.join("examples").join("rainfall.ipynb");
    let repo = GitSandbox::new();
    repo.git([
        "config",
        "--global",
        "include.path",
        snippet.to_str().unwrap(),
    ])
    .success();
    // only drivers that exist are registered
    let merge = repo.git([
        "config",
        "-f",
        snippet.to_str().unwrap(),
        "--get",
        "merge.nbmyst.driver",
    ]);
    assert!(
        merge
            .stdout_text()
            .contains("exec nbmyst merge \"$1\" \"$2\" \"$3\""),
        "gitconfig.snippet registers the merge driver: {merge}"
    );
    repo.write(".gitattributes", "*.ipynb diff=nbmyst\n");
    fs::copy(&example, repo.work.join("rainfall.ipynb")).unwrap();
    repo.commit("example");
    let mut cmd = repo.command("git");
    cmd.args(["show", "--format=", "HEAD", "--", "rainfall.ipynb"])
        .env("PATH", crate::support::path_with_nbmyst());
    let show = repo.run(cmd).success();
    let added: String = show
        .stdout_text()
        .lines()
        .skip_while(|l| !l.starts_with("@@"))
        .skip(1)
        .map(|l| format!("{}\n", l.strip_prefix('+').unwrap_or(l)))
        .collect();
    let want = jupytext_myst_of(
        &[("rainfall.ipynb", &fs::read(&example).unwrap())],
        "rainfall.ipynb",
    );
    pretty_assert_eq(
        &added,
        &want,
        "git show of the example through gitconfig.snippet",
    );
    let cache = repo
        .git(["for-each-ref", "refs/notes/textconv/nbmyst"])
        .success();
    assert!(
        !cache.stdout.is_empty(),
        "cachetextconv from the snippet did not apply"
    );
}

/// A notebook with notebook and cell metadata that the filters below change.
fn tagged_notebook(dir: &Path) -> Vec<u8> {
    nbtool(dir, &["new", "nb.ipynb", "--cells", "4"]);
    nbtool(
        dir,
        &[
            "edit",
            "nb.ipynb",
            "cellmeta:1:tags=[\"keep\"]",
            "cellmeta:1:custom=1",
        ],
    );
    fs::read(dir.join("nb.ipynb")).unwrap()
}

const FILTERS: &str = "notebook_metadata_filter = \"-all\"\ncell_metadata_filter = \"-all\"\n";

#[test]
fn subfolder_config_applies_to_work_tree_files() {
    let scratch = tempfile::tempdir().unwrap();
    let nb = tagged_notebook(scratch.path());
    let want = jupytext_myst_of(
        &[
            ("sub/jupytext.toml", FILTERS.as_bytes()),
            ("sub/nb.ipynb", &nb),
        ],
        "sub/nb.ipynb",
    );
    let unfiltered = jupytext_myst_of(&[("nb.ipynb", &nb)], "nb.ipynb");
    assert_ne!(
        want, unfiltered,
        "the filters must change the MyST for this test to mean anything"
    );

    let repo = GitSandbox::new();
    repo.use_textconv(false);
    repo.write("sub/jupytext.toml", FILTERS);
    repo.write("sub/nb.ipynb", &nb);
    repo.commit("notebook");
    // git runs textconv from the top with the work-tree path
    let out = repo.nbmyst(["textconv", "sub/nb.ipynb"]).success();
    pretty_assert_eq(&out.stdout_text(), &want, "textconv sub/nb.ipynb");
    assert_eq!(out.stderr_text(), "");
    // ...also when started in the subfolder with a bare name
    let mut cmd = repo.command(crate::support::NBMYST);
    cmd.args(["textconv", "nb.ipynb"])
        .current_dir(repo.work.join("sub"));
    pretty_assert_eq(
        &repo.run(cmd).success().stdout_text(),
        &want,
        "textconv nb.ipynb in sub/",
    );

    // git grep on the work tree passes the real path: line numbers are those of the filtered MyST
    let grep = repo
        .git([
            "grep",
            "--textconv",
            "-n",
            "print(v1)",
            "--",
            "sub/nb.ipynb",
        ])
        .success();
    let line = want.lines().position(|l| l == "print(v1)").unwrap() + 1;
    assert_eq!(
        grep.stdout_text(),
        format!("sub/nb.ipynb:{line}:print(v1)\n")
    );
}

#[test]
fn top_config_applies_to_temporary_blob_copies() {
    let scratch = tempfile::tempdir().unwrap();
    let nb = tagged_notebook(scratch.path());
    let want = jupytext_myst_of(
        &[("jupytext.toml", FILTERS.as_bytes()), ("sub/nb.ipynb", &nb)],
        "sub/nb.ipynb",
    );

    let repo = GitSandbox::new();
    repo.use_textconv(false);
    repo.write("pyproject.toml", format!("[tool.jupytext]\n{FILTERS}"));
    repo.write("sub/nb.ipynb", &nb);
    repo.commit("notebook");
    // `git show` converts the committed blob from a temporary copy
    let show = repo
        .git(["show", "--format=", "HEAD", "--", "sub/nb.ipynb"])
        .success();
    let added: String = show
        .stdout_text()
        .lines()
        .skip_while(|l| !l.starts_with("@@"))
        .skip(1)
        .map(|l| format!("{}\n", l.strip_prefix('+').unwrap_or(l)))
        .collect();
    pretty_assert_eq(&added, &want, "git show of sub/nb.ipynb");

    // The same by hand: a copy in a git-blob-XXXXXX folder outside the work tree, run from the top.
    let blob_dir = repo.tmp.join("git-blob-Ab12Cd");
    fs::create_dir_all(&blob_dir).unwrap();
    fs::write(blob_dir.join("nb.ipynb"), &nb).unwrap();
    // A subfolder config would apply to the real file, but a blob copy cannot know its folder.
    repo.write("sub/jupytext.toml", "");
    let blob = blob_dir.join("nb.ipynb");
    let out = repo.nbmyst([std::ffi::OsStr::new("textconv"), blob.as_os_str()]);
    pretty_assert_eq(
        &out.success().stdout_text(),
        &want,
        "textconv of a blob copy",
    );
}

/// What textconv must do with each file `make_bad_inputs.py` writes (see bad-inputs.md).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// The bytes unchanged on stdout, one warning.
    Raw,
    /// The one-line binary summary, one warning.
    Binary,
    /// jupytext's MyST, no warning.
    Myst,
    /// jupytext's MyST of the file without its byte order mark, one warning.
    MystWithoutBom,
    /// Either MyST with one warning, or the raw bytes with one warning (the table allows both).
    MystOrRaw,
    /// Exit 2 with an error (git never passes these).
    Usage,
}

fn expectation(name: &str) -> Expect {
    use Expect::*;
    match name {
        "empty.ipynb"
        | "whitespace.ipynb"
        | "invalid-json.ipynb"
        | "truncated.ipynb"
        | "json-array.ipynb"
        | "json-string.ipynb"
        | "object-no-cells.ipynb"
        | "object-unrelated.ipynb"
        | "git-conflict-markers.ipynb"
        | "nbformat5-future.ipynb"
        | "missing-nbformat.ipynb"
        | "unknown-cell-type.ipynb"
        | "utf16.ipynb"
        | "invalid-utf8.ipynb" => Raw,
        "binary.ipynb" => Binary,
        "utf8-bom.ipynb" => MystWithoutBom,
        "nbformat3.ipynb"
        | "missing-cell-metadata.ipynb"
        | "missing-source.ipynb"
        | "missing-nb-metadata.ipynb" => MystOrRaw,
        "a-directory.ipynb" | "dangling-symlink.ipynb" => Usage,
        _ => Myst,
    }
}

#[test]
fn every_bad_input_gives_exit_zero_and_one_warning() {
    let repo = GitSandbox::new();
    let dir = repo.work.join("bad");
    make_bad_inputs(&dir, false);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ipynb"))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{names:?}");

    // jupytext's MyST for every file it can read (a BOM-less copy for the BOM case)
    let oracle = tempfile::tempdir().unwrap();
    let mut pairs = Vec::new();
    for name in &names {
        let expect = expectation(name);
        if expect == Expect::Myst || expect == Expect::MystWithoutBom {
            let mut bytes = fs::read(dir.join(name)).unwrap();
            if expect == Expect::MystWithoutBom {
                bytes.drain(..3);
            }
            let input = oracle.path().join(name);
            fs::write(&input, bytes).unwrap();
            pairs.push((input.clone(), input.with_extension("md")));
        }
    }
    jupytext_myst(oracle.path(), oracle.path(), &pairs);

    let mut report = String::new();
    for name in &names {
        let expect = expectation(name);
        let rel = format!("bad/{name}");
        let out = repo.nbmyst(["textconv", &rel]);
        let raw = fs::read(dir.join(name)).unwrap_or_default();
        let stderr = out.stderr_text();
        let warnings = stderr.lines().count();
        let myst = || fs::read_to_string(oracle.path().join(name).with_extension("md")).unwrap();
        match expect {
            Expect::Usage => {
                assert_eq!(out.status, Some(2), "{name}:\n{out}");
                assert!(
                    stderr.starts_with(&format!("nbmyst: error: {rel}: ")),
                    "{name}: {stderr}"
                );
            }
            Expect::Raw => {
                assert_eq!(out.status, Some(0), "{name}:\n{out}");
                assert!(
                    out.stdout == raw,
                    "{name}: stdout is not the raw file:\n{out}"
                );
                assert_eq!(warnings, 1, "{name}: {stderr}");
            }
            Expect::Binary => {
                assert_eq!(out.status, Some(0), "{name}:\n{out}");
                let text = out.stdout_text();
                assert!(
                    text.starts_with(&format!("(binary file, {} bytes, sha256 ", raw.len()))
                        && text.ends_with("…: not a notebook)\n"),
                    "{name}: {text}"
                );
                assert_eq!(warnings, 1, "{name}: {stderr}");
            }
            Expect::Myst => {
                assert_eq!(out.status, Some(0), "{name}:\n{out}");
                pretty_assert_eq(&out.stdout_text(), &myst(), name);
                assert_eq!(warnings, 0, "{name}: {stderr}");
            }
            Expect::MystWithoutBom => {
                assert_eq!(out.status, Some(0), "{name}:\n{out}");
                pretty_assert_eq(&out.stdout_text(), &myst(), name);
                assert_eq!(warnings, 1, "{name}: {stderr}");
            }
            Expect::MystOrRaw => {
                assert_eq!(out.status, Some(0), "{name}:\n{out}");
                let text = out.stdout_text();
                assert!(
                    out.stdout == raw || text.contains("```{code-cell}"),
                    "{name}:\n{out}"
                );
                assert_eq!(warnings, 1, "{name}: {stderr}");
            }
        }
        for line in stderr.lines() {
            assert!(line.starts_with("nbmyst: "), "{name}: {line}");
            assert!(
                !line.contains(&repo.base().display().to_string()),
                "{name}: temp path in {line}"
            );
        }
        if !stderr.is_empty() {
            report.push_str(&stderr);
        }
    }
    crate::support::insta_settings().bind(|| insta::assert_snapshot!("bad_input_messages", report));
}

#[test]
fn bad_inputs_through_git_log_and_diff_never_break_git() {
    let repo = GitSandbox::new();
    repo.use_textconv(false);
    let scratch = tempfile::tempdir().unwrap();
    make_bad_inputs(scratch.path(), false);
    let mut names = Vec::new();
    for entry in fs::read_dir(scratch.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().unwrap();
        if name.ends_with(".ipynb") && kind.is_file() {
            fs::copy(entry.path(), repo.work.join(&name)).unwrap();
            names.push(name);
        }
    }
    repo.commit("bad inputs");
    for name in &names {
        let mut bytes = fs::read(repo.work.join(name)).unwrap();
        bytes.extend_from_slice(b"\n");
        fs::write(repo.work.join(name), bytes).unwrap();
    }
    repo.commit("bad inputs, changed");
    for args in [
        &["log", "-p"][..],
        &["diff", "HEAD~1", "HEAD"],
        &["show", "HEAD"],
    ] {
        let out = repo.git(args);
        assert_eq!(out.status, Some(0), "git {args:?}:\n{}", out.stderr_text());
        let stderr = out.stderr_text();
        assert!(!stderr.contains("fatal:"), "{stderr}");
        // names of temporary copies never show, only the real basenames
        assert!(!stderr.contains("git-blob-"), "{stderr}");
    }
}

#[test]
fn a_100_megabyte_notebook_is_quick() {
    let repo = GitSandbox::new();
    let dir = repo.tmp.join("huge");
    make_bad_inputs(&dir, true);
    let huge = dir.join("huge-100mb.ipynb");
    let size = fs::metadata(&huge).unwrap().len();
    assert!(size > 90_000_000, "{size}");
    let start = std::time::Instant::now();
    let out = repo.nbmyst([std::ffi::OsStr::new("textconv"), huge.as_os_str()]);
    let elapsed = start.elapsed();
    assert_eq!(out.status, Some(0), "{}", out.stderr_text());
    assert_eq!(out.stderr_text(), "");
    let text = out.stdout_text();
    assert!(
        text.contains("```{code-cell}"),
        "no MyST for the huge notebook"
    );
    // outputs are not part of MyST: the text is a small fraction of the file
    assert!(
        (text.len() as u64) < size / 20,
        "{} bytes of MyST",
        text.len()
    );
    // generous bound for 2 shared cores in a debug build
    assert!(elapsed.as_secs() < 30, "took {elapsed:?}");
}

/// Write the bad inputs of bad-inputs.md into `dir` (with the 100 MB notebook when `huge`).
fn make_bad_inputs(dir: &Path, huge: bool) {
    let script = crate::support::shared_dir()
        .join("scenarios")
        .join("make_bad_inputs.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(script).arg(dir);
    if huge {
        cmd.arg("--huge");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
