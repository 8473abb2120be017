//! `nbmyst doctor`: each misconfiguration provoked in an isolated repository and found, with
//! its fix; nothing found on a clean setup.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use nbmyst::drivers::install::{self, Part};

use crate::install::{
    git, nbmyst, nbmyst_bin, path_lacking_nbmyst, path_with_nbmyst, path_without_nbmyst, run_in,
    unversioned,
};
use crate::support::{insta_settings, nbtool, CommandOutput, GitSandbox, NBMYST};

/// A repository with a committed notebook and nbmyst installed (local).
fn installed() -> GitSandbox {
    let repo = GitSandbox::new();
    nbtool(&repo.work, &["new", "nb.ipynb"]);
    nbmyst(&repo, &["install"]).success();
    repo.commit("notebook and drivers");
    repo
}

fn doctor(repo: &GitSandbox) -> CommandOutput {
    nbmyst(repo, &["doctor"])
}

/// Assert that doctor exits 1 and reports a problem containing `text`, whose fix contains `fix`.
fn assert_problem(out: &CommandOutput, text: &str, fix: &str) {
    assert_eq!(out.status, Some(1), "{out}");
    let report = format!("\n{}", out.stdout_text());
    let found = report.split("\nproblem: ").skip(1).any(|finding| {
        let finding = finding
            .split("\nok: ")
            .next()
            .unwrap_or(finding)
            .split("\nnote: ")
            .next()
            .unwrap_or(finding);
        match finding.split_once("\n  fix: ") {
            Some((what, how)) => what.contains(text) && how.contains(fix),
            None => false,
        }
    });
    assert!(found, "no problem with {text:?} and fix {fix:?} in:\n{out}");
}

/// Assert that doctor exits 0 and says `text` somewhere.
fn assert_fine(out: &CommandOutput, text: &str) {
    assert_eq!(out.status, Some(0), "{out}");
    assert!(out.stdout_text().contains(text), "no {text:?} in:\n{out}");
    assert!(out.stdout_text().ends_with("no problems found\n"), "{out}");
}

