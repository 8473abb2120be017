//! `nbmyst check [PATHS...]`: report paired `.ipynb` / MyST `.md` files that are out of step,
//! writing nothing.
//!
//! The pairs are found and compared exactly as `sync` finds and compares them (see
//! [`crate::drivers::sync`]), in parallel: a pair is in step when its `.md` says what the
//! notebook's MyST says (up to line endings and `jupytext_version`) and reads back as the
//! notebook's cells. That is also when `sync` leaves a pair alone, so `check` passes right after
//! `sync`. File times never count.

use std::io::Write;

use rayon::prelude::*;
use serde_json::json;

use crate::cli::{CheckArgs, CheckFormat};
use crate::combine::{InputDifference, InputDifferenceKind};
use crate::drivers::sync::{
    analyse, find_pairs, first_different_line, report_found, report_problem, Analysis, PairJob,
    PairState, Problem, Session,
};
use crate::drivers::Env;
use crate::error::Error;
use crate::notebook::Notebook;

/// Exit status: some pair is out of step.
pub const EXIT_OUT_OF_STEP: u8 = crate::EXIT_FOUND;
/// Exit status: some file could not be read, or is not what its side of a pair should be.
pub const EXIT_ERROR: u8 = crate::EXIT_USAGE;

/// Run `nbmyst check`.
pub fn run(
    args: &CheckArgs,
    env: &Env,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let session = Session::new(env);
    let found = find_pairs(&session, &args.paths);
    report_found(&found, stderr);
    let mut errors = found.problems.len();
    let mut problems_json: Vec<serde_json::Value> = found
        .problems
        .iter()
        .map(|p| json!({"status": "error", "error": p.to_string()}))
        .collect();

    // Each pair is compared and reduced to its verdict in the worker, so the notebooks are
    // freed there, in parallel, rather than all at the end.
    let verdicts: Vec<(String, String, Verdict)> = found
        .jobs
        .into_par_iter()
        .map(|mut job| {
            let verdict = match analyse(&mut job) {
                Err(Problem::ConflictMarker { path, line }) => Verdict::Conflict { path, line },
                Err(problem) => Verdict::Error(problem),
                Ok(a) if a.state == PairState::NotNotebook => Verdict::NotNotebook,
                Ok(a) if a.state == PairState::InStep => Verdict::InStep,
                Ok(a) => Verdict::OutOfStep(Report::of(&job, &a)),
            };
            (job.pair.ipynb, job.pair.md, verdict)
        })
        .collect();

    let mut pairs_json = Vec::new();
    let mut out_of_step = 0usize;
    let mut checked = 0usize;
    let mut lines: Vec<String> = Vec::new();
    for (ipynb, md, verdict) in &verdicts {
        match verdict {
            // An unresolved conflict in the `.md` is a pair out of step, to be resolved.
            Verdict::Conflict { path, line } => {
                checked += 1;
                out_of_step += 1;
                let message = "unresolved conflict marker; resolve it first".to_owned();
                let fix = format!("nbmyst sync {}", quote(md));
                lines.push(format!("{path}:{line}: {message}; then run: {fix}"));
                pairs_json.push(json!({
                    "ipynb": ipynb,
                    "md": md,
                    "status": "out_of_step",
                    "line": line,
                    "cell_index": null,
                    "difference": "conflict_marker",
                    "message": message,
                    "fix": fix,
                }));
            }
            Verdict::Error(problem) => {
                errors += 1;
                report_problem(problem, stderr);
                pairs_json.push(json!({
                    "ipynb": ipynb, "md": md, "status": "error", "error": problem.to_string(),
                }));
            }
            Verdict::NotNotebook => {}
            Verdict::InStep => {
                checked += 1;
                pairs_json.push(json!({"ipynb": ipynb, "md": md, "status": "in_step"}));
            }
            Verdict::OutOfStep(report) => {
                checked += 1;
                out_of_step += 1;
                lines.push(report.line(md));
                pairs_json.push(json!({
                    "ipynb": ipynb,
                    "md": md,
                    "status": "out_of_step",
                    "line": report.line,
                    "cell_index": report.cell,
                    "difference": report.kind,
                    "message": report.message,
                    "fix": report.fix,
                }));
            }
        }
    }

    match args.format {
        CheckFormat::Text => {
            for line in &lines {
                writeln!(stdout, "{line}").map_err(Error::WriteOutput)?;
            }
            if out_of_step > 0 {
                writeln!(
                    stdout,
                    "{out_of_step} of {checked} pairs out of step; `nbmyst sync` brings them in step"
                )
                .map_err(Error::WriteOutput)?;
            }
        }
        CheckFormat::Json => {
            pairs_json.append(&mut problems_json);
            let doc = json!({
                "checked": checked,
                "out_of_step": out_of_step,
                "errors": errors,
                "pairs": pairs_json,
            });
            writeln!(stdout, "{doc}").map_err(Error::WriteOutput)?;
        }
    }
    stdout.flush().map_err(Error::WriteOutput)?;
    Ok(if errors > 0 {
        EXIT_ERROR
    } else if out_of_step > 0 {
        EXIT_OUT_OF_STEP
    } else {
        crate::EXIT_OK
    })
}

