//! Helpers for the sync, check, interop and pre-commit tests: a sample notebook, file times,
//! and jupytext (from `NBMYST_PYTHON`) as the reference.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the support code"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// The jupytext version the tests compare with.
pub const JUPYTEXT_VERSION: &str = "1.19.6";

/// A notebook as Jupyter saves it: markdown and code cells, outputs, execution counts, ids, a
/// tag, hidden metadata (`collapsed`, `ExecuteTime`) and `language_info`.
pub const SAMPLE_NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "md-title",
   "metadata": {},
   "source": [
    "# Rainfall\n",
    "\n",
    "Monthly totals."
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "code-sum",
   "metadata": {
    "collapsed": false,
    "tags": [
     "keep"
    ]
   },
   "outputs": [
    {
     "data": {
      "text/plain": [
       "6"
      ]
     },
     "execution_count": 1,
     "metadata": {},
     "output_type": "execute_result"
    }
   ],
   "source": [
    "x = [1, 2, 3]\n",
    "sum(x)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "code-print",
   "metadata": {
    "ExecuteTime": {
     "end_time": "2024-01-01T00:00:01Z",
     "start_time": "2024-01-01T00:00:00Z"
    }
   },
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "hi\n"
     ]
    }
   ],
   "source": [
    "print('hi')"
   ]
  },
  {
   "cell_type": "markdown",
   "id": "md-end",
   "metadata": {},
   "source": [
    "The end."
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3 (ipykernel)",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "codemirror_mode": {
    "name": "ipython",
    "version": 3
   },
   "file_extension": ".py",
   "mimetype": "text/x-python",
   "name": "python",
   "nbconvert_exporter": "python",
   "pygments_lexer": "ipython3",
   "version": "3.11.7"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

/// `jupytext.toml` pairing every notebook with a MyST `.md` beside it.
pub const PAIRING_TOML: &str = "formats = \"ipynb,md:myst\"\n";

/// A Python with jupytext 1.19.6: `NBMYST_PYTHON`, else `/work/venv/bin/python` when it exists,
/// else the one the other tests use.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NBMYST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from("/work/venv/bin/python");
    if venv.exists() {
        return venv;
    }
    crate::support::python()
}

/// Fail (never skip) unless `python()` imports jupytext 1.19.6.
pub fn require_jupytext() {
    let out = Command::new(python())
        .args(["-c", "import jupytext; print(jupytext.__version__)"])
        .output();
    let version = match &out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        version,
        JUPYTEXT_VERSION,
        "these tests need jupytext {JUPYTEXT_VERSION}: `{} -m jupytext` gave {version:?}; set \
         NBMYST_PYTHON to a Python with `pip install jupytext=={JUPYTEXT_VERSION}` (.ci/run does)",
        python().display()
    );
}

/// Run `$PYTHON -m jupytext ARGS` in `dir`, with no configuration outside `dir`.
pub fn jupytext(dir: &Path, args: &[&str]) -> Output {
    let empty = tempfile::tempdir().expect("temp dir");
    Command::new(python())
        .arg("-m")
        .arg("jupytext")
        .args(args)
        .current_dir(dir)
        .env("JUPYTEXT_CEILING_DIRECTORIES", dir)
        .env("HOME", empty.path())
        .env("XDG_CONFIG_HOME", empty.path())
        .env("XDG_CONFIG_DIRS", empty.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run jupytext")
}

/// Run jupytext's command line once per argument list, all in one Python process, in `dir`
/// (paths absolute or relative to `dir`), with no configuration outside `ceiling`.
pub fn jupytext_batch(dir: &Path, ceiling: &Path, runs: &[Vec<String>]) {
    let empty = tempfile::tempdir().expect("temp dir");
    let script = r#"
import json, sys, warnings
warnings.simplefilter('ignore')
from jupytext.cli import jupytext
for args in json.loads(sys.stdin.read()):
    status = jupytext(['--quiet'] + args)
    if status:
        sys.exit('jupytext %s exited %s' % (' '.join(args), status))
"#;
    let mut child = Command::new(python())
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("JUPYTEXT_CEILING_DIRECTORIES", ceiling)
        .env("HOME", empty.path())
        .env("XDG_CONFIG_HOME", empty.path())
        .env("XDG_CONFIG_DIRS", empty.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jupytext");
    let input = serde_json::to_vec(runs).expect("json");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&input).expect("write runs");
    }
    let out = child.wait_with_output().expect("jupytext");
    assert!(
        out.status.success(),
        "jupytext failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Set a file's modification time to `base + offset` seconds.
pub fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    file.set_modified(time).expect("set mtime");
}

pub fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

/// A fixed point in time, well in the past, for file times.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A notebook file as JSON (Python's `NaN`, which nbformat accepts, read as null).
pub fn json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&text.replace("NaN", "null")))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A cell's source as one string (list or string form).
pub fn source(cell: &Value) -> String {
    match &cell["source"] {
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The inputs of a notebook: (cell type, source) of every cell.
pub fn inputs(nb: &Value) -> Vec<(String, String)> {
    nb["cells"]
        .as_array()
        .map(|cells| {
            cells
                .iter()
                .map(|c| (c["cell_type"].as_str().unwrap_or("").to_owned(), source(c)))
                .collect()
        })
        .unwrap_or_default()
}

/// The cell whose source contains `needle`.
pub fn cell_with<'a>(nb: &'a Value, needle: &str) -> &'a Value {
    nb["cells"]
        .as_array()
        .and_then(|cells| cells.iter().find(|c| source(c).contains(needle)))
        .unwrap_or_else(|| panic!("no cell with {needle:?}"))
}

/// Replace the first `from` by `to` in a text file.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}