#[test]
fn a_clean_setup_has_no_problems() {
    let repo = installed();
    let out = doctor(&repo);
    assert_eq!(out.status, Some(0), "{out}");
    let report = unversioned(&out.to_string());
    // The git version depends on the machine.
    let report: String = report
        .lines()
        .map(|line| match line.strip_prefix("ok: git ") {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => "ok: git [GIT VERSION]",
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta_settings().bind(|| insta::assert_snapshot!("doctor_clean", report));
    // Also with a filled cache, and from a subfolder.
    git(&repo, &["log", "-p"]).success();
    fs::create_dir_all(repo.work.join("sub")).unwrap();
    let out = run_in(&repo, &path_with_nbmyst(&repo), "sub", NBMYST, ["doctor"]);
    assert_fine(
        &out,
        "ok: the textconv cache is current (1 notebook at HEAD checked)",
    );
}

#[test]
fn drivers_not_registered() {
    let repo = GitSandbox::new();
    nbtool(&repo.work, &["new", "nb.ipynb"]);
    repo.write(".gitattributes", "*.ipynb diff=nbmyst\n");
    repo.commit("attributes only");
    assert_problem(
        &doctor(&repo),
        "the diff driver (textconv) is not registered: diff.nbmyst.textconv not set",
        "nbmyst install (this repository) or nbmyst install --global",
    );
}

#[test]
fn notebooks_not_bound() {
    let repo = GitSandbox::new();
    nbtool(&repo.work, &["new", "nb.ipynb"]);
    nbmyst(&repo, &["install"]).success();
    fs::remove_file(repo.work.join(".gitattributes")).unwrap();
    repo.commit("config only");
    assert_problem(
        &doctor(&repo),
        "notebooks do not all use nbmyst's diff: 1 of 1 (nb.ipynb) get no diff attribute",
        &format!(
            "nbmyst install (it adds `{}`)",
            install::attributes_line(&install::available_parts(), false)
        ),
    );
}

#[test]
fn diff_turned_off_in_info_attributes() {
    let repo = installed();
    repo.write(".git/info/attributes", "*.ipynb -diff\n");
    assert_problem(
        &doctor(&repo),
        "1 of 1 (nb.ipynb) get `-diff` (binary)",
        ".git/info/attributes:1: `*.ipynb -diff` turns notebook diffs off (git shows them as \
         binary); delete it:\n    -*.ipynb -diff",
    );
}

#[test]
fn nbdime_after_nbmyst_in_gitattributes() {
    let repo = installed();
    let mut text = fs::read_to_string(repo.work.join(".gitattributes")).unwrap();
    text.push_str("*.ipynb\tdiff=jupyternotebook\n");
    repo.write(".gitattributes", text);
    repo.git([
        "config",
        "diff.jupyternotebook.command",
        "git-nbdiffdriver diff",
    ])
    .success();
    let out = doctor(&repo);
    assert_problem(
        &out,
        "get `diff=jupyternotebook` (nbdime's driver)",
        ".gitattributes:2: `*.ipynb\tdiff=jupyternotebook` sends notebook diffs to nbdime's \
         driver; delete it:\n    -*.ipynb\tdiff=jupyternotebook",
    );
}

#[test]
fn leftover_nbdime_config_is_only_a_note() {
    let repo = installed();
    repo.git([
        "config",
        "diff.jupyternotebook.command",
        "git-nbdiffdriver diff",
    ])
    .success();
    let out = doctor(&repo);
    assert_fine(
        &out,
        "note: nbdime's diff.jupyternotebook is configured but no notebook uses it: a harmless \
         leftover\n  fix: git config --local --remove-section diff.jupyternotebook\n",
    );
}

#[test]
fn the_tools_own_setup_commands_are_detected() {
    // What `nbdime config-git --enable` and `nbstripout --install` write, run for real.
    // Beside the reference Python (`.ci/run` installs both tools in its venv).
    let python = crate::support::python();
    let venv = python.parent().unwrap_or(Path::new(""));
    let repo = installed();
    let nbdime = repo.run({
        let mut cmd = repo.command(venv.join("nbdime"));
        cmd.args(["config-git", "--enable"]);
        cmd
    });
    let nbstripout = repo.run({
        let mut cmd = repo.command(venv.join("nbstripout"));
        cmd.arg("--install");
        cmd
    });
    if nbdime.status != Some(0) || nbstripout.status != Some(0) {
        // The tools are not installed on this machine: write what they write (nbdime 4.0.4,
        // nbstripout 0.8), as observed.
        let mut text = fs::read_to_string(repo.work.join(".gitattributes")).unwrap();
        text.push_str("*.ipynb\tdiff=jupyternotebook\n");
        repo.write(".gitattributes", text);
        repo.write(
            ".git/info/attributes",
            "*.ipynb filter=nbstripout\n*.zpln filter=nbstripout\n*.ipynb diff=ipynb\n",
        );
        for (key, value) in [
            ("diff.jupyternotebook.command", "git-nbdiffdriver diff"),
            ("filter.nbstripout.clean", "python3 -m nbstripout"),
            ("filter.nbstripout.smudge", "cat"),
            ("filter.nbstripout.required", "true"),
            ("diff.ipynb.textconv", "python3 -m nbstripout -t"),
        ] {
            repo.git(["config", key, value]).success();
        }
    }
    let out = doctor(&repo);
    assert_problem(
        &out,
        "get `diff=ipynb` (nbstripout's or nbdev's driver)",
        ".git/info/attributes:3: `*.ipynb diff=ipynb` sends notebook diffs to nbstripout's or \
         nbdev's driver; delete it:\n    -*.ipynb diff=ipynb",
    );
    assert_problem(
        &out,
        "notebooks go through the `nbstripout` filter with filter.nbstripout.required = true",
        "git config --local --unset filter.nbstripout.required",
    );
}

#[test]
fn nbmyst_not_on_path() {
    let repo = installed();
    let out = run_in(&repo, &path_lacking_nbmyst(), ".", NBMYST, ["doctor"]);
    assert_problem(
        &out,
        "`nbmyst` is not on PATH: git shows notebooks as raw JSON and merges them as text",
        "cargo install nbmyst",
    );
}

/// A folder with a fake `nbmyst` that answers `--version` with `version`.
fn fake_nbmyst(repo: &GitSandbox, version: &str) -> PathBuf {
    let dir = repo.base().join("fake-bin");
    fs::create_dir_all(&dir).unwrap();
    let script = dir.join("nbmyst");
    fs::write(&script, format!("#!/bin/sh\necho 'nbmyst {version}'\n")).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn path_with_first(dir: &Path, repo: &GitSandbox) -> std::ffi::OsString {
    let mut dirs = vec![dir.to_owned(), nbmyst_bin(repo)];
    dirs.extend(path_without_nbmyst());
    std::env::join_paths(dirs).unwrap()
}

#[test]
fn another_nbmyst_first_on_path() {
    let repo = installed();
    let fake = fake_nbmyst(&repo, "0.0.1");
    let out = run_in(
        &repo,
        &path_with_first(&fake, &repo),
        ".",
        NBMYST,
        ["doctor"],
    );
    assert_problem(
        &out,
        &format!(
            "git runs $SANDBOX/fake-bin/nbmyst (nbmyst 0.0.1), not this nbmyst {} ($NBMYST)",
            env!("CARGO_PKG_VERSION")
        ),
        "cargo install nbmyst --force, or put ",
    );
    // A copy of the same version elsewhere is worth a note only.
    let same = fake_nbmyst(&repo, env!("CARGO_PKG_VERSION"));
    let out = run_in(
        &repo,
        &path_with_first(&same, &repo),
        ".",
        NBMYST,
        ["doctor"],
    );
    assert_fine(&out, "a copy of the same version");
}

#[test]
fn textconv_written_by_another_version() {
    let repo = installed();
    let old = install::textconv_command().replace(install::CACHE_KEY, "nbmyst-0.0.1");
    repo.git(["config", "diff.nbmyst.textconv", &old]).success();
    assert_problem(
        &doctor(&repo),
        "diff.nbmyst.textconv was written by nbmyst 0.0.1 (local config, .git/config)",
        "nbmyst install",
    );
}

#[test]
fn textconv_set_to_something_else() {
    let repo = installed();
    repo.git(["config", "diff.nbmyst.textconv", "cat"])
        .success();
    assert_problem(
        &doctor(&repo),
        "diff.nbmyst.textconv runs `cat` (local config, .git/config), not nbmyst",
        "nbmyst install",
    );
    // The hand-written form of earlier instructions works: a note.
    repo.git(["config", "diff.nbmyst.textconv", "nbmyst textconv"])
        .success();
    assert_fine(
        &doctor(&repo),
        "note: diff.nbmyst.textconv = nbmyst textconv (local config, .git/config), not what \
         install writes",
    );
}

#[test]
fn a_stale_textconv_cache() {
    let repo = installed();
    nbtool(&repo.work, &["edit", "nb.ipynb", "line:1:1=v1 = 10"]);
    repo.commit("edit");
    git(&repo, &["log", "-p"]).success();
    assert_fine(&doctor(&repo), "ok: the textconv cache is current");
    // New jupytext settings change the text; git keeps serving the cached one.
    repo.write("jupytext.toml", "notebook_metadata_filter = \"-all\"\n");
    let log = git(&repo, &["log", "-p"]).success().stdout_text();
    assert!(
        log.contains("kernelspec"),
        "the cache should still be used:\n{log}"
    );
    let out = doctor(&repo);
    assert_problem(
        &out,
        "the textconv cache is stale: for 1 of 1 notebook at HEAD (nb.ipynb)",
        &format!("git update-ref -d {}", install::TEXTCONV_CACHE_REF),
    );
    git(&repo, &["update-ref", "-d", install::TEXTCONV_CACHE_REF]).success();
    let log = git(&repo, &["log", "-p"]).success().stdout_text();
    assert!(!log.contains("kernelspec"), "{log}");
    assert_fine(&doctor(&repo), "ok: the textconv cache is current");
}

#[test]
fn an_unused_cache_is_a_note() {
    let repo = installed();
    git(&repo, &["log", "-p"]).success();
    repo.git(["config", "--unset", "diff.nbmyst.cachetextconv"])
        .success();
    let out = doctor(&repo);
    assert_fine(&out, "holds a textconv cache that nothing uses");
    assert!(out
        .stdout_text()
        .contains("note: diff.nbmyst.cachetextconv is not set"));
}

/// A folder with a `git` that says it is `version` and otherwise runs the real git.
fn old_git(repo: &GitSandbox, version: &str) -> PathBuf {
    let real = path_without_nbmyst()
        .into_iter()
        .map(|d| d.join("git"))
        .find(|g| g.is_file())
        .expect("git on PATH");
    let dir = repo.base().join("old-git");
    fs::create_dir_all(&dir).unwrap();
    let script = dir.join("git");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'git version {version}'; exit 0; fi\n\
             exec '{}' \"$@\"\n",
            real.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn git_older_than_the_features_used() {
    let repo = installed();
    // The merge driver with conflict labels (what install writes once merge exists).
    repo.git(["config", "merge.nbmyst.driver", &install::merge_command()])
        .success();
    let old = old_git(&repo, "2.39.5");
    let out = run_in(
        &repo,
        &path_with_first(&old, &repo),
        ".",
        NBMYST,
        ["doctor"],
    );
    assert_problem(
        &out,
        "git 2.39.5 is older than 2.44: the merge driver gets the literal text `%S`",
        "upgrade git to 2.44 or later",
    );
    repo.git(["config", "diff.nbmyst.trustExitCode", "true"])
        .success();
    let old = old_git(&repo, "2.45.2");
    let out = run_in(
        &repo,
        &path_with_first(&old, &repo),
        ".",
        NBMYST,
        ["doctor"],
    );
    assert_problem(
        &out,
        "git 2.45.2 is older than 2.46, which is the first to read diff.nbmyst.trustExitCode",
        "upgrade git to 2.46 or later",
    );
    assert!(!out.stdout_text().contains("older than 2.44"), "{out}");
}

#[test]
fn a_merge_section_without_a_driver() {
    let repo = installed();
    // install wrote a driver where this nbmyst has one: take it away again.
    let _ = repo.git(["config", "--unset", "merge.nbmyst.driver"]);
    repo.git(["config", "merge.nbmyst.name", "half a setup"])
        .success();
    let out = doctor(&repo);
    if Part::Merge.available() {
        assert_problem(
            &out,
            "the merge driver is not registered: merge.nbmyst.driver not set",
            "nbmyst install",
        );
    } else {
        assert_problem(
            &out,
            "merge.nbmyst has keys but no driver",
            "git config --remove-section merge.nbmyst",
        );
    }
}

#[test]
fn an_external_diff_for_every_file() {
    let repo = installed();
    repo.git(["config", "diff.external", "difft"]).success();
    assert_problem(
        &doctor(&repo),
        "diff.external = difft (local config, .git/config) runs for every file",
        "git config --local --unset diff.external",
    );
}

#[test]
fn the_kill_switch_is_a_note() {
    let repo = installed();
    let mut cmd = repo.command(NBMYST);
    cmd.arg("doctor")
        .env("PATH", path_with_nbmyst(&repo))
        .env("NBMYST", "0");
    let out = repo.run(cmd);
    assert_fine(&out, "note: NBMYST is set to turn nbmyst off");
}

#[test]
fn outside_a_repository() {
    let repo = GitSandbox::new();
    nbmyst(&repo, &["install", "--global"]).success();
    let out = run_in(&repo, &path_with_nbmyst(&repo), "..", NBMYST, ["doctor"]);
    assert_fine(&out, "note: not inside a git work tree");
    assert!(
        out.stdout_text()
            .contains("ok: the diff driver (textconv) is registered (global config, "),
        "{out}"
    );
}
