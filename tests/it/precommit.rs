//! The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit framework
//! (`$NBMYST_PYTHON -m pre_commit try-repo`) on a sandbox repository.
//!
//! pre-commit builds the hook with `cargo install --path .` from a clone of this repository's
//! committed HEAD (`language: rust`): commit before running this test. The clone, pre-commit's
//! cache and cargo's target folder live under `target/precommit/`, so a second run only rebuilds
//! what changed. Fails (never skips) without pre-commit.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{CommandOutput, GitSandbox};
use crate::sync_support::{edit, python, PAIRING_TOML, SAMPLE_NB};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn require_pre_commit() {
    let out = Command::new(python())
        .args(["-m", "pre_commit", "--version"])
        .output();
    assert!(
        matches!(&out, Ok(o) if o.status.success()),
        "this test needs pre-commit: `{} -m pre_commit` failed ({out:?}); set NBMYST_PYTHON to a \
         Python with `pip install pre-commit` (.ci/run does)",
        python().display()
    );
}

/// A clone of this repository's HEAD at a fixed place (so pre-commit's environment is reused
/// while HEAD does not move).
fn clone_of_head(base: &Path) -> PathBuf {
    let clone = base.join("nbmyst-repo");
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let head = git(Path::new(MANIFEST_DIR), &["rev-parse", "HEAD"]);
    if !clone.join(".git").exists() {
        fs::create_dir_all(base).unwrap();
        git(
            base,
            &["clone", "-q", "--no-checkout", MANIFEST_DIR, "nbmyst-repo"],
        );
    }
    git(&clone, &["fetch", "-q", MANIFEST_DIR, &head]);
    git(&clone, &["checkout", "-q", "--force", &head]);
    git(&clone, &["clean", "-q", "-fdx"]);
    clone
}

/// `python -m pre_commit try-repo REPO HOOK ARGS` in the sandbox, with the toolchain reachable.
fn try_repo(sb: &GitSandbox, base: &Path, repo: &Path, hook: &str, args: &[&str]) -> CommandOutput {
    let mut cmd = sb.command(python());
    cmd.args(["-m", "pre_commit", "try-repo"])
        .arg(repo)
        .arg(hook)
        .args(args)
        .env("PRE_COMMIT_HOME", base.join("home"))
        .env("CARGO_TARGET_DIR", base.join("cargo-target"))
        .env("PRE_COMMIT_COLOR", "never");
    // The sandbox has its own HOME: point cargo and rustup at the real toolchain.
    let real_home = std::env::var_os("HOME").map(PathBuf::from);
    for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        match std::env::var_os(var) {
            Some(value) => {
                cmd.env(var, value);
            }
            None => {
                if let Some(home) = &real_home {
                    cmd.env(var, home.join(default));
                }
            }
        }
    }
    if let Some(toolchain) = std::env::var_os("RUSTUP_TOOLCHAIN") {
        cmd.env("RUSTUP_TOOLCHAIN", toolchain);
    }
    sb.run(cmd)
}

#[test]
fn hooks_run_under_pre_commit() {
    require_pre_commit();
    let base = PathBuf::from(MANIFEST_DIR).join("target/precommit");
    let repo = clone_of_head(&base);
    assert!(
        repo.join(".pre-commit-hooks.yaml").exists(),
        "commit .pre-commit-hooks.yaml first: the hooks are taken from HEAD"
    );

    let sb = GitSandbox::new();
    sb.write("jupytext.toml", PAIRING_TOML);
    sb.write("nb.ipynb", SAMPLE_NB);
    sb.nbmyst(["sync", "nb.ipynb"]).success();
    sb.commit("pair");

    // An edit of the .md, staged: the sync hook updates the notebook and stops the commit.
    edit(
        &sb.work.join("nb.md"),
        "print('hi')",
        "print('from the hook')",
    );
    sb.git(["add", "nb.md"]).success();
    let out = try_repo(&sb, &base, &repo, "nbmyst-sync", &[]);
    assert_eq!(out.status, Some(1), "{out}");
    let text = out.stdout_text();
    assert!(text.contains("files were modified by this hook"), "{out}");
    assert!(text.contains("updated nb.ipynb from nb.md"), "{out}");
    let nb = fs::read_to_string(sb.work.join("nb.ipynb")).unwrap();
    assert!(nb.contains("print('from the hook')"), "{nb}");

    // Staged again, both hooks pass.
    sb.git(["add", "-A"]).success();
    let out = try_repo(&sb, &base, &repo, "nbmyst-sync", &[]);
    assert_eq!(out.status, Some(0), "{out}");
    let out = try_repo(&sb, &base, &repo, "nbmyst-check", &["--all-files"]);
    assert_eq!(out.status, Some(0), "{out}");

    // A pair out of step fails the check hook, which names it and writes nothing.
    edit(&sb.work.join("nb.md"), "The end.", "The end, unsynced.");
    sb.git(["add", "-A"]).success();
    let out = try_repo(&sb, &base, &repo, "nbmyst-check", &["--all-files"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(
        out.stdout_text()
            .contains("nb.md:29: out of step with nb.ipynb"),
        "{out}"
    );
    assert!(!fs::read_to_string(sb.work.join("nb.ipynb"))
        .unwrap()
        .contains("unsynced"));
}
