//! jupytext settings found the way jupytext finds them, seen through `nbmyst textconv`.

use std::fs;

use crate::support::{jupytext_myst_of, nbtool, GitSandbox};

fn notebook() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    nbtool(dir.path(), &["new", "nb.ipynb", "--cells", "3"]);
    nbtool(
        dir.path(),
        &["edit", "nb.ipynb", "cellmeta:1:tags=[\"keep\"]"],
    );
    fs::read(dir.path().join("nb.ipynb")).unwrap()
}

const NO_HEADER: &str = "notebook_metadata_filter = \"-all\"\n";

#[test]
fn user_level_settings_apply() {
    let nb = notebook();
    let want = jupytext_myst_of(
        &[("jupytext.toml", NO_HEADER.as_bytes()), ("nb.ipynb", &nb)],
        "nb.ipynb",
    );
    assert!(!want.starts_with("---"), "the oracle must have no header");
    let repo = GitSandbox::new();
    repo.write("nb.ipynb", &nb);
    let config_dir = repo.home.join(".config").join("jupytext");
    fs::create_dir_all(&config_dir).unwrap();
    fs::write(config_dir.join("jupytext.toml"), NO_HEADER).unwrap();
    let mut cmd = repo.command(crate::support::NBMYST);
    cmd.args(["textconv", "nb.ipynb"])
        .env_remove("JUPYTEXT_CEILING_DIRECTORIES");
    let out = repo.run(cmd).success();
    assert_eq!(out.stdout_text(), want);
    assert_eq!(out.stderr_text(), "");
    // A ceiling at the work tree stops the search before the user-level folder.
    let full = jupytext_myst_of(&[("nb.ipynb", &nb)], "nb.ipynb");
    let mut cmd = repo.command(crate::support::NBMYST);
    cmd.args(["textconv", "nb.ipynb"])
        .env("JUPYTEXT_CEILING_DIRECTORIES", &repo.work);
    assert_eq!(repo.run(cmd).success().stdout_text(), full);
}

#[test]
fn nearest_settings_win_and_every_file_form_is_read() {
    let nb = notebook();
    let cell_filter = "cell_metadata_filter = \"-all\"\n";
    let want_cells = jupytext_myst_of(
        &[("jupytext.toml", cell_filter.as_bytes()), ("nb.ipynb", &nb)],
        "nb.ipynb",
    );
    let want_header = jupytext_myst_of(
        &[("jupytext.toml", NO_HEADER.as_bytes()), ("nb.ipynb", &nb)],
        "nb.ipynb",
    );
    assert_ne!(want_cells, want_header);
    let repo = GitSandbox::new();
    repo.write("a/b/nb.ipynb", &nb);
    repo.write("pyproject.toml", format!("[tool.jupytext]\n{NO_HEADER}"));
    let textconv = || {
        repo.nbmyst(["textconv", "a/b/nb.ipynb"])
            .success()
            .stdout_text()
    };
    assert_eq!(textconv(), want_header, "pyproject.toml at the top");
    for (name, text) in [
        ("a/.jupytext.toml", cell_filter.to_owned()),
        (
            "a/jupytext.json",
            "{\"cell_metadata_filter\": \"-all\"}".to_owned(),
        ),
        ("a/jupytext.yaml", "cell_metadata_filter: -all\n".to_owned()),
        ("a/jupytext", cell_filter.to_owned()),
    ] {
        repo.write(name, text);
        assert_eq!(textconv(), want_cells, "{name}");
    }
    // the nearest folder wins over a stronger name higher up
    repo.write("a/b/.jupytext.toml", NO_HEADER);
    assert_eq!(textconv(), want_header, "a/b/.jupytext.toml");
}

#[test]
fn a_rejected_settings_file_is_one_warning() {
    let nb = notebook();
    let full = jupytext_myst_of(&[("nb.ipynb", &nb)], "nb.ipynb");
    let repo = GitSandbox::new();
    repo.write("nb.ipynb", &nb);
    repo.write(
        "jupytext.toml",
        "notebook_metadata_filter = \"-all\"\nbogus_option = 1\n",
    );
    let out = repo.nbmyst(["textconv", "nb.ipynb"]).success();
    assert_eq!(out.stdout_text(), full);
    insta::assert_snapshot!(out.stderr_text(), @"nbmyst: warning: $WORK/jupytext.toml: option `bogus_option` is not a jupytext option; jupytext settings ignored for nb.ipynb");
    fs::remove_file(repo.work.join("jupytext.toml")).unwrap();
    repo.write(".jupytext.py", "c.notebook_metadata_filter = '-all'\n");
    let out = repo.nbmyst(["textconv", "nb.ipynb"]).success();
    assert_eq!(out.stdout_text(), full);
    insta::assert_snapshot!(out.stderr_text(), @"nbmyst: warning: $WORK/.jupytext.py: Python configuration files are not read by nbmyst; jupytext settings ignored for nb.ipynb");
}
