//! `nbmyst install` / `uninstall` in isolated repositories with an isolated global
//! configuration (HOME, XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL in the sandbox), then real `git diff`,
//! `git log -p` and `git merge`, with and without `nbmyst` on PATH.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use nbmyst::drivers::install::{self, Part};

use crate::support::{insta_settings, nbtool, CommandOutput, GitSandbox, NBMYST};

/// The crate version, replaced in snapshots.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether `dir` holds an executable called `nbmyst`.
fn holds_nbmyst(dir: &Path) -> bool {
    dir.join("nbmyst").is_file()
}

/// The test process's PATH without any folder that holds an `nbmyst` (a developer may have one
/// in ~/.cargo/bin).
pub fn path_without_nbmyst() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .filter(|dir| !holds_nbmyst(dir))
        .collect()
}

/// A folder of the sandbox holding `nbmyst`, a link to the binary under test.
pub fn nbmyst_bin(repo: &GitSandbox) -> PathBuf {
    let bin = repo.base().join("bin");
    if !bin.join("nbmyst").exists() {
        fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(NBMYST, bin.join("nbmyst")).unwrap();
    }
    bin
}

/// PATH with the binary under test first.
pub fn path_with_nbmyst(repo: &GitSandbox) -> OsString {
    let mut dirs = vec![nbmyst_bin(repo)];
    dirs.extend(path_without_nbmyst());
    std::env::join_paths(dirs).unwrap()
}

/// PATH without nbmyst anywhere.
pub fn path_lacking_nbmyst() -> OsString {
    std::env::join_paths(path_without_nbmyst()).unwrap()
}

/// Run `program ARGS` in the sandbox with the given PATH, from `dir` (relative to the work tree).
pub fn run_in<I, S>(
    repo: &GitSandbox,
    path: &OsStr,
    dir: &str,
    program: &str,
    args: I,
) -> CommandOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = repo.command(program);
    cmd.args(args)
        .env("PATH", path)
        .current_dir(repo.work.join(dir));
    repo.run(cmd)
}

/// `git ARGS` with nbmyst on PATH.
pub fn git(repo: &GitSandbox, args: &[&str]) -> CommandOutput {
    run_in(repo, &path_with_nbmyst(repo), ".", "git", args)
}

/// `nbmyst ARGS` (the binary under test) with nbmyst on PATH.
pub fn nbmyst(repo: &GitSandbox, args: &[&str]) -> CommandOutput {
    run_in(repo, &path_with_nbmyst(repo), ".", NBMYST, args)
}

/// The file's bytes, or `None` if it is missing.
fn bytes(path: &Path) -> Option<Vec<u8>> {
    fs::read(path).ok()
}

/// A snapshot-friendly text: the version replaced.
pub fn unversioned(text: &str) -> String {
    text.replace(VERSION, "[VERSION]")
}

/// A repository with one committed notebook `nb.ipynb` (the scenarios' six-cell notebook).
fn repo_with_notebook() -> GitSandbox {
    let repo = GitSandbox::new();
    nbtool(&repo.work, &["new", "nb.ipynb"]);
    repo.commit("add a notebook");
    repo
}

fn edit(repo: &GitSandbox, ops: &[&str]) {
    let mut args = vec!["edit", "nb.ipynb"];
    args.extend_from_slice(ops);
    nbtool(&repo.work, &args);
}

