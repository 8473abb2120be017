//! Differential test of the YAML emitter against PyYAML 6.0 (`tests/yaml/pyyaml_dump.py`):
//! random metadata trees are dumped by both, with jupytext's compact dumper and with
//! `safe_dump`, and the texts must be identical. Mismatches are shrunk before being shown.

use nbmyst::myst::yaml::{dump_mapping, Dumper};
use nbmyst::notebook::Map;
use proptest::strategy::{Strategy, ValueTree};

use crate::yaml_support::{case_count, map_line, mapping, runner, Reference};

/// Compare our dumps of `map` with the reference answer; describe the difference if any.
fn mismatch(map: &Map, answer: &str) -> Option<String> {
    let expected: Vec<String> = match serde_json::from_str(answer) {
        Ok(v) => v,
        Err(e) => return Some(format!("unreadable reference answer {answer:?}: {e}")),
    };
    if expected.len() != 2 {
        return Some(format!("reference failed: {expected:?}"));
    }
    let mut report = String::new();
    for (dumper, want) in [
        (Dumper::Compact, &expected[0]),
        (Dumper::Safe, &expected[1]),
    ] {
        let got = dump_mapping(map, dumper);
        if &got != want {
            report.push_str(&format!(
                "  {dumper:?}:\n    pyyaml: {want:?}\n    ours:   {got:?}\n"
            ));
        }
    }
    (!report.is_empty()).then_some(report)
}

#[test]
fn emitter_matches_pyyaml_on_random_trees() {
    let mut reference = Reference::start("pyyaml_dump.py");
    let mut runner = runner();
    let strategy = mapping();
    let n = case_count();
    let mut trees = Vec::with_capacity(n);
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        lines.push(map_line(&tree.current()));
        trees.push(tree);
    }
    let answers = reference.batch(lines);
    let failing: Vec<usize> = (0..n)
        .filter(|&i| mismatch(&trees[i].current(), &answers[i]).is_some())
        .collect();
    for &i in failing.iter().take(5) {
        // Shrink: simplify while the case still fails, step back when it passes.
        let tree = &mut trees[i];
        let mut last = (tree.current(), answers[i].clone());
        let mut budget = 3000;
        let mut failed = true;
        while budget > 0 {
            budget -= 1;
            let moved = if failed {
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !moved {
                break;
            }
            let candidate = tree.current();
            let answer = reference.query(&map_line(&candidate));
            failed = mismatch(&candidate, &answer).is_some();
            if failed {
                last = (candidate, answer);
            }
        }
        let (map, answer) = last;
        eprintln!(
            "mismatch (case {i}, shrunk) for input {}\n{}",
            map_line(&map),
            mismatch(&map, &answer).unwrap_or_default()
        );
    }
    eprintln!(
        "yaml emitter differential (PyYAML {}): {n} cases, {} mismatches",
        reference.version,
        failing.len()
    );
    assert!(
        failing.is_empty(),
        "{} of {n} cases differ from PyYAML",
        failing.len()
    );
}