/// Where one pair stands.
enum Verdict {
    InStep,
    NotNotebook,
    OutOfStep(Report),
    /// The `.md` holds a conflict marker at this line.
    Conflict {
        path: String,
        line: usize,
    },
    Error(Problem),
}

/// What is out of step in one pair.
struct Report {
    /// The first line of the `.md` that differs from the notebook's MyST, if the texts differ.
    line: Option<usize>,
    /// The index (from 0) of the first cell that differs, if the cells differ.
    cell: Option<usize>,
    /// `missing_md`, `missing_ipynb`, `cell_count`, `cell_type`, `source`, `metadata`, `header`,
    /// `text`.
    kind: &'static str,
    message: String,
    fix: String,
}

impl Report {
    fn of(job: &PairJob, analysis: &Analysis) -> Report {
        let (ipynb, md) = (&job.pair.ipynb, &job.pair.md);
        match analysis.state {
            PairState::MdMissing => {
                return Report {
                    line: None,
                    cell: None,
                    kind: "missing_md",
                    message: format!("{md} does not exist"),
                    fix: format!("nbmyst sync {}", quote(ipynb)),
                }
            }
            PairState::IpynbMissing => {
                return Report {
                    line: None,
                    cell: None,
                    kind: "missing_ipynb",
                    message: format!("{ipynb} does not exist"),
                    fix: format!("nbmyst sync {}", quote(md)),
                }
            }
            _ => {}
        }
        let text = analysis.md_text.as_deref().unwrap_or_default();
        let view = analysis.view.as_deref().unwrap_or_default();
        let line = (!analysis.text_agrees).then(|| first_different_line(text, view));
        let fix = format!("nbmyst sync {}", quote(md));
        let (kind, cell, mut message) = match (
            &analysis.input_difference,
            &analysis.ipynb_nb,
            &analysis.md_nb,
        ) {
            (Some(d), Some(a), Some(b)) => {
                let (kind, message) = describe(d, a, b, ipynb, md);
                (kind, Some(d.cell), message)
            }
            _ => {
                let header_end = header_lines(view);
                if line.is_some_and(|l| l <= header_end) {
                    ("header", None, "the YAML header differs".to_owned())
                } else {
                    (
                        "text",
                        None,
                        "the text differs from the notebook's MyST (same cells)".to_owned(),
                    )
                }
            }
        };
        if analysis.text_agrees {
            message.push_str(&format!(
                "; {md} says what {ipynb} says, but reads back differently"
            ));
        }
        Report {
            line,
            cell,
            kind,
            message: format!("out of step with {ipynb}: {message}"),
            fix,
        }
    }

    fn line(&self, md: &str) -> String {
        let place = match self.line {
            Some(line) => format!("{md}:{line}"),
            None => md.to_owned(),
        };
        match self.kind {
            "missing_md" | "missing_ipynb" => {
                format!("{}: {}; run: {}", place, self.message, self.fix)
            }
            _ => format!("{place}: {}; run: {}", self.message, self.fix),
        }
    }
}

/// `cell 3 (code): the source differs`...
fn describe(
    d: &InputDifference,
    a: &Notebook,
    b: &Notebook,
    ipynb: &str,
    md: &str,
) -> (&'static str, String) {
    let n = d.cell + 1;
    let cell_type = |nb: &Notebook| nb.cells.get(d.cell).map_or("no", |c| c.cell_type.as_str());
    match d.kind {
        InputDifferenceKind::CellCount => (
            "cell_count",
            format!(
                "{ipynb} has {} cells, {md} {}",
                a.cells.len(),
                b.cells.len()
            ),
        ),
        InputDifferenceKind::CellType => (
            "cell_type",
            format!(
                "cell {n} is a {} cell in {ipynb}, a {} cell in {md}",
                cell_type(a),
                cell_type(b)
            ),
        ),
        InputDifferenceKind::Source => (
            "source",
            format!("cell {n} ({}): the source differs", cell_type(a)),
        ),
        InputDifferenceKind::Metadata => (
            "metadata",
            format!("cell {n} ({}): the metadata differ", cell_type(a)),
        ),
    }
}

/// How many lines the YAML header of a MyST text takes (0 without a header).
fn header_lines(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("---\n") else {
        return 0;
    };
    match rest.find("\n---\n") {
        Some(end) => rest[..end].matches('\n').count() + 3,
        None => 0,
    }
}

/// A path as a shell word (quoted when it holds anything but plain characters).
fn quote(path: &str) -> String {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c));
    if plain && !path.is_empty() {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(quote("a/nb.md"), "a/nb.md");
        assert_eq!(quote("dir with space/nb.md"), "'dir with space/nb.md'");
        assert_eq!(quote("it's.md"), r"'it'\''s.md'");
    }

    #[test]
    fn header_length() {
        assert_eq!(header_lines("---\na: 1\n---\n\nx\n"), 3);
        assert_eq!(header_lines("x\n"), 0);
    }
}