#[test]
fn install_then_git_diff_log_and_show_use_nbmyst() {
    let repo = repo_with_notebook();
    let out = nbmyst(&repo, &["install", "--local"]).success();
    let report = unversioned(&out.to_string());
    insta_settings().bind(|| insta::assert_snapshot!("install_local_report", report));

    edit(&repo, &["line:1:1=v1 = 10"]);
    let diff = git(&repo, &["diff"]).success().stdout_text();
    assert!(diff.contains("-v1 = 1\n+v1 = 10\n"), "{diff}");
    assert!(diff.contains("```{code-cell}"), "{diff}");
    assert!(!diff.contains("\"source\""), "{diff}");
    repo.commit("edit");

    for args in [&["log", "-p"][..], &["show", "HEAD"]] {
        let out = git(&repo, args).success().stdout_text();
        assert!(out.contains("+v1 = 10\n"), "git {args:?}:\n{out}");
        assert!(!out.contains("\"source\""), "git {args:?}:\n{out}");
    }
    // The cache works: git log -p filled it.
    let refs = git(&repo, &["for-each-ref", "refs/notes/"]).success();
    assert!(refs.stdout_text().contains(install::TEXTCONV_CACHE_REF));
    // A textconv of the index side through the real work-tree path works from a subfolder too.
    fs::create_dir_all(repo.work.join("sub")).unwrap();
    let out = run_in(
        &repo,
        &path_with_nbmyst(&repo),
        "sub",
        "git",
        ["log", "-p", "-1"],
    )
    .success();
    assert!(out.stdout_text().contains("+v1 = 10\n"));
}

#[test]
fn install_registers_the_merge_driver_exactly_when_this_binary_has_one() {
    let repo = GitSandbox::new();
    nbmyst(&repo, &["install"]).success();
    let driver = repo.git(["config", "--get", "merge.nbmyst.driver"]);
    let attributes = fs::read_to_string(repo.work.join(".gitattributes")).unwrap();
    if Part::Merge.available() {
        assert_eq!(driver.stdout_text().trim_end(), install::merge_command());
        assert_eq!(attributes, "*.ipynb diff=nbmyst merge=nbmyst\n");
    } else {
        assert_eq!(driver.status, Some(1), "{driver}");
        assert_eq!(attributes, "*.ipynb diff=nbmyst\n");
    }
}

#[test]
fn merge_of_notebooks_after_install() {
    let repo = repo_with_notebook();
    nbmyst(&repo, &["install"]).success();
    repo.commit("install");
    conflicting_branches(&repo);
    let merge = git(&repo, &["merge", "side"]);
    let stages = repo.git(["ls-files", "-u"]).success().stdout_text();
    let text = fs::read_to_string(repo.work.join("nb.ipynb")).unwrap();
    if Part::Merge.available() {
        // nbmyst merge ran: whatever it decided, the notebook is still valid JSON.
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{text}"
        );
        assert!(merge.status == Some(0) || !stages.is_empty(), "{merge}");
    } else {
        // No merge driver in this version: git's own text merge of the JSON.
        assert_eq!(merge.status, Some(1), "{merge}");
        assert!(text.contains("<<<<<<< HEAD\n"), "{text}");
    }
}

/// Branch `side` and `main` both change line 1 of cell 1 differently.
fn conflicting_branches(repo: &GitSandbox) {
    repo.git(["branch", "side"]).success();
    edit(repo, &["line:1:1=v1 = 11"]);
    repo.commit("main edit");
    repo.git(["checkout", "-q", "side"]).success();
    edit(repo, &["line:1:1=v1 = 12"]);
    repo.commit("side edit");
    repo.git(["checkout", "-q", "main"]).success();
}

#[test]
fn install_twice_is_install_once() {
    let repo = GitSandbox::new();
    repo.write(".gitattributes", "*.png binary\n");
    nbmyst(&repo, &["install", "--linguist-generated"]).success();
    let config = bytes(&repo.work.join(".git/config"));
    let attributes = bytes(&repo.work.join(".gitattributes"));
    let second = nbmyst(&repo, &["install", "--linguist-generated"]).success();
    assert_eq!(bytes(&repo.work.join(".git/config")), config);
    assert_eq!(bytes(&repo.work.join(".gitattributes")), attributes);
    let text = second.stdout_text();
    assert!(
        !text.contains("  set ") && !text.contains("added"),
        "{text}"
    );
    assert!(text.contains("unchanged line 2"), "{text}");
    assert_eq!(
        String::from_utf8(attributes.unwrap()).unwrap(),
        format!(
            "*.png binary\n{}\n",
            install::attributes_line(&install::available_parts(), true)
        )
    );
    // Without the flag the line is changed in place, not added twice.
    let third = nbmyst(&repo, &["install"]).success();
    assert!(third.stdout_text().contains("changed line 2"), "{third}");
    let text = fs::read_to_string(repo.work.join(".gitattributes")).unwrap();
    assert_eq!(text.matches("*.ipynb").count(), 1, "{text}");
}

