//! The command line's shape: help, version, usage errors and their exit codes.

use crate::support::{insta_settings, GitSandbox};

#[test]
fn help_is_reviewed() {
    let repo = GitSandbox::new();
    let settings = insta_settings();
    let help = repo.nbmyst(["--help"]).success();
    settings.bind(|| insta::assert_snapshot!("help", help));
    let help = repo.nbmyst(["textconv", "--help"]).success();
    settings.bind(|| insta::assert_snapshot!("textconv_help", help));
}

#[test]
fn version_names_the_crate_version() {
    let repo = GitSandbox::new();
    let out = repo.nbmyst(["--version"]).success();
    assert_eq!(
        out.stdout_text(),
        format!("nbmyst {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let repo = GitSandbox::new();
    for args in [
        &[][..],
        &["textconv"],
        &["textconv", "a", "b"],
        &["no-such-command"],
    ] {
        let out = repo.nbmyst(args);
        assert_eq!(out.status, Some(2), "nbmyst {args:?}:\n{out}");
        assert!(out.stdout.is_empty(), "nbmyst {args:?}:\n{out}");
    }
}

#[test]
fn textconv_of_a_missing_file_or_a_directory() {
    let repo = GitSandbox::new();
    std::fs::create_dir(repo.work.join("dir.ipynb")).unwrap();
    let settings = insta_settings();
    let out = repo.nbmyst(["textconv", "missing.ipynb"]);
    settings.bind(|| {
        insta::assert_snapshot!(out, @r"
        ------- stderr -------
        nbmyst: error: missing.ipynb: no such file or directory
        nbmyst: hint: check the path; `-` reads the notebook from standard input
        [exit status: 2]
        [EOF]
        ")
    });
    let out = repo.nbmyst(["textconv", "dir.ipynb"]);
    settings.bind(|| {
        insta::assert_snapshot!(out, @r"
        ------- stderr -------
        nbmyst: error: dir.ipynb: is a directory, not a notebook
        [exit status: 2]
        [EOF]
        ")
    });
}

#[test]
fn textconv_reads_standard_input() {
    let repo = GitSandbox::new();
    let mut cmd = repo.command(crate::support::NBMYST);
    cmd.args(["textconv", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"not a notebook\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"not a notebook\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("nbmyst: warning: <stdin>: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn textconv_into_a_closed_pipe_exits_0() {
    let repo = GitSandbox::new();
    // a large raw file, so the write hits the closed pipe
    repo.write("big.ipynb", "x".repeat(4 << 20));
    let mut cmd = repo.command("bash");
    cmd.arg("-c")
        .arg("\"$0\" textconv big.ipynb 2>err | head -c 10 >/dev/null; echo \"${PIPESTATUS[0]}\"")
        .arg(crate::support::NBMYST);
    let out = repo.run(cmd).success();
    assert_eq!(out.stdout_text(), "0\n");
    let err = std::fs::read_to_string(repo.work.join("err")).unwrap();
    assert_eq!(
        err.lines().count(),
        1,
        "only the not-a-notebook warning: {err}"
    );
}