#[test]
fn uninstall_leaves_config_and_attributes_byte_identical() {
    // A fresh repository: no .gitattributes at all.
    let repo = GitSandbox::new();
    let config = bytes(&repo.work.join(".git/config"));
    nbmyst(&repo, &["install", "--local"]).success();
    assert_ne!(bytes(&repo.work.join(".git/config")), config);
    let out = nbmyst(&repo, &["uninstall"]).success();
    assert_eq!(bytes(&repo.work.join(".git/config")), config, "{out}");
    assert_eq!(bytes(&repo.work.join(".gitattributes")), None, "{out}");
    let report = unversioned(&out.to_string());
    insta_settings().bind(|| insta::assert_snapshot!("uninstall_report", report));

    // A repository with its own settings, and a .gitattributes without a final newline.
    let repo = GitSandbox::new();
    repo.git(["config", "diff.nbmyst.wordRegex", "[^[:space:]]+"])
        .success();
    repo.git(["config", "user.name", "Someone"]).success();
    repo.write(".gitattributes", "*.png binary\r\n*.csv text");
    let config = bytes(&repo.work.join(".git/config"));
    let attributes = bytes(&repo.work.join(".gitattributes"));
    nbmyst(&repo, &["install", "--linguist-generated", "--aider"]).success();
    assert!(repo.work.join("CONVENTIONS.md").exists());
    nbmyst(&repo, &["uninstall", "--aider"]).success();
    assert_eq!(bytes(&repo.work.join(".git/config")), config);
    assert_eq!(bytes(&repo.work.join(".gitattributes")), attributes);
    assert!(!repo.work.join("CONVENTIONS.md").exists());

    // Nothing installed: nothing removed, and it says so.
    let out = nbmyst(&repo, &["uninstall"]).success();
    assert_eq!(
        out.stdout_text(),
        "nothing to remove: nbmyst is not installed in the local git config or .gitattributes\n"
    );
}

#[test]
fn global_install_writes_the_global_config_and_attributes() {
    let repo = repo_with_notebook();
    let attributes = repo.home.join(".config/git/attributes");
    let out = nbmyst(&repo, &["install", "--global"]).success();
    assert!(
        out.stdout_text().starts_with("global git config:\n"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(&attributes).unwrap(),
        format!(
            "{}\n",
            install::attributes_line(&install::available_parts(), false)
        )
    );
    let textconv = repo
        .git(["config", "--global", "--get", "diff.nbmyst.textconv"])
        .success();
    assert_eq!(
        textconv.stdout_text().trim_end(),
        install::textconv_command()
    );
    // The repository's own config is untouched.
    assert_eq!(
        repo.git(["config", "--local", "--get-regexp", "nbmyst"])
            .status,
        Some(1)
    );
    edit(&repo, &["line:1:1=v1 = 10"]);
    repo.commit("edit");
    let log = git(&repo, &["log", "-p", "-1"]).success().stdout_text();
    assert!(
        log.contains("+v1 = 10\n") && !log.contains("\"source\""),
        "{log}"
    );

    nbmyst(&repo, &["uninstall", "--global"]).success();
    assert_eq!(fs::read_to_string(&repo.global_config).unwrap(), "");
    assert!(!attributes.exists());
}

#[test]
fn a_team_config_file_included_from_the_repository() {
    let repo = repo_with_notebook();
    let out = nbmyst(&repo, &["install", "--file", ".gitconfig"]).success();
    assert!(out.stdout_text().starts_with(".gitconfig:\n"), "{out}");
    // Not used until included.
    assert_eq!(
        repo.git(["config", "--get", "diff.nbmyst.textconv"]).status,
        Some(1)
    );
    repo.git(["config", "include.path", "../.gitconfig"])
        .success();
    edit(&repo, &["line:1:1=v1 = 10"]);
    let diff = git(&repo, &["diff"]).success().stdout_text();
    assert!(diff.contains("+v1 = 10\n"), "{diff}");
    let doctor = nbmyst(&repo, &["doctor"]);
    assert_eq!(doctor.status, Some(0), "{doctor}");

    nbmyst(&repo, &["uninstall", "--file", ".gitconfig"]).success();
    assert!(!repo.work.join(".gitconfig").exists());
    assert!(!repo.work.join(".gitattributes").exists());
}

#[test]
fn without_nbmyst_on_path_git_log_p_shows_the_raw_notebook() {
    let repo = repo_with_notebook();
    nbmyst(&repo, &["install"]).success();
    edit(&repo, &["line:1:1=v1 = 10"]);
    repo.commit("edit");
    let missing = path_lacking_nbmyst();
    let log = run_in(&repo, &missing, ".", "git", ["log", "-p"]).success();
    let text = log.stdout_text();
    assert!(text.contains("+    \"v1 = 10\\n\",\n"), "{text}");
    assert!(log.stderr.is_empty(), "{log}");
    let diff = run_in(&repo, &missing, ".", "git", ["show", "HEAD"]).success();
    assert!(diff.stdout_text().contains("\"source\""), "{diff}");
}

/// The merge driver install writes (when this binary has `merge`), registered by hand so that
/// its fallback is tested now: without nbmyst on PATH, git's own conflict with markers.
fn register_merge_driver(repo: &GitSandbox) {
    for (entry, value) in install::entries_of(&[Part::Textconv, Part::Merge]) {
        repo.git(["config", entry.key, &value]).success();
    }
    repo.write(".gitattributes", "*.ipynb diff=nbmyst merge=nbmyst\n");
}

#[test]
fn without_nbmyst_on_path_git_merge_gives_gits_conflict_with_markers() {
    let repo = repo_with_notebook();
    register_merge_driver(&repo);
    repo.commit("drivers");
    conflicting_branches(&repo);
    let missing = path_lacking_nbmyst();
    let merge = run_in(&repo, &missing, ".", "git", ["merge", "side"]);
    assert_eq!(merge.status, Some(1), "{merge}");
    assert!(
        merge
            .stdout_text()
            .contains("CONFLICT (content): Merge conflict in nb.ipynb"),
        "{merge}"
    );
    assert!(
        merge.stderr_text().contains(
            "nbmyst: warning: nbmyst is not on PATH; nb.ipynb merged as text by git merge-file"
        ),
        "{merge}"
    );
    let text = fs::read_to_string(repo.work.join("nb.ipynb")).unwrap();
    assert!(
        text.contains("<<<<<<< HEAD\n")
            && text.contains("    \"v1 = 11\\n\",\n")
            && text.contains("=======\n")
            && text.contains("    \"v1 = 12\\n\",\n")
            && text.contains(">>>>>>> side\n"),
        "{text}"
    );
    let stages = repo.git(["ls-files", "-u"]).success().stdout_text();
    assert_eq!(stages.lines().count(), 3, "{stages}");
}

#[test]
fn without_nbmyst_on_path_a_clean_merge_stays_clean() {
    let repo = repo_with_notebook();
    register_merge_driver(&repo);
    repo.commit("drivers");
    repo.git(["branch", "side"]).success();
    edit(&repo, &["line:1:1=v1 = 11"]);
    repo.commit("main edit");
    repo.git(["checkout", "-q", "side"]).success();
    edit(&repo, &["line:5:1=v5 = 55"]);
    repo.commit("side edit");
    repo.git(["checkout", "-q", "main"]).success();
    let merge = run_in(
        &repo,
        &path_lacking_nbmyst(),
        ".",
        "git",
        ["merge", "--no-edit", "side"],
    );
    assert_eq!(merge.status, Some(0), "{merge}");
    let text = fs::read_to_string(repo.work.join("nb.ipynb")).unwrap();
    assert!(
        text.contains("v1 = 11") && text.contains("v5 = 55"),
        "{text}"
    );
}

#[test]
fn the_merge_fallback_keeps_a_custom_marker_size_and_paths_with_spaces() {
    let repo = GitSandbox::new();
    register_merge_driver(&repo);
    repo.write(
        ".gitattributes",
        "*.ipynb diff=nbmyst merge=nbmyst conflict-marker-size=9\n",
    );
    repo.write("d d/n é.ipynb", "a\nb\nc\n");
    repo.commit("one");
    repo.git(["branch", "side"]).success();
    repo.write("d d/n é.ipynb", "a\nB main\nc\n");
    repo.commit("main");
    repo.git(["checkout", "-q", "side"]).success();
    repo.write("d d/n é.ipynb", "a\nB side\nc\n");
    repo.commit("side");
    repo.git(["checkout", "-q", "main"]).success();
    let merge = run_in(&repo, &path_lacking_nbmyst(), ".", "git", ["merge", "side"]);
    assert_eq!(merge.status, Some(1), "{merge}");
    assert_eq!(
        fs::read_to_string(repo.work.join("d d/n é.ipynb")).unwrap(),
        "a\n<<<<<<<<< HEAD\nB main\n=========\nB side\n>>>>>>>>> side\nc\n"
    );
}

#[test]
fn conflicting_attributes_are_reported_with_the_exact_change() {
    let repo = GitSandbox::new();
    repo.write(".gitattributes", "*.ipynb -diff\n");
    repo.write(
        ".git/info/attributes",
        "*.ipynb\tdiff=jupyternotebook text\n",
    );
    let out = nbmyst(&repo, &["install", "--no-merge"]).success();
    let text = out.stderr_text();
    assert!(
        text.contains(
            "nbmyst: warning: .gitattributes:1: `*.ipynb -diff` turns notebook diffs off (git \
             shows them as binary); nbmyst's line overrides it; to remove the contradiction, \
             delete it:\n  -*.ipynb -diff\n"
        ),
        "{out}"
    );
    assert!(
        text.contains(
            "nbmyst: warning: .git/info/attributes:1: `*.ipynb\tdiff=jupyternotebook text` sends \
             notebook diffs to nbdime's driver; it takes precedence over nbmyst's line, so \
             notebooks do not use nbmyst; to fix it, change it to `*.ipynb text`:\n  \
             -*.ipynb\tdiff=jupyternotebook text\n  +*.ipynb text\n"
        ),
        "{out}"
    );
    // Their lines are left alone; ours is added after them.
    assert_eq!(
        fs::read_to_string(repo.work.join(".gitattributes")).unwrap(),
        "*.ipynb -diff\n*.ipynb diff=nbmyst\n"
    );
}

#[test]
fn install_says_when_nbmyst_is_not_on_path() {
    let repo = GitSandbox::new();
    let out = run_in(&repo, &path_lacking_nbmyst(), ".", NBMYST, ["install"]).success();
    assert!(
        out.stderr_text()
            .contains("nbmyst: warning: `nbmyst` is not on PATH"),
        "{out}"
    );
}

#[test]
fn install_clears_a_textconv_cache() {
    let repo = repo_with_notebook();
    nbmyst(&repo, &["install"]).success();
    git(&repo, &["log", "-p"]).success();
    assert!(git(&repo, &["show-ref", install::TEXTCONV_CACHE_REF])
        .success()
        .stdout_text()
        .contains(install::TEXTCONV_CACHE_REF));
    let out = nbmyst(&repo, &["install"]).success();
    assert!(
        out.stdout_text().contains(&format!(
            "textconv cache:\n  cleared {} (git rebuilds it as it goes)\n",
            install::TEXTCONV_CACHE_REF
        )),
        "{out}"
    );
    assert_eq!(
        git(&repo, &["show-ref", install::TEXTCONV_CACHE_REF]).status,
        Some(1)
    );
}

#[test]
fn install_usage_errors() {
    let repo = GitSandbox::new();
    let outside = repo.base();
    let out = run_in(&repo, &path_with_nbmyst(&repo), "..", NBMYST, ["install"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert_eq!(
        out.stderr_text(),
        "nbmyst: error: not inside a git work tree, so there is no repository to install in\n\
         nbmyst: hint: run it inside a repository, or use --global for every repository\n"
    );
    assert!(!outside.join(".gitattributes").exists());

    let out = nbmyst(&repo, &["install", "--global", "--local"]);
    assert_eq!(out.status, Some(2), "{out}");

    let out = nbmyst(&repo, &["install", "--no-diff", "--no-merge"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr_text().contains("nothing to install"), "{out}");

    let out = nbmyst(&repo, &["install", "--ext-diff"]);
    if Part::ExtDiff.available() {
        out.success();
        let command = repo
            .git(["config", "--get", "diff.nbmyst.command"])
            .success();
        assert_eq!(
            command.stdout_text().trim_end(),
            install::ext_diff_command()
        );
    } else {
        assert_eq!(out.status, Some(2), "{out}");
        assert_eq!(
            out.stderr_text(),
            "nbmyst: error: --ext-diff needs the `nbmyst diff` subcommand, which this version \
             does not have\nnbmyst: hint: install a newer nbmyst (`cargo install nbmyst`)\n"
        );
    }
}

#[test]
fn install_aider_writes_the_conventions_once() {
    let repo = GitSandbox::new();
    nbmyst(&repo, &["install", "--aider"]).success();
    let written = fs::read_to_string(repo.work.join("CONVENTIONS.md")).unwrap();
    let shipped =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CONVENTIONS.md")).unwrap();
    assert_eq!(written, shipped);
    let lines = shipped.lines().filter(|l| l.starts_with("- ")).count();
    assert!((3..=5).contains(&lines), "{shipped}");
    let again = nbmyst(&repo, &["install", "--aider"]).success();
    assert!(
        again
            .stdout_text()
            .contains("CONVENTIONS.md:\n  unchanged\n"),
        "{again}"
    );
    // Someone else's conventions are left alone.
    repo.write("CONVENTIONS.md", "- Use tabs.\n");
    let out = nbmyst(&repo, &["install", "--aider"]).success();
    assert!(out.stderr_text().contains("CONVENTIONS.md exists"), "{out}");
    assert_eq!(
        fs::read_to_string(repo.work.join("CONVENTIONS.md")).unwrap(),
        "- Use tabs.\n"
    );
}

/// `gitconfig.snippet` is what `nbmyst generate snippet` prints, and git reads from it the same
/// values install writes.
#[test]
fn the_snippet_is_what_install_writes() {
    let snippet_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("gitconfig.snippet");
    let repo = GitSandbox::new();
    let generated = nbmyst(&repo, &["generate", "snippet"]).success();
    assert_eq!(
        fs::read_to_string(&snippet_path).unwrap(),
        generated.stdout_text(),
        "gitconfig.snippet is out of date: run `cargo run -- generate snippet > gitconfig.snippet`"
    );
    nbmyst(&repo, &["install"]).success();
    let pattern = "^(diff|merge)\\.nbmyst\\.";
    let from_snippet = repo
        .git([
            OsStr::new("config"),
            OsStr::new("--file"),
            snippet_path.as_os_str(),
            OsStr::new("--get-regexp"),
            OsStr::new(pattern),
        ])
        .success();
    let installed = repo
        .git(["config", "--local", "--get-regexp", pattern])
        .success();
    assert_eq!(from_snippet.stdout_text(), installed.stdout_text());
}

#[test]
fn help_of_install_uninstall_and_doctor_is_reviewed() {
    let repo = GitSandbox::new();
    let settings = insta_settings();
    for name in ["install", "uninstall", "doctor"] {
        let help = repo.nbmyst([name, "--help"]).success();
        settings.bind(|| insta::assert_snapshot!(format!("{name}_help"), help));
    }
}

#[test]
fn completions_and_man_pages_come_from_the_command_line_definition() {
    let repo = GitSandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = repo.nbmyst(["generate", "completions", shell]).success();
        let text = out.stdout_text();
        for word in ["install", "uninstall", "doctor", "textconv", "--global"] {
            assert!(text.contains(word), "{shell} completions lack {word}");
        }
    }
    let man = repo.nbmyst(["generate", "man"]).success().stdout_text();
    assert!(man.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{man}");
    assert!(man.contains(".TH nbmyst 1"), "{man}");
    assert!(man.contains(&format!("nbmyst {VERSION}")), "{man}");
    let dir = repo.base().join("man");
    let out = repo
        .nbmyst([
            OsStr::new("generate"),
            OsStr::new("man"),
            OsStr::new("--dir"),
            dir.as_os_str(),
        ])
        .success();
    let listed: Vec<String> = out.stdout_text().lines().map(str::to_owned).collect();
    for page in [
        "nbmyst.1",
        "nbmyst-install.1",
        "nbmyst-uninstall.1",
        "nbmyst-doctor.1",
        "nbmyst-textconv.1",
    ] {
        assert!(dir.join(page).is_file(), "{page} missing");
        assert!(
            listed.contains(&format!("$SANDBOX/man/{page}")),
            "{listed:?}"
        );
    }
    // The hidden subcommand stays hidden.
    assert!(!dir.join("nbmyst-generate.1").exists());
    let help = repo.nbmyst(["--help"]).success().stdout_text();
    assert!(!help.contains("generate"), "{help}");
}

#[test]
fn the_readme_shows_the_shipped_conventions() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(install::CONVENTIONS),
        "README.md's Aider section must quote CONVENTIONS.md as it is"
    );
}

#[test]
fn another_attributes_file_and_a_subfolder() {
    let repo = GitSandbox::new();
    fs::create_dir_all(repo.work.join("sub")).unwrap();
    // From a subfolder, the default file is the one at the top.
    let out = run_in(&repo, &path_with_nbmyst(&repo), "sub", NBMYST, ["install"]).success();
    assert!(
        out.stdout_text()
            .contains(".gitattributes:\n  added line 1"),
        "{out}"
    );
    assert!(repo.work.join(".gitattributes").is_file());
    assert!(!repo.work.join("sub/.gitattributes").exists());
    nbmyst(&repo, &["uninstall"]).success();
    // An uncommitted attributes file of the repository.
    let info = repo.work.join(".git/info/attributes");
    let before = bytes(&info);
    nbmyst(&repo, &["install", "--attributes", ".git/info/attributes"]).success();
    let line = install::attributes_line(&install::available_parts(), false);
    assert!(
        fs::read_to_string(&info)
            .unwrap()
            .ends_with(&format!("{line}\n")),
        "{:?}",
        fs::read_to_string(&info)
    );
    assert!(!repo.work.join(".gitattributes").exists());
    let attr = repo.git(["check-attr", "diff", "--", "x.ipynb"]).success();
    assert_eq!(attr.stdout_text(), "x.ipynb: diff: nbmyst\n");
    nbmyst(
        &repo,
        &["uninstall", "--attributes", ".git/info/attributes"],
    )
    .success();
    assert_eq!(bytes(&info), before);
}
